"""The incident list's query parameters, checked and turned into the store's IncidentFilter.

Shared by GET /api/incidents and saved searches, so a saved search is refused for the
same reasons as the query it stands for."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated

from fastapi import Query

from trucewatch.api.schemas import SearchFilters, Sort
from trucewatch.errors import InputError
from trucewatch.model import EventType, VerdictKind
from trucewatch.service import IncidentFilter, TriageStatus

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000


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
        actor=filters.actor, date_from=filters.date_from, date_to=filters.date_to,
        bbox=parse_bbox(filters.bbox) if filters.bbox else None, q=filters.q,
        review_status=filters.review_status.value if filters.review_status else None,
        include_rejected=filters.include_rejected,
    )


def incident_filters(
    zone: Annotated[str | None, Query(max_length=80, description="Zone id.")] = None,
    agreement: Annotated[str | None, Query(
        max_length=80, description="Agreement or declaration id the incident broke.")] = None,
    verdict: Annotated[list[VerdictKind] | None, Query(
        description="Verdict; repeat for several.")] = None,
    event_type: Annotated[EventType | None, Query(description="ACLED sub-event type.")] = None,
    actor: Annotated[str | None, Query(
        max_length=80, description="Actor id, as perpetrator or target.")] = None,
    date_from: Annotated[date | None, Query(description="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[date | None, Query(description="Last day, YYYY-MM-DD.")] = None,
    bbox: Annotated[str | None, Query(
        max_length=200, description="minlon,minlat,maxlon,maxlat")] = None,
    q: Annotated[str | None, Query(
        max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$",  # a NUL would cut the LIKE pattern
        description="Text in the incident or its reports.")] = None,
    review_status: Annotated[TriageStatus | None, Query()] = None,
    include_rejected: Annotated[bool, Query(
        description="Also list incidents an analyst rejected.")] = False,
    sort: Annotated[Sort, Query()] = "event_date",
) -> SearchFilters:
    return SearchFilters(
        zone=zone, agreement=agreement, verdict=verdict or [], event_type=event_type,
        actor=actor, date_from=date_from, date_to=date_to, bbox=bbox, q=q,
        review_status=review_status, include_rejected=include_rejected, sort=sort,
    )


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
