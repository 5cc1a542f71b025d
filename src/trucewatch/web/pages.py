"""HTML pages. Each reads through the same library calls and presenters as the JSON
API, so a page and /api show the same incident. None is in the OpenAPI description
(include_in_schema=False): they are for people, not clients.

Text from reports reaches pages only through Jinja's autoescaping (or textContent in
the scripts): script in a report shows as text."""

from __future__ import annotations

import pathlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature

from trucewatch import accounts
from trucewatch.accounts import Role, TokenKind, User
from trucewatch.edge.present import audit_readable, commitment_public, detail_public
from trucewatch.edge.session import (
    SESSION_COOKIE,
    IncidentId,
    LedgerDep,
    SettingsDep,
    csrf_token,
    signer,
)
from trucewatch.errors import AuthError, NotFoundError
from trucewatch.model import Confidence, EventType, Scenario, VerdictKind
from trucewatch.service import CORRECTABLE, Ledger, TriageStatus
from trucewatch.settings import Settings
from trucewatch.web.highlight import pieces

HERE = pathlib.Path(__file__).parent
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
# The dataset filter's choices: the importers' datasets, and claims read from articles.
DATASETS = [("acled", "ACLED"), ("ucdp", "UCDP GED"), ("gdelt", "GDELT"),
            ("reports", "articles and feeds")]
CHOICES = {"verdicts": [v.value for v in VerdictKind],
           "event_types": [e.value for e in EventType],
           "statuses": [s.value for s in TriageStatus]}


class LoginRequired(Exception):
    """A page that needs an account was asked for by nobody: send them to log in."""

    def __init__(self, target: str) -> None:
        self.target = target


def install(app: FastAPI) -> None:
    """Serve the pages and their static files on an app made by server.create_app."""
    app.state.templates = Jinja2Templates(directory=HERE / "templates")  # autoescapes
    app.state.templates.env.filters["when"] = when
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(LoginRequired, _to_login)
    app.include_router(router)


def when(record: dict[str, Any]) -> str:
    """A record's date as precise as it is known (as common.js's ``when``): a day as
    YYYY-MM-DD, a week as 'week of 3 Jul 2017', a month as 'July 2017', a year as '2017'."""
    text = record.get("event_date") or record.get("period_start")
    if not text:
        return "unknown"
    day = date.fromisoformat(str(text))
    precision = record.get("date_precision")
    if precision == "week":
        return f"week of {day.day} {day:%b %Y}"
    if precision == "month":
        return f"{day:%B %Y}"
    if precision == "year":
        return str(day.year)
    return day.isoformat()


def _to_login(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(f"/login?next={quote(exc.target, safe='')}", status_code=303)


@dataclass
class Page:
    """What every page needs: the request, the ledger, who is logged in (by session
    cookie), and the settings the map uses."""

    request: Request
    ledger: Ledger
    user: User | None
    csrf: str
    tile_url: str

    def scenario(self) -> Scenario | None:
        try:
            return self.ledger.scenario()
        except NotFoundError:
            return None

    def require_login(self) -> None:
        if self.user is None:
            url = self.request.url
            raise LoginRequired(url.path + (f"?{url.query}" if url.query else ""))

    def render(self, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
        templates: Jinja2Templates = self.request.app.state.templates
        response = templates.TemplateResponse(self.request, name, {
            "user": self.user, "csrf_token": self.csrf, "tile_url": self.tile_url,
            "is_analyst": bool(self.user and self.user.role.allows(Role.ANALYST)),
            **context,
        }, status_code=status_code)
        return self.secured(response)

    def secured(self, response: Response) -> Response:
        response.headers["Content-Security-Policy"] = content_policy(self.tile_url)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    def not_found(self, message: str) -> Response:
        return self.render("error.html", {"title": "Not found", "message": message}, 404)


def content_policy(tile_url: str) -> str:
    """Pages load scripts, styles and data from this server only (a second line of
    defence should text from a report ever reach a page unescaped); images also from
    the tile server when one is set."""
    images = "'self' data:"
    found = re.match(r"(https?://[^/]+)", tile_url)
    if found:  # {s} in a tile URL stands for subdomains (a.tile..., b.tile...)
        images += " " + found[1].replace("{s}", "*")
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'")


async def get_page(request: Request, ledger: LedgerDep, settings: SettingsDep) -> Page:
    """Who is logged in with a session cookie; a stale or forged cookie reads as nobody
    (the page then offers to log in, where the API would answer 401). In private mode
    (public_read false) nobody is sent to the login page first. Async: a visitor without
    a cookie is answered on the event loop, a cookie looked up in the thread pool."""
    user, secret = None, ""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        user, secret = await run_in_threadpool(_session_user, request, ledger, settings,
                                               cookie)
    page = Page(request, ledger, user, csrf_token(request, secret) if user else "",
                settings.tile_url or "")
    if not settings.public_read and request.url.path != "/login":
        page.require_login()
    return page


def _session_user(request: Request, ledger: Ledger, settings: Settings, cookie: str
                  ) -> tuple[User | None, str]:
    try:
        loaded = signer(request).loads(cookie, max_age=settings.session_hours * 3600)
        if isinstance(loaded, str):
            return accounts.user_for_token(ledger.db, loaded, TokenKind.SESSION), loaded
    except (BadSignature, AuthError):
        pass
    return None, ""


PageDep = Annotated[Page, Depends(get_page)]


@router.get("/")
def dashboard(page: PageDep) -> Response:
    """The map, timeline and list of one view. With no filter in the address the script
    opens on the ledger's last four weeks (``latest``), whose last day has zones drawn."""
    scenario = page.scenario()
    zones = sorted(scenario.zones.values(), key=lambda z: z.name) if scenario else []
    actors = sorted(scenario.actors.values(), key=lambda a: a.name) if scenario else []
    return page.render("dashboard.html", {
        "title": "Dashboard", "scenario": scenario, "zones": zones, "actors": actors,
        "latest": page.ledger.latest_weeks(), "view": scenario_view(scenario),
        "datasets": DATASETS, "confidences": [c.value for c in Confidence], **CHOICES})


def scenario_view(scenario: Scenario | None) -> tuple[float, float, float, float]:
    """Where the map opens: the box around every boundary of the scenario's zones
    (south, west, north, east), else the whole world."""
    boxes = [version.geometry.bounds for zone in (scenario.zones.values() if scenario else ())
             for version in zone.versions if not version.geometry.is_empty]
    if not boxes:
        return (-60.0, -170.0, 75.0, 170.0)
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return (south, west, north, east)


@router.get("/incidents/{incident_id}")
async def incident_page(page: PageDep, incident_id: IncidentId) -> Response:
    """One incident, its claims, provenance and reports. Everyone not logged in sees the
    same page (it differs only by the user and their CSRF token): that one is kept as sent
    while the ledger stays the same and read from the cache on the event loop (made, it
    cost 1.4 ms of CPU over 200,000 incidents, most of it rendering)."""
    ledger = page.ledger
    try:
        if page.user is not None:
            return await run_in_threadpool(_incident_page, page, incident_id)
        # its login link names the path, its map the tile server
        key = ("incident page", page.request.url.path, page.tile_url)
        hit, body = ledger.read_cache.peek(key)
        if not hit:
            body = await run_in_threadpool(ledger.cached, key, lambda: bytes(
                _incident_page(page, incident_id).body))
    except NotFoundError:
        return page.not_found(f"There is no incident {incident_id}.")
    return page.secured(HTMLResponse(body))


def _incident_page(page: Page, incident_id: int) -> Response:
    found = page.ledger.incident_detail(incident_id)
    detail = detail_public(found)
    for report in detail["reports"]:
        report["pieces"] = pieces(report.get("text") or "", report.get("spans", []))
    claims = {claim["id"]: claim for claim in detail["claims"]}
    return page.render("incident.html", {
        "title": f"Incident {incident_id}", "incident": detail, "claims": claims,
        "provenance": page.ledger.provenance(incident_id, detail=found),
        "correctable": CORRECTABLE, **CHOICES})


@router.get("/audit")
def audit_page(
    page: PageDep,
    incident: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    user: Annotated[str | None, Query(max_length=80)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> Response:
    """The review actions, newest first. Needs a login even in public mode, as the API
    does: it names the analysts."""
    page.require_login()
    entries, count = page.ledger.audit(incident_id=incident, username=user or None,
                                  limit=100, offset=offset)
    return page.render("audit.html", {"title": "Audit log", "count": count,
                                      "entries": [audit_readable(e) for e in entries],
                                      "offset": offset, "incident": incident,
                                      "username": user or ""})


@router.get("/zones")
def zones_page(page: PageDep) -> Response:
    scenario = page.scenario()
    zones = sorted(scenario.zones.values(), key=lambda z: z.name) if scenario else []
    return page.render("zones.html", {"title": "Zones", "zones": zones, "scenario": scenario})


@router.get("/zones/{zone_id}")
def zone_page(page: PageDep, zone_id: Annotated[str, Path(max_length=80)]) -> Response:
    scenario = page.scenario()
    if scenario is None or zone_id not in scenario.zones:
        return page.not_found(f"There is no zone {zone_id!r} in the loaded scenario.")
    zone = scenario.zones[zone_id]
    commitments = [commitment_public(c, date.today()) for c in scenario.commitments
                   if zone_id in c.zones]
    return page.render("zone.html", {"title": zone.name, "zone": zone,
                                     "commitments": commitments})


@router.get("/agreements")
def agreements_page(page: PageDep, on: Annotated[date | None, Query()] = None) -> Response:
    """Deadlines read as of ?on= (default today): met, met late, missed or pending."""
    scenario = page.scenario()
    day = on or date.today()
    commitments = [commitment_public(c, day) for c in scenario.commitments] if scenario else []
    zone_names = {z.id: z.name for z in scenario.zones.values()} if scenario else {}
    return page.render("agreements.html", {"title": "Agreements", "commitments": commitments,
                                           "on": day, "zone_names": zone_names,
                                           "scenario": scenario})


@router.get("/login")
def login_page(page: PageDep,
               next_: Annotated[str, Query(alias="next", max_length=2000)] = "/") -> Response:
    return page.render("login.html", {"title": "Log in", "next": safe_next(next_)})


def safe_next(target: str) -> str:
    """Where to go after logging in: only a path on this site, since an open redirect
    would let a link send users elsewhere. Browsers drop tabs and newlines and read a
    backslash as a slash, so '/\\t/evil' would become '//evil'."""
    if (not target.startswith("/") or "\\" in target
            or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target)
            or target.startswith("//")):
        return "/"
    return target
