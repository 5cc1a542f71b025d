"""Reading ``data/world_actors.yaml`` into the catalogue :mod:`trucewatch.world_actors`
matches with. Domain experts edit that file, so a mistake names the file, the line of the
entry and what to do, and nothing half-read is returned. The file's own header
documents its format."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from trucewatch.errors import InputError

if TYPE_CHECKING:
    from trucewatch.geo.countries import Countries

KINDS = ("state", "state-paramilitary", "non-state", "coalition", "foreign-state")
NUMBER_WORDS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                          "eleven", "twelve", "dozen", "dozens", "several", "hundreds", "scores"})
ACTOR_KEYS = {"id", "name", "kind", "country", "parent", "aliases", "context_aliases", "note",
              "backed_by"}
COUNTRY_KEYS = {"name", "aliases", "context_aliases", "note", "nouns"}
ALIAS_KEYS = {"alias", "exact", "ambiguous", "reject_prev", "reject_next", "require_prev", "in"}
_WORD = re.compile(r"[^\W_]+")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_ARTICLE = re.compile(r"^(?:al|el|ash|as|ad|an|ar|at)[-\s](?=\w)", re.IGNORECASE)
_ALLOWED = re.compile(r"[\w\s\-‐‑–/'’.&]+\Z")


def fold_key(text: str) -> str:
    """The lookup key of a spelling: no accents, case, apostrophes or dots; words joined by
    one space ("People’s Defence-Force" and "peoples defence force" meet)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(re.sub(r"['’ʼ`.]", "", text)))


def exact_words(alias: str) -> tuple[str, ...]:
    """The alias's words as the key splits them, as written (no apostrophes or dots)."""
    return tuple(_WORD.findall(re.sub(r"['’ʼ`.]", "", alias)))


@dataclass(frozen=True, slots=True)
class WorldActor:
    id: str
    name: str
    kind: str  # one of KINDS
    country: str | None  # ISO2 of its home country; None for a transnational group
    parent: str | None = None  # id of the body it is a unit, branch or front of
    aliases: tuple[str, ...] = ()
    note: str | None = None
    backed_by: tuple[str, ...] = ()  # ids of its sponsors (information only)
    generated: bool = False  # state forces made from the country tables


@dataclass(frozen=True, slots=True)
class AliasRule:
    """One spelling of one actor, with the conditions under which it names the actor."""

    actor_id: str | None  # None: the state forces of the text's country ("government forces")
    alias: str  # as written in the data file
    words: tuple[str, ...]  # its words as written, for acronyms that must match exactly
    exact: tuple[bool, ...]  # per word: case must match ("IS", "LeT", "PDF")
    ambiguous: bool = False  # also a common word or abbreviation: not in an all-caps line
    reject_prev: frozenset[str] = frozenset()  # folded words; "<number>" for any number
    reject_next: frozenset[str] = frozenset()
    require_prev: frozenset[str] = frozenset()
    context: frozenset[str] | None = None  # None: always; else only for a text about these
    # countries (empty: about any country, for the country-less "government forces")

    def accepts(self, written: tuple[str, ...], text: str, start: int, end: int) -> bool:
        if any(self.exact):
            if len(written) != len(self.words):
                return False
            if any(e and w != a for e, w, a in zip(self.exact, written, self.words, strict=True)):
                return False
        before = re.findall(r"[^\W_]+", text[max(0, start - 40):start])
        after = re.findall(r"[^\W_]+", text[end:end + 40])
        prev = before[-1].lower() if before else ""
        nxt = after[0].lower() if after else ""
        if self.require_prev and prev not in self.require_prev:
            return False
        if _hits(prev, self.reject_prev) or _hits(nxt, self.reject_next):
            return False
        if self.ambiguous:  # a headline in capitals: "WHAT IS NEXT", "DOWNLOAD PDF"
            around = [w for w in (*before[-3:], *after[:3]) if w.isalpha()]
            if around and all(w.isupper() and len(w) > 1 for w in around):
                return False
        return True


def _hits(word: str, words: frozenset[str]) -> bool:
    if not word or not words:
        return False
    return word in words or ("<number>" in words and (word.isdigit() or word in NUMBER_WORDS))


@dataclass
class Catalogue:
    countries: Countries
    actors: list[WorldActor] = field(default_factory=list)
    state_ids: dict[str, str] = field(default_factory=dict)  # ISO2 -> state forces' id
    rules: list[str] = field(default_factory=list)  # every named spelling, for the pattern
    rules_by_key: dict[str, list[AliasRule]] = field(default_factory=dict)
    country_spellings: list[str] = field(default_factory=list)
    demonym_spellings: list[str] = field(default_factory=list)  # "Israeli", not "Israel"
    force_nouns: list[str] = field(default_factory=list)
    attack_nouns: list[str] = field(default_factory=list)
    owners: dict[str, tuple[str, frozenset[tuple[str, ...]] | None]] = field(
        default_factory=dict)  # folded spelling -> (ISO2, exact forms or None)
    nouns: list[str] = field(default_factory=list)
    only_nouns: dict[str, frozenset[str]] = field(default_factory=dict)
    no_state_context: set[str] = field(default_factory=set)

    def spelling_owner(self, written: str) -> str | None:
        owner = self.owners.get(fold_key(written))
        if owner is None:
            return None
        iso2, exact = owner
        return iso2 if exact is None or exact_words(written) in exact else None


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml: faster
    """Each mapping remembers its line, so a problem can name it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False,
                          ) -> dict[Hashable, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def read_catalogue(path: Path | Traversable, countries: Countries) -> Catalogue:
    source = str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise InputError(source, f"not valid YAML: {error.problem}",
                         mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list) or not isinstance(
            data.get("state_forces"), dict):
        raise InputError(source, "needs the mappings 'state_forces' and 'actors' at the top")

    def fail(entry: dict[str, Any], problem: str) -> InputError:
        return InputError(source, problem, entry.get("__line__"))

    cat = Catalogue(countries=countries)
    states = data["state_forces"]
    for key in ("nouns", "attack_nouns", "context_aliases"):
        if not all(isinstance(x, str) for x in states.get(key) or ()):
            raise fail(states, f"state_forces.{key} must be a list of words")
    cat.force_nouns = list(states.get("nouns") or ())
    cat.attack_nouns = list(states.get("attack_nouns") or ())
    cat.nouns = cat.force_nouns + cat.attack_nouns
    if not cat.force_nouns:
        raise fail(states, "state_forces.nouns is empty: no state forces could be named")

    # Each country's spellings, given to the country geo.countries gives them to.
    for country in countries.all:
        for spelling, owner, demonym in [
                *((n, countries.find(n), False) for n in country.names),
                *((d, countries.by_demonym(d), True) for d in country.demonyms)]:
            if owner is not country or not fold_key(spelling):
                continue
            if demonym:
                cat.demonym_spellings.append(spelling)
            words = tuple(re.findall(r"[^\W_]+", re.sub(r"['’.]", "", spelling)))
            exact = frozenset({words}) if any(_needs_exact(w) for w in words) else None
            known = cat.owners.get(fold_key(spelling))
            if known and known[0] == country.iso2 and known[1] and exact:
                exact = known[1] | exact
            cat.owners[fold_key(spelling)] = (country.iso2, exact)
            cat.country_spellings.append(spelling)

    overrides = states.get("countries") or {}
    if not isinstance(overrides, dict):
        raise fail(states, "state_forces.countries must map ISO2 codes to entries")
    for iso2, entry in overrides.items():
        if iso2 == "__line__":
            continue
        if not isinstance(entry, dict) or iso2 not in countries.by_iso2:
            raise fail(states, f"state_forces.countries: {iso2!r} is not an ISO2 code of "
                       "geo/data/countries.csv (write it in capitals: SD, IL)")
        unknown = set(entry) - COUNTRY_KEYS - {"__line__"}
        if unknown:
            raise fail(entry, f"{iso2}: unknown key(s) {sorted(unknown)}; "
                       f"known: {sorted(COUNTRY_KEYS)}")

    generic = [a for a in states.get("context_aliases") or ()]
    for country in countries.all:
        entry = overrides.get(country.iso2) or {}
        actor_id = f"{country.iso2.lower()}-state-forces"
        aliases = _alias_list(entry, "aliases", fail)
        actor = WorldActor(id=actor_id, name=entry.get("name") or f"{country.name} state forces",
                           kind="state", country=country.iso2,
                           aliases=tuple(a["alias"] for a in aliases),
                           note=entry.get("note"), generated=True)
        cat.actors.append(actor)
        cat.state_ids[country.iso2] = actor_id
        given = [{"alias": entry["name"]}] if entry.get("name") else []
        for alias in [*given, *aliases]:
            _add_rule(cat, actor_id, alias, None, fail, entry)
        for alias in _alias_list(entry, "context_aliases", fail):
            _add_rule(cat, actor_id, alias, frozenset(alias.get("in") or [country.iso2]),
                      fail, entry)
        if "nouns" in entry:
            cat.only_nouns[country.iso2] = frozenset(fold_key(n) for n in entry["nouns"] or ())
        if "context_aliases" in entry and not entry["context_aliases"]:
            cat.no_state_context.add(country.iso2)
    for alias in generic:
        _add_rule(cat, None, {"alias": alias}, frozenset(), fail, states)

    ids = set(cat.state_ids.values())
    named: list[tuple[dict[str, Any], WorldActor]] = []
    for entry in data["actors"]:
        if not isinstance(entry, dict):
            raise InputError(source, "each entry of 'actors' must be a mapping")
        unknown = set(entry) - ACTOR_KEYS - {"__line__"}
        if unknown:
            raise fail(entry, f"unknown key(s) {sorted(unknown)}; known: {sorted(ACTOR_KEYS)}")
        for key in ("id", "name", "kind"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise fail(entry, f"each actor needs a '{key}'")
        actor_id = entry["id"]
        if not _ID.match(actor_id):
            raise fail(entry, f"id {actor_id!r}: use lower-case letters, digits and hyphens")
        if actor_id in ids:
            raise fail(entry, f"id {actor_id!r} is used twice")
        ids.add(actor_id)
        if entry["kind"] not in KINDS:
            raise fail(entry, f"{actor_id}: kind {entry['kind']!r} is not one of {KINDS}")
        home = entry.get("country")
        if home is not None and home not in countries.by_iso2:
            raise fail(entry, f"{actor_id}: country {home!r} is not an ISO2 code")
        aliases = _alias_list(entry, "aliases", fail)
        actor = WorldActor(id=actor_id, name=entry["name"], kind=entry["kind"], country=home,
                           parent=entry.get("parent"),
                           aliases=tuple(a["alias"] for a in aliases), note=entry.get("note"),
                           backed_by=tuple(entry.get("backed_by") or ()))
        named.append((entry, actor))
        # The name is a spelling too, without a parenthesis: "National Liberation Army
        # (Colombia)" is written "National Liberation Army".
        spoken = re.sub(r"\s*\([^)]*\)", "", actor.name)
        for alias in [{"alias": spoken}, *aliases]:
            _add_rule(cat, actor_id, alias, None, fail, entry)
        for alias in _alias_list(entry, "context_aliases", fail):
            where = alias.get("in") or ([home] if home else None)
            if not where:
                raise fail(entry, f"{actor_id}: context alias {alias['alias']!r} needs "
                           "'in: [ISO2, ...]' (the actor has no country)")
            if any(code not in countries.by_iso2 for code in where):
                raise fail(entry, f"{actor_id}: context alias {alias['alias']!r}: 'in' "
                           f"holds {where!r}; give ISO2 codes in capitals")
            _add_rule(cat, actor_id, alias, frozenset(where), fail, entry)
    for entry, actor in named:
        for ref in (actor.parent, *actor.backed_by):
            if ref is not None and ref not in ids:
                raise fail(entry, f"{actor.id}: {ref!r} is no actor id (state forces are "
                           "'<iso2>-state-forces', e.g. ru-state-forces)")
        cat.actors.append(actor)
    parents = {a.id: a.parent for a in cat.actors}
    for entry, actor in named:
        seen, current = {actor.id}, actor.parent
        while current:
            if current in seen:
                raise fail(entry, f"{actor.id}: its parents loop back to {current!r}")
            seen.add(current)
            current = parents.get(current)
    return cat


def _needs_exact(word: str) -> bool:
    """Short acronyms and mixed-case ones match only as written: "IS" is not "is", "LeT"
    not "let"; "ISIS" or "FARC" may be written "Isis", "Farc"."""
    capitals = sum(c.isupper() for c in word)
    if capitals < 2:
        return False
    letters = sum(c.isalpha() for c in word)
    return letters <= 3 or any(c.islower() for c in word[1:])


def _alias_list(entry: dict[str, Any], key: str, fail: Any) -> list[dict[str, Any]]:
    raw = entry.get(key) or []
    if not isinstance(raw, list):
        raise fail(entry, f"'{key}' must be a list")
    aliases = []
    for item in raw:
        alias = {"alias": item} if isinstance(item, str) else item
        if not isinstance(alias, dict) or not isinstance(alias.get("alias"), str):
            raise fail(entry, f"'{key}': {item!r} must be text or a mapping with 'alias'")
        unknown = set(alias) - ALIAS_KEYS - {"__line__"}
        if unknown:
            raise fail(alias, f"alias {alias['alias']!r}: unknown key(s) {sorted(unknown)}; "
                       f"known: {sorted(ALIAS_KEYS)}")
        aliases.append(alias)
    return aliases


def _add_rule(cat: Catalogue, actor_id: str | None, alias: dict[str, Any],
              context: frozenset[str] | None, fail: Any, entry: dict[str, Any]) -> None:

    text = alias["alias"].strip()
    if not text or not _ALLOWED.match(text) or not fold_key(text):
        raise fail(alias if "__line__" in alias else entry,
                   f"alias {alias['alias']!r}: use letters, digits, spaces, hyphens, "
                   "apostrophes and dots only")
    words = exact_words(text)
    exact = tuple(_needs_exact(w) for w in words)
    if alias.get("exact"):
        exact = tuple(True for _ in words)

    def folded(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in alias.get(key) or ())

    rule = AliasRule(actor_id, text, words, exact, bool(alias.get("ambiguous")),
                     folded("reject_prev"), folded("reject_next"), folded("require_prev"),
                     context)
    variants = [text]
    stripped = _ARTICLE.sub("", text)  # "al-Shabaab" is also "Shabaab"
    if stripped != text and len(fold_key(stripped)) > 3:
        variants.append(stripped)
    ascii_form = _ascii(text)
    variants += [ascii_form] if ascii_form != text else []
    for variant in variants:
        key = fold_key(variant)
        if variant != text:
            words = exact_words(variant)
            rule = AliasRule(actor_id, variant, words, tuple(_needs_exact(w) for w in words)
                             if not alias.get("exact") else tuple(True for _ in words),
                             rule.ambiguous, rule.reject_prev, rule.reject_next,
                             rule.require_prev, context)
        bucket = cat.rules_by_key.setdefault(key, [])
        if rule not in bucket:
            bucket.append(rule)
        cat.rules.append(variant)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
