"""Aggregate violation reports: counts per side, area and day, as monitors and the sides
give them, each with its own verdict (read-only; `trucewatch aggregates import` adds them)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from trucewatch.api.deps import LedgerDep, Reader
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.filters import Limit, Offset, check_range
from trucewatch.api.schemas import IsoDay, Page
from trucewatch.service.aggregates import aggregate_record

router = APIRouter(prefix="/api/aggregates", tags=["aggregates"], responses=ERROR_RESPONSES)

VerdictName = Literal["violation", "probable violation", "not a violation",
                      "outside every zone", "undetermined"]


class AggregateVerdictPublic(BaseModel):
    kind: VerdictName
    zones: list[str]
    agreements: list[str]
    reasons: list[str]


class AggregatePublic(BaseModel):
    id: int
    date: date
    reporter: str
    side: str | None
    side_actor: str | None
    area: str | None
    count: int
    kind: str
    killed: int | None
    wounded: int | None
    source: str | None
    note: str | None
    verdict: AggregateVerdictPublic


@router.get("", response_model=Page[AggregatePublic])
def list_aggregates(
    _reader: Reader, ledger: LedgerDep,
    date_from: Annotated[IsoDay | None, Query(description="First day counted, YYYY-MM-DD.")] = None,
    date_to: Annotated[IsoDay | None, Query(description="Last day counted, YYYY-MM-DD.")] = None,
    side: Annotated[str | None, Query(max_length=200, description=(
        "The side accused: an actor id of the scenario, or as the reports name it."))] = None,
    verdict: Annotated[list[VerdictName] | None, Query()] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> dict[str, Any]:
    """Counts of acts per side, area and day (a monitoring mission's daily report, a side's
    statement), by day, each with its verdict and the reasons for it."""
    check_range(date_from, date_to)
    found, count = ledger.aggregates(date_from=date_from, date_to=date_to, side=side,
                                     verdicts=tuple(verdict or ()), limit=limit,
                                     offset=offset)
    return {"data": [aggregate_record(s) for s in found], "count": count}
