"""ACLED's CSV export, one claim per event row.

| ACLED column | claim |
|---|---|
| event_id_cnty | external_id (kept for round trips: the ACLED export gives it back) |
| event_date | event_date; every spelling ACLED files are met with (see ``dates``) |
| time_precision | date_precision: 1 day, 2 week, 3 month (a period's first day is kept) |
| sub_event_type | event_type, one to one (ACLED's spelling is trucewatch's vocabulary) |
| actor1 / actor2 | perpetrator / target text; the scenario's actor ids when it knows them |
| location, admin1, admin2, country, latitude, longitude | location |
| geo_precision | geo_precision, as is (both are ACLED's 1-3) |
| fatalities | killed: low and best (ACLED's figure is the lowest reported), high unknown |
| source | sources, split on ";" |
| notes | notes |
| inter codes, associated actors, iso, region, admin3, tags, ... | kept as is, for exports |
| timestamp | kept: when ACLED last changed the event (an older row never overwrites it) |

Sub-event types that are not political violence (protests, riots, strategic
developments) are counted as ignored, not stored: the ledger records violence.

Headers are read in any case and column order; columns not listed here (a pandas index,
an API dump's extra fields) are left alone. Files from before ACLED's 2019 overhaul have
upper-case headers (GWNO, EVENT_ID_CNTY, ..., ALLY_ACTOR_1, ...), no sub_event_type and
nine older event types, read through ``LEGACY_TYPES`` (``legacy`` holds the table).

ACLED also deletes events (duplicates it merged, events found out of scope) and lists
them apart, as event_id_cnty and deleted_timestamp: ``read_deletions`` reads that list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial
from pathlib import Path

from trucewatch.columns import ROW_COLUMNS
from trucewatch.importers.common import (
    ROW_VERSION,
    Actors,
    BadRow,
    HeadedCsvReader,
    Ignored,
    Layout,
    Outcome,
    Progress,
    Row,
    RowProblem,
    RowReader,
    TableFile,
    json_list,
    json_text,
    parse_coordinates,
    parse_count,
    read_table,
    row_order,
    split_sources,
)
from trucewatch.importers.dates import DayReader
from trucewatch.importers.legacy import legacy_type
from trucewatch.model import Casualties, Claim, DatePrecision, EventType, Place

DATASET = "acled"
REQUIRED = (
    "event_id_cnty", "event_date", "sub_event_type", "actor1", "actor2", "country",
    "location", "latitude", "longitude", "geo_precision", "source", "fatalities",
)
# Before 2019: no sub_event_type, and event_type held the (older) kind of event.
LEGACY_REQUIRED = tuple("event_type" if n == "sub_event_type" else n for n in REQUIRED)
# Read when present; ACLED's exports have gained columns over the years. year,
# disorder_type and event_type follow from event_date and sub_event_type, so they are
# not kept. timestamp is when ACLED last changed the event (it moves only then): kept
# beside the codes as the row's version (see store.imports).
OPTIONAL = (
    "time_precision", "admin1", "admin2", "notes",
    "assoc_actor_1", "inter1", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "admin3", "source_scale", "tags", "timestamp",
)
KEPT = OPTIONAL[4:-1]  # ACLED's own codes, stored beside the claim for exports
_KEPT_START = len(REQUIRED) + 4

EVENT_TYPES = {t.value: t for t in EventType}
PRECISION = {"1": DatePrecision.DAY, "2": DatePrecision.WEEK, "3": DatePrecision.MONTH}
GEO_PRECISION = {"1": 1, "2": 2, "3": 3}
PERIODS = {code: precision.value for code, precision in PRECISION.items()} | {"": "day"}
# The dataset's own codes as the claims table keeps them, JSON text made here: the keys'
# text is written once, each value through json's own string encoder.
_KEPT_KEYS = tuple(f"{json_text(name)}: " for name in KEPT)
_ACTOR2_KEY = f"{json_text('actor2')}: "
_VERSION_KEY = f"{json_text(ROW_VERSION)}: "


class Days:
    """A file's dates as ISO text of their period's first day, each (date, precision)
    read once: a file repeats its days over thousands of rows."""

    def __init__(self, read: DayReader) -> None:
        self.read = read
        self.cache: dict[tuple[str, str], str] = {}

    def first_day(self, text: str, precision: str) -> str:
        """The ISO day a row's period starts on; RowProblem for a date it cannot read."""
        found = self.cache.get((text, precision))
        if found is None:
            found = _period_start(self.read(text), precision).isoformat()
            if len(self.cache) < 1 << 16:
                self.cache[text, precision] = found
        return found


def _file_days(file: TableFile | None) -> Days:
    scan = (lambda: file.values("event_date")) if file is not None else None
    return Days(DayReader("event_date", scan))


def _row(line: int, f: tuple[str, ...], actors: Actors, days: Days | None = None) -> Outcome:
    """A row as the claims table stores it. Rows as ACLED writes nearly all of them go
    straight to the table's values; any other (no coordinates, a kind not recorded, a
    problem to report) goes the long way, through the claim it makes (``_row_as_claim``).
    Both ways give the same values: a test holds them together. ``days`` reads the
    file's dates (one without a file, where a test calls this alone)."""
    return _read_row(days or _file_days(None), line, f, actors)


def _read_row(days: Days, line: int, f: tuple[str, ...], actors: Actors) -> Outcome:
    """``_row`` with the file's days first, so a file binds them positionally (a
    keyword bound by partial costs a dict per row)."""
    (event_id, event_date, sub_event_type, actor1, actor2, country, location, latitude,
     longitude, geo_precision, source, fatalities, time_precision, admin1, admin2,
     notes) = f[:16]
    precision = PERIODS.get(time_precision)
    name = location.strip()
    timestamp = f[-1]  # Unix seconds as ACLED writes them: no sign, no leading zero
    plain_timestamp = not timestamp or (
        timestamp.isdigit() and timestamp.isascii() and timestamp[0] != "0")
    if (sub_event_type not in EVENT_TYPES or precision is None or not name or not event_id
            or event_id != event_id.strip() or not fatalities.isdecimal()
            or len(fatalities) > 6 or not plain_timestamp):  # (a toll past 999,999: checked)
        return _row_as_claim(line, f, actors, days)
    try:
        # The cache looked up here: a method call per row would cost more than the rest.
        day = days.cache.get((event_date, precision)) or days.first_day(event_date, precision)
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return _row_as_claim(line, f, actors, days)
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return _row_as_claim(line, f, actors, days)
    killed = int(fatalities)
    codes, versioned = _extra_json(f[_KEPT_START:-1], actor2)
    # Each value under the column it fills (FAST_COLUMNS, in this order), then the null
    # every other column takes; _IN_ROW_ORDER lays them out as the claims table's row.
    return Row(line, _IN_ROW_ORDER((
        sub_event_type, day, precision,
        name, lat, lon, admin1 or None, admin2 or None, country or None,
        GEO_PRECISION.get(geo_precision.strip(), 3), location,
        actor1 or None, actors.ids[actor1], actors.ids[actor2],
        killed, killed,
        _sources_json(source), DATASET, event_id, True, notes or None,
        f"{versioned}{timestamp}}}" if timestamp else codes,
        None,
    )))


# The claims columns a row read the fast way fills, in the order _read_row gives them;
# every other column is null for such a row (no end date, no high toll, no split by
# civilians and fighters: ACLED does not give them).
FAST_COLUMNS = (
    "event_type", "event_date", "date_precision",
    "location_name", "lat", "lon", "admin1", "admin2", "country",
    "geo_precision", "location_text",
    "perpetrator", "perpetrator_actor", "target_actor",
    "killed_low", "killed_best",
    "sources", "dataset", "external_id", "exact_type", "notes",
    "extra",
)


_IN_ROW_ORDER = row_order(FAST_COLUMNS, ROW_COLUMNS)


# Days, source lists and code combinations repeat over millions of rows: each is turned
# into its stored text once. The caches are bounded (a few tens of MB at most).

@lru_cache(maxsize=1 << 16)
def _sources_json(text: str) -> str:
    return json_list(split_sources(text))


@lru_cache(maxsize=1 << 14)
def _extra_json(kept: tuple[str, ...], actor2: str) -> tuple[str, str]:
    """The codes kept beside the claim as json.dumps writes them: whole, and open for
    ACLED's timestamp to be written last (``'{..., "timestamp": '``)."""
    parts = [key + json_text(value) for key, value in zip(_KEPT_KEYS, kept, strict=True)
             if value]
    if actor2:
        parts.append(_ACTOR2_KEY + json_text(actor2))
    return "{" + ", ".join(parts) + "}", "{" + ", ".join([*parts, _VERSION_KEY])


def _version(timestamp: str) -> int | None:
    """ACLED's timestamp as a number (Unix seconds); None when absent or not one."""
    text = timestamp.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _period_start(day: date, precision: str) -> date:
    """ACLED dates a week to its middle and a month to its 15th; trucewatch keeps a
    period's first day (the ACLED export turns it back)."""
    if precision == DatePrecision.WEEK:
        return day - timedelta(days=3)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


def _row_as_claim(line: int, f: tuple[str, ...], actors: Actors, days: Days | None = None,
                  *, exact: bool = True, legacy: str | None = None) -> Outcome:
    """The long way: the claim a row makes. ``exact`` False marks a type guessed from an
    older, coarser code (``legacy``, kept beside the claim)."""
    (event_id, event_date, sub_event_type, actor1, actor2, country, location, latitude,
     longitude, geo_precision, source, fatalities, time_precision, admin1, admin2,
     notes) = f[:16]
    event_type = EVENT_TYPES.get(sub_event_type.strip())
    if event_type is None:
        return Ignored(line, sub_event_type.strip() or "no sub_event_type")
    if not event_id.strip():
        raise RowProblem("empty event_id_cnty")
    day = (days or _file_days(None)).read(event_date)
    point = parse_coordinates(latitude, longitude)
    geo = int(geo_precision) if geo_precision.strip() in ("1", "2", "3") else 3
    place = Place(
        name=location.strip() or admin2.strip() or admin1.strip() or country.strip(),
        lat=point[0] if point else None, lon=point[1] if point else None,
        admin1=admin1 or None, admin2=admin2 or None, country=country or None,
        geo_precision=geo,
    )
    killed = parse_count(fatalities, "fatalities")
    precision = PRECISION.get(time_precision.strip(), DatePrecision.DAY)
    day = _period_start(day, precision)
    claim = Claim(
        event_type=event_type, event_date=day, date_precision=precision,
        location=place, location_text=location or None,
        perpetrator=actor1 or None, perpetrator_actor=actors.resolve(actor1),
        target_actor=actors.resolve(actor2),
        killed=Casualties(low=killed, best=killed) if killed is not None else Casualties(),
        sources=split_sources(source), dataset=DATASET, external_id=event_id.strip(),
        notes=notes or None, exact_type=exact,
    )
    extra: dict[str, object] = {
        name: value for name, value in zip(KEPT, f[_KEPT_START:-1], strict=True) if value}
    if actor2:
        extra["actor2"] = actor2
    if legacy is not None:
        extra[LEGACY_KEY] = legacy
    version = _version(f[-1])
    if version is not None:
        extra[ROW_VERSION] = version
    return Row.from_claim(line, claim, extra)


LEGACY_KEY = "event_type_before_2019"  # the older event type, kept beside the claim


def _legacy_row(days: Days, line: int, f: tuple[str, ...], actors: Actors) -> Outcome:
    """A row of the pre-2019 layout: its event type read as today's sub-event type
    (from the notes' words where the old type names no weapon), the rest as today's."""
    old = f[2].strip()
    mapped = legacy_type(old, f[15])
    if mapped is None:
        return Ignored(line, old or "no event_type")
    event_type, exact = mapped
    fields = (*f[:2], event_type.value, *f[3:])
    return _row_as_claim(line, fields, actors, days, exact=exact, legacy=old)


def _bind_current(file: TableFile) -> RowReader:
    return partial(_read_row, _file_days(file))


def _bind_legacy(file: TableFile) -> RowReader:
    return partial(_legacy_row, _file_days(file))


# Columns renamed in 2019 (read under today's names).
ALIASES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
READER = HeadedCsvReader(DATASET, (
    Layout("ACLED (2019 on)", REQUIRED, OPTIONAL, _bind_current),
    Layout("ACLED (before 2019)", LEGACY_REQUIRED, OPTIONAL, _bind_legacy),
), ALIASES)


# --- deleted events -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deletion:
    """One event ACLED deleted, and when (Unix seconds; None if the list does not say)."""

    line: int
    event_id: str
    deleted_at: int | None


def read_deletions(path: Path, progress: Progress | None = None
                   ) -> Iterator[Deletion | BadRow]:
    """ACLED's list of deleted events, as CSV with event_id_cnty and deleted_timestamp."""
    return read_table(path, ("event_id_cnty", "deleted_timestamp"), (), _deletion,
                      Actors(None), progress=progress)


def _deletion(line: int, fields: tuple[str, ...], _actors: Actors) -> Deletion:
    event_id, deleted_timestamp = fields[0].strip(), fields[1]
    if not event_id:
        raise RowProblem("empty event_id_cnty")
    deleted_at = _version(deleted_timestamp)
    if deleted_at is None and deleted_timestamp.strip():
        raise RowProblem(f"bad deleted_timestamp {deleted_timestamp!r} (Unix seconds)")
    return Deletion(line, event_id, deleted_at)
