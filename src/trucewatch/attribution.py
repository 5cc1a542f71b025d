"""Who an incident is laid to, and whom a commitment binds, for the verdict engine.

- A monitor's or a reporting actor's report never makes it the perpetrator: named as
  one, it is set aside and the perpetrator is unknown.
- A disputed attribution (a claim's notes that begin ``model.CONTESTED_ATTRIBUTION``,
  or claims that name different perpetrators) keeps every actor blamed, so the verdict
  weighs them all instead of whichever the merge happened to keep.
- A sub-unit is bound by what binds its parent (``part_of``), and a partial commitment
  binds only in the zones it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from trucewatch.actors import ActorDictionary
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    Actor,
    Agreement,
    Commitment,
    Declaration,
    Incident,
    VerdictKind,
)


def lineage(actor: Actor, actors: ActorDictionary) -> list[Actor]:
    """The actor, its parent, its parent's parent...; a cycle stops the walk."""
    chain = [actor]
    parent = actors.get(actor.part_of)
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = actors.get(parent.part_of)
    return chain


def binding(commitment: Commitment, actor: Actor, zone_ids: Iterable[str] | None,
            actors: ActorDictionary | None = None) -> tuple[bool, str | None]:
    """Whether ``commitment`` binds ``actor`` for an incident in ``zone_ids`` (None: in
    no zone of the scenario), and why in words when it is not plain: 'as part of X',
    'only in A, not here'."""
    chain = lineage(actor, actors) if actors is not None else [actor]
    if any(a.id in commitment.excluded for a in chain):
        return False, None
    here = set(zone_ids or ())
    limits: list[str] = []
    for n, member in enumerate(chain):
        partial = dict(member.bound_in).get(commitment.id)
        if partial is not None:
            if here & set(partial):
                return True, _through(chain, n)
            limits += partial
            continue
        if _binds_directly(commitment, member):
            return True, _through(chain, n)
    if limits:
        return False, f"only in {', '.join(sorted(set(limits)))}, not here"
    return False, None


def binds(commitment: Commitment, actor: Actor, zone_ids: Iterable[str] | None = None,
          actors: ActorDictionary | None = None) -> bool:
    """Whether the commitment binds the actor (its parents too when ``actors`` is given;
    a partial commitment only when ``zone_ids`` holds one of its zones)."""
    return binding(commitment, actor, zone_ids, actors)[0]


def _binds_directly(commitment: Commitment, actor: Actor) -> bool:
    if commitment.id in actor.bound_by:
        return True
    if isinstance(commitment, Declaration):
        return commitment.actor == actor.id
    if isinstance(commitment, Agreement):
        return actor.id in commitment.parties
    return False


def _through(chain: list[Actor], n: int) -> str | None:
    return f"as part of {chain[n].name}" if n else None


@dataclass(slots=True)
class Attribution:
    """Who the incident is laid to. ``actor``: the one perpetrator, when the reports agree
    and it may be one. ``contest``: every actor blamed when they disagree (``unnamed``
    counts those blamed that the scenario does not know); ``claims`` says who says what;
    ``set_aside``: sentences on monitors named as perpetrators."""

    actor: Actor | None = None
    contest: list[Actor] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    denied: bool = False
    claims: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)

    @property
    def contested(self) -> bool:
        return len(self.contest) + len(self.unnamed) > 1 or (self.denied and bool(self.contest))


def attribute(incident: Incident, actors: ActorDictionary) -> Attribution:
    """Read the incident's perpetrator and, from its claims, any dispute over it. The
    claims speak only when they dispute it: told so in their notes, or naming different
    actors where the incident names none (an analyst's choice of one is kept)."""
    if not incident.claims:  # a stored row re-assessed in bulk: only its own reading
        actor = actors.get(incident.perpetrator_actor)
        if actor is None or not actor.never_perpetrator:
            return Attribution(actor=actor)
    found = Attribution()

    def usable(actor: Actor | None) -> Actor | None:
        if actor is not None and actor.never_perpetrator:
            doing = "monitors" if actor.role == "monitor" else "reports on"
            sentence = (f"{actor.name} {doing} the ceasefire: its report does not make it "
                        "the perpetrator, so it is not taken as one.")
            if sentence not in found.set_aside:
                found.set_aside.append(sentence)
            return None
        return actor

    primary = usable(actors.get(incident.perpetrator_actor))
    by_claims: dict[str, Actor] = {}
    notes: list[str] = []
    for claim in incident.claims:
        actor = usable(actors.get(claim.perpetrator_actor))
        if actor is not None:
            by_claims.setdefault(actor.id, actor)
        said = claim.notes or ""
        if said.startswith(CONTESTED_ATTRIBUTION) and said not in notes:
            notes.append(said)
    if not notes and not (incident.perpetrator_actor is None and len(by_claims) > 1):
        found.actor = primary
        return found
    blamed = {a.id: a for a in (primary, *by_claims.values()) if a is not None}
    for said in notes:
        for accused, denies in _accusations(said):
            actor = actors.resolve(accused)
            if actor is None:
                if not denies and accused not in found.unnamed:
                    found.unnamed.append(accused)
                continue
            found.denied = found.denied or denies
            actor = usable(actor)
            if actor is not None and not denies:
                blamed.setdefault(actor.id, actor)
    found.contest = list(blamed.values())
    found.claims = notes or ["Reports differ on who carried it out: " + "; ".join(dict.fromkeys(
        f"{c.perpetrator or c.perpetrator_actor} (as {_teller(c.sources)} says)"
        for c in incident.claims if c.perpetrator_actor in blamed)) + "."]
    if not found.contested:  # one actor blamed, undenied: no dispute after all
        found.actor = found.contest[0] if found.contest else primary
        found.contest, found.unnamed, found.claims = [], [], []
    return found


def _accusations(notes: str) -> list[tuple[str, bool]]:
    """(name, denies) from "Attribution contested: A blames B; B denies it." -- each
    actor blamed (B) and each denial."""
    body = notes[len(CONTESTED_ATTRIBUTION):].lstrip(" :").rstrip(" .")
    found: list[tuple[str, bool]] = []
    for part in body.split(";"):
        part = part.strip()
        if " blames " in part:
            found.append((part.split(" blames ", 1)[1].strip(), False))
        elif part.endswith(" denies it"):
            found.append((part[: -len(" denies it")].strip(), True))
    return found


def _teller(sources: list[str]) -> str:
    return sources[0] if sources else "one report"


def judge_contest(commitment: Commitment, certain: bool, zone_ids: set[str],
                  actors: ActorDictionary, who: Attribution) -> tuple[VerdictKind, list[str]]:
    """A disputed attribution judged on every actor blamed: two or more, all bound and
    none denying, a violation whoever did it; bound against unbound or unknown (or a
    denial), a probable violation with both claims in the reasons (never "not a
    violation" because the merge kept the unbound one); none bound, not a violation.
    ``certain``: the commitment was in force at the hour (else at most undetermined)."""
    bound = [a for a in who.contest if binding(commitment, a, zone_ids, actors)[0]]
    unbound = [a for a in who.contest if a not in bound]
    said = " ".join(who.claims)
    unnamed = f"{_join(who.unnamed)} {'is' if len(who.unnamed) == 1 else 'are'} not known " \
        "to the scenario"
    if len(bound) > 1 and not unbound and not who.unnamed and not who.denied:
        kind = VerdictKind.VIOLATION if certain else VerdictKind.UNDETERMINED
        return kind, [said, f"Every actor blamed ({_join(a.name for a in bound)}) is bound "
                            "by it, so whoever carried it out broke it."]
    if bound:
        kind = VerdictKind.PROBABLE_VIOLATION if certain else VerdictKind.UNDETERMINED
        others = [f"{_join(a.name for a in unbound)} {_verb(unbound)} not"] if unbound else []
        others += [unnamed] if who.unnamed else []
        disputed = "; ".join(others) if others else "the attribution is denied"
        return kind, [said, f"{_join(a.name for a in bound)} {_verb(bound)} bound by it and "
                            f"{disputed}: the attribution is disputed, so it is a probable "
                            "violation, not a certain one."]
    names = _join([a.name for a in unbound] + who.unnamed)
    if who.unnamed:
        return VerdictKind.UNDETERMINED, [said, (
            f"None of those blamed ({names}) is known to be bound by it, and {unnamed}, so it "
            "cannot be said whether a party bound by it did it.")]
    return VerdictKind.NOT_VIOLATION, [said, f"None of those blamed ({names}) is bound by it."]


def _verb(actors: list[Actor]) -> str:
    """'are' for several actors or a plural name ("Government forces"), else 'is'."""
    plural = len(actors) > 1 or actors[0].name.rstrip().endswith("s")
    return "are" if plural else "is"


def _join(items: Iterable[str]) -> str:
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
