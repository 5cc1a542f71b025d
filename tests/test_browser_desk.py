"""The dashboard over a ledger too big to list at once, in a real browser (Chromium and
Playwright, as test_browser.py): 600 ACLED-style rows written here, five months of
strikes over nine towns of the Astana zones, imported, merged and assessed. The
dashboard must open on the last four weeks, page and sort the list, filter by text,
source, dataset and confidence, link the view's exports, show week- and month-precision
dates as such, and count every incident on the map at a low zoom."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from browser_support import NEEDS_CHROMIUM, guarded_page, launch, serve, wait_for_draw

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp")
TOWNS = (("Saraqib", "Idleb", 35.8623, 36.8006), ("Maarat al-Numan", "Idleb", 35.6439, 36.67),
         ("Khan Shaykhun", "Idleb", 35.4417, 36.65), ("Douma", "Rural Damascus", 33.5722, 36.4036),
         ("Harasta", "Rural Damascus", 33.5586, 36.3650), ("Rastan", "Homs", 34.9267, 36.7325),
         ("Talbiseh", "Homs", 34.8406, 36.7300), ("Daraa", "Dara", 32.6189, 36.1021),
         ("Nawa", "Dara", 32.8897, 36.0431))
SOURCES = ("SANA", "Step News Agency", "Syrian Observatory for Human Rights")
FIRST = date(2017, 2, 1)
ROWS = 600
LAST = FIRST + timedelta(days=(ROWS - 1) // 4)  # four rows a day: 30 June 2017
WEEK_ROW, MONTH_ROW = 101, 102  # dated to a week and to a month, with the largest tolls
SCREENSHOTS = Path(__file__).parent.parent / "build" / "screenshots"


@dataclass
class Desk:
    url: str
    ledger: Any


def _write_rows(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(ROWS):
            day = FIRST + timedelta(days=n // 4)
            town, admin1, lat, lon = TOWNS[n % len(TOWNS)]
            precision, killed = 1, n % 5
            if n == WEEK_ROW:
                precision, killed, day = 2, 99, date(2017, 5, 10)  # ACLED dates a week mid-week
            elif n == MONTH_ROW:
                precision, killed, day = 3, 98, date(2017, 5, 15)
            actor = "Hayat Tahrir al-Sham" if n % 7 == 0 else "Military Forces of Syria (2000-)"
            row = {
                "event_id_cnty": f"SYR9{n:04d}", "event_date": day.isoformat(), "year": day.year,
                "time_precision": precision, "disorder_type": "Political violence",
                "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
                "actor1": actor, "inter1": 1, "actor2": "Civilians (Syria)", "inter2": 7,
                "interaction": 17, "iso": 760, "region": "Middle East", "country": "Syria",
                "admin1": admin1, "location": town, "latitude": lat, "longitude": lon,
                "geo_precision": 1, "source": SOURCES[n % len(SOURCES)],
                "source_scale": "National", "fatalities": killed, "timestamp": 1500000000 + n,
                "notes": f"On {day:%d %B %Y}, an air strike hit {town}; {killed} killed.",
            }
            writer.writerow([row.get(column, "") for column in COLUMNS])


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    from trucewatch.ledger import Ledger
    from trucewatch.server import create_app
    from trucewatch.settings import load_settings

    folder = tmp_path_factory.mktemp("browser-desk")
    url = f"sqlite:///{folder / 'ledger.db'}"
    ledger = Ledger(url)
    ledger.init()
    ledger.load_scenario("astana-2017")
    _write_rows(folder / "acled.csv")
    ledger.import_file("acled", folder / "acled.csv")
    ledger.merge_pending()
    # A count a monitor reported (an aggregate report), for the timeline's line.
    (folder / "counts.csv").write_text(
        "date,reporter,side,area,count,kind,killed,wounded,source,note\n"
        f"{LAST - timedelta(days=3)},Local monitors,,eastern-ghouta,40,ceasefire violations,,,,\n",
        encoding="utf-8")
    ledger.import_aggregates(folder / "counts.csv")
    app = create_app(load_settings(database_url=url, secret_key="browser-desk"), ledger=ledger)
    with serve(app) as base:
        yield Desk(base, ledger)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Any, desk: Desk) -> Iterator[Any]:
    with guarded_page(browser, desk.url) as opened:
        yield opened


def _count(page: Any, desk: Desk, query: str) -> int:
    """How many incidents the API lists for a query, asked from the page's context."""
    answer = page.request.get(f"{desk.url}/api/incidents?{query}&limit=1")
    assert answer.ok, answer.text()
    count: int = answer.json()["count"]
    return count


def test_opens_on_the_latest_weeks_with_zones_drawn(page: Any, desk: Desk):
    page.goto(desk.url + "/")
    wait_for_draw(page)
    first = LAST - timedelta(days=27)
    assert page.input_value("input[name=date_from]") == first.isoformat()
    assert page.input_value("input[name=date_to]") == LAST.isoformat()
    assert f"date_from={first}" in page.url and f"date_to={LAST}" in page.url
    # "Zones as on" falls on the last day, when the zones existed: they are drawn.
    assert page.get_attribute("#map", "data-day") == LAST.isoformat()
    assert page.locator("path.zone-shape").count() >= 4
    rows = page.locator("#incidents tbody tr")
    assert rows.count() == 50  # one page of the four weeks, the latest first
    assert rows.first.locator("a").inner_text() == LAST.isoformat()
    in_range = _count(page, desk, f"date_from={first}&date_to={LAST}")
    assert in_range == 28 * 4
    assert page.inner_text("#count") == f"1–50 of {in_range}"
    assert page.inner_text("#page-of") == "page 1 of 3"
    assert page.locator("#timeline rect.bar").count() >= 4
    assert page.get_attribute("#timeline svg", "data-unit") == "day"
    # The monitors' count, on its own scale.
    reported = page.locator("#timeline circle.reported")
    assert reported.count() == 1 and reported.get_attribute("data-count") == "40"
    assert reported.get_attribute("data-day") == (LAST - timedelta(days=3)).isoformat()
    page.wait_for_selector("#map[data-basemap-ready]", state="attached")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-latest.png"), full_page=True)


def test_pager_sort_and_coarse_dates(page: Any, desk: Desk):
    page.goto(f"{desk.url}/?date_from=2017-01-01")
    ready = wait_for_draw(page)
    total = _count(page, desk, "date_from=2017-01-01")
    assert total == ROWS
    assert page.inner_text("#page-of") == "page 1 of 12"
    assert page.get_attribute("#timeline svg", "data-unit") == "week"  # five months
    first_page = page.locator("#incidents tbody tr").first.get_attribute("data-id")
    page.click("#next-page")
    ready = wait_for_draw(page, ready)
    assert "page=2" in page.url and page.inner_text("#page-of") == "page 2 of 12"
    assert page.inner_text("#count") == f"51–100 of {total}"
    assert page.locator("#incidents tbody tr").first.get_attribute("data-id") != first_page
    page.click("#last-page")
    ready = wait_for_draw(page, ready)
    assert page.locator("#incidents tbody tr").count() == ROWS - 11 * 50
    assert page.is_disabled("#next-page") and not page.is_disabled("#previous-page")

    # Sorting goes back to the first page; the largest tolls are the week and month rows,
    # whose dates are shown as ACLED gave them, not as "unknown".
    page.click("button.sort[data-sort=killed]")
    ready = wait_for_draw(page, ready)
    assert "sort=-killed" in page.url and "page=" not in page.url
    rows = page.locator("#incidents tbody tr")
    assert rows.nth(0).locator("td").nth(4).inner_text() == "99"
    assert rows.nth(0).locator("a").inner_text() == "week of 7 May 2017"
    assert rows.nth(1).locator("a").inner_text() == "May 2017"
    page.click("button.sort[data-sort=killed]")  # again: the other way
    ready = wait_for_draw(page, ready)
    assert "sort=killed" in page.url
    assert page.locator("#incidents tbody tr").first.locator("td").nth(4).inner_text() == "0"


def test_incident_page_names_the_row_it_came_from(page: Any, desk: Desk):
    page.goto(f"{desk.url}/?date_from=2017-01-01&sort=-killed")
    wait_for_draw(page)
    page.locator("#incidents tbody tr").first.locator("a").click()
    page.wait_for_url(f"{desk.url}/incidents/*")
    assert page.inner_text("#event-date").startswith("week of 7 May 2017")
    assert "week of 7 May 2017" in page.inner_text("h1")
    claim = page.locator("#provenance tr.claim")
    assert claim.count() == 1
    said = claim.inner_text()
    assert "ACLED" in said and f"event_id_cnty SYR9{WEEK_ROW:04d}" in said
    assert "an air strike hit" in said  # the row's notes
    assert "One claim: the incident is what it says." in page.inner_text("#provenance")


def test_text_source_dataset_and_confidence_filters_and_export(page: Any, desk: Desk):
    page.goto(f"{desk.url}/?date_from=2017-01-01")
    ready = wait_for_draw(page)
    page.fill("input[name=source]", "SANA")
    page.press("input[name=source]", "Enter")
    ready = wait_for_draw(page, ready)
    sana = _count(page, desk, "date_from=2017-01-01&source=SANA")
    assert 0 < sana < ROWS and page.inner_text("#count").endswith(f"of {sana}")
    assert "source=SANA" in page.url

    # The export links carry the same filters: the CSV has one row per listed incident.
    href = page.get_attribute("#export-csv", "href")
    assert "format=acled-csv" in href and "source=SANA" in href and "date_from=2017-01-01" in href
    exported = page.request.get(desk.url + href)
    assert exported.ok and exported.headers["content-type"].startswith("text/csv")
    assert len(exported.text().strip().splitlines()) == sana + 1  # and the header
    geojson = page.request.get(desk.url + page.get_attribute("#export-geojson", "href"))
    assert len(geojson.json()["features"]) == sana
    jsonl = page.request.get(desk.url + page.get_attribute("#export-jsonl", "href"))
    assert len(jsonl.text().strip().splitlines()) == sana

    page.fill("input[name=q]", "Saraqib")
    page.press("input[name=q]", "Enter")
    ready = wait_for_draw(page, ready)
    both = _count(page, desk, "date_from=2017-01-01&source=SANA&q=Saraqib")
    assert 0 < both < sana and page.inner_text("#count").endswith(str(both))
    assert all(row == "Saraqib" for row in
               page.locator("#incidents tbody tr td:nth-child(3)").all_inner_texts())

    page.select_option("select[name=dataset]", "reports")  # none came from articles
    ready = wait_for_draw(page, ready)
    assert page.inner_text("#count") == "0"
    assert "No incident matches" in page.inner_text("#incidents tbody")
    page.select_option("select[name=dataset]", "acled")
    ready = wait_for_draw(page, ready)
    assert page.inner_text("#count").endswith(str(both))

    grade = page.locator("#incidents tbody tr td:nth-child(7)").first.inner_text()
    page.select_option("select[name=confidence]", grade)
    ready = wait_for_draw(page, ready)
    graded = _count(page, desk, f"date_from=2017-01-01&source=SANA&q=Saraqib&confidence={grade}")
    assert graded > 0 and page.inner_text("#count").endswith(str(graded))
    assert set(page.locator("#incidents tbody tr td:nth-child(7)").all_inner_texts()) == {grade}


def _on_the_map(page: Any) -> tuple[int, int]:
    """(incidents the map shows, clusters drawn): each cluster's count, plus markers."""
    counts = [int(n) for n in page.locator(".cluster-count").evaluate_all(
        "nodes => nodes.map(n => n.dataset.count)")]
    return sum(counts) + page.locator("path.incident-marker").count(), len(counts)


def test_the_map_counts_every_incident_at_a_low_zoom(page: Any, desk: Desk):
    page.goto(f"{desk.url}/?date_from=2017-01-01")
    wait_for_draw(page)
    shown, clusters = _on_the_map(page)
    assert shown == ROWS and clusters >= 3  # more than 500: counted per cell
    assert page.inner_text("#map-count").startswith("600 incidents")
    map_ready = page.get_attribute("#map", "data-map-ready")
    for _ in range(3):
        page.click(".leaflet-control-zoom-out")
        map_ready = wait_for_draw(page, map_ready, what="map-ready")
    shown, fewer = _on_the_map(page)
    assert shown == ROWS and 1 <= fewer < clusters
    page.locator(".dashboard").screenshot(path=str(SCREENSHOTS / "dashboard-clusters.png"))

    # Fewer than 500 come one by one, but those at the very same point (every Douma row
    # is placed at the town) are one circle: clicking it lists them.
    page.goto(f"{desk.url}/?date_from=2017-01-01&q=Douma")
    ready = wait_for_draw(page)
    douma = _count(page, desk, "date_from=2017-01-01&q=Douma")
    assert _on_the_map(page) == (douma, 1)
    page.fill("input[name=q]", "")  # every town again, but only Douma's point listed
    page.locator(".cluster-count").first.click()
    ready = wait_for_draw(page, ready)
    assert "bbox=" in page.url and page.is_visible("#place-filter")
    assert page.inner_text("#count").endswith(str(douma))
    assert set(page.locator("#incidents tbody tr td:nth-child(3)").all_inner_texts()) == {"Douma"}
    page.click("#clear-place")
    ready = wait_for_draw(page, ready)
    assert "bbox=" not in page.url and page.inner_text("#count").endswith(str(ROWS))
