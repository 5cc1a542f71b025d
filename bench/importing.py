"""ACLED import: `trucewatch import acled`'s storing step beside pandas read_csv + to_sql.

Both read the same generated export (bench/import_acled.py's seeded generator) into a
fresh SQLite file. trucewatch parses, validates, maps actors and stores each row
as a claim (merging into incidents is a later step, timed by bench/import_acled.py);
pandas stores the 31 columns as they are.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from common import Figure, missing, own_peak_mb


def write_export(path: Path, rows: int) -> str | None:
    """The generated ACLED file; the reason when the generator is not there."""
    try:
        from import_acled import write_acled
    except ImportError as exc:
        return f"bench/import_acled.py's generator not available ({exc})"
    write_acled(path, rows)
    return None


def trucewatch_import(path: Path) -> Figure:
    try:
        from trucewatch.actors import ActorDictionary
        from trucewatch.importers import Actors
        from trucewatch.ledger import Ledger
        from trucewatch.store.imports import import_file
    except ImportError as exc:
        return missing(f"the ACLED importer is not available ({exc})")
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(f"sqlite:///{folder}/bench.db")
        ledger.init()
        scenario = ledger.load_scenario("astana-2017")
        actors = Actors(ActorDictionary(scenario.actors.values()))
        start = time.perf_counter()
        summary = import_file(ledger.db, "acled", path, actors=actors)
        rate = summary.read / (time.perf_counter() - start)
    return Figure(rate, own_peak_mb(), f"{summary.read:,} rows read, {summary.imported:,} "
                  f"stored as claims, {summary.ignored:,} protests ignored; not merged")


def pandas_import(path: Path) -> Figure:
    try:
        import pandas
    except ImportError:
        return missing("pandas not installed: make bench installs the dev extra")
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "pandas.db")
        start = time.perf_counter()
        frame = pandas.read_csv(path)
        frame.to_sql("acled", connection, index=False)
        connection.commit()
        rate = len(frame) / (time.perf_counter() - start)
        connection.close()
    return Figure(rate, own_peak_mb(), f"{len(frame):,} rows, all columns as read")
