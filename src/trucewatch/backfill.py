"""Backfills: a large archive of articles read on a Dask cluster, the result kept as
Parquet, then loaded into the store.

The two stages are the single-machine path's own functions, split where the work
parallelises: reading and extracting (``read_document``, ``Pipeline.claims``) runs
on the workers, one partition of files per task; merging, assessing and writing
(the service's ingest, passed in as ``ingest``) run once, in order, on the machine that holds the
store, because merging needs every earlier incident. The Parquet folder between them
is a checkpoint: a load can be rerun (stored reports are skipped by their hash) and
the files can be read by any tool.

Without ``--scheduler`` a LocalCluster of worker processes on this machine is used;
``tcp://HOST:PORT`` sends the work to a running cluster whose workers have trucewatch
installed and can read the archive's paths.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from trucewatch.errors import InputError
from trucewatch.ingest.documents import read_document
from trucewatch.model import Claim, Report
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.store import repository
from trucewatch.store.repository import IngestResult
from trucewatch.store.tables import ClaimRow

# One Parquet row per article: the report, its claims as JSON, or why it was refused.
SCHEMA = pa.schema([
    ("source", pa.string()),
    ("content_hash", pa.string()),
    ("kind", pa.string()),
    ("title", pa.string()),
    ("url", pa.string()),
    ("outlet", pa.string()),
    ("published", pa.date32()),
    ("text", pa.large_string()),
    ("claims", pa.large_string()),  # a JSON list of claims-table rows
    ("error", pa.string()),
])
_CLAIM_FIELDS = [c.key for c in ClaimRow.__table__.columns
                 if c.key not in ("id", "report_id", "incident_id", "previous_incident_id")]
_DATE_FIELDS = {"event_date", "event_date_end"}


@dataclass
class BackfillSummary:
    articles: int = 0
    refused: int = 0
    claims: int = 0
    partitions: int = 0


@dataclass
class LoadSummary:
    new: int = 0
    known: int = 0
    incidents: int = 0


# --- stage 1, on the workers --------------------------------------------------------------


def extract_partition(paths: list[str], scenario_folder: str | None, published: date | None,
                      max_bytes: int) -> pa.Table:
    """Read and extract one partition of files; a bad file is a row with its error."""
    pipeline = _pipeline(scenario_folder)
    rows: list[dict[str, Any]] = []
    for path in paths:
        try:
            report = read_document(Path(path), published=published, max_bytes=max_bytes)
        except InputError as exc:
            rows.append({"source": path, "error": str(exc)})
            continue
        claims = [_claim_record(claim) for claim in pipeline.claims(report)]
        rows.append({
            "source": path, "content_hash": report.content_hash, "kind": report.kind,
            "title": report.title, "url": report.url, "outlet": report.outlet,
            "published": report.published, "text": report.text,
            "claims": json.dumps(claims, default=str), "error": None,
        })
    return pa.Table.from_pylist(rows, schema=SCHEMA)


@lru_cache(maxsize=4)
def _pipeline(scenario_folder: str | None) -> Pipeline:
    """One pipeline per worker process and scenario: the gazetteer loads once. The
    workers inherit the environment, so the gazetteer is the one its settings name."""
    from trucewatch.scenario import load_scenario

    return Pipeline.for_scenario(load_scenario(scenario_folder) if scenario_folder else None,
                                 default_gazetteer())


def _claim_record(claim: Any) -> dict[str, Any]:
    row = repository.claim_to_row(claim)
    return {name: getattr(row, name) for name in _CLAIM_FIELDS}


# --- driving stage 1 ----------------------------------------------------------------------


def backfill_articles(
    paths: list[Path], output: Path, *, scenario_folder: Path | None,
    scheduler: str | None = None, partition_size: int = 200, workers: int | None = None,
    published: date | None = None, max_bytes: int = 50_000_000,
    on_partition: Callable[[BackfillSummary], None] = lambda _: None,
    connect_timeout: float = 30.0,
) -> BackfillSummary:
    """Extract every file on a Dask cluster; write one Parquet file per partition into
    ``output`` (as partitions finish, so a crash keeps what was done)."""
    from dask.distributed import Client, LocalCluster, as_completed

    if scheduler is not None and "://" not in scheduler:
        raise InputError(scheduler, "not a Dask scheduler address; write tcp://HOST:PORT "
                         "(dask scheduler prints it when it starts; the port is 8786 unless "
                         "told otherwise)")
    output.mkdir(parents=True, exist_ok=True)
    names = [str(p) for p in paths]
    chunks = [names[i:i + partition_size] for i in range(0, len(names), partition_size)]
    summary = BackfillSummary()
    cluster = None if scheduler else LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        client = Client(scheduler or cluster, timeout=connect_timeout)
    except OSError as exc:  # distributed raises OSError when nothing answers in time
        if cluster is not None:
            cluster.close()
        raise InputError(str(scheduler), f"no Dask scheduler answered in {connect_timeout:g} s "
                         f"({exc.__class__.__name__}); is `dask scheduler` running there and "
                         "its port open?") from None
    try:
        futures = {
            client.submit(extract_partition, chunk, str(scenario_folder)
                          if scenario_folder else None, published, max_bytes,
                          pure=False): number
            for number, chunk in enumerate(chunks)
        }
        for future in as_completed(futures):
            table: pa.Table = future.result()
            pq.write_table(table, output / f"part-{futures[future]:05d}.parquet")
            errors = table.column("error").to_pylist()
            summary.partitions += 1
            summary.articles += sum(e is None for e in errors)
            summary.refused += sum(e is not None for e in errors)
            summary.claims += sum(len(json.loads(c)) for c in table.column("claims").to_pylist()
                                  if c)
            on_partition(summary)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return summary


# --- stage 2, on the machine with the store -----------------------------------------------


def read_parquet(folder: Path) -> Iterator[dict[str, Any]]:
    """The rows of a backfill's Parquet files, in the order of the partitions."""
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise InputError(str(folder), "no backfill output here (part-*.parquet)")
    for part in parts:
        for batch in pq.ParquetFile(part).iter_batches(batch_size=500):
            yield from batch.to_pylist()


def load_backfill(ingest: Callable[[Report, list[Claim]], IngestResult], folder: Path,
                  on_report: Callable[[LoadSummary], None] = lambda _: None) -> LoadSummary:
    """Merge, assess and store what a backfill extracted, through ``ingest`` (the
    service's: Ledger.ingest_claims); reports already stored are skipped, so a load can
    be run again after a crash."""
    summary = LoadSummary()
    for row in read_parquet(folder):
        if row["error"] is not None:
            continue
        report = Report(text=row["text"], title=row["title"], url=row["url"],
                        outlet=row["outlet"], published=row["published"],
                        source=row["source"], kind=row["kind"])
        if report.content_hash != row["content_hash"]:
            raise InputError(str(folder), f"the text of {row['source']} does not match its "
                             "hash; the Parquet files were altered")
        claims = [_claim_from_record(record) for record in json.loads(row["claims"])]
        result = ingest(report, claims)
        if result.created:
            summary.new += 1
            summary.incidents += len(result.incidents)
        else:
            summary.known += 1
        on_report(summary)
    return summary


def _claim_from_record(record: dict[str, Any]) -> Any:
    values = {k: date.fromisoformat(v) if k in _DATE_FIELDS and v else v
              for k, v in record.items()}
    return repository.claim_from_row(ClaimRow(**values))


__all__ = ["BackfillSummary", "LoadSummary", "backfill_articles", "extract_partition",
           "load_backfill", "read_parquet"]
