"""Reading zones.geojson: dated zone polygons (every format) and dated lines (format 2),
each bad feature named by its index and its zone or line id."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from trucewatch.model import BoundaryStatus, BoundaryVersion, Zone
from trucewatch.scenario.fields import Entry
from trucewatch.scenario.files import ZONES_FILE

_POLYGONS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")
# Nesting depth of positions in each geometry's coordinates.
_DEPTH = {"Polygon": 3, "MultiPolygon": 4, "LineString": 2, "MultiLineString": 3}


def read_features(doc: Any, problems: list[str], version: int = 1
                  ) -> tuple[dict[str, Zone] | None, dict[str, tuple[BoundaryVersion, ...]]]:
    """Every zone named in the file (with the versions that are sound, by date), or None
    when the file is not a FeatureCollection at all; and, in format 2, every line's
    versions (a BoundaryVersion whose geometry is a line)."""
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" \
            or not isinstance(features, list):
        problems.append(f"{ZONES_FILE}: expected a GeoJSON FeatureCollection with a list "
                        "of features")
        return None, {}
    if not features and version == 1:
        problems.append(f"{ZONES_FILE}: no features: draw at least one zone")
    spans: dict[tuple[str, str], list[tuple[int, date, date | None]]] = {}
    versions: dict[tuple[str, str], list[BoundaryVersion]] = {}
    names: dict[str, str] = {}
    for i, feature in enumerate(features):
        raw = feature.get("properties") if isinstance(feature, dict) else None
        props: dict[str, Any] = raw if isinstance(raw, dict) else {}
        is_line = version >= 2 and "line" in props and "zone" not in props
        key = "line" if is_line else "zone"
        ident, start = props.get(key), props.get("valid_from")
        label = f"{ZONES_FILE}: feature {i} " + (
            f"(no {key} id)" if not isinstance(ident, str)
            else f"({key} {ident}, valid_from {start})" if start is not None
            else f"({key} {ident})")
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{label}: expected a GeoJSON Feature")
            continue
        before = len(problems)
        entry = Entry(raw if raw is not None else {}, label, problems, None,
                      (key, "status", "valid_from"))
        if "line" in props and "zone" in props and version >= 2:
            entry.problem("has both 'zone' and 'line': a feature is a zone or a line")
        ident, name = entry.ident(key), entry.text("name")
        status = entry.choice("status", tuple(BoundaryStatus))
        valid_from, valid_to = entry.day("valid_from"), entry.day("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            entry.problem(f"valid_to {valid_to} is before valid_from {valid_from}")
        approximate, note = entry.flag("approximate", True), entry.text("note")
        geometry = _geometry(feature.get("geometry"), entry, is_line, version)
        if ident is None:
            continue
        versions.setdefault((key, ident), [])
        if name and key == "zone" and ident not in names:
            names[ident] = name
        if valid_from:
            spans.setdefault((key, ident), []).append((i, valid_from, valid_to))
        if len(problems) == before and status and valid_from and geometry is not None:
            versions[(key, ident)].append(BoundaryVersion(
                zone_id=ident, status=BoundaryStatus(status), valid_from=valid_from,
                valid_to=valid_to, geometry=geometry, approximate=approximate, note=note))
    for (key, ident), dated in spans.items():
        dated.sort(key=lambda span: span[1])
        for n, (i, a_from, a_to) in enumerate(dated):
            for j, b_from, b_to in dated[n + 1:]:
                if a_to is None or a_to >= b_from:
                    problems.append(
                        f"{ZONES_FILE}: {key} {ident}: feature {i} ({a_from}..{a_to or 'open'})"
                        f" overlaps feature {j} ({b_from}..{b_to or 'open'}); the versions of "
                        f"one {key} must not share a day")
    zones = {ident: Zone(id=ident, name=names.get(ident, ident),
                         versions=tuple(sorted(found, key=lambda v: v.valid_from)))
             for (key, ident), found in versions.items() if key == "zone"}
    lines = {ident: tuple(sorted(found, key=lambda v: v.valid_from))
             for (key, ident), found in versions.items() if key == "line"}
    return zones, lines


def _geometry(raw: Any, entry: Entry, is_line: bool, version: int) -> BaseGeometry | None:
    """A valid Polygon or MultiPolygon (a LineString or MultiLineString for a line), or
    None with the reason recorded."""
    allowed = _LINES if is_line else _POLYGONS
    what = "a line must be a LineString or MultiLineString" if is_line else \
        "a zone must be a Polygon or MultiPolygon"
    if not isinstance(raw, dict):
        entry.problem(f"has no geometry: {what}")
        return None
    kind = raw.get("type")
    if kind not in allowed:
        hint = ("; a line is a feature with the property 'line' (format 2), and zones are "
                "built from it in scenario.yaml") if kind in _LINES and version >= 2 else ""
        entry.problem(f"geometry type {kind!r}: {what}{hint}")
        return None
    bad = _check_positions(raw.get("coordinates"), _DEPTH[kind], is_line)
    if bad:
        entry.problem(f"{kind} {bad}")
        return None
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, IndexError, AttributeError,
            shapely.errors.ShapelyError) as error:
        entry.problem(f"malformed {kind}: {error}")
        return None
    if is_line:
        if geometry.is_empty or geometry.length == 0:
            entry.problem(f"invalid {kind.lower()}: it needs at least two distinct positions")
            return None
        return geometry
    if geometry.is_empty or not geometry.is_valid:
        reason = "it is empty" if geometry.is_empty else explain_validity(geometry)
        entry.problem(f"invalid {kind.lower()}: {reason}")
        return None
    shapely.prepare(geometry)  # point-in-zone tests run against it many times
    return geometry


def _check_positions(value: Any, depth: int, is_line: bool = False) -> str | None:
    """Walk nested GeoJSON coordinates; say what is wrong with the first bad one."""
    if depth == 1:
        if not isinstance(value, list) or len(value) not in (2, 3) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return f"has a position {value!r} that is not [longitude, latitude]"
        lon, lat = value[0], value[1]
        if not (math.isfinite(lon) and math.isfinite(lat)
                and -180 <= lon <= 180 and -90 <= lat <= 90):
            return (f"has a coordinate [{lon}, {lat}] outside lon -180..180 / lat -90..90 "
                    "(GeoJSON is [longitude, latitude])")
        return None
    if not isinstance(value, list) or not value:
        return "coordinates are missing or not nested lists"
    if depth == 2 and is_line and len(value) < 2:
        return f"has a line of {len(value)} position; a line needs at least 2"
    if depth == 2 and not is_line and len(value) < 4:
        return f"has a ring of {len(value)} positions; a ring needs at least 4 (first = last)"
    bad = next((bad for item in value if (bad := _check_positions(item, depth - 1, is_line))),
               None)
    if bad is None and depth == 2 and not is_line and value[0][:2] != value[-1][:2]:
        # shapely would close the ring itself, so an unclosed one would pass as valid
        return (f"has a ring that is not closed: it ends at {value[-1]!r}, not at its first "
                f"position {value[0]!r}")
    return bad
