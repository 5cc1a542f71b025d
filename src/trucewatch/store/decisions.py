"""Analysts split a wrongly merged incident or join two that are one event.

The decision is stored (``merge_decisions``) with the claims on each side, and the merger
reads it back as ``MergeRules`` every time it runs: claims an analyst split never share an
incident again, and claims joined stay together, whatever a re-import or a new report
brings. Each decision is one transaction: the incidents are rewritten, reconciled and
re-assessed together with the decision, or nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from trucewatch.errors import InputError, NotFoundError
from trucewatch.merge import reconcile
from trucewatch.model import Claim, Incident, Scenario
from trucewatch.store.database import Database
from trucewatch.store.merging import MergeSummary, load_incidents, write_incidents
from trucewatch.store.tables import MergeDecisionClaimRow, MergeDecisionRow, ReviewActionRow


@dataclass(frozen=True, slots=True)
class DecisionResult:
    decision_id: int
    incident_ids: tuple[int, ...]  # split: (the old one, the new one); join: (the one kept,)


def split_incident(db: Database, incident_id: int, claim_ids: Iterable[int],
                   scenario: Scenario | None, *, user_id: int | None = None,
                   note: str | None = None) -> DecisionResult:
    """Move the chosen claims out of an incident into a new one."""
    chosen = set(claim_ids)
    with db.transaction() as session:
        incident = _one(session, incident_id)
        held = {c.id for c in incident.claims if c.id is not None}
        strangers = sorted(chosen - held)
        if strangers:
            raise InputError("claims", f"claim(s) {_ids(strangers)} are not in incident "
                             f"{incident_id}; its claims are {_ids(sorted(held))}")
        if not chosen:
            raise InputError("claims", "name at least one claim to move out")
        if chosen == held:
            raise InputError("claims", f"those are all the claims of incident {incident_id};"
                             " leave at least one")
        moved = [c for c in incident.claims if c.id in chosen]
        incident.claims = [c for c in incident.claims if c.id not in chosen]
        split_off = Incident(event_type=moved[0].event_type, event_date=moved[0].event_date,
                             location=moved[0].location, claims=moved)
        decision = _record(session, "split", incident.claims, moved, user_id, note)
        for item in (incident, split_off):
            reconcile(item)
        write_incidents(session, [incident, split_off], scenario, MergeSummary())
        assert split_off.id is not None
        _log(session, user_id, "split", note, incident_id, split_off.id)
        return DecisionResult(decision, (incident_id, split_off.id))


def join_incidents(db: Database, keep_id: int, other_id: int, scenario: Scenario | None, *,
                   user_id: int | None = None, note: str | None = None) -> DecisionResult:
    """Move every claim of ``other_id`` into ``keep_id``; the other incident goes, its
    corrections, triage and votes moving over where ``keep_id`` has none of its own."""
    if keep_id == other_id:
        raise InputError("incidents join", f"incident {keep_id} named twice; name two")
    with db.transaction() as session:
        keep, other = _one(session, keep_id), _one(session, other_id)
        decision = _record(session, "join", keep.claims, other.claims, user_id, note)
        previous = {c.id: other_id for c in other.claims if c.id is not None}
        keep.claims.extend(other.claims)
        other.claims = []
        reconcile(keep)
        write_incidents(session, [keep, other], scenario, MergeSummary(), previous)
        _log(session, user_id, "join", note, keep_id, other_id)
        return DecisionResult(decision, (keep_id,))


def _one(session: Session, incident_id: int) -> Incident:
    found = load_incidents(session, [incident_id])
    if not found:
        raise NotFoundError(f"no incident {incident_id}; 'trucewatch incidents' lists them")
    return found[0]


def _record(session: Session, kind: str, side0: list[Claim], side1: list[Claim],
            user_id: int | None,
            note: str | None) -> int:
    row = MergeDecisionRow(kind=kind, user_id=user_id, note=note, created_at=_now())
    session.add(row)
    session.flush()
    session.add_all(MergeDecisionClaimRow(decision_id=row.id, claim_id=claim.id, side=side)
                    for side, claims in ((0, side0), (1, side1)) for claim in claims
                    if claim.id is not None)
    return row.id


def _log(session: Session, user_id: int | None, action: str, note: str | None,
         incident_id: int, other_id: int) -> None:
    """The review audit log names a user; a decision from the command line has none and is
    kept in merge_decisions alone."""
    if user_id is None:
        return
    session.add(ReviewActionRow(incident_id=incident_id, user_id=user_id, action=action,
                                field=None, machine_value=None, analyst_value=other_id,
                                note=note, created_at=_now()))


def _ids(values: list[int]) -> str:
    return ", ".join(str(v) for v in values) or "none"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
