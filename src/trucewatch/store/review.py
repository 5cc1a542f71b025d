"""Analyst review: corrections kept beside the machine's reading, confirm and reject,
votes, triage, the audit log and saved searches.

A correction is written into the incident row when it is made (store/effective.py): the
row holds the analyst's value, ``overrides`` the machine's reading beside it, refreshed
whenever re-extraction or re-assessment rewrites the incident. A verdict set by an
analyst wins over the machine's. Every action is appended to ``review_actions``, never
edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select, true
from sqlalchemy.orm import Session, aliased

from trucewatch.errors import ConflictError, InputError, NotFoundError
from trucewatch.model import Scenario
from trucewatch.store.database import Database
from trucewatch.store.effective import CORRECTABLE, to_json
from trucewatch.store.merging import rewrite_incidents
from trucewatch.store.tables import (
    IncidentRow,
    OverrideRow,
    ReviewActionRow,
    SavedSearchRow,
    TriageRow,
    UserRow,
    VoteRow,
)

NOT_NULL = frozenset({"event_type", "verdict"})


class TriageStatus(StrEnum):
    UNREAD = "unread"
    IN_PROGRESS = "in_progress"
    REVIEWED = "reviewed"


class Decision(StrEnum):
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Override:
    field: str
    machine_value: Any
    analyst_value: Any
    note: str | None
    user: str
    created_at: datetime


@dataclass(slots=True)
class ReviewState:
    """Where the team stands on one incident."""

    status: TriageStatus = TriageStatus.UNREAD
    assigned_to: str | None = None
    decision: Decision | None = None
    agree: int = 0
    disagree: int = 0
    overrides: dict[str, Override] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    incident_id: int
    user: str
    action: str
    field: str | None
    machine_value: Any
    analyst_value: Any
    note: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    name: str
    filters: dict[str, Any]
    created_at: datetime
    updated_at: datetime


# --- corrections, confirm, reject ---------------------------------------------------------


def correct(db: Database, incident_id: int, user_id: int, values: dict[str, Any],
            note: str | None = None, *, scenario: Scenario | None) -> None:
    """Set the analyst's value of each field in ``values`` and write the incident as
    corrected (re-assessed against ``scenario``); the machine's reading is kept in the
    overrides. An unread incident becomes in progress, assigned to the corrector."""
    unknown = sorted(set(values) - set(CORRECTABLE))
    if unknown or not values:
        raise InputError("fields", f"cannot correct {', '.join(unknown) or 'nothing'}; "
                         "correctable fields: " + ", ".join(CORRECTABLE))
    for name in NOT_NULL & set(values):
        if values[name] is None:
            raise InputError(name, "cannot be null; give a value")
    with db.transaction() as session:
        row = _incident(session, incident_id)
        existing = {o.field: o for o in session.scalars(
            select(OverrideRow).where(OverrideRow.incident_id == incident_id))}
        # The row holds the effective values: the analysts' where corrected, else the
        # machine's.
        effective = {name: to_json(getattr(row, name)) for name in CORRECTABLE}
        effective.update({name: to_json(value) for name, value in values.items()})
        _check_tolls(effective)
        now = _now()
        for name, value in values.items():
            machine = (existing[name].machine_value if name in existing
                       else to_json(getattr(row, name)))
            override = existing.get(name) or OverrideRow(incident_id=incident_id, field=name)
            override.machine_value, override.analyst_value = machine, to_json(value)
            override.note, override.user_id, override.created_at = note, user_id, now
            session.add(override)
            _log(session, incident_id, user_id, "correct", name, machine, to_json(value), note)
        triage = _triage(session, incident_id)
        if triage.status == TriageStatus.UNREAD:
            triage.status, triage.assigned_to = TriageStatus.IN_PROGRESS.value, user_id
            triage.updated_at = now
        session.flush()
        rewrite_incidents(session, [incident_id], scenario)


def revert(db: Database, incident_id: int, user_id: int, field_name: str,
           note: str | None = None, *, scenario: Scenario | None) -> None:
    """Drop the analyst's value of one field: the machine's reading is effective again
    (and the incident re-assessed against ``scenario``)."""
    with db.transaction() as session:
        _incident(session, incident_id)
        override = session.scalar(select(OverrideRow).where(
            OverrideRow.incident_id == incident_id, OverrideRow.field == field_name))
        if override is None:
            raise NotFoundError(f"incident {incident_id} has no correction of {field_name!r}")
        _log(session, incident_id, user_id, "revert", field_name, override.machine_value,
             override.analyst_value, note)
        session.delete(override)
        session.flush()
        rewrite_incidents(session, [incident_id], scenario)


def decide(db: Database, incident_id: int, user_id: int, decision: Decision,
           note: str | None = None) -> None:
    """Confirm the incident as read (with any corrections), or reject it as not a real
    incident; either way it is reviewed. A rejected incident leaves lists and counts."""
    with db.transaction() as session:
        _incident(session, incident_id)
        triage = _triage(session, incident_id)
        triage.status, triage.decision = TriageStatus.REVIEWED.value, decision.value
        triage.updated_at = _now()
        action = "confirm" if decision is Decision.CONFIRMED else "reject"
        _log(session, incident_id, user_id, action, None, None, decision.value, note)


def set_triage(db: Database, incident_id: int, user_id: int, status: TriageStatus,
               assigned_to: int | None = None, note: str | None = None) -> None:
    """Move an incident through unread, in progress (assigned to someone) and reviewed."""
    with db.transaction() as session:
        _incident(session, incident_id)
        triage = _triage(session, incident_id)
        triage.status = status.value
        triage.assigned_to = assigned_to if status is TriageStatus.IN_PROGRESS else (
            triage.assigned_to if status is TriageStatus.REVIEWED else None)
        if status is TriageStatus.UNREAD:
            triage.decision = None
        triage.updated_at = _now()
        assignee = session.get(UserRow, assigned_to) if assigned_to else None
        _log(session, incident_id, user_id, "triage", None, None,
             {"status": status.value, "assigned_to": assignee.username if assignee else None},
             note)


def vote(db: Database, incident_id: int, user_id: int, value: int | None) -> None:
    """+1 agree, -1 disagree, None withdraws; one vote per user, changeable."""
    if value not in (1, -1, None):
        raise InputError("value", f"a vote is 1 (agree) or -1 (disagree), not {value!r}")
    with db.transaction() as session:
        _incident(session, incident_id)
        row = session.scalar(select(VoteRow).where(
            VoteRow.incident_id == incident_id, VoteRow.user_id == user_id))
        if value is None:
            if row is None:
                raise NotFoundError(f"you have no vote on incident {incident_id} to withdraw")
            session.delete(row)
        else:
            row = row or VoteRow(incident_id=incident_id, user_id=user_id)
            row.value, row.updated_at = value, _now()
            session.add(row)
        _log(session, incident_id, user_id, "vote", None, None, value, None)


# --- reading the review state -------------------------------------------------------------


def review_states(session: Session, incident_ids: list[int] | None = None
                  ) -> dict[int, ReviewState]:
    """The review state of the given incidents (all when None); absent ones are unread."""
    states: dict[int, ReviewState] = {}

    def wanted(column: Any) -> Any:
        return column.in_(incident_ids) if incident_ids is not None else true()

    assignee = aliased(UserRow)
    for triage, username in session.execute(
        select(TriageRow, assignee.username)
        .outerjoin(assignee, assignee.id == TriageRow.assigned_to)
        .where(wanted(TriageRow.incident_id))
    ):
        state = states.setdefault(triage.incident_id, ReviewState())
        state.status = TriageStatus(triage.status)
        state.assigned_to = username
        state.decision = Decision(triage.decision) if triage.decision else None
    for incident_id, value, count in session.execute(
        select(VoteRow.incident_id, VoteRow.value, func.count())
        .where(wanted(VoteRow.incident_id)).group_by(VoteRow.incident_id, VoteRow.value)
    ):
        state = states.setdefault(incident_id, ReviewState())
        if value > 0:
            state.agree = count
        else:
            state.disagree = count
    for override, username in session.execute(
        select(OverrideRow, UserRow.username).join(UserRow, UserRow.id == OverrideRow.user_id)
        .where(wanted(OverrideRow.incident_id))
    ):
        states.setdefault(override.incident_id, ReviewState()).overrides[override.field] = \
            Override(override.field, override.machine_value, override.analyst_value,
                     override.note, username, override.created_at)
    return states


# --- the audit log ------------------------------------------------------------------------


def audit(db: Database, *, incident_id: int | None = None, username: str | None = None,
          limit: int = 100, offset: int = 0) -> tuple[list[AuditEntry], int]:
    """Every review action, newest first, with who and when; and how many match."""
    query = select(ReviewActionRow, UserRow.username).join(
        UserRow, UserRow.id == ReviewActionRow.user_id)
    if incident_id is not None:
        query = query.where(ReviewActionRow.incident_id == incident_id)
    if username is not None:
        query = query.where(UserRow.username == username)
    with db.reading() as session:
        count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(query.order_by(ReviewActionRow.id.desc())
                               .limit(limit).offset(offset))
        return [AuditEntry(row.id, row.incident_id, name, row.action, row.field,
                           row.machine_value, row.analyst_value, row.note, row.created_at)
                for row, name in rows], count


# --- saved searches -----------------------------------------------------------------------


def list_searches(db: Database, user_id: int) -> list[SavedSearch]:
    with db.reading() as session:
        return [_search(row) for row in session.scalars(
            select(SavedSearchRow).where(SavedSearchRow.user_id == user_id)
            .order_by(SavedSearchRow.name))]


def get_search(db: Database, user_id: int, search_id: int) -> SavedSearch:
    with db.reading() as session:
        return _search(_own_search(session, user_id, search_id))


def save_search(db: Database, user_id: int, name: str, filters: dict[str, Any],
                search_id: int | None = None) -> SavedSearch:
    """Create a named search, or change one of the user's own (by id)."""
    with db.transaction() as session:
        clash = session.scalar(select(SavedSearchRow.id).where(
            SavedSearchRow.user_id == user_id, SavedSearchRow.name == name))
        if clash is not None and clash != search_id:
            raise ConflictError(f"you have a saved search named {name!r} already; "
                                "pick another name or change that one")
        now = _now()
        if search_id is None:
            row = SavedSearchRow(user_id=user_id, created_at=now)
        else:
            row = _own_search(session, user_id, search_id)
        row.name, row.filters, row.updated_at = name, filters, now
        session.add(row)
        session.flush()
        return _search(row)


def delete_search(db: Database, user_id: int, search_id: int) -> None:
    with db.transaction() as session:
        _own_search(session, user_id, search_id)
        session.execute(delete(SavedSearchRow).where(SavedSearchRow.id == search_id))


def _own_search(session: Session, user_id: int, search_id: int) -> SavedSearchRow:
    row = session.get(SavedSearchRow, search_id)
    if row is None or row.user_id != user_id:  # another user's search is not yours to see
        raise NotFoundError(f"you have no saved search {search_id}")
    return row


def _search(row: SavedSearchRow) -> SavedSearch:
    return SavedSearch(row.id, row.name, dict(row.filters), row.created_at, row.updated_at)


# --- helpers ------------------------------------------------------------------------------


def _incident(session: Session, incident_id: int) -> IncidentRow:
    row = session.get(IncidentRow, incident_id)
    if row is None:
        raise NotFoundError(f"no incident {incident_id}", what="incident")
    return row


def _triage(session: Session, incident_id: int) -> TriageRow:
    row = session.get(TriageRow, incident_id)
    if row is None:
        row = TriageRow(incident_id=incident_id, status=TriageStatus.UNREAD.value,
                        updated_at=_now())
        session.add(row)
    return row


def _log(session: Session, incident_id: int, user_id: int, action: str, field_name: str | None,
         machine: Any, analyst: Any, note: str | None) -> None:
    session.add(ReviewActionRow(
        incident_id=incident_id, user_id=user_id, action=action, field=field_name,
        machine_value=machine, analyst_value=analyst, note=note, created_at=_now()))


def _check_tolls(values: dict[str, Any]) -> None:
    for toll in ("killed", "wounded"):
        low, best, high = (values.get(f"{toll}_{p}") for p in ("low", "best", "high"))
        known = [v for v in (low, best, high) if v is not None]
        if known != sorted(known):
            raise InputError(toll, f"low <= best <= high does not hold for {low}/{best}/{high} "
                             "once corrected; correct the other figures too")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
