"""assess_batch judges incidents block by block; each verdict must be assess.assess's for
that incident. Thousands of generated incidents vary every field an incident has, on the
toy scenario (zones that grow, a disputed boundary, a half-day declaration) and on the
shipped Astana scenario."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from trucewatch.assess import assess
from trucewatch.assess_batch import MARKER, assess_batch, assess_keys, json_with_place
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    Casualties,
    Claim,
    DatePrecision,
    EventType,
    Incident,
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
        assert json_with_place(reasons, name) == expected


@pytest.mark.parametrize("name", ["Kafr Nabl", "Dar'a \"south\"", "دوما", MARKER[:1]])
def test_names_with_quotes_and_scripts_come_back_whole(toy_scenario: Scenario, name: str):
    incident = Incident(event_type=EventType.AIR_STRIKE, event_date=date(2020, 2, 1),
                        location=Place(name, lat=0.5, lon=0.5), perpetrator_actor="gov")
    assert assess_batch([incident], toy_scenario) == [assess(incident, toy_scenario)]
