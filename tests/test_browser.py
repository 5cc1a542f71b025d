"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against the
real app served by uvicorn over a temporary store holding the Astana scenario and the
seed article. Screenshots of the map and the incident page go to build/screenshots/.

Skips when /usr/bin/chromium is absent (CI installs it: see .ci/run). Playwright's own
browser download is never used: nothing may be fetched at run time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api_support import DOUMA_TEXT, douma_claim
from browser_support import NEEDS_CHROMIUM, guarded_page, launch, serve, wait_for_draw
from trucewatch.service import ingesting

SEED = Path(__file__).parent / "fixtures" / "seed_article.txt"
SCREENSHOTS = Path(__file__).parent.parent / "build" / "screenshots"

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]  # a real server and a real browser


@dataclass
class Site:
    url: str
    douma: int
    daraa: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from trucewatch import accounts
    from trucewatch.accounts import Role
    from trucewatch.ingest.documents import read_document
    from trucewatch.ledger import Ledger
    from trucewatch.model import Report
    from trucewatch.server import create_app
    from trucewatch.settings import load_settings

    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'ledger.db'}"
    ledger = Ledger(url)
    ledger.init()
    ledger.load_scenario("astana-2017")
    result = ledger.ingest(read_document(SEED, published=date(2017, 7, 4)))
    ids = {incident.location.name if incident.location else "": incident.id
           for incident, _ in result.incidents}
    # A second report of the Douma strike whose text carries a script, which the
    # incident page must show as text.
    ingesting.ingest_report(
        ledger.db, Report(text=DOUMA_TEXT, title="<b>Douma</b> again", outlet="Reuters",
                          published=date(2017, 7, 4)),
        [douma_claim()], ledger.scenario())
    accounts.add_user(ledger.db, "ana", "password-ana", Role.ANALYST)
    accounts.add_user(ledger.db, "vic", "password-vic", Role.VIEWER)
    app = create_app(load_settings(database_url=url, secret_key="browser-test"), ledger=ledger)
    with serve(app) as base:
        yield Site(base, douma=ids["Douma"] or 0, daraa=ids["Daraa"] or 0)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    # The viewer's refused review (403) is an error the tests cause on purpose.
    with guarded_page(browser, site.url, expected=("403",)) as opened:
        yield opened


_wait_for_draw = wait_for_draw


def _login(page: Any, site: Site, name: str, then: str) -> None:
    page.goto(f"{site.url}/login?next={then}")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", f"password-{name}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}{then}")


def test_dashboard_map_timeline_and_filters(page: Any, site: Site):
    page.goto(f"{site.url}/?on=2017-07-04")
    ready = _wait_for_draw(page)
    # The zones as they stood on 4 July 2017, the seed article's two incidents.
    assert page.locator("path.zone-shape").count() >= 4
    assert page.locator("path.zone-eastern-ghouta").count() == 1
    assert page.locator("path.incident-marker").count() == 2
    assert page.locator(f"path.incident-{site.douma}").count() == 1
    assert page.locator("#incidents tbody tr").count() == 2
    assert page.locator("#timeline rect.bar").count() >= 2
    # The offline basemap: country outlines and governorates, from the package itself.
    page.wait_for_selector("#map[data-basemap-ready]", state="attached")
    assert page.locator("path.country").count() > 5
    assert page.locator("path.admin1").count() > 14
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".dashboard").screenshot(path=str(SCREENSHOTS / "dashboard-map.png"))

    page.select_option("select[name=zone]", "eastern-ghouta")
    ready = _wait_for_draw(page, ready)
    assert page.locator("path.incident-marker").count() == 1
    assert page.locator(f"path.incident-{site.douma}").count() == 1
    rows = page.locator("#incidents tbody tr")
    assert rows.count() == 1 and "Douma" in rows.inner_text()
    assert "zone=eastern-ghouta" in page.url  # the view can be bookmarked

    page.click(f"#incidents a[href='/incidents/{site.douma}']")
    page.wait_for_url(f"{site.url}/incidents/{site.douma}")
    assert "Douma" in page.inner_text("h1")


def test_incident_page_highlights_evidence_and_analyst_confirms(page: Any, site: Site):
    page.goto(f"{site.url}/incidents/{site.douma}")
    assert page.inner_text("#verdict") == "violation"
    assert page.locator("mark.evidence").count() >= 1
    labels = page.locator(".field-label").all_inner_texts()
    assert "killed" in labels and "location" in labels
    assert page.locator("#review").count() == 0  # nobody logged in: no review controls
    # The second report's script and markup are shown as text, never run (a dialog
    # would fail the test).
    assert "<b>Douma</b> again" in page.inner_text(".reports")
    assert "<script>alert('x')</script>" in page.inner_text(".reports")
    assert page.locator(".reports script, .reports b").count() == 0

    page.wait_for_selector("#incident-map[data-ready]", state="attached")
    assert page.locator("#incident-map path.zone-shape").count() >= 1

    _login(page, site, "ana", f"/incidents/{site.douma}")
    page.fill("#review-note", "two sources agree on the toll")
    page.click("#confirm")
    page.locator("#review-state", has_text="confirmed").wait_for()
    page.wait_for_selector("#incident-map[data-basemap-ready]", state="attached")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "incident.png"), full_page=True)

    page.goto(f"{site.url}/audit")
    row = page.locator(f"#audit tr[data-incident='{site.douma}'][data-action='confirm']")
    assert row.count() == 1
    assert "ana" in row.inner_text() and "two sources agree" in row.inner_text()

    for name in ("dashboard-map.png", "incident.png"):
        shot = SCREENSHOTS / name
        assert shot.exists() and shot.stat().st_size > 10_000, name


def test_viewer_sees_no_review_controls(page: Any, site: Site):
    _login(page, site, "vic", f"/incidents/{site.daraa}")
    assert page.locator("#who").inner_text().startswith("vic")
    assert page.locator("#review").count() == 0
    answer = page.evaluate(
        "(id) => fetch(`/api/incidents/${id}/confirm`, {method: 'POST', headers: {"
        "'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector("
        "'meta[name=csrf-token]').content}, body: '{}'}).then(r => r.status)", site.daraa)
    assert answer == 403


def test_zone_and_agreement_pages(page: Any, site: Site):
    page.goto(f"{site.url}/zones/eastern-ghouta")
    page.wait_for_selector("#zone-map[data-ready]", state="attached")
    assert page.locator("path.zone-shape").count() >= 2  # draft, then agreed on 22 July
    assert page.locator("tr.version[data-status='agreed']").count() >= 1
    page.wait_for_selector("#zone-map[data-basemap-ready]", state="attached")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "zone.png"), full_page=True)
    page.goto(f"{site.url}/agreements?on=2017-07-04")
    assert page.locator(".deadline[data-status='missed']").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "agreements.png"), full_page=True)


def test_saved_search(page: Any, site: Site):
    _login(page, site, "vic", "/")
    ready = _wait_for_draw(page)
    page.select_option("select[name=zone]", "south")
    ready = _wait_for_draw(page, ready)
    page.fill("#searches input[name=name]", "the south")
    page.click("#searches button[type=submit]")
    page.locator("#searches-message", has_text="Saved").wait_for()
    page.click("button[type=reset]")
    ready = _wait_for_draw(page, ready)
    assert page.locator("#incidents tbody tr").count() == 2
    page.select_option("select[name=saved]", label="the south")
    ready = _wait_for_draw(page, ready)
    assert page.input_value("select[name=zone]") == "south"
    rows = page.locator("#incidents tbody tr")
    assert rows.count() == 1 and "Daraa" in rows.inner_text()
