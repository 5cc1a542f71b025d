"""The Atom feed of violations: the newest recorded first, for all zones or one."""

from __future__ import annotations

import heapq
from datetime import UTC, datetime
from typing import Annotated
from xml.etree import ElementTree

from fastapi import APIRouter, Query, Request, Response

from trucewatch.api.deps import LedgerDep, Reader, ScenarioDep, SettingsDep
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.edge.urls import public_base
from trucewatch.errors import NotFoundError
from trucewatch.model import Scenario, VerdictKind
from trucewatch.service import Entry, IncidentFilter, top_sentence

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50
VIOLATIONS = (VerdictKind.VIOLATION.value, VerdictKind.PROBABLE_VIOLATION.value)

router = APIRouter(tags=["feeds"], responses=ERROR_RESPONSES)


@router.get(
    "/feeds/violations.atom",
    response_class=Response,
    responses={200: {"description": "An Atom 1.0 feed (RFC 4287) of the newest violations "
                                    "and probable violations, newest recorded first.",
                     "content": {"application/atom+xml": {}}}},
)
def violations_feed(
    request: Request, _reader: Reader, ledger: LedgerDep, scenario: ScenarioDep,
    settings: SettingsDep,
    zone: Annotated[str | None, Query(max_length=80, description="Only this zone.")] = None,
) -> Response:
    """The 50 violations and probable violations recorded last, with the analysts'
    corrections; one entry per incident, linking to its page on the dashboard (at the
    public_url setting, else at the address this request came to). Kept while the ledger
    stays the same."""
    if zone is not None and scenario is not None and zone not in scenario.zones:
        raise NotFoundError(f"unknown zone '{zone}'; its zones are: "
                            + ", ".join(sorted(scenario.zones)))
    base = public_base(request, settings)
    self_url = base + request.url.path + (f"?{request.url.query}" if request.url.query else "")

    def build() -> bytes:
        selection = IncidentFilter(zones=(zone,) if zone else (), verdicts=VIOLATIONS)
        # The entries assessed last, then ordered as the feed dates them (a few more than
        # it shows, for those whose first report came after their assessment).
        newest = heapq.nlargest(ENTRIES, ledger.newest_entries(selection, 2 * ENTRIES),
                                key=lambda e: (_updated(e), e.incident.id or 0))
        return atom_feed(newest, scenario, zone, base, self_url)

    body = ledger.cached(("feed", zone, base, self_url), build)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def atom_feed(entries: list[Entry], scenario: Scenario | None, zone: str | None,
              dashboard: str, self_url: str) -> bytes:
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    zone_name = scenario.zones[zone].name if scenario and zone in scenario.zones else zone
    _add(feed, "id", f"{dashboard}/feeds/violations.atom" + (f"?zone={zone}" if zone else ""))
    _add(feed, "title", "trucewatch: violations" + (f" in {zone_name}" if zone_name else ""))
    _add(feed, "subtitle", scenario.name if scenario else "the ceasefire ledger")
    newest = max((_updated(e) for e in entries), default=datetime.now(UTC))
    _add(feed, "updated", _rfc3339(newest))
    author = _add(feed, "author")
    _add(author, "name", "trucewatch")
    _add(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _add(feed, "link", rel="alternate", type="text/html",
         href=f"{dashboard}/zones/{zone}" if zone else f"{dashboard}/")
    _add(feed, "generator", "trucewatch")
    for entry in entries:
        feed.append(_entry(entry, dashboard))
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(entry: Entry, dashboard: str) -> ElementTree.Element:
    incident, verdict = entry.incident, entry.verdict
    place = incident.location.name if incident.location else "an unknown place"
    link = f"{dashboard}/incidents/{incident.id}"
    item = ElementTree.Element(f"{{{ATOM}}}entry")
    _add(item, "id", link)
    kind = verdict.kind.value if verdict else "not assessed"
    _add(item, "title", f"{incident.event_date or 'date unknown'}: "
                        f"{incident.event_type.value} in {place} ({kind})")
    _add(item, "updated", _rfc3339(_updated(entry)))
    if entry.first_recorded is not None:
        _add(item, "published", _rfc3339(entry.first_recorded))
    _add(item, "link", rel="alternate", type="text/html", href=link)
    for zone_id in verdict.zones if verdict else ():
        _add(item, "category", term=zone_id)
    lines = [f"Killed: {_toll(incident.killed)}; wounded: {_toll(incident.wounded)}; "
             f"confidence: {incident.confidence.value}."]
    sentence = top_sentence(entry)
    if sentence:
        lines.append(f"“{sentence}”")
    lines.extend(verdict.reasons if verdict else ())
    _add(item, "summary", "\n".join(lines), type="text")
    return item


def _add(parent: ElementTree.Element, tag: str, text: str | None = None,
         **attributes: str) -> ElementTree.Element:
    child = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        child.text = text
    return child


def _updated(entry: Entry) -> datetime:
    moment = entry.assessed_at or entry.first_recorded or datetime(1970, 1, 1)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _rfc3339(moment: datetime) -> str:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _toll(toll: object) -> str:
    low, best = getattr(toll, "low", None), getattr(toll, "best", None)
    if best is None and low is None:
        return "not stated"
    return str(best if best is not None else low)
