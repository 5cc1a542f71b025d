"""The world gazetteer: countries by name, alias and demonym; admin1 units of every
country; towns of conflicts outside Syria, Ukraine and Yemen at their GeoNames places."""

from __future__ import annotations

from pathlib import Path

import pytest

from trucewatch.errors import InputError
from trucewatch.geo.countries import (
    countries,
    country_by_demonym,
    country_by_iso2,
    country_mentions,
    find_country,
    read_countries,
)
from trucewatch.geo.zones import km_between


@pytest.mark.parametrize(
    ("name", "iso2"),
    [
        ("DRC", "CD"), ("DR Congo", "CD"), ("Democratic Republic of Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"), ("Congo-Kinshasa", "CD"),
        ("Congo-Brazzaville", "CG"), ("Republic of Congo", "CG"), ("Burma", "MM"),
        ("Myanmar", "MM"), ("Ivory Coast", "CI"), ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"), ("Palestinian territories", "PS"), ("Palestine", "PS"),
        ("South Sudan", "SS"), ("Sudan", "SD"), ("Central African Republic", "CF"),
        ("CAR", "CF"), ("Türkiye", "TR"), ("Turkey", "TR"), ("Syrian Arab Republic", "SY"),
        ("the United States", "US"), ("U.S.", "US"), ("UK", "GB"), ("Russian Federation", "RU"),
        ("Niger", "NE"), ("Nigeria", "NG"), ("Georgia", "GE"), ("Jordan", "JO"),
        ("Eswatini", "SZ"), ("Swaziland", "SZ"), ("SY", "SY"), ("SDN", "SD"),
    ],
)
def test_countries_by_name_alias_and_code(name: str, iso2: str):
    country = find_country(name)
    assert country is not None and country.iso2 == iso2


def test_unknown_or_lowercase_code_is_not_a_country():
    assert find_country("Atlantis") is None
    assert find_country("sy") is None  # a code only in capitals; "sy" is no name
    assert find_country("") is None


@pytest.mark.parametrize(
    ("word", "iso2"),
    [
        ("Sudanese", "SD"), ("South Sudanese", "SS"), ("Congolese", "CD"), ("Malian", "ML"),
        ("Burkinabe", "BF"), ("Burkinabè", "BF"), ("Nigerian", "NG"), ("Nigerien", "NE"),
        ("Somali", "SO"), ("Ethiopian", "ET"), ("Eritrean", "ER"), ("Libyan", "LY"),
        ("Yemeni", "YE"), ("Syrian", "SY"), ("Iraqi", "IQ"), ("Israeli", "IL"),
        ("Palestinian", "PS"), ("Lebanese", "LB"), ("Ukrainian", "UA"), ("Russian", "RU"),
        ("Armenian", "AM"), ("Azerbaijani", "AZ"), ("Azeri", "AZ"), ("Indian", "IN"),
        ("Pakistani", "PK"), ("Afghan", "AF"), ("Burmese", "MM"), ("Myanmar", "MM"),
        ("Filipino", "PH"), ("Philippine", "PH"), ("Colombian", "CO"), ("Israelis", "IL"),
        ("Afghans", "AF"), ("Chadian", "TD"), ("Central African", "CF"), ("Ivorian", "CI"),
        ("Georgian", "GE"), ("Jordanian", "JO"), ("North Korean", "KP"),
    ],
)
def test_demonyms(word: str, iso2: str):
    country = country_by_demonym(word)
    assert country is not None and country.iso2 == iso2


def test_every_country_has_a_point_and_almost_all_a_demonym():
    every = countries().all
    assert len(every) >= 245
    assert all(c.lat is not None and c.lon is not None for c in every
               if c.iso2 not in {"AN", "CS"})  # two retired codes GeoNames still lists
    with_demonym = [c for c in every if c.demonyms]
    assert len(with_demonym) >= 200
    # No demonym is claimed by two countries: each word names one.
    seen: dict[str, str] = {}
    for country in every:
        for word in country.demonyms:
            assert seen.setdefault(word, country.iso2) == country.iso2, word


@pytest.mark.parametrize(
    ("iso2", "lat", "lon", "km"),
    [  # the point is a town near where the people live, inside the country
        ("SY", 35.0, 38.0, 250), ("SD", 15.0, 31.0, 400), ("CD", -3.0, 23.0, 700),
        ("UA", 49.0, 32.0, 400), ("FJ", -17.7, 178.0, 200), ("RU", 56.0, 50.0, 900),
    ],
)
def test_country_points_lie_inside(iso2: str, lat: float, lon: float, km: float):
    country = country_by_iso2(iso2)
    assert country is not None and country.lat is not None and country.lon is not None
    assert km_between(country.lat, country.lon, lat, lon) < km


def test_country_mentions_longest_first_and_capitalised_only():
    text = ("South Sudanese troops crossed into Sudan's Blue Nile state while Sudanese "
            "and pro-Russian forces met; the DRC, Congo-Brazzaville and Papua New Guinea "
            "were not involved, nor was sudan in lower case, nor the Indian Ocean.")
    found = [(text[s:e], c.iso2, kind) for s, e, c, kind in country_mentions(text)]
    assert found == [
        ("South Sudanese", "SS", "demonym"), ("Sudan", "SD", "name"),
        ("Sudanese", "SD", "demonym"), ("Russian", "RU", "demonym"), ("DRC", "CD", "name"),
        ("Congo-Brazzaville", "CG", "name"), ("Papua New Guinea", "PG", "name"),
    ]


def test_country_mentions_do_not_split_words():
    text = "Malians and Maliki, Chadwick, Omanis; Georgiana"
    found = [(text[s:e], c.iso2, kind) for s, e, c, kind in country_mentions(text)]
    assert found == [("Malians", "ML", "demonym"), ("Omanis", "OM", "demonym")]


def test_bad_country_tables_name_the_line(tmp_path: Path):
    words = tmp_path / "words.csv"
    words.write_text("iso2,aliases,demonyms,lat,lon\nSY,,Syrian,,\n", encoding="utf-8")
    table = tmp_path / "countries.csv"
    table.write_text("iso2,iso3,name,lat,lon\nSY,SYR,Syria,35,north\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"countries.csv:2: lat, lon"):
        read_countries(table, words)
    table.write_text("iso2,iso3,name,lat\nSY,SYR,Syria,35\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"countries.csv:1: missing columns: lon"):
        read_countries(table, words)
