"""How an incident was made from its claims, for the analyst who must trust or correct
it: where each claim came from (a dataset's row and its id, or an article), what it
said, how merging combined the claims field by field, which claim changed the verdict
or a toll and why, and, when the claims blame different actors, each side.

"Which claim changed it" is answered by taking each claim away in turn, merging the
rest as the merge stage does (merge.reconcile) and judging the result against the
scenario (assess.assess): a claim without which the verdict, the toll or the grade would
differ is the one that set it. This compares machine readings; analysts' corrections,
shown apart on the page, are not re-applied here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from trucewatch.actors import ActorDictionary
from trucewatch.assess import assess_each
from trucewatch.attribution import attribute
from trucewatch.errors import NotFoundError
from trucewatch.merge import reconcile
from trucewatch.model import Casualties, Claim, Incident, Scenario, Verdict
from trucewatch.store import provenance as store_provenance
from trucewatch.store.database import Database
from trucewatch.store.queries import ClaimView, IncidentDetail, ReportView

# Each dataset's name and what its id is called, as its users know them.
DATASETS = {"acled": ("ACLED", "event_id_cnty"), "ucdp": ("UCDP GED", "id"),
            "gdelt": ("GDELT", "GlobalEventID")}
MAX_WEIGHED = 40  # claims taken away one by one; beyond, the page says it stopped


@dataclass(frozen=True, slots=True)
class ClaimOrigin:
    """One claim as its source gave it."""

    claim_id: int
    source: str  # "ACLED", "UCDP GED", "GDELT" or "article"
    id_name: str | None  # "event_id_cnty", "id", "GlobalEventID"
    external_id: str | None
    url: str | None  # GDELT's SOURCEURL, else the report's address
    report_id: int
    report_title: str | None
    actor1: str | None  # the perpetrator as the source words it
    actor2: str | None  # the other side or target as the source words it
    notes: str | None
    codes: dict[str, Any] = field(default_factory=dict)  # the dataset's own fields


@dataclass(frozen=True, slots=True)
class Effect:
    """A claim without which the machine's reading would differ, and how."""

    claim_id: int
    changes: tuple[str, ...]  # sentences: what would differ without it
    because: tuple[str, ...]  # sentences: what this claim says that the others do not


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a contested attribution: the actor blamed and who says so."""

    actor: str
    claim_ids: tuple[int, ...]
    said_by: tuple[str, ...]


@dataclass(slots=True)
class Provenance:
    origins: list[ClaimOrigin]
    merging: list[str]  # sentences: how each field came from the claims
    effects: list[Effect]
    sides: list[Side]
    disputes: list[str]  # the reports' own words on who did it, when contested
    weighed: int  # claims taken away in turn (at most MAX_WEIGHED)


class ProvenanceCases:
    """Mixed into Ledger: needs its database, incident_detail and scenario."""

    db: Database

    def incident_detail(self, incident_id: int) -> IncidentDetail:
        raise NotImplementedError  # ReadingCases'

    def scenario(self, name_or_path: Any = None) -> Scenario:
        raise NotImplementedError  # Ledger's

    def provenance(self, incident_id: int, detail: IncidentDetail | None = None) -> Provenance:
        """Where an incident's claims came from and what each did to it."""
        detail = detail or self.incident_detail(incident_id)
        try:
            scenario: Scenario | None = self.scenario()
        except NotFoundError:
            scenario = None
        extras = detail.extras if detail.extras is not None else \
            store_provenance.claim_extras(self.db, [c.id for c in detail.claims])
        return explain(detail, scenario, extras, self._actors(scenario))

    def prepare_provenance(self) -> None:
        """Read the scenario and build its actor dictionary ahead of the first incident
        asked for (26 and 3 ms, which that answer would otherwise pay)."""
        try:
            self._actors(self.scenario())
        except NotFoundError:
            self._actors(None)

    def _actors(self, scenario: Scenario | None) -> ActorDictionary:
        """The scenario's actor dictionary, built once per scenario in use (folding and
        compiling its aliases costs about 1 ms, as much as the rest of an account)."""
        kept: tuple[Scenario | None, ActorDictionary] | None = self.__dict__.get(
            "_provenance_actors")
        if kept is None or kept[0] is not scenario:
            kept = (scenario, ActorDictionary(scenario.actors.values() if scenario else ()))
            self.__dict__["_provenance_actors"] = kept
        return kept[1]


def explain(detail: IncidentDetail, scenario: Scenario | None,
            extras: dict[int, dict[str, Any]], actors: ActorDictionary | None = None
            ) -> Provenance:
    """The provenance of ``detail``'s incident (see the module's docstring); ``actors``,
    the scenario's actor dictionary when the caller keeps one."""
    reports = {report.id: report for report in detail.reports}
    origins = [_origin(claim, reports[claim.report_id], extras.get(claim.id, {}))
               for claim in detail.claims]
    claims = [claim.record for claim in detail.claims]
    if not claims:
        return Provenance(origins, [], [], [], [], 0)
    whole = _merged(claims)
    effects: list[Effect] = []
    weighed = min(len(claims), MAX_WEIGHED) if len(claims) > 1 else 0
    # The incident and each incident without one claim, judged with one frame of the
    # scenario (assess_each): assess() per incident built the frame, its actor dictionary
    # above all, each time. A lone claim is weighed against nothing: no judging at all.
    withouts = [_merged(claims[:n] + claims[n + 1:]) for n in range(weighed)]
    verdicts: list[Verdict | None] = (
        list(assess_each([whole, *withouts], scenario)) if scenario and weighed
        else [None] * (weighed + 1))
    verdict = verdicts[0]
    for n, without in enumerate(withouts):
        rest = claims[:n] + claims[n + 1:]
        other = verdicts[n + 1]
        changes = _changes(whole, verdict, without, other)
        if changes:
            flipped = verdict is not None and other is not None and verdict.kind != other.kind
            because = _because(claims[n], rest, whole, without, flipped)
            if verdict is not None and other is not None and flipped:
                # The verdict's own words for what this claim brought in.
                new = [r for r in verdict.reasons if r not in other.reasons]
                if new:
                    because.append(f"with it the verdict reads: {new[-1].rstrip('.')}")
            effects.append(Effect(detail.claims[n].id, tuple(changes), tuple(because)))
    if actors is None:
        actors = ActorDictionary(scenario.actors.values() if scenario else ())
    sides, disputes = _sides(whole, detail.claims, actors)
    return Provenance(origins, _merging(whole, detail.claims), effects, sides, disputes, weighed)


def _origin(claim: ClaimView, report: ReportView, extra: dict[str, Any]) -> ClaimOrigin:
    record: Claim = claim.record
    source, id_name = DATASETS.get(record.dataset or "", ("article", None))
    codes = {key: value for key, value in extra.items()
             if key not in ("actor2", "side_b", "Actor2Name", "SOURCEURL")}
    actor2 = extra.get("actor2") or extra.get("side_b") or extra.get("Actor2Name") or record.target
    return ClaimOrigin(
        claim_id=claim.id, source=source, id_name=id_name, external_id=record.external_id,
        url=extra.get("SOURCEURL") or report.url, report_id=report.id,
        report_title=report.title, actor1=record.perpetrator, actor2=actor2,
        notes=record.notes, codes=codes)


def _merged(claims: list[Claim]) -> Incident:
    """The incident the merge stage makes of exactly these claims."""
    first = claims[0]
    incident = Incident(event_type=first.event_type, event_date=first.event_date,
                        location=first.location, date_precision=first.date_precision,
                        claims=list(claims))
    reconcile(incident)
    return incident


def _toll(toll: Casualties) -> str:
    """'4', or '4 (0-4)' for a range; a missing high is the best, as merge reads it."""
    if not toll.known:
        return "unknown"
    high = toll.high if toll.high is not None else toll.best
    if toll.low == high == toll.best:
        return str(toll.best)
    toll = Casualties(low=toll.low, best=toll.best, high=high)
    def shown(n: int | None) -> str:
        return "?" if n is None else str(n)

    return f"{shown(toll.best)} ({shown(toll.low)}-{shown(toll.high)})"


def _changes(whole: Incident, verdict: Verdict | None, without: Incident,
             other: Verdict | None) -> list[str]:
    changes = []
    if verdict is not None and other is not None and verdict.kind != other.kind:
        changes.append(f"the verdict would be {other.kind.value}, not {verdict.kind.value}")
    for name in ("killed", "wounded"):
        mine, theirs = getattr(whole, name), getattr(without, name)
        if _figures(mine) != _figures(theirs):
            changes.append(f"{name} would be {_toll(theirs)}, not {_toll(mine)}")
    if whole.confidence != without.confidence:
        changes.append(f"the confidence would be {without.confidence.value}, "
                       f"not {whole.confidence.value}")
    if whole.perpetrator_actor != without.perpetrator_actor:
        changes.append(f"the perpetrator would be {without.perpetrator_actor or 'unknown'}, "
                       f"not {whole.perpetrator_actor or 'unknown'}")
    return changes


def _figures(toll: Casualties) -> tuple[int | None, int | None, int | None]:
    """low, best, high as merge reads them (a missing high is the best)."""
    return toll.low, toll.best, toll.high if toll.high is not None else toll.best


def _because(claim: Claim, rest: list[Claim], whole: Incident, without: Incident,
             verdict_changed: bool) -> list[str]:
    """What this claim brings that the rest do not, among what changed the reading: its
    perpetrator, target, date or place for the verdict; its figures for a toll; its
    sources for the grade."""
    said = []
    actors = {c.perpetrator_actor for c in rest if c.perpetrator_actor}
    attribution_changed = (verdict_changed or whole.confidence != without.confidence
                           or whole.perpetrator_actor != without.perpetrator_actor)
    if attribution_changed and claim.perpetrator_actor and claim.perpetrator_actor not in actors:
        said.append(f"it alone names {claim.perpetrator_actor} as the perpetrator"
                    + (f" ('{claim.perpetrator}')" if claim.perpetrator else ""))
    if verdict_changed and whole.target_actor != without.target_actor and claim.target_actor:
        said.append(f"it names the target {claim.target or claim.target_actor} "
                    f"({claim.target_actor})")
    for name in ("killed", "wounded"):
        toll: Casualties = getattr(claim, name)
        if _figures(getattr(whole, name)) != _figures(getattr(without, name)) and toll.known:
            others = [_toll(getattr(c, name)) for c in rest if getattr(c, name).known]
            said.append(f"it gives {name} {_toll(toll)}"
                        + (f" where the others give {', '.join(others)}" if others
                           else ", and no other claim gives a figure"))
    if verdict_changed and whole.event_date != without.event_date:
        said.append(f"its date ({claim.event_date}, to the {claim.date_precision or 'day'}) "
                    "is the most precise")
    if verdict_changed and whole.location != without.location and claim.location is not None:
        said.append(f"its place ({claim.location.name}, geo precision "
                    f"{claim.location.geo_precision}) is the most precise")
    if whole.confidence != without.confidence and len(whole.sources) != len(without.sources):
        extra = [s for s in claim.sources if s not in without.sources]
        if extra:
            said.append(f"it adds the source{'s' if len(extra) > 1 else ''} {', '.join(extra)}")
    return said


def _merging(whole: Incident, views: list[ClaimView]) -> list[str]:
    """How merging combined the claims, field by field (merge.reconcile's rules)."""
    claims = [(view.id, view.record) for view in views]
    if len(claims) == 1:
        return ["One claim: the incident is what it says."]
    lines = []
    types = Counter(c.event_type.value for _, c in claims)
    lines.append(f"Event type: {whole.event_type.value}, given by {types[whole.event_type.value]} "
                 f"of {len(claims)} claims (the most often given).")
    dated = [n for n, c in claims if (c.event_date, c.date_precision)
             == (whole.event_date, whole.date_precision)]
    if whole.event_date:
        lines.append(f"Date: {whole.event_date} ({whole.date_precision or 'day'}), the narrowest "
                     f"range, from claim {_ids(dated)}.")
    if whole.location:
        placed = [n for n, c in claims if c.location == whole.location]
        lines.append(f"Place: {whole.location.name}, the most precise (geo precision "
                     f"{whole.location.geo_precision}), from claim {_ids(placed)}.")
    for name in ("killed", "wounded"):
        known = [(n, getattr(c, name)) for n, c in claims if getattr(c, name).known]
        if not known:
            continue
        bests = [t.best for _, t in known if t.best is not None]
        middle = (f"the middle of {', '.join(str(b) for b in sorted(bests))}" if len(bests) > 1
                  else "the only figure")
        lines.append(f"{name.capitalize()}: {_toll(getattr(whole, name))}: best "
                     f"{middle}; low the lowest, high the highest of the "
                     f"{len(known)} claim{'s' if len(known) > 1 else ''} that give one "
                     f"({_ids([n for n, _ in known])}).")
    actors = sorted({c.perpetrator_actor for _, c in claims if c.perpetrator_actor})
    if len(actors) == 1:
        lines.append(f"Perpetrator: {actors[0]}, the only actor the claims name.")
    elif len(actors) > 1:
        lines.append(f"Perpetrator: the claims name {', '.join(actors)}: contested, none kept.")
    lines.append(f"Sources: every source the claims cite ({len(whole.sources)}); confidence "
                 f"{whole.confidence.value}.")
    return lines


def _ids(numbers: list[int]) -> str:
    if not numbers:
        return "none"
    shown = ", ".join(str(n) for n in numbers[:8])
    return shown + (f" and {len(numbers) - 8} more" if len(numbers) > 8 else "")


def _sides(whole: Incident, views: list[ClaimView], actors: ActorDictionary
           ) -> tuple[list[Side], list[str]]:
    """Each actor blamed, with the claims and sources that blame it, when the claims
    dispute who did it (attribution.attribute's reading); and the reports' words."""
    found = attribute(whole, actors)
    named = {c.record.perpetrator_actor for c in views if c.record.perpetrator_actor}
    if not found.contested and len(named) < 2:
        return [], []
    blamed = [a.id for a in found.contest] or sorted(named)
    sides = []
    for actor_id in blamed:
        mine = [c for c in views if c.record.perpetrator_actor == actor_id]
        sources = list(dict.fromkeys(s for c in mine for s in c.record.sources))
        actor = actors.get(actor_id)
        sides.append(Side(actor.name if actor else actor_id, tuple(c.id for c in mine),
                          tuple(sources)))
    for name in found.unnamed:
        sides.append(Side(name, (), ()))
    return sides, list(found.claims)
