"""The extractor's vocabulary (data/vocabulary.yaml), loaded once and compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from trucewatch.model import EventType

DATA = Path(__file__).parent / "data" / "vocabulary.yaml"
# libyaml's parser when PyYAML was built with it: the same data, read about 7x faster
# (0.02 CPU-s of every command that extracts).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def phrase_pattern(phrases: list[str], *, case: bool = False) -> re.Pattern[str]:
    """One regex for a list of phrases; 'strike*' matches any ending, spaces match '-' too,
    and quotation marks between words (opened "unprovoked" fire).

    Acronyms (SANA, UN, IED) always match as written, so that ordinary words do not;
    other phrases ignore case unless ``case`` is set."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        stem = phrase.rstrip("*")
        body = r"[\s\-\"“”]+".join(re.escape(w) for w in stem.split())
        body += r"\w*" if phrase.endswith("*") else ""
        exact = case or _is_acronym(stem)
        parts.append(body if exact else f"(?i:{body})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and len(word) <= 6 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Source:
    """A named source and its spellings; ``local`` spellings name it only in reports about
    the countries (ISO2) they are listed under ("civil defence" is the White Helmets in
    Syria, Gaza's or Ukraine's own service elsewhere)."""

    name: str
    pattern: re.Pattern[str]
    local: dict[str, re.Pattern[str]]

    def named_in(self, clause: str, country: str | None) -> str | None:
        """The source's name if ``clause`` names it; a local spelling used about another
        country, as written."""
        if self.pattern.search(clause):
            return self.name
        for iso2, pattern in self.local.items():
            if found := pattern.search(clause):
                return self.name if iso2 == country else found.group(0)
        return None

    def is_spelled(self, phrase: str, country: str | None) -> bool:
        """Is ``phrase`` exactly one of the source's spellings (in reports about
        ``country``)?"""
        local = self.local.get(country) if country else None
        return bool(self.pattern.fullmatch(phrase) or (local and local.fullmatch(phrase)))


def _source(name: str, spec: list[str] | dict[str, list[str]]) -> Source:
    if isinstance(spec, list):
        return Source(name, phrase_pattern(spec), {})
    local = {iso2: phrase_pattern(words) for iso2, words in spec.items() if iso2 != "aliases"}
    return Source(name, phrase_pattern(spec["aliases"]), local)


@dataclass(frozen=True)
class Vocabulary:
    triggers: list[tuple[EventType, re.Pattern[str]]]
    weak_triggers: frozenset[str]
    not_triggers: re.Pattern[str]
    anaphors: re.Pattern[str]
    irrealis: re.Pattern[str]
    background: re.Pattern[str]
    number_words: dict[str, int]
    vague_numbers: dict[str, int]
    person_nouns: frozenset[str]
    killed: re.Pattern[str]
    wounded: re.Pattern[str]
    sources: list[Source]
    source_names: frozenset[str]
    source_descriptions: re.Pattern[str]
    confirmation: re.Pattern[str]
    outlets: re.Pattern[str]
    perpetrator_nouns: list[str]
    perpetrator_verbs: re.Pattern[str]
    civilian_nouns: re.Pattern[str]
    combatant_nouns: re.Pattern[str]
    source_anaphors: re.Pattern[str]
    attribution_hedges: re.Pattern[str]
    armed_targets: re.Pattern[str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data: dict[str, Any] = yaml.load(DATA.read_text(encoding="utf-8"), Loader=_LOADER)
    triggers = [
        (EventType(kind), phrase_pattern(words)) for kind, words in data["triggers"].items()
    ]
    sources = [_source(name, spec) for name, spec in data["sources"].items()]
    return Vocabulary(
        triggers=triggers,
        weak_triggers=frozenset(w.lower() for w in data["weak_triggers"]),
        not_triggers=phrase_pattern(data["not_triggers"]),
        anaphors=phrase_pattern(data["anaphors"]),
        irrealis=phrase_pattern(data["irrealis"]),
        background=re.compile("|".join(f"(?:{p})" for p in data["background"]), re.I),
        number_words={str(k): int(v) for k, v in data["number_words"].items()},
        vague_numbers={str(k): int(v) for k, v in data["vague_numbers"].items()},
        person_nouns=frozenset(data["person_nouns"]),
        killed=phrase_pattern(data["killed_words"]),
        wounded=phrase_pattern(data["wounded_words"]),
        sources=sources,
        source_names=frozenset(source.name for source in sources),
        source_descriptions=phrase_pattern(data["source_descriptions"]),
        confirmation=phrase_pattern(data["confirmation"]),
        outlets=phrase_pattern(data["outlets"], case=True),
        perpetrator_nouns=list(data["perpetrator_nouns"]),
        perpetrator_verbs=phrase_pattern(data["perpetrator_verbs"]),
        civilian_nouns=phrase_pattern(data["civilian_nouns"]),
        combatant_nouns=phrase_pattern(data["combatant_nouns"]),
        source_anaphors=phrase_pattern(data["source_anaphors"]),
        attribution_hedges=phrase_pattern(data["attribution_hedges"]),
        armed_targets=phrase_pattern(data["armed_targets"]),
    )
