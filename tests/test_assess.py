"""The verdict engine on every branch, against the toy scenario of conftest."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from trucewatch.assess import assess
from trucewatch.model import (
    Casualties,
    DatePrecision,
    EventType,
    Incident,
    Place,
    Scenario,
    VerdictKind,
)


def incident(
    lon: float = 0.5, lat: float = 0.5, day: date | None = date(2020, 2, 1), *,
    kind: EventType = EventType.AIR_STRIKE, by: str | None = "gov", target: str | None = None,
    precision: int = 1, day_part: str | None = None,
    date_precision: DatePrecision = DatePrecision.DAY,
) -> Incident:
    return Incident(
        event_type=kind, event_date=day,
        location=Place("Town", lat=lat, lon=lon, geo_precision=precision),
        perpetrator_actor=by, target_actor=target, day_part=day_part,
        date_precision=date_precision, killed=Casualties.exact(2),
    )


def test_bound_party_striking_inside_a_zone_in_force_is_a_violation(toy_scenario: Scenario):
    verdict = assess(incident(), toy_scenario)
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.zones == ("west",)
    assert verdict.agreements == ("truce",)
    text = " ".join(verdict.reasons)
    assert "Town lies in the West zone (agreed boundary valid from 2020-01-01)" in text
    assert "The truce was in force on 2020-02-01" in text
    assert "prohibits air/drone strike" in text
    assert "Government forces are bound by it" in text


def test_unknown_date_is_undetermined(toy_scenario: Scenario):
    verdict = assess(incident(day=None), toy_scenario)
    assert verdict.kind is VerdictKind.UNDETERMINED
    assert "date of the incident is unknown" in verdict.reasons[0]


def test_place_without_coordinates_is_undetermined(toy_scenario: Scenario):
    unplaced = replace(incident(), location=Place("Nowhere"))
    verdict = assess(unplaced, toy_scenario)
    assert verdict.kind is VerdictKind.UNDETERMINED
    assert "Could not locate 'Nowhere'" in verdict.reasons[0]


def test_outside_every_zone(toy_scenario: Scenario):
    verdict = assess(incident(lon=10.0, lat=10.0), toy_scenario)
    assert verdict.kind is VerdictKind.OUTSIDE_ZONES
    assert "outside every zone" in verdict.reasons[0]


def test_before_the_zone_existed_is_not_a_violation(toy_scenario: Scenario):
    verdict = assess(incident(day=date(2019, 12, 1)), toy_scenario)
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "predates that boundary" in verdict.reasons[0]


def test_boundary_version_is_chosen_by_date(toy_scenario: Scenario):
    # (3.5, 0.5) lies only inside the east zone's agreed boundary of 2020-03-01.
    before = assess(incident(lon=3.5, day=date(2020, 2, 20)), toy_scenario)
    after = assess(incident(lon=3.5, day=date(2020, 3, 2)), toy_scenario)
    assert before.kind is VerdictKind.NOT_VIOLATION  # predates the larger boundary
    assert after.kind is VerdictKind.VIOLATION
    assert "agreed boundary valid from 2020-03-01" in after.reasons[0]


def test_draft_boundary_still_counts_and_says_so(toy_scenario: Scenario):
    verdict = assess(incident(lon=2.5), toy_scenario)
    assert verdict.kind is VerdictKind.VIOLATION
    assert "draft boundary valid from 2020-01-01, approximate" in verdict.reasons[0]


def test_attack_on_excluded_group_is_not_a_violation(toy_scenario: Scenario):
    verdict = assess(incident(target="jihadists"), toy_scenario)
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "The target, Jihadist front, is excluded from The truce" in " ".join(verdict.reasons)


def test_excluded_perpetrator_is_not_a_party(toy_scenario: Scenario):
    verdict = assess(incident(kind=EventType.ARMED_CLASH, by="jihadists"), toy_scenario)
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "Jihadist front is not a party to The truce" in " ".join(verdict.reasons)


def test_actor_not_bound_is_not_a_violation(toy_scenario: Scenario):
    verdict = assess(incident(by="outsider"), toy_scenario)
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "Outside coalition is not bound by The truce" in " ".join(verdict.reasons)


def test_act_not_prohibited_is_not_a_violation(toy_scenario: Scenario):
    # A truce that prohibits shelling only.
    narrow = replace(toy_scenario, agreements=(
        replace(toy_scenario.agreements[0], prohibited=frozenset({EventType.SHELLING})),
    ))
    verdict = assess(incident(), narrow)
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "does not prohibit air/drone strike" in " ".join(verdict.reasons)


def test_air_strike_by_unnamed_aircraft_is_probable_when_only_bound_parties_fly(
    toy_scenario: Scenario,
):
    verdict = assess(incident(by=None), toy_scenario)
    assert verdict.kind is VerdictKind.PROBABLE_VIOLATION
    assert "only Government forces and Allied air force fly aircraft" in " ".join(verdict.reasons)


def test_air_strike_by_unnamed_aircraft_is_undetermined_when_an_unbound_party_flies(
    toy_scenario: Scenario,
):
    actors = dict(toy_scenario.actors)
    actors["outsider"] = replace(actors["outsider"], flies_aircraft=True)
    verdict = assess(incident(by=None), replace(toy_scenario, actors=actors))
    assert verdict.kind is VerdictKind.UNDETERMINED
    assert "Outside coalition is not" in " ".join(verdict.reasons)


def test_unknown_perpetrator_on_the_ground_is_undetermined(toy_scenario: Scenario):
    verdict = assess(incident(kind=EventType.SHELLING, by=None), toy_scenario)
    assert verdict.kind is VerdictKind.UNDETERMINED
    assert "The report does not say who carried it out" in " ".join(verdict.reasons)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 2, 12), VerdictKind.VIOLATION),  # last day of the halt
        (date(2020, 2, 13), VerdictKind.NOT_VIOLATION),  # the halt ended at midnight
    ],
)
def test_declaration_expires_at_midnight(toy_scenario: Scenario, day: date, expected: VerdictKind):
    # The truce does not prohibit shelling here, so only the halt can be broken.
    only_halt = replace(toy_scenario, agreements=(
        replace(toy_scenario.agreements[0], prohibited=frozenset({EventType.AIR_STRIKE})),
    ))
    verdict = assess(incident(lon=2.5, day=day, kind=EventType.SHELLING), only_halt)
    assert verdict.kind is expected
    if expected is VerdictKind.VIOLATION:
        assert verdict.agreements == ("halt",)


@pytest.mark.parametrize(
    ("day_part", "expected"),
    [
        ("evening", VerdictKind.VIOLATION),  # after the noon start
        ("morning", VerdictKind.NOT_VIOLATION),  # before it
        (None, VerdictKind.UNDETERMINED),  # hour unknown on the day it began
    ],
)
def test_declaration_starting_at_noon_depends_on_the_hour(
    toy_scenario: Scenario, day_part: str | None, expected: VerdictKind,
):
    only_halt = replace(toy_scenario, agreements=(
        replace(toy_scenario.agreements[0], prohibited=frozenset({EventType.AIR_STRIKE})),
    ))
    verdict = assess(
        incident(lon=2.5, day=date(2020, 2, 10), kind=EventType.SHELLING, day_part=day_part),
        only_halt,
    )
    assert verdict.kind is expected


def test_coarse_place_straddling_a_boundary_is_undetermined(toy_scenario: Scenario):
    # A governorate-level place (40 km radius) centred on the west zone's edge.
    verdict = assess(incident(lon=1.0, lat=0.5, precision=3), toy_scenario)
    assert verdict.kind is VerdictKind.UNDETERMINED
    assert "known only to within about 40 km" in verdict.reasons[0]


def test_coarse_place_well_inside_a_zone_is_judged(toy_scenario: Scenario):
    verdict = assess(incident(lon=0.5, lat=0.5, precision=2), toy_scenario)
    assert verdict.kind is VerdictKind.VIOLATION


def test_point_near_the_edge_of_a_disputed_boundary_is_probable(toy_scenario: Scenario):
    near_edge = assess(incident(lon=0.95, lat=5.5), toy_scenario)
    deep_inside = assess(incident(lon=0.5, lat=5.5), toy_scenario)
    assert near_edge.kind is VerdictKind.PROBABLE_VIOLATION
    assert "disputed" in near_edge.reasons[-1]
    assert deep_inside.kind is VerdictKind.VIOLATION


def test_agreement_that_ended_leaves_it_undetermined(toy_scenario: Scenario):
    ended = replace(toy_scenario, agreements=(
        replace(toy_scenario.agreements[0], end=datetime(2020, 1, 20)),
    ), declarations=())
    verdict = assess(incident(), ended)
    assert verdict.kind is VerdictKind.UNDETERMINED
    assert "check whether it was extended" in verdict.reasons[-1]


def test_date_known_only_to_the_month_makes_it_probable(toy_scenario: Scenario):
    verdict = assess(incident(date_precision=DatePrecision.MONTH), toy_scenario)
    assert verdict.kind is VerdictKind.PROBABLE_VIOLATION
    assert "known only to the month" in verdict.reasons[-1]


def test_moving_an_incident_outside_every_zone_never_makes_it_a_violation(
    toy_scenario: Scenario,
):
    for lon in (-5.0, 1.5, 5.0, 20.0):
        verdict = assess(incident(lon=lon, lat=-3.0), toy_scenario)
        assert verdict.kind is VerdictKind.OUTSIDE_ZONES


def test_aircraft_that_fly_only_over_other_zones_do_not_blur_the_attribution(
    toy_scenario: Scenario,
):
    actors = dict(toy_scenario.actors)
    actors["outsider"] = replace(actors["outsider"], flies_aircraft=True, flies_over=("east",))
    scenario = replace(toy_scenario, actors=actors)
    west = assess(incident(by=None), scenario)
    east = assess(incident(lon=2.5, by=None), scenario)
    assert west.kind is VerdictKind.PROBABLE_VIOLATION
    assert east.kind is VerdictKind.UNDETERMINED


def test_bulk_assessment_gives_the_same_verdicts_as_one_by_one(toy_scenario: Scenario):
    from trucewatch.assess import assess_many

    cases = [
        incident(), incident(lon=2.5), incident(lon=3.5, day=date(2020, 2, 20)),
        incident(lon=3.5, day=date(2020, 3, 2)), incident(lon=10.0, lat=10.0),
        incident(day=date(2019, 12, 1)), incident(lon=1.0, precision=3),
        incident(lon=0.95, lat=5.5), incident(by=None), incident(day=None),
        incident(lon=2.5, day=date(2020, 2, 10), kind=EventType.SHELLING, day_part="evening"),
        incident(lon=1.0, lat=0.5),  # exactly on the west zone's edge: covered
    ]
    assert assess_many(cases, toy_scenario) == [assess(c, toy_scenario) for c in cases]
