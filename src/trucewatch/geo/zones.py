"""Where a place stands relative to a zone boundary, with its geo precision taken
into account: a town is a point; a district or governorate is an area of
uncertainty that may straddle a boundary. Only the land of that area counts: its part at
sea (in no country's shipped outline) never puts a coastal town outside a zone drawn from
a country's or an admin-1 unit's outline."""

from __future__ import annotations

import math
from enum import StrEnum
from functools import cache, lru_cache

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from trucewatch.model import Place

# Radius of the area a place may stand for, by ACLED geo precision: a named
# town is taken as its point; "near a town" or a district as 10 km around it;
# a governorate or larger region as 40 km around its centroid.
UNCERTAINTY_KM: dict[int, float] = {1: 0.0, 2: 10.0, 3: 40.0}
KM_PER_DEGREE = 111.32
# Land this close to the sea is left out of the test: it may be a sliver between two
# simplified outlines of one coast (an admin-1 unit's and its country's, each simplified
# to about 1 km), not land across the boundary.
SLIVER_KM = 1.5


class Relation(StrEnum):
    INSIDE = "inside"
    OUTSIDE = "outside"
    STRADDLES = "straddles"


def uncertainty_km(place: Place) -> float:
    return UNCERTAINTY_KM.get(place.geo_precision, UNCERTAINTY_KM[3])


@lru_cache(maxsize=65_536)
def place_area(place: Place) -> BaseGeometry:
    """The point, or an ellipse in degrees approximating a circle of the uncertainty radius.
    Cached: datasets name the same few hundred places on millions of rows."""
    if place.lat is None or place.lon is None:
        raise ValueError(f"place {place.name!r} has no coordinates")
    point = Point(place.lon, place.lat)
    radius_km = uncertainty_km(place)
    if radius_km == 0:
        return point
    circle = point.buffer(radius_km / KM_PER_DEGREE, quad_segs=16)
    # A degree of longitude shrinks with latitude: stretch x so the circle is round on the ground.
    return affinity.scale(circle, xfact=1 / math.cos(math.radians(place.lat)), yfact=1.0)


def relate(place: Place, boundary: BaseGeometry) -> Relation:
    area = place_area(place)
    if area.geom_type == "Point":
        return Relation.INSIDE if boundary.covers(area) else Relation.OUTSIDE
    if boundary.contains(area):
        return Relation.INSIDE
    if not boundary.intersects(area):
        return Relation.OUTSIDE
    # The area crosses the boundary. Only its land can put the incident outside: a coastal
    # town's circle reaches out to sea, which a zone drawn from an outline leaves out.
    core = land_core(place)
    if core is None:  # all land, open sea, or no outlines: the drawing alone decides
        return Relation.STRADDLES
    # A prepared covers() of the land (shrunk by SLIVER_KM, so two simplified coasts of
    # one shore do not differ) costs what the tests above cost; an overlay would not.
    return Relation.INSIDE if boundary.covers(core) else Relation.STRADDLES


@cache
def _land() -> tuple[np.ndarray, shapely.STRtree] | None:
    """Every shipped country outline and a tree over them, built once (0.2 s, and only
    when some area straddles a boundary); None where the outlines are not installed."""
    try:
        from trucewatch.geo import areas
    except ImportError:
        return None
    shapes = np.array([c.outline.geometry for c in areas.outlines().countries.values()],
                      dtype=object)
    shapely.prepare(shapes)
    return shapes, shapely.STRtree(shapes)


@lru_cache(maxsize=65_536)
def _land_core_at(lat: float, lon: float, precision: int) -> BaseGeometry | None:
    land = _land()
    if land is None:
        return None
    shapes, tree = land
    area = place_area(Place("", lat=lat, lon=lon, geo_precision=precision))
    # By bounding box, then against the prepared outlines: the tree's own predicate would
    # prepare the circle instead, and test whole country outlines edge by edge.
    near = shapes[tree.query(area)]
    if shapely.contains(near, area).any():
        return None  # all inside one country: no sea to set aside
    near = near[shapely.intersects(near, area)]
    if len(near) == 0:
        return None  # open sea
    # Cut each country to the circle's box first: an overlay with a whole country outline
    # costs milliseconds, with its few nearby edges microseconds.
    pieces = shapely.intersection(shapely.clip_by_rect(near, *area.bounds), area)
    found = shapely.union_all(pieces)
    if found.area >= area.area * 0.999:  # land on every side (a land border runs through)
        return None
    core = shapely.buffer(found, -SLIVER_KM / KM_PER_DEGREE)
    if core.is_empty:
        return None
    return core


def land_core(place: Place) -> BaseGeometry | None:
    """The land of the place's area of uncertainty (its part inside some shipped country
    outline), shrunk by SLIVER_KM; None when that area has no sea in it (or no land, or
    the outlines are not installed). Cached by point and precision: datasets name the
    same places again and again."""
    if place.lat is None or place.lon is None:
        raise ValueError(f"place {place.name!r} has no coordinates")
    return _land_core_at(place.lat, place.lon, place.geo_precision)


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Ground distance, flat-earth approximation: good to a few metres at town scale."""
    dx = (lon1 - lon2) * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, lat1 - lat2) * KM_PER_DEGREE


def distance_to_edge_km(place: Place, boundary: BaseGeometry) -> float:
    """Approximate ground distance from the place's point to the boundary's edge."""
    if place.lat is None or place.lon is None:
        raise ValueError(f"place {place.name!r} has no coordinates")
    scale = math.cos(math.radians(place.lat))
    # Work in a plane where one unit is one degree of latitude in both directions.
    flat_edge = affinity.scale(boundary.boundary, xfact=scale, yfact=1.0, origin=(0, 0))
    flat_point = Point(place.lon * scale, place.lat)
    return float(flat_edge.distance(flat_point)) * KM_PER_DEGREE
