"""Claims -> incidents: the same event told by several reports or datasets becomes one
incident.

Two claims describe the same event when they share the kind of violence (the same ACLED
sub-event type, or the same family when one of them comes from a coarse code such as a
GDELT 19x), the place (same name, or within ``SAME_PLACE_KM``), the day or an overlapping
date range, and compatible actors. They stay apart when the reports show a difference:
another time of day, another target, another weapon (two exact sub-event types), another
perpetrator as two datasets' coders recorded it, or two rows of one curated dataset (ACLED
and UCDP code each event once, so two of their rows are two events by the coders'
decision). Outlets that blame different parties for one strike stay together, and the
incident is graded contested.

Merging is blocked by (day, grid cell) and (day, place name) buckets, so each claim is
compared with the few incidents near it on its days and never with all of them: a day of
100,000 GDELT rows merges in seconds. An analyst's split or join (``MergeRules``) wins
over all of this. Tolls are reconciled as UCDP GED does (lowest credible, best, highest
credible) and confidence is graded as Airwars does.
"""

from __future__ import annotations

import calendar
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from trucewatch.bulk import gc_paused
from trucewatch.geo.zones import KM_PER_DEGREE, km_between
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    Casualties,
    Claim,
    Confidence,
    DatePrecision,
    EventType,
    Incident,
    Place,
)

SAME_PLACE_KM = 5.0
# Grid cells of 0.05 degree (5.5 km north-south): a claim is compared with incidents in
# its cell and the cells around it that SAME_PLACE_KM can reach (one row up and down, and
# as many columns as a degree of longitude shrinks at its latitude).
CELL_DEGREES = 0.05
# A date range longer than this (a UCDP event known only to the year) is too vague to be
# matched with anything: it stays an incident of its own.
MAX_RANGE_DAYS = 31
# Datasets whose coders already merged reports: two of their rows are two events.
CURATED = frozenset({"acled", "ucdp"})

_E = EventType
REMOTE = "Explosions/Remote violence"
FAMILIES: dict[EventType, str] = {
    **dict.fromkeys((_E.AIR_STRIKE, _E.SHELLING, _E.REMOTE_EXPLOSIVE, _E.SUICIDE_BOMB,
                     _E.GRENADE, _E.CHEMICAL_WEAPON), REMOTE),
    **dict.fromkeys((_E.ARMED_CLASH, _E.GOVERNMENT_REGAINS_TERRITORY, _E.NON_STATE_TAKEOVER),
                    "Battles"),
    **dict.fromkeys((_E.ATTACK, _E.ABDUCTION, _E.SEXUAL_VIOLENCE),
                    "Violence against civilians"),
}


@dataclass(slots=True)
class MergeRules:
    """Analysts' decisions as the merger applies them, by claim id: ``apart`` pairs never
    share an incident; claims with the same ``group`` always do."""

    apart: dict[int, set[int]] = field(default_factory=dict)
    group: dict[int, int] = field(default_factory=dict)

    def keep_apart(self, first: Iterable[int], second: Iterable[int]) -> None:
        second = set(second)
        for a in first:
            self.apart.setdefault(a, set()).update(second)
            for b in second:
                self.apart.setdefault(b, set()).add(a)

    def bring_together(self, claim_ids: Iterable[int], label: int) -> None:
        """All these claims (and those already grouped with any of them) share ``label``;
        a join overrides an earlier split between them."""
        chosen = set(claim_ids)
        old_labels = {self.group[c] for c in chosen if c in self.group}
        for claim_id, old in list(self.group.items()):
            if old in old_labels:
                chosen.add(claim_id)
        for claim_id in chosen:
            self.group[claim_id] = label
            if claim_id in self.apart:
                self.apart[claim_id] -= chosen

    def take_out(self, claim_ids: Iterable[int], label: int) -> None:
        """A split: these claims leave whatever group they were in, for a new one."""
        for claim_id in claim_ids:
            self.group[claim_id] = label


def same_event(incident: Incident, claim: Claim) -> bool:
    """Could ``claim`` describe ``incident``? Compared with the incident's reading and,
    for what only claims carry (dataset rows, date ranges, targets), with its claims."""
    return _fits(incident, _Summary.of(incident), claim)


def _fits(incident: Incident, summary: _Summary, claim: Claim) -> bool:
    return _same_place(incident.location, claim.location) and summary.fits(claim)


def _types_fit(a: EventType, a_exact: bool, b: EventType, b_exact: bool) -> bool:
    if a == b:
        return True
    if a_exact and b_exact:
        return False  # two weapons named: two events
    # A coarse code (UCDP's kind of violence, GDELT's "fight", "assault") fits its family,
    # and remote violence too: those codes do not say whether the fighting was from the air.
    coarse, other = (b, a) if a_exact else (a, b)
    return FAMILIES.get(other) in (FAMILIES.get(coarse), REMOTE)


@dataclass(slots=True)
class _Summary:
    """What an incident's claims jointly say, kept as claims join, so a new claim is
    checked against all of them at once. Date ranges that overlap pairwise share a common
    part (intervals on a line), so checking against their intersection is enough."""

    span: tuple[date, date] | None = None
    dated: bool = False
    exact_types: set[EventType] = field(default_factory=set)
    coarse_types: set[EventType] = field(default_factory=set)
    curated: dict[str, str] = field(default_factory=dict)  # dataset -> its row's id
    day_parts: set[str] = field(default_factory=set)
    perpetrators: set[str] = field(default_factory=set)
    target_actors: set[str] = field(default_factory=set)
    targets: set[frozenset[str]] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)  # analysts' join labels
    claim_ids: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, incident: Incident, rules: MergeRules | None = None) -> _Summary:
        summary = cls()
        if not incident.claims:  # an incident built by hand: its own reading
            summary.span = date_range(incident.event_date, incident.date_precision, None)
            summary.dated = True
            summary.exact_types.add(incident.event_type)
            for values, value in ((summary.day_parts, incident.day_part),
                                  (summary.perpetrators, incident.perpetrator_actor),
                                  (summary.target_actors, incident.target_actor)):
                if value:
                    values.add(value)
            return summary
        for claim in incident.claims:
            summary.add(claim, rules)
        return summary

    def add(self, claim: Claim, rules: MergeRules | None = None) -> None:
        span = claim_range(claim)
        if not self.dated:
            self.span, self.dated = span, True
        elif self.span is not None and span is not None:
            self.span = (max(self.span[0], span[0]), min(self.span[1], span[1]))
        else:
            self.span = None
        (self.exact_types if claim.exact_type else self.coarse_types).add(claim.event_type)
        if claim.dataset in CURATED and claim.external_id is not None:
            self.curated.setdefault(claim.dataset, claim.external_id)
        for values, value in ((self.day_parts, claim.day_part),
                              (self.perpetrators, _coded_perpetrator(claim)),
                              (self.target_actors, claim.target_actor)):
            if value:
                values.add(value)
        if claim.target and (words := _words(claim.target)):
            self.targets.add(words)
        if claim.id is not None:
            self.claim_ids.add(claim.id)
            if rules is not None and claim.id in rules.group:
                self.groups.add(rules.group[claim.id])

    def fits(self, claim: Claim) -> bool:
        """Nothing the claim states differs from what the incident's claims state."""
        place = claim.location
        return self.fits_probe(_Probe.of(claim, None if place is None else _Spot.of(place)))

    def fits_probe(self, probe: _Probe) -> bool:
        """``fits``, with what the claim states worked out once for all its candidates."""
        claim = probe.claim
        if not self._type_fits(claim) or not _ranges_overlap(self.span, probe.span):
            return False
        if claim.dataset in CURATED and self.curated.get(claim.dataset,
                                                         claim.external_id) != claim.external_id:
            return False
        for values, value in ((self.day_parts, claim.day_part),
                              (self.perpetrators, probe.perpetrator),
                              (self.target_actors, claim.target_actor)):
            if value and values and value not in values:
                return False
        mine = probe.target_words
        return not mine or all(mine & other for other in self.targets)

    def _type_fits(self, claim: Claim) -> bool:
        """An exact reading must name the incident's weapon; a coarse one fit it."""
        if self.exact_types:
            if claim.exact_type:
                return claim.event_type in self.exact_types
            return any(_types_fit(t, True, claim.event_type, False) for t in self.exact_types)
        return any(_types_fit(t, False, claim.event_type, claim.exact_type)
                   for t in self.coarse_types)


def _coded_perpetrator(claim: Claim) -> str | None:
    """The perpetrator as a dataset's coders recorded it. Two coded rows that name different
    perpetrators are two events; outlets that blame different parties for one strike are
    one event whose attribution is contested, so their perpetrators do not keep it apart."""
    return claim.perpetrator_actor if claim.dataset is not None else None


# Words that say nothing about which target it was.
_FILLER = frozenset({"a", "an", "the", "of", "in", "on", "at", "near", "its", "their", "local"})


def _words(text: str) -> frozenset[str]:
    """A target's telling words: "the national hospital" and "hospital" share one, "a
    crowded market" none."""
    return frozenset(w for w in re.findall(r"[\w']+", text.casefold()) if w not in _FILLER)


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return False
    if a is b:
        return True
    if (a.country and b.country and a.country != b.country
            and a.country.casefold() != b.country.casefold()):
        return False
    # Points first: the blocked merger mostly asks about places a few km apart.
    if (a.geo_precision < 3 and b.geo_precision < 3 and a.lat is not None
            and a.lon is not None and b.lat is not None and b.lon is not None
            and km_between(a.lat, a.lon, b.lat, b.lon) <= SAME_PLACE_KM):
        return True
    # Else the same name. A region's centroid is not a place where something happened:
    # regions match by name only.
    return a.name == b.name or a.name.casefold() == b.name.casefold()


# --- dates --------------------------------------------------------------------------------


def date_range(day: date | None, precision: DatePrecision | None,
               end: date | None) -> tuple[date, date] | None:
    """The days a date may mean: a range, a week or a month from its first day, else a day."""
    if day is None:
        return None
    if end is not None and end >= day:
        return day, end
    if precision is DatePrecision.WEEK:
        return day, day + timedelta(days=6)
    if precision is DatePrecision.MONTH:
        return day, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision is DatePrecision.YEAR:
        return day, day.replace(month=12, day=31)
    return day, day


def claim_range(claim: Claim) -> tuple[date, date] | None:
    return date_range(claim.event_date, claim.date_precision, claim.date_end)


def _ranges_overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


@lru_cache(maxsize=1 << 14)
def _days(span: tuple[date, date] | None) -> tuple[date, ...]:
    """The days of a span, for the merger's buckets (spans repeat: each is listed once)."""
    if span is None or (span[1] - span[0]).days >= MAX_RANGE_DAYS:
        return ()
    return tuple(span[0] + timedelta(days=n) for n in range((span[1] - span[0]).days + 1))


# --- the blocked merger ---------------------------------------------------------------------


def _cell(place: Place | None) -> tuple[int, int] | None:
    if place is None or place.lat is None or place.lon is None or place.geo_precision >= 3:
        return None
    return math.floor(place.lat / CELL_DEGREES), math.floor(place.lon / CELL_DEGREES)


# Degrees that SAME_PLACE_KM spans north-south, with room for rounding: two points farther
# apart than this in latitude (or, scaled, in longitude) are too far without the trig.
_REACH_DEGREES = SAME_PLACE_KM / KM_PER_DEGREE * (1 + 1e-9)


@dataclass(slots=True)
class _Spot:
    """A place as ``_same_place`` compares it, folded once rather than once per pair. The
    point is kept only when it counts (a town or near one, not a region's centroid)."""

    place: Place
    name: str  # casefolded
    country: str | None  # casefolded
    lat: float | None
    lon: float | None

    @classmethod
    def of(cls, place: Place) -> _Spot:
        point = place.geo_precision < 3 and place.lat is not None and place.lon is not None
        return cls(place, place.name.casefold(),
                   place.country.casefold() if place.country else None,
                   place.lat if point else None, place.lon if point else None)

    def meets(self, other: _Spot, lon_scale: float) -> bool:
        """``_same_place(self.place, other.place)``. ``lon_scale``: a cosine no larger than
        that of any latitude within _REACH_DEGREES of ``other``'s, so a pair whose
        latitudes or scaled longitudes differ by more is too far for km_between to say 5."""
        if self.place is other.place:
            return True
        if self.country and other.country and self.country != other.country:
            return False
        if self.lat is not None and self.lon is not None and other.lat is not None \
                and other.lon is not None and abs(self.lat - other.lat) <= _REACH_DEGREES \
                and abs(self.lon - other.lon) * lon_scale <= _REACH_DEGREES \
                and km_between(self.lat, self.lon, other.lat, other.lon) <= SAME_PLACE_KM:
            return True
        return self.name == other.name


@dataclass(slots=True)
class _Probe:
    """What a claim brings to the merger, worked out once for all its candidates."""

    claim: Claim
    span: tuple[date, date] | None
    days: tuple[date, ...]
    perpetrator: str | None
    target_words: frozenset[str]
    spot: _Spot | None
    cell: tuple[int, int] | None

    @classmethod
    def of(cls, claim: Claim, spot: _Spot | None) -> _Probe:
        span = claim_range(claim)
        return cls(claim, span, _days(span), _coded_perpetrator(claim),
                   _words(claim.target) if claim.target else frozenset(),
                   spot, _cell(claim.location))


@dataclass(slots=True)
class _Entry:
    """An incident in the index: what its claims jointly say and its place, folded. An
    incident's place does not change while claims are merged (reconcile runs after)."""

    incident: Incident
    summary: _Summary
    spot: _Spot | None


class _Bucket:
    """The incidents of one (day, cell) or (day, name), by curated tag, then id(); and,
    so a claim can pass over a bucket none of whose incidents could be at its place, the
    box their points fill and their places' names."""

    __slots__ = ("east", "names", "north", "south", "tags", "west")

    def __init__(self) -> None:
        self.tags: dict[frozenset[str], dict[int, _Entry]] = {}
        self.names: set[str] = set()
        self.south = self.west = math.inf
        self.north = self.east = -math.inf

    def file(self, tag: frozenset[str], entry: _Entry) -> None:
        self.tags.setdefault(tag, {})[id(entry.incident)] = entry
        spot = entry.spot
        if spot is None:
            return
        self.names.add(spot.name)
        lat, lon = spot.lat, spot.lon
        if lat is not None and lon is not None:  # comparisons leave a NaN out of the box
            if lat < self.south:
                self.south = lat
            if lat > self.north:
                self.north = lat
            if lon < self.west:
                self.west = lon
            if lon > self.east:
                self.east = lon

    def may_meet(self, spot: _Spot, lon_scale: float) -> bool:
        """False only when no incident here is at ``spot`` by ``_Spot.meets``: none has its
        name (nor is its place) and no point is in reach. Passing over such a bucket
        leaves the order in which the others are first listed as it was."""
        if spot.name in self.names:
            return True
        lat, lon = spot.lat, spot.lon
        if lat is None or lon is None or self.south > self.north:
            return False
        if lat - self.north > _REACH_DEGREES or self.south - lat > _REACH_DEGREES:
            return False
        return not max(self.west - lon, lon - self.east, 0.0) * lon_scale > _REACH_DEGREES


class _Index:
    """Incidents by (day, cell) and (day, place name), with what their claims jointly say.

    Within a bucket, incidents are kept apart by the curated datasets whose rows they hold,
    so an ACLED row skips at once every incident that already has one: a town's day of
    forty ACLED events costs forty look-ups, not forty squared comparisons."""

    def __init__(self, rules: MergeRules) -> None:
        self.rules = rules
        self.names: dict[tuple[date, str], _Bucket] = {}
        self.cells: dict[date, dict[tuple[int, int], _Bucket]] = {}  # by day, then cell
        self.entries: dict[int, _Entry] = {}
        self.spots: dict[int, _Spot] = {}  # by id() of the place
        # An incident's tag and the buckets it is filed in, by (day, name) or (day, cell).
        self.filed: dict[int, tuple[frozenset[str], dict[tuple[object, ...], _Bucket]]] = {}
        self.groups: dict[int, Incident] = {}  # analysts' join label -> its incident

    def entry(self, incident: Incident) -> _Entry:
        entry = self.entries.get(id(incident))
        if entry is None:
            entry = _Entry(incident, _Summary(), self.spot(incident.location))
            self.entries[id(incident)] = entry
        return entry

    def spot(self, place: Place | None) -> _Spot | None:
        """Rows of a dataset share their Place objects (store/merging.py): each is folded
        once. The spot holds its place, so the id stays that place's."""
        if place is None:
            return None
        spot = self.spots.get(id(place))
        if spot is None:
            spot = self.spots[id(place)] = _Spot.of(place)
        return spot

    def probe(self, claim: Claim) -> _Probe:
        return _Probe.of(claim, self.spot(claim.location))

    def add(self, incident: Incident, probe: _Probe) -> None:
        entry = self.entry(incident)
        summary = entry.summary
        summary.add(probe.claim, self.rules)
        for label in summary.groups:
            self.groups.setdefault(label, incident)
        key_id = id(incident)
        tag = frozenset(summary.curated)
        old_tag, filed = self.filed.get(key_id, (tag, {}))
        if old_tag != tag:  # it now holds a curated row: refile it under its new tag
            for bucket in filed.values():
                del bucket.tags[old_tag][key_id]
                bucket.tags.setdefault(tag, {})[key_id] = entry
        self.filed[key_id] = (tag, filed)
        spot, cell = probe.spot, probe.cell
        if spot is None:
            return
        for day in probe.days:
            keys: list[tuple[object, ...]] = [(day, spot.name)]
            if cell is not None:  # filed under its own cell; lookups scan those around
                keys.append((day, *cell))
            for key in keys:
                if key in filed:
                    continue
                if len(key) == 2:
                    bucket = self.names.get((day, spot.name)) or self.names.setdefault(
                        (day, spot.name), _Bucket())
                else:
                    assert cell is not None
                    cells = self.cells.setdefault(day, {})
                    bucket = cells.get(cell) or cells.setdefault(cell, _Bucket())
                filed[key] = bucket
                bucket.file(tag, entry)

    def near(self, probe: _Probe) -> list[_Entry]:
        """The incidents whose buckets the claim reaches and whose place is the claim's
        (``_same_place``), in the order the buckets list them: name first, then the cells
        around, day by day."""
        spot, cell = probe.spot, probe.cell
        if spot is None:
            return []
        around: tuple[tuple[int, int], ...] = ()
        lon_scale = 1.0
        if cell is not None and spot.lat is not None:
            reach = min(10, math.ceil(SAME_PLACE_KM / (
                KM_PER_DEGREE * CELL_DEGREES * max(0.05, math.cos(math.radians(spot.lat))))))
            around = _around(*cell, reach)
            lon_scale = math.cos(math.radians(min(90.0, abs(spot.lat) + 0.5)))
        curated = probe.claim.dataset if probe.claim.dataset in CURATED else None
        seen: dict[int, _Entry] = {}
        for day in probe.days:
            buckets = [self.names.get((day, spot.name))]
            cells = self.cells.get(day)
            if cells is not None:
                buckets += [cells.get(at) for at in around]
            for bucket in buckets:
                if bucket is None or not bucket.may_meet(spot, lon_scale):
                    continue
                for tag, entries in bucket.tags.items():
                    if curated is None or curated not in tag:
                        seen.update(entries)
        return [entry for entry in seen.values()
                if entry.spot is not None and entry.spot.meets(spot, lon_scale)]


@lru_cache(maxsize=1 << 16)
def _around(row: int, column: int, reach: int) -> tuple[tuple[int, int], ...]:
    """A cell and those around it: one row up and down, ``reach`` columns each side."""
    return tuple((row + dy, column + dx) for dy in (-1, 0, 1) for dx in range(-reach, reach + 1))


def merge_claims(claims: Iterable[Claim], into: Iterable[Incident] = (),
                 rules: MergeRules | None = None) -> list[Incident]:
    """Attach each claim to the closest incident it matches (existing ones included), else
    start a new incident. Returns every incident touched or created, recomputed."""
    with gc_paused():  # tens of thousands of small objects, no cycles
        return _merge(claims, into, rules or MergeRules())


def _merge(claims: Iterable[Claim], into: Iterable[Incident], rules: MergeRules
           ) -> list[Incident]:
    index = _Index(rules)
    for incident in into:
        for claim in incident.claims:
            index.add(incident, index.probe(claim))
        if not incident.claims:
            index.entry(incident).summary = _Summary.of(incident)
    touched: dict[int, Incident] = {}
    for claim in claims:
        probe = index.probe(claim)
        match = _forced(index, claim) or _best_match(index, probe)
        if match is None:
            match = Incident(event_type=claim.event_type, event_date=claim.event_date,
                             location=claim.location, date_precision=claim.date_precision)
        match.claims.append(claim)
        index.add(match, probe)
        touched[id(match)] = match
    for incident in touched.values():
        reconcile(incident)
    return list(touched.values())


def _forced(index: _Index, claim: Claim) -> Incident | None:
    """The incident an analyst's join puts this claim in, if it exists yet."""
    if claim.id is None or claim.id not in index.rules.group:
        return None
    return index.groups.get(index.rules.group[claim.id])


def _best_match(index: _Index, probe: _Probe) -> Incident | None:
    claim = probe.claim
    rules = index.rules
    apart = rules.apart.get(claim.id, set()) if claim.id is not None else set()
    mine = rules.group.get(claim.id) if claim.id is not None else None
    best: tuple[float, int] | None = None
    chosen: Incident | None = None
    # Ties in distance (rows placed at one town's point) go to the first listed.
    for order, entry in enumerate(index.near(probe)):
        summary = entry.summary
        if apart and not apart.isdisjoint(summary.claim_ids):
            continue
        if mine is not None and summary.groups and mine not in summary.groups:
            continue  # joined to another group by an analyst: not this one
        if not summary.fits_probe(probe):
            continue
        score = (_distance(entry.incident.location, claim.location), order)
        if best is None or score < best:
            best, chosen = score, entry.incident
    return chosen


def _distance(a: Place | None, b: Place | None) -> float:
    if a is None or b is None or a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return 0.0 if a and b and a.name.casefold() == b.name.casefold() else SAME_PLACE_KM
    return km_between(a.lat, a.lon, b.lat, b.lon)


# --- one incident from its claims -----------------------------------------------------------


def reconcile(incident: Incident) -> None:
    """Recompute an incident's fields from its claims."""
    claims = incident.claims
    exact = [c for c in claims if c.exact_type] or claims
    counts = Counter(c.event_type for c in exact)
    incident.event_type = max(exact, key=lambda c: counts[c.event_type]).event_type
    dated = [(claim_range(c), c) for c in claims]
    narrowest = min((pair for pair in dated if pair[0] is not None),
                    key=lambda pair: (pair[0][1] - pair[0][0]),  # type: ignore[index]
                    default=(None, claims[0]))[1]
    incident.event_date = narrowest.event_date
    incident.date_precision = narrowest.date_precision
    incident.day_part = next((c.day_part for c in claims if c.day_part), None)
    incident.location = _most_precise(c.location for c in claims)
    actors = {c.perpetrator_actor for c in claims if c.perpetrator_actor}
    incident.perpetrator_actor = next(iter(actors)) if len(actors) == 1 else None
    incident.perpetrator = next((c.perpetrator for c in claims if c.perpetrator), None)
    incident.target_actor = next((c.target_actor for c in claims if c.target_actor), None)
    incident.killed = combine_tolls(c.killed for c in claims)
    incident.wounded = combine_tolls(c.wounded for c in claims)
    sources: list[str] = []
    for claim in claims:
        for source in claim.sources:
            if source not in sources:
                sources.append(source)
    incident.sources = sources
    contested = any((c.notes or "").startswith(CONTESTED_ATTRIBUTION) for c in claims)
    incident.confidence = grade(incident, perpetrators=actors, contested=contested)


def combine_tolls(tolls: Iterable[Casualties]) -> Casualties:
    known = [t for t in tolls if t.known]
    if not known:
        return Casualties()
    lows = [t.low for t in known if t.low is not None]
    bests = [t.best for t in known if t.best is not None]
    highs = [t.high if t.high is not None else t.best for t in known]
    best = int(statistics.median_low(bests)) if bests else None
    return Casualties(
        low=min(lows) if lows else None,
        best=best,
        high=max((h for h in highs if h is not None), default=None),
        civilians=_part([t.civilians for t in known], best),
        combatants=_part([t.combatants for t in known], best),
    )


def _part(counts: list[int | None], best: int | None) -> int | None:
    """The civilians (or fighters) among an incident's toll: the middle of what the
    claims that say so give, never above the toll itself."""
    said = [n for n in counts if n is not None]
    if not said:
        return None
    part = int(statistics.median_low(said))
    return min(part, best) if best is not None else part


def grade(incident: Incident, *, perpetrators: set[str], contested: bool = False) -> Confidence:
    """Airwars' grades: competing attributions (from several reports, or told as such in
    one) are contested; two credible sources fair; one weak."""
    if len(perpetrators) > 1 or contested:
        return Confidence.CONTESTED
    if len(incident.sources) >= 2:
        return Confidence.FAIR
    return Confidence.WEAK


def _most_precise(places: Iterable[Place | None]) -> Place | None:
    known = [p for p in places if p is not None]
    if not known:
        return None
    return min(known, key=lambda p: (p.geo_precision, not p.has_point))
