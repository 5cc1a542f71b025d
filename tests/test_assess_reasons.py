"""Reasons stay short under a scenario with many periods and earlier agreements
(donbas-minsk): the period in force is named, not all fifteen; agreements that ended
long before are named with their end date only."""

from __future__ import annotations

from datetime import date

import pytest

from trucewatch.assess import assess
from trucewatch.model import EventType, Incident, Place, Scenario, VerdictKind
from trucewatch.scenario import load_scenario


@pytest.fixture(scope="module")
def donbas() -> Scenario:
    return load_scenario("donbas-minsk")


def shelling(day: date) -> Incident:
    return Incident(event_type=EventType.SHELLING, event_date=day,
                    location=Place("Avdiivka", lat=48.14, lon=37.75, geo_precision=1),
                    perpetrator_actor="dpr-forces")


def test_the_period_in_force_is_named_not_every_recommitment(donbas: Scenario) -> None:
    verdict = assess(shelling(date(2018, 3, 20)), donbas)
    assert verdict.kind is VerdictKind.VIOLATION
    text = " ".join(verdict.reasons)
    assert "resumed from 2018-03-05 00:00 until 2018-03-30 00:00" in text
    assert "15 periods in all" in text
    assert "2016-12-24" not in text  # another recommitment's date
    # earlier agreements: name and end date, not their sources
    assert "Minsk Protocol (superseded 2015-02-15)" in text
    assert "point 1" not in text
    assert len(verdict.reasons) <= 6
    assert max(len(r) for r in verdict.reasons[1:]) < 450  # was 700, all periods listed


def test_an_agreement_superseded_behind_a_violation_is_named_briefly(donbas: Scenario) -> None:
    # After 27 July 2020 the recommitments were superseded by the additional measures:
    # a violation of those; the recommitments named briefly.
    verdict = assess(shelling(date(2020, 8, 10)), donbas)
    text = " ".join(verdict.reasons)
    assert "recommitments to the ceasefire (2015-2020) (superseded 2020-07-27)" in text
