"""Merging as the service runs it: the claims waiting for an incident, merged batch by
batch; the analysts' split and join; the rows a publisher withdrew. The merge stage
decides, the store reads and writes the rows, and service/writing.py assesses and
settles what changed. Each batch or decision is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from trucewatch.errors import InputError, NotFoundError
from trucewatch.importers import BadRow
from trucewatch.importers.acled import Deletion, read_deletions
from trucewatch.merge import CURATED, MergeRules, date_range, merge_claims, reconcile, same_event
from trucewatch.merge_blocks import Block, alone
from trucewatch.model import Claim, DatePrecision, Incident, Scenario
from trucewatch.service.writing import write_incidents, write_lone
from trucewatch.store import decisions, merging, withdrawals
from trucewatch.store.database import Database
from trucewatch.store.decisions import DecisionResult
from trucewatch.store.imports import record_bad_row
from trucewatch.store.merging import BATCH_SIZE, MergeSummary, as_date
from trucewatch.store.withdrawals import WithdrawalSummary


def merge_pending(db: Database, scenario: Scenario | None, *, batch_size: int = BATCH_SIZE,
                  progress: Callable[[int], None] | None = None,
                  blocks: bool = True) -> MergeSummary:
    """Merge every stored claim that has no incident, batch by batch, oldest day first.
    ``blocks``: give curated rows alone in their blocks their incidents in bulk
    (merge_blocks.py); off, every claim goes through merge.merge_claims (the tests hold
    the two ways to the same ledger)."""
    summary = MergeSummary()
    waiting = merging.Waiting()  # the waiting claims' order, read once for every batch
    while True:
        with db.transaction() as session, merging.bulk_cache(session):
            done = merge_batch(session, scenario, batch_size, summary, blocks=blocks,
                               waiting=waiting)
        if not done:
            return summary
        if progress is not None:
            progress(summary.claims)


def merge_batch(session: Session, scenario: Scenario | None, limit: int,
                summary: MergeSummary, *, blocks: bool = True,
                waiting: merging.Waiting | None = None) -> int:
    """One batch: returns how many claims it merged (0: nothing was waiting). The batch
    takes the waiting claims of a few consecutive days. Curated rows that no claim of
    another source could meet (merge_blocks.alone) get an incident each, in bulk; the
    others are merged with the incidents whose claims fall on their days (and those an
    analyst's join or a changed row points to), under the analysts' rules. ``waiting``:
    the order of a run of batches (merge_pending's), else read for this one."""
    rows = (waiting or merging.Waiting()).take(session, limit)
    if not rows:
        return 0
    rules = merging.load_rules(session)
    lone = _lone(session, rows, rules) if blocks else []
    if len(lone) < len(rows):
        taken = {row[_ID] for row in lone}
        _merge_claims(session, scenario, [r for r in rows if r[_ID] not in taken], rules,
                      summary)
    if lone:
        write_lone(session, lone, scenario, summary)
    summary.claims += len(rows)
    return len(rows)


_ID, _DATASET, _EXTERNAL_ID, _PREVIOUS = (merging.P[name] for name in (
    "id", "dataset", "external_id", "previous_incident_id"))
_BLOCK = ("dataset", "event_date", "date_precision", "event_date_end", "location_name", "lat",
          "lon", "geo_precision")


def _lone(session: Session, rows: list[tuple[Any, ...]], rules: MergeRules
          ) -> list[tuple[Any, ...]]:
    """The rows that are alone in their blocks: curated, not changed since they were
    merged, not in an analyst's join, and no claim of another source, waiting or stored,
    in reach (merge_blocks.alone)."""
    chosen = [n for n, row in enumerate(rows) if row[_DATASET] in CURATED
              and row[_EXTERNAL_ID] is not None and not row[_PREVIOUS]
              and row[_ID] not in rules.group]
    if not chosen:  # (a day of GDELT: no curated row, no block to build)
        return []
    # Each row's block by one C call; its dates decoded after (as_date caches them).
    raw = list(map(itemgetter(*(merging.P[name] for name in _BLOCK)), rows))
    blocks: list[Block] = [(ds, as_date(day), precision, as_date(end), name, lat, lon, geo)
                           for ds, day, precision, end, name, lat, lon, geo in raw]
    lone: list[tuple[Any, ...]] = []
    for dataset in sorted({rows[n][_DATASET] for n in chosen}):
        mine = [n for n in chosen if rows[n][_DATASET] == dataset]
        # Each distinct (day, precision, end) once: a year of rows has a few hundred.
        spans = [span for day, precision, end in {blocks[n][1:4] for n in mine}
                 if (span := date_range(day, _precision(precision), end)) is not None]
        stored: list[Block] = []
        if spans:
            stored = merging.stored_blocks(session, min(s[0] for s in spans),
                                           max(s[1] for s in spans), {dataset})
        others = [b for b in blocks if b[0] != dataset] + stored
        flags = alone([blocks[n] for n in mine], others)
        lone += [rows[n] for n, flag in zip(mine, flags, strict=True) if flag]
    return lone


def _precision(value: str | None) -> DatePrecision | None:
    return DatePrecision(value) if value else None


def _merge_claims(session: Session, scenario: Scenario | None, rows: list[tuple[Any, ...]],
                  rules: MergeRules, summary: MergeSummary) -> None:
    """The claims that may meet others, through merge.merge_claims."""
    pending = [merging.claim_from_pending(row) for row in rows]
    previous = {row[_ID]: row[_PREVIOUS] for row in rows if row[_PREVIOUS]}
    candidates = merging.candidates(session, pending, previous, rules)
    by_id = {incident.id: incident for incident in candidates}
    # A changed row goes back to its incident when it still fits (or was its only claim).
    fresh: list[Claim] = []
    back: list[Incident] = []
    for claim in pending:
        home = by_id.get(previous.get(claim.id or 0))
        if home is not None and _still_fits(home, claim, rules):
            home.claims.append(claim)
            back.append(home)
        else:
            fresh.append(claim)
    touched = {id(i): i for i in merge_claims(fresh, into=candidates, rules=rules)}
    others = [*back, *(by_id[i] for i in set(previous.values()) if i in by_id)]
    for incident in others:  # took a changed row back, or lost one
        if id(incident) not in touched and incident.claims:
            reconcile(incident)
        touched[id(incident)] = incident
    write_incidents(session, list(touched.values()), scenario, summary, previous,
                    moved={c.id for c in pending if c.id is not None})


def _still_fits(home: Incident, claim: Claim, rules: MergeRules) -> bool:
    if not home.claims:
        return True
    if claim.id is not None and any(c.id in rules.apart.get(claim.id, ()) for c in home.claims):
        return False
    return same_event(home, claim)


# --- the analysts' split and join -----------------------------------------------------------


def split_incident(db: Database, incident_id: int, claim_ids: Iterable[int],
                   scenario: Scenario | None, *, user_id: int | None = None,
                   note: str | None = None) -> DecisionResult:
    """Move the chosen claims out of an incident into a new one; the decision is kept
    (store/decisions.py) so no later merge puts them back together."""
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
        decision = decisions.record(session, "split", incident.claims, moved, user_id, note)
        for item in (incident, split_off):
            reconcile(item)
        write_incidents(session, [incident, split_off], scenario, MergeSummary())
        assert split_off.id is not None
        decisions.log(session, user_id, "split", note, incident_id, split_off.id)
        return DecisionResult(decision, (incident_id, split_off.id))


def join_incidents(db: Database, keep_id: int, other_id: int, scenario: Scenario | None, *,
                   user_id: int | None = None, note: str | None = None) -> DecisionResult:
    """Move every claim of ``other_id`` into ``keep_id``; the other incident goes, its
    corrections, triage and votes moving over where ``keep_id`` has none of its own."""
    if keep_id == other_id:
        raise InputError("incidents join", f"incident {keep_id} named twice; name two")
    with db.transaction() as session:
        keep, other = _one(session, keep_id), _one(session, other_id)
        decision = decisions.record(session, "join", keep.claims, other.claims, user_id, note)
        previous = {c.id: other_id for c in other.claims if c.id is not None}
        keep.claims.extend(other.claims)
        other.claims = []
        reconcile(keep)
        write_incidents(session, [keep, other], scenario, MergeSummary(), previous)
        decisions.log(session, user_id, "join", note, keep_id, other_id)
        return DecisionResult(decision, (keep_id,))


def _one(session: Session, incident_id: int) -> Incident:
    found = merging.load_incidents(session, [incident_id])
    if not found:
        raise NotFoundError(f"no incident {incident_id}", what="incident")
    return found[0]


def _ids(values: list[int]) -> str:
    return ", ".join(str(v) for v in values) or "none"


# --- rows their publisher withdrew ------------------------------------------------------------


def withdraw_acled_deletions(db: Database, path: Path, scenario: Scenario | None, *,
                             progress: Callable[[int], None] | None = None,
                             on_bad_row: Callable[[BadRow], None] | None = None
                             ) -> WithdrawalSummary:
    """Take the events an ACLED deleted-events list names out of the ledger: their claims
    go (store/withdrawals.py), their incidents are reconciled from the claims left and
    re-assessed, an incident left with none goes. Batches commit whole."""
    summary = WithdrawalSummary(str(path))
    batch: dict[str, Deletion] = {}

    def store() -> None:
        with db.transaction() as session:
            incidents = withdrawals.take_out(session, batch, summary)
            for incident in incidents:
                if incident.claims:
                    reconcile(incident)
            write_incidents(session, incidents, scenario, summary.incidents, moved=set())
        batch.clear()

    for item in read_deletions(path, progress):
        summary.read += 1
        if isinstance(item, BadRow):
            record_bad_row(summary, item, on_bad_row)
            continue
        batch[item.event_id] = item  # an id listed twice: its last deletion counts
        if len(batch) == withdrawals.BATCH_SIZE:
            store()
    if batch:
        store()
    return summary
