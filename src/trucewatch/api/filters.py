"""The incident list's query parameters, checked and turned into the store's IncidentFilter.

Shared by GET /api/incidents and saved searches, so a saved search is refused for the
same reasons as the query it stands for."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import Field

from trucewatch.api.schemas import Dataset, IsoDay, SearchFilters, Sort
from trucewatch.errors import InputError
from trucewatch.model import Confidence, EventType, VerdictKind
from trucewatch.service import IncidentFilter, TriageStatus

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000
SourceName = Annotated[str, Field(min_length=1, max_length=200,
                                  pattern=r"^[^\x00-\x1f\x7f]*$")]


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """'minlon,minlat,maxlon,maxlat' in degrees; boxes across the antimeridian are not
    supported (ask for the two halves)."""
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise InputError("bbox", f"{value!r} is not four numbers: write "
                         "minlon,minlat,maxlon,maxlat, e.g. 35.5,32.3,42.4,37.4")
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180
            and -90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise InputError("bbox", f"{value!r} is out of range: longitudes -180..180, "
                         "latitudes -90..90, longitude first")
    if min_lon > max_lon or min_lat > max_lat:
        raise InputError("bbox", f"{value!r} is upside down: the minimum longitude and "
                         "latitude come first, then the maximum")
    return min_lon, min_lat, max_lon, max_lat


def check_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise InputError("date_from/date_to", f"the range is upside down: {date_from} is "
                         f"after {date_to}; swap them")


def to_filter(filters: SearchFilters) -> IncidentFilter:
    """Check a set of filters and build the store's filter (the sort is apart)."""
    check_range(filters.date_from, filters.date_to)
    return IncidentFilter(
        zones=(filters.zone,) if filters.zone else (), agreement=filters.agreement,
        verdicts=tuple(v.value for v in filters.verdict),
        event_types=(filters.event_type.value,) if filters.event_type else (),
        actor=filters.actor, sources=tuple(filters.source), datasets=tuple(filters.dataset),
        confidences=tuple(c.value for c in filters.confidence),
        min_confidence=filters.min_confidence,
        date_from=filters.date_from, date_to=filters.date_to,
        bbox=parse_bbox(filters.bbox) if filters.bbox else None, q=filters.q,
        review_status=filters.review_status.value if filters.review_status else None,
        include_rejected=filters.include_rejected,
    )


# async: FastAPI runs a plain def dependency in the thread pool, a hop that was over a
# quarter of a kept list page's CPU; this one does no I/O.
async def incident_filters(
    zone: Annotated[str | None, Query(max_length=80, description="Zone id.")] = None,
    agreement: Annotated[str | None, Query(
        max_length=80, description="Agreement or declaration id the incident broke.")] = None,
    verdict: Annotated[list[VerdictKind] | None, Query(
        description="Verdict; repeat for several.")] = None,
    event_type: Annotated[EventType | None, Query(description="ACLED sub-event type.")] = None,
    actor: Annotated[str | None, Query(
        max_length=80, description="Actor id, as perpetrator or target.")] = None,
    source: Annotated[list[SourceName] | None, Query(
        max_length=20, description="A source the incident's claims cite, or the outlet "
        "of one of its reports (a dataset's name for imported rows), named in part, any "
        "case; repeat for any of several.")] = None,
    dataset: Annotated[list[Dataset] | None, Query(
        description="A claim of the incident came from this dataset (reports: from an "
        "article or feed); repeat for any of several.")] = None,
    confidence: Annotated[list[Confidence] | None, Query(
        description="Confidence grade (Airwars'); repeat for any of several.")] = None,
    min_confidence: Annotated[Confidence | None, Query(
        description="This grade or a more certain one, in the order confirmed, fair, "
        "weak, contested, discounted.")] = None,
    date_from: Annotated[IsoDay | None, Query(description="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[IsoDay | None, Query(description="Last day, YYYY-MM-DD.")] = None,
    bbox: Annotated[str | None, Query(
        max_length=200, description="minlon,minlat,maxlon,maxlat")] = None,
    q: Annotated[str | None, Query(
        max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$",  # a NUL would cut the LIKE pattern
        description="Words in the incident, its claims (places, actors, a dataset's notes) "
        "or its articles, in any script, any case, accents ignored; each word matches as "
        "the start of a word ('Dara' finds Daraa, 'Daraya' finds Darâya).")] = None,
    review_status: Annotated[TriageStatus | None, Query()] = None,
    include_rejected: Annotated[bool, Query(
        description="Also list incidents an analyst rejected.")] = False,
    sort: Annotated[Sort, Query(
        description="event_date, killed (best estimate) or id; a leading - for descending. "
        "Unknown values come last either way, then ids in the same direction.")]
    = "event_date",
) -> SearchFilters:
    return SearchFilters(
        zone=zone, agreement=agreement, verdict=verdict or [], event_type=event_type,
        actor=actor, source=source or [], dataset=dataset or [],
        confidence=confidence or [], min_confidence=min_confidence, date_from=date_from,
        date_to=date_to, bbox=bbox, q=q,
        review_status=review_status, include_rejected=include_rejected, sort=sort,
    )


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Cursor = Annotated[str | None, Query(
    max_length=200, pattern=r"^[A-Za-z0-9_-]+$",
    description="The next_cursor of the previous page: the page after it, as fast at any "
    "depth. Use with the same sort and filters, and no offset.")]
