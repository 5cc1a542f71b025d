"""The dashboard's aggregates, computed by the database so that a view of 200,000
incidents costs one scan, not 200,000 rows sent to a browser: the map's incidents
binned into grid cells (or listed one by one when few enough), the violations per
zone and day for the timeline, and the span of dates in the ledger.

Every aggregate takes store/selection.py's IncidentFilter, so the map, the timeline and
the list of one view always agree on which incidents they count.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, case, cast, func, select

from trucewatch.store.database import Database
from trucewatch.store.selection import VIOLATIONS, IncidentFilter, conditions
from trucewatch.store.tables import IncidentRow

UNITS = ("day", "week", "month")
MAX_CELLS = 50_000  # a guard: the dashboard asks for its viewport, a few hundred cells


@dataclass(frozen=True, slots=True)
class Cell:
    """The located incidents of one grid cell: where their centre is, how many, how many
    of them are violations (or probable ones), and the box they span (to zoom to).
    ``incident_id`` is the incident when the cell holds one only."""

    lat: float
    lon: float
    count: int
    violations: int
    south: float
    west: float
    north: float
    east: float
    incident_id: int | None
    verdict: str | None  # the incident's, when the cell holds one only


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One located incident, with what a marker and its popup show."""

    id: int
    lat: float
    lon: float
    verdict: str | None
    event_type: str
    event_date: date | None
    date_precision: str | None
    location_name: str | None
    killed_best: int | None


@dataclass(frozen=True, slots=True)
class MapView:
    """What the map draws for a filter: ``points`` when at most ``max_points`` located
    incidents match, else ``cells``. ``located`` counts the matching incidents with
    coordinates (in the box, when the filter has one)."""

    located: int
    cell_size: float  # degrees
    cells: list[Cell]
    points: list[MapPoint]


def map_view(db: Database, where: IncidentFilter, *, cell_size: float,
             max_points: int = 2000) -> MapView:
    """The matching located incidents binned into square cells of ``cell_size``
    degrees (by latitude and longitude rounded down), or one by one when few.

    Two steps: the database counts the incidents at each distinct point (GROUP BY lat,
    lon, which the (lat, lon, verdict, event_date) index of migration 0012 streams in
    order without sorting or reading the wide incident rows), then the points go into
    cells here. A
    dataset has far fewer places than events (ACLED's Syria: a few thousand), so the
    second step is small."""
    if not cell_size > 0:
        raise ValueError(f"cell_size must be positive, not {cell_size}")
    row = IncidentRow
    tests = [*conditions(where, spatial=db.spatial), row.lat.is_not(None), row.lon.is_not(None)]
    box = None
    lat_key: Any = row.lat
    lon_key: Any = row.lon
    if not _on_the_place_index(where):
        # SQLite would still walk the place index in its order and look up every row
        # for the other conditions, far slower than a plain scan or the index those
        # conditions use: "+ 0" keeps it off, and the box is applied to the few grouped
        # points here instead.
        lat_key, lon_key = row.lat + 0.0, row.lon + 0.0
        tests = [*conditions(replace(where, bbox=None), spatial=db.spatial),
                 lat_key.is_not(None), lon_key.is_not(None)]
        box = where.bbox
    is_violation = case((row.verdict.in_(VIOLATIONS), 1), else_=0)
    places = (select(lat_key, lon_key, func.count(), func.sum(is_violation), func.min(row.id),
                     func.min(row.verdict))
              .where(*tests).group_by(lat_key, lon_key))
    bins: dict[tuple[int, int], _Bin] = {}
    with db.reading() as session:
        for lat, lon, count, violations, first, verdict in session.execute(places):
            if box is not None and not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
                continue
            key = (math.floor((lat + 90.0) / cell_size), math.floor((lon + 180.0) / cell_size))
            found = bins.get(key)
            if found is None:
                if len(bins) >= MAX_CELLS:
                    continue
                found = bins[key] = _Bin(south=lat, north=lat, west=lon, east=lon)
            found.add(lat, lon, count, int(violations or 0), first, verdict)
        located = sum(b.count for b in bins.values())
        if located > max_points:
            return MapView(located, cell_size, [b.cell() for b in bins.values()], [])
        points = [MapPoint(*found) for found in session.execute(
            select(row.id, lat_key, lon_key, row.verdict, row.event_type, row.event_date,
                   row.date_precision, row.location_name, row.killed_best)
            .where(*tests).order_by(row.id))
            if box is None or (box[0] <= found[2] <= box[2] and box[1] <= found[1] <= box[3])]
    return MapView(len(points), cell_size, [], points)


# What the (lat, lon, verdict, event_date) index answers alone: a filter setting anything
# else needs the incident rows (or another index).
_PLACE_INDEXED = frozenset({"bbox", "verdicts", "include_rejected", "date_from", "date_to"})


def _on_the_place_index(where: IncidentFilter) -> bool:
    blank = IncidentFilter()
    return all(getattr(where, f.name) == getattr(blank, f.name)
               for f in fields(IncidentFilter) if f.name not in _PLACE_INDEXED)


@dataclass(slots=True)
class _Bin:
    """A cell being filled with the points in it."""

    south: float
    north: float
    west: float
    east: float
    count: int = 0
    violations: int = 0
    lat_sum: float = 0.0
    lon_sum: float = 0.0
    first: int | None = None
    verdict: str | None = None

    def add(self, lat: float, lon: float, count: int, violations: int, first: int,
            verdict: str | None) -> None:
        self.count += count
        self.violations += violations
        self.lat_sum += lat * count
        self.lon_sum += lon * count
        self.south, self.north = min(self.south, lat), max(self.north, lat)
        self.west, self.east = min(self.west, lon), max(self.east, lon)
        self.first = first if self.first is None else min(self.first, first)
        self.verdict = verdict

    def cell(self) -> Cell:
        alone = self.count == 1
        return Cell(lat=self.lat_sum / self.count, lon=self.lon_sum / self.count,
                    count=self.count, violations=self.violations, south=self.south,
                    west=self.west, north=self.north, east=self.east,
                    incident_id=self.first if alone else None,
                    verdict=self.verdict if alone else None)


def choose_unit(first: date, last: date) -> str:
    """The timeline's bin for a span of days: a day up to three months, a week up to two
    years, a month beyond, so a chart of about 560 pixels keeps bars a few pixels wide."""
    days = (last - first).days + 1
    return "day" if days <= 92 else "week" if days <= 731 else "month"


def bin_start(day: date, unit: str) -> date:
    """The first day of the bin holding ``day``: the day, its ISO week's Monday, or
    the first of its month."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def timeline(db: Database, where: IncidentFilter, *, unit: str | None = None
             ) -> dict[str, Any]:
    """Violations and probable violations per zone and bin (``unit`` day, week or month;
    None picks one from the span of the filter's dates, else of the matching days).
    The filter's verdicts, if any, are narrowed to those two: the timeline counts
    violations only. Bins with none are left out (the chart fills them)."""
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    verdicts = tuple(v for v in (where.verdicts or VIOLATIONS) if v in VIOLATIONS)
    row = IncidentRow
    zones_text = cast(row.verdict_zones, String)
    per_day: Counter[tuple[date, str, str]] = Counter()
    if verdicts:
        narrowed = replace(where, verdicts=verdicts)
        query = (select(row.event_date, zones_text, row.verdict, func.count())
                 .where(*conditions(narrowed, spatial=db.spatial), row.event_date.is_not(None))
                 .group_by(row.event_date, zones_text, row.verdict))
        with db.reading() as session:
            for day, zones, verdict, count in session.execute(query):
                for zone in json.loads(zones or "[]"):
                    if not where.zones or zone in where.zones:
                        per_day[(day, zone, verdict)] += count
    days = sorted({day for day, _, _ in per_day})
    first = where.date_from or (days[0] if days else None)
    last = where.date_to or (days[-1] if days else None)
    chosen = unit or (choose_unit(first, last) if first and last else "day")
    binned: Counter[tuple[date, str, str]] = Counter()
    for (day, zone, verdict), count in per_day.items():
        binned[(bin_start(day, chosen), zone, verdict)] += count
    keys = sorted({(start, zone) for start, zone, _ in binned})
    violation, probable = VIOLATIONS
    return {
        "unit": chosen,
        "date_from": bin_start(first, chosen) if first else None,
        "date_to": last,
        "data": [{"start": start, "zone": zone,
                  "violations": binned[(start, zone, violation)],
                  "probable_violations": binned[(start, zone, probable)]}
                 for start, zone in keys],
    }


def date_extent(db: Database, where: IncidentFilter = IncidentFilter()
                ) -> tuple[date | None, date | None]:
    """The first and last event dates of the matching incidents (None when none is
    dated). Each is the first row of the event_date index that passes the filter, so the
    whole ledger's answer costs a few rows, not a scan."""
    row = IncidentRow
    tests = [*conditions(where, spatial=db.spatial), row.event_date.is_not(None)]
    with db.reading() as session:
        first = session.scalar(select(row.event_date).where(*tests)
                               .order_by(row.event_date.asc()).limit(1))
        last = session.scalar(select(row.event_date).where(*tests)
                              .order_by(row.event_date.desc()).limit(1))
    return first, last
