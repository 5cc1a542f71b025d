"""The PDF briefing of a period: per-zone summary, a map of the zones with the incidents,
violations per day, the incidents with tolls and confidence, missed deadlines, disputed
boundaries and the sources cited. HTML from Jinja2 templates, printed by WeasyPrint.

The summary and the chart count every incident of the period in SQL; only the MAX_ROWS
worst (violations first, highest toll first) are loaded whole, listed, mapped and their
sources cited, with a line saying how many more there are (a month of a 200,000-incident
ledger: 0.05 s to build, 4 pages, under 1 s of CPU to print; bench/briefing.py).

WeasyPrint is the optional ``pdf`` extra and needs Debian's Pango (libpango-1.0-0,
libpangoft2-1.0-0); without them :func:`write_pdf` says what to install, and everything
else (the HTML) still works. Arabic place names need a font with Arabic glyphs: the
stylesheet asks for Noto Sans, Noto Naskh Arabic and DejaVu Sans by family name.
"""

from __future__ import annotations

import base64
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import String, case, cast, func, select

from trucewatch.errors import InputError, TrucewatchError
from trucewatch.model import BoundaryStatus, Scenario, VerdictKind
from trucewatch.publish.svg import DayCount, MapPoint, MapZone, daily_chart, zone_map
from trucewatch.store.database import Database
from trucewatch.store.selection import IncidentFilter, conditions
from trucewatch.store.stream import Entry, iter_entries
from trucewatch.store.tables import IncidentRow

# Incidents listed in full: violations first, the highest tolls first; the rest are counted
# (summary, chart) and exported. 400 made a 22-page PDF that took 9 s of CPU to print.
MAX_ROWS = 50
VIOLATIONS = (VerdictKind.VIOLATION, VerdictKind.PROBABLE_VIOLATION)


class RendererMissing(TrucewatchError):
    """WeasyPrint or the Pango libraries it needs are not installed."""

    http_status = 503
    code = "pdf_renderer_missing"


@dataclass(slots=True)
class ZoneSummary:
    id: str
    name: str
    incidents: int = 0
    violations: int = 0
    probable: int = 0
    killed: int = 0
    wounded: int = 0
    commitments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Briefing:
    scenario: Scenario
    date_from: date
    date_to: date
    zone: str | None
    entries: list[Entry]
    more: int  # incidents beyond MAX_ROWS, counted but not listed
    zones: list[ZoneSummary]
    deadlines: list[dict[str, Any]]
    disputed: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    map_svg: str
    chart_svg: str
    generated: datetime

    @property
    def empty(self) -> bool:
        return not self.entries


def build_briefing(db: Database, scenario: Scenario, date_from: date, date_to: date,
                   zone: str | None = None) -> Briefing:
    """Gather what the briefing says about the period (both days included)."""
    if date_from > date_to:
        raise InputError("date_from/date_to", f"the range is upside down: {date_from} is after "
                         f"{date_to}")
    if zone is not None and zone not in scenario.zones:
        raise InputError("zone", f"unknown zone '{zone}' in scenario {scenario.id}; its "
                         "zones are: " + ", ".join(sorted(scenario.zones)))
    selection = IncidentFilter(zones=(zone,) if zone else (), date_from=date_from, date_to=date_to)
    zone_ids = [zone] if zone else list(scenario.zones)
    summaries = {z: ZoneSummary(z, scenario.zones[z].name) for z in zone_ids}
    # Counted in SQL: a month of 200,000 incidents is ~14,000 rows, and loading each with
    # its claims took 5-10 s; only the listed incidents are loaded whole.
    total, per_zone, per_day = _counts(db, selection)
    for (zones_text, kind), (incidents, killed, wounded) in per_zone.items():
        for zone_id in _zone_ids(zones_text):
            summary = summaries.get(zone_id)
            if summary is None:
                continue
            summary.incidents += incidents
            summary.violations += incidents if kind == VerdictKind.VIOLATION.value else 0
            summary.probable += incidents if kind == VerdictKind.PROBABLE_VIOLATION.value else 0
            summary.killed += killed
            summary.wounded += wounded
    entries = _listed(db, selection)
    more = total - len(entries)
    for commitment in scenario.commitments:
        in_force = commitment.start.date() <= date_to and (
            commitment.end is None or commitment.end.date() >= date_from)
        for zone_id in commitment.zones:
            if in_force and zone_id in summaries:
                summaries[zone_id].commitments.append(commitment.name)
    days = [DayCount(day, per_day[(day, VerdictKind.VIOLATION.value)],
                     per_day[(day, VerdictKind.PROBABLE_VIOLATION.value)])
            for day in _days(date_from, date_to)]
    return Briefing(
        scenario=scenario, date_from=date_from, date_to=date_to, zone=zone,
        entries=entries, more=more, zones=list(summaries.values()),
        deadlines=_missed_deadlines(scenario, date_to, zone),
        disputed=_disputed(scenario, date_from, date_to, zone_ids),
        sources=_sources(entries), map_svg=_map(scenario, entries, date_to, zone_ids),
        chart_svg=daily_chart(days), generated=datetime.now(UTC),
    )


def render_html(briefing: Briefing) -> str:
    return _template().render(b=briefing)


@cache
def _template() -> Any:
    """Loaded and compiled once per process (Jinja2 templates are safe to share)."""
    environment = Environment(loader=PackageLoader("trucewatch.publish", "templates"),
                              autoescape=select_autoescape(["html"]), trim_blocks=True,
                              lstrip_blocks=True)
    environment.filters["toll"] = _toll
    environment.filters["svg_image"] = _svg_image
    return environment.get_template("briefing.html")


def _svg_image(svg: str, alt: str) -> Markup:
    """An SVG of publish/svg.py as an image rather than inline: WeasyPrint then leaves its
    hundreds of elements out of the page's style cascade and draws it the same (the PDF's
    pages pixel for pixel): a month's printing 0.69-0.73 -> 0.66-0.68 s CPU."""
    data = base64.b64encode(svg.encode()).decode("ascii")
    return Markup(f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">')


def write_pdf(briefing: Briefing, path: Path) -> int:
    """Print the briefing to ``path``; the number of pages."""
    if not path.parent.is_dir():
        raise InputError(str(path), f"cannot write here: the folder {path.parent} does not "
                         "exist")
    data, pages = pdf_bytes(briefing)
    partial = path.with_name(f".{path.name}.part")
    try:
        partial.write_bytes(data)
        partial.replace(path)  # the PDF appears whole or not at all
    finally:
        partial.unlink(missing_ok=True)
    return pages


def pdf_bytes(briefing: Briefing) -> tuple[bytes, int]:
    """The briefing printed to PDF, and its number of pages."""
    html_document = _renderer()
    document = html_document(string=render_html(briefing)).render()
    data = document.write_pdf()
    assert data is not None
    return data, len(document.pages)


def load_renderer() -> bool:
    """Import WeasyPrint now (0.35 s of CPU and 30 MB, once per process) rather than in the
    first briefing asked for; False when it is not usable (the optional pdf extra)."""
    try:
        _renderer()
    except RendererMissing:
        return False
    return True


def _renderer() -> Any:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise RendererMissing(
            f"cannot print PDF: WeasyPrint is not usable ({error}); install it with "
            "pip install 'trucewatch[pdf]' and Debian's libpango-1.0-0 libpangoft2-1.0-0 "
            "fonts-noto-core") from None
    return HTML


# --- helpers ------------------------------------------------------------------------------


def _toll_sum(best: Any, low: Any) -> Any:
    """An incident's toll as the summary adds it: its best figure, else its lowest."""
    return func.coalesce(func.sum(func.coalesce(best, low, 0)), 0)


def _counts(db: Database, selection: IncidentFilter) -> tuple[
        int, dict[tuple[str, str], tuple[int, int, int]], Counter[tuple[date, str]]]:
    """The number of incidents selected; incidents, killed and wounded per (verdict zones,
    verdict); violations and probable violations per (day, verdict)."""
    row = IncidentRow
    where = conditions(selection, spatial=db.spatial)
    zones_text = cast(row.verdict_zones, String)  # JSON is not comparable on PostgreSQL
    with db.reading() as session:
        total = session.scalar(select(func.count()).select_from(row).where(*where)) or 0
        per_zone = {
            (str(zones or "[]"), str(kind)): (int(n), int(killed), int(wounded))
            for zones, kind, n, killed, wounded in session.execute(
                select(zones_text, row.verdict, func.count(),
                       _toll_sum(row.killed_best, row.killed_low),
                       _toll_sum(row.wounded_best, row.wounded_low))
                .where(*where, row.verdict.is_not(None)).group_by(zones_text, row.verdict))}
        per_day: Counter[tuple[date, str]] = Counter({
            (day, str(kind)): int(n) for day, kind, n in session.execute(
                select(row.event_date, row.verdict, func.count())
                .where(*where, row.verdict.in_([v.value for v in VIOLATIONS]),
                       row.event_date.is_not(None))
                .group_by(row.event_date, row.verdict))})
    return total, per_zone, per_day


def _zone_ids(text: str) -> list[str]:
    try:
        found = json.loads(text)
    except ValueError:
        return []
    return [z for z in found if isinstance(z, str)] if isinstance(found, list) else []


def _listed(db: Database, selection: IncidentFilter) -> list[Entry]:
    """The MAX_ROWS incidents the table lists, with their claims and reports: violations,
    then probable violations, then the rest; the highest toll first within each."""
    row = IncidentRow
    rank = case((row.verdict == VerdictKind.VIOLATION.value, 0),
                (row.verdict == VerdictKind.PROBABLE_VIOLATION.value, 1), else_=2)
    with db.reading() as session:
        ids = list(session.scalars(
            select(row.id).where(*conditions(selection, spatial=db.spatial))
            .order_by(rank, func.coalesce(row.killed_best, row.killed_low, 0).desc(),
                      func.coalesce(row.wounded_best, row.wounded_low, 0).desc(),
                      row.event_date, row.id).limit(MAX_ROWS)))
    if not ids:
        return []
    found = {e.incident.id: e for e in iter_entries(db, IncidentFilter(
        ids=tuple(ids), include_rejected=selection.include_rejected))}
    return [found[i] for i in ids if i in found]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _toll(toll: Any) -> str:
    low, best, high = toll.low, toll.best, toll.high
    if best is None and low is None:
        return "–"
    if low is not None and high is not None and low != high:
        return f"{best if best is not None else low} ({low}–{high})"
    if high is None and low is not None and best in (None, low):
        return f"≥{low}"
    return str(best if best is not None else low)


def _missed_deadlines(scenario: Scenario, until: date, zone: str | None
                      ) -> list[dict[str, Any]]:
    """Deadlines due by the period's end and not met on time."""
    found = []
    for agreement in scenario.agreements:
        if zone and zone not in agreement.zones:
            continue
        for deadline in agreement.deadlines:
            late = deadline.met_on is None or deadline.met_on > deadline.due
            if deadline.due <= until and late:
                status = (f"met late, on {deadline.met_on}" if deadline.met_on
                          and deadline.met_on <= until else "missed")
                found.append({"agreement": agreement.name, "name": deadline.name,
                              "due": deadline.due, "status": status, "note": deadline.note})
    return found


def _disputed(scenario: Scenario, first: date, last: date, zone_ids: list[str]
              ) -> list[dict[str, Any]]:
    found = []
    for zone_id in zone_ids:
        zone = scenario.zones[zone_id]
        for version in zone.versions:
            overlaps = version.valid_from <= last and (version.valid_to is None
                                                       or version.valid_to >= first)
            if overlaps and version.status is BoundaryStatus.DISPUTED:
                found.append({"zone": zone.name, "valid_from": version.valid_from,
                              "valid_to": version.valid_to, "note": version.note,
                              "approximate": version.approximate})
    return found


def _sources(entries: list[Entry]) -> list[dict[str, Any]]:
    """The reports behind the listed incidents, once each, and the sources they cite."""
    reports: dict[int, dict[str, Any]] = {}
    cited: dict[int, set[str]] = defaultdict(set)
    for entry in entries:
        for report in entry.reports:
            reports.setdefault(report.id, {"title": report.title, "outlet": report.outlet,
                                           "url": report.url, "published": report.published})
        for item in entry.claims:
            cited[item.report_id].update(item.claim.sources)
    return [{**report, "cited": sorted(cited[report_id])}
            for report_id, report in sorted(reports.items())]


def _map(scenario: Scenario, entries: list[Entry], day: date, zone_ids: list[str]) -> str:
    """The zones as they stood on the period's last day (or their last version before
    it), with the listed incidents that have coordinates."""
    zones = []
    for zone_id in zone_ids:
        zone = scenario.zones[zone_id]
        version = zone.boundary_on(day) or next(
            (v for v in sorted(zone.versions, key=lambda v: v.valid_from, reverse=True)
             if v.valid_from <= day), None)
        if version is not None:
            zones.append(MapZone(zone.name, version.geometry, version.status.value))
    points = []
    for entry in entries:
        place = entry.incident.location
        if place is not None and place.lat is not None and place.lon is not None:
            verdict = entry.verdict.kind.value if entry.verdict else None
            points.append(MapPoint(place.lon, place.lat, verdict,
                                   f"{place.name}, {entry.incident.event_date}: {verdict}"))
    return zone_map(zones, points)
