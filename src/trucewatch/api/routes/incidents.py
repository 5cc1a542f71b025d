"""Incidents: the list with its filters, paging and sorting; one incident with its
evidence. Values are the analysts' where they corrected the machine."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from trucewatch.api.deps import LedgerDep, Reader, ScenarioDep
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.filters import Limit, Offset, incident_filters, to_filter
from trucewatch.api.routes import IncidentId
from trucewatch.api.schemas import IncidentDetailPublic, IncidentPublic, Page, SearchFilters
from trucewatch.edge.present import detail_public, incident_public

router = APIRouter(prefix="/api/incidents", tags=["incidents"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[IncidentPublic])
def list_incidents(
    _reader: Reader, ledger: LedgerDep, scenario: ScenarioDep,
    filters: Annotated[SearchFilters, Depends(incident_filters)],
    limit: Limit = 50, offset: Offset = 0,
) -> dict[str, Any]:
    """Incidents matching every filter given, one page at a time. Rejected incidents are
    left out unless include_rejected is true."""
    views, count = ledger.search(to_filter(filters), sort=filters.sort, limit=limit, offset=offset)
    return {"data": [incident_public(view) for view in views], "count": count}


@router.get("/{incident_id}", response_model=IncidentDetailPublic)
def get_incident(
    incident_id: IncidentId, _reader: Reader, ledger: LedgerDep, scenario: ScenarioDep,
) -> dict[str, Any]:
    """One incident with its claims, the reports they came from (text and evidence
    spans, to highlight where each field was read) and the analysts' corrections."""
    return detail_public(ledger.incident_detail(incident_id))
