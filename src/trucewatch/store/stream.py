"""The ledger read in batches, as exports, briefings and digests need it: each incident
as the analysts read it (rejected incidents left out unless asked for), with its review
state and, when asked, its claims, the reports they came from and the evidence.

Nothing builds the whole ledger in memory: the ids that match are read first, with
store/selection.py's filter (the rows hold the analysts' values), then incidents are
loaded and yielded in batches.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import noload, selectinload

from trucewatch.model import Claim, Incident, Verdict
from trucewatch.store.database import Database
from trucewatch.store.review import ReviewState, review_states
from trucewatch.store.rows import claim_from_row, incident_from_row, verdict_from_row
from trucewatch.store.selection import CONFIDENCE_ORDER, IncidentFilter, matching
from trucewatch.store.tables import ClaimRow, IncidentRow, ReportRow

__all__ = ["CONFIDENCE_ORDER", "ClaimEntry", "Entry", "IncidentFilter", "SourceReport",
           "iter_entries"]

BATCH = 500

@dataclass(frozen=True, slots=True)
class SourceReport:
    id: int
    kind: str  # "article", "dataset", ...
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None
    content_hash: str
    ingested_at: datetime


@dataclass(slots=True)
class ClaimEntry:
    id: int
    report_id: int
    claim: Claim
    extra: dict[str, Any] | None = None  # a dataset row's own codes (ACLED's inter1, ...)


@dataclass(slots=True)
class Entry:
    """One incident as the analysts read it, with where it came from."""

    incident: Incident
    verdict: Verdict | None
    review: ReviewState
    assessed_at: datetime | None
    first_recorded: datetime | None
    claims: list[ClaimEntry] = field(default_factory=list)
    reports: list[SourceReport] = field(default_factory=list)


def iter_entries(db: Database, where: IncidentFilter = IncidentFilter(), *,
                 provenance: bool = True, batch: int = BATCH) -> Iterator[Entry]:
    """The incidents matching ``where``, oldest event first (undated last), in batches."""
    with db.reading() as session:
        ids = list(session.scalars(
            matching(where, spatial=db.spatial)
            .order_by(IncidentRow.event_date.is_(None), IncidentRow.event_date,
                      IncidentRow.id)))
    for start in range(0, len(ids), batch):
        yield from _load(db, ids[start:start + batch], provenance)


def _load(db: Database, ids: Sequence[int], provenance: bool) -> Iterator[Entry]:
    with db.reading() as session:
        loader = (selectinload(IncidentRow.claims).selectinload(ClaimRow.report).load_only(
                      ReportRow.id, ReportRow.kind, ReportRow.title, ReportRow.url,
                      ReportRow.outlet, ReportRow.published, ReportRow.content_hash,
                      ReportRow.ingested_at)  # not the text: an article can be megabytes
                  if provenance else noload(IncidentRow.claims))
        rows = {row.id: row for row in session.scalars(
            select(IncidentRow).where(IncidentRow.id.in_(ids)).options(loader))}
        states = review_states(session, list(ids))
        first = dict(session.execute(
            select(ClaimRow.incident_id, func.min(ReportRow.ingested_at))
            .join(ReportRow, ReportRow.id == ClaimRow.report_id)
            .where(ClaimRow.incident_id.in_(ids)).group_by(ClaimRow.incident_id)).tuples().all())
        entries: list[Entry] = []
        for incident_id in ids:  # keep the order the ids were read in
            row = rows.get(incident_id)
            if row is None:  # deleted between the two reads
                continue
            entry = Entry(incident_from_row(row), verdict_from_row(row),
                          states.get(incident_id) or ReviewState(), row.assessed_at,
                          first.get(incident_id))
            if provenance:
                reports: dict[int, SourceReport] = {}
                for claim_row in sorted(row.claims, key=lambda c: c.id):
                    entry.claims.append(ClaimEntry(claim_row.id, claim_row.report_id,
                                                   claim_from_row(claim_row),
                                                   dict(claim_row.extra or {})))
                    report = claim_row.report
                    reports.setdefault(report.id, SourceReport(
                        report.id, report.kind, report.title, report.url, report.outlet,
                        report.published, report.content_hash, report.ingested_at))
                entry.reports = list(reports.values())
            entries.append(entry)
    yield from entries
