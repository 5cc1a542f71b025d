"""ACLED's CSV export, one claim per event row.

| ACLED column | claim |
|---|---|
| event_id_cnty | external_id (kept for round trips: the ACLED export gives it back) |
| event_date | event_date; ISO (2017-07-04) or the older "04 July 2017" |
| time_precision | date_precision: 1 day, 2 week, 3 month (a period's first day is kept) |
| sub_event_type | event_type, one to one (ACLED's spelling is trucewatch's vocabulary) |
| actor1 / actor2 | perpetrator / target text; the scenario's actor ids when it knows them |
| location, admin1, admin2, country, latitude, longitude | location |
| geo_precision | geo_precision, as is (both are ACLED's 1-3) |
| fatalities | killed: low and best (ACLED's figure is the lowest reported), high unknown |
| source | sources, split on ";" |
| notes | notes |
| inter codes, associated actors, iso, region, admin3, tags, ... | kept as is, for exports |

Sub-event types that are not political violence (protests, riots, strategic
developments) are counted as ignored, not stored: the ledger records violence.
"""

from __future__ import annotations

from datetime import timedelta

from trucewatch.importers.common import (
    Actors,
    HeadedCsvReader,
    Ignored,
    Outcome,
    Row,
    RowProblem,
    parse_coordinates,
    parse_count,
    parse_day,
    row_hash,
    split_sources,
)
from trucewatch.model import Casualties, Claim, DatePrecision, EventType, Place

DATASET = "acled"
REQUIRED = (
    "event_id_cnty", "event_date", "sub_event_type", "actor1", "actor2", "country",
    "location", "latitude", "longitude", "geo_precision", "source", "fatalities",
)
# Read when present; ACLED's exports have gained columns over the years. year,
# disorder_type and event_type follow from event_date and sub_event_type, so they are
# not kept; timestamp is ACLED's own bookkeeping and not hashed (a re-export touches it).
OPTIONAL = (
    "time_precision", "admin1", "admin2", "notes",
    "assoc_actor_1", "inter1", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "admin3", "source_scale", "tags",
)
KEPT = OPTIONAL[4:]  # ACLED's own codes, stored beside the claim for exports

EVENT_TYPES = {t.value: t for t in EventType}
PRECISION = {"1": DatePrecision.DAY, "2": DatePrecision.WEEK, "3": DatePrecision.MONTH}
DATE_FORMATS = ("%d %B %Y", "%d-%B-%Y", "%d/%m/%Y")




def _row(line: int, f: list[str], actors: Actors) -> Outcome:
    (event_id, event_date, sub_event_type, actor1, actor2, country, location, latitude,
     longitude, geo_precision, source, fatalities, time_precision, admin1, admin2,
     notes) = f[:16]
    event_type = EVENT_TYPES.get(sub_event_type.strip())
    if event_type is None:
        return Ignored(line, sub_event_type.strip() or "no sub_event_type")
    if not event_id.strip():
        raise RowProblem("empty event_id_cnty")
    day = parse_day(event_date, "event_date", DATE_FORMATS)
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
    # ACLED dates a week to its middle and a month to its 15th; trucewatch keeps a period's
    # first day (the ACLED export turns it back).
    if precision is DatePrecision.WEEK:
        day -= timedelta(days=3)
    elif precision is DatePrecision.MONTH:
        day = day.replace(day=1)
    claim = Claim(
        event_type=event_type, event_date=day, date_precision=precision,
        location=place, location_text=location or None,
        perpetrator=actor1 or None, perpetrator_actor=actors.resolve(actor1),
        target_actor=actors.resolve(actor2),
        killed=Casualties(low=killed, best=killed) if killed is not None else Casualties(),
        sources=split_sources(source), dataset=DATASET, external_id=event_id.strip(),
        notes=notes or None,
    )
    extra = {name: value for name, value in zip(KEPT, f[len(REQUIRED) + 4:], strict=True)
             if value}
    if actor2:
        extra["actor2"] = actor2
    return Row(line, claim, row_hash(f), extra)


READER = HeadedCsvReader(DATASET, REQUIRED, OPTIONAL, _row)
