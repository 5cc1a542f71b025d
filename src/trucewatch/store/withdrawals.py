"""Rows their publisher withdrew, taken out of the ledger: ACLED deletes events (a
duplicate it merged into another event, an event found out of scope) and lists them
apart. Keeping them would count such an event twice, or count one that is not there.

Each withdrawn row's claim is deleted, with any analyst's split or join naming it; its
incident is reconciled and re-assessed from the claims it has left, and an incident left
with none goes, as when merging empties one. A row ACLED published again after the
deletion (its timestamp is the later) stays. Batches commit whole; running the same list
again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from trucewatch.importers import BadRow
from trucewatch.importers.acled import DATASET, Deletion, read_deletions
from trucewatch.importers.common import ROW_VERSION
from trucewatch.merge import reconcile
from trucewatch.model import Scenario
from trucewatch.store.database import Database
from trucewatch.store.imports import record_bad_row
from trucewatch.store.merging import MergeSummary, load_incidents, write_incidents
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


def withdraw_acled_deletions(db: Database, path: Path, scenario: Scenario | None, *,
                             progress: Callable[[int], None] | None = None,
                             on_bad_row: Callable[[BadRow], None] | None = None
                             ) -> WithdrawalSummary:
    """Take the events an ACLED deleted-events list names out of the ledger."""
    summary = WithdrawalSummary(str(path))
    batch: dict[str, Deletion] = {}

    def store() -> None:
        with db.transaction() as session:
            _withdraw(session, batch, scenario, summary)
        batch.clear()

    for item in read_deletions(path, progress):
        summary.read += 1
        if isinstance(item, BadRow):
            record_bad_row(summary, item, on_bad_row)
            continue
        batch[item.event_id] = item  # an id listed twice: its last deletion counts
        if len(batch) == BATCH_SIZE:
            store()
    if batch:
        store()
    return summary


def _withdraw(session: Session, deletions: dict[str, Deletion], scenario: Scenario | None,
              summary: WithdrawalSummary) -> None:
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
        return
    session.execute(delete(MergeDecisionClaimRow)
                    .where(MergeDecisionClaimRow.claim_id.in_(list(doomed))))
    incidents = load_incidents(session, {i for i in doomed.values() if i is not None})
    for incident in incidents:
        incident.claims = [claim for claim in incident.claims if claim.id not in doomed]
        if incident.claims:
            reconcile(incident)
    session.execute(delete(_CLAIMS).where(c.id.in_(list(doomed))))
    write_incidents(session, incidents, scenario, summary.incidents, moved=set())
    summary.withdrawn += len(doomed)
