"""Reports: the source documents, and ingesting a new one (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from trucewatch.api.deps import Admin, LedgerDep, Reader, ScenarioDep, SettingsDep
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.filters import Limit, Offset
from trucewatch.api.schemas import (
    IngestPublic,
    Page,
    ReportCreate,
    ReportDetailPublic,
    ReportPublic,
)
from trucewatch.edge.present import incident_public, report_public
from trucewatch.errors import InputError
from trucewatch.model import Report

router = APIRouter(prefix="/api/reports", tags=["reports"], responses=ERROR_RESPONSES)
ReportId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("", response_model=Page[ReportPublic])
def list_reports(_reader: Reader, ledger: LedgerDep, limit: Limit = 50, offset: Offset = 0
                 ) -> dict[str, Any]:
    """Reports, newest first, without their text."""
    found, count = ledger.reports(limit=limit, offset=offset)
    return {"data": [report_public(r) for r in found], "count": count}


@router.get("/{report_id}", response_model=ReportDetailPublic)
def get_report(report_id: ReportId, _reader: Reader, ledger: LedgerDep) -> dict[str, Any]:
    """One report with its text verbatim and the evidence spans read from it."""
    return report_public(ledger.report(report_id))


@router.post("", response_model=IngestPublic, status_code=status.HTTP_201_CREATED,
             responses={200: {"model": IngestPublic,
                              "description": "The same text was stored before."}})
def ingest_report(body: ReportCreate, _admin: Admin, ledger: LedgerDep, settings: SettingsDep,
                  scenario: ScenarioDep, response: Response) -> dict[str, Any]:
    """Read a report: extract, merge, assess and store. 201 with the incidents added or
    updated; posting the same text again is 200 with created false and changes nothing."""
    if len(body.text.encode("utf-8")) > settings.max_input_bytes:
        raise InputError("text", f"longer than max_input_bytes ({settings.max_input_bytes})")
    result = ledger.ingest(Report(text=body.text, title=body.title, url=body.url,
                                  outlet=body.outlet, published=body.published, source="api"))
    if result.created:
        ids = [incident.id for incident, _ in result.incidents if incident.id is not None]
    else:
        response.status_code = status.HTTP_200_OK
        ids = ledger.report(result.report_id).incident_ids
    # Read back, so an incident the report joined shows the analysts' corrections too.
    views = [ledger.incident_detail(i).view for i in ids]
    return {"report_id": result.report_id, "created": result.created,
            "incidents": [incident_public(view) for view in views]}
