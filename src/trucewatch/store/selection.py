"""Which incidents match: the one filter type and the one query builder every reader
uses (the command line's lists, the API's list, the dashboard, exports, the Atom feed,
the digest, the daily counts).

The incident rows hold the analysts' effective values (store/effective.py), so every
test is a plain SQL condition on them; an incident an analyst rejected is left out
unless the filter asks for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, false, func, or_, select

from trucewatch.model import Confidence, VerdictKind
from trucewatch.store import search
from trucewatch.store.tables import ClaimRow, IncidentRow, OverrideRow, ReportRow, TriageRow

VIOLATIONS = (VerdictKind.VIOLATION.value, VerdictKind.PROBABLE_VIOLATION.value)
SORTS = ("event_date", "-event_date", "killed", "-killed", "id", "-id")
# Airwars' grades from the most to the least certain; "at least fair" keeps the first two.
CONFIDENCE_ORDER = (Confidence.CONFIRMED, Confidence.FAIR, Confidence.WEAK,
                    Confidence.CONTESTED, Confidence.DISCOUNTED)
# The datasets a filter names: the importers' (claims.dataset), and "reports" for claims read
# from articles and feeds.
DATASETS = ("acled", "ucdp", "gdelt")
ARTICLES = "reports"
# The review states a filter names (store/review.py's TriageStatus and Decision values).
_REJECTED, _CONFIRMED, _REVIEWED, _UNREAD = "rejected", "confirmed", "reviewed", "unread"


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """What a reader asks of the ledger; every field left empty matches everything.
    bbox is (min lon, min lat, max lon, max lat)."""

    zones: tuple[str, ...] = ()  # in any of these zones
    agreement: str | None = None  # the incident broke (or may have broken) this agreement
    verdicts: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    actor: str | None = None  # as perpetrator or target
    actors: tuple[str, ...] = ()  # any of these actor ids, as perpetrator or target
    date_from: date | None = None  # undated incidents are left out when a bound is given
    date_to: date | None = None
    bbox: tuple[float, float, float, float] | None = None
    q: str | None = None  # text in the incident or in its reports
    min_confidence: Confidence | None = None
    confidences: tuple[str, ...] = ()  # any of these grades
    sources: tuple[str, ...] = ()  # any of these, any case, in the cited sources or outlets
    datasets: tuple[str, ...] = ()  # a claim from any of these (acled, ucdp, gdelt, reports)
    review_status: str | None = None  # unread, in_progress, reviewed
    reviewed_only: bool = False  # only incidents an analyst confirmed
    include_rejected: bool = False
    recorded_since: datetime | None = None  # a report about it was ingested at or after
    ids: tuple[int, ...] | None = None  # only these incidents (still tested)


def conditions(where: IncidentFilter, *, spatial: bool = False) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions on the incidents table, joined with AND."""
    row = IncidentRow
    tests: list[ColumnElement[bool]] = []
    if where.date_from:
        tests.append(row.event_date >= where.date_from)
    if where.date_to:
        tests.append(row.event_date <= where.date_to)
    if where.zones:
        tests.append(or_(*(_json_holds(row.verdict_zones, zone) for zone in where.zones)))
    if where.agreement:
        tests.append(_json_holds(row.verdict_agreements, where.agreement))
    if where.verdicts:
        tests.append(row.verdict.in_(where.verdicts))
    if where.event_types:
        tests.append(row.event_type.in_(where.event_types))
    if where.actor:
        tests.append(or_(row.perpetrator_actor == where.actor, row.target_actor == where.actor))
    if where.actors:
        tests.append(or_(row.perpetrator_actor.in_(where.actors),
                         row.target_actor.in_(where.actors)))
    if where.confidences:
        tests.append(row.confidence.in_(where.confidences))
    if where.sources:
        tests.append(or_(*(_source(name) for name in where.sources)))
    if where.datasets:
        tests.append(_datasets(where.datasets))
    if where.bbox:
        tests.append(_in_box(where.bbox, spatial))
    if where.min_confidence is not None:
        grades = CONFIDENCE_ORDER[:CONFIDENCE_ORDER.index(where.min_confidence) + 1]
        tests.append(row.confidence.in_([grade.value for grade in grades]))
    triage = select(TriageRow.incident_id)
    if not where.include_rejected:
        tests.append(row.id.not_in(triage.where(TriageRow.decision == _REJECTED)))
    if where.reviewed_only:
        tests.append(row.id.in_(triage.where(TriageRow.status == _REVIEWED,
                                             TriageRow.decision == _CONFIRMED)))
    if where.review_status == _UNREAD:  # no triage row is unread too
        tests.append(row.id.not_in(triage.where(TriageRow.status != _UNREAD)))
    elif where.review_status:
        tests.append(row.id.in_(triage.where(TriageRow.status == where.review_status)))
    if where.recorded_since is not None:
        tests.append(row.id.in_(
            select(ClaimRow.incident_id).join(ReportRow, ReportRow.id == ClaimRow.report_id)
            .where(ReportRow.ingested_at >= where.recorded_since)))
    if where.ids is not None:
        tests.append(row.id.in_(where.ids))
    if where.q:
        tests.append(_text(where.q))
    return tests


def matching(where: IncidentFilter, *, spatial: bool = False) -> Select[Any]:
    """SELECT incidents.id of the incidents that match, unordered."""
    return select(IncidentRow.id).where(*conditions(where, spatial=spatial))


def order_by(sort: str) -> list[Any]:
    """ORDER BY for a sort key of SORTS: unknown values last whichever the direction,
    then by id in the same direction."""
    column = {"event_date": IncidentRow.event_date, "killed": IncidentRow.killed_best,
              "id": IncidentRow.id}.get(sort.lstrip("-"), IncidentRow.id)
    descending = sort.startswith("-")
    return [column.is_(None), column.desc() if descending else column.asc(),
            IncidentRow.id.desc() if descending else IncidentRow.id.asc()]


def _in_box(bbox: tuple[float, float, float, float], spatial: bool) -> ColumnElement[bool]:
    min_lon, min_lat, max_lon, max_lat = bbox
    if spatial:  # PostGIS, on the GiST index of migration 0005
        point = func.ST_SetSRID(func.ST_MakePoint(IncidentRow.lon, IncidentRow.lat), 4326)
        envelope = func.ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326)
        return func.ST_Intersects(point, envelope)
    return and_(IncidentRow.lon.between(min_lon, max_lon),
                IncidentRow.lat.between(min_lat, max_lat))


def _json_holds(column: Any, value: str) -> ColumnElement[bool]:
    """Does the JSON list in ``column`` hold the string ``value``? (Portable: the list's
    text holds the value's JSON text, quotes included.)"""
    return cast(column, String).contains(json.dumps(value), autoescape=True)


def _source(name: str) -> ColumnElement[bool]:
    """A source cited by the incident's claims, or the outlet of one of its reports (a
    dataset's file report has the dataset's name as outlet), named in part, any case."""
    escaped = json.dumps(name)[1:-1]  # JSON keeps letters outside ASCII escaped
    outlets = (select(ClaimRow.incident_id).join(ReportRow, ReportRow.id == ClaimRow.report_id)
               .where(ClaimRow.incident_id.is_not(None),
                      ReportRow.outlet.icontains(name, autoescape=True)))
    return or_(cast(IncidentRow.sources, String).icontains(escaped, autoescape=True),
               IncidentRow.id.in_(outlets))


def _datasets(names: tuple[str, ...]) -> ColumnElement[bool]:
    """A claim of the incident came from one of these datasets; "reports" stands for the
    claims read from articles and feeds (which have no dataset)."""
    named = [name for name in names if name != ARTICLES]
    tests: list[ColumnElement[bool]] = []
    if named:
        tests.append(ClaimRow.dataset.in_(named))
    if ARTICLES in names:
        tests.append(ClaimRow.dataset.is_(None))
    return IncidentRow.id.in_(select(ClaimRow.incident_id)
                              .where(ClaimRow.incident_id.is_not(None), or_(*tests)))


def _text(text: str) -> ColumnElement[bool]:
    """The words of ``text`` in one of the incident's claims or their articles (the full-text
    indexes of store/search.py, current once search.catch_up ran), or in an analyst's
    correction of its place or perpetrator. No word (only punctuation): nothing matches."""
    found = search.words(text)
    if not found:
        return false()
    claims = select(ClaimRow.incident_id).where(
        ClaimRow.id.in_(search.matching_claims(found)), ClaimRow.incident_id.is_not(None))
    reports = select(ClaimRow.incident_id).where(
        ClaimRow.report_id.in_(search.matching_reports(found)),
        ClaimRow.incident_id.is_not(None))
    # Rows stored since the indexes last caught up, read the slow way (none, normally).
    late_claims = select(ClaimRow.incident_id).where(
        ClaimRow.id > search.mark("claims"), ClaimRow.incident_id.is_not(None),
        *(or_(*(column.icontains(word, autoescape=True) for column in (
            ClaimRow.location_name, ClaimRow.location_text, ClaimRow.admin1, ClaimRow.admin2,
            ClaimRow.perpetrator, ClaimRow.target, ClaimRow.notes, ClaimRow.external_id,
            cast(ClaimRow.sources, String)))) for word in found))
    late_reports = select(ClaimRow.incident_id).where(
        ClaimRow.incident_id.is_not(None), ClaimRow.report_id.in_(
            select(ReportRow.id).where(
                ReportRow.id > search.mark("reports"), ReportRow.kind != "dataset",
                *(or_(ReportRow.title.icontains(word, autoescape=True),
                      ReportRow.text.icontains(word, autoescape=True)) for word in found))))
    corrected = select(OverrideRow.incident_id).where(
        OverrideRow.field.in_(_CORRECTED_WORDS),
        *(cast(OverrideRow.analyst_value, String).icontains(json.dumps(word)[1:-1],
                                                            autoescape=True)
          for word in found))
    return or_(IncidentRow.id.in_(claims), IncidentRow.id.in_(reports),
               IncidentRow.id.in_(late_claims), IncidentRow.id.in_(late_reports),
               IncidentRow.id.in_(corrected))


_CORRECTED_WORDS = ("location_name", "perpetrator_actor")
