"""Point-in-zone: which boundary versions of astana-2017 cover each of n incidents.

trucewatch answers it with one STRtree query from the incident objects; beside it the
same seeded points go through a geopandas sjoin (from the same incident objects) and
through PostGIS ST_Contains (points and zones stored in tables, the join query timed).
Each function runs in its own process and regenerates the same points from the seed.
"""

from __future__ import annotations

import random
import time
from datetime import date

from common import Figure, missing, own_peak_mb, status_mb

from trucewatch.assess import covering_versions
from trucewatch.model import BoundaryVersion, EventType, Incident, Place
from trucewatch.scenario import load_scenario

SEED = 11


def coordinates(n: int) -> list[tuple[float, float]]:
    """n (lon, lat) pairs over the box around Syria's de-escalation zones."""
    rng = random.Random(SEED)
    return [(rng.uniform(35.7, 38.5), rng.uniform(32.3, 36.7)) for _ in range(n)]


def incidents(n: int) -> list[Incident]:
    return [Incident(event_type=EventType.AIR_STRIKE, event_date=date(2017, 7, 4),
                     location=Place("p", lat=lat, lon=lon)) for lon, lat in coordinates(n)]


def versions() -> list[BoundaryVersion]:
    scenario = load_scenario("astana-2017")
    return [v for zone in scenario.zones.values() for v in zone.versions]


def trucewatch_points(n: int) -> Figure:
    scenario = load_scenario("astana-2017")
    located = incidents(n)
    start = time.perf_counter()
    _, hits = covering_versions(located, scenario)
    rate = n / (time.perf_counter() - start)
    pairs = sum(len(found) for found in hits.values())
    return Figure(rate, own_peak_mb(), f"{n:,} random points, {pairs:,} (point, zone version) "
                  "pairs; one STRtree query from the incident objects")


def geopandas_points(n: int) -> Figure:
    try:
        import geopandas
        import shapely
    except ImportError:
        return missing("geopandas not installed: make bench installs the bench extra")
    shapes = versions()
    zones = geopandas.GeoDataFrame({"zone": [v.zone_id for v in shapes]},
                                   geometry=[v.geometry for v in shapes], crs="EPSG:4326")
    located = incidents(n)
    start = time.perf_counter()  # from the same incident objects, as a user with a ledger
    xy = [(i.location.lon, i.location.lat) for i in located]  # type: ignore[union-attr]
    points = geopandas.GeoDataFrame(geometry=shapely.points(xy), crs="EPSG:4326")
    joined = geopandas.sjoin(points, zones, predicate="within")
    rate = n / (time.perf_counter() - start)
    return Figure(rate, own_peak_mb(), f"{len(joined):,} pairs")


def postgis_points(n: int, url: str | None, reason: str | None) -> Figure:
    """The points COPYed into a table with a GiST index, the zones beside them; times
    the join (every (point, zone version) pair fetched by the client), not the loading."""
    if url is None:
        return missing(f"PostGIS not available: {reason}")
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        loading = time.perf_counter()
        conn.execute("CREATE TABLE zones (id int PRIMARY KEY, geom geometry(Geometry, 4326))")
        conn.cursor().executemany(
            "INSERT INTO zones VALUES (%s, ST_GeomFromText(%s, 4326))",
            [(k, v.geometry.wkt) for k, v in enumerate(versions())])
        conn.execute("CREATE TABLE raw (id int, lon float8, lat float8)")
        with conn.cursor().copy("COPY raw (id, lon, lat) FROM STDIN") as copy:
            for k, (lon, lat) in enumerate(coordinates(n)):
                copy.write_row((k, lon, lat))
        conn.execute("CREATE TABLE points AS SELECT id, "
                     "ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geometry(Point, 4326) AS geom "
                     "FROM raw")
        conn.execute("CREATE INDEX ON points USING gist (geom)")
        conn.execute("CREATE INDEX ON zones USING gist (geom)")
        conn.execute("ANALYZE points; ANALYZE zones")
        loaded = time.perf_counter() - loading
        start = time.perf_counter()
        pairs = conn.execute("SELECT p.id, z.id FROM zones z JOIN points p "
                             "ON ST_Contains(z.geom, p.geom)").fetchall()
        rate = n / (time.perf_counter() - start)
        server_mb = status_mb(backend, "VmHWM")
    return Figure(rate, own_peak_mb() + server_mb,
                  f"{len(pairs):,} pairs; the query alone (loading and indexing took "
                  f"{loaded:.1f} s); peak = client + server backend")
