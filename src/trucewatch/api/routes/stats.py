"""Counts for the timeline: violations per zone and day."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from trucewatch.api.deps import LedgerDep, Reader, ScenarioDep
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.filters import check_range
from trucewatch.api.schemas import DailyCountPublic, IsoDay, Page

router = APIRouter(prefix="/api/stats", tags=["stats"], responses=ERROR_RESPONSES)


@router.get("/daily", response_model=Page[DailyCountPublic])
def daily(
    _reader: Reader, ledger: LedgerDep, scenario: ScenarioDep,
    zone: Annotated[str | None, Query(max_length=80)] = None,
    date_from: Annotated[IsoDay | None, Query(description="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[IsoDay | None, Query(description="Last day, YYYY-MM-DD.")] = None,
) -> dict[str, Any]:
    """Violations and probable violations per zone and day, with the analysts'
    corrections; days without any are left out. Rejected incidents do not count."""
    check_range(date_from, date_to)
    rows = ledger.daily_counts(zone=zone, date_from=date_from, date_to=date_to)
    return {"data": rows, "count": len(rows)}
