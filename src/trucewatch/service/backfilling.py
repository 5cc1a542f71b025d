"""A backfill as the command line asks for it: an archive read on a Dask cluster into
Parquet, then loaded into the ledger report by report (``trucewatch.backfill`` does the
work; this says when the scale extra is missing and hands the ledger's ingest over).

Dask and PyArrow come with the scale extra only, so ``trucewatch.backfill`` is imported
by each call here, never when this module is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from trucewatch.errors import TrucewatchError
from trucewatch.model import Scenario
from trucewatch.service.standalone import scenario_folder

if TYPE_CHECKING:
    from trucewatch.backfill import BackfillSummary, LoadSummary
    from trucewatch.service.ledger import Ledger

SCALE_LIBRARIES = ("dask", "distributed", "pyarrow")


def require_scale_extra() -> None:
    """Fail, saying how to install it, when the scale extra is missing: before the ledger
    is opened or a file is read."""
    try:
        import trucewatch.backfill  # noqa: F401  (the import is the check)
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in SCALE_LIBRARIES:
            raise
        raise TrucewatchError(f"backfill needs Dask and PyArrow ({exc.name} is not "
                              "installed): pip install 'trucewatch[scale]'") from None


def extract_archive(
    files: list[Path], output: Path, *, scenario_name: str | None, scenario: Scenario,
    scheduler: str | None, partition_size: int, workers: int | None,
    published: date | None, max_bytes: int,
    on_partition: Callable[[BackfillSummary], None],
) -> BackfillSummary:
    """Read and extract every file on the cluster into Parquet files under ``output``;
    the workers load the scenario from its folder (the one named, else the builtin one in
    use)."""
    require_scale_extra()
    from trucewatch.backfill import backfill_articles

    return backfill_articles(
        files, output, scenario_folder=scenario_folder(scenario_name, scenario),
        scheduler=scheduler, partition_size=partition_size, workers=workers,
        published=published, max_bytes=max_bytes, on_partition=on_partition)


def load_archive(ledger: Ledger, output: Path, scenario: Scenario,
                 on_report: Callable[[LoadSummary], None]) -> LoadSummary:
    """Store, merge and assess what a backfill wrote under ``output``, in order; reports
    stored before are skipped."""
    require_scale_extra()
    from trucewatch.backfill import load_backfill

    return load_backfill(lambda report, claims: ledger.ingest_claims(report, claims, scenario),
                         output, on_report=on_report)
