"""Reading and writing the ledger: reports with their claims, incidents with verdicts.

Each public write is one transaction: a report and everything read from it
land together or not at all, and a report already stored (same content hash)
changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from trucewatch.assess import assess, assess_many
from trucewatch.ingest.near_duplicates import fingerprint
from trucewatch.merge import MAX_RANGE_DAYS, claim_range, merge_claims
from trucewatch.model import (
    Casualties,
    Claim,
    Confidence,
    DatePrecision,
    EventType,
    Evidence,
    Incident,
    Place,
    Report,
    Scenario,
    Span,
    Verdict,
    VerdictKind,
)
from trucewatch.store import copies
from trucewatch.store.database import Database
from trucewatch.store.tables import ClaimRow, IncidentRow, LocatedMixin, ReportRow, ScenarioRow


@dataclass(slots=True)
class IngestResult:
    report_id: int
    created: bool  # False: the same report was already stored; nothing changed
    incidents: list[tuple[Incident, Verdict | None]] = field(default_factory=list)
    copy_of: int | None = None  # stored as a near-copy of this report: no claims of its own


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    zone: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    event_type: str | None = None
    verdicts: tuple[str, ...] = ()


def save_scenario(db: Database, scenario: Scenario, definition: dict[str, Any]) -> None:
    """Store (or replace) a scenario and re-assess every stored incident against it."""
    with db.transaction() as session:
        row = session.get(ScenarioRow, scenario.id) or ScenarioRow(id=scenario.id)
        row.name = scenario.name
        row.source = scenario.source
        row.definition = definition
        row.loaded_at = _now()
        session.add(row)
        session.flush()
        _reassess_all(session, scenario)


_REASSESS_BATCH = 20_000
_INCIDENTS = cast(Table, IncidentRow.__table__)
# A verdict needs the incident's own reading, not its claims nor its old verdict.
_LOCATED = [_INCIDENTS.c[name] for name in ("id", *LocatedMixin.__annotations__)]
_WRITE_VERDICT = (
    update(_INCIDENTS).where(_INCIDENTS.c.id == bindparam("_id"))
    .values({name: bindparam(name) for name in (
        "verdict", "verdict_zones", "verdict_agreements", "verdict_reasons", "scenario_id",
        "assessed_at")}))


def _reassess_all(session: Session, scenario: Scenario) -> None:
    """Judge every stored incident again, a batch at a time in id order: a million
    imported incidents are read from their table rows, not loaded whole as objects with
    their claims."""
    now, after = _now(), 0
    while rows := session.execute(
            select(*_LOCATED).where(_INCIDENTS.c.id > after).order_by(_INCIDENTS.c.id)
            .limit(_REASSESS_BATCH)).all():
        incidents = [Incident(**_read_located(cast(Any, row)), id=row.id) for row in rows]
        session.execute(_WRITE_VERDICT, [
            {"_id": incident.id, "verdict": verdict.kind.value,
             "verdict_zones": list(verdict.zones),
             "verdict_agreements": list(verdict.agreements),
             "verdict_reasons": list(verdict.reasons), "scenario_id": scenario.id,
             "assessed_at": now}
            for incident, verdict in zip(incidents, assess_many(incidents, scenario),
                                         strict=True)])
        after = rows[-1].id


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


def ingest_report(
    db: Database, report: Report, claims: Sequence[Claim], scenario: Scenario | None
) -> IngestResult:
    """Store a report and its claims, merge the claims into incidents, assess them. A
    near-copy of a stored story is stored as its copy, without claims (store/copies.py)."""
    found = fingerprint(report.text)  # before the write lock: it takes a millisecond or two
    with db.transaction() as session:
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
        if report_row.copy_of_id is not None:  # its claims would repeat the story's
            return IngestResult(report_row.id, created=True, copy_of=report_row.copy_of_id)

        candidates = _candidate_incidents(session, claims)
        rows_by_incident = {id(incident): row for incident, row in candidates}
        touched = merge_claims(claims, into=[incident for incident, _ in candidates])

        claim_rows: dict[int, ClaimRow] = {}
        for claim in claims:
            claim.report_hash = report.content_hash
            claim_row = claim_to_row(claim)
            claim_row.report_id = report_row.id
            claim_rows[id(claim)] = claim_row

        result = IngestResult(report_id=report_row.id, created=True)
        for incident in touched:
            incident_row = rows_by_incident.get(id(incident)) or IncidentRow()
            _write_incident(incident_row, incident)
            verdict = assess(incident, scenario) if scenario else None
            if verdict is not None and scenario is not None:
                _write_verdict(incident_row, verdict, scenario.id)
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
    """Stored incidents, each with its claims and its verdict, oldest first."""
    query = (
        select(IncidentRow)
        .options(selectinload(IncidentRow.claims))
        .order_by(IncidentRow.event_date, IncidentRow.id)
    )
    if where.date_from:
        query = query.where(IncidentRow.event_date >= where.date_from)
    if where.date_to:
        query = query.where(IncidentRow.event_date <= where.date_to)
    if where.event_type:
        query = query.where(IncidentRow.event_type == where.event_type)
    if where.verdicts:
        query = query.where(IncidentRow.verdict.in_(where.verdicts))
    with db.reading() as session:
        rows = [
            row for row in session.scalars(query)
            if not where.zone or where.zone in (row.verdict_zones or [])
        ]
        return [(incident_from_row(row), verdict_from_row(row)) for row in rows]


def count_reports(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count(ReportRow.id))) or 0


# --- conversions between domain types and rows -------------------------------------------


def _write_located(row: LocatedMixin, item: Claim | Incident) -> None:
    place = item.location
    row.event_type = item.event_type.value
    row.event_date = item.event_date
    row.date_precision = item.date_precision.value if item.date_precision else None
    row.day_part = item.day_part
    row.location_name = place.name if place else None
    row.lat = place.lat if place else None
    row.lon = place.lon if place else None
    row.admin1 = place.admin1 if place else None
    row.admin2 = place.admin2 if place else None
    row.country = place.country if place else None
    row.geo_precision = place.geo_precision if place else None
    row.geonames_id = place.geonames_id if place else None
    row.perpetrator = item.perpetrator
    row.perpetrator_actor = item.perpetrator_actor
    row.target_actor = item.target_actor
    row.killed_low, row.killed_best, row.killed_high = (
        item.killed.low, item.killed.best, item.killed.high)
    row.wounded_low, row.wounded_best, row.wounded_high = (
        item.wounded.low, item.wounded.best, item.wounded.high)
    row.killed_civilians, row.killed_combatants = item.killed.civilians, item.killed.combatants
    row.wounded_civilians, row.wounded_combatants = (
        item.wounded.civilians, item.wounded.combatants)
    row.sources = list(item.sources)


def _read_located(row: LocatedMixin) -> dict[str, Any]:
    place = None
    if row.location_name is not None:
        place = Place(
            name=row.location_name, lat=row.lat, lon=row.lon, admin1=row.admin1,
            admin2=row.admin2, country=row.country, geo_precision=row.geo_precision or 1,
            geonames_id=row.geonames_id,
        )
    return {
        "event_type": EventType(row.event_type),
        "event_date": row.event_date,
        "date_precision": DatePrecision(row.date_precision) if row.date_precision else None,
        "day_part": row.day_part,
        "location": place,
        "perpetrator": row.perpetrator,
        "perpetrator_actor": row.perpetrator_actor,
        "target_actor": row.target_actor,
        "killed": Casualties(row.killed_low, row.killed_best, row.killed_high,
                             row.killed_civilians, row.killed_combatants),
        "wounded": Casualties(row.wounded_low, row.wounded_best, row.wounded_high,
                              row.wounded_civilians, row.wounded_combatants),
        "sources": list(row.sources or []),
    }


def claim_to_row(claim: Claim) -> ClaimRow:
    row = ClaimRow()
    _write_located(row, claim)
    row.location_text = claim.location_text
    row.target = claim.target
    row.sources_agree = claim.sources_agree
    row.evidence = [
        {"field": e.field, "start": e.span.start, "end": e.span.end, "text": e.span.text}
        for e in claim.evidence
    ]
    row.dataset, row.external_id = claim.dataset, claim.external_id
    row.event_date_end, row.exact_type, row.notes = claim.date_end, claim.exact_type, claim.notes
    return row


def claim_from_row(row: ClaimRow) -> Claim:
    return Claim(
        **_read_located(row),
        location_text=row.location_text,
        target=row.target,
        sources_agree=row.sources_agree,
        evidence=[
            Evidence(e["field"], Span(e["start"], e["end"], e["text"])) for e in row.evidence or []
        ],
        dataset=row.dataset,
        external_id=row.external_id,
        date_end=row.event_date_end,
        exact_type=row.exact_type if row.exact_type is not None else True,
        notes=row.notes,
        id=row.id,
    )


def incident_from_row(row: IncidentRow) -> Incident:
    fields = _read_located(row)
    return Incident(
        **fields,
        confidence=Confidence(row.confidence),
        claims=[claim_from_row(c) for c in row.claims],
        id=row.id,
    )


def verdict_from_row(row: IncidentRow) -> Verdict | None:
    if row.verdict is None:
        return None
    return Verdict(
        VerdictKind(row.verdict),
        zones=tuple(row.verdict_zones or ()),
        agreements=tuple(row.verdict_agreements or ()),
        reasons=tuple(row.verdict_reasons or ()),
    )


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


def _candidate_incidents(
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
