"""Faults (issue 19, item 3): one line, exit 2, and the ledger whole.

Two writers on one SQLite file, two processes storing the same report, a full disk,
a read-only ledger, a file that is not a database, a damaged header or page, and
special files given to ingest. `trucewatch doctor` names what is wrong."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from test_cli import SEED, run
from trucewatch.ledger import Ledger
from trucewatch.model import Report
from trucewatch.store import database, repository
from trucewatch.store.doctor import check_ledger, healthy

SAQBA = ("Air strikes hit the town of Saqba in Eastern Ghouta on Tuesday, killing four "
         "civilians and wounding at least 15 others, the Syrian Observatory for Human Rights "
         "said.")

# Holds the write lock of a SQLite file for a while, as a long import would.
HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


@pytest.fixture
def ledger_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "ledger.db"
    url = f"sqlite:///{path}"
    assert run(capsys, "--db", url, "init")[0] == 0
    assert run(capsys, "--db", url, "scenario", "load", "astana-2017")[0] == 0
    assert run(capsys, "--db", url, "ingest", "--published", "2017-07-04", str(SEED))[0] == 0
    return path


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "saqba.txt"
    path.write_text(SAQBA, encoding="utf-8")
    return path


def count_reports(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM reports").fetchone()[0])


@pytest.fixture
def lock_holder() -> Iterator[object]:
    started: list[subprocess.Popen[str]] = []

    def hold(path: Path, seconds: float) -> subprocess.Popen[str]:
        holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)],
                                  stdout=subprocess.PIPE, text=True)
        started.append(holder)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        return holder

    yield hold
    for holder in started:
        holder.wait(timeout=60)


# --- two writers -----------------------------------------------------------------------------


@pytest.mark.slow  # waits out a lock
def test_a_second_writer_waits_and_goes_on(ledger_file: Path, article: Path, lock_holder,
                                           capsys: pytest.CaptureFixture[str]):
    lock_holder(ledger_file, 3)
    started = time.monotonic()
    code, out, err = run(capsys, "--db", f"sqlite:///{ledger_file}", "ingest", "--published",
                         "2017-07-18", str(article))
    waited = time.monotonic() - started
    assert code == 0, err
    assert "1 report(s) ingested" in out
    assert waited >= 2
    assert count_reports(ledger_file) == 2


@pytest.mark.slow  # waits out a lock
def test_a_writer_that_cannot_wait_longer_says_who_holds_the_ledger(
        ledger_file: Path, article: Path, lock_holder, capsys: pytest.CaptureFixture[str]):
    lock_holder(ledger_file, 6)
    code, _, err = run(capsys, "--db", f"sqlite:///{ledger_file}?timeout=1", "ingest",
                         "--published", "2017-07-18", str(article))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "another process holds the ledger" in err and "1 s" in err
    assert str(ledger_file) in err
    time.sleep(5.5)
    assert count_reports(ledger_file) == 1 and healthy(check_ledger(
        f"sqlite:///{ledger_file}"))


@pytest.mark.slow  # two processes
def test_two_processes_ingesting_one_article_store_it_once(ledger_file: Path, article: Path):
    command = [sys.executable, "-m", "trucewatch", "--db", f"sqlite:///{ledger_file}",
               "ingest", "--published", "2017-07-18", str(article)]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    results = [process.communicate(timeout=120) for process in both]
    assert [process.returncode for process in both] == [0, 0], results
    outputs = " ".join(out for out, _ in results)
    assert outputs.count("1 report(s) ingested") == 1 and outputs.count("1 unchanged") == 1
    assert count_reports(ledger_file) == 2


def test_a_unique_race_at_ingest_counts_as_already_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    ledger = Ledger(f"sqlite:///{tmp_path / 'race.db'}")
    ledger.init()
    ledger.load_scenario("astana-2017")
    report = Report(text=SAQBA, title="Saqba", published=None, source="saqba.txt",
                    kind="article")
    real = repository.ingest_report

    def another_process_came_first(db, report, claims, scenario):
        real(db, report, claims, scenario)  # the other process commits the same text...
        raise IntegrityError("INSERT INTO reports", {}, sqlite3.IntegrityError(
            "UNIQUE constraint failed: reports.content_hash"))  # ...and ours collides

    monkeypatch.setattr(repository, "ingest_report", another_process_came_first)
    result = ledger.ingest(report)
    assert not result.created
    assert result.report_id == repository.find_report(ledger.db, report.content_hash)
    assert repository.count_reports(ledger.db) == 1


# --- full disk, read-only, not a database -------------------------------------------------------


@pytest.mark.slow  # a long text into a ledger that cannot grow
def test_a_full_disk_is_one_line_and_nothing_half_stored(
        ledger_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch):
    # SQLite's own limit on the file's pages gives the very error a full disk gives.
    original = database._sqlite_pragmas

    def no_room_to_grow(connection: sqlite3.Connection, record: object) -> None:
        original(connection, record)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(database, "_sqlite_pragmas", no_room_to_grow)
    big = tmp_path / "long.txt"
    big.write_text(SAQBA + " " + "Residents described the night of the raids. " * 20_000,
                   encoding="utf-8")
    code, _, err = run(capsys, "--db", f"sqlite:///{ledger_file}", "ingest",
                         "--published", "2017-07-18", str(big))
    assert code == 2 and "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("error")]
    assert "the disk is full" in line and "Free some space" in line
    monkeypatch.setattr(database, "_sqlite_pragmas", original)
    assert count_reports(ledger_file) == 1
    assert healthy(check_ledger(f"sqlite:///{ledger_file}"))


def test_a_read_only_ledger_is_named(ledger_file: Path, article: Path,
                                     capsys: pytest.CaptureFixture[str]):
    read_only = f"sqlite:///file:{ledger_file}?mode=ro&uri=true"
    code, out, _ = run(capsys, "--db", read_only, "incidents", "-f", "json")
    assert code == 0 and out.count('"id"') >= 2  # reading still works
    code, _, err = run(capsys, "--db", read_only, "ingest", "--published", "2017-07-18",
                       str(article))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "read-only" in err and "write access" in err
    assert count_reports(ledger_file) == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes to read-only files; the URI test covers the message")
def test_a_read_only_file_is_named(ledger_file: Path, article: Path,
                                   capsys: pytest.CaptureFixture[str]):
    for path in ledger_file.parent.glob("ledger.db*"):
        path.chmod(0o444)
    try:
        code, _, err = run(capsys, "--db", f"sqlite:///{ledger_file}", "ingest",
                           "--published", "2017-07-18", str(article))
    finally:
        for path in ledger_file.parent.glob("ledger.db*"):
            path.chmod(0o644)
    assert code == 2 and "read-only" in err and err.count("\n") == 1


@pytest.mark.parametrize("command", [["incidents"], ["ingest", str(SEED)], ["init"]])
def test_a_file_that_is_not_a_database(command: list[str], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]):
    notes = tmp_path / "notes.db"
    notes.write_text("meeting notes, not a ledger\n" * 100, encoding="utf-8")
    code, _, err = run(capsys, "--db", f"sqlite:///{notes}", *command)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert f"{notes}: not a trucewatch ledger" in err and "backup" in err
    assert notes.read_text(encoding="utf-8").startswith("meeting notes")


def test_a_damaged_header_is_named_and_doctor_says_so(ledger_file: Path,
                                                      capsys: pytest.CaptureFixture[str]):
    checkpoint(ledger_file)
    with ledger_file.open("r+b") as handle:
        handle.write(b"not SQLite at all")  # over "SQLite format 3\0"
    url = f"sqlite:///{ledger_file}"
    code, _, err = run(capsys, "--db", url, "violations")
    assert code == 2 and "not a trucewatch ledger" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "--db", url, "doctor")
    assert code == 1 and "PROBLEM" in out and "not a trucewatch ledger" in out


def checkpoint(path: Path) -> None:
    """Move what the write-ahead log holds into the file itself, as SQLite does when the
    last connection closes, so that damage to the file is what a reader sees."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def damage_page_of(path: Path, table: str) -> int:
    """Scribble over the first page of a table's B-tree; its page number."""
    checkpoint(path)
    with sqlite3.connect(path) as connection:
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                  (table,)).fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\x0d\x00\x07\xff\xff\xff" + b"\xab" * 300)
    return int(root)


def test_a_damaged_page_is_reported(ledger_file: Path, capsys: pytest.CaptureFixture[str]):
    page = damage_page_of(ledger_file, "claims")
    url = f"sqlite:///{ledger_file}"
    code, out, _ = run(capsys, "--db", url, "doctor")
    flat = " ".join(out.split())
    assert code == 1 and "integrity_check found damage" in flat
    assert f"Page {page}:" in flat or f"claims (B-tree from page {page})" in flat
    code, _, err = run(capsys, "--db", url, "incidents", "claims", "1")
    assert code == 2 and err.count("\n") == 1 and "the ledger is damaged" in err
    assert "trucewatch doctor" in err


def test_debug_shows_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch):
    from trucewatch.cli import main

    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n" * 100, encoding="utf-8")
    with pytest.raises(DatabaseError):
        main(["--debug", "--db", f"sqlite:///{notes}", "incidents"])
    monkeypatch.setenv("TRUCEWATCH_DEBUG", "1")
    with pytest.raises(DatabaseError):
        main(["--db", f"sqlite:///{notes}", "incidents"])


def test_fault_messages_say_what_to_do():
    def fault(message: str) -> OperationalError:
        return OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))

    url = "sqlite:////srv/ledger.db"
    assert "another process holds" in database.describe_error(fault("database is locked"),
                                                               url)
    assert "30 s" in database.describe_error(fault("database is locked"), url)
    assert "disk is full" in database.describe_error(fault("database or disk is full"), url)
    assert "read-only" in database.describe_error(
        fault("attempt to write a readonly database"), url)
    assert "cannot open the ledger" in database.describe_error(
        fault("unable to open database file"), url)
    assert database.describe_error(fault("database is locked"), url).startswith(
        "/srv/ledger.db: ")
    hidden = database.describe_error(fault("connection refused"),
                                     "postgresql+psycopg://ana:secret@db/ledger")
    assert "secret" not in hidden and "cannot reach the database server" in hidden


# --- doctor ---------------------------------------------------------------------------------


def test_doctor_on_a_healthy_ledger(ledger_file: Path, capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "--db", f"sqlite:///{ledger_file}", "doctor")
    assert code == 0 and out.strip().endswith("healthy")
    for check in ("integrity_check: ok", "foreign_key_check: ok", "newest migration",
                  "no orphan rows"):
        assert check in out


def test_doctor_finds_orphans_and_an_old_schema(ledger_file: Path,
                                                capsys: pytest.CaptureFixture[str]):
    with sqlite3.connect(ledger_file) as connection:  # foreign keys off, as an old tool
        report = connection.execute("SELECT MIN(id) FROM reports").fetchone()[0]
        connection.execute("DELETE FROM reports WHERE id = ?", (report,))
        connection.execute("INSERT INTO incidents (confidence, event_type, date_precision, "
                           "event_date, geo_precision, sources, verdict_zones, "
                           "verdict_agreements, verdict_reasons) VALUES ('weak', 'Attack', "
                           "'day', '2017-07-01', 1, '[]', '[]', '[]', '[]')")
        connection.execute("INSERT INTO votes (incident_id, user_id, value, updated_at) "
                           "VALUES (99999, 1, 1, '2017-07-01')")
    connection.close()
    code, out, _ = run(capsys, "--db", f"sqlite:///{ledger_file}", "doctor", "-f", "json")
    import json

    result = json.loads(out)
    problems = " ".join(f["message"] for f in result["findings"] if f["level"] == "problem")
    assert code == 1 and result["healthy"] is False
    assert "2 claim(s) of a report that is not in the ledger" in problems
    assert "1 incident(s) with no claim" in problems
    assert "vote(s) on an incident that is not in the ledger" in problems
    assert "row(s) point at rows that are gone" in problems  # PRAGMA foreign_key_check

    with sqlite3.connect(ledger_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0005_postgis'")
    connection.close()
    code, out, _ = run(capsys, "--db", f"sqlite:///{ledger_file}", "doctor")
    assert code == 1 and "schema behind" in out and "trucewatch init" in out


def test_doctor_creates_no_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = tmp_path / "none.db"
    code, out, _ = run(capsys, "--db", f"sqlite:///{missing}", "doctor")
    assert code == 1 and "no ledger at" in out and not missing.exists()


# --- special files at ingest -------------------------------------------------------------------


def ingest_in_a_process(ledger: Path, *paths: str,
                        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trucewatch", "--db", f"sqlite:///{ledger}",
                           "ingest", "--published", "2017-07-18", *paths],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.slow  # subprocesses
def test_fifos_devices_and_links_to_them_are_refused_without_blocking(
        ledger_file: Path, tmp_path: Path, article: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    to_fifo, to_zero = tmp_path / "link-to-pipe.txt", tmp_path / "zero.txt"
    to_fifo.symlink_to(fifo)
    to_zero.symlink_to("/dev/zero")
    started = time.monotonic()
    done = ingest_in_a_process(ledger_file, str(fifo), "/dev/zero", str(to_fifo),
                               str(to_zero), str(article))
    assert time.monotonic() - started < 50  # nothing waited on a pipe or read a device
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert f"error: {fifo}: is a named pipe (FIFO)" in lines[0]
    assert "error: /dev/zero: is a device" in lines[1]
    assert f"error: {to_fifo}: is a named pipe (FIFO)" in lines[2]
    assert f"error: {to_zero}: is a device" in lines[3]
    assert "1 report(s) ingested" in done.stdout and "4 failed" in done.stdout
    # In a folder a FIFO is not an article file and is passed over.
    (tmp_path / "inbox").mkdir()
    os.mkfifo(tmp_path / "inbox" / "feed.txt")
    done = ingest_in_a_process(ledger_file, str(tmp_path / "inbox"))
    assert done.returncode == 0 and "0 report(s) ingested" in done.stdout


@pytest.mark.slow  # subprocesses
def test_nul_bytes_empty_text_and_oversized_files(ledger_file: Path, tmp_path: Path):
    late_nul = tmp_path / "late-nul.txt"
    late_nul.write_bytes(SAQBA.encode() * 100 + b"\x00tail")
    bom_only = tmp_path / "bom.txt"
    bom_only.write_bytes(b"\xef\xbb\xbf\r\n \t")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: 8 GB that reading whole would take minutes
        handle.truncate(8 * 1024**3)
    started = time.monotonic()
    done = ingest_in_a_process(ledger_file, str(late_nul), str(bom_only), str(huge))
    assert time.monotonic() - started < 50
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert f"{late_nul}: NUL byte at character {len(SAQBA) * 100:,}" in lines[0]
    assert f"{bom_only}: no text" in lines[1]
    assert f"{huge}: file is 8,589,934,592 bytes, over the limit" in lines[2]
    assert count_reports(ledger_file) == 1
