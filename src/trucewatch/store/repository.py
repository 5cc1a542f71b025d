"""Reading and writing the ledger's rows: reports with their claims, incidents with
verdicts, scenarios. The service composes these in its transactions (a report and
everything read from it land together or not at all); merging and assessing are its.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from trucewatch.ingest.near_duplicates import Fingerprint
from trucewatch.merge import MAX_RANGE_DAYS, claim_range
from trucewatch.model import (
    Claim,
    EventType,
    Evidence,
    Incident,
    Report,
    Scenario,
    Span,
    Verdict,
)
from trucewatch.store import copies
from trucewatch.store.database import Database
from trucewatch.store.rows import (  # re-exported: the one mapping lives in store/rows.py
    _read_located,
    _write_located,
    claim_from_row,
    claim_to_row,
    incident_from_row,
    verdict_from_row,
)
from trucewatch.store.selection import IncidentFilter, conditions
from trucewatch.store.tables import (
    ClaimRow,
    IncidentRow,
    LocatedMixin,
    OverrideRow,
    ReportRow,
    ScenarioRow,
)

__all__ = ["IncidentFilter", "IngestResult", "claim_from_row", "claim_to_row", "incident_from_row",
           "verdict_from_row"]


@dataclass(slots=True)
class IngestResult:
    report_id: int
    created: bool  # False: the same report was already stored; nothing changed
    incidents: list[tuple[Incident, Verdict | None]] = field(default_factory=list)
    copy_of: int | None = None  # stored as a near-copy of this report: no claims of its own


def store_scenario(session: Session, scenario: Scenario, definition: dict[str, Any]) -> None:
    """Store (or replace) a scenario with the copies of its files; the service
    re-assesses the incidents against it (service/ingesting.save_scenario)."""
    row = session.get(ScenarioRow, scenario.id) or ScenarioRow(id=scenario.id)
    row.name = scenario.name
    row.source = scenario.source
    row.definition = definition
    row.loaded_at = _now()
    session.add(row)
    session.flush()


_REASSESS_BATCH = 20_000
_INCIDENTS = cast(Table, IncidentRow.__table__)
# A verdict needs the incident's own reading, not its claims nor its old verdict.
_LOCATED = [_INCIDENTS.c[name] for name in ("id", *LocatedMixin.__annotations__)]


def located_batches(session: Session, *, words: bool = False) -> Iterator[list[Incident]]:
    """Every stored incident's own reading (what a verdict needs: not its claims nor its
    old verdict), a batch at a time in id order, read from the table rows: a million
    imported incidents are not loaded whole as objects with their claims. A contested
    incident brings who each of its claims blames (the verdict weighs every actor blamed);
    with ``words``, every incident brings its claims' sentences and notes too (a scenario
    with weapon zones reads the weapon from them)."""
    after = 0
    while rows := session.execute(
            select(*_LOCATED, _INCIDENTS.c.confidence).where(_INCIDENTS.c.id > after)
            .order_by(_INCIDENTS.c.id).limit(_REASSESS_BATCH)).all():
        incidents = [Incident(**_read_located(cast(Any, row)), id=row.id) for row in rows]
        wanted = {i.id: i for i, row in zip(incidents, rows, strict=True)
                  if words or row.confidence == "contested"}
        if wanted:
            columns = [ClaimRow.incident_id, ClaimRow.event_type, ClaimRow.perpetrator,
                       ClaimRow.perpetrator_actor, ClaimRow.notes, ClaimRow.sources]
            where = (ClaimRow.incident_id.between(rows[0].id, rows[-1].id) if words
                     else ClaimRow.incident_id.in_(list(wanted)))
            for claim in session.execute(select(*columns, *(
                    [ClaimRow.evidence] if words else [])).where(where)).all():
                incident = wanted.get(claim.incident_id)
                if incident is None:
                    continue
                evidence = [Evidence(e["field"], Span(e["start"], e["end"], e["text"]))
                            for e in (claim.evidence or [] if words else [])]
                incident.claims.append(Claim(
                    EventType(claim.event_type), perpetrator=claim.perpetrator,
                    perpetrator_actor=claim.perpetrator_actor, notes=claim.notes,
                    sources=list(claim.sources or []), evidence=evidence))
        yield incidents
        after = rows[-1].id


def corrected_ids(session: Session) -> list[int]:
    """The incidents an analyst corrected."""
    return list(session.scalars(select(OverrideRow.incident_id).distinct()))


def stored_scenario_definition(db: Database) -> dict[str, Any] | None:
    """The definition of the scenario loaded last, or None when none was loaded."""
    with db.reading() as session:
        row = session.scalars(
            select(ScenarioRow).order_by(ScenarioRow.loaded_at.desc()).limit(1)
        ).first()
        return dict(row.definition) if row else None


def find_report(db: Database, content_hash: str) -> int | None:
    """The id of the stored report with this content hash, if any."""
    with db.reading() as session:
        return session.scalar(select(ReportRow.id).where(ReportRow.content_hash == content_hash))


def find_report_by_url(db: Database, url: str) -> int | None:
    """The id of a stored report read from this address, if any."""
    with db.reading() as session:
        return session.scalar(select(ReportRow.id).where(ReportRow.url == url).limit(1))


def store_report(session: Session, report: Report, found: Fingerprint) -> IngestResult:
    """Store a report (``created`` False: the same text was stored before, nothing
    changed). A near-copy of a stored story is stored as its copy (``copy_of``), and
    its claims are not to be stored: they would repeat the story's."""
    existing = session.scalar(
        select(ReportRow.id).where(ReportRow.content_hash == report.content_hash)
    )
    if existing is not None:
        return IngestResult(report_id=existing, created=False)
    report_row = ReportRow(
        content_hash=report.content_hash,
        kind=report.kind,
        title=report.title,
        url=report.url,
        outlet=report.outlet,
        published=report.published,
        source=report.source,
        text=report.text,
        copy_of_id=copies.find_original(session, found),
    )
    session.add(report_row)
    session.flush()
    copies.index_report(session, report_row.id, found)
    return IngestResult(report_row.id, created=True, copy_of=report_row.copy_of_id)


def write_ingested(session: Session, report_id: int, report_hash: str,
                   claims: Sequence[Claim], touched: Sequence[Incident],
                   verdicts: Sequence[Verdict | None],
                   rows: dict[int, IncidentRow], scenario_id: str | None) -> IngestResult:
    """A stored report's claims, and the incidents they were merged into with their
    verdicts (``rows``: id() of a candidate incident -> its row, from
    :func:`candidate_incidents`; the others are new)."""
    claim_rows: dict[int, ClaimRow] = {}
    for claim in claims:
        claim.report_hash = report_hash
        claim_row = claim_to_row(claim)
        claim_row.report_id = report_id
        claim_rows[id(claim)] = claim_row
    result = IngestResult(report_id=report_id, created=True)
    for incident, verdict in zip(touched, verdicts, strict=True):
        incident_row = rows.get(id(incident)) or IncidentRow()
        _write_incident(incident_row, incident)
        if verdict is not None and scenario_id is not None:
            _write_verdict(incident_row, verdict, scenario_id)
        session.add(incident_row)
        session.flush()
        incident.id = incident_row.id
        for claim in incident.claims:
            new_row = claim_rows.get(id(claim))
            if new_row is not None:
                new_row.incident_id = incident_row.id
                session.add(new_row)
        result.incidents.append((incident, verdict))
    session.flush()
    return result


def list_incidents(
    db: Database, where: IncidentFilter = IncidentFilter()
) -> list[tuple[Incident, Verdict | None]]:
    """Stored incidents as the analysts read them, each with its claims and its verdict,
    oldest first (undated last)."""
    query = (select(IncidentRow).where(*conditions(where, spatial=db.spatial))
             .options(selectinload(IncidentRow.claims))
             .order_by(IncidentRow.event_date.is_(None), IncidentRow.event_date,
                       IncidentRow.id))
    with db.reading() as session:
        return [(incident_from_row(row), verdict_from_row(row))
                for row in session.scalars(query)]


def count_reports(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count(ReportRow.id))) or 0


def _write_incident(row: IncidentRow, incident: Incident) -> None:
    _write_located(row, incident)
    row.confidence = incident.confidence.value


def _write_verdict(row: IncidentRow, verdict: Verdict, scenario_id: str) -> None:
    row.verdict = verdict.kind.value
    row.verdict_zones = list(verdict.zones)
    row.verdict_agreements = list(verdict.agreements)
    row.verdict_reasons = list(verdict.reasons)
    row.scenario_id = scenario_id
    row.assessed_at = _now()


def candidate_incidents(
    session: Session, claims: Sequence[Claim]
) -> list[tuple[Incident, IncidentRow]]:
    """Stored incidents a new claim could join: of any type (a dataset's coarse reading may
    be the same event), dated within its date range, at its place name or near its point;
    the merge decides the rest. Narrowed by place, so a day of imported GDELT rows is not
    loaded for every article."""
    found: dict[int, tuple[Incident, IncidentRow]] = {}
    for claim in claims:
        span, place = claim_range(claim), claim.location
        if span is None or place is None:
            continue
        near = [IncidentRow.location_name == place.name]
        if place.lat is not None and place.lon is not None:
            # A box that holds every point within SAME_PLACE_KM up to 60 degrees of latitude.
            near.append(and_(IncidentRow.lat.between(place.lat - 0.05, place.lat + 0.05),
                             IncidentRow.lon.between(place.lon - 0.1, place.lon + 0.1)))
        rows = session.scalars(
            select(IncidentRow)
            .where(IncidentRow.event_date.between(span[0] - timedelta(days=MAX_RANGE_DAYS),
                                                  span[1]), or_(*near))
            .options(selectinload(IncidentRow.claims))
        )
        for row in rows:
            if row.id not in found:
                found[row.id] = (incident_from_row(row), row)
    return list(found.values())


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
