"""Backfill on a Dask LocalCluster: articles per second and memory per worker.

    .venv/bin/python bench/backfill.py [--articles 2000] [--workers 2] [--memory 1GiB]

The input is the project's annotated news corpus (160 real-world reports from 26
conflicts, tests/fixtures/news_corpus), copied until there are ``--articles`` files,
each copy with its own last line so that each is a new report. The cluster is a
``distributed.LocalCluster`` of ``--workers`` processes, one thread each, reached by its
tcp:// address as a cluster on other machines would be. Printed: the extraction stage
(wall time, the CPU seconds and peak resident memory of each worker, read in the worker
itself), then the load into a fresh SQLite ledger (merging, assessing, storing: one
process, CPU time).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from trucewatch.backfill import backfill_articles, load_backfill
from trucewatch.ledger import Ledger
from trucewatch.scenario import resolve_scenario_path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "news_corpus"


def write_archive(folder: Path, n: int) -> list[Path]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "articles").glob("*.txt"))]
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"{i:06d}.txt"
        path.write_text(f"{texts[i % len(texts)]}\n(archive copy {i})\n", encoding="utf-8")
        paths.append(path)
    return paths


def worker_usage() -> tuple[float, float]:
    """This worker's CPU seconds and peak resident MB."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory", default="1GiB", help="memory limit per worker")
    parser.add_argument("--partition", type=int, default=100)
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_archive(folder / "archive", args.articles)
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               memory_limit=args.memory, dashboard_address=None)
        client = Client(cluster.scheduler_address)
        try:
            before = client.run(worker_usage)
            start = time.perf_counter()
            summary = backfill_articles(paths, folder / "parquet",
                                        scenario_folder=resolve_scenario_path("astana-2017"),
                                        scheduler=cluster.scheduler_address,
                                        partition_size=args.partition)
            wall = time.perf_counter() - start
            after = client.run(worker_usage)
        finally:
            client.close()
            cluster.close()
        cpu = {w: after[w][0] - before[w][0] for w in after}
        total = sum(cpu.values())
        print(f"extract: {summary.articles:,} articles, {summary.claims:,} claims, "
              f"{summary.partitions} partitions on {args.workers} workers "
              f"(memory limit {args.memory})")
        print(f"  wall {wall:.1f} s -> {summary.articles / wall:.1f} articles/s; worker CPU "
              f"{total:.1f} s in all -> {summary.articles / total:.1f} articles per worker "
              "CPU-second")
        for w in sorted(after):
            print(f"  worker {w}: {cpu[w]:.1f} CPU-s, peak {after[w][1]:,.0f} MB resident")

        ledger = Ledger(f"sqlite:///{folder / 'ledger.db'}")
        ledger.init()
        scenario = ledger.load_scenario("astana-2017")
        cpu0, wall0 = time.process_time(), time.perf_counter()
        loaded = load_backfill(lambda r, c: ledger.ingest_claims(r, c, scenario),
                               folder / "parquet")
        cpu_load, wall_load = time.process_time() - cpu0, time.perf_counter() - wall0
        print(f"load: {loaded.new:,} reports, {loaded.incidents:,} incidents added or updated; "
              f"{cpu_load:.1f} CPU-s -> {loaded.new / cpu_load:.0f} reports per CPU-second "
              f"(wall {wall_load:.1f} s); this process peak "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
