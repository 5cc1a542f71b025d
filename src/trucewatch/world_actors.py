"""The world's armed actors as data, independent of any scenario.

The catalogue (``data/world_actors.yaml``) says WHO a report names: "Sudanese army jets"
are Sudan's state forces, "the Rapid Support Forces" are the RSF, "al-Shabab fighters"
are al-Shabaab, wherever the article comes from. A scenario only says who is BOUND:
:meth:`trucewatch.actors.ActorDictionary.resolve_world` maps a world actor to the
scenario's actor, if the scenario has one.

Two kinds of entries:

- state forces, generated for every country of :mod:`trucewatch.geo.countries` from its
  names and demonyms and the force nouns of the data file ("Sudanese army", "Sudan's
  military", "Israeli warplanes", "Israeli strikes", "armed forces of Sudan"), with the
  file's per-country names, aliases and limits on top;
- named actors (paramilitaries, rebels, jihadist groups, coalitions) with aliases.

Matching rules: the longest spelling wins; case and hyphens do not matter, except for
short acronyms ("IS", "AA", "PDF", "LeT"), which match only as written and only as a
standalone word (not inside a URL or a file name). "government-held", "IS-held",
"Houthi-controlled" describe territory: such mentions are dropped unless asked for.
"pro-Russian forces" and "anti-Houthi forces" are not the Russians or the Houthis.
Some aliases count only when the caller says which countries the text is about
("separatists" in Ukraine, "bandits" in Nigeria, "government forces" anywhere).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from trucewatch.world_actors_data import (
    KINDS,
    AliasRule,
    Catalogue,
    WorldActor,
    exact_words,
    fold_key,
    read_catalogue,
)

if TYPE_CHECKING:
    from trucewatch.geo.countries import Countries

# "X-held town": X holds the place; the sentence does not say X did anything.
TERRITORY = frozenset({"held", "controlled", "run", "occupied", "besieged", "administered",
                       "ruled", "dominated", "governed", "seized"})
# "Rwanda-backed rebels", "IS-linked militants": kept, with the word, for the caller to weigh.
RELATIONS = frozenset({"backed", "led", "allied", "linked", "affiliated", "aligned",
                       "supported", "sponsored", "funded", "inspired", "leaning", "friendly"})

_WORD = re.compile(r"[^\W_]+")
_GAP = r"(?:\s*[-‐‑–/]\s*|\s+)"  # between words: spaces, a hyphen or a slash
_START = r"(?<![^\W_'’.\-/])"  # not inside a word, a dotted name or a hyphenated compound
_END = r"(?![^\W_])"
_URLISH = re.compile(r"://|^www\.|@|\.(?:pdf|docx?|html?|php|aspx?|jpe?g|png|gif|zip|xlsx?|csv)"
                     r"\b", re.IGNORECASE)
_AFTER = re.compile(r"\s*[-‐‑–]\s*([A-Za-z]+)")
_PREFIX = re.compile(r"(?<![^\W_])(?:pro|anti|non|ex|counter)\s*[-‐‑–]\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    text: str  # as written
    actor: WorldActor
    qualifier: str | None = None  # the word after a hyphen: "held" in "IS-held town"
    alternatives: tuple[WorldActor, ...] = ()  # other actors this spelling also names

    @property
    def territory(self) -> bool:
        """True for "IS-held", "government-controlled": a description of ground."""
        return self.qualifier in TERRITORY


class WorldActors:
    """The catalogue with its matcher. Build it once (``default()``) and share it."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self.actors: dict[str, WorldActor] = {a.id: a for a in catalogue.actors}

    @classmethod
    def from_yaml(cls, path: Path | Traversable, countries: Countries | None = None,
                  ) -> WorldActors:
        if countries is None:
            from trucewatch.geo.countries import countries as shipped
            countries = shipped()
        return cls(read_catalogue(path, countries))

    @classmethod
    def default(cls) -> WorldActors:
        """The shipped catalogue, read on first use and kept."""
        return _default()

    def get(self, actor_id: str | None) -> WorldActor | None:
        return self.actors.get(actor_id) if actor_id else None

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def __len__(self) -> int:
        return len(self.actors)

    def state_forces(self, iso2: str) -> WorldActor | None:
        return self.actors.get(self._catalogue.state_ids.get(iso2.upper(), ""))

    def lineage(self, actor: WorldActor) -> list[WorldActor]:
        """The actor, its parent, the parent's parent... (the file forbids cycles)."""
        chain = [actor]
        while chain[-1].parent and chain[-1].parent in self.actors:
            chain.append(self.actors[chain[-1].parent])
        return chain

    def children(self, actor_id: str) -> list[WorldActor]:
        return [a for a in self.actors.values() if a.parent == actor_id]

    # ------------------------------------------------------------------ lookups

    def by_name(self, text: str, countries: Sequence[str] = ()) -> WorldActor | None:
        """The actor this whole text names ("RSF", "the Sudanese army", "Russia",
        "Military Forces of Sudan (2019-)"), or None. A bare country name is its state
        forces; anything else must be one mention spanning the text."""
        named = self.all_by_name(text, countries)
        return named[0] if named else None

    def all_by_name(self, text: str, countries: Sequence[str] = ()) -> list[WorldActor]:
        """Every actor the whole text may name, the likeliest first."""
        stripped = re.sub(r"\s*\((?:\d{4}-(?:\d{4})?|[^)]*)\)\s*$", "", text.strip())
        stripped = re.sub(r"^(?:the)\s+", "", stripped, flags=re.IGNORECASE)
        if not stripped:
            return []
        mentions = [m for m in self._scan(stripped, countries)
                    if m.start == 0 and m.end == len(stripped)]
        if mentions:
            return [mentions[0].actor, *mentions[0].alternatives]
        country = self._catalogue.countries.find(stripped)
        if country is not None:
            state = self.state_forces(country.iso2)
            return [state] if state else []
        return []

    def find_all(self, text: str, countries: Sequence[str] = (),
                 territory: bool = False) -> list[ActorMention]:
        """Every actor named in ``text``, in order. ``countries``: ISO2 codes of the
        countries the text is about, likeliest first; they let context-only aliases count
        and choose between actors sharing a spelling. ``territory``: keep "IS-held"."""
        return [m for m in self._scan(text, countries) if territory or not m.territory]

    # ------------------------------------------------------------------ matching

    @cached_property
    def _named(self) -> re.Pattern[str]:
        return re.compile(_START + "(?:" + _trie(self._catalogue.rules) + ")" + _END,
                          re.IGNORECASE)

    @cached_property
    def _states(self) -> re.Pattern[str]:
        cat = self._catalogue
        places, forces = _trie(cat.country_spellings), _trie(cat.force_nouns)
        demonyms, attacks = _trie(cat.demonym_spellings), _trie(cat.attack_nouns)
        grammar = (
            # "Sudanese army jets", "Sudan's military", "Israel Defense Forces"
            rf"(?P<c>{places})(?:['’]s)?{_GAP}(?P<n>{forces})(?:{_GAP}(?P<n2>{forces}))?"
            # "Israeli strikes", but not "Burkina attacks" (attacks in Burkina)
            rf"|(?P<d>{demonyms}){_GAP}(?P<a>{attacks})"
            rf"|(?P<p>{places})['’]s{_GAP}(?P<a2>{attacks})"
            # "armed forces of Sudan", ACLED's "Military Forces of Sudan (2019-)"
            rf"|(?:(?P<n4>{forces}){_GAP})?(?P<n3>{forces}){_GAP}of{_GAP}(?:the{_GAP})?"
            rf"(?P<c3>{places})"
        )
        return re.compile(_START + "(?:" + grammar + ")" + _END, re.IGNORECASE)

    @cached_property
    def _first_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """The words a named spelling, and a state-forces phrase, can begin with."""
        named = frozenset(_first_word(s) for s in self._catalogue.rules)
        states = frozenset(_first_word(s) for s in (*self._catalogue.country_spellings,
                                                    *self._catalogue.nouns))
        return named, states

    def _scan(self, text: str, countries: Sequence[str]) -> list[ActorMention]:
        hint = tuple(c.upper() for c in countries)
        named_first, states_first = self._first_words
        found: list[ActorMention] = []
        # The patterns are tried only where a word that can begin a spelling stands: a
        # set lookup per word is much cheaper than the regex engine trying every position.
        for word in _WORD.finditer(text):
            first = word.group().lower()
            if first in named_first:
                match = self._named.match(text, word.start())
                mention = match and self._named_mention(text, match, hint)
                if mention:
                    found.append(mention)
            if first in states_first:
                match = self._states.match(text, word.start())
                mention = match and self._state_mention(text, match)
                if mention:
                    found.append(mention)
        # Leftmost, then longest; a named actor beats state forces over the same words.
        found.sort(key=lambda m: (m.start, -m.end, m.actor.generated))
        kept: list[ActorMention] = []
        for mention in found:
            if not kept or mention.start >= kept[-1].end:
                kept.append(mention)
        return kept

    def _named_mention(self, text: str, match: re.Match[str], hint: tuple[str, ...],
                       ) -> ActorMention | None:
        start, end = match.span()
        if not _standalone(text, start, end):
            return None
        written = exact_words(match.group())
        chosen: list[WorldActor] = []
        for rule in self._catalogue.rules_by_key.get(fold_key(match.group()), ()):
            if not rule.accepts(written, text, start, end):
                continue
            if rule.context is not None:  # only for a text known to be about these countries
                places = [c for c in hint if c in rule.context] if rule.context else [
                    c for c in hint if c not in self._catalogue.no_state_context]
                if not places:
                    continue
                if rule.actor_id is None:  # "government forces": the text's country's
                    actor = self.state_forces(places[0])
                    if actor is not None:
                        chosen.append(actor)
                    continue
            actor = self.actors[rule.actor_id] if rule.actor_id else None
            if actor is not None and actor not in chosen:
                chosen.append(actor)
        if not chosen:
            return None
        if hint:  # an actor of the text's countries first
            chosen.sort(key=lambda a: hint.index(a.country) if a.country in hint else len(hint))
        return self._mention(text, start, end, chosen)

    def _state_mention(self, text: str, match: re.Match[str]) -> ActorMention | None:
        start, end = match.span()
        if not _standalone(text, start, end):
            return None
        place = (match.group("c") or match.group("d") or match.group("p")
                 or match.group("c3"))
        iso2 = self._catalogue.spelling_owner(place)
        if iso2 is None:
            return None
        nouns = {fold_key(match.group(g)) for g in ("n", "n2", "n3", "n4", "a", "a2")
                 if match.group(g)}
        allowed = self._catalogue.only_nouns.get(iso2)
        if allowed is not None and not nouns <= allowed:
            return None
        actor = self.state_forces(iso2)
        return self._mention(text, start, end, [actor]) if actor else None

    def _mention(self, text: str, start: int, end: int, actors: list[WorldActor],
                 ) -> ActorMention | None:
        if _PREFIX.search(text, max(0, start - 12), start):
            return None  # "pro-Russian forces", "anti-Houthi forces"
        after = _AFTER.match(text, end)
        qualifier = None
        if after and after.group(1).lower() in TERRITORY | RELATIONS:
            qualifier = after.group(1).lower()
        return ActorMention(start, end, text[start:end], actors[0], qualifier,
                            tuple(actors[1:]))


def _standalone(text: str, start: int, end: int) -> bool:
    """Not part of a URL, an e-mail address or a file name: "report.PDF", "/pdf/",
    "example.org/hamas-attack"."""
    if end < len(text) and (text[end] in "_\\=@" or (
            text[end] in "./" and end + 1 < len(text) and text[end + 1].isalnum())):
        return False
    if start > 0 and text[start - 1] in "_\\=@#":
        return False
    left = text.rfind(" ", 0, start) + 1
    right = next((i for i in range(end, min(len(text), end + 200)) if text[i].isspace()),
                 min(len(text), end + 200))
    chunk = text[left:right]
    return not _URLISH.search(chunk)


def _trie(spellings: Iterable[str]) -> str:
    """One pattern for many spellings, branching once per character (Python tries a flat
    alternation's branches one by one). A space stands for any gap between words, an
    apostrophe or a dot may be left out; longer continuations are tried first."""
    root: dict[str, dict] = {}
    for spelling in spellings:
        node = root
        for char in _canonical(spelling):
            node = node.setdefault(char, {})
        node[""] = {}

    def piece(char: str) -> str:
        if char == " ":
            return _GAP
        if char in "'’":
            return "['’ʼ]?"
        if char == ".":
            return r"\.?"
        return re.escape(char)

    def pattern(node: dict) -> str:
        branches = [piece(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


def _first_word(spelling: str) -> str:
    found = _WORD.search(_canonical(spelling))
    return found.group() if found else ""


def _canonical(spelling: str) -> str:
    text = re.sub(r"[\s\-‐‑–/]+", " ", spelling.strip().lower())
    return text.replace("’", "'")


@cache
def _default() -> WorldActors:
    data = resources.files("trucewatch") / "data" / "world_actors.yaml"
    return WorldActors.from_yaml(data)


__all__ = ["KINDS", "ActorMention", "AliasRule", "WorldActor", "WorldActors", "fold_key"]
