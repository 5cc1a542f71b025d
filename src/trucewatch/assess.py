"""The verdict engine: incident x commitments in force that day x boundaries valid
that day -> a verdict with its reasons in sentences a person can read.

Pure functions over the domain types; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import shapely

from trucewatch.actors import ActorDictionary
from trucewatch.bulk import gc_paused
from trucewatch.geo.zones import Relation, distance_to_edge_km, relate, uncertainty_km
from trucewatch.model import (
    Actor,
    Agreement,
    BoundaryStatus,
    BoundaryVersion,
    Commitment,
    DatePrecision,
    Declaration,
    EventType,
    Incident,
    Scenario,
    Verdict,
    VerdictKind,
    Zone,
)

# A point this close to the edge of a disputed boundary may lie on either side of it.
DISPUTED_EDGE_KM = 10.0

# Hours a stated part of the day covers, to set it against windows that open or
# close at noon or midnight.
DAY_PARTS: dict[str, tuple[int, int]] = {
    "night": (0, 6),
    "morning": (6, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
}

# Strength of each verdict when several commitments apply: the strongest wins.
_RANK = {
    VerdictKind.NOT_VIOLATION: 0,
    VerdictKind.UNDETERMINED: 1,
    VerdictKind.PROBABLE_VIOLATION: 2,
    VerdictKind.VIOLATION: 3,
}


@dataclass(frozen=True, slots=True)
class _ZoneHit:
    zone: Zone
    boundary: BoundaryVersion


def assess(incident: Incident, scenario: Scenario) -> Verdict:
    """Decide whether ``incident`` broke a commitment of ``scenario`` in force that day."""
    actors = ActorDictionary(scenario.actors.values())
    return _assess(incident, scenario, actors)


def assess_many(incidents: list[Incident], scenario: Scenario) -> list[Verdict]:
    """Verdicts for many incidents: the zones around every incident known to the town
    are found in one vectorised STRtree query instead of one test per zone each."""
    actors = ActorDictionary(scenario.actors.values())
    with gc_paused():
        located, hits = _covering_versions(incidents, scenario)
        return [
            _assess(incident, scenario, actors,
                    hits.get(i, []) if i in located else None)
            for i, incident in enumerate(incidents)
        ]


def covering_versions(
    incidents: list[Incident], scenario: Scenario
) -> tuple[set[int], dict[int, list[tuple[Zone, BoundaryVersion]]]]:
    """The incidents located to a point (geo precision 1), and for those inside any zone,
    the boundary versions of any date that cover them, by index. Incidents not located
    to a point are left to relate() one by one."""
    with gc_paused():
        return _covering_versions(incidents, scenario)


def _covering_versions(
    incidents: list[Incident], scenario: Scenario
) -> tuple[set[int], dict[int, list[tuple[Zone, BoundaryVersion]]]]:
    versions = [(zone, version) for zone in scenario.zones.values() for version in zone.versions]
    located: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    for i, incident in enumerate(incidents):  # one pass: this loop is most of the cost
        place = incident.location
        if place is not None and place.geo_precision == 1 and place.lat is not None \
                and place.lon is not None:
            located.append(i)
            lons.append(place.lon)
            lats.append(place.lat)
    hits: dict[int, list[tuple[Zone, BoundaryVersion]]] = {}
    if not versions or not located:
        return set(located), hits
    tree = shapely.STRtree([version.geometry for _, version in versions])
    points = shapely.points(np.array(lons), np.array(lats))
    # For points, "intersects" is "covered_by" (edges count as inside), and faster.
    point_index, version_index = tree.query(points, predicate="intersects")
    for p, v in zip(point_index.tolist(), version_index.tolist(), strict=True):
        hits.setdefault(located[p], []).append(versions[v])
    return set(located), hits


def _assess(
    incident: Incident, scenario: Scenario, actors: ActorDictionary,
    point_zones: list[tuple[Zone, BoundaryVersion]] | None = None,
) -> Verdict:
    place = incident.location
    day = incident.event_date
    if day is None:
        return Verdict(
            VerdictKind.UNDETERMINED,
            reasons=("The date of the incident is unknown, so it cannot be set against the "
                     "agreements in force.",),
        )
    if place is None or not place.has_point:
        where = f"'{place.name}'" if place else "the place of the incident"
        return Verdict(
            VerdictKind.UNDETERMINED,
            reasons=(f"Could not locate {where}, so it cannot be set against the zones.",),
        )

    inside: list[_ZoneHit] = []
    straddled: list[_ZoneHit] = []
    if point_zones is not None:  # known from a bulk query: a point, so nothing straddles
        inside = [
            _ZoneHit(zone, version) for zone, version in point_zones if version.valid_on(day)
        ]
    else:
        for zone in scenario.zones.values():
            boundary = zone.boundary_on(day)
            if boundary is None:
                continue
            relation = relate(place, boundary.geometry)
            if relation is Relation.INSIDE:
                inside.append(_ZoneHit(zone, boundary))
            elif relation is Relation.STRADDLES:
                straddled.append(_ZoneHit(zone, boundary))

    if not inside:
        if straddled:
            names = _join(hit.zone.name for hit in straddled)
            return Verdict(
                VerdictKind.UNDETERMINED,
                zones=tuple(hit.zone.id for hit in straddled),
                reasons=(
                    f"{place.name} is known only to within about {uncertainty_km(place):.0f} km "
                    f"(geo precision {place.geo_precision}), an area that crosses the boundary "
                    f"of {names} on {day}; it cannot be said on which side the incident fell.",
                ),
            )
        return _outside_every_zone(incident, scenario, day)

    zone_ids = {hit.zone.id for hit in inside}
    reasons = [_location_sentence(place.name, inside)]
    covering = [c for c in scenario.commitments if zone_ids & set(c.zones)]
    in_force = [(c, _in_force(c, day, incident.day_part)) for c in covering]
    in_force = [(c, certainty) for c, certainty in in_force if certainty != "no"]

    if not in_force:
        return _nothing_in_force(covering, zone_ids, day, reasons)

    outcomes = [
        _judge_commitment(incident, c, certainty, inside, actors, scenario)
        for c, certainty in in_force
    ]
    best = max((kind for kind, _ in outcomes), key=_RANK.__getitem__)
    # One reason per commitment: what it prohibits, and why it was or was not broken.
    reasons.extend(" ".join(sentences) for _, sentences in outcomes)
    if best in (VerdictKind.VIOLATION, VerdictKind.PROBABLE_VIOLATION):
        caveat = _precision_caveat(incident, inside)
        if caveat:
            best = VerdictKind.PROBABLE_VIOLATION
            reasons.append(caveat)
    broken = tuple(
        c.id
        for (c, _), (kind, _) in zip(in_force, outcomes, strict=True)
        if kind in (VerdictKind.VIOLATION, VerdictKind.PROBABLE_VIOLATION)
    )
    return Verdict(
        best,
        zones=tuple(sorted(zone_ids)),
        agreements=broken or tuple(c.id for c, _ in in_force),
        reasons=tuple(reasons),
    )


def _in_force(commitment: Commitment, day: date, day_part: str | None) -> str:
    """'yes', 'no' or 'maybe' (the window opens or closes during a day whose hour is unknown)."""
    coverage = commitment.window_on(day)
    if coverage != "part":
        return "yes" if coverage == "all" else "no"
    hours = DAY_PARTS.get(day_part or "")
    if hours is None:
        return "maybe"
    start = datetime.combine(day, time.min) + timedelta(hours=hours[0])
    end = datetime.combine(day, time.min) + timedelta(hours=hours[1])
    opens_before = commitment.start <= start
    closes_after = commitment.end is None or commitment.end >= end
    if opens_before and closes_after:
        return "yes"
    if commitment.start >= end or (commitment.end is not None and commitment.end <= start):
        return "no"
    return "maybe"


def _judge_commitment(
    incident: Incident,
    commitment: Commitment,
    certainty: str,
    inside: list[_ZoneHit],
    actors: ActorDictionary,
    scenario: Scenario,
) -> tuple[VerdictKind, list[str]]:
    day = incident.event_date
    act = incident.event_type.value.lower()
    window = _window_words(commitment)
    if certainty == "maybe":
        opening = f"{commitment.name} ({window}) was in force for only part of {day}"
        lead = f"{opening}, and the hour of the incident is not known"
    else:
        lead = f"{commitment.name} was in force on {day} ({window})"

    if incident.event_type not in commitment.prohibited:
        return VerdictKind.NOT_VIOLATION, [f"{lead} but does not prohibit {act}."]
    lead = f"{lead} and prohibits {act} there."

    target = actors.get(incident.target_actor)
    if target is not None and target.id in commitment.excluded:
        return VerdictKind.NOT_VIOLATION, [
            lead,
            f"The target, {target.name}, is excluded from {commitment.name}: attacks on it "
            "are not violations.",
        ]

    perpetrator = actors.get(incident.perpetrator_actor)
    if perpetrator is not None:
        if perpetrator.id in commitment.excluded:
            return VerdictKind.NOT_VIOLATION, [
                lead,
                f"{perpetrator.name} is not a party to {commitment.name}, so its attacks are "
                "not violations of it.",
            ]
        if not binds(commitment, perpetrator):
            return VerdictKind.NOT_VIOLATION, [
                lead, f"{perpetrator.name} {_be(perpetrator.name)} not bound by {commitment.name}."
            ]
        kind = VerdictKind.VIOLATION if certainty == "yes" else VerdictKind.UNDETERMINED
        return _cap_for_disputed_edge(kind, incident, inside, [
            lead, f"{perpetrator.name} {_be(perpetrator.name)} bound by it."
        ])

    if incident.event_type is EventType.AIR_STRIKE:
        return _attribute_air_strike(incident, commitment, certainty, inside, scenario, lead)
    if incident.perpetrator:
        unknown = (f"Could not tell who carried it out ('{incident.perpetrator}' is not a known "
                   "actor)")
    else:
        unknown = "The report does not say who carried it out"
    return VerdictKind.UNDETERMINED, [
        lead, f"{unknown}, so it cannot be said whether a party bound by it did."
    ]


def _attribute_air_strike(
    incident: Incident,
    commitment: Commitment,
    certainty: str,
    inside: list[_ZoneHit],
    scenario: Scenario,
    lead: str,
) -> tuple[VerdictKind, list[str]]:
    """An air strike where only some parties fly aircraft is attributable to them."""
    zone_ids = {hit.zone.id for hit in inside}
    flyers = [actor for actor in scenario.actors.values() if actor.flies_in(zone_ids)]
    bound = [actor for actor in flyers if binds(commitment, actor)]
    names = _join(actor.name for actor in flyers)
    if flyers and len(bound) == len(flyers):
        kind = (
            VerdictKind.PROBABLE_VIOLATION if certainty == "yes" else VerdictKind.UNDETERMINED
        )
        verb = "flies" if len(flyers) == 1 else "fly"
        also = "it is" if len(flyers) == 1 else "all are"
        return _cap_for_disputed_edge(kind, incident, inside, [
            lead,
            f"The report does not say whose aircraft struck; only {names} {verb} aircraft "
            f"here and {also} bound by it, so the strike is attributed to them as probable.",
        ])
    if not flyers:
        return VerdictKind.UNDETERMINED, [
            lead, "The report does not say whose aircraft struck, and the scenario names no "
            "actor that flies aircraft."
        ]
    unbound = [actor.name for actor in flyers if actor not in bound]
    return VerdictKind.UNDETERMINED, [
        lead,
        f"The report does not say whose aircraft struck, and not every actor that flies "
        f"aircraft is bound by it ({_join(unbound)} {'is' if len(unbound) == 1 else 'are'} not).",
    ]


def binds(commitment: Commitment, actor: Actor) -> bool:
    if actor.id in commitment.excluded:
        return False
    if commitment.id in actor.bound_by:
        return True
    if isinstance(commitment, Declaration):
        return commitment.actor == actor.id
    if isinstance(commitment, Agreement):
        return actor.id in commitment.parties
    return False


def _cap_for_disputed_edge(
    kind: VerdictKind, incident: Incident, inside: list[_ZoneHit], reasons: list[str]
) -> tuple[VerdictKind, list[str]]:
    if kind is not VerdictKind.VIOLATION or incident.location is None:
        return kind, reasons
    for hit in inside:
        if hit.boundary.status is not BoundaryStatus.DISPUTED:
            continue
        distance = distance_to_edge_km(incident.location, hit.boundary.geometry)
        if distance < DISPUTED_EDGE_KM:
            reasons.append(
                f"{incident.location.name} lies {distance:.0f} km from the edge of the "
                f"{hit.zone.name} boundary, which was disputed on {incident.event_date}."
            )
            return VerdictKind.PROBABLE_VIOLATION, reasons
    return kind, reasons


def _precision_caveat(incident: Incident, inside: list[_ZoneHit]) -> str | None:
    if incident.date_precision not in (None, DatePrecision.DAY):
        return (f"The date is known only to the {incident.date_precision}, so the verdict is "
                "probable, not certain.")
    return None


def _outside_every_zone(incident: Incident, scenario: Scenario, day: date) -> Verdict:
    place = incident.location
    assert place is not None
    later = [
        (zone, version)
        for zone in scenario.zones.values()
        for version in zone.versions
        if version.valid_from > day and relate(place, version.geometry) is Relation.INSIDE
    ]
    if later:
        zone, version = min(later, key=lambda pair: pair[1].valid_from)
        return Verdict(
            VerdictKind.NOT_VIOLATION,
            zones=(zone.id,),
            reasons=(
                f"{place.name} lies in the {zone.name} as drawn from {version.valid_from}, "
                f"but the incident on {day} predates that boundary; no agreement or "
                "declaration covered it that day.",
            ),
        )
    return Verdict(
        VerdictKind.OUTSIDE_ZONES,
        reasons=(f"{place.name} lies outside every zone whose boundary was valid on {day}.",),
    )


def _nothing_in_force(
    covering: list[Commitment], zone_ids: set[str], day: date, reasons: list[str]
) -> Verdict:
    day_start = datetime.combine(day, time.min)
    if all(c.start > day_start for c in covering):
        first = min(covering, key=lambda c: c.start) if covering else None
        reasons.append(
            f"No agreement or declaration covering it was in force on {day}"
            + (f"; {first.name} took effect on {first.start:%Y-%m-%d %H:%M}." if first else ".")
        )
        return Verdict(VerdictKind.NOT_VIOLATION, zones=tuple(sorted(zone_ids)),
                       reasons=tuple(reasons))
    ended = [c for c in covering if c.end is not None and c.end <= day_start]
    reasons.append(
        f"No agreement or declaration covering it was in force on {day}"
        + (f" ({_join(c.name + ' ended ' + f'{c.end:%Y-%m-%d %H:%M}' for c in ended)}); "
           if ended else "; ")
        + "check whether it was extended."
    )
    return Verdict(VerdictKind.UNDETERMINED, zones=tuple(sorted(zone_ids)), reasons=tuple(reasons))


def _location_sentence(place_name: str, inside: list[_ZoneHit]) -> str:
    parts = [
        f"the {hit.zone.name} ({hit.boundary.status} boundary valid from "
        f"{hit.boundary.valid_from}{', approximate' if hit.boundary.approximate else ''})"
        for hit in inside
    ]
    return f"{place_name} lies in {_join(parts)}."


def _window_words(commitment: Commitment) -> str:
    start = f"from {commitment.start:%Y-%m-%d %H:%M}"
    if commitment.end is None:
        return start
    return f"{start} until {commitment.end:%Y-%m-%d %H:%M}"


def _be(name: str) -> str:
    """'are' for plural actor names ("Syrian government forces"), else 'is'."""
    return "are" if name.rstrip().endswith("s") else "is"


def _join(items: Iterable[str]) -> str:
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
