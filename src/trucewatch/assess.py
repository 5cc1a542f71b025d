"""The verdict engine: incident x commitments in force that day x boundaries valid
that day -> a verdict with its reasons in sentences a person can read.

(Over 600 lines by choice: each rule and the sentence that gives it as a reason sit
together, so a reader checks a verdict's wording against the rule that made it in one
place. Bulk verdicts are :mod:`trucewatch.assess_batch`'s; which zones cover many points
at once, :mod:`trucewatch.geo.points`'.)

Every reason writes the incident's day as ``f"{day}"`` and compares it with the
scenario's moments only where :func:`verdict_days` knows of it: assess_batch judges a run
of days between two such moments once, with a day that writes itself as a marker.

Pure functions over the domain types; no I/O. Who did it and whom a commitment binds
(monitors set aside, disputed attributions, sub-units, partial commitments) is
:mod:`trucewatch.attribution`'s; which weapon was used, :mod:`trucewatch.weapons`'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from trucewatch.actors import ActorDictionary
from trucewatch.attribution import (
    Attribution,
    attribute,
    binding,
    judge_contest,
    lineage,
)
from trucewatch.bulk import gc_paused
from trucewatch.geo.points import covering_versions
from trucewatch.geo.zones import Relation, distance_to_edge_km, relate, uncertainty_km
from trucewatch.model import (
    Actor,
    BoundaryStatus,
    BoundaryVersion,
    Commitment,
    DatePrecision,
    EventType,
    Incident,
    Period,
    Place,
    Scenario,
    Verdict,
    VerdictKind,
    Zone,
    spans_cover,
)
from trucewatch.weapons import ReadWeapons, barred

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

# A commitment that ended less than this long before the day is named with its source
# when a verdict of no violation rests on it (_lately).
_LATELY = timedelta(days=365)

# Every act a weapon zone may bar: all but the map changing hands.
ALL_ACTS = frozenset(EventType) - {EventType.GOVERNMENT_REGAINS_TERRITORY,
                                   EventType.NON_STATE_TAKEOVER}

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


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every verdict against one scenario needs, built once per call."""

    scenario: Scenario
    actors: ActorDictionary
    # Commitments that also cover acts by their parties anywhere outside their zones.
    anywhere: tuple[Commitment, ...]
    # The scenario's order of zones: a bulk query finds them in the tree's order.
    zone_order: dict[str, int]
    # By id() of each commitment, worked out once: a million incidents ask again and again.
    own_zones: dict[int, frozenset[str]]
    all_zones: dict[int, frozenset[str]]
    spans: dict[int, tuple[tuple[datetime, datetime | None], ...]]
    words: dict[int, str]
    # relate() of a place's area (lat, lon, geo precision) to a boundary (by id), kept:
    # a dataset names a few hundred places on a million rows.
    relations: dict[tuple[float, float, int, int], Relation]
    # _in_force and _period_words by (id of the commitment, day[, part of the day]): a
    # bulk pass judges thousands of incidents of one day.
    in_force: dict[tuple[int, date, str | None], str] = field(default_factory=dict)
    period_words: dict[tuple[int, date | None], str] = field(default_factory=dict)

    def relate(self, place: Place, boundary: BoundaryVersion) -> Relation:
        assert place.lat is not None and place.lon is not None
        key = (place.lat, place.lon, place.geo_precision, id(boundary))
        found = self.relations.get(key)
        if found is None:
            found = self.relations[key] = relate(place, boundary.geometry)
        return found

    @classmethod
    def of(cls, scenario: Scenario) -> _Frame:
        commitments = scenario.commitments
        return cls(scenario, ActorDictionary(scenario.actors.values()),
                   tuple(c for c in commitments if c.cross_border),
                   {zone_id: n for n, zone_id in enumerate(scenario.zones)},
                   {id(c): frozenset(c.zones) for c in commitments},
                   {id(c): frozenset(c.all_zones) for c in commitments},
                   {id(c): c.spans() for c in commitments},
                   {id(c): _window_words(c) for c in commitments}, {})


def assess(incident: Incident, scenario: Scenario) -> Verdict:
    """Decide whether ``incident`` broke a commitment of ``scenario`` in force that day."""
    return _assess(incident, _Frame.of(scenario))


def assess_each(incidents: Iterable[Incident], scenario: Scenario) -> list[Verdict]:
    """assess() for each incident, the scenario's frame (its actor dictionary: about
    2 ms) built once; each incident judged alone, its zones tested one by one."""
    frame = _Frame.of(scenario)
    return [_assess(incident, frame) for incident in incidents]


def assess_many(incidents: list[Incident], scenario: Scenario) -> list[Verdict]:
    """Verdicts for many incidents: the zones around every incident known to the town
    are found for all at once over coordinate arrays (geo.points) instead of one test
    per zone each."""
    frame = _Frame.of(scenario)
    located, hits = covering_versions(incidents, scenario)
    with gc_paused():
        return [
            _assess(incident, frame, hits.get(i, []) if i in located else None)
            for i, incident in enumerate(incidents)
        ]


def verdict_days(scenario: Scenario) -> frozenset[date]:
    """The days on which a rule here may judge otherwise than on the day before: those
    holding a moment the rules compare the day with (a window, period or span opening or
    closing, an end, an end passing out of _LATELY, the point halfway between two edges
    of a commitment's periods where _period_words' nearest one changes) and the
    first day a boundary version holds or no longer holds. On every day of a run between
    two of them each comparison comes out the same, so an incident's verdict differs
    from its twin's on another day of the run only by the day it writes. A rule that
    compares the day with another moment must add it here (tests/test_assess_batch.py
    judges every day of the shipped scenarios both ways)."""
    moments: set[datetime] = set()
    for commitment in scenario.commitments:
        edges = [commitment.start, commitment.end,
                 *(m for span in commitment.spans() for m in span),
                 *(m for p in commitment.periods for m in (p.start, p.end))]
        if commitment.ended is not None:
            edges += [commitment.ended.at, commitment.ended.at + _LATELY]
        moments.update(m for m in edges if m is not None)
        if len(commitment.periods) > 1:
            # Between two edges next to each other (a, b) no period begins or ends: one
            # holds the day all through (the nearest), or none does, and then the
            # nearest is the one that ended at a until halfway to b, then the one that
            # begins at b. Halfway between edges further apart changes nothing.
            ends = sorted({m for p in commitment.periods for m in (p.start, p.end)
                           if m is not None})
            moments |= {a + (b - a) / 2 for a, b in pairwise(ends)}
    days = {moment.date() for moment in moments}
    for zone in scenario.zones.values():
        for version in zone.versions:
            days.add(version.valid_from)
            if version.valid_to is not None:  # inclusive: the day after no longer holds
                days.add(version.valid_to + timedelta(days=1))
    return frozenset(days)


def _assess(
    incident: Incident, frame: _Frame,
    point_zones: list[tuple[Zone, BoundaryVersion]] | None = None,
) -> Verdict:
    scenario = frame.scenario
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
        inside = sorted(
            (_ZoneHit(zone, version) for zone, version in point_zones if version.valid_on(day)),
            key=lambda hit: frame.zone_order.get(hit.zone.id, 0))
    else:
        for zone in scenario.zones.values():
            boundary = zone.boundary_on(day)
            if boundary is None:
                continue
            relation = frame.relate(place, boundary)
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
        who = attribute(incident, frame.actors) if frame.anywhere else Attribution()
        beyond = [c for c in _beyond_zones(frame, who, set())
                  if _in_force(c, day, incident.day_part, frame) != "no"]
        if not beyond:
            return _outside_every_zone(incident, frame, day, point_zones)
        reasons = [f"{place.name} lies outside every zone whose boundary was valid on {day}, "
                   f"but {_join(c.name for c in beyond)} also "
                   f"{'covers' if len(beyond) == 1 else 'cover'} acts by "
                   f"{'its' if len(beyond) == 1 else 'their'} parties beyond "
                   f"{'its' if len(beyond) == 1 else 'their'} zones."]
        return _judge(incident, frame, who, beyond, [], set(), reasons)

    who = attribute(incident, frame.actors)
    zone_ids = {hit.zone.id for hit in inside}
    reasons = [_location_sentence(place.name, inside)]
    covering = [c for c in scenario.commitments if not frame.all_zones[id(c)].isdisjoint(zone_ids)]
    covering += [c for c in _beyond_zones(frame, who, zone_ids) if c not in covering]
    return _judge(incident, frame, who, covering, inside, zone_ids, reasons)


def _beyond_zones(frame: _Frame, who: Attribution, zone_ids: set[str]) -> list[Commitment]:
    """The commitments with ``cross_border: true`` that bind an actor the incident is laid
    to, where the incident lies outside their own zones."""
    blamed = [who.actor] if who.actor is not None else who.contest
    return [c for c in frame.anywhere if frame.own_zones[id(c)].isdisjoint(zone_ids)
            and any(binding(c, actor, zone_ids, frame.actors)[0] for actor in blamed)]


def _judge(incident: Incident, frame: _Frame, who: Attribution, covering: list[Commitment],
           inside: list[_ZoneHit], zone_ids: set[str], reasons: list[str]) -> Verdict:
    day = incident.event_date
    assert day is not None
    reasons = reasons + who.set_aside
    in_force = [(c, _in_force(c, day, incident.day_part, frame)) for c in covering]
    in_force = [(c, certainty) for c, certainty in in_force if certainty != "no"]

    if not in_force:
        return _nothing_in_force(covering, zone_ids, day, reasons)

    weapons = ReadWeapons(incident)
    outcomes = [
        _judge_commitment(incident, c, certainty, inside, zone_ids, frame, who, weapons)
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
    day_start = datetime.combine(day, time.min)
    held = {id(c) for c, _ in in_force}
    # Another commitment held here but had lapsed or ended: named with its end date only,
    # unless the verdict is no violation and it lapsed lately (then it is why: its source).
    decided = best in (VerdictKind.VIOLATION, VerdictKind.PROBABLE_VIOLATION)
    lapsed = [_lapse(c, day_start, brief=decided or not _lately(c, day_start))
              for c in covering if id(c) not in held]
    if any(lapsed):
        reasons.append("Not in force that day: " + "; ".join(x for x in lapsed if x) + ".")
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


def _in_force(commitment: Commitment, day: date, day_part: str | None,
              frame: _Frame | None = None) -> str:
    """'yes', 'no' or 'maybe' (the window opens or closes during a day whose hour is unknown)."""
    if frame is None:
        return _in_force_on(commitment.spans(), day, day_part)
    key = (id(commitment), day, day_part)
    found = frame.in_force.get(key)
    if found is None:
        found = frame.in_force[key] = _in_force_on(frame.spans[id(commitment)], day, day_part)
    return found


def _in_force_on(spans: tuple[tuple[datetime, datetime | None], ...], day: date,
                 day_part: str | None) -> str:
    day_start = datetime.combine(day, time.min)
    coverage = spans_cover(spans, day_start, day_start + timedelta(days=1))
    if coverage != "part":
        return "yes" if coverage == "all" else "no"
    hours = DAY_PARTS.get(day_part or "")
    if hours is None:
        return "maybe"
    start = day_start + timedelta(hours=hours[0])
    end = day_start + timedelta(hours=hours[1])
    return {"all": "yes", "none": "no"}.get(spans_cover(spans, start, end), "maybe")


def _weapon_rule(commitment: Commitment, zone_ids: set[str], weapons: ReadWeapons,
                 scenario: Scenario) -> tuple[str, str | None]:
    """Whether a weapon zone of the commitment here bars what was used (weapons.barred)."""
    rules = [rule for rule in commitment.weapon_zones if zone_ids & set(rule.zones)]
    if not rules:
        return "none", None
    names = {z: scenario.zones[z].name for z in zone_ids if z in scenario.zones}
    return barred(rules, zone_ids, names, weapons.read)


def _judge_commitment(
    incident: Incident,
    commitment: Commitment,
    certainty: str,
    inside: list[_ZoneHit],
    zone_ids: set[str],
    frame: _Frame,
    who: Attribution,
    weapons: ReadWeapons,
) -> tuple[VerdictKind, list[str]]:
    day = incident.event_date
    act = incident.event_type.value.lower()
    if len(commitment.periods) <= 1:
        window = frame.words[id(commitment)]
    else:
        window = frame.period_words.get((id(commitment), day)) or frame.period_words.setdefault(
            (id(commitment), day), _period_words(commitment, day))
    if certainty == "maybe":
        opening = f"{commitment.name} ({window}) was in force for only part of {day}"
        lead = f"{opening}, and the hour of the incident is not known"
    else:
        lead = f"{commitment.name} was in force on {day} ({window})"

    # Where it applies here: its own zones, or only across a border (acts by its parties).
    own = not frame.own_zones[id(commitment)].isdisjoint(zone_ids)
    across = not own and (bool(zone_ids & set(commitment.cross_border_zones))
                          or commitment.cross_border)
    general = (own or across) and incident.event_type in commitment.prohibited
    barred, weapon_sentence = "none", None
    if incident.event_type in ALL_ACTS:
        barred, weapon_sentence = _weapon_rule(commitment, zone_ids, weapons, frame.scenario)
    if general:
        lead = f"{lead} and prohibits {act} there."
        extra = [weapon_sentence] if barred == "yes" and weapon_sentence else []
    elif barred == "yes":
        lead = f"{lead}."
        extra = [weapon_sentence] if weapon_sentence else []
    elif barred == "maybe":
        return VerdictKind.UNDETERMINED, [f"{lead}.", weapon_sentence or ""]
    else:
        tail = [weapon_sentence] if weapon_sentence else []
        return VerdictKind.NOT_VIOLATION, [f"{lead} but does not prohibit {act}.", *tail]

    actors = frame.actors
    target = actors.get(incident.target_actor)
    # A sub-unit of an excluded group is excluded with it.
    if target is not None and any(a.id in commitment.excluded for a in lineage(target, actors)):
        return VerdictKind.NOT_VIOLATION, [
            lead, *extra,
            f"The target, {target.name}, is excluded from {commitment.name}: attacks on it "
            "are not violations.",
        ]

    if who.contested:
        kind, said = judge_contest(commitment, certainty == "yes", zone_ids, frame.actors,
                                   who)
        return _cap_for_disputed_edge(kind, incident, inside, [lead, *extra, *said])
    perpetrator = who.actor
    if perpetrator is not None:
        if perpetrator.id in commitment.excluded:
            return VerdictKind.NOT_VIOLATION, [
                lead, *extra,
                f"{perpetrator.name} is not a party to {commitment.name}, so its attacks are "
                "not violations of it.",
            ]
        bound, how = binding(commitment, perpetrator, zone_ids, actors)
        how_words = f" ({how})" if how else ""
        if not bound:
            return VerdictKind.NOT_VIOLATION, [
                lead, *extra,
                f"{perpetrator.name} {_be(perpetrator.name)} not bound by {commitment.name}"
                f"{how_words}."
            ]
        kind = VerdictKind.VIOLATION if certainty == "yes" else VerdictKind.UNDETERMINED
        return _cap_for_disputed_edge(kind, incident, inside, [
            lead, *extra, f"{perpetrator.name} {_be(perpetrator.name)} bound by it{how_words}."
        ])

    if across:
        return VerdictKind.UNDETERMINED, [
            lead, *extra, f"There {commitment.name} covers only acts by its parties, and the "
            "report does not say who carried it out."
        ]
    if incident.event_type is EventType.AIR_STRIKE:
        return _attribute_air_strike(incident, commitment, certainty, inside, zone_ids, frame,
                                     " ".join([lead, *extra]))
    if who.set_aside:
        unknown = "Nobody else is named as having carried it out"
    elif incident.perpetrator:
        unknown = (f"Could not tell who carried it out ('{incident.perpetrator}' is not a known "
                   "actor)")
    else:
        unknown = "The report does not say who carried it out"
    return VerdictKind.UNDETERMINED, [
        lead, *extra, f"{unknown}, so it cannot be said whether a party bound by it did."
    ]


def _attribute_air_strike(
    incident: Incident,
    commitment: Commitment,
    certainty: str,
    inside: list[_ZoneHit],
    zone_ids: set[str],
    frame: _Frame,
    lead: str,
) -> tuple[VerdictKind, list[str]]:
    """An air strike where only some parties fly aircraft is attributable to them."""
    flyers = [actor for actor in frame.scenario.actors.values()
              if actor.flies_in(zone_ids) and not actor.never_perpetrator]
    bound = [actor for actor in flyers
             if binding(commitment, actor, zone_ids, frame.actors)[0]]
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


def binds(commitment: Commitment, actor: Actor, zone_ids: set[str] | None = None) -> bool:
    """Whether the commitment binds the actor itself (without its parents); a partial
    commitment only where ``zone_ids`` holds one of its zones. The verdicts use
    attribution.binding, which follows part_of."""
    return binding(commitment, actor, zone_ids)[0]


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


def _outside_every_zone(incident: Incident, frame: _Frame, day: date,
                        point_zones: list[tuple[Zone, BoundaryVersion]] | None) -> Verdict:
    place = incident.location
    assert place is not None
    if point_zones is not None:  # the bulk query found every version of any date around it
        later = sorted(((zone, version) for zone, version in point_zones
                        if version.valid_from > day),
                       key=lambda pair: (frame.zone_order.get(pair[0].id, 0),
                                         pair[1].valid_from))
    else:
        later = [
            (zone, version)
            for zone in frame.scenario.zones.values()
            for version in zone.versions
            if version.valid_from > day and frame.relate(place, version) is Relation.INSIDE
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
    lapses = [_lapse(c, day_start) for c in covering if c.start <= day_start]
    if lapses and all(lapses):  # each ended or lapsed as the scenario records, with a source
        reasons.append(f"No agreement or declaration covering it was in force on {day}: "
                       + "; ".join(lapse for lapse in lapses if lapse) + ".")
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


def _lately(commitment: Commitment, day_start: datetime) -> bool:
    """Whether the commitment is in a gap between its periods, or ended within a year."""
    ended = commitment.ended
    if ended is not None and day_start >= ended.at:
        return day_start - ended.at < _LATELY
    return any(p.start > day_start for p in commitment.periods)


def _lapse(commitment: Commitment, day_start: datetime, brief: bool = False) -> str | None:
    """How a commitment recorded as ending or lapsing was out of force on the day, or
    None when the scenario does not say (its end passed; it may have been extended).
    ``brief``: its name and end date only, for one that is not what decides the verdict."""
    ended = commitment.ended
    if ended is not None and day_start >= ended.at:
        if brief:
            return f"{commitment.name} ({ended.how} {ended.at:%Y-%m-%d})"
        return f"{commitment.name} {ended.how} on {ended.at:%Y-%m-%d %H:%M} ({ended.source})"
    later = [p for p in commitment.periods if p.start > day_start]
    before = [end for _, end in commitment.spans() if end is not None and end <= day_start]
    if later and before:
        if brief:
            return (f"{commitment.name} (lapsed {max(before):%Y-%m-%d}, resumed "
                    f"{later[0].start:%Y-%m-%d})")
        return (f"{commitment.name} had lapsed on {max(before):%Y-%m-%d %H:%M} and resumed "
                f"only on {later[0].start:%Y-%m-%d %H:%M} ({later[0].kind}: {later[0].source})")
    return None


def _location_sentence(place_name: str, inside: list[_ZoneHit]) -> str:
    parts = [
        f"the {hit.zone.name} ({hit.boundary.status} boundary valid from "
        f"{hit.boundary.valid_from}{', approximate' if hit.boundary.approximate else ''})"
        for hit in inside
    ]
    return f"{place_name} lies in {_join(parts)}."


_CHANGED = {"renewal": "renewed", "extension": "extended", "resumption": "resumed"}


def _window_words(commitment: Commitment) -> str:
    start = f"from {commitment.start:%Y-%m-%d %H:%M}"
    if len(commitment.periods) > 1:  # "from A until B, renewed 2022-06-02 and extended ..."
        changes = _join(f"{_CHANGED.get(p.kind, p.kind)} {p.start:%Y-%m-%d}"
                        for p in commitment.periods[1:])
        start = f"{start}, {changes}"
    if commitment.end is None:
        return start
    return f"{start} until {commitment.end:%Y-%m-%d %H:%M}"


def _period_words(commitment: Commitment, day: date | None) -> str:
    """The one period in force on the day (or the nearest, when the day is in a gap or
    straddles two): when it ran and who said so, and how many periods there were."""
    periods = commitment.periods
    moment = datetime.combine(day, time.min) if day is not None else periods[0].start

    def distance(period: Period) -> float:
        if period.start <= moment and (period.end is None or moment < period.end):
            return 0.0
        edge = period.start if moment < period.start or period.end is None else period.end
        return abs((moment - edge).total_seconds())

    period = min(periods, key=distance)
    how = _CHANGED.get(period.kind, "its first period")
    until = f" until {period.end:%Y-%m-%d %H:%M}" if period.end is not None else ""
    return (f"{how} from {period.start:%Y-%m-%d %H:%M}{until}: {period.source}; "
            f"{len(periods)} periods in all")


def _be(name: str) -> str:
    """'are' for plural actor names ("Syrian government forces"), else 'is'."""
    return "are" if name.rstrip().endswith("s") else "is"


def _join(items: Iterable[str]) -> str:
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
