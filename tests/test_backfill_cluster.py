"""`backfill` on a real Dask cluster: a distributed.LocalCluster of two worker processes
with a small memory limit, reached by its scheduler's tcp:// address as a cluster on
other machines would be (``--scheduler``). The ledger it fills must hold exactly what a
single-process ingest of the same articles gives, on SQLite and PostgreSQL, and running
the backfill again must add nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow.parquet", reason="the scale extra (Dask, PyArrow) is not "
                    "installed: pip install -e '.[scale]'")
distributed = pytest.importorskip("distributed", reason="the scale extra (Dask, PyArrow) is "
                                  "not installed: pip install -e '.[scale]'")

pytestmark = pytest.mark.slow  # worker processes start and each loads the gazetteer

from sqlalchemy import text  # noqa: E402

from test_cli import run  # noqa: E402
from test_crash import write_reports  # noqa: E402
from trucewatch.backfill import backfill_articles, load_backfill  # noqa: E402
from trucewatch.errors import InputError  # noqa: E402
from trucewatch.ingest import read_document  # noqa: E402
from trucewatch.ledger import Ledger  # noqa: E402
from trucewatch.scenario import resolve_scenario_path  # noqa: E402

# Each worker holds the gazetteer and spaCy's small model: about 300 MB. Dask restarts a
# worker that passes 95% of its limit, so the test also shows a backfill fits in this.
MEMORY_LIMIT = "700MiB"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The tcp:// address of a two-process LocalCluster, one thread per worker."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       memory_limit=MEMORY_LIMIT, dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def contents(ledger: Ledger) -> dict[str, Any]:
    """What the ledger holds, the same way on either backend (ids and times left out)."""
    with ledger.db.engine.connect() as connection:
        def rows(sql: str) -> list[tuple[str, ...]]:
            return sorted(tuple(str(v) for v in row) for row in connection.execute(text(sql)))
        return {
            "incidents": rows("SELECT event_type, event_date, location_name, killed_best, "
                              "wounded_best, verdict FROM incidents"),
            "reports": rows("SELECT content_hash, source FROM reports"),
            "claims": rows("SELECT c.event_type, c.event_date, c.location_name, c.killed_best, "
                           "r.content_hash FROM claims c JOIN reports r ON r.id = c.report_id"),
        }


def test_two_workers_fill_the_ledger_a_single_process_would(tmp_path: Path, scheduler: str,
                                                             store_url: str):
    archive = tmp_path / "archive"
    write_reports(archive, 60)
    (archive / "junk.txt").write_bytes(b"\x00\x01" * 50)

    plain = Ledger(f"sqlite:///{tmp_path / 'plain.db'}")
    plain.init()
    plain.load_scenario("astana-2017")
    for path in sorted(archive.glob("0*.txt")):
        plain.ingest(read_document(path))
    expected = contents(plain)
    assert len(expected["reports"]) == 60 and expected["incidents"]

    ledger = Ledger(store_url)
    ledger.init()
    scenario = ledger.load_scenario("astana-2017")
    folder = resolve_scenario_path("astana-2017")
    seen: list[int] = []
    summary = backfill_articles(sorted(archive.iterdir()), tmp_path / "parquet",
                                scenario_folder=folder, scheduler=scheduler, partition_size=8,
                                on_partition=lambda s: seen.append(s.partitions))
    assert (summary.articles, summary.refused, summary.partitions) == (60, 1, 8)
    assert seen == list(range(1, 9))
    loaded = load_backfill(lambda r, c: ledger.ingest_claims(r, c, scenario), tmp_path / "parquet")
    assert (loaded.new, loaded.known) == (60, 0)
    assert contents(ledger) == expected

    # The whole backfill again, extraction included, into a fresh folder: nothing new.
    backfill_articles(sorted(archive.iterdir()), tmp_path / "again", scenario_folder=folder,
                      scheduler=scheduler, partition_size=25)
    again = load_backfill(lambda r, c: ledger.ingest_claims(r, c, scenario), tmp_path / "again")
    assert (again.new, again.known, again.incidents) == (0, 60, 0)
    assert contents(ledger) == expected


def test_the_command_sends_its_work_to_a_scheduler(tmp_path: Path, scheduler: str,
                                                   capsys: pytest.CaptureFixture[str]):
    archive = tmp_path / "archive"
    write_reports(archive, 12)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "scenario", "load", "astana-2017")[0] == 0
    args = ("--db", db, "backfill", str(archive), "--scheduler", scheduler, "--partition", "5")
    code, out, err = run(capsys, *args, "--output", str(tmp_path / "out"))
    assert code == 0, err
    assert "12 article(s) read" in out and "3 partition(s)" in out
    assert "12 report(s) stored" in out
    code, out, err = run(capsys, *args, "--output", str(tmp_path / "out2"))
    assert code == 0, err
    assert "0 report(s) stored, 12 already in the ledger" in out


def test_an_unreachable_or_malformed_scheduler_is_named(tmp_path: Path):
    archive = tmp_path / "archive"
    write_reports(archive, 2)
    files = sorted(archive.iterdir())
    with pytest.raises(InputError, match=r"^tcp://127\.0\.0\.1:9: no Dask scheduler answered"):
        backfill_articles(files, tmp_path / "out", scenario_folder=None,
                          scheduler="tcp://127.0.0.1:9", connect_timeout=2)
    with pytest.raises(InputError, match=r"^localhost8786: not a Dask scheduler address"):
        backfill_articles(files, tmp_path / "out", scenario_folder=None,
                          scheduler="localhost8786")
    assert not list((tmp_path / "out").glob("*.parquet"))
