"""Weapons named in a report's words, for withdrawal zones that depend on a weapon's
class and calibre (Minsk II: artillery of 100 mm and more 25 km back either side of
the line, MLRS 35 km, Tornado-S, Uragan, Smerch and Tochka 70 km).

The extractor keeps no weapon field on a claim, so the weapon is read here from the
sentences a claim cites as evidence and from its notes. A small vocabulary, as data:
docs/scenario-format.md lists it. ``match`` says whether what was read falls under a
rule ("yes", "no" or "maybe" when a calibre bound meets an unstated calibre).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from trucewatch.model import Claim, Incident, WeaponClass, WeaponRule

W = WeaponClass

def _named(word: str) -> str:
    """A system's proper name, matched with its capital: a 'tornado' or 'grad' in lower
    case is weather or a degree, a 'Tornado' is a rocket launcher."""
    return f"(?-i:{word})"


# Words that name each class, matched whole and case-insensitively (names as written).
WORDS: dict[WeaponClass, tuple[str, ...]] = {
    W.SMALL_ARMS: ("small arms", "small-arms", "rifles?", "machine ?guns?", "snipers?",
                   "sniper fire", "automatic weapons?"),
    W.GRENADE_LAUNCHER: ("grenade ?launchers?", "RPGs?", "AGS(?:-17)?"),
    W.ANTI_TANK_MISSILE: ("anti-?tank (?:guided )?missiles?", "ATGMs?"),
    W.MORTAR: ("mortars?", "mortar (?:shells?|rounds?|bombs?|fire)"),
    W.ARTILLERY: ("artillery", "howitzers?", "cannons?", "field guns?", "D-30s?",
                  _named("Gvozdikas?"), _named("Akatsiyas?"), _named("Msta(?:-[BS])?"),
                  _named("Giatsint(?:-[BS])?"), _named("Hyacinths?"), _named("Rapiras?"),
                  "MT-12s?"),
    W.TANK: ("tanks?", "T-64s?", "T-72s?", "T-80s?", "tank (?:fire|guns?|shells?|rounds?)"),
    W.MLRS: ("multiple(?:-| )?(?:launch )?rocket (?:launchers?|systems?)", "MLRS",
             _named("Grads?"), "BM-21s?"),
    W.HEAVY_MLRS: (_named("Uragans?"), _named("Smerch(?:es)?"), _named("Tornado(?:-S)?s?"),
                   "BM-27s?", "BM-30s?"),
    W.TACTICAL_MISSILE: (_named("Tochka(?:-U)?s?"), _named("Iskanders?"),
                         "tactical (?:ballistic )?missiles?"),
    W.DRONE: ("drones?", "UAVs?", "unmanned aerial vehicles?"),
}
# Not weapons, though they hold a weapon word.
NOT_WEAPONS = re.compile(r"\b(?:fuel|water|septic|storage|oil|think) tanks?\b", re.IGNORECASE)
# The calibres a class has when a report states none, in mm; None: not measured so.
USUAL_CALIBRE: dict[WeaponClass, tuple[float, float] | None] = {
    W.SMALL_ARMS: (5, 15), W.GRENADE_LAUNCHER: (30, 40), W.ANTI_TANK_MISSILE: None,
    W.MORTAR: (60, 120), W.ARTILLERY: (76, 203), W.TANK: (100, 125), W.MLRS: (107, 122),
    W.HEAVY_MLRS: (220, 300), W.TACTICAL_MISSILE: None, W.DRONE: None,
}
# Named systems whose calibre is known.
NAMED_CALIBRE = {"grad": 122, "bm-21": 122, "uragan": 220, "bm-27": 220, "smerch": 300,
                 "bm-30": 300, "tornado": 300, "tornado-s": 300, "d-30": 122, "gvozdika": 122,
                 "akatsiya": 152, "msta": 152, "giatsint": 152, "hyacinth": 152, "rapira": 100,
                 "mt-12": 100}
_CALIBRE = re.compile(r"\b(\d{2,3}(?:\.\d)?)\s?-?\s?(?:mm|millimet(?:re|er)s?)\b",
                      re.IGNORECASE)
# A calibre belongs to a weapon word this close to it (characters between them).
_NEAR = 25


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    words = sorted(words, key=len, reverse=True)  # the longer phrase first
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


_PATTERNS = {kind: _pattern(words) for kind, words in WORDS.items()}
# Any weapon word or calibre at all: one search that most texts (a dataset's notes, which
# name no weapon) fail, before the ten patterns are run one by one. Every word behind one
# edge test (not one per class): 2.5 times faster on a dataset's notes, which a scenario
# with weapon zones reads for a million incidents.
_ANY = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(
    (word for words in WORDS.values() for word in words), key=len, reverse=True))
    + r")(?![\w-])|" + _CALIBRE.pattern, re.IGNORECASE)




def _stem(word: str) -> str:
    """The letters, in lower case, that every match of a vocabulary word begins with:
    'rifles?' -> 'rifle', 'machine ?guns?' -> 'machine', '(?-i:Grads?)' -> 'grad'."""
    body = word[len("(?-i:"):-1] if word.startswith("(?-i:") else word
    literal = re.match(r"[\w -]*", body)
    stem = literal.group() if literal else ""
    if body[len(stem):len(stem) + 1] in ("?", "*", "{"):  # its last letter is optional
        stem = stem[:-1]
    if len(stem) < 2:
        raise ValueError(f"weapons.WORDS: {word!r} begins with no fixed letters for the "
                         "quick check (_STEMS) to look for; begin it with two or more")
    return stem.lower()


# What any weapon word or calibre (_ANY) contains, in lower case: the stems of the words
# and the calibre's unit. Looking for these in a text's lower case (one `in` each) is
# four times faster than _ANY's search, which most texts (a dataset's notes) then need
# not run at all: 603,797 notes for donbas-minsk's million rows.
_STEMS = tuple(sorted({_stem(word) for words in WORDS.values() for word in words}
                      | {"mm", "millimet"}))  # _CALIBRE's units
_STEMS = tuple(stem for stem in _STEMS  # 'tank ' holds 'tank': one is enough
               if not any(other != stem and other in stem for other in _STEMS))


def _may_name(text: str) -> bool:
    """False only where _ANY cannot match. Beyond ASCII, case folding has more to it
    than lower() ('K', the Kelvin sign, is a 'k' to IGNORECASE): such texts are left to
    _ANY."""
    if not text.isascii():
        return True
    lowered = text.lower()
    # A loop, not any() over a generator: that costs twice as much per text.
    for stem in _STEMS:  # noqa: SIM110
        if stem in lowered:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Weapon:
    """A weapon a report names: its class, its calibre in mm when stated, the words."""

    kind: WeaponClass
    calibre_mm: float | None
    words: str


def read_weapons(text: str) -> list[Weapon]:
    """Every weapon ``text`` names, in order, with the calibre written next to it."""
    if not text or not _may_name(text) or _ANY.search(text) is None:
        return []
    masked = NOT_WEAPONS.sub(lambda m: " " * len(m.group()), text)
    found: list[tuple[int, int, WeaponClass, str]] = []
    for kind, pattern in _PATTERNS.items():
        found += [(m.start(), m.end(), kind, m.group()) for m in pattern.finditer(masked)]
    found.sort()
    # A word inside a longer one already found ("mortar" in "mortar shells") is one weapon.
    kept: list[tuple[int, int, WeaponClass, str]] = []
    for item in found:
        if kept and item[0] < kept[-1][1]:
            if item[1] - item[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = item
            continue
        kept.append(item)
    calibres = [(m.start(), m.end(), float(m.group(1))) for m in _CALIBRE.finditer(masked)]
    weapons: list[Weapon] = []
    used: set[int] = set()
    for start, end, kind, words in kept:
        named = NAMED_CALIBRE.get(words.lower().rstrip("s"), NAMED_CALIBRE.get(words.lower()))
        calibre: float | None = float(named) if named is not None else None
        if calibre is None:
            near = [(min(abs(start - c_end), abs(c_start - end)), n, value)
                    for n, (c_start, c_end, value) in enumerate(calibres)
                    if (c_end <= start + 1 and start - c_end <= _NEAR)
                    or (c_start >= end - 1 and c_start - end <= _NEAR)]
            if near:
                _, n, calibre = min(near)
                used.add(n)
        weapons.append(Weapon(kind, float(calibre) if calibre is not None else None, words))
    # "122mm shells": a calibre without a weapon word is a gun's.
    weapons += [Weapon(W.ARTILLERY, value, masked[c_start:c_end])
                for n, (c_start, c_end, value) in enumerate(calibres)
                if n not in used and value >= 60]
    return weapons


def claim_weapons(claims: Iterable[Claim]) -> list[Weapon]:
    """The weapons named by claims' evidence sentences and notes."""
    weapons: list[Weapon] = []
    seen: set[tuple[WeaponClass, float | None]] = set()
    for claim in claims:
        texts = dict.fromkeys([e.span.text for e in claim.evidence] + [claim.notes or ""])
        for text in texts:
            for weapon in read_weapons(text):
                if (weapon.kind, weapon.calibre_mm) not in seen:
                    seen.add((weapon.kind, weapon.calibre_mm))
                    weapons.append(weapon)
    return weapons


def match(weapon: Weapon, rule: WeaponRule) -> str:
    """'yes' when the weapon falls under the rule, 'no' when it does not, 'maybe' when
    its calibre is unstated and its class's usual calibres straddle the rule's bounds."""
    if weapon.kind not in rule.weapons:
        return "no"
    low, high = rule.min_calibre_mm, rule.max_calibre_mm
    if low is None and high is None:
        return "yes"
    if weapon.calibre_mm is not None:
        inside = (low is None or weapon.calibre_mm >= low) and \
            (high is None or weapon.calibre_mm <= high)
        return "yes" if inside else "no"
    usual = USUAL_CALIBRE[weapon.kind]
    if usual is None:
        return "no"
    if (low is None or usual[0] >= low) and (high is None or usual[1] <= high):
        return "yes"
    if (low is not None and usual[1] < low) or (high is not None and usual[0] > high):
        return "no"
    return "maybe"


def describe(weapon: Weapon) -> str:
    """'122 mm artillery ('122mm shells')' for reasons."""
    calibre = f"{weapon.calibre_mm:g} mm " if weapon.calibre_mm is not None else ""
    return f"{calibre}{weapon.kind.value} ('{weapon.words}')"


class ReadWeapons:
    """The weapons an incident's reports name, read on first need (most commitments have
    no weapon zones, and a bulk re-assessment carries no claims)."""

    def __init__(self, incident: Incident) -> None:
        self.incident = incident
        self._read: list[Weapon] | None = None

    @property
    def read(self) -> list[Weapon]:
        if self._read is None:
            self._read = claim_weapons(self.incident.claims)
        return self._read


def barred(rules: list[WeaponRule], zone_ids: set[str], zone_names: dict[str, str],
           weapons: list[Weapon]) -> tuple[str, str]:
    """Whether weapon zones that hold the incident bar the weapons its reports name:
    'yes', 'maybe' (a weapon named without the calibre the rule turns on) or 'no' (none
    barred, or none named), with a sentence."""
    findings = [(match(weapon, rule), weapon, rule) for rule in rules for weapon in weapons]
    for wanted in ("yes", "maybe"):
        found = next(((w, r) for m, w, r in findings if m == wanted), None)
        if found is None:
            continue
        weapon, rule = found
        where = _join([zone_names.get(z, z) for z in rule.zones if z in zone_ids])
        if wanted == "yes":
            return "yes", (f"The reports name {describe(weapon)}, which it bars within the "
                           f"{where} ({rule_words(rule)}).")
        return "maybe", (f"It bars {rule_words(rule)} within the {where}; the reports name "
                         f"{describe(weapon)} without a calibre, so it cannot be said whether "
                         "that is among them.")
    listed = _join([rule_words(rule) for rule in rules])
    if not weapons:  # nothing shows a barred weapon was used: no breach of the rule shown
        return "no", (f"It bars {listed} here; the reports name no weapon, so they show no "
                      "breach of that.")
    named = _join([describe(w) for w in weapons])
    return "no", f"It bars {listed} here, and the weapons the reports name ({named}) are not."


def rule_words(rule: WeaponRule) -> str:
    """A rule's name, or 'artillery and mortar of 100 mm and more'."""
    if rule.name:
        return rule.name
    low, high = rule.min_calibre_mm, rule.max_calibre_mm
    calibre = (f" of {low:g} mm and more" if low is not None and high is None
               else f" of {low or 0:g} to {high:g} mm" if high is not None else "")
    return _join(sorted(w.value for w in rule.weapons)) + calibre


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
