"""Ingesting one report's claims and loading a scenario: the merge and assess stages run
here, the store reads and writes the rows (store/repository.py). Each is one
transaction: a report and everything read from it land together or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trucewatch.assess import assess
from trucewatch.ingest.near_duplicates import fingerprint
from trucewatch.merge import merge_claims
from trucewatch.model import Claim, Report, Scenario, Verdict
from trucewatch.service.reassessing import ReassessSummary, reassess_stored
from trucewatch.service.writing import rewrite_incidents, settle
from trucewatch.store import repository
from trucewatch.store.database import Database
from trucewatch.store.repository import IngestResult


def ingest_report(db: Database, report: Report, claims: Sequence[Claim],
                  scenario: Scenario | None) -> IngestResult:
    """Store a report and its claims, merge the claims into incidents, assess them. A
    report stored before changes nothing; a near-copy of a stored story is stored as its
    copy, without claims (store/copies.py)."""
    found = fingerprint(report.text)  # before the write lock: it takes a millisecond or two
    with db.transaction() as session:
        stored = repository.store_report(session, report, found)
        if not stored.created or stored.copy_of is not None:
            return stored
        candidates = repository.candidate_incidents(session, claims)
        rows = {id(incident): row for incident, row in candidates}
        touched = merge_claims(claims, into=[incident for incident, _ in candidates])
        verdicts: list[Verdict | None] = [assess(i, scenario) if scenario else None
                                          for i in touched]
        result = repository.write_ingested(session, stored.report_id, report.content_hash,
                                           claims, touched, verdicts, rows,
                                           scenario.id if scenario else None)
        # Only the rows rewritten: an untouched candidate holds the analysts' values.
        settle(session, [rows[id(i)].id for i in touched if id(i) in rows], scenario)
        return result


def save_scenario(db: Database, scenario: Scenario, definition: dict[str, Any]
                  ) -> ReassessSummary:
    """Store (or replace) a scenario and re-assess every stored incident against it, a
    batch at a time from the rows' columns (service/reassessing.py: a million imported
    incidents are neither loaded whole nor made into objects)."""
    with db.transaction() as session:
        repository.store_scenario(session, scenario, definition)
        summary = reassess_stored(session, scenario)
        # The pass above judged the rows as the analysts corrected them; judge the
        # corrected incidents from the machine's reading, then settle the corrections.
        rewrite_incidents(session, repository.corrected_ids(session), scenario)
        return summary
