"""The ledger as its readers ask for it: incidents filtered, sorted and paged with the
analysts' corrections applied, one incident with its evidence, daily counts, reports.

Filters apply to the effective values (the analyst's where there is one). The database
narrows the candidates on the machine's columns, always keeping every corrected incident
(its correction may move it into the filter), and the exact test runs on the effective
incident in Python.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, or_, select, true
from sqlalchemy.orm import noload, selectinload

from trucewatch.errors import NotFoundError
from trucewatch.model import Incident, Scenario, Verdict, VerdictKind
from trucewatch.store.database import Database
from trucewatch.store.repository import claim_from_row, incident_from_row, verdict_from_row
from trucewatch.store.review import (
    Decision,
    ReviewState,
    TriageStatus,
    apply_overrides,
    review_states,
)
from trucewatch.store.tables import ClaimRow, IncidentRow, OverrideRow, ReportRow, TriageRow

VIOLATIONS = (VerdictKind.VIOLATION.value, VerdictKind.PROBABLE_VIOLATION.value)
SORTS = ("event_date", "-event_date", "killed", "-killed", "id", "-id")


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    """What a reader asks of the incident list. bbox is (min lon, min lat, max lon, max lat)."""

    zone: str | None = None
    agreement: str | None = None
    verdicts: tuple[str, ...] = ()
    event_type: str | None = None
    actor: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    bbox: tuple[float, float, float, float] | None = None
    q: str | None = None
    review_status: str | None = None
    include_rejected: bool = False
    sort: str = "event_date"
    limit: int = 50
    offset: int = 0


@dataclass(slots=True)
class IncidentView:
    """An incident as the analysts read it, with its review state."""

    incident: Incident
    verdict: Verdict | None
    review: ReviewState


@dataclass(slots=True)
class EvidenceView:
    id: str  # stable within a report, for a page to anchor a highlight on
    field: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class ClaimView:
    id: int
    report_id: int
    record: Any  # the domain Claim
    evidence: list[EvidenceView]


@dataclass(slots=True)
class ReportView:
    id: int
    kind: str
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None
    ingested_at: datetime
    text: str | None = None
    incident_ids: list[int] = field(default_factory=list)
    spans: list[EvidenceView] = field(default_factory=list)


@dataclass(slots=True)
class IncidentDetail:
    view: IncidentView
    claims: list[ClaimView]
    reports: list[ReportView]


def search_incidents(db: Database, query: IncidentQuery, scenario: Scenario | None = None
                     ) -> tuple[list[IncidentView], int]:
    """One page of incidents matching ``query``, and how many match in all.

    The incidents no analyst corrected (nearly all) are filtered, sorted, counted and
    paged by the database; the corrected few are read whole and judged on their
    corrected values, then both are merged into the page. A text search with letters
    outside ASCII is matched in Python on every incident (JSON columns keep such
    letters escaped)."""
    if query.q and not query.q.isascii():
        return _search_in_python(db, query, scenario)
    page_end = query.offset + query.limit
    with db.reading() as session:
        corrected_ids = set(session.scalars(select(OverrideRow.incident_id).distinct()))
        in_reports = _text_in_reports(session, query.q) if query.q and corrected_ids else set()
        plain = (select(IncidentRow).where(IncidentRow.id.not_in(corrected_ids),
                                           *_sql_filter(query, db.spatial)))
        total = session.scalar(select(func.count()).select_from(plain.subquery())) or 0
        rows = list(session.scalars(plain.options(noload(IncidentRow.claims))
                                    .order_by(*_sql_order(query.sort)).limit(page_end)))
        corrected = list(session.scalars(
            select(IncidentRow).options(noload(IncidentRow.claims))
            .where(IncidentRow.id.in_(corrected_ids)))) if corrected_ids else []
        ids = [row.id for row in rows + corrected]
        states = review_states(session, ids)
    views = [_view(row, states.get(row.id), scenario) for row in rows]
    matching = [v for v in (_view(row, states.get(row.id), scenario) for row in corrected)
                if _matches(v, query, in_reports)]
    chosen = _sorted(views + matching, query.sort)
    return chosen[query.offset:page_end], total + len(matching)


def _search_in_python(db: Database, query: IncidentQuery, scenario: Scenario | None
                      ) -> tuple[list[IncidentView], int]:
    with db.reading() as session:
        rows = list(session.scalars(select(IncidentRow).options(noload(IncidentRow.claims))))
        states = review_states(session)
        in_reports = _text_in_reports(session, query.q) if query.q else set()
    views = [_view(row, states.get(row.id), scenario) for row in rows]
    chosen = _sorted([v for v in views if _matches(v, query, in_reports)], query.sort)
    return chosen[query.offset:query.offset + query.limit], len(chosen)


def _sorted(views: list[IncidentView], sort: str) -> list[IncidentView]:
    views = sorted(views, key=_sort_key(sort), reverse=sort.startswith("-"))
    if sort.lstrip("-") != "id":  # unknown values last whichever the direction
        views.sort(key=lambda v: _sort_value(v, sort) is None)
    return views


def incident_detail(db: Database, incident_id: int, scenario: Scenario | None = None
                    ) -> IncidentDetail:
    """One incident with its claims, each claim's report and evidence spans."""
    with db.reading() as session:
        row = session.scalar(select(IncidentRow).where(IncidentRow.id == incident_id)
                             .options(selectinload(IncidentRow.claims)
                                      .selectinload(ClaimRow.report)))
        if row is None:
            raise NotFoundError(f"no incident {incident_id}", what="incident")
        view = _view(row, review_states(session, [incident_id]).get(incident_id), scenario)
        claims: list[ClaimView] = []
        reports: dict[int, ReportView] = {}
        for claim_row in sorted(row.claims, key=lambda c: c.id):
            evidence = [EvidenceView(f"c{claim_row.id}-e{n}", e["field"], e["start"], e["end"],
                                     e["text"]) for n, e in enumerate(claim_row.evidence or [])]
            claims.append(ClaimView(claim_row.id, claim_row.report_id,
                                    claim_from_row(claim_row), evidence))
            report = reports.get(claim_row.report_id)
            if report is None:
                report = reports[claim_row.report_id] = _report(
                    claim_row.report, {incident_id}, text=True)
            report.spans.extend(evidence)
        for report in reports.values():
            report.spans.sort(key=lambda span: (span.start, span.end))
    return IncidentDetail(view, claims, list(reports.values()))


def daily_counts(db: Database, *, zone: str | None = None, date_from: date | None = None,
                 date_to: date | None = None, scenario: Scenario | None = None
                 ) -> list[dict[str, Any]]:
    """Violations and probable violations per zone and day, as analysts read them;
    days with none are left out (a timeline fills them). Rejected incidents do not count."""
    views, _ = search_incidents(db, IncidentQuery(
        zone=zone, verdicts=VIOLATIONS, date_from=date_from, date_to=date_to,
        limit=10**9), scenario)
    counts: Counter[tuple[date, str, str]] = Counter()
    for view in views:
        if view.incident.event_date is None or view.verdict is None:
            continue
        for zone_id in view.verdict.zones:
            if zone is None or zone_id == zone:
                counts[(view.incident.event_date, zone_id, view.verdict.kind.value)] += 1
    days = sorted({(day, zone_id) for day, zone_id, _ in counts})
    return [{"date": day, "zone": zone_id,
             "violations": counts[(day, zone_id, VerdictKind.VIOLATION.value)],
             "probable_violations": counts[(day, zone_id, VerdictKind.PROBABLE_VIOLATION.value)]}
            for day, zone_id in days]


def list_reports(db: Database, *, limit: int = 50, offset: int = 0
                 ) -> tuple[list[ReportView], int]:
    """Reports, newest ingested first, without their text (one report gives it)."""
    with db.reading() as session:
        count = session.scalar(select(func.count(ReportRow.id))) or 0
        rows = list(session.scalars(select(ReportRow).order_by(ReportRow.id.desc())
                                    .limit(limit).offset(offset)))
        # The incidents of a page of reports in one query, not each report's claims (a
        # dataset file is one report with hundreds of thousands of them).
        incidents: dict[int, set[int]] = {}
        for report_id, incident_id in session.execute(
                select(ClaimRow.report_id, ClaimRow.incident_id).distinct()
                .where(ClaimRow.report_id.in_([row.id for row in rows]),
                       ClaimRow.incident_id.is_not(None))):
            incidents.setdefault(report_id, set()).add(incident_id)
        return [_report(row, incidents.get(row.id, set())) for row in rows], count


def get_report(db: Database, report_id: int) -> ReportView:
    """One report with its text and the evidence spans read from it."""
    with db.reading() as session:
        row = session.get(ReportRow, report_id)
        if row is None:
            raise NotFoundError(f"no report {report_id}", what="report")
        claims = session.execute(select(ClaimRow.id, ClaimRow.incident_id, ClaimRow.evidence)
                                 .where(ClaimRow.report_id == report_id)
                                 .order_by(ClaimRow.id)).all()
        report = _report(row, {c.incident_id for c in claims if c.incident_id is not None},
                         text=True)
        for claim in claims:
            report.spans.extend(EvidenceView(f"c{claim.id}-e{n}", e["field"], e["start"],
                                             e["end"], e["text"])
                                for n, e in enumerate(claim.evidence or []))
        report.spans.sort(key=lambda span: (span.start, span.end))
        return report


# --- helpers ------------------------------------------------------------------------------


def _view(row: IncidentRow, state: ReviewState | None, scenario: Scenario | None
          ) -> IncidentView:
    state = state or ReviewState()
    incident = incident_from_row(row)  # lists load no claims: the incident has none
    incident, verdict = apply_overrides(incident, verdict_from_row(row), state.overrides,
                                        scenario)
    return IncidentView(incident, verdict, state)


_SORT_COLUMNS = {"event_date": IncidentRow.event_date, "killed": IncidentRow.killed_best,
                 "id": IncidentRow.id}


def _sql_order(sort: str) -> list[Any]:
    """ORDER BY as _sorted orders: unknown values last, then by id in the same direction."""
    column = _SORT_COLUMNS.get(sort.lstrip("-"), IncidentRow.id)
    descending = sort.startswith("-")
    return [column.is_(None), column.desc() if descending else column.asc(),
            IncidentRow.id.desc() if descending else IncidentRow.id.asc()]


def _sql_filter(query: IncidentQuery, spatial: bool) -> list[ColumnElement[bool]]:
    """Every filter of ``query`` on the machine's columns, for incidents no analyst
    corrected: _matches in SQL."""
    tests = _machine_filter(query, spatial=spatial)
    if query.zone:
        tests.append(_json_holds(IncidentRow.verdict_zones, query.zone))
    if query.agreement:
        tests.append(_json_holds(IncidentRow.verdict_agreements, query.agreement))
    triage = select(TriageRow.incident_id)
    if not query.include_rejected:
        tests.append(IncidentRow.id.not_in(
            triage.where(TriageRow.decision == Decision.REJECTED.value)))
    if query.review_status == TriageStatus.UNREAD:
        tests.append(IncidentRow.id.not_in(
            triage.where(TriageRow.status != TriageStatus.UNREAD.value)))
    elif query.review_status:
        tests.append(IncidentRow.id.in_(triage.where(TriageRow.status == query.review_status)))
    if query.q:
        words = [IncidentRow.event_type, IncidentRow.perpetrator, IncidentRow.perpetrator_actor,
                 IncidentRow.target_actor, IncidentRow.location_name, IncidentRow.admin1,
                 IncidentRow.admin2, cast(IncidentRow.sources, String),
                 cast(IncidentRow.verdict_reasons, String)]
        tests.append(or_(IncidentRow.id.in_(_reports_matching(query.q)),
                         *(word.icontains(query.q, autoescape=True) for word in words)))
    return tests


def _json_holds(column: Any, value: str) -> ColumnElement[bool]:
    """Does the JSON list in ``column`` hold the string ``value``? (Portable: the list's
    text holds the value's JSON text, quotes included.)"""
    return cast(column, String).contains(json.dumps(value), autoescape=True)


def _machine_filter(query: IncidentQuery, *, spatial: bool = False
                    ) -> list[ColumnElement[bool]]:
    """The filters the database can apply to the machine's columns, joined with AND."""
    tests: list[ColumnElement[bool]] = []
    if query.date_from:
        tests.append(IncidentRow.event_date >= query.date_from)
    if query.date_to:
        tests.append(IncidentRow.event_date <= query.date_to)
    if query.event_type:
        tests.append(IncidentRow.event_type == query.event_type)
    if query.verdicts:
        tests.append(IncidentRow.verdict.in_(query.verdicts))
    if query.actor:
        tests.append(or_(IncidentRow.perpetrator_actor == query.actor,
                         IncidentRow.target_actor == query.actor))
    if query.bbox:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        if spatial:  # PostGIS, on the GiST index of migration 0005
            point = func.ST_SetSRID(func.ST_MakePoint(IncidentRow.lon, IncidentRow.lat), 4326)
            envelope = func.ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326)
            tests.append(func.ST_Intersects(point, envelope))
        else:
            tests.append(and_(IncidentRow.lon.between(min_lon, max_lon),
                              IncidentRow.lat.between(min_lat, max_lat)))
    return [and_(*tests)] if tests else [true()]


def _matches(view: IncidentView, query: IncidentQuery, in_reports: set[int]) -> bool:
    incident, verdict, review = view.incident, view.verdict, view.review
    place = incident.location
    if review.decision is Decision.REJECTED and not query.include_rejected:
        return False
    if query.zone and (verdict is None or query.zone not in verdict.zones):
        return False
    if query.agreement and (verdict is None or query.agreement not in verdict.agreements):
        return False
    if query.verdicts and (verdict is None or verdict.kind.value not in query.verdicts):
        return False
    if query.event_type and incident.event_type.value != query.event_type:
        return False
    if query.actor and query.actor not in (incident.perpetrator_actor, incident.target_actor):
        return False
    day = incident.event_date
    if (query.date_from or query.date_to) and day is None:
        return False
    if day is not None and ((query.date_from and day < query.date_from)
                            or (query.date_to and day > query.date_to)):
        return False
    if query.bbox:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        if place is None or place.lat is None or place.lon is None:
            return False
        if not (min_lon <= place.lon <= max_lon and min_lat <= place.lat <= max_lat):
            return False
    if query.review_status and review.status.value != query.review_status:
        return False
    return not query.q or incident.id in in_reports or _text_matches(view, query.q)


def _text_matches(view: IncidentView, text: str) -> bool:
    incident, verdict = view.incident, view.verdict
    words = [incident.event_type.value, incident.perpetrator, incident.perpetrator_actor,
             incident.target_actor, *incident.sources]
    if incident.location is not None:
        words += [incident.location.name, incident.location.admin1, incident.location.admin2]
    if verdict is not None:
        words += list(verdict.reasons)
    needle = text.casefold()
    return any(needle in word.casefold() for word in words if word)


def _text_in_reports(session: Any, text: str) -> set[int]:
    """Ids of incidents whose reports' title or text contain ``text`` (any case)."""
    return set(session.scalars(_reports_matching(text)))


def _reports_matching(text: str) -> Any:
    return (select(ClaimRow.incident_id).join(ReportRow, ReportRow.id == ClaimRow.report_id)
            .where(ClaimRow.incident_id.is_not(None),
                   or_(ReportRow.title.icontains(text, autoescape=True),
                       ReportRow.text.icontains(text, autoescape=True))).distinct())


def _sort_value(view: IncidentView, sort: str) -> Any:
    key = sort.lstrip("-")
    if key == "event_date":
        return view.incident.event_date
    if key == "killed":
        return view.incident.killed.best
    return view.incident.id


def _sort_key(sort: str) -> Any:
    def key(view: IncidentView) -> tuple[Any, ...]:
        value = _sort_value(view, sort)
        return (value is not None, value if value is not None else 0, view.incident.id or 0)
    return key


def _report(row: ReportRow, incident_ids: set[int], *, text: bool = False) -> ReportView:
    return ReportView(
        id=row.id, kind=row.kind, title=row.title, url=row.url, outlet=row.outlet,
        published=row.published, ingested_at=row.ingested_at,
        text=row.text if text else None, incident_ids=sorted(incident_ids),
    )
