"""Rows their publisher withdrew, taken out of the store: ACLED deletes events (a
duplicate it merged into another event, an event found out of scope) and lists them
apart. Keeping them would count such an event twice, or count one that is not there.

Each withdrawn row's claim is deleted, with any analyst's split or join naming it; the
service (service/merging.py) reconciles and re-assesses its incident from the claims it
has left, and an incident left with none goes. A row ACLED published again after the
deletion (its timestamp is the later) stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from trucewatch.importers import BadRow
from trucewatch.importers.acled import DATASET, Deletion
from trucewatch.importers.common import ROW_VERSION
from trucewatch.model import Incident
from trucewatch.store.merging import MergeSummary, load_incidents
from trucewatch.store.tables import ClaimRow, MergeDecisionClaimRow

BATCH_SIZE = 5_000  # ids per transaction, and per IN (...) list
_CLAIMS = cast(Table, ClaimRow.__table__)


@dataclass(slots=True)
class WithdrawalSummary:
    path: str
    read: int = 0
    withdrawn: int = 0  # claims taken out
    not_stored: int = 0  # ids the ledger does not hold (never imported, or gone already)
    republished: int = 0  # stored rows newer than their deletion: kept
    skipped: int = 0  # bad rows
    bad_rows: list[BadRow] = field(default_factory=list)  # the first MAX_BAD_ROWS
    incidents: MergeSummary = field(default_factory=MergeSummary)


def take_out(session: Session, deletions: dict[str, Deletion], summary: WithdrawalSummary
             ) -> list[Incident]:
    """Delete the stored claims these deletions name (not a row published again after
    its deletion), with any analyst's split or join naming them; the incidents they were
    in, with the claims they have left, for the service to reconcile and write."""
    c = _CLAIMS.c
    stored = session.execute(select(c.id, c.external_id, c.incident_id, c.extra).where(
        c.dataset == DATASET, c.external_id.in_(list(deletions)))).all()
    summary.not_stored += len(deletions) - len(stored)
    doomed: dict[int, int | None] = {}  # claim id -> its incident
    for claim_id, external_id, incident_id, extra in stored:
        version, deleted_at = (extra or {}).get(ROW_VERSION), deletions[external_id].deleted_at
        if isinstance(version, int) and deleted_at is not None and version > deleted_at:
            summary.republished += 1
        else:
            doomed[claim_id] = incident_id
    if not doomed:
        return []
    session.execute(delete(MergeDecisionClaimRow)
                    .where(MergeDecisionClaimRow.claim_id.in_(list(doomed))))
    incidents = load_incidents(session, {i for i in doomed.values() if i is not None})
    for incident in incidents:
        incident.claims = [claim for claim in incident.claims if claim.id not in doomed]
    session.execute(delete(_CLAIMS).where(c.id.in_(list(doomed))))
    summary.withdrawn += len(doomed)
    return incidents
