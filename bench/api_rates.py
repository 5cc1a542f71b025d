"""API: requests/s and p99 latency of GET /api/incidents and of one incident's pages (JSON
and the dashboard's HTML), against `trucewatch serve` over a SQLite store of a few
thousand incidents (the demo reports ingested, and a generated ACLED export imported and
merged), filled through the command line as a user would."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import Figure, missing
from importing import write_export
from serving import Server, measure


def trucewatch(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "trucewatch", "--db", url, *args], check=True,
                   capture_output=True)


def fill_store(url: str, folder: Path, acled_rows: int) -> str:
    """The store the server reads; what it holds, in words."""
    trucewatch(url, "init")
    trucewatch(url, "scenario", "load", "astana-2017")
    trucewatch(url, "ingest", "--scenario", "astana-2017", "--demo")
    export = folder / "acled.csv"
    reason = write_export(export, acled_rows)
    if reason is None:
        try:
            trucewatch(url, "import", "acled", str(export))
        except subprocess.CalledProcessError as exc:
            reason = f"trucewatch import acled failed: {exc.stderr.decode()[-300:]}"
    return "demo reports only: " + reason if reason else ""


def api_figures(acled_rows: int, seconds: float, connections: int) -> list[Figure]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'api.db'}"
        caveat = fill_store(url, folder, acled_rows)
        with Server(url, folder / "server.log") as server:
            listing = httpx.get(f"{server.base}/api/incidents?limit=1&q=Saqba").json()
            total = httpx.get(f"{server.base}/api/incidents?limit=1").json()["count"]
            if not listing["data"]:
                return [missing("no demo incident in the store")] * 3
            held = f"{total:,} incidents" + (f" ({caveat})" if caveat else "")
            figures = []
            chosen = listing["data"][0]["id"]
            for path, what in (("/api/incidents", "50 a page"),
                               (f"/api/incidents/{chosen}",
                                "an incident with its claims and report text"),
                               (f"/incidents/{chosen}", "the dashboard's HTML page of it")):
                measure(server.base + path, 2, connections)  # warm up
                started = time.monotonic()
                found = measure(server.base + path, seconds, connections)
                took = time.monotonic() - started
                figures.append(Figure(
                    found.rate, server.peak_mb(),
                    f"GET {path} ({what}), {held}; {found.tool}, {took:.0f} s, "
                    f"{found.errors} errors; peak = the server process",
                    p99_ms=found.p99_ms))
            return figures
