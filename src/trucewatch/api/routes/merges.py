"""Analysts split a wrongly merged incident or join two that are one event. The decision
is stored and every later merge (a re-import, a new report) honours it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from trucewatch.api.deps import Analyst, LedgerDep, ScenarioDep
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.routes import IncidentId
from trucewatch.api.schemas import JoinCreate, MergeDecisionPublic, SplitCreate

router = APIRouter(prefix="/api", tags=["review"], responses=ERROR_RESPONSES)


@router.post("/incidents/{incident_id}/split", response_model=MergeDecisionPublic)
def split(incident_id: IncidentId, body: SplitCreate, principal: Analyst, ledger: LedgerDep,
          scenario: ScenarioDep) -> dict[str, Any]:
    """Move the chosen claims out of the incident into a new one; re-merging never puts
    them back together with the claims left behind."""
    result = ledger.split_incident(incident_id, body.claims, user_id=principal.user.id,
                                   note=body.note)
    return {"decision_id": result.decision_id, "incident_ids": list(result.incident_ids)}


@router.post("/incidents/{incident_id}/join", response_model=MergeDecisionPublic)
def join(incident_id: IncidentId, body: JoinCreate, principal: Analyst, ledger: LedgerDep,
         scenario: ScenarioDep) -> dict[str, Any]:
    """Fold another incident into this one; re-merging keeps their claims together."""
    result = ledger.join_incidents(incident_id, body.other, user_id=principal.user.id,
                                   note=body.note)
    return {"decision_id": result.decision_id, "incident_ids": list(result.incident_ids)}
