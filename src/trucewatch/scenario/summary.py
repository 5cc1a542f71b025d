"""A scenario told in lines a person reads: who is who (roles, sub-units, what binds
whom and where), where each zone comes from, and each commitment's periods, ending,
monitors, weapon zones and cross-border reach. ``trucewatch scenario show`` prints it;
the tables of zones and commitments stay the command line's."""

from __future__ import annotations

from collections.abc import Iterable

from trucewatch.model import ActorRole, Agreement, Commitment, Scenario


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def _moment(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else "open"


def actor_lines(scenario: Scenario) -> list[str]:
    """One line per actor: its kind, role, parent, aliases and what binds it."""
    roles = {a: "monitor" for c in scenario.agreements for a in c.monitors}
    roles.update({a: "reporting" for c in scenario.agreements for a in c.reporting})
    lines = []
    for actor in scenario.actors.values():
        role = actor.role.value if actor.role is not ActorRole.BELLIGERENT \
            else roles.get(actor.id)
        bits = [actor.kind]
        if role:
            bits.append(f"role {role} (never the perpetrator)")
        if actor.part_of:
            parent = scenario.actors.get(actor.part_of)
            bits.append(f"part of {parent.name if parent else actor.part_of}")
        partial = dict(actor.bound_in)
        bound = [f"{c} (only in {_join(partial[c])})" if c in partial else c
                 for c in actor.bound_by]
        bound += [f"{c} (only in {_join(z)})" for c, z in actor.bound_in
                  if c not in actor.bound_by]
        if bound:
            bits.append(f"bound by {_join(bound)}")
        elif actor.part_of:
            bits.append("bound as its parent is")
        if actor.aliases:  # the first few: long lists of spellings drown the rest
            more = len(actor.aliases) - 4
            bits.append(f"also {_join(actor.aliases[:4])}"
                        + (f" and {more} more" if more > 0 else ""))
        lines.append(f"{actor.name} ({actor.id}): {'; '.join(bits)}")
    return lines


def zone_sources(scenario: Scenario) -> dict[str, str]:
    """Where each zone built in scenario.yaml comes from (a line's buffer, an area by
    reference); drawn polygons are absent."""
    return {z.id: z.description for z in scenario.zones.values() if z.description}


def commitment_lines(commitment: Commitment, scenario: Scenario) -> list[str]:
    """What format 2 adds to a commitment, a line each: periods, ending, roles, weapon
    zones, cross-border reach. Empty for a version 1 commitment."""
    name = scenario.actors
    lines = []
    for period in commitment.periods:
        decided = f", decided {period.decided}" if period.decided else ""
        lines.append(f"{period.kind}: {_moment(period.start)} → {_moment(period.end)}"
                     f"{decided} ({period.source})")
    if commitment.ended is not None:
        ended = commitment.ended
        lines.append(f"{ended.how} {_moment(ended.at)} ({ended.source})"
                     + (f": {ended.note}" if ended.note else ""))
    if isinstance(commitment, Agreement):
        for label, ids in (("parties", commitment.parties), ("guarantors", commitment.guarantors),
                           ("monitors", commitment.monitors),
                           ("reporting", commitment.reporting)):
            if ids:
                lines.append(f"{label}: "
                             + _join(name[a].name if a in name else a for a in ids))
    for rule in commitment.weapon_zones:
        calibre = ""
        if rule.min_calibre_mm is not None or rule.max_calibre_mm is not None:
            low = f"{rule.min_calibre_mm:g}" if rule.min_calibre_mm is not None else ""
            high = f"{rule.max_calibre_mm:g}" if rule.max_calibre_mm is not None else ""
            calibre = f", {low}-{high} mm" if low and high else (
                f", {low} mm and more" if low else f", up to {high} mm")
        lines.append(f"weapon zone{f' {rule.name}' if rule.name else ''}: "
                     f"{_join(sorted(w.value for w in rule.weapons))}{calibre} "
                     f"barred in {_join(rule.zones)}")
    if commitment.cross_border_zones:
        lines.append(f"cross-border: acts by its parties in {_join(commitment.cross_border_zones)}")
    elif commitment.cross_border:
        lines.append("cross-border: acts by its parties anywhere outside its zones")
    return lines
