"""Benchmarks: trucewatch beside what a user would otherwise pick, on the same data in one run.

    make bench            # or: .venv/bin/python bench/run.py [--points N] [--markdown] ...

Prints one table: each measure's rate with the peak resident memory of the process that
ran it, the alternative's rate and peak, and the ratio (how many times faster trucewatch
is; below 1 it is slower). Each side runs in a fresh process, so a peak is that side's
own; inputs are generated from fixed seeds (or are the project's demo reports), so both
sides of a row get the same data. Nothing is fetched.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from api_rates import api_figures
from common import Figure, missing, own_peak_mb
from extraction import articles, diy_extract, trucewatch_extract
from importing import pandas_import, trucewatch_import, write_export
from merging import trucewatch_merge
from zones import geopandas_points, incidents, postgis_points, trucewatch_points

from trucewatch.assess import assess_many
from trucewatch.ledger import Ledger
from trucewatch.model import EventType
from trucewatch.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Row:
    measure: str
    ours: Figure
    beside: str = ""  # the alternative's name; empty: no comparison on this row
    theirs: Figure | None = None

    @property
    def ratio(self) -> str:
        if self.theirs is None:
            return ""
        if self.ours.rate is None or self.theirs.rate is None:
            return "not available"
        return f"{self.ours.rate / self.theirs.rate:.1f}x"


def isolated(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a fresh process, so its peak memory is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


# --- rows without an alternative -----------------------------------------------------------


def assess_rate(n: int) -> Figure:
    """Whole verdicts (zones found in bulk, agreements and reasons per incident)."""
    scenario = load_scenario("astana-2017")
    rng = random.Random(7)
    found = [replace(incident, event_type=rng.choice([EventType.AIR_STRIKE, EventType.SHELLING]),
                     event_date=date(2017, 5, 1) + timedelta(days=rng.randrange(120)),
                     perpetrator_actor=rng.choice(["syrian-government", "russia", None]))
             for incident in incidents(n)]
    start = time.perf_counter()
    assess_many(found, scenario)
    return Figure(n / (time.perf_counter() - start), own_peak_mb(),
                  f"{n:,} random incidents against astana-2017")


def ingest_rate(n: int) -> Figure:
    """Articles into SQLite: extract, merge, assess, write; each copy a new report."""
    reports = articles()
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(f"sqlite:///{folder}/bench.db")
        ledger.init()
        ledger.load_scenario("astana-2017")
        start = time.perf_counter()
        for i in range(n):
            base = reports[i % len(reports)]
            ledger.ingest(replace(base, text=f"{base.text}\n[copy {i}]"))
        rate = n / (time.perf_counter() - start)
    return Figure(rate, own_peak_mb(), f"{n:,} reports")


# --- the run ---------------------------------------------------------------------------------


def measure_all(args: argparse.Namespace) -> list[Row]:
    rows = [Row("extraction (articles/s, one core)", isolated(trucewatch_extract, args.articles),
                "spaCy + dateparser + regexes", isolated(diy_extract, args.articles))]
    rows.append(Row("assessment (incidents/s)", isolated(assess_rate, args.incidents)))
    rows.extend(point_rows(args.points))
    rows.append(import_row(args.acled_rows))
    rows.append(Row("merging (incidents/s)", isolated(trucewatch_merge, args.events)))
    rows.append(Row("ingest into SQLite (reports/s)", isolated(ingest_rate, args.reports)))
    listing, page, html = isolated(api_figures, args.api_rows, args.api_seconds,
                                   args.connections)
    rows += [Row("API: GET /api/incidents (requests/s)", listing),
             Row("API: GET /api/incidents/ID (requests/s)", page),
             Row("dashboard: GET /incidents/ID (requests/s)", html)]
    return rows


def point_rows(n: int) -> list[Row]:
    ours = isolated(trucewatch_points, n)
    rows = [Row(f"point-in-zone, {n:,} points (incidents/s)", ours, "geopandas sjoin",
                isolated(geopandas_points, n))]
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_server import PostgresServer

    server = PostgresServer()
    server.start()
    try:
        url = None if server.reason else server.new_database()
        theirs = isolated(postgis_points, n, url, server.reason)
    finally:
        server.stop()
    rows.append(Row("the same points (incidents/s)", ours, "PostGIS ST_Contains", theirs))
    return rows


def import_row(n: int) -> Row:
    name = f"ACLED import, {n:,} rows (rows/s)"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acled.csv"
        reason = write_export(path, n)
        if reason:
            return Row(name, missing(reason), "pandas read_csv + to_sql", missing(reason))
        return Row(name, isolated(trucewatch_import, path), "pandas read_csv + to_sql",
                   isolated(pandas_import, path))


# --- printing --------------------------------------------------------------------------------

HEADER = ("measure", "trucewatch", "peak MB", "beside it", "its figure", "peak MB",
          "trucewatch is")


def cells(row: Row) -> tuple[str, ...]:
    theirs = row.theirs
    return (row.measure, figure_text(row.ours), peak_text(row.ours), row.beside,
            figure_text(theirs) if theirs else "", peak_text(theirs) if theirs else "",
            row.ratio)


def figure_text(figure: Figure) -> str:
    if figure.rate is None:
        return "not available"
    text = f"{figure.rate:,.0f}" if figure.rate >= 10 else f"{figure.rate:.1f}"
    return text + (f" (p99 {figure.p99_ms:,.0f} ms)" if figure.p99_ms is not None else "")


def peak_text(figure: Figure) -> str:
    return "" if figure.peak_mb is None else f"{figure.peak_mb:,.0f}"


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 ** 2 for line in
                   Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return (f"{platform.machine()}, {model}, {os.cpu_count()} cores, {memory} GB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def print_table(rows: list[Row], markdown: bool) -> None:
    table = [HEADER, *(cells(row) for row in rows)]
    if markdown:
        for k, line in enumerate(table):
            print("| " + " | ".join(line) + " |")
            if k == 0:
                print("|" + "|".join("---" for _ in line) + "|")
    else:
        widths = [max(len(line[c]) for line in table) for c in range(len(HEADER))]
        for line in table:
            print("  ".join(cell.ljust(w) if c in (0, 3) else cell.rjust(w)
                            for c, (cell, w) in enumerate(zip(line, widths, strict=True))))
    print()
    for k, row in enumerate(rows):
        if k == 0 or row.ours is not rows[k - 1].ours:  # not the same figure again
            print(f"{row.measure}: {row.ours.note}")
        if row.theirs is not None:
            print(f"    {row.beside}: {row.theirs.note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--incidents", type=int, default=20_000, help="for the assessment")
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--acled-rows", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=20_000, help="events told for merging")
    parser.add_argument("--reports", type=int, default=300, help="reports ingested")
    parser.add_argument("--api-rows", type=int, default=5_000,
                        help="ACLED rows imported into the API's store")
    parser.add_argument("--api-seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8, help="for the API load")
    parser.add_argument("--markdown", action="store_true", help="Print the table in Markdown.")
    args = parser.parse_args()
    started = time.monotonic()
    rows = measure_all(args)
    print(f"machine: {machine()}")
    print_table(rows, args.markdown)
    print(f"\n(the whole run took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
