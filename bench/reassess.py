"""Benchmark: loading a scenario over a stored ledger, which re-assesses every stored
incident (issue 15: "loading a scenario and re-assessing 1M stored incidents stays within
the scale targets" of issue 17, 1M rows imported in under 20 CPU-s).

    .venv/bin/python bench/reassess.py [--rows 1000000] [--runs 3] [--keep DIR]
        [--scenarios astana-2017 donbas-minsk]

The ledger is built once (SQLite): an ACLED-shaped file from bench/import_acled.py's
generator, imported and merged as ``trucewatch import acled`` does. For each scenario a
second ledger holds the same rows moved to where that scenario's zones are (Syria for
astana-2017; for donbas-minsk the places are spread over Donetsk and Luhansk regions and
the dates moved to 2018, when the Minsk agreements were in force), so the verdicts are
the real work (zones found, agreements judged), not "outside every zone".

Each run is a fresh process timing ``Ledger.load_scenario`` alone (CPU seconds, user +
system, as ``time.process_time`` reads them): the scenario read and validated, stored,
every incident re-assessed and written. Three runs by default; min and median reported,
with the incidents re-assessed per CPU-second.

Measured 5 Dec 2026 (2 shared cores, SQLite, 1,000,000 rows -> 833,454 incidents), CPU-s
min / median of three runs. Before (each incident judged one by one, assess.assess_many
over ORM-read objects): astana-2017 72.3 / 72.5, donbas-minsk 151.9 / 154.2. Then
(service/reassessing.py: columns read in bulk, verdicts judged per block of one day,
unchanged verdicts not rewritten): a reload, astana-2017 8.41 / 8.54 (56,939 blocks
judged), donbas-minsk 36.68 / 36.72 (218,867 blocks); with ``--fresh`` (every verdict
new, written; the verdict's three indexes dropped and rebuilt): astana-2017 13.60 /
13.78, donbas-minsk 42.40 / 42.57. Now (a block holds a run of days between two of
assess.verdict_days, not one day; weapons.py's quick check before its any-weapon
search; the index decision from a sample of ids): a reload, donbas-minsk 18.95 / 19.20
against 37.72 / 37.99 for the code before, the two run in turn from 07:25 UTC (load
average about 6; alone, before the sampled index decision, which saves 0.3: 18.41 /
18.57 at 06:53 and 20.43 / 20.54 at 07:15: the figure moves by 10% with the machine's
load), 16,549 blocks; astana-2017 7.75 / 7.82 (5,514 blocks). With ``--fresh``:
donbas-minsk 25.60 / 25.81, astana-2017 11.43 / 11.66 (06:59; 26.80 / 27.13 and 11.67 /
11.86 at 07:27, beside the runs in turn). Then (each row written once, its verdict
and its mark together; the places' zone relations found once per load), in turn with the
code before from 10:51 (load average about 2.5): donbas-minsk --fresh 22.88 / 22.90
against 23.75 / 24.10, a reload 17.28 / 17.63 against 17.58 / 17.63; astana-2017 reload
6.74 / 6.77 against 6.67 / 6.78, --fresh 10.65 / 10.67 (alone) against 11.00 / 11.25. The
same verdicts as before, row for row (incident id, verdict, zones, agreements, reasons
dumped and compared). Where a reload's time goes now (py-spy, donbas-minsk): marking
every row assessed (one UPDATE of every row's ``assessed_at``: the whole 1.2 GB table
written through the WAL, about 3 CPU-s with the commit), reading the rows and their
claims (about 3.5), the weapons named looked for in 603,797 notes (about 1.8), judging
16,549 blocks (about 0.8), the rest the per-row Python of questions, keys and reasons.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from import_acled import write_acled  # bench/ is not a package

from trucewatch.ledger import Ledger

# Where each scenario's incidents are put: a box of (lat, lon), a shift of the dates, the
# country's name and ISO number in the rows. astana-2017 keeps the generator's Syria.
REGIONS: dict[str, tuple[tuple[float, float, float, float], int, str, int] | None] = {
    "astana-2017": None,
    "donbas-minsk": ((47.1, 49.2, 37.0, 39.9), 365, "Ukraine", 804),
}


def relocate(source: Path, target: Path, region: tuple[tuple[float, float, float, float],
                                                        int, str, int]) -> None:
    """The generated file with every place moved into the region's box (each place keeps
    one point) and the dates shifted."""
    (lat0, lat1, lon0, lon1), days, country, iso = region
    rng = random.Random(15)
    points: dict[str, tuple[float, float]] = {}
    with source.open(newline="", encoding="utf-8") as read, \
            target.open("w", newline="", encoding="utf-8") as write:
        rows = csv.reader(read)
        out = csv.writer(write)
        header = next(rows)
        out.writerow(header)
        at = {name: n for n, name in enumerate(header)}
        for row in rows:
            name = row[at["location"]]
            if name not in points:
                points[name] = (round(rng.uniform(lat0, lat1), 4),
                                round(rng.uniform(lon0, lon1), 4))
            row[at["latitude"]], row[at["longitude"]] = map(str, points[name])
            day = date.fromisoformat(row[at["event_date"]]) + timedelta(days=days)
            row[at["event_date"]], row[at["year"]] = day.isoformat(), str(day.year)
            row[at["country"]], row[at["iso"]] = country, str(iso)
            row[at["admin1"]], row[at["admin2"]] = "Donetsk", "Donetsk district"
            row[at["notes"]] = row[at["notes"]].replace("Syria", country)
            out.writerow(row)


def build(folder: Path, rows: int, scenario: str) -> Path:
    """The ledger for one scenario (built once; kept in ``folder``)."""
    database = folder / f"{scenario}-{rows}.db"
    if database.exists():
        return database
    generated = folder / f"acled-{rows}.csv"
    if not generated.exists():
        write_acled(generated, rows)
    region = REGIONS[scenario]
    path = generated
    if region is not None:
        path = folder / f"acled-{rows}-{scenario}.csv"
        relocate(generated, path, region)
    ledger = Ledger(f"sqlite:///{database}")
    ledger.init()
    ledger.load_scenario(scenario)
    started = time.process_time()
    summary = ledger.import_file("acled", path)
    merged = ledger.merge_pending()
    print(f"  built {database.name}: {summary.imported:,} rows stored, {merged.created:,} "
          f"incidents, {time.process_time() - started:.1f} CPU-s", flush=True)
    return database


def one_run(database: Path, scenario: str, fresh: bool) -> None:
    """One timed load in this (fresh) process: prints a JSON line. ``fresh``: every
    stored verdict is wiped first (not timed), so each one is written again."""
    ledger = Ledger(f"sqlite:///{database}")
    if fresh:
        with ledger.db.engine.begin() as connection:
            connection.exec_driver_sql(
                "UPDATE incidents SET verdict = NULL, verdict_zones = '[]', "
                "verdict_agreements = '[]', verdict_reasons = '[]'")
    cpu = time.process_time()
    ledger.load_scenario(scenario)
    cpu = time.process_time() - cpu
    counts = ledger.db.engine.connect().exec_driver_sql(
        "SELECT verdict, count(*) FROM incidents GROUP BY verdict").fetchall()
    print(json.dumps({"cpu": cpu, "verdicts": {str(k): n for k, n in counts}}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for the generated files and ledgers (kept for reuse)")
    parser.add_argument("--scenarios", nargs="+", default=list(REGIONS))
    parser.add_argument("--fresh", action="store_true",
                        help="wipe the stored verdicts before each run (not timed): every "
                             "verdict is written, as on a first load or a new scenario")
    parser.add_argument("--one", nargs=2, metavar=("DATABASE", "SCENARIO"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_run(Path(args.one[0]), args.one[1], args.fresh)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="trucewatch-reassess-"))
    folder.mkdir(parents=True, exist_ok=True)
    for scenario in args.scenarios:
        database = build(folder, args.rows, scenario)
        runs = []
        for _ in range(args.runs):
            done = subprocess.run([sys.executable, __file__, "--one", str(database), scenario,
                                   *(["--fresh"] if args.fresh else [])],
                                  check=True, capture_output=True, text=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        cpu = [run["cpu"] for run in runs]
        incidents = sum(runs[-1]["verdicts"].values())
        print(f"{scenario}: {incidents:,} incidents re-assessed; CPU-s min {min(cpu):.2f}, "
              f"median {statistics.median(cpu):.2f} ({incidents / min(cpu):,.0f} per CPU-s); "
              f"verdicts {runs[-1]['verdicts']}", flush=True)


if __name__ == "__main__":
    main()
