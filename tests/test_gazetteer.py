"""The gazetteer: spellings fold together, the right candidate wins, bad files name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from trucewatch.errors import InputError
from trucewatch.geo.gazetteer import Gazetteer, fold


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Duma", "Douma"), ("Doumah", "Douma"), ("Deraa", "Daraa"), ("Dar'a", "Daraa"),
        ("Dara’a", "Daraa"), ("Suwayda", "Sweida"), ("As-Suwayda", "Sweida"), ("Idleb", "Idlib"),
        ("Ma'arrat an-Nu'man", "Maarat al-Numan"), ("Maaret al-Noaman", "Maarat al-Numan"),
        ("Kafranbel", "Kafr Nubl"), ("Khan Shaykhun", "Khan Sheikhoun"), ("Arbeen", "Arbin"),
        ("al-Rastan", "Rastan"), ("Jisr ash-Shughur", "Jisr al-Shughur"), ("Lugansk", "Luhansk"),
        ("Sa'dah", "Saada"),
    ],
)
def test_spelling_variants_resolve(gazetteer: Gazetteer, spelling: str, name: str):
    place = gazetteer.resolve(spelling)
    assert place is not None and place.name == name


def test_folding_ignores_case_marks_articles_and_doubled_letters():
    assert fold("Ma'arrat an-Nu'man") == fold("maarat al numan")
    assert fold("Hammouriyeh") == fold("Hamouriyeh")


def test_town_wins_over_governorate_unless_the_text_says_province(gazetteer: Gazetteer):
    town = gazetteer.resolve("Daraa")
    province = gazetteer.resolve("Daraa province")
    assert town is not None and town.geo_precision == 1
    assert province is not None and province.geo_precision == 3


def test_unknown_name_is_none_never_a_far_match(gazetteer: Gazetteer):
    assert gazetteer.resolve("Atlantis") is None
    assert gazetteer.find("Dumas") == []


def test_mentions_in_text_with_offsets(gazetteer: Gazetteer):
    text = "Strikes hit al-Rastan and Talbiseh in the northern Homs countryside."
    found = [(text[s:e], p.name) for s, e, p in gazetteer.find_mentions(text)]
    assert found == [("al-Rastan", "Rastan"), ("Talbiseh", "Talbiseh"),
                     ("northern Homs countryside", "northern Homs countryside")]


def test_english_words_are_not_places(gazetteer: Gazetteer):
    assert gazetteer.find_mentions("the bab of the sham market at nawa") == []


def test_bad_places_csv_names_the_line(tmp_path: Path):
    path = tmp_path / "places.csv"
    path.write_text("name,variants,lat,lon,admin1,admin2,country,iso2,feature,population,"
                    "geonames_id\nA,,1,2,X,,Y,YY,town,,\nB,,north,2,X,,Y,YY,town,,\n")
    with pytest.raises(InputError, match=r"places.csv:3: lat and lon must be numbers"):
        Gazetteer.from_csv(path)


def test_places_csv_out_of_range(tmp_path: Path):
    path = tmp_path / "places.csv"
    path.write_text("name,lat,lon,country,feature\nA,95,2,Y,town\n")
    with pytest.raises(InputError, match=r"places.csv:2: coordinates out of range"):
        Gazetteer.from_csv(path)
