"""Place names as keys: the spelling-free fold shared by the gazetteer and its GeoNames
index, the gazetteer's entries, and the words that make a name a division's
("Khartoum State", "Kherson region", "Province of Helmand")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from trucewatch.model import Place

PRECISION = {"town": 1, "neighbourhood": 1, "district": 2, "region": 2, "governorate": 3,
             "territory": 3, "country": 3}
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "an", "at", "az", "adh", "ath",
                       "the"})
_MARKS = re.compile(r"[\u2018\u2019'`\u02bf\u02be\u02bb\u02bc\u0060\u00b4]")
# Word endings that transliterations write either way: Hama/Hamah, Nabatieh/Nabatiya,
# Raqqa/Raqqah, Zawiya/Zawiyeh.
_FINAL = re.compile(r"(?<=.)(?:ah|eh)$")
# Letter groups transliterations write either way, applied in this order on the joined
# key: dj/j (Djibo/Jibo), kh/k (Khankendi/Kankendi), q/k (Qamishli/Kamishli), then ou/u,
# ee/i, oo/u (Arabic, French), y/i (Slovyansk/Sloviansk); doubled letters count once.
_LETTERS = (("dj", "j"), ("kh", "k"), ("q", "k"), ("ou", "u"), ("ee", "i"), ("oo", "u"),
            ("y", "i"))
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)  # the gazetteer's 6,000 names when it is built, then mentions
def fold(name: str) -> str:
    """A spelling-free key: 'Ma'arrat an-Nu'man' and 'Maarat al-Numan' fold alike, and so
    do 'Khan Younis' and 'Khan Yunis', 'Nabatieh' and 'Nabatiyeh', 'Djibo' and 'Jibo'.
    Hyphens, spaces, case, diacritics, apostrophes and Arabic articles do not count."""
    if name.isascii():  # nothing to decompose, no combining mark: the same, quicker
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _MARKS.sub("", text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _ARTICLES]
    key = "".join(_FINAL.sub("a", w) for w in words)
    for spelled, same in _LETTERS:
        key = key.replace(spelled, same)
    return _DOUBLED.sub(r"\1", key)


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


# Words that say a name is a division's, as news puts them after the name or before it.
# "district", "region" and "area" may name the land around a town ("the Bakhmut area"):
# without a division of that name they fall back to the town, at precision 2.
ADMIN1_WORDS = frozenset({"province", "state", "governorate", "oblast", "prefecture",
                          "department", "muhafazah", "wilayah", "wilaya", "county", "krai",
                          "division", "territory", "emirate", "canton", "voivodeship"})
AREA_WORDS = frozenset({"district", "area", "region", "raion", "rayon", "countryside", "zone",
                        "municipality", "sector", "locality", "woreda", "outskirts"})
_UNIT_WORDS = "|".join(sorted(ADMIN1_WORDS | AREA_WORDS | {"governate"}))
_SUFFIX = re.compile(rf"^(?:the\s+)?(?P<core>.+?)[\s-]+(?P<word>{_UNIT_WORDS})s?$", re.I)
_PREFIX = re.compile(rf"^(?:the\s+)?(?P<word>{_UNIT_WORDS})\s+of\s+(?P<core>.+)$", re.I)


def split_unit_word(name: str) -> tuple[str, str] | None:
    """'Khartoum State' -> ('Khartoum', 'state'); 'the Province of Helmand' -> ('Helmand',
    'province'); a name without such a word -> None."""
    text = name.strip()
    match = _SUFFIX.match(text) or _PREFIX.match(text)
    if match is None:
        return None
    word = match.group("word").lower()
    return match.group("core").strip(), "governorate" if word == "governate" else word


# English news says "North Darfur" where GeoNames says "Northern Darfur", and "North Kivu"
# where the Congolese say "Nord-Kivu".
_COMPASS = {
    "Northern": "North", "Southern": "South", "Eastern": "East", "Western": "West",
    "Nord": "North", "Sud": "South", "Est": "East", "Ouest": "West", "Centre": "Central",
    "Shamal": "North", "Janub": "South", "Sharq": "East", "Gharb": "West",
}
_COMPASS_WORD = re.compile(r"^(?P<word>" + "|".join(_COMPASS) + r")(?P<sep>[\s-])(?P<rest>.+)$")
_COMPASS_AFTER = re.compile(r"^(?P<rest>.+?)[\s-](?P<word>" + "|".join(_COMPASS) + r")$")


def compass_variants(name: str) -> list[str]:
    """'Northern Darfur' -> ['North Darfur'], 'Nord-Kivu' -> ['North Kivu'],
    'Centre-Nord' -> ['North Central']... only where a compass word leads or ends."""
    found = []
    match = _COMPASS_WORD.match(name)
    if match:
        found.append(f"{_COMPASS[match['word']]} {match['rest']}")
    match = _COMPASS_AFTER.match(name)
    if match and match["rest"] not in _COMPASS:
        found.append(f"{_COMPASS[match['word']]} {match['rest']}")
    return [f for f in found if f != name]
