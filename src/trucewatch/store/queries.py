"""The ledger as its readers ask for it: incidents filtered, sorted and paged, one
incident with its evidence, daily counts, reports.

The incident rows hold the analysts' values (store/effective.py) and every filter is
store/selection.py's, so the database filters, sorts, counts and pages alone.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any, cast

from sqlalchemy import Row, String, bindparam, func, select, type_coerce
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import noload

from trucewatch.columns import located_fields
from trucewatch.errors import NotFoundError
from trucewatch.model import Confidence, Incident, Verdict, VerdictKind
from trucewatch.store import paging, search
from trucewatch.store.database import Database
from trucewatch.store.review import ReviewState, review_states
from trucewatch.store.rows import claim_from_row, incident_from_row, verdict_from_row
from trucewatch.store.selection import SORTS, VIOLATIONS, IncidentFilter, conditions
from trucewatch.store.tables import (
    ClaimRow,
    IncidentRow,
    OverrideRow,
    ReportRow,
    TriageRow,
    VoteRow,
)

__all__ = ["SORTS", "VIOLATIONS", "IncidentFilter", "IncidentView", "search_incidents"]


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
    copy_of: int | None = None  # a near-copy of this report (store/copies.py)


@dataclass(slots=True)
class IncidentDetail:
    view: IncidentView
    claims: list[ClaimView]
    reports: list[ReportView]
    # each claim's kept dataset fields (claims without any left out); None: not read
    extras: dict[int, dict[str, Any]] | None = None


@dataclass(slots=True)
class IncidentPage:
    views: list[IncidentView]
    count: int  # how many match in all
    next_cursor: str | None  # None: this is the last page


@dataclass(slots=True)
class RowPage:
    """A page of the list as rows of LISTED's columns (no ORM objects, no domain objects:
    an answer made of them costs a fifth of one made of incidents)."""

    rows: list[Row[Any]]
    states: dict[int, ReviewState]  # those reviewed; the others are unread
    count: int
    next_cursor: str | None


# What a list page shows of an incident, by column name. Dates and JSON lists are read as
# the driver gives them (SQLite: their text, parsed by the caller as needed), not through
# SQLAlchemy's per-value processors.
LISTED_NAMES = ("id", "event_type", "event_date", "date_precision", "location_name", "lat",
                "lon", "admin1", "admin2", "country", "geo_precision", "geonames_id",
                "perpetrator", "perpetrator_actor", "target_actor", "killed_low",
                "killed_best", "killed_high", "killed_civilians", "killed_combatants",
                "wounded_low", "wounded_best", "wounded_high", "wounded_civilians",
                "wounded_combatants", "sources", "confidence", "verdict", "verdict_zones",
                "verdict_agreements", "verdict_reasons")
_RAW = frozenset({"event_date", "sources", "verdict_zones", "verdict_agreements",
                  "verdict_reasons"})
LISTED = tuple(type_coerce(IncidentRow.__table__.c[name], String).label(name)
               if name in _RAW else IncidentRow.__table__.c[name] for name in LISTED_NAMES)
# Built once (as incident_detail's selects below): building the select of 31 columns and its
# cache key for each page cost more CPU than SQLite's reading of the page.
_LISTED_BY_ID = select(*LISTED).where(
    IncidentRow.__table__.c.id.in_(bindparam("ids", expanding=True)))


def search_rows(db: Database, where: IncidentFilter = IncidentFilter(), *,
                sort: str = "event_date", limit: int = 50, offset: int = 0,
                cursor: str | None = None, counted: tuple[int, int] | None = None,
                reviewed: bool = True) -> RowPage:
    """search_page's page as rows of LISTED's columns, read with one Core select."""
    order = paging.Sort.parse(sort)
    with db.reading() as session:
        count, ids, more = _page_ids(db, session, where, order, limit, offset, cursor, counted)
        found = {row.id: row for row in session.execute(_LISTED_BY_ID, {"ids": ids})} \
            if ids else {}
        rows = [found[i] for i in ids if i in found]
        states = review_states(session, ids) if reviewed else {}
    key = None if not rows or order.column is None else getattr(rows[-1], order.column.key)
    if isinstance(key, str):  # SQLite's text of a day, as the cursor writes it
        key = date.fromisoformat(key)
    return RowPage(rows, states, count,
                   _next_cursor(order, rows[-1].id, key) if more and rows else None)


def _page_ids(db: Database, session: Any, where: IncidentFilter, order: paging.Sort,
              limit: int, offset: int, cursor: str | None, counted: tuple[int, int] | None
              ) -> tuple[int, list[int], bool]:
    """How many match, the ids of the page, and whether more follow."""
    after = paging.decode(cursor, order) if cursor else None
    if where.q:
        search.catch_up(db)  # index what was stored since the last search
    tests = conditions(where, spatial=db.spatial)
    count, known = counted if counted is not None else paging.counts(session, tests, order)
    ids = paging.page_ids(session, tests, order, limit + 1, offset=offset, after=after,
                          known_count=known)
    return count, ids[:limit], len(ids) > limit


def _next_cursor(order: paging.Sort, last_id: int, key: Any) -> str:
    return paging.encode(paging.Position(order.spelled, key is not None or
                                         order.column is None, key, last_id))


def search_incidents(db: Database, where: IncidentFilter = IncidentFilter(), *,
                     sort: str = "event_date", limit: int = 50, offset: int = 0
                     ) -> tuple[list[IncidentView], int]:
    """One page of incidents matching ``where``, and how many match in all."""
    page = search_page(db, where, sort=sort, limit=limit, offset=offset)
    return page.views, page.count


def count_matches(db: Database, where: IncidentFilter, sort: str = "id") -> tuple[int, int]:
    """How many incidents match, and how many of those have a known value of the sort's key
    (what an offset needs to know to page: store/paging.py)."""
    order = paging.Sort.parse(sort)
    if where.q:
        search.catch_up(db)
    with db.reading() as session:
        return paging.counts(session, conditions(where, spatial=db.spatial), order)


def search_page(db: Database, where: IncidentFilter = IncidentFilter(), *,
                sort: str = "event_date", limit: int = 50, offset: int = 0,
                cursor: str | None = None, counted: tuple[int, int] | None = None,
                reviewed: bool = True) -> IncidentPage:
    """One page of the incidents matching ``where``: at ``offset``, or after the incident
    ``cursor`` names (store/paging.py), with the cursor of the next page. ``counted``, when
    the caller knows it (a cache of ``count_matches`` for this filter and sort), saves
    counting again. ``reviewed`` False (the ledger holds no review at all) skips reading
    the page's review states."""
    order = paging.Sort.parse(sort)
    with db.reading() as session:
        count, ids, more = _page_ids(db, session, where, order, limit, offset, cursor, counted)
        found = {row.id: row for row in session.scalars(
            select(IncidentRow).options(noload(IncidentRow.claims))
            .where(IncidentRow.id.in_(ids)))}
        rows = [found[i] for i in ids if i in found]
        states = review_states(session, ids) if reviewed else {}
    next_cursor = None
    if more and rows:
        next_cursor = _next_cursor(order, rows[-1].id, order.key_of(rows[-1]))
    return IncidentPage([_view(row, states.get(row.id)) for row in rows], count, next_cursor)


def any_review(db: Database) -> bool:
    """Has any analyst triaged, voted on or corrected an incident?"""
    with db.reading() as session:
        return any(session.scalar(select(table.incident_id).limit(1)) is not None
                   for table in (TriageRow, VoteRow, OverrideRow))


def newest_assessed(db: Database, where: IncidentFilter, limit: int) -> list[int]:
    """The ids of the ``limit`` matching incidents assessed last (the Atom feed's), newest
    first; those never assessed after them."""
    with db.reading() as session:
        return list(session.scalars(
            select(IncidentRow.id).where(*conditions(where, spatial=db.spatial))
            .order_by(IncidentRow.assessed_at.is_(None), IncidentRow.assessed_at.desc(),
                      IncidentRow.id.desc()).limit(limit)))


def incident_detail(db: Database, incident_id: int, *, reviewed: bool = True
                    ) -> IncidentDetail:
    """One incident with its claims, each claim's report and evidence spans, and the
    dataset fields each claim kept (for its provenance). ``reviewed`` False (the ledger
    holds no review at all) skips its three review queries. Read as Core rows, three
    selects (ORM objects and their eager loads were half of an uncached answer's CPU)."""
    with db.reading() as session:
        row = session.execute(_DETAIL_INCIDENT, {"id": incident_id}).first()
        if row is None:
            raise NotFoundError(f"no incident {incident_id}", what="incident")
        claim_rows = session.execute(_DETAIL_CLAIMS, {"id": incident_id}).all()
        wanted = sorted({c.report_id for c in claim_rows})
        report_rows = {r.id: r for r in session.execute(
            _DETAIL_REPORTS, {"ids": wanted})} if wanted else {}
        state = review_states(session, [incident_id]).get(incident_id) if reviewed else None
    claims: list[ClaimView] = []
    reports: dict[int, ReportView] = {}
    extras: dict[int, dict[str, Any]] = {}
    for claim_row in claim_rows:
        evidence = [EvidenceView(f"c{claim_row.id}-e{n}", e["field"], e["start"], e["end"],
                                 e["text"]) for n, e in enumerate(claim_row.evidence or [])]
        # a Core row reads as the ORM's does, by attribute (rows.py)
        claims.append(ClaimView(claim_row.id, claim_row.report_id,
                                claim_from_row(cast(ClaimRow, claim_row)), evidence))
        if isinstance(claim_row.extra, dict) and claim_row.extra:
            extras[claim_row.id] = dict(claim_row.extra)
        report = reports.get(claim_row.report_id)
        if report is None:
            report = reports[claim_row.report_id] = _report(
                report_rows[claim_row.report_id], {incident_id}, text=True)
        report.spans.extend(evidence)
    for report in reports.values():
        report.spans.sort(key=lambda span: (span.start, span.end))
    incident = Incident(**located_fields(partial(getattr, row)),
                        confidence=Confidence(row.confidence),
                        claims=[claim.record for claim in claims], id=row.id)
    view = IncidentView(incident, verdict_from_row(cast(IncidentRow, row)),
                        state or ReviewState())
    return IncidentDetail(view, claims, list(reports.values()), extras)


_INCIDENT = IncidentRow.__table__
_CLAIM = ClaimRow.__table__
_REPORT = ReportRow.__table__
# incident_detail's selects, built once with their parameters left open: building a select
# and its cache key each time cost a tenth of an uncached answer (SQLAlchemy keeps the key
# of a statement object it has seen).
_DETAIL_INCIDENT = select(_INCIDENT).where(_INCIDENT.c.id == bindparam("id"))
_DETAIL_CLAIMS = select(_CLAIM).where(_CLAIM.c.incident_id == bindparam("id")) \
    .order_by(_CLAIM.c.id)
_DETAIL_REPORTS = select(_REPORT).where(_REPORT.c.id.in_(bindparam("ids", expanding=True)))


def daily_counts(db: Database, *, zone: str | None = None, date_from: date | None = None,
                 date_to: date | None = None) -> list[dict[str, Any]]:
    """Violations and probable violations per zone and day, as analysts read them;
    days with none are left out (a timeline fills them). Rejected incidents do not count.
    Grouped in the database by day, verdict and zone list, then split by zone here."""
    tests = conditions(IncidentFilter(zones=(zone,) if zone else (), verdicts=VIOLATIONS,
                                      date_from=date_from, date_to=date_to),
                       spatial=db.spatial)
    zones_text = sql_cast(IncidentRow.verdict_zones, String)
    counts: Counter[tuple[date, str, str]] = Counter()
    with db.reading() as session:
        for day, kind, zones, number in session.execute(
                select(IncidentRow.event_date, IncidentRow.verdict, zones_text, func.count())
                .where(*tests, IncidentRow.event_date.is_not(None))
                # in the order of migration 0013's index, which holds all three: read alone
                .group_by(IncidentRow.verdict, IncidentRow.event_date, zones_text)):
            for zone_id in json.loads(zones) if zones else ():
                if zone is None or zone_id == zone:
                    counts[(day, zone_id, kind)] += number
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


def _view(row: IncidentRow, state: ReviewState | None) -> IncidentView:
    # Lists load no claims: the incident has none.
    return IncidentView(incident_from_row(row), verdict_from_row(row), state or ReviewState())


def _report(row: ReportRow | Row[Any], incident_ids: set[int], *, text: bool = False) -> ReportView:
    return ReportView(
        id=row.id, kind=row.kind, title=row.title, url=row.url, outlet=row.outlet,
        published=row.published, ingested_at=row.ingested_at,
        text=row.text if text else None, incident_ids=sorted(incident_ids),
        copy_of=row.copy_of_id,
    )
