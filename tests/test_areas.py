"""Countries' and admin-1 units' outlines by reference (geo/areas.py): every shipped
outline is valid, known places fall in the right ones, and unknown names say what is near."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from trucewatch.errors import NotFoundError
from trucewatch.geo import areas
from trucewatch.geo.areas import admin1_names, admin1_outline, country_outline, outlines


@pytest.mark.slow  # reads and validates every shipped outline
def test_every_shipped_outline_is_valid_and_none_is_lost() -> None:
    shipped = outlines()
    assert len(shipped.countries) >= 250
    shipped.read_units()
    invalid = [c.name for c in shipped.countries.values()
               if c.outline.geometry.is_empty or not c.outline.geometry.is_valid]
    units = {id(o): (c.name, o) for c in shipped.countries.values() for o in c.units.values()}
    invalid += [f"{name}: {o.name}" for name, o in units.values()
                if o.geometry.is_empty or not o.geometry.is_valid]
    assert invalid == []
    assert len(units) > 4500
    # Tiny states survive simplification (the Vatican is one quantized point at 1:10m).
    assert country_outline("Vatican").contains(Point(12.4534, 41.9029))
    assert country_outline("Monaco").area > 0
    # Two units whose folded names meet ('Shanxi', 'Shaanxi') keep their own outlines.
    assert not admin1_outline("China", "Shanxi").equals(admin1_outline("China", "Shaanxi"))


@pytest.mark.parametrize(("country", "unit", "lon", "lat"), [
    ("UA", "Donetsk", 37.80, 48.00),  # Donetsk city
    ("Ukraine", "Donets'k Oblast", 37.80, 48.00),
    ("YEM", "Hodeidah", 42.95, 14.80),  # Hodeidah, Natural Earth's 'Al Hudaydah'
    ("Yemen", "Al Hudaydah", 42.95, 14.80),
    ("South Sudan", "Central Equatoria", 31.58, 4.85),  # Juba
    ("azerbaijan", "Khankendi", 46.75, 39.82),  # Khankendi: Natural Earth keeps the city a unit
    ("India", "Jammu and Kashmir", 74.80, 34.08),  # Srinagar
    ("Palestine", "Gaza", 34.46, 31.52),  # Gaza City
    ("Syria", "Rif Dimashq", 36.41, 33.57),  # Douma
])
def test_known_places_fall_in_their_country_and_unit(country: str, unit: str, lon: float,
                                                     lat: float) -> None:
    point = Point(lon, lat)
    assert country_outline(country).contains(point)
    assert admin1_outline(country, unit).contains(point)


def test_places_fall_outside_the_neighbours() -> None:
    assert not country_outline("Russia").contains(Point(37.80, 48.00))  # Donetsk
    assert not country_outline("Armenia").contains(Point(46.75, 39.82))  # Stepanakert
    assert not country_outline("Pakistan").contains(Point(74.80, 34.08))  # Srinagar
    assert not country_outline("Israel").contains(Point(34.46, 31.52))  # Gaza City
    assert not admin1_outline("UA", "Luhansk").contains(Point(37.80, 48.00))


@pytest.mark.parametrize(("asked", "name"), [
    ("UA", "Ukraine"), ("ukr", "Ukraine"), ("UKRAINE", "Ukraine"), ("SS", "S. Sudan"),
    ("ssd", "S. Sudan"), ("Burma", "Myanmar"), ("Ivory Coast", "Côte d'Ivoire"),
    ("DRC", "Dem. Rep. Congo"), ("Türkiye", "Turkey"), ("Palestinian territories", "Palestine"),
    ("Northern Cyprus", "N. Cyprus"), ("Somaliland", "Somaliland"), ("Kosovo", "Kosovo"),
    ("Western Sahara", "W. Sahara"),
])
def test_countries_by_code_name_and_alias(asked: str, name: str) -> None:
    assert outlines().country(asked).name == name


def test_unknown_names_say_what_was_asked_and_what_is_close() -> None:
    with pytest.raises(NotFoundError, match=r"'Ukrane'.*closest: Ukraine"):
        country_outline("Ukrane")
    with pytest.raises(NotFoundError, match=r"'Narnia'"):
        country_outline("Narnia")
    with pytest.raises(NotFoundError, match=r"'Luhanks' in Ukraine; closest: Luhans'k"):
        admin1_outline("Ukraine", "Luhanks")
    with pytest.raises(NotFoundError, match=r"'Atlantis'"):
        admin1_outline("Atlantis", "Donetsk")


def test_nothing_is_read_at_import_and_outlines_are_built_once() -> None:
    outlines.cache_clear()
    assert outlines.cache_info().currsize == 0
    first = country_outline("Yemen")
    assert country_outline("YE") is first and outlines.cache_info().currsize == 1
    assert not outlines()._units_read  # a country alone does not read the admin-1 file
    assert "Al Hudaydah" in admin1_names("Yemen")
    assert areas.ADMIN0.stat().st_size + areas.ADMIN1.stat().st_size < 10_000_000
