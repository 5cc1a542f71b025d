"""Zones built from other shapes (format 2): a buffer in kilometres along a line, on one
side or both, and the outline of a country or an admin-1 area by reference.

Buffers are computed on the ground, not in degrees: each line is projected to an
azimuthal equidistant projection centred on it (metres, true distances from the
centre, a few parts in a thousand off at 300 km), buffered there and projected back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

SIDES = ("left", "right", "both")
CAPS = ("round", "flat")


class AreaOutlines(Protocol):
    """Where outlines by reference come from: trucewatch.geo.areas, or a stand-in in tests.
    Both raise trucewatch.errors.NotFoundError, naming close matches, for an unknown name."""

    def country_outline(self, code_or_name: str) -> BaseGeometry: ...

    def admin1_outline(self, country_code: str, name: str) -> BaseGeometry: ...


def shipped_outlines() -> AreaOutlines | None:
    """The outlines shipped with trucewatch, or None where that module is not installed."""
    try:
        from trucewatch.geo import areas
    except ImportError:
        return None
    return areas  # a module that has both functions


def buffer_line(line: BaseGeometry, km: float, side: str, cap: str = "round") -> BaseGeometry:
    """The area within ``km`` of ``line`` on its left, its right (walking it in drawing
    order) or both sides, in longitude/latitude. Ends are rounded (``cap="round"``: a town
    at the line's last point lies inside) or cut square (``"flat"``); corners are rounded."""
    centre = line.centroid
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +units=m "
                           "+ellps=WGS84")
    to_local = _mapper(Transformer.from_crs("EPSG:4326", local, always_xy=True))
    to_lonlat = _mapper(Transformer.from_crs(local, "EPSG:4326", always_xy=True))
    flat = shapely.transform(line, to_local)
    metres = km * 1000.0
    parts = list(getattr(flat, "geoms", [flat]))
    if side == "both":
        pieces = [part.buffer(metres, cap_style=cap, join_style="round") for part in parts]
    else:
        # shapely buffers the left side for a positive distance, the right for a negative
        signed = metres if side == "left" else -metres
        pieces = [_one_side(part, signed, cap) for part in parts]
    area = shapely.union_all(pieces)
    back = shapely.transform(area, to_lonlat)
    if not back.is_valid:
        back = make_valid(back)
    return _polygonal(back)


def _one_side(part: BaseGeometry, signed: float, cap: str) -> BaseGeometry:
    """One side's buffer of a line (shapely cuts it square); with round ends, the quarter
    discs at each end on that side added: the end caps of the two-sided buffer that lie
    on that side of the line carried straight on past its ends."""
    side = part.buffer(signed, single_sided=True, join_style="round")
    if cap == "flat":
        return side
    reach = abs(signed) * 2.0
    coords = np.asarray(part.coords)
    ends = []
    for tip, before in ((coords[0], coords[1]), (coords[-1], coords[-2])):
        step = tip - before
        length = float(np.hypot(*step)) or 1.0
        ends.append(tip + step / length * reach)
    longer = shapely.LineString([ends[0], *coords, ends[1]])
    caps = part.buffer(abs(signed), cap_style="round").difference(
        part.buffer(abs(signed), cap_style="flat"))
    return shapely.union_all([side, caps.intersection(
        longer.buffer(signed, single_sided=True, join_style="round"))])


def _mapper(transformer: Transformer) -> Callable[[np.ndarray], np.ndarray]:
    """An (n, 2) array of coordinates through a pyproj transformer, for shapely.transform."""
    def apply(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])
    return apply


def area_outline(outlines: AreaOutlines, area: dict[str, Any]) -> BaseGeometry:
    """The outline an ``area:`` mapping names (its keys checked by the caller)."""
    country = str(area["country"])
    if area.get("admin1") is not None:
        geometry = outlines.admin1_outline(country, str(area["admin1"]))
    else:
        geometry = outlines.country_outline(country)
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    return _polygonal(geometry)


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the polygons of a geometry (make_valid may leave stray lines), prepared for
    the many point-in-zone tests it will answer."""
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        polygons = [g for g in getattr(geometry, "geoms", [])
                    if g.geom_type in ("Polygon", "MultiPolygon")]
        geometry = shapely.union_all(polygons)
    shapely.prepare(geometry)
    return geometry
