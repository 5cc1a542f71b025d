"""Aggregate violation reports in the store: counts per side, area and day with their
verdicts (tables.AggregateRow). Writes take the service's session; reads open their own.

A count is identified by its day, reporter, side, area and kind (aggregates.identity): a
re-import of the same count changes nothing, a corrected figure replaces the stored one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from trucewatch.aggregates import identity
from trucewatch.model import AggregateReport, Verdict, VerdictKind
from trucewatch.store.database import Database
from trucewatch.store.tables import AggregateRow

VIOLATIONS = (VerdictKind.VIOLATION.value, VerdictKind.PROBABLE_VIOLATION.value)


@dataclass(frozen=True, slots=True)
class StoredAggregate:
    id: int
    report: AggregateReport
    verdict: Verdict
    side_actor: str | None
    recorded_at: datetime


@dataclass(slots=True)
class AggregateSummary:
    read: int = 0
    added: int = 0
    updated: int = 0  # a stored count whose figures or verdict changed
    unchanged: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)


Judged = tuple[AggregateReport, Verdict, str | None]  # the count, its verdict, the side's id


def _hash(report: AggregateReport) -> str:
    return hashlib.sha256(identity(report).encode()).hexdigest()


def _values(report: AggregateReport, verdict: Verdict, side_actor: str | None
            ) -> dict[str, Any]:
    return {"day": report.day, "reporter": report.reporter, "side": report.side,
            "side_actor": side_actor, "area": report.area, "count": report.count,
            "kind": report.kind, "killed": report.killed, "wounded": report.wounded,
            "source": report.source, "text": report.text, "verdict": verdict.kind.value,
            "verdict_zones": list(verdict.zones),
            "verdict_agreements": list(verdict.agreements),
            "verdict_reasons": list(verdict.reasons)}


def save(session: Session, judged: Iterable[Judged]) -> AggregateSummary:
    """Store each count with its verdict: new ones added, a known one (same identity)
    updated when anything about it changed. The caller's transaction makes it all or
    nothing."""
    summary = AggregateSummary()
    now = datetime.now(UTC).replace(tzinfo=None)
    seen: dict[str, AggregateRow] = {}
    for report, verdict, side_actor in judged:
        summary.read += 1
        summary.verdicts[verdict.kind.value] += 1
        digest = _hash(report)
        values = _values(report, verdict, side_actor)
        row = seen.get(digest) or session.scalar(
            select(AggregateRow).where(AggregateRow.identity == digest))
        if row is None:
            row = AggregateRow(identity=digest, recorded_at=now, updated_at=now, **values)
            session.add(row)
            summary.added += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            if digest not in seen:
                summary.updated += 1
        elif digest not in seen:
            summary.unchanged += 1
        seen[digest] = row
    session.flush()
    return summary


def rejudge(session: Session, judge: Callable[[AggregateReport], tuple[Verdict, str | None]]
            ) -> int:
    """Judge every stored count again (a scenario was loaded); how many changed verdict."""
    changed = 0
    for row in session.scalars(select(AggregateRow).order_by(AggregateRow.id)):
        verdict, side_actor = judge(_report(row))
        values = _values(_report(row), verdict, side_actor)
        if any(getattr(row, name) != value for name, value in values.items()):
            changed += row.verdict != verdict.kind.value
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = datetime.now(UTC).replace(tzinfo=None)
    return changed


def _report(row: AggregateRow) -> AggregateReport:
    return AggregateReport(day=row.day, reporter=row.reporter, count=row.count,
                           kind=row.kind, side=row.side, area=row.area, killed=row.killed,
                           wounded=row.wounded, source=row.source, text=row.text)


def _stored(row: AggregateRow) -> StoredAggregate:
    verdict = Verdict(VerdictKind(row.verdict), zones=tuple(row.verdict_zones or ()),
                      agreements=tuple(row.verdict_agreements or ()),
                      reasons=tuple(row.verdict_reasons or ()))
    return StoredAggregate(row.id, _report(row), verdict, row.side_actor, row.recorded_at)


def _conditions(date_from: date | None, date_to: date | None, side: str | None,
                verdicts: tuple[str, ...] = ()) -> list[Any]:
    tests: list[Any] = []
    if date_from is not None:
        tests.append(AggregateRow.day >= date_from)
    if date_to is not None:
        tests.append(AggregateRow.day <= date_to)
    if side:
        # The scenario's actor id, or the side as the report wrote it (any case).
        tests.append(or_(AggregateRow.side_actor == side,
                         func.lower(AggregateRow.side) == side.strip().lower()))
    if verdicts:
        tests.append(AggregateRow.verdict.in_(verdicts))
    return tests


def list_aggregates(db: Database, *, date_from: date | None = None,
                    date_to: date | None = None, side: str | None = None,
                    verdicts: tuple[str, ...] = (), limit: int | None = None,
                    offset: int = 0) -> tuple[list[StoredAggregate], int]:
    """The matching counts, by day then id, and how many match in all."""
    tests = _conditions(date_from, date_to, side, verdicts)
    with db.reading() as session:
        total = session.scalar(select(func.count(AggregateRow.id)).where(*tests)) or 0
        query = (select(AggregateRow).where(*tests)
                 .order_by(AggregateRow.day, AggregateRow.id).offset(offset))
        if limit is not None:
            query = query.limit(limit)
        return [_stored(row) for row in session.scalars(query)], total


def daily_totals(db: Database, *, date_from: date | None = None, date_to: date | None = None,
                 zones: tuple[str, ...] = ()) -> dict[tuple[date, str], dict[str, int]]:
    """Per day and zone, the acts counted (``reported``) and those in counts judged
    violations or probable violations; counts in no zone are left out."""
    totals: dict[tuple[date, str], dict[str, int]] = {}
    query = (select(AggregateRow.day, AggregateRow.verdict, AggregateRow.verdict_zones,
                    AggregateRow.count)
             .where(*_conditions(date_from, date_to, None)))
    with db.reading() as session:
        for day, verdict, zone_ids, count in session.execute(query):
            for zone in zone_ids or ():
                if zones and zone not in zones:
                    continue
                bucket = totals.setdefault((day, zone), {
                    "reported": 0, "violations": 0, "probable_violations": 0})
                bucket["reported"] += count
                if verdict == VerdictKind.VIOLATION.value:
                    bucket["violations"] += count
                elif verdict == VerdictKind.PROBABLE_VIOLATION.value:
                    bucket["probable_violations"] += count
    return totals
