"""Benchmark: the dashboard's first render over a large ledger, in headless Chromium.

    .venv/bin/python bench/dashboard.py [--rows 200000] [--runs 3] [--db PATH]

Imports ``--rows`` ACLED-style rows (bench/import_acled.py's seeded generator: 2017 over
Syria's de-escalation zones) into a SQLite ledger with the Astana scenario, merges and
assesses them, serves the app with `trucewatch serve` in its own process, and opens the
dashboard ``--runs`` times, each in a fresh browser context (nothing cached): as it
opens (the ledger's last four weeks) and over the whole ledger. A render is
timed from the start of navigation to the moment the page marks its map, timeline and
list drawn (``#map[data-ready]``); the offline basemap is timed apart. Prints each run,
then the minimum and the median. The issue's target: under 2 s.

``--db PATH`` keeps the ledger there and reuses it when it already holds incidents.
Needs Debian's Chromium at /usr/bin/chromium and Playwright (the dev extra).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from import_acled import write_acled
from serving import Server

CHROMIUM = Path("/usr/bin/chromium")
# The dashboard as it opens (the ledger's last four weeks), and every incident at once.
VIEWS = (("opening view (the last four weeks)", "/"),
         ("the whole ledger", "/?date_from=1900-01-01"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build_ledger(path: Path, rows: int) -> int:
    """The ledger at ``path`` with ``rows`` imported rows merged; its incident count."""
    from sqlalchemy import func, select

    from trucewatch.ledger import Ledger
    from trucewatch.store.tables import IncidentRow

    ledger = Ledger(f"sqlite:///{path}")
    ledger.init()
    with ledger.db.reading() as session:
        held = session.scalar(select(func.count()).select_from(IncidentRow)) or 0
    if held:
        print(f"ledger: {path} already holds {held:,} incidents; reused")
        return held
    ledger.load_scenario("astana-2017")
    csv_path = path.with_suffix(".csv")
    write_acled(csv_path, rows)
    started = time.perf_counter()
    summary = ledger.import_file("acled", csv_path)
    stored = time.perf_counter() - started
    started = time.perf_counter()
    merged = ledger.merge_pending()
    took = time.perf_counter() - started
    csv_path.unlink()
    print(f"ledger: {summary.imported:,} rows stored in {stored:.0f} s, merged and assessed "
          f"into {merged.created:,} incidents in {took:.0f} s")
    return merged.created


def render_times(base: str, runs: int, path: str = "/"
                 ) -> list[tuple[float, float | None, str]]:
    """(seconds to the dashboard drawn, seconds to the basemap drawn, what it showed)."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            browser.new_page().goto(base + "/login")  # the browser's own start-up, untimed
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1360, "height": 1000})
                page = context.new_page()
                page.goto(base + path, wait_until="commit")
                page.wait_for_selector("#map[data-ready]", state="attached", timeout=120_000)
                drawn = page.evaluate("performance.now()") / 1000
                basemap = None
                try:
                    page.wait_for_selector("#map[data-basemap-ready]", state="attached",
                                           timeout=60_000)
                    basemap = page.evaluate("performance.now()") / 1000
                except Exception:  # a basemap that never finishes is reported, not fatal
                    basemap = None
                shown = (f"list {page.inner_text('#count')}, "
                         f"{page.locator('.cluster-count').count()} clusters and "
                         f"{page.locator('path.incident-marker').count()} markers, "
                         f"{page.locator('path.zone-shape').count()} zone shapes, "
                         f"timeline by {page.get_attribute('#timeline svg', 'data-unit')}")
                results.append((drawn, basemap, shown))
                context.close()
        finally:
            browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    # A sixth of the generated rows are protests, which are not stored: 240,000 rows make
    # about 200,000 incidents.
    parser.add_argument("--rows", type=int, default=240_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="Keep (and reuse) the ledger here.")
    args = parser.parse_args()
    if not CHROMIUM.exists():  # make bench goes on to the others
        print(f"dashboard: not measured, no Chromium at {CHROMIUM} (apt-get install chromium)")
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{n:.1f}' for n in os.getloadavg())}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "dashboard.db"
        incidents = build_ledger(path, args.rows)
        with Server(f"sqlite:///{path}", Path(folder) / "serve.log") as server:
            views = [(view, render_times(server.base, args.runs, url)) for view, url in VIEWS]
    for view, results in views:
        print(f"{view}:")
        for n, (drawn, basemap, shown) in enumerate(results, 1):
            print(f"  run {n}: drawn in {drawn:.2f} s, basemap in "
                  f"{'-' if basemap is None else f'{basemap:.2f} s'} ({shown})")
        times = [drawn for drawn, _, _ in results]
        print(f"  first render over {incidents:,} incidents, {len(times)} runs: min "
              f"{min(times):.2f} s, median {statistics.median(times):.2f} s (target < 2 s)")


if __name__ == "__main__":
    main()
