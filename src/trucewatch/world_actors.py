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
        # The patterns compiled so far (see "matching" below), by what they depend on.
        self._patterns: dict[tuple[str, ...], re.Pattern[str] | None] = {}
        self._spent = 0  # characters of patterns compiled for one place
        self._beginnings: dict[tuple[str, str], bool] = {}

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
    #
    # The catalogue's spellings make two patterns of 30,000 and 50,000 characters, which
    # Python's re compiles in 0.35 CPU-s: more than the rest of an article's reading. So
    # each place a pattern is tried at gets one made of the spellings that can match
    # there, compiled when first needed and kept: those beginning with the word that
    # stands there (``_prune``) and, for the state-forces grammar's later parts (the force
    # noun after "Sudanese", the country after "armed forces of"), with the words that
    # follow. Such a pattern finds there exactly what the whole one finds; one article
    # compiles a few small ones. Many articles would compile more of them than the whole
    # patterns hold: past _BUDGET characters, the whole patterns are compiled and used.

    @cached_property
    def _tries(self) -> dict[str, _Node]:
        cat = self._catalogue
        return {"named": _trie_node(cat.rules), "places": _trie_node(cat.country_spellings),
                "forces": _trie_node(cat.force_nouns),
                "demonyms": _trie_node(cat.demonym_spellings),
                "attacks": _trie_node(cat.attack_nouns)}

    def _named_match(self, text: str, start: int, word: str) -> re.Match[str] | None:
        """The named spelling at ``start``, where ``word`` (lower case) begins."""
        whole = not word.isascii() or self._spent > _BUDGET  # not word.isascii(): _prune
        key = ("named", "" if whole else word)
        if key not in self._patterns:
            trie = self._tries["named"]
            self._keep(key, _compiled(_trie_pattern(trie if whole else _prune(trie, (word,)))))
        pattern = self._patterns[key]
        return pattern.match(text, start) if pattern else None

    def _states_match(self, text: str, start: int, word: str, after: Sequence[str],
                      ) -> re.Match[str] | None:
        """The state-forces phrase at ``start``, where ``word`` begins and the words
        ``after`` follow (lower case; at least ``_reach`` of them, or the text's last)."""
        after = after[:self._reach]
        if (not word.isascii() or not all(w.isascii() for w in after)
                or self._spent > _BUDGET):
            key: tuple[str, ...] = ("states", "")  # the whole grammar
        else:
            # What the pattern depends on: the word, and those after it that may begin a
            # later part of a branch the word can begin.
            places, forces = self._begins("places", word), self._begins("forces", word)
            wanted = {"forces"} if places else set()
            wanted |= {"attacks"} if places or self._begins("demonyms", word) else set()
            wanted |= {"forces", "places"} if forces else set()
            then = {w for w in after if any(self._begins(k, w) for k in wanted)}
            key = ("states", word, *sorted(then))
        if key not in self._patterns:
            self._keep(key, self._states_pattern(key[1:]))
        pattern = self._patterns[key]
        return pattern.match(text, start) if pattern else None

    def _keep(self, key: tuple[str, ...], pattern: re.Pattern[str] | None) -> None:
        self._patterns[key] = pattern
        if key[1]:  # a whole pattern is not counted; a place with none is, a little, so
            # that a long-running reader keeps a bounded number of them
            self._spent += len(pattern.pattern) if pattern is not None else 100

    def _states_pattern(self, words: tuple[str, ...]) -> re.Pattern[str] | None:
        """The grammar for a phrase beginning with words[0] and followed by words[1:]; the
        whole grammar for ("",). None when no branch can match."""
        tries = self._tries
        whole = words == ("",)

        def part(name: str, begin: tuple[str, ...]) -> str:
            return _trie_pattern(tries[name] if whole else _prune(tries[name], begin))

        first, then = words[:1], words[1:]
        forces_first = part("forces", first)
        grammar = _state_grammar(
            part("places", first), part("demonyms", first), forces_first,
            # the second force noun of "armed forces of": the first when there is one
            _NEVER if forces_first == _NEVER else part("forces", words),
            part("places", then), part("forces", then), part("attacks", then))
        return _compiled(grammar) if grammar else None

    def _begins(self, trie: str, word: str) -> bool:
        """Can a spelling of this trie begin with this word?"""
        found = self._beginnings.get((trie, word))
        if found is None:
            found = self._beginnings[trie, word] = bool(_prune(self._tries[trie], (word,)))
        return found

    @cached_property
    def _reach(self) -> int:
        """How many words after the first a later part of the grammar can begin at: after
        a country's words and "'s" the force noun, after it the second; after two force
        nouns, "of" and "the", the country. A spelling matched spans at most one word more
        than it has characters other than letters and digits."""
        def most_words(name: str) -> int:
            return max(len(re.findall(r"[\W_]", _canonical(s))) + 1
                       for s in _spellings(self._catalogue, name))

        places, forces = most_words("places"), most_words("forces")
        return max(places + 1 + forces, most_words("demonyms"), 2 * forces + 2) + 1

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
        words = list(_WORD.finditer(text))
        lowered = [word.group().lower() for word in words]
        for at, (word, first) in enumerate(zip(words, lowered, strict=True)):
            if first in named_first:
                match = self._named_match(text, word.start(), first)
                mention = match and self._named_mention(text, match, hint)
                if mention:
                    found.append(mention)
            if first in states_first:
                match = self._states_match(text, word.start(), first,
                                           lowered[at + 1:at + 1 + self._reach])
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
        return ActorMention(start, end, text[start:end], actors[0], qualifier_after(text, end),
                            tuple(actors[1:]))


def qualifier_after(text: str, end: int) -> str | None:
    """The word after a hyphen that describes a name ending at ``end`` ("held" in "IS-held",
    "linked" in "al-Qaeda-linked"), when it says territory or a relation."""
    after = _AFTER.match(text, end)
    word = after.group(1).lower() if after else None
    return word if word in TERRITORY | RELATIONS else None


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


_Node = dict[str, "_Node"]  # a trie: a character -> the rest; "" ends a spelling
_NEVER = "(?!)"  # a pattern that matches nothing
# Characters of patterns compiled one place at a time before the whole patterns (84,000
# characters) are compiled instead (see WorldActors' "matching"): one article spends
# 10,000 to 35,000; a batch would go on spending past what the whole patterns cost.
_BUDGET = 50_000


def _trie_node(spellings: Iterable[str]) -> _Node:
    """The spellings as a trie of their canonical characters."""
    root: _Node = {}
    for spelling in spellings:
        node = root
        for char in _canonical(spelling):
            node = node.setdefault(char, {})
        node[""] = {}
    return root


def _trie_pattern(root: _Node) -> str:
    """One pattern for many spellings, branching once per character (Python tries a flat
    alternation's branches one by one). A space stands for any gap between words, an
    apostrophe or a dot may be left out; longer continuations are tried first. An empty
    trie is a pattern that matches nothing."""

    def piece(char: str) -> str:
        if char == " ":
            return _GAP
        if char in "'’":
            return "['’ʼ]?"
        if char == ".":
            return r"\.?"
        return re.escape(char)

    def pattern(node: _Node) -> str:
        branches = [piece(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root) if root else _NEVER


def _trie(spellings: Iterable[str]) -> str:
    return _trie_pattern(_trie_node(spellings))


def _prune(node: _Node, words: tuple[str, ...], at: int = 0) -> _Node:
    """The part of a trie that can match, with IGNORECASE, where one of ``words`` (lower
    case, ASCII) begins: the paths that spell such a word's characters from ``at`` on and
    then go on as a word's end allows. Its pattern matches there exactly what the whole
    trie's does: the paths left out cannot match there, and those kept are tried in the
    same order.

    A word is letters and digits, never a gap, so a path must spell all of it: each letter
    or digit the same, an apostrophe or a dot (which may be left out) skipped. After it
    comes no letter or digit, so a path goes on with anything but an ASCII one. A
    character outside ASCII is kept whatever the word's is: re's case rules join some to
    ASCII letters (the long s to s, the dotless i to i); and a word outside ASCII is the
    caller's to avoid, since its lower case may not be as long as the text it comes from.
    A path beginning with a character that is no letter or digit (a bracket) is kept: a
    part of the grammar may begin before a word."""
    ended = any(at == len(word) for word in words)
    kept: _Node = {}
    for char, child in node.items():
        if not char or (ended and not (char.isascii() and char.isalnum())):
            rest = child  # the spelling ends, or goes on past the word: all of it
            if not char and not ended:
                continue
        elif char in ("'", "."):
            rest = _prune(child, words, at)
        elif at == 0 and not char.isalnum():
            rest = child  # may match before the word begins
        elif not char.isascii():
            rest = _prune(child, words, at + 1)
        elif same := tuple(word for word in words if at < len(word) and word[at] == char):
            rest = _prune(child, same, at + 1)
        else:
            continue
        if rest or not char:
            kept[char] = rest
    return kept


def _spellings(catalogue: Catalogue, name: str) -> Iterable[str]:
    return {"places": catalogue.country_spellings, "forces": catalogue.force_nouns,
            "demonyms": catalogue.demonym_spellings, "attacks": catalogue.attack_nouns,
            "named": catalogue.rules}[name]


def _state_grammar(places: str, demonyms: str, forces_first: str, forces_of: str,
                   places_of: str, forces: str, attacks: str) -> str | None:
    """The state-forces grammar over these patterns: ``places``, ``demonyms`` and
    ``forces_first`` (then ``forces_of``, whose noun may come first) begin its branches;
    ``places_of`` follows "of"; ``forces`` and ``attacks`` follow a country or demonym.
    A branch with a part that matches nothing (``_NEVER``) is left out, its groups still
    named; None when every branch is."""
    def branch(pattern: str, parts: tuple[str, ...], groups: str) -> str:
        if _NEVER in parts:
            return _NEVER + "".join(f"(?P<{g}>)" for g in groups.split())
        return pattern

    branches = [
        # "Sudanese army jets", "Sudan's military", "Israel Defense Forces"
        branch(rf"(?P<c>{places})(?:['’]s)?{_GAP}(?P<n>{forces})(?:{_GAP}(?P<n2>{forces}))?",
               (places, forces), "c n n2"),
        # "Israeli strikes", but not "Burkina attacks" (attacks in Burkina)
        branch(rf"(?P<d>{demonyms}){_GAP}(?P<a>{attacks})", (demonyms, attacks), "d a"),
        branch(rf"(?P<p>{places})['’]s{_GAP}(?P<a2>{attacks})", (places, attacks), "p a2"),
        # "armed forces of Sudan", ACLED's "Military Forces of Sudan (2019-)"
        branch(rf"(?:(?P<n4>{forces_first}){_GAP})?(?P<n3>{forces_of}){_GAP}of{_GAP}"
               rf"(?:the{_GAP})?(?P<c3>{places_of})", (forces_of, places_of), "n4 n3 c3"),
    ]
    if all(b.startswith(_NEVER) for b in branches):
        return None
    return "|".join(branches)


def _compiled(body: str) -> re.Pattern[str]:
    return re.compile(_START + "(?:" + body + ")" + _END, re.IGNORECASE)


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
