"""The world actors' patterns are compiled one place at a time (the words standing there
and after): what they find must be what the whole catalogue's patterns find, in news and
in phrases made of every kind of spelling the catalogue has."""

from __future__ import annotations

from pathlib import Path

import pytest

from trucewatch import world_actors
from trucewatch.world_actors import ActorMention, WorldActors

ARTICLES = sorted((Path(__file__).parent / "fixtures" / "news_corpus" / "articles").glob("*.txt"))


def _phrases(world: WorldActors, every: int) -> list[str]:
    """Each spelling written the ways news writes it, where each branch of the grammar
    would read it: alone, in capitals, hyphenated, without its apostrophes and dots, as a
    possessive before a force noun, a demonym before an attack noun, after "forces of"."""
    cat = world._catalogue
    spellings = [*cat.rules, *cat.country_spellings, *cat.demonym_spellings][::every]
    phrases = []
    for spelling in spellings:
        for form in (spelling, spelling.upper(), spelling.replace(" ", "-"),
                     spelling.replace("'", "").replace(".", ""), spelling.replace("'", "’")):
            phrases.append(f"The {form} said. {form}-held town. {form}'s army jets struck. "
                           f"{form} strikes hit. Armed forces of {form}. Troops of the "
                           f"{form} (2019-). {form}_x {form}ian.")
    phrases += [f"{noun} of Sudan, {noun.upper()} of the Gambia; {noun} {noun} of Mali."
                for noun in cat.force_nouns]
    return phrases


def _found(world: WorldActors, text: str, countries: tuple[str, ...]) -> list[ActorMention]:
    return world.find_all(text, countries, territory=True)


@pytest.fixture
def both(monkeypatch: pytest.MonkeyPatch) -> tuple[WorldActors, WorldActors]:
    """A catalogue that always compiles one place's pattern, and one that compiles the
    whole patterns from the start."""
    monkeypatch.setattr(world_actors, "_BUDGET", 10**12)
    catalogue = WorldActors.default()._catalogue
    by_place, whole = WorldActors(catalogue), WorldActors(catalogue)
    whole._spent = 10**13
    return by_place, whole


# Where a pattern made for one place could go wrong: spellings with apostrophes and dots
# written or left out, hyphens and slashes for spaces, a force noun beginning the phrase,
# a country after "of the", words outside ASCII, a word cut by an underscore.
HARD = [
    "U.S. troops and US-led coalition jets; the U.S.-backed SDF. Ma'arrat al-Nu'man.",
    "N Korea's army, S. Korean troops, Assads forces, Burhan’s forces, Iran's Revolutionary "
    "Guards, the people's republic of China, DPR Peoples Militia, Jamaat Nasr al Islam wal "
    "Muslimin fighters, US Virgin Islands police, USVirgin Islands police.",
    "Jama'at Nusrat al-Islam wal-Muslimin (JNIM) and Jamaat Nusrat al Islam wal Muslimin.",
    "Armed forces of the Democratic Republic of the Congo; FARDC troops; the Forces Armées "
    "de la République Démocratique du Congo; military of Sudan; army/police of Mali.",
    "Sudan’s army, Sudan's military jets, Sudanese army jets, Israeli strikes, Burkina "
    "attacks, Russia's strikes, Ukrainian forces, pro-Russian forces, IS-held town.",
    "Ejército Nacional de Colombia; Forças Armadas de Defesa de Moçambique; Clan Úsuga.",
    "sudan_army, RSF_fighters, al-Shabaab's fighters, Hamas-run ministry, AA and IS.",
]


def test_one_places_patterns_find_what_the_whole_ones_do(both):
    by_place, whole = both
    for text in [*HARD, ARTICLES[0].read_text(encoding="utf-8")]:
        for countries in ((), ("SD", "UA")):
            assert _found(by_place, text, countries) == _found(whole, text, countries), text


@pytest.mark.slow  # every ninth spelling, five ways, in seven phrases: seconds
def test_one_places_patterns_find_what_the_whole_ones_do_everywhere(both):
    by_place, whole = both
    texts = [p.read_text(encoding="utf-8") for p in ARTICLES[::4]]
    texts += _phrases(whole, every=9)
    for text in texts:
        for countries in ((), ("SD", "UA")):
            assert _found(by_place, text, countries) == _found(whole, text, countries), text
    assert set(whole._patterns) == {("named", ""), ("states", "")}


def test_an_article_compiles_a_part_of_the_patterns():
    world = WorldActors(WorldActors.default()._catalogue)
    world.find_all(ARTICLES[0].read_text(encoding="utf-8"))
    assert world._patterns and ("named", "") not in world._patterns
    assert 0 < world._spent < world_actors._BUDGET
