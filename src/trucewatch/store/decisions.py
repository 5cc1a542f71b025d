"""Analysts' split and join, as stored: the decision (``merge_decisions``) with the
claims on each side, read back by the merger as ``MergeRules`` every time it runs
(store/merging.load_rules), so claims an analyst split never share an incident again
and claims joined stay together. The decision itself is the service's
(service/merging.py), in one transaction with the incidents it rewrites.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from trucewatch.model import Claim
from trucewatch.store.tables import MergeDecisionClaimRow, MergeDecisionRow, ReviewActionRow


@dataclass(frozen=True, slots=True)
class DecisionResult:
    decision_id: int
    incident_ids: tuple[int, ...]  # split: (the old one, the new one); join: (the one kept,)


def record(session: Session, kind: str, side0: list[Claim], side1: list[Claim],
           user_id: int | None, note: str | None) -> int:
    """Keep a split or a join with the claims on each side; its id."""
    row = MergeDecisionRow(kind=kind, user_id=user_id, note=note, created_at=_now())
    session.add(row)
    session.flush()
    session.add_all(MergeDecisionClaimRow(decision_id=row.id, claim_id=claim.id, side=side)
                    for side, claims in ((0, side0), (1, side1)) for claim in claims
                    if claim.id is not None)
    return row.id


def log(session: Session, user_id: int | None, action: str, note: str | None,
        incident_id: int, other_id: int) -> None:
    """The review audit log names a user; a decision from the command line has none and is
    kept in merge_decisions alone."""
    if user_id is None:
        return
    session.add(ReviewActionRow(incident_id=incident_id, user_id=user_id, action=action,
                                field=None, machine_value=None, analyst_value=other_id,
                                note=note, created_at=_now()))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
