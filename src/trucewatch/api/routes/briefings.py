"""The PDF briefing of a period, for the dashboard's zone pages to offer."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from trucewatch.api.deps import LedgerDep, Reader
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.filters import check_range
from trucewatch.errors import InputError, NotFoundError
from trucewatch.publish.briefing import pdf_bytes

MAX_DAYS = 366  # a longer period is a job for the command line

router = APIRouter(prefix="/api/briefings", tags=["briefings"], responses=ERROR_RESPONSES)


@router.get(
    "/briefing.pdf",
    response_class=Response,
    responses={200: {"description": "The PDF briefing of the period (as `trucewatch "
                                    "report` prints it).",
                     "content": {"application/pdf": {}}}},
)
def briefing_pdf(
    _reader: Reader, ledger: LedgerDep,
    date_from: Annotated[date, Query(description="First day of the period.")],
    date_to: Annotated[date, Query(description="Last day of the period.")],
    zone: Annotated[str | None, Query(max_length=80, description="Only this zone.")] = None,
) -> Response:
    """Summary per zone, map, violations per day, incidents, missed deadlines, disputed
    boundaries and sources, for at most a year."""
    check_range(date_from, date_to)
    if (date_to - date_from).days >= MAX_DAYS:
        raise InputError("date_to", f"a briefing covers at most {MAX_DAYS} days; use "
                         "'trucewatch report' for a longer period")
    scenario = ledger.scenario()
    if zone is not None and zone not in scenario.zones:
        raise NotFoundError(f"unknown zone '{zone}'; its zones are: "
                            + ", ".join(sorted(scenario.zones)))
    data, _ = pdf_bytes(ledger.briefing(date_from, date_to, zone))
    name = f"briefing-{zone + '-' if zone else ''}{date_from}-{date_to}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
