"""The gazetteer: place names as news writes them -> Places with coordinates,
governorate and geo precision.

Names are matched after folding transliteration: case, diacritics, apostrophes
and ayn/hamza marks, the Arabic article (al-, el-, ad-, ...), doubled letters,
ou/u and ee/i. Candidates are ranked by the report's country, by how specific
the feature is (a town before the governorate of the same name) and by
population.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trucewatch.errors import InputError
from trucewatch.model import Place

DATA = Path(__file__).parent / "data" / "places.csv"
PRECISION = {"town": 1, "neighbourhood": 1, "district": 2, "region": 2, "governorate": 3,
             "country": 3}
_ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "an", "at", "az", "adh", "ath")
_MARKS = re.compile(r"[\u2018\u2019'`\u02bf\u02be\u02bb\u02bc\u0060\u00b4]")


def fold(name: str) -> str:
    """A spelling-free key: 'Ma'arrat an-Nu'man' and 'Maarat al-Numan' fold alike."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _MARKS.sub("", text)
    words = re.split(r"[^a-z0-9]+", text)
    words = [w for w in words if w and w not in _ARTICLES and w != "the"]
    key = "".join(words)
    key = key.replace("ou", "u").replace("ee", "i").replace("oo", "u")
    return re.sub(r"(.)\1+", r"\1", key)


@dataclass(frozen=True, slots=True)
class Entry:
    place: Place
    feature: str
    population: int
    iso2: str
    variants: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.place.name, *self.variants)


class Gazetteer:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._by_key: dict[str, list[Entry]] = {}
        spellings: set[str] = set()
        for entry in entries:
            for name in entry.names:
                self._by_key.setdefault(fold(name), []).append(entry)
                spellings.add(name)
        # Mentions are found case-sensitively on capitalised spellings, so that
        # place names that are also English words ("Bab", "Nawa") are not found in prose.
        alternatives = sorted(spellings, key=len, reverse=True)
        pattern = "|".join(_spelling_pattern(s) for s in alternatives)
        article = r"(?:(?:[Aa][lnrdstz]|[Ee]l|[Aa]sh)[- ])?"
        self._mention = re.compile(rf"(?<![\w'’-]){article}({pattern})(?![\w-])")

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        return cls(list(read_places_csv(path)))

    @classmethod
    def default(cls) -> Gazetteer:
        return _default()

    def find(self, name: str, *, country: str | None = None) -> list[Place]:
        """Candidates for ``name``, best first."""
        return [e.place for e in self._ranked(name, country)]

    def resolve(self, name: str, *, country: str | None = None) -> Place | None:
        found = self.find(name, country=country)
        return found[0] if found else None

    def _ranked(self, name: str, country: str | None) -> list[Entry]:
        entries = self._by_key.get(fold(name), [])
        return sorted(
            entries,
            key=lambda e: (
                country is not None and country not in (e.iso2, e.place.country),
                PRECISION.get(e.feature, 3),
                -e.population,
            ),
        )

    def find_mentions(self, text: str, *, country: str | None = None
                      ) -> list[tuple[int, int, Place]]:
        """Places named in ``text``: (start, end, place), in order of appearance."""
        found = []
        for match in self._mention.finditer(text):
            start, end = match.span()
            ranked = self._ranked(match.group(1), country)
            if ranked:
                found.append((start, end, ranked[0].place))
        return found


def _spelling_pattern(spelling: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s-]+", spelling) if w]
    return r"[\s-]".join(words)


def read_places_csv(path: Path) -> list[Entry]:
    """Rows of a places CSV (the columns of data/places.csv); a bad row names its line."""
    entries: list[Entry] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        required = {"name", "lat", "lon", "country", "feature"}
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise InputError(str(path), f"missing columns: {', '.join(sorted(missing))}", 1)
        for line, row in enumerate(reader, start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                raise InputError(str(path), "lat and lon must be numbers", line) from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise InputError(str(path), f"coordinates out of range: {lat}, {lon}", line)
            feature = (row.get("feature") or "town").strip()
            if feature not in PRECISION:
                raise InputError(str(path), f"unknown feature {feature!r}; one of "
                                 + ", ".join(PRECISION), line)
            place = Place(
                name=row["name"].strip(), lat=lat, lon=lon,
                admin1=row.get("admin1") or None, admin2=row.get("admin2") or None,
                country=row["country"].strip(), geo_precision=PRECISION[feature],
                geonames_id=int(row["geonames_id"]) if row.get("geonames_id") else None,
            )
            variants = tuple(v.strip() for v in (row.get("variants") or "").split("|")
                             if v.strip())
            entries.append(Entry(place, feature, int(row.get("population") or 0),
                                 (row.get("iso2") or "").strip(), variants))
    return entries


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    return Gazetteer.from_csv(DATA)
