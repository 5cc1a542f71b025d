"""Benchmarks: how fast trucewatch reads articles, assesses incidents and fills the store.

    make bench            # or: .venv/bin/python bench/run.py [--articles N] [--incidents N]

Prints one row per measure with the machine it ran on. Inputs are the project's
own demo reports and test fixtures, repeated; nothing is fetched.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from trucewatch.assess import assess_many, covering_versions
from trucewatch.ingest import read_document
from trucewatch.ledger import Ledger
from trucewatch.model import EventType, Incident, Place, Report
from trucewatch.pipeline import Pipeline
from trucewatch.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def articles() -> list[Report]:
    demo = resources.files("trucewatch") / "demo"
    paths = [*sorted(Path(str(demo)).glob("*.txt")), ROOT / "tests/fixtures/seed_article.txt"]
    return [read_document(p, published=date(2017, 7, 4)) for p in paths]


def bench_extract(pipeline: Pipeline, reports: list[Report], n: int) -> tuple[float, int]:
    pipeline.claims(reports[0])  # warm caches: vocabulary, gazetteer
    start = time.perf_counter()
    found = 0
    for i in range(n):
        report = reports[i % len(reports)]
        found += len(pipeline.claims(replace(report)))
    return n / (time.perf_counter() - start), found


def bench_assess(pipeline: Pipeline, n: int) -> float:
    assert pipeline.scenario is not None
    rng = random.Random(7)
    incidents = [
        Incident(
            event_type=rng.choice([EventType.AIR_STRIKE, EventType.SHELLING]),
            event_date=date(2017, 5, 1) + timedelta(days=rng.randrange(120)),
            location=Place("p", lat=rng.uniform(32.3, 36.7), lon=rng.uniform(35.7, 38.5)),
            perpetrator_actor=rng.choice(["syrian-government", "russia", None]),
        )
        for _ in range(n)
    ]
    start = time.perf_counter()
    assess_many(incidents, pipeline.scenario)
    return n / (time.perf_counter() - start)


def bench_point_in_zone(pipeline: Pipeline, n: int) -> tuple[float, float | None]:
    """The geometry alone: which boundary versions cover each of n points, by trucewatch
    (one STRtree query) and, when geopandas is installed, by a geopandas sjoin."""
    assert pipeline.scenario is not None
    rng = random.Random(11)
    coordinates = [(rng.uniform(35.7, 38.5), rng.uniform(32.3, 36.7)) for _ in range(n)]
    incidents = [
        Incident(event_type=EventType.AIR_STRIKE, event_date=date(2017, 7, 4),
                 location=Place("p", lat=lat, lon=lon))
        for lon, lat in coordinates
    ]
    start = time.perf_counter()
    _, ours = covering_versions(incidents, pipeline.scenario)
    rate = n / (time.perf_counter() - start)
    try:
        import geopandas
        import shapely
    except ImportError:
        return rate, None
    versions = [v for zone in pipeline.scenario.zones.values() for v in zone.versions]
    zones = geopandas.GeoDataFrame({"zone": [v.zone_id for v in versions]},
                                   geometry=[v.geometry for v in versions], crs="EPSG:4326")
    # Both start from the same incident objects, as a user with a ledger would.
    start = time.perf_counter()
    located = [(i.location.lon, i.location.lat) for i in incidents]  # type: ignore[union-attr]
    points = geopandas.GeoDataFrame(geometry=shapely.points(located), crs="EPSG:4326")
    joined = geopandas.sjoin(points, zones, predicate="within")
    theirs = n / (time.perf_counter() - start)
    # Same answer: as many (point, version) pairs (points on an edge aside, none here).
    assert len(joined) == sum(len(found) for found in ours.values())
    return rate, theirs


def _point_rows(pipeline: Pipeline, n: int) -> list[tuple[str, str, str]]:
    ours, theirs = bench_point_in_zone(pipeline, n)
    rows = [("point-in-zone (points/s)", f"{ours:,.0f}",
             f"{n:,} random points, STRtree over every boundary version")]
    if theirs is None:
        rows.append(("  geopandas sjoin", "-", "not installed: make bench installs it"))
    else:
        rows.append(("  geopandas sjoin (points/s)", f"{theirs:,.0f}",
                     f"same points; trucewatch is {ours / theirs:.1f}x"))
    return rows


def bench_ingest(reports: list[Report], n: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(f"sqlite:///{folder}/bench.db")
        ledger.init()
        ledger.load_scenario("astana-2017")
        start = time.perf_counter()
        for i in range(n):
            base = reports[i % len(reports)]
            # A distinct text per copy, so each is a new report and not a re-ingest.
            ledger.ingest(replace(base, text=f"{base.text}\n[copy {i}]"))
        return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--incidents", type=int, default=20000)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--points", type=int, default=1_000_000)
    args = parser.parse_args()

    scenario = load_scenario("astana-2017")
    pipeline = Pipeline.for_scenario(scenario)
    reports = articles()
    rate, found = bench_extract(pipeline, reports, args.articles)
    rows = [
        ("extract (articles/s, one core)", f"{rate:,.0f}", f"{args.articles} articles, "
         f"{found} incidents"),
        ("assess (incidents/s)", f"{bench_assess(pipeline, args.incidents):,.0f}",
         f"{args.incidents} random incidents, astana-2017"),
        *_point_rows(pipeline, args.points),
        ("ingest into SQLite (reports/s)", f"{bench_ingest(reports, args.reports):,.0f}",
         f"{args.reports} reports, extract + merge + assess + write"),
    ]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.system()}")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    print(f"peak memory: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
