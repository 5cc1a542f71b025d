"""Point-in-zone: which boundary versions of astana-2017 cover each of n points.

Four sides, the same seeded n points over the box around Syria's de-escalation zones,
each in its own process, each repeated (CPU time, min and median):

- trucewatch: ``geo.points.covering_pairs``, the function the bulk paths run (a
  scenario's re-assessment of stored incidents and a dataset import, through
  assess_batch, over the distinct towns they name): coordinate arrays in, (point, zone
  version) index pairs out, sorted by point; each zone version's bounding box tested in
  numpy, then shapely's ``intersects_xy`` over the prepared zone for the points inside
  it (edges count as inside, as for a verdict). The object path (``covering_versions``,
  coordinates read off incident objects) is not what is timed;
- geopandas: ``points_from_xy`` over the coordinate arrays, then ``sjoin(predicate=
  "within")`` against a GeoDataFrame of the zone versions;
- shapely: ``contains_xy`` of each prepared zone version over the coordinate arrays,
  the pairs taken with ``numpy.nonzero`` (the floor: no index, no objects);
- PostGIS: the whole load and query as a user would run them: the points COPYed from a
  tab-separated text (made beforehand, as the file a user would have), made geometries,
  a GiST index built, ANALYZE, then the ``ST_Contains`` join with every pair fetched; CPU
  of the client process and of its server backend, both counted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from common import Timing, cpu_runs, not_measured, own_peak_mb, proc_cpu_seconds, status_mb

from trucewatch.geo.points import covering_pairs
from trucewatch.model import BoundaryVersion
from trucewatch.scenario import load_scenario

SEED = 11


def coordinates(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n longitudes and latitudes over the box around Syria's de-escalation zones."""
    rng = np.random.default_rng(SEED)
    return rng.uniform(35.7, 38.5, n), rng.uniform(32.3, 36.7, n)


def versions() -> list[BoundaryVersion]:
    scenario = load_scenario("astana-2017")
    return [v for zone in scenario.zones.values() for v in zone.versions]


def trucewatch_points(n: int, runs: int) -> Timing:
    geometries = [v.geometry for v in versions()]
    lons, lats = coordinates(n)
    found: list[int] = []
    times = cpu_runs(lambda: found.append(len(covering_pairs(lons, lats, geometries)[0])),
                     runs)
    return Timing(times, n, own_peak_mb(), f"{found[0]:,} (point, zone version) pairs; "
                  "geo.points.covering_pairs: coordinate arrays in, pairs out, as the bulk "
                  "re-assessment runs it")


def geopandas_points(n: int, runs: int) -> Timing:
    try:
        import geopandas
    except ImportError:
        return not_measured("geopandas not installed: make bench installs the bench extra")
    shapes = versions()
    zones = geopandas.GeoDataFrame({"zone": list(range(len(shapes)))},
                                   geometry=[v.geometry for v in shapes], crs="EPSG:4326")
    lons, lats = coordinates(n)
    found: list[int] = []

    def work() -> None:
        points = geopandas.GeoDataFrame(geometry=geopandas.points_from_xy(lons, lats),
                                        crs="EPSG:4326")
        found.append(len(geopandas.sjoin(points, zones, predicate="within")))

    times = cpu_runs(work, runs)
    return Timing(times, n, own_peak_mb(), f"{found[0]:,} pairs; points_from_xy + sjoin "
                  "(within) from coordinate arrays")


def shapely_points(n: int, runs: int) -> Timing:
    import shapely

    geometries = [v.geometry for v in versions()]
    shapely.prepare(geometries)
    lons, lats = coordinates(n)
    found: list[int] = []

    def work() -> None:
        pairs = [np.nonzero(shapely.contains_xy(g, lons, lats))[0] for g in geometries]
        found.append(sum(len(p) for p in pairs))

    times = cpu_runs(work, runs)
    return Timing(times, n, own_peak_mb(), f"{found[0]:,} pairs; contains_xy per prepared "
                  f"zone version ({len(geometries)}) over coordinate arrays")


def postgis_points(n: int, runs: int, url: str | None, reason: str | None) -> Timing:
    if url is None:
        return not_measured(f"PostGIS not available: {reason}")
    import io
    import time

    import psycopg

    lons, lats = coordinates(n)
    buffer = io.BytesIO()
    np.savetxt(buffer, np.column_stack([np.arange(n), lons, lats]), fmt="%d\t%.9f\t%.9f")
    text = buffer.getvalue()
    zones = [(k, v.geometry.wkt) for k, v in enumerate(versions())]
    times: list[float] = []
    walls: list[float] = []
    pairs: list[Any] = []
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        for _ in range(runs):
            conn.execute("DROP TABLE IF EXISTS zones, raw, points")
            client, server = time.process_time(), proc_cpu_seconds(backend)
            wall = time.perf_counter()
            conn.execute("CREATE TABLE zones (id int PRIMARY KEY, geom geometry(Geometry, 4326))")
            conn.cursor().executemany("INSERT INTO zones VALUES (%s, ST_GeomFromText(%s, 4326))",
                                      zones)
            conn.execute("CREATE TABLE raw (id int, lon float8, lat float8)")
            with conn.cursor().copy("COPY raw (id, lon, lat) FROM STDIN") as copy:
                copy.write(text)
            conn.execute("CREATE TABLE points AS SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), "
                         "4326)::geometry(Point, 4326) AS geom FROM raw")
            conn.execute("CREATE INDEX ON points USING gist (geom)")
            conn.execute("CREATE INDEX ON zones USING gist (geom)")
            conn.execute("ANALYZE points; ANALYZE zones")
            pairs = conn.execute("SELECT p.id, z.id FROM zones z JOIN points p "
                                 "ON ST_Contains(z.geom, p.geom)").fetchall()
            walls.append(time.perf_counter() - wall)
            times.append(time.process_time() - client + proc_cpu_seconds(backend) - server)
        server_mb = status_mb(backend, "VmHWM")
    return Timing(times, n, own_peak_mb() + server_mb,
                  f"{len(pairs):,} pairs; COPY of the points, geometries, GiST index, ANALYZE "
                  f"and the ST_Contains join; CPU of client + server backend (wall median "
                  f"{sorted(walls)[len(walls) // 2]:.1f} s); peak = client + backend")
