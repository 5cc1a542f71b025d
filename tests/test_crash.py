"""kill -9 in the middle of an ingest: the store stays consistent and a second run
finishes the work without duplicates, ending where an uninterrupted run ends."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes, killed with SIGKILL mid-ingest

TOWNS = ["Saqba", "Douma", "Harasta", "Arbin", "Zamalka", "Kafr Batna", "Jobar", "Hamouriyeh",
         "Ain Tarma", "Misraba"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def write_reports(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        town, day = TOWNS[i % len(TOWNS)], DAYS[(i // len(TOWNS)) % len(DAYS)]
        (folder / f"{i:04d}.txt").write_text(
            f"Strikes on {town}, report {i}\n\n"
            f"Air strikes hit the town of {town} in Eastern Ghouta on {day}, killing "
            f"{i % 9 + 1} civilians and wounding {i % 13 + 2} others, the Syrian Observatory "
            f"for Human Rights said in its bulletin number {i}.\n",
            encoding="utf-8",
        )


def trucewatch(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "trucewatch", "--db", db, *args]


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def snapshot(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return sorted(connection.execute(
            "SELECT event_type, event_date, location_name, killed_best, wounded_best, verdict "
            "FROM incidents").fetchall())


def setup_store(db_path: Path) -> str:
    db = f"sqlite:///{db_path}"
    for args in (("init",), ("scenario", "load", "astana-2017")):
        subprocess.run(trucewatch(db, *args), check=True, capture_output=True)
    return db


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_during_ingest_then_resume(tmp_path: Path):
    reports = tmp_path / "reports"
    write_reports(reports, 150)

    clean_path = tmp_path / "clean.db"
    subprocess.run(trucewatch(setup_store(clean_path), "ingest", str(reports)), check=True,
                   capture_output=True)
    assert count(clean_path, "reports") == 150

    path = tmp_path / "killed.db"
    db = setup_store(path)
    process = subprocess.Popen(trucewatch(db, "ingest", str(reports)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill it once it has stored some, not all
        time.sleep(0.02)
        try:
            stored = count(path, "reports")
        except sqlite3.OperationalError:
            continue  # locked for a moment by the writer
        if stored >= 20:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored = count(path, "reports")
    assert 20 <= stored < 150, "the ingest should have been killed midway"

    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Whole reports only: every stored report has its claims, every claim its incident.
        orphans = connection.execute(
            "SELECT count(*) FROM reports r WHERE NOT EXISTS "
            "(SELECT 1 FROM claims c WHERE c.report_id = r.id)").fetchone()[0]
        assert orphans == 0
        assert connection.execute(
            "SELECT count(*) FROM claims WHERE incident_id IS NULL").fetchone()[0] == 0
        assert connection.execute(
            "SELECT count(*) FROM incidents i WHERE NOT EXISTS "
            "(SELECT 1 FROM claims c WHERE c.incident_id = i.id)").fetchone()[0] == 0

    resumed = subprocess.run(trucewatch(db, "ingest", str(reports)), capture_output=True,
                             text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{150 - stored} report(s) ingested, {stored} unchanged" in resumed.stdout
    assert count(path, "reports") == 150
    assert snapshot(path) == snapshot(clean_path)


def test_kill_9_during_an_acled_import_then_resume(tmp_path: Path):
    """Killed while storing or merging: batches already written stay whole, the store
    is consistent, and running the import again ends where an uninterrupted one ends."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from import_acled import write_acled

    export = tmp_path / "acled.csv"
    write_acled(export, 60_000)

    clean_path = tmp_path / "clean.db"
    subprocess.run(trucewatch(setup_store(clean_path), "import", "acled", str(export)),
                   check=True, capture_output=True)
    claims = count(clean_path, "claims")

    path = tmp_path / "killed.db"
    db = setup_store(path)
    process = subprocess.Popen(trucewatch(db, "import", "acled", str(export)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            if count(path, "claims") >= 10_000:  # the first batch is in
                break
        except sqlite3.OperationalError:
            continue
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert stored % 10_000 == 0 or stored == claims, "a batch was half written"

    resumed = subprocess.run(trucewatch(db, "import", "acled", str(export)),
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert count(path, "claims") == claims
    with sqlite3.connect(path) as connection:
        assert connection.execute(
            "SELECT count(*) FROM claims WHERE incident_id IS NULL").fetchone()[0] == 0
    assert snapshot(path) == snapshot(clean_path)


def test_kill_9_while_merging_an_import_in_bulk_then_resume(tmp_path: Path):
    """Killed once incidents are being written (ACLED rows alone in their blocks get
    theirs in bulk, as they are stored: service/linking.py): each batch's incidents and
    their claims land together or not at all, and the next run ends where an
    uninterrupted one ends."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from import_acled import write_acled

    export = tmp_path / "acled.csv"
    write_acled(export, 120_000)
    clean_path = tmp_path / "clean.db"
    subprocess.run(trucewatch(setup_store(clean_path), "import", "acled", str(export)),
                   check=True, capture_output=True)
    claims = count(clean_path, "claims")

    path = tmp_path / "killed.db"
    db = setup_store(path)
    process = subprocess.Popen(trucewatch(db, "import", "acled", str(export)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
        try:
            if count(path, "incidents") > 0:  # the first merge batch is in
                break
        except sqlite3.OperationalError:
            continue
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        incidents = connection.execute("SELECT count(*) FROM incidents").fetchone()[0]
        # No incident without its claim, no claim pointing at a missing incident.
        assert connection.execute(
            "SELECT count(*) FROM incidents i WHERE NOT EXISTS "
            "(SELECT 1 FROM claims c WHERE c.incident_id = i.id)").fetchone()[0] == 0
        assert connection.execute(
            "SELECT count(*) FROM claims c WHERE c.incident_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM incidents i WHERE i.id = c.incident_id)").fetchone()[0] == 0
    assert not killed or incidents < claims, "killed after the merge: nothing tested"
    resumed = subprocess.run(trucewatch(db, "import", "acled", str(export)),
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert count(path, "claims") == claims == count(path, "incidents")
    assert snapshot(path) == snapshot(clean_path)


def _query(url: str, sql: str) -> list[tuple[object, ...]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_kill_9_at_random_points_on_each_backend_loses_and_duplicates_nothing(
        store_url: str, tmp_path: Path):
    """Three ingests killed after a random number of stored reports (seeded), then one that
    finishes: the same ledger as an uninterrupted run, on SQLite and PostgreSQL alike."""
    import random

    reports = tmp_path / "reports"
    write_reports(reports, 90)
    clean = setup_store(tmp_path / "clean.db")
    subprocess.run(trucewatch(clean, "ingest", str(reports)), check=True, capture_output=True)
    for args in (("init",), ("scenario", "load", "astana-2017")):
        subprocess.run(trucewatch(store_url, *args), check=True, capture_output=True)

    incidents = ("SELECT event_type, event_date, location_name, killed_best, wounded_best, "
                 "verdict FROM incidents")
    chance = random.Random(1904)
    for _ in range(3):
        stop_at = _query(store_url, "SELECT count(*) FROM reports")[0][0] + chance.randint(3, 20)
        process = subprocess.Popen(trucewatch(store_url, "ingest", str(reports)),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
            try:
                if _query(store_url, "SELECT count(*) FROM reports")[0][0] >= stop_at:
                    break
            except Exception:
                continue
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        # Whole reports only, whatever the point of the kill.
        assert _query(store_url, "SELECT count(*) FROM reports r WHERE NOT EXISTS "
                      "(SELECT 1 FROM claims c WHERE c.report_id = r.id)")[0][0] == 0
        assert _query(store_url, "SELECT count(*) FROM incidents i WHERE NOT EXISTS "
                      "(SELECT 1 FROM claims c WHERE c.incident_id = i.id)")[0][0] == 0

    resumed = subprocess.run(trucewatch(store_url, "ingest", str(reports)),
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert _query(store_url, "SELECT count(*) FROM reports")[0][0] == 90
    assert sorted(map(repr, _query(store_url, incidents))) == sorted(
        map(repr, _query(clean, incidents)))
