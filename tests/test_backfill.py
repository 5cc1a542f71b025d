"""`trucewatch backfill`: an archive read on a Dask LocalCluster, kept as Parquet, loaded
into the store, ending where the single-machine ingest ends."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

# Backfills need the scale extra (make test installs it); without it these tests skip.
pq = pytest.importorskip("pyarrow.parquet", reason="the scale extra (Dask, PyArrow) is not "
                         "installed: pip install -e '.[scale]'")
pytest.importorskip("dask.distributed", reason="the scale extra (Dask, PyArrow) is not "
                    "installed: pip install -e '.[scale]'")

pytestmark = pytest.mark.slow  # a Dask LocalCluster of worker processes

from test_cli import run  # noqa: E402
from test_crash import snapshot, write_reports  # noqa: E402
from trucewatch.backfill import backfill_articles, load_backfill  # noqa: E402
from trucewatch.errors import InputError  # noqa: E402
from trucewatch.ingest import read_document  # noqa: E402
from trucewatch.ledger import Ledger  # noqa: E402
from trucewatch.scenario import resolve_scenario_path  # noqa: E402


def test_backfill_on_a_local_cluster_matches_the_plain_ingest(tmp_path: Path):
    archive = tmp_path / "archive"
    write_reports(archive, 40)
    (archive / "junk.txt").write_bytes(b"\x00\x01" * 50)

    plain = Ledger(f"sqlite:///{tmp_path / 'plain.db'}")
    plain.init()
    plain.load_scenario("astana-2017")
    for path in sorted(archive.glob("0*.txt")):
        plain.ingest(read_document(path))

    parquet = tmp_path / "parquet"
    summary = backfill_articles(sorted(archive.iterdir()), parquet,
                                scenario_folder=resolve_scenario_path("astana-2017"),
                                partition_size=9, workers=2)
    assert (summary.articles, summary.refused, summary.partitions) == (40, 1, 5)
    assert summary.claims == 40
    table = pq.read_table(parquet)
    assert table.num_rows == 41
    [error] = [e for e in table.column("error").to_pylist() if e]
    assert "junk.txt" in error and "binary" in error

    ledger = Ledger(f"sqlite:///{tmp_path / 'backfill.db'}")
    ledger.init()
    scenario = ledger.load_scenario("astana-2017")
    loaded = load_backfill(ledger.db, parquet, scenario)
    assert (loaded.new, loaded.known) == (40, 0)
    assert snapshot(tmp_path / "backfill.db") == snapshot(tmp_path / "plain.db")
    # Loading again (after a crash, say) changes nothing.
    again = load_backfill(ledger.db, parquet, scenario)
    assert (again.new, again.known) == (0, 40)
    with sqlite3.connect(tmp_path / "backfill.db") as connection:
        assert connection.execute("SELECT count(*) FROM reports").fetchone()[0] == 40


def test_altered_or_missing_parquet_is_refused(tmp_path: Path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'x.db'}")
    ledger.init()
    with pytest.raises(InputError, match="no backfill output"):
        load_backfill(ledger.db, tmp_path, None)


def test_backfill_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    archive = tmp_path / "archive"
    write_reports(archive, 6)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "scenario", "load", "astana-2017")[0] == 0
    code, out, err = run(capsys, "--db", db, "backfill", str(archive),
                         "--output", str(tmp_path / "out"), "--workers", "1")
    assert code == 0, err
    assert "6 article(s) read" in out and "6 report(s) stored" in out
