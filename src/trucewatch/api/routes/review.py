"""Analyst review: corrections, confirm and reject, votes, triage, and the audit log.

Every write needs the analyst role; the machine's reading is kept beside each
correction and every action is logged with who and when."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from trucewatch import accounts
from trucewatch.accounts import Role
from trucewatch.api.deps import Analyst, LedgerDep, ScenarioDep, Viewer
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.filters import Offset
from trucewatch.api.routes import IncidentId
from trucewatch.api.schemas import (
    AuditPublic,
    CorrectionCreate,
    IncidentDetailPublic,
    NoteCreate,
    Page,
    TriageUpdate,
    VoteUpdate,
)
from trucewatch.edge.present import detail_public
from trucewatch.errors import InputError
from trucewatch.service import CORRECTABLE, Decision, TriageStatus

router = APIRouter(prefix="/api", tags=["review"], responses=ERROR_RESPONSES)
FieldName = Annotated[str, Path(max_length=40, description="One of: " + ", ".join(CORRECTABLE))]


def _detail(ledger: LedgerDep, incident_id: int, scenario: ScenarioDep) -> dict[str, Any]:
    return detail_public(ledger.incident_detail(incident_id))


@router.post("/incidents/{incident_id}/corrections", response_model=IncidentDetailPublic)
def correct(incident_id: IncidentId, body: CorrectionCreate, principal: Analyst,
            ledger: LedgerDep, scenario: ScenarioDep) -> dict[str, Any]:
    """Correct fields of an incident (only those given; null means unknown). The machine's
    value is kept; the answer is the incident as corrected."""
    values = {name: getattr(body.fields, name) for name in body.fields.model_fields_set}
    ledger.correct(incident_id, principal.user.id, values, body.note)
    return _detail(ledger, incident_id, scenario)


@router.delete("/incidents/{incident_id}/corrections/{field}",
               response_model=IncidentDetailPublic)
def revert(incident_id: IncidentId, field: FieldName, principal: Analyst, ledger: LedgerDep,
           scenario: ScenarioDep) -> dict[str, Any]:
    """Drop a correction: the machine's reading of that field is effective again."""
    ledger.revert(incident_id, principal.user.id, field)
    return _detail(ledger, incident_id, scenario)


@router.post("/incidents/{incident_id}/confirm", response_model=IncidentDetailPublic)
def confirm(incident_id: IncidentId, body: NoteCreate, principal: Analyst, ledger: LedgerDep,
            scenario: ScenarioDep) -> dict[str, Any]:
    """Confirm the incident as it now reads; it becomes reviewed."""
    ledger.decide(incident_id, principal.user.id, Decision.CONFIRMED, body.note)
    return _detail(ledger, incident_id, scenario)


@router.post("/incidents/{incident_id}/reject", response_model=IncidentDetailPublic)
def reject(incident_id: IncidentId, body: NoteCreate, principal: Analyst, ledger: LedgerDep,
           scenario: ScenarioDep) -> dict[str, Any]:
    """Reject the incident as not a real event (background, a misreading); it leaves the
    lists and the counts, and stays readable by id."""
    ledger.decide(incident_id, principal.user.id, Decision.REJECTED, body.note)
    return _detail(ledger, incident_id, scenario)


@router.put("/incidents/{incident_id}/vote", response_model=IncidentDetailPublic)
def vote(incident_id: IncidentId, body: VoteUpdate, principal: Analyst, ledger: LedgerDep,
         scenario: ScenarioDep) -> dict[str, Any]:
    """Agree (1) or disagree (-1) with the incident as reviewed; voting again changes it."""
    ledger.vote(incident_id, principal.user.id, body.value)
    return _detail(ledger, incident_id, scenario)


@router.delete("/incidents/{incident_id}/vote", status_code=status.HTTP_204_NO_CONTENT,
               response_class=Response)
def withdraw_vote(incident_id: IncidentId, principal: Analyst, ledger: LedgerDep) -> None:
    ledger.vote(incident_id, principal.user.id, None)


@router.put("/incidents/{incident_id}/triage", response_model=IncidentDetailPublic)
def triage(incident_id: IncidentId, body: TriageUpdate, principal: Analyst, ledger: LedgerDep,
           scenario: ScenarioDep) -> dict[str, Any]:
    """Claim an incident (in_progress, yourself), assign it to another analyst
    (in_progress with assigned_to), mark it reviewed, or put it back to unread."""
    assignee = None
    if body.status is TriageStatus.IN_PROGRESS:
        assignee = (accounts.get_user(ledger.db, body.assigned_to) if body.assigned_to
                    else principal.user)
        if not assignee.role.allows(Role.ANALYST) or not assignee.active:
            raise InputError("assigned_to", f"{assignee.username} cannot review: assign an "
                             "active analyst or admin")
    elif body.assigned_to:
        raise InputError("assigned_to", "only an in_progress incident is assigned to someone")
    ledger.set_triage(incident_id, principal.user.id, body.status,
                      assignee.id if assignee else None, body.note)
    return _detail(ledger, incident_id, scenario)


@router.get("/audit", response_model=Page[AuditPublic])
def audit_log(
    _viewer: Viewer, ledger: LedgerDep,
    incident: Annotated[int | None, Query(ge=1, le=2**62, description="Incident id.")] = None,
    user: Annotated[str | None, Query(max_length=80, description="Username.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0,
) -> dict[str, Any]:
    """Every review action, newest first, with who took it and when. Needs a login even
    in public mode: it names the analysts."""
    entries, count = ledger.audit(incident_id=incident, username=user,
                                  limit=limit, offset=offset)
    return {"data": [{"id": e.id, "incident_id": e.incident_id, "user": e.user,
                      "action": e.action, "field": e.field, "machine_value": e.machine_value,
                      "analyst_value": e.analyst_value, "note": e.note,
                      "created_at": e.created_at} for e in entries],
            "count": count}
