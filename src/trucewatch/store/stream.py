"""The ledger read in batches, as exports, briefings and digests need it: each incident
as the analysts read it (corrections applied, rejected incidents left out), with its
review state and, when asked, its claims, the reports they came from and the evidence.

Nothing builds the whole ledger in memory: the ids that may match are read first (the
database narrows them on the machine's columns, always keeping corrected incidents, whose
correction may move them into the selection), then incidents are loaded and yielded in
batches, and the exact test runs on the effective values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import noload, selectinload

from trucewatch.model import Claim, Confidence, Incident, Scenario, Verdict
from trucewatch.store.database import Database
from trucewatch.store.repository import claim_from_row, incident_from_row, verdict_from_row
from trucewatch.store.review import (
    Decision,
    ReviewState,
    TriageStatus,
    apply_overrides,
    review_states,
)
from trucewatch.store.tables import ClaimRow, IncidentRow, OverrideRow, ReportRow

BATCH = 500

# Airwars' grades from the most to the least certain; "at least fair" keeps the first two.
CONFIDENCE_ORDER = (Confidence.CONFIRMED, Confidence.FAIR, Confidence.WEAK,
                    Confidence.CONTESTED, Confidence.DISCOUNTED)


@dataclass(frozen=True, slots=True)
class Selection:
    """Which incidents to read. Every test applies to the effective (corrected) values."""

    zones: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    verdicts: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    min_confidence: Confidence | None = None
    reviewed_only: bool = False  # only incidents an analyst confirmed
    recorded_since: datetime | None = None  # a report about it was ingested at or after
    ids: tuple[int, ...] | None = None  # only these incidents (still tested)


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


def iter_entries(db: Database, selection: Selection = Selection(),
                 scenario: Scenario | None = None, *, provenance: bool = True,
                 batch: int = BATCH) -> Iterator[Entry]:
    """The selected incidents, oldest event first (undated last), in batches."""
    with db.reading() as session:
        corrected = select(OverrideRow.incident_id)
        query = (select(IncidentRow.id)
                 .where(or_(IncidentRow.id.in_(corrected), *_narrowing(selection)))
                 .order_by(IncidentRow.event_date.is_(None), IncidentRow.event_date,
                           IncidentRow.id))
        if selection.recorded_since is not None:
            recent = (select(ClaimRow.incident_id)
                      .join(ReportRow, ReportRow.id == ClaimRow.report_id)
                      .where(ReportRow.ingested_at >= selection.recorded_since))
            query = query.where(IncidentRow.id.in_(recent))
        if selection.ids is not None:
            query = query.where(IncidentRow.id.in_(selection.ids))
        ids = list(session.scalars(query))
    for start in range(0, len(ids), batch):
        yield from _load(db, ids[start:start + batch], selection, scenario, provenance)


def _load(db: Database, ids: Sequence[int], selection: Selection, scenario: Scenario | None,
          provenance: bool) -> Iterator[Entry]:
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
            state = states.get(incident_id) or ReviewState()
            incident, verdict = apply_overrides(incident_from_row(row), verdict_from_row(row),
                                                state.overrides, scenario)
            if not matches(incident, verdict, state, selection):
                continue
            entry = Entry(incident, verdict, state, row.assessed_at, first.get(incident_id))
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


def matches(incident: Incident, verdict: Verdict | None, review: ReviewState,
            selection: Selection) -> bool:
    """Whether an incident, as the analysts read it, is in the selection."""
    if review.decision is Decision.REJECTED:
        return False
    if selection.reviewed_only and not (review.status is TriageStatus.REVIEWED
                                        and review.decision is Decision.CONFIRMED):
        return False
    if selection.zones and (verdict is None or not set(selection.zones) & set(verdict.zones)):
        return False
    if selection.verdicts and (verdict is None or verdict.kind.value not in selection.verdicts):
        return False
    if selection.event_types and incident.event_type.value not in selection.event_types:
        return False
    if selection.min_confidence is not None and (
            CONFIDENCE_ORDER.index(incident.confidence)
            > CONFIDENCE_ORDER.index(selection.min_confidence)):
        return False
    day = incident.event_date
    if (selection.date_from or selection.date_to) and day is None:
        return False
    return day is None or not ((selection.date_from and day < selection.date_from)
                               or (selection.date_to and day > selection.date_to))


def _narrowing(selection: Selection) -> list[ColumnElement[bool]]:
    """What the database can test on the machine's columns, joined with AND."""
    tests: list[ColumnElement[bool]] = []
    if selection.date_from:
        tests.append(IncidentRow.event_date >= selection.date_from)
    if selection.date_to:
        tests.append(IncidentRow.event_date <= selection.date_to)
    if selection.verdicts:
        tests.append(IncidentRow.verdict.in_(selection.verdicts))
    if selection.event_types:
        tests.append(IncidentRow.event_type.in_(selection.event_types))
    return [and_(*tests)] if tests else [true()]
