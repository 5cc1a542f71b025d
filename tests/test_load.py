"""Load: the API holds its throughput under a bounded load on loopback, with no error and
flat memory.

`trucewatch serve` runs as a subprocess over a temporary SQLite store (astana-2017 and the
demo reports, filled through the command line). Eight clients on loopback request incident
lists (plain and filtered), incident pages, zones, daily counts and reports, each sending
its next request when its last one is answered, for LOAD_TEST_SECONDS (40 by default; set
it to 600 to hold the load for ten minutes). The load generator is bench/serving.py's.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

# bench/ is not a package: its load generator is imported from its folder.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from serving import Server, hammer

SECONDS = float(os.environ.get("LOAD_TEST_SECONDS", "40"))
WARM_UP = 8.0
CONNECTIONS = 8
WINDOW = 5.0

pytestmark = pytest.mark.slow  # a server under load for LOAD_TEST_SECONDS


def trucewatch(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "trucewatch", "--db", url, *args], check=True,
                   capture_output=True)


def test_api_holds_its_throughput_with_no_error_and_flat_memory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    trucewatch(url, "init")
    trucewatch(url, "scenario", "load", "astana-2017")
    trucewatch(url, "ingest", "--scenario", "astana-2017", "--demo")
    with Server(url, tmp_path / "server.log") as server:
        listed = httpx.get(f"{server.base}/api/incidents?limit=100").json()["data"]
        assert listed, "the demo reports gave no incident"
        paths = ["/api/incidents", "/api/incidents?verdict=violation&sort=-event_date",
                 "/api/incidents?zone=eastern-ghouta", "/api/incidents?q=Saqba",
                 "/api/zones", "/api/stats/daily", "/api/reports",
                 *(f"/api/incidents/{incident['id']}" for incident in listed)]
        urls = [server.base + path for path in paths]
        warm = asyncio.run(hammer(urls, WARM_UP, CONNECTIONS, WINDOW))
        settled_mb = server.rss_mb()
        load = asyncio.run(hammer(urls, SECONDS, CONNECTIONS, WINDOW))
        end_mb = server.rss_mb()
        assert server.process is not None and server.process.poll() is None, "server died"

    assert warm.failures == 0 and load.failures == 0, (load.statuses, load.errors)
    assert set(load.statuses) == {200}, load.statuses
    rates = load.window_rates()
    assert len(rates) >= 3, f"run {SECONDS:.0f} s at least, for three {WINDOW:.0f}-s windows"
    # Held: no window stalls, and the end of the run serves about as much as its start.
    median = statistics.median(rates)
    assert min(rates) >= median / 3, f"a window fell to {min(rates):.0f}/s (median {median:.0f})"
    third = len(rates) // 3
    first, last = statistics.mean(rates[:third]), statistics.mean(rates[-third:])
    assert last >= 0.7 * first, f"throughput fell from {first:.0f}/s to {last:.0f}/s: {rates}"
    # Flat memory: the resident size after the load is what it was after warming up.
    assert end_mb <= settled_mb * 1.2 + 20, f"RSS grew from {settled_mb:.0f} to {end_mb:.0f} MB"
    print(f"\n{load.answered:,} answers, {load.rate:,.0f}/s (windows {[round(r) for r in rates]}),"
          f" p99 {load.percentile_ms(0.99):.0f} ms; RSS {settled_mb:.0f} -> {end_mb:.0f} MB")
