"""A coastal place known only to within some km: the sea part of its area of uncertainty
does not put it outside a zone drawn from a country's or an admin-1 unit's outline."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from trucewatch.geo import areas
from trucewatch.geo.zones import Relation, place_area, relate
from trucewatch.model import Place

MARIUPOL = (47.0958, 37.5494)
HODEIDAH = (14.7978, 42.9545)
ADEN = (12.7855, 45.0187)


def place(name: str, at: tuple[float, float], precision: int) -> Place:
    return Place(name, lat=at[0], lon=at[1], geo_precision=precision)


@pytest.mark.parametrize(("name", "at", "country", "admin1", "precision"), [
    ("Mariupol", MARIUPOL, "UA", "Donetsk", 2),
    ("Hodeidah", HODEIDAH, "YE", "Al Hudaydah", 2),
    ("Hodeidah", HODEIDAH, "YE", "Al Hudaydah", 3),
    ("Aden", ADEN, "YE", None, 3),
    ("Mariupol", MARIUPOL, "UA", None, 3),
])
def test_a_coastal_town_known_to_some_km_lies_inside_the_outline(
        name: str, at: tuple[float, float], country: str, admin1: str | None,
        precision: int) -> None:
    outline = (areas.admin1_outline(country, admin1) if admin1
               else areas.country_outline(country))
    coarse = place(name, at, precision)
    assert not outline.contains(place_area(coarse))  # the circle reaches out to sea
    assert relate(place(name, at, precision), outline) is Relation.INSIDE


def test_land_across_the_boundary_still_straddles() -> None:
    # 40 km around Aden reaches into Lahij governorate: land outside the Aden unit.
    assert relate(place("Aden", ADEN, 3), areas.admin1_outline("YE", "Aden")) \
        is Relation.STRADDLES
    # A zone cut through Mariupol's land: the western half of the town's area is outside.
    half = box(MARIUPOL[1], 46.0, 39.0, 48.0)
    assert relate(place("Mariupol", MARIUPOL, 2), half) is Relation.STRADDLES


def test_an_area_out_at_sea_is_judged_by_the_drawing_alone() -> None:
    # No land within 40 km of this point in the Gulf of Guinea: the sea counts there.
    at_sea = place("Buoy", (0.5, 0.5), 3)
    assert relate(at_sea, box(0.0, 0.0, 0.6, 1.0)) is Relation.STRADDLES
    assert relate(at_sea, box(-1.0, -1.0, 2.0, 2.0)) is Relation.INSIDE
