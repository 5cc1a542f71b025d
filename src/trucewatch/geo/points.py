"""Point-in-zone over coordinate arrays: which boundary geometries cover each of many
points, for the bulk paths (a scenario's re-assessment of stored incidents, dataset
imports). Arrays in, (point, geometry) index pairs out: no point objects, no incident
objects.

A point on a boundary's edge counts as inside, as geo.zones.relate decides for a town
(``covers``); shapely's ``intersects_xy`` is that test for a point, and it runs over the
coordinates with the geometry prepared, without making a geometry per point.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from trucewatch.bulk import gc_paused
from trucewatch.model import BoundaryVersion, Incident, Scenario, Zone


def covering_pairs(lons: np.ndarray, lats: np.ndarray, geometries: Sequence[BaseGeometry]
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(point index, geometry index) of every geometry covering each point, ordered by
    point then geometry. ``lons`` and ``lats`` are float arrays of one length."""
    lons = np.asarray(lons, dtype=float)
    lats = np.asarray(lats, dtype=float)
    if lons.shape != lats.shape or lons.ndim != 1:
        raise ValueError(f"covering_pairs: lons {lons.shape} and lats {lats.shape} must be "
                         "one-dimensional arrays of one length")
    points: list[np.ndarray] = []
    shapes: list[np.ndarray] = []
    for k, geometry in enumerate(geometries):
        shapely.prepare(geometry)  # done when the scenario was read; a no-op then
        xmin, ymin, xmax, ymax = geometry.bounds
        # The bounding box in numpy first: a zone covers a small part of the points, and
        # four comparisons cost less than GEOS's test, even prepared.
        near = np.flatnonzero((lons >= xmin) & (lons <= xmax) & (lats >= ymin) & (lats <= ymax))
        if near.size == 0:
            continue
        hit = near[shapely.intersects_xy(geometry, lons[near], lats[near])]
        points.append(hit)
        shapes.append(np.full(hit.size, k, dtype=np.intp))
    if not points:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty.copy()
    point_index = np.concatenate(points)
    shape_index = np.concatenate(shapes)
    order = np.argsort(point_index, kind="stable")  # geometries stay in order per point
    return point_index[order], shape_index[order]


def covering_versions(
    incidents: Sequence[Incident], scenario: Scenario
) -> tuple[set[int], dict[int, list[tuple[Zone, BoundaryVersion]]]]:
    """The object path (assess.assess_many): the incidents located to a point (geo
    precision 1), and for those inside any zone, the boundary versions of any date that
    cover them, by index. Incidents not located to a point are left to relate() one by
    one. Reading the coordinates off the objects costs more than the test itself."""
    with gc_paused():
        versions = [(zone, version) for zone in scenario.zones.values()
                    for version in zone.versions]
        located: list[int] = []
        lons: list[float] = []
        lats: list[float] = []
        for i, incident in enumerate(incidents):
            place = incident.location
            if place is not None and place.geo_precision == 1 and place.lat is not None \
                    and place.lon is not None:
                located.append(i)
                lons.append(place.lon)
                lats.append(place.lat)
        hits: dict[int, list[tuple[Zone, BoundaryVersion]]] = {}
        if not versions or not located:
            return set(located), hits
        point_index, version_index = covering_pairs(
            np.array(lons), np.array(lats), [version.geometry for _, version in versions])
        for p, v in zip(point_index.tolist(), version_index.tolist(), strict=True):
            hits.setdefault(located[p], []).append(versions[v])
        return set(located), hits
