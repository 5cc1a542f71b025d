"""The PDF briefing of a period: per-zone summary, a map of the zones with the incidents,
violations per day, the incidents with tolls and confidence, missed deadlines, disputed
boundaries and the sources cited. HTML from Jinja2 templates, printed by WeasyPrint.

WeasyPrint is the optional ``pdf`` extra and needs Debian's Pango (libpango-1.0-0,
libpangoft2-1.0-0); without them :func:`write_pdf` says what to install, and everything
else (the HTML) still works. Arabic place names need a font with Arabic glyphs: the
stylesheet asks for Noto Sans, Noto Naskh Arabic and DejaVu Sans by family name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from trucewatch.errors import InputError, TrucewatchError
from trucewatch.model import BoundaryStatus, Scenario, VerdictKind
from trucewatch.publish.svg import DayCount, MapPoint, MapZone, daily_chart, zone_map
from trucewatch.store.database import Database
from trucewatch.store.selection import IncidentFilter
from trucewatch.store.stream import Entry, iter_entries

MAX_ROWS = 400  # incidents listed in the table; the rest are counted, and exported
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
    entries: list[Entry] = []
    more = 0
    zone_ids = [zone] if zone else list(scenario.zones)
    summaries = {z: ZoneSummary(z, scenario.zones[z].name) for z in zone_ids}
    per_day: Counter[tuple[date, str]] = Counter()
    for entry in iter_entries(db, selection):
        verdict = entry.verdict
        for zone_id in verdict.zones if verdict else ():
            summary = summaries.get(zone_id)
            if summary is None:
                continue
            summary.incidents += 1
            summary.violations += verdict is not None and verdict.kind is VerdictKind.VIOLATION
            summary.probable += verdict is not None and \
                verdict.kind is VerdictKind.PROBABLE_VIOLATION
            summary.killed += entry.incident.killed.best or entry.incident.killed.low or 0
            summary.wounded += entry.incident.wounded.best or entry.incident.wounded.low or 0
        if verdict is not None and verdict.kind in VIOLATIONS and entry.incident.event_date:
            per_day[(entry.incident.event_date, verdict.kind.value)] += 1
        if len(entries) < MAX_ROWS:
            entries.append(entry)
        else:
            more += 1
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
    environment = Environment(loader=PackageLoader("trucewatch.publish", "templates"),
                              autoescape=select_autoescape(["html"]), trim_blocks=True,
                              lstrip_blocks=True)
    environment.filters["toll"] = _toll
    return environment.get_template("briefing.html").render(b=briefing)


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
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise RendererMissing(
            f"cannot print PDF: WeasyPrint is not usable ({error}); install it with "
            "pip install 'trucewatch[pdf]' and Debian's libpango-1.0-0 libpangoft2-1.0-0 "
            "fonts-noto-core") from None
    document = HTML(string=render_html(briefing)).render()
    data = document.write_pdf()
    assert data is not None
    return data, len(document.pages)


# --- helpers ------------------------------------------------------------------------------


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
