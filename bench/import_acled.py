"""Benchmark: an ACLED export of one million rows into SQLite, as `trucewatch import acled`
does it (rows stored in batches, then merged into incidents and assessed), and a day of
GDELT (100,000 rows) stored and merged.

    .venv/bin/python bench/import_acled.py [--rows 1000000] [--no-merge] [--gdelt-rows N]
    .venv/bin/python bench/import_acled.py --compare --rows 200000 --runs 3 [--postgres URL]

``--compare`` times the whole import as ``trucewatch import acled`` runs it (rows stored,
merged and assessed against astana-2017) beside pandas ``read_csv`` + ``to_sql`` of the
same file into SQLite: each side in a fresh process, ``--runs`` times, CPU seconds of
the work (the process's start and imports left out on both sides), min and median, and
the peak resident memory.

The file is generated (seeded) in a temporary folder with ACLED's 31 columns: events over
Syria's de-escalation zones in 2017, spread over 365 days and a few hundred places, with
the sub-event types, actors and sources an ACLED export has. Nothing is fetched.

Measured 2026-12-05, 07:00-07:40 UTC (2-core x86_64 VM shared with other work, load
average 4 to 7), CPU seconds, min / median of 3 runs, each in a fresh process. "before"
is commit 122523a; "after" c300265, which holds this round's import changes (lone
incidents as columns, the waiting claims' order read once, GDELT rows made from their
fields, said told once per kind of claim) and another helper's to assess_batch (a block
judged once for a run of days); "theirs only" is c300265 with the import changes taken
out, to tell the two apart:

| | before | theirs only | after |
|---|---|---|---|
| 200,000 rows end to end (``--compare``) | 12.23 / 12.29 | 11.36 / 11.43 | 9.60 / 9.70 |
| the same, pandas read_csv + to_sql beside it | 2.13 / 2.22 | 2.16 / 2.21 | 2.20 / 2.23 |
| 1,000,000 rows, the whole command | 64.48 / 64.67 | 61.08 / 61.74 | 54.84 / 56.03 |
| its peak memory | 364 MB | 360 MB | 338 MB |
| a GDELT day (100,000 rows) stored | 2.45 / 2.82 | | 1.40 / 1.57 |
| the same, merged into 10,341 incidents | 5.49 / 5.73 | | 5.28 / 5.53 |

(A first set of "after" runs of the 200,000 rows, at a busier moment, gave 10.51 / 11.17.)

Measured 2026-12-05, 10:13-10:27 UTC (same machine, load average 2.5 to 3.7), the next
round: rows stored already in their incidents (service/linking.py: a curated row no other
source's claim could meet gets its own, made on SQLite from its claim's row; GDELT's rows
merged as they are stored). "before" is 0646122, run from an archive of that commit with
the same interpreter, alternating with "after" (6b3948e) for the GDELT day and the
200,000 rows; the 1,000,000 rows' "before" is one run just before "after"'s last one:

| | before | after |
|---|---|---|
| 200,000 rows end to end (``--compare``) | 9.94 / 10.33 | 6.93 / 6.96 |
| the same, pandas read_csv + to_sql beside it | 2.21 / 2.23 | 2.14 / 2.15 |
| 1,000,000 rows, the whole command | 51.45 (one run) | 36.60 / 37.18 (35.66 after it) |
| its peak memory | 339 MB | 248 MB |
| a GDELT day (100,000 rows) stored and merged | 6.24 / 6.25 | 4.93 / 5.15 |

In a quieter moment (09:58-10:05) "after" gave 6.42 / 6.51 for the 200,000 rows and 4.72 /
4.75 for the GDELT day. The GDELT day is now timed as the command runs it
(``Ledger.import_file``: stored and merged in one pass, then ``merge_pending`` for what
waits, nothing here); before, stored 1.37-1.43 and merged 4.81-5.09.
The 1M rows were timed as the user runs them (``trucewatch --db sqlite:///... import
acled FILE`` after ``init`` and ``scenario load astana-2017``, the child's CPU from
wait4); the GDELT day by ``bench_gdelt_day``'s steps (no scenario: nothing assessed),
before and after alternating.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from trucewatch.actors import ActorDictionary
from trucewatch.importers import Actors
from trucewatch.ledger import Ledger
from trucewatch.service.merging import merge_pending
from trucewatch.store.imports import import_file

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)
SUB_EVENTS = (
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),  # not recorded: counted as ignored
)
ACTORS = (
    ("Military Forces of Syria (2000-)", 1), ("Military Forces of Russia (2000-)", 8),
    ("Hayat Tahrir al-Sham", 2), ("Jaish al-Islam", 2), ("Islamic State (Syria)", 2),
)
SOURCES = ("Syrian Observatory for Human Rights", "SANA", "Step News Agency",
           "Local Coordination Committees of Syria", "Smart News Agency")
ADMIN1 = ("Idleb", "Hama", "Aleppo", "Rural Damascus", "Dara", "Homs", "Quneitra")


def write_acled(path: Path, rows: int, seed: int = 2017) -> None:
    """An ACLED-shaped CSV of ``rows`` events over 2017, sorted by date as ACLED's are."""
    rng = random.Random(seed)
    places = [(f"Place {n}", rng.choice(ADMIN1), round(rng.uniform(32.5, 36.5), 4),
               round(rng.uniform(35.8, 38.3), 4)) for n in range(400)]
    start = date(2017, 1, 1)
    per_day = max(1, rows // 365)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(rows):
            day = start + timedelta(days=min(364, n // per_day))
            event_type, sub_event = SUB_EVENTS[rng.randrange(len(SUB_EVENTS))]
            actor1, inter1 = ACTORS[rng.randrange(len(ACTORS))]
            name, admin1, lat, lon = places[rng.randrange(len(places))]
            killed = rng.choice((0, 0, 0, 1, 2, 3, 5, 12))
            source = "; ".join(rng.sample(SOURCES, rng.choice((1, 1, 2))))
            writer.writerow((
                f"SYR{n + 1}", day.isoformat(), day.year, rng.choice((1, 1, 1, 2)),
                "Political violence", event_type, sub_event, actor1, "", inter1,
                "Civilians (Syria)", "", 7, f"{inter1}7", "Civilian targeting", 760,
                "Middle East", "Syria", admin1, f"{admin1} district", "", name, lat, lon,
                rng.choice((1, 1, 2)), source, "National-Regional",
                f"On {day:%d %B %Y}, {actor1} struck {name}; {killed} killed.", killed, "",
                1700000000 + n,
            ))


def write_gdelt_day(path: Path, rows: int, seed: int = 19) -> None:
    """A GDELT 2.0 events file of one day: ``rows`` events of CAMEO roots 18-20 (and a
    share of other roots, ignored) at a few thousand places, as an all-news day would hold."""
    rng = random.Random(seed)
    places = [(f"Town {n}", round(rng.uniform(32.5, 37.0), 4), round(rng.uniform(35.7, 42.0), 4))
              for n in range(3000)]
    codes = ("190", "193", "194", "195", "183", "180", "186", "042", "057")
    with path.open("w", encoding="utf-8") as handle:
        for n in range(rows):
            row = [""] * 61
            code = rng.choice(codes)
            name, lat, lon = places[rng.randrange(len(places))]
            row[0], row[1], row[26], row[28] = str(900000000 + n), "20170704", code, code[:2]
            row[6], row[16] = rng.choice(("SYRIA", "RUSSIA", "REBEL", "MILITARY")), "CIVILIAN"
            row[51], row[52], row[53] = "4", f"{name}, Syria", "SY"
            row[56], row[57] = str(lat), str(lon)
            row[60] = f"https://site{rng.randrange(200)}.example/{n}"
            handle.write("\t".join(row) + "\n")


def bench_gdelt_day(folder: Path, rows: int) -> None:
    path = folder / "20170704.export.CSV"
    write_gdelt_day(path, rows)
    ledger = Ledger(f"sqlite:///{folder}/gdelt.db")
    ledger.init()
    # As `trucewatch import gdelt` runs it: the rows merged as they are stored, then
    # whatever waits.
    started = time.process_time()
    summary = ledger.import_file("gdelt", path)
    stored = time.process_time() - started
    started = time.process_time()
    merged = ledger.merge_pending()
    took = time.process_time() - started
    print(f"GDELT day: {rows:,} rows, {summary.imported:,} violent; stored (and merged as "
          f"stored) in {stored:.2f} CPU-s, the rest merged in {took:.2f} CPU-s; "
          f"{stored + took:.2f} together; {merged.created + summary.merged.created:,} "
          "incidents (no scenario)")


def one_side(side: str, csv_path: Path, database: str, merge: bool) -> None:
    """One timed side of --compare, in this (fresh) process: prints a JSON line."""
    if side == "pandas":
        import sqlite3

        import pandas
        connection = sqlite3.connect(database)
        cpu, wall = time.process_time(), time.perf_counter()
        frame = pandas.read_csv(csv_path)
        frame.to_sql("acled", connection, index=False)
        connection.commit()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        connection.close()
        rows, note = len(frame), "all columns as read"
    else:
        ledger = Ledger(database)
        ledger.init()
        ledger.load_scenario("astana-2017")
        cpu, wall = time.process_time(), time.perf_counter()
        summary = ledger.import_file("acled", csv_path)
        merged = ledger.merge_pending() if merge else None
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rows = summary.read
        note = (f"{summary.imported:,} stored, "
                + (f"{merged.created + summary.merged.created:,} incidents "
                   f"({summary.merged.created:,} made as the rows were stored)"
                   if merged else "not merged"))
        if database.startswith("postgresql"):
            note += f"; PostgreSQL server {_server_cpu(database):.2f} CPU-s (setup included)"
        again = time.process_time()
        repeat = ledger.import_file("acled", csv_path)
        pending = ledger.pending_claims()
        note += (f"; re-import {time.process_time() - again:.2f} CPU-s, "
                 f"{repeat.imported} new, {repeat.unchanged:,} unchanged, {pending} pending")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"side": side, "rows": rows, "cpu": cpu, "wall": wall,
                      "peak_mb": peak, "note": note}))


def compare(rows: int, runs: int, merge: bool, postgres: str | None) -> None:
    """Each side ``runs`` times in fresh processes; min and median CPU seconds."""
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average before: {load[0]:.2f} {load[1]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "acled.csv"
        write_acled(csv_path, rows)
        sides = [("pandas", lambda n: f"{folder}/pandas{n}.db"),
                 ("trucewatch", lambda n: f"sqlite:///{folder}/tw{n}.db")]
        if postgres:
            sides.append(("trucewatch", lambda n: postgres))
        for side, database in sides:
            figures = []
            for n in range(runs):
                if database(n).startswith("postgresql"):
                    _reset_postgres(database(n))
                done = subprocess.run(
                    [sys.executable, __file__, "--one", side, "--file", str(csv_path),
                     "--database", database(n), *([] if merge else ["--no-merge"])],
                    capture_output=True, text=True)
                if done.returncode:
                    raise SystemExit(f"{side} run {n + 1} failed:\n{done.stderr}")
                figures.append(json.loads(done.stdout.strip().splitlines()[-1]))
            cpus = sorted(f["cpu"] for f in figures)
            where = "PostgreSQL" if database(0).startswith("postgresql") else "SQLite"
            print(f"{side} into {where}: {rows:,} rows, CPU s min {cpus[0]:.2f} median "
                  f"{statistics.median(cpus):.2f} (runs: {', '.join(f'{c:.2f}' for c in cpus)})"
                  f"; wall median {statistics.median(f['wall'] for f in figures):.2f} s; "
                  f"peak {max(f['peak_mb'] for f in figures):,.0f} MB; {figures[0]['note']}")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f}")


def _server_cpu(url: str) -> float:
    """CPU seconds of the server processes serving this database's connections (same
    machine), read from /proc: the work the client hands the server is counted too."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as connection:
        pids = list(connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")).scalars())
    engine.dispose()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _reset_postgres(url: str) -> None:
    """An empty schema for the next run (the database itself is the caller's)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                                "CREATE EXTENSION IF NOT EXISTS postgis"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--compare", action="store_true",
                        help="trucewatch end to end beside pandas read_csv + to_sql.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", help="Also time trucewatch into this database URL "
                        "(its public schema is dropped before each run).")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--no-merge", action="store_true", help="Time the storing only.")
    parser.add_argument("--gdelt-rows", type=int, default=100_000,
                        help="Rows of the one-day GDELT file (0: skip it).")
    args = parser.parse_args()
    if args.one:
        one_side(args.one, args.file, args.database, not args.no_merge)
        return
    if args.compare:
        compare(args.rows, args.runs, not args.no_merge, args.postgres)
        return
    with tempfile.TemporaryDirectory() as folder:
        if args.gdelt_rows:
            bench_gdelt_day(Path(folder), args.gdelt_rows)
        csv_path = Path(folder) / "acled.csv"
        write_acled(csv_path, args.rows)
        ledger = Ledger(f"sqlite:///{folder}/bench.db")
        ledger.init()
        scenario = ledger.load_scenario("astana-2017")
        actors = Actors(ActorDictionary(scenario.actors.values()))
        started, cpu = time.perf_counter(), time.process_time()
        summary = import_file(ledger.db, "acled", csv_path, actors=actors)
        stored, stored_cpu = time.perf_counter() - started, time.process_time() - cpu
        size_mb = csv_path.stat().st_size / 1e6
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}")
        print(f"file: {args.rows:,} rows, {size_mb:,.0f} MB; {summary.imported:,} stored, "
              f"{summary.ignored:,} ignored (protests)")
        print(f"store rows (read, parse, insert): {summary.read / stored:,.0f} rows/s "
              f"({stored:.1f} s; {summary.read / stored_cpu:,.0f} rows per CPU second)")
        if not args.no_merge:
            started, cpu = time.perf_counter(), time.process_time()
            merged = merge_pending(ledger.db, scenario)
            took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
            print(f"merge + assess: {merged.claims / took:,.0f} claims/s ({took:.1f} s, "
                  f"{took_cpu:.2f} CPU-s, {merged.created:,} incidents)")
            print(f"end to end: {summary.read / (stored + took):,.0f} rows/s; "
                  f"{stored_cpu + took_cpu:.2f} CPU-s")
        again = time.perf_counter()
        repeat = import_file(ledger.db, "acled", csv_path, actors=actors)
        took = time.perf_counter() - again
        print(f"re-import, all unchanged: {repeat.read / took:,.0f} rows/s "
              f"({repeat.unchanged:,} unchanged)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
