"""The domain types of trucewatch, shared by every stage of the pipeline.

Plain dataclasses with no knowledge of the database, HTTP or the terminal.
Unknown is ``None``; ranges are ranges (``Casualties`` keeps low/best/high).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # shapely is only needed where geometries are built
    from shapely.geometry.base import BaseGeometry


class EventType(StrEnum):
    """ACLED sub-event types, spelled as ACLED spells them (exports map one to one)."""

    AIR_STRIKE = "Air/drone strike"
    SHELLING = "Shelling/artillery/missile attack"
    ARMED_CLASH = "Armed clash"
    REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
    SUICIDE_BOMB = "Suicide bomb"
    GRENADE = "Grenade"
    ATTACK = "Attack"
    ABDUCTION = "Abduction/forced disappearance"
    SEXUAL_VIOLENCE = "Sexual violence"
    CHEMICAL_WEAPON = "Chemical weapon"
    GOVERNMENT_REGAINS_TERRITORY = "Government regains territory"
    NON_STATE_TAKEOVER = "Non-state actor overtakes territory"


class DatePrecision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class BoundaryStatus(StrEnum):
    DRAFT = "draft"
    AGREED = "agreed"
    DISPUTED = "disputed"


class VerdictKind(StrEnum):
    VIOLATION = "violation"
    PROBABLE_VIOLATION = "probable violation"
    NOT_VIOLATION = "not a violation"
    OUTSIDE_ZONES = "outside every zone"
    UNDETERMINED = "undetermined"


class ActorRole(StrEnum):
    """What an actor does in a ceasefire. Monitors and reporting offices tell of attacks;
    a report of theirs never makes them the perpetrator (docs/scenario-format.md)."""

    BELLIGERENT = "belligerent"
    MONITOR = "monitor"
    REPORTING = "reporting"


class WeaponClass(StrEnum):
    """Classes of weapons that withdrawal lines are drawn for (Minsk II's by calibre and
    type); trucewatch.weapons reads them from a report's words."""

    SMALL_ARMS = "small-arms"
    GRENADE_LAUNCHER = "grenade-launcher"
    ANTI_TANK_MISSILE = "anti-tank-missile"
    MORTAR = "mortar"
    ARTILLERY = "artillery"
    TANK = "tank"
    MLRS = "mlrs"
    HEAVY_MLRS = "heavy-mlrs"
    TACTICAL_MISSILE = "tactical-missile"
    DRONE = "drone"


class Confidence(StrEnum):
    """Airwars' grades."""

    CONFIRMED = "confirmed"
    FAIR = "fair"
    WEAK = "weak"
    CONTESTED = "contested"
    DISCOUNTED = "discounted"


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets into a report's text, and the text they cover."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """Which field of a claim a sentence supports."""

    field: str
    span: Span


# The bounds of what the ledger stores, whichever door a figure comes through (a file, a
# feed, an article's text, the API): a day outside EARLIEST_DAY..latest_day() is a typo or
# a damaged file, and stored it would wreck date arithmetic (9999-12-31 plus a day
# overflows); more killed or wounded than MAX_TOLL in one event is a damaged figure.
EARLIEST_DAY = date(1946, 1, 1)
MAX_TOLL = 1_000_000
# How a claim's notes begin when the report gives competing attributions (who says what
# follows); an incident with such a claim is graded contested.
CONTESTED_ATTRIBUTION = "Attribution contested"


def latest_day() -> date:
    """The latest day a report or an event may carry: tomorrow (a timezone ahead of UTC)."""
    return date.today() + timedelta(days=1)


def implausible_day(day: date) -> str | None:
    """Why ``day`` cannot be stored (outside the plausible range), or None."""
    latest = latest_day()
    if EARLIEST_DAY <= day <= latest:
        return None
    return (f"{day.isoformat()} is outside the plausible range ({EARLIEST_DAY.isoformat()} "
            f"to {latest.isoformat()})")


@dataclass(frozen=True, slots=True)
class Casualties:
    """A toll as UCDP GED keeps it: lowest credible, best estimate, highest credible;
    and, where the report says, how many of them were civilians and how many fighters
    (soldiers, militants, rebels...)."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    civilians: int | None = None
    combatants: int | None = None

    @property
    def known(self) -> bool:
        return self.best is not None or self.low is not None

    @classmethod
    def exact(cls, n: int) -> Casualties:
        return cls(n, n, n)


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place. geo_precision follows ACLED: 1 town, 2 near a town or
    small region, 3 a larger region such as a governorate."""

    name: str
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    geo_precision: int = 1
    geonames_id: int | None = None

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(slots=True)
class Report:
    """A source document: an article, a feed item, a dataset row, an analyst's entry."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    source: str | None = None  # file path or feed URL it was read from
    kind: str = "article"

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Hash of the text with whitespace folded, so re-saved copies of a page match."""
    folded = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Claim:
    """What one report says about one event."""

    event_type: EventType
    event_date: date | None = None
    date_precision: DatePrecision | None = None
    day_part: str | None = None  # "morning", "afternoon", "evening", "night" when stated
    location: Place | None = None
    location_text: str | None = None
    perpetrator: str | None = None  # as the report words it
    perpetrator_actor: str | None = None  # actor id from the scenario's dictionary
    target: str | None = None
    target_actor: str | None = None
    killed: Casualties = field(default_factory=Casualties)
    wounded: Casualties = field(default_factory=Casualties)
    sources: list[str] = field(default_factory=list)
    sources_agree: bool | None = None  # a toll confirmed by a second source
    evidence: list[Evidence] = field(default_factory=list)
    report_hash: str | None = None
    # A row of a conflict-event dataset (ACLED, UCDP GED, GDELT) keeps where it came from,
    # so a re-import updates it and an export gives its id back.
    dataset: str | None = None
    external_id: str | None = None
    date_end: date | None = None  # last day of a date range (UCDP date_end); None: one day
    exact_type: bool = True  # False: a coarse code (GDELT 19x) guessed the sub-event type
    notes: str | None = None  # the dataset's description of the event (ACLED notes)
    id: int | None = None  # the stored claim's id, once stored


@dataclass(slots=True)
class Incident:
    """One real event, from one or more claims."""

    event_type: EventType
    event_date: date | None
    location: Place | None
    perpetrator: str | None = None
    perpetrator_actor: str | None = None
    target_actor: str | None = None
    date_precision: DatePrecision | None = None
    day_part: str | None = None
    killed: Casualties = field(default_factory=Casualties)
    wounded: Casualties = field(default_factory=Casualties)
    sources: list[str] = field(default_factory=list)
    confidence: Confidence = Confidence.WEAK
    claims: list[Claim] = field(default_factory=list)
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str  # "state", "foreign state", "rebel", "jihadist", ...
    aliases: tuple[str, ...] = ()
    flies_aircraft: bool = False
    bound_by: tuple[str, ...] = ()  # ids of agreements and declarations that bind it
    flies_over: tuple[str, ...] = ()  # zone ids its aircraft operate over; empty: all
    part_of: str | None = None  # the parent actor's id: a sub-unit is bound as its parent is
    role: ActorRole = ActorRole.BELLIGERENT
    # Partial commitments: (commitment id, zone ids) -- bound by it only in those zones.
    bound_in: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def never_perpetrator(self) -> bool:
        return self.role is not ActorRole.BELLIGERENT

    def flies_in(self, zone_ids: set[str]) -> bool:
        if not self.flies_aircraft:
            return False
        return not self.flies_over or bool(zone_ids & set(self.flies_over))


@dataclass(frozen=True, slots=True)
class BoundaryVersion:
    """One dated shape of a zone. valid_to is the last day it holds (inclusive)."""

    zone_id: str
    status: BoundaryStatus
    valid_from: date
    valid_to: date | None
    geometry: BaseGeometry
    approximate: bool = True
    note: str | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Zone:
    id: str
    name: str
    versions: tuple[BoundaryVersion, ...]
    description: str | None = None

    def boundary_on(self, day: date) -> BoundaryVersion | None:
        for version in self.versions:
            if version.valid_on(day):
                return version
        return None


@dataclass(frozen=True, slots=True)
class Deadline:
    name: str
    due: date
    met_on: date | None = None  # None: missed (or not yet met)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """One dated stretch of a commitment's window: the first, a renewal, an extension, a
    resumption. ``end`` is exclusive; None: open."""

    start: datetime
    end: datetime | None
    kind: str  # initial | renewal | extension | resumption
    source: str
    decided: date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Ending:
    """When and how a commitment stopped holding (expired, terminated, collapsed,
    superseded), and who says so."""

    at: datetime
    how: str
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class WeaponRule:
    """A prohibition on some weapons within zones of their own (Minsk II: artillery of
    100 mm and more within 25 km either side of the line). Calibre bounds are inclusive."""

    weapons: frozenset[WeaponClass]
    zones: tuple[str, ...]
    name: str | None = None
    min_calibre_mm: float | None = None
    max_calibre_mm: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Commitment:
    """What agreements and unilateral declarations share: a window in local time,
    zones, prohibited acts and the actors left outside.

    ``end`` is exclusive: "until midnight on 6 July" ends at 2017-07-07T00:00.
    """

    id: str
    name: str
    start: datetime
    end: datetime | None
    zones: tuple[str, ...]
    prohibited: frozenset[EventType]
    excluded: tuple[str, ...] = ()  # actor ids that are not parties: attacks on them are allowed
    ceasefire_class: str | None = None  # ETH/PRIO: cessation, cessation with mechanism, definitive
    purpose: str | None = None
    written: bool = True
    notes: str | None = None
    # Format 2: the window as dated periods (in force in their union) and how it ended;
    # start and end then hold the first start and the last end.
    periods: tuple[Period, ...] = ()
    ended: Ending | None = None
    weapon_zones: tuple[WeaponRule, ...] = ()
    # Acts by a party it binds on other states' territory: anywhere outside its zones
    # (cross_border), or in these zones (one per state named).
    cross_border: bool = False
    cross_border_zones: tuple[str, ...] = ()

    def spans(self) -> tuple[tuple[datetime, datetime | None], ...]:
        """The stretches of time it is in force, ends exclusive, cut where it ended."""
        spans = tuple((p.start, p.end) for p in self.periods) or ((self.start, self.end),)
        if self.ended is None:
            return spans
        cut = self.ended.at
        return tuple((start, cut if end is None or end > cut else end)
                     for start, end in spans if start < cut)

    def in_force_during(self, start: datetime, end: datetime) -> str:
        """'all' when in force for the whole of [start, end), 'part' for some of it, else
        'none'."""
        return spans_cover(self.spans(), start, end)

    def window_on(self, day: date) -> str:
        """'all' when in force for the whole day, 'part' when only for part of it, else 'none'."""
        day_start = datetime.combine(day, time.min)
        return self.in_force_during(day_start, day_start + timedelta(days=1))

    @property
    def all_zones(self) -> tuple[str, ...]:
        """Every zone where it may apply: its own, its weapon zones', its cross-border ones."""
        extra = [z for rule in self.weapon_zones for z in rule.zones]
        return tuple(dict.fromkeys((*self.zones, *extra, *self.cross_border_zones)))


def spans_cover(spans: tuple[tuple[datetime, datetime | None], ...], start: datetime,
                end: datetime) -> str:
    """Whether stretches of time (ends exclusive, None open) cover [start, end): 'all',
    'part' or 'none'."""
    if any(s <= start and (e is None or e >= end) for s, e in spans):
        return "all"
    if any(s < end and (e is None or e > start) for s, e in spans):
        return "part"
    return "none"


@dataclass(frozen=True, slots=True)
class Agreement(Commitment):
    signed: date | None = None
    parties: tuple[str, ...] = ()
    guarantors: tuple[str, ...] = ()
    mediator: str | None = None
    pax_id: str | None = None
    renewal: str | None = None
    deadlines: tuple[Deadline, ...] = ()
    monitors: tuple[str, ...] = ()  # actor ids: monitoring missions of this agreement
    reporting: tuple[str, ...] = ()  # actor ids: the sides' reporting offices


@dataclass(frozen=True, slots=True)
class Declaration(Commitment):
    """A unilateral truce: one actor's promise, as the ETH/PRIO dataset records it."""

    actor: str = ""
    announced: date | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: VerdictKind
    zones: tuple[str, ...] = ()
    agreements: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AggregateReport:
    """A count of acts in an area on a day, as monitoring missions and the sides' daily
    statements give them ("the mission recorded 312 ceasefire violations in Donetsk
    region"; "the enemy violated the ceasefire 23 times in the last 24 hours"). Judged as
    one record with a verdict of its own (trucewatch.aggregates), never split into
    incidents. ``reporter`` tells of the acts and is never taken for the side accused."""

    day: date  # the day the count covers
    reporter: str  # who gives the count: a monitor or a party's statement
    count: int
    kind: str  # what is counted: "ceasefire violations", "explosions", "shelling incidents"
    side: str | None = None  # the side accused; None: the report does not say
    area: str | None = None  # a zone, a region or a place, as the report names it
    killed: int | None = None
    wounded: int | None = None
    source: str | None = None  # where it was published (a URL, a document's title)
    text: str | None = None  # the report's words, or a note


@dataclass(frozen=True, slots=True)
class Scenario:
    """A ceasefire's ledger frame: actors, zones, agreements and declarations."""

    id: str
    name: str
    actors: dict[str, Actor]
    zones: dict[str, Zone]
    agreements: tuple[Agreement, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    description: str | None = None
    source: str | None = None  # the folder it was loaded from
    timezone: str | None = None  # IANA name, e.g. Asia/Damascus: windows are local time there
    format: int = 1  # the scenario format version its folder was written in

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        return (*self.agreements, *self.declarations)
