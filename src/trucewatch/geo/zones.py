"""Where a place stands relative to a zone boundary, with its geo precision taken
into account: a town is a point; a district or governorate is an area of
uncertainty that may straddle a boundary."""

from __future__ import annotations

import math
from enum import StrEnum
from functools import lru_cache

from shapely import affinity
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from trucewatch.model import Place

# Radius of the area a place may stand for, by ACLED geo precision: a named
# town is taken as its point; "near a town" or a district as 10 km around it;
# a governorate or larger region as 40 km around its centroid.
UNCERTAINTY_KM: dict[int, float] = {1: 0.0, 2: 10.0, 3: 40.0}
KM_PER_DEGREE = 111.32


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
    if boundary.intersects(area):
        return Relation.STRADDLES
    return Relation.OUTSIDE


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
