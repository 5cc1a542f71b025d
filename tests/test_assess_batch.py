"""assess_batch judges incidents block by block; each verdict must be assess.assess's for
that incident. Thousands of generated incidents vary every field an incident has, on the
toy scenario (zones that grow, a disputed boundary, a half-day declaration) and on the
shipped Astana scenario."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, timedelta

import pytest

from trucewatch.assess import assess, assess_each, verdict_days
from trucewatch.assess_batch import (
    DAY_MARKER,
    MARKER,
    assess_batch,
    assess_keys,
    json_with_place,
)
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    Casualties,
    Claim,
    DatePrecision,
    Declaration,
    Ending,
    EventType,
    Incident,
    Period,
    Place,
    Scenario,
)
from trucewatch.scenario import load_scenario


def generated(scenario: Scenario, n: int, seed: int, *, lat: tuple[float, float],
              lon: tuple[float, float], start: date, days: int) -> list[Incident]:
    """Incidents over a grid of shared points (so blocks form) and random ones, with
    every field varied, some missing."""
    rng = random.Random(seed)
    towns = [(f"Town {k}", round(rng.uniform(*lat), 3), round(rng.uniform(*lon), 3))
             for k in range(60)]
    actors = [*scenario.actors, "nobody-known", None]
    words = ["the army", "unknown gunmen", "Government forces", None]
    out: list[Incident] = []
    for _ in range(n):
        name, y, x = rng.choice(towns)
        if rng.random() < 0.2:
            y, x = round(rng.uniform(*lat), 4), round(rng.uniform(*lon), 4)
        roll = rng.random()
        place: Place | None
        if roll < 0.03:
            place = None
        elif roll < 0.06:
            place = Place(name)  # no point
        else:
            place = Place(rng.choice([name, f"{name} 'east'", "Douma"]), lat=y, lon=x,
                          geo_precision=rng.choice((1, 1, 1, 2, 3)),
                          country=rng.choice(("Syria", None)))
        out.append(Incident(
            event_type=rng.choice(list(EventType)),
            event_date=(None if rng.random() < 0.02
                        else start + timedelta(days=rng.randrange(days))),
            date_precision=rng.choice([DatePrecision.DAY, DatePrecision.DAY, None,
                                       DatePrecision.WEEK, DatePrecision.MONTH]),
            day_part=rng.choice([None, None, "night", "morning", "afternoon", "evening"]),
            location=place,
            perpetrator_actor=rng.choice(actors),
            perpetrator=rng.choice(words),
            target_actor=rng.choice(actors),
            killed=Casualties(best=rng.choice((None, 0, 2, 12))),
            wounded=Casualties(low=rng.choice((None, 1))),
            sources=rng.sample(["SOHR", "SANA", "AFP"], rng.randint(0, 2)),
            claims=[Claim(event_type=EventType.SHELLING, event_date=start,
                          perpetrator_actor=rng.choice(actors), perpetrator=rng.choice(words),
                          sources=rng.sample(["SOHR", "SANA", "AFP"], 1),
                          notes=rng.choice(NOTES))
                    for _ in range(rng.choice((0, 1, 1, 2)))],
        ))
    return out


# What claims' notes may say: weapons (weapon zones read them), disputed attributions.
NOTES = [None, "", "Shelled with 120mm mortars.", "Tanks and 152 mm artillery fired.",
         "A barrel bomb was dropped.", "Rockets hit the market.",
         f"{CONTESTED_ATTRIBUTION}: the opposition blames Government forces; the army "
         "denies it.", "Heavy machine guns were used."]


def test_toy_scenario_verdicts_are_assess_verdicts(toy_scenario: Scenario):
    incidents = generated(toy_scenario, 3000, seed=1, lat=(-0.5, 6.5), lon=(-0.5, 4.5),
                          start=date(2019, 12, 20), days=90)
    assert assess_batch(incidents, toy_scenario) == [assess(i, toy_scenario)
                                                     for i in incidents]


@pytest.mark.slow  # 3,000 incidents judged both ways; the toy one is fast
def test_astana_verdicts_are_assess_verdicts():
    scenario = load_scenario("astana-2017")
    incidents = generated(scenario, 3000, seed=2, lat=(32.4, 36.6), lon=(35.6, 38.6),
                          start=date(2017, 4, 1), days=240)
    batch = assess_batch(incidents, scenario)
    assert batch == [assess(i, scenario) for i in incidents]
    kinds = {v.kind for v in batch}
    assert len(kinds) >= 4  # the test reached most branches, not only "outside"


def test_blocks_share_verdicts_and_json_puts_the_name_back(toy_scenario: Scenario):
    incidents = generated(toy_scenario, 2000, seed=3, lat=(-0.5, 6.5), lon=(-0.5, 4.5),
                          start=date(2020, 1, 1), days=30)
    blocks, judged = assess_keys(incidents, toy_scenario)
    assert len(blocks) < len(incidents) / 2  # blocks, not one question per incident
    import json
    for incident, (key, name) in zip(incidents, judged, strict=True):
        reasons = json.dumps(list(blocks[key].reasons))
        expected = json.dumps(list(assess(incident, toy_scenario).reasons))
        assert json_with_place(reasons, name, incident.event_date) == expected


@pytest.mark.parametrize("name", ["Kafr Nabl", "Dar'a \"south\"", "دوما", MARKER[:1]])
def test_names_with_quotes_and_scripts_come_back_whole(toy_scenario: Scenario, name: str):
    incident = Incident(event_type=EventType.AIR_STRIKE, event_date=date(2020, 2, 1),
                        location=Place(name, lat=0.5, lon=0.5), perpetrator_actor="gov")
    assert assess_batch([incident], toy_scenario) == [assess(incident, toy_scenario)]


def every_day_incidents(scenario: Scenario) -> list[Incident]:
    """Incidents at a point inside each zone and one far outside, on every day around
    each day of assess.verdict_days (a window or period opening or closing, an end, a
    boundary) and each agreement's deadlines (which no rule reads: their days fall
    inside runs), and every fifth day between, so that days of one run are judged both
    ways far apart and on either side of each edge."""
    edges = sorted(verdict_days(scenario))
    first, last = edges[0] - timedelta(days=400), edges[-1] + timedelta(days=400)
    deadlines = [d.due for a in scenario.agreements for d in a.deadlines]
    near = {edge + timedelta(days=n) for edge in (*edges, *deadlines) for n in range(-2, 3)}
    days = sorted(near | {first + timedelta(days=n)
                          for n in range(0, (last - first).days, 5)})
    points = []
    for zone in scenario.zones.values():
        inner = zone.versions[-1].geometry.representative_point()
        points.append(Place(f"In {zone.name}", lat=inner.y, lon=inner.x))
    points.append(Place("Far away", lat=-60.0, lon=-150.0))
    bound = next(iter(scenario.actors))
    out = []
    for day in days:
        for place in points:
            out.append(Incident(  # a bound party shelled, its claim naming a weapon
                event_type=EventType.SHELLING, event_date=day, location=place,
                perpetrator_actor=bound, perpetrator="them",
                claims=[Claim(EventType.SHELLING, event_date=day, perpetrator_actor=bound,
                              notes="Shelled with 152 mm artillery.")]))
            out.append(Incident(  # an unattributed air strike, in the evening, by month
                event_type=EventType.AIR_STRIKE, event_date=day, location=place,
                day_part="evening", date_precision=DatePrecision.MONTH))
    return out


@pytest.mark.parametrize("name", [
    "donbas-minsk", *(pytest.param(name, marks=pytest.mark.slow) for name in (
        "yemen", "astana-2017", "nagorno-karabakh-2020", "kashmir-loc", "south-sudan",
        "gaza"))])
def test_a_run_of_days_judged_once_is_each_day_judged_alone(name: str):
    """A block holds every day of a run between two of verdict_days: its verdict, with
    each incident's day put back, is the one each day gets alone, on the days a window
    opens or closes, a boundary changes or an agreement ends, and between them."""
    scenario = load_scenario(name)
    incidents = every_day_incidents(scenario)
    blocks, _ = assess_keys(incidents, scenario)
    alone = assess_each(incidents, scenario)
    assert assess_batch(incidents, scenario) == alone
    days = {i.event_date for i in incidents}
    assert len(blocks) < len(incidents) / 4  # runs of days shared a verdict
    assert len({v.kind for v in alone}) >= 3
    # Some verdicts do change from one day to the next (the edges are reached), and a
    # run's days are written as their own.
    assert len({v.reasons for v in alone}) > len(days)
    assert not any(DAY_MARKER in reason for v in alone for reason in v.reasons)
    if name == "donbas-minsk":  # it has deadlines, and runs hold some of them
        deadlines = {d.due for a in scenario.agreements for d in a.deadlines}
        assert deadlines and deadlines - verdict_days(scenario)


def test_verdict_days_hold_each_moment_a_rule_compares(toy_scenario: Scenario):
    """The days a window, a period or a boundary begins or ends; a year after an end
    (an end lately passed is named with its source); halfway between two periods."""
    renewed = Declaration(
        "truce", "Truce", datetime(2020, 1, 1, 12), datetime(2020, 3, 1),
        ("west",), frozenset({EventType.SHELLING}),
        periods=(Period(datetime(2020, 1, 1, 12), datetime(2020, 1, 11), "initial", "A"),
                 Period(datetime(2020, 1, 21), datetime(2020, 3, 1), "resumption", "B")),
        ended=Ending(datetime(2020, 3, 1), "expired", "C"), actor="gov")
    scenario = dataclasses.replace(toy_scenario, agreements=(), declarations=(renewed,))
    days = verdict_days(scenario)
    assert {date(2020, 1, 1), date(2020, 1, 11), date(2020, 1, 21), date(2020, 3, 1),
            date(2020, 1, 16),  # halfway through the gap: the nearest period changes
            date(2021, 3, 1)} <= days  # _LATELY (365 days) after the end
    for zone in scenario.zones.values():
        for version in zone.versions:
            assert version.valid_from in days
            if version.valid_to is not None:
                assert version.valid_to + timedelta(days=1) in days


def test_a_blocks_day_writes_only_as_the_marker():
    """A block's day is compared as the day it is; written f"{day}" it is DAY_MARKER, and
    written any other way it raises rather than put one incident's day in a run's."""
    from trucewatch.assess_batch import _MarkedDay

    day = _MarkedDay(2018, 3, 5)
    assert f"{day}" == str(day) == DAY_MARKER
    assert day == date(2018, 3, 5) and hash(day) == hash(date(2018, 3, 5))
    assert datetime.combine(day, datetime.min.time()) == datetime(2018, 3, 5)
    for written in (lambda: f"{day:%d %B}", day.isoformat, lambda: day.strftime("%Y")):
        with pytest.raises(TypeError, match="can be put back per incident"):
            written()
