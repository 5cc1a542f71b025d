"""The gaza scenario: it validates, its windows follow the truces of 2012-2025 with their
extensions and their ends, and real incidents, told in our own words, get the verdicts a
monitor would give when read through the whole pipeline (extractor, gazetteer,
assessment): fire during a truce window is a violation, the same fire before a truce took
effect or after it ended is not."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from shapely.geometry import Point

from scenario_support import judged_once, reasons
from trucewatch.actors import ActorDictionary
from trucewatch.model import Scenario, VerdictKind
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.scenario import builtin_scenarios, load_scenario, validate_scenario

NAME = "gaza"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(NAME)


@pytest.fixture(scope="module")
def pipeline(scenario: Scenario) -> Pipeline:
    return Pipeline.for_scenario(scenario, default_gazetteer())


def test_shipped_and_valid() -> None:
    assert NAME in builtin_scenarios()
    assert validate_scenario(NAME) == []


def test_windows(scenario: Scenario) -> None:
    by_id = {a.id: a for a in scenario.agreements}
    assert by_id["truce-2012"].start == datetime(2012, 11, 21, 21, 0)
    assert by_id["ceasefire-2014"].start == datetime(2014, 8, 26, 19, 0)
    assert by_id["ceasefire-2021"].start == datetime(2021, 5, 21, 2, 0)
    assert by_id["ceasefire-2022"].start == datetime(2022, 8, 7, 23, 30)
    assert by_id["ceasefire-2023-05"].start == datetime(2023, 5, 13, 22, 0)
    assert by_id["ceasefire-2025-01"].start == datetime(2025, 1, 19, 11, 15)  # not 08:30
    assert by_id["ceasefire-2025-10"].start == datetime(2025, 10, 10, 12, 0)
    assert by_id["ceasefire-2025-10"].end is None
    # The pause of November 2023: four days, then two, then one, then it expired.
    pause = by_id["pause-2023-11"]
    assert [(p.kind, p.start, p.end) for p in pause.periods] == [
        ("initial", datetime(2023, 11, 24, 7), datetime(2023, 11, 28, 7)),
        ("extension", datetime(2023, 11, 28, 7), datetime(2023, 11, 30, 7)),
        ("extension", datetime(2023, 11, 30, 7), datetime(2023, 12, 1, 7)),
    ]
    assert pause.ended is not None and pause.ended.how == "expired"
    assert by_id["ceasefire-2025-01"].ended is not None
    assert by_id["ceasefire-2025-01"].ended.at == datetime(2025, 3, 19)


def test_who_is_bound_by_what(scenario: Scenario) -> None:
    by_id = {a.id: a for a in scenario.agreements}
    # The rounds of 2022 and 2023 were between Israel and Islamic Jihad only.
    for ident in ("ceasefire-2022", "ceasefire-2023-05"):
        assert "hamas" not in by_id[ident].parties and "islamic-jihad" in by_id[ident].parties
    assert scenario.actors["qassam-brigades"].part_of == "hamas"
    assert scenario.actors["al-quds-brigades"].part_of == "islamic-jihad"
    assert "egypt" in by_id["truce-2012"].guarantors
    assert {"united-states", "egypt", "qatar", "turkey"} == set(
        by_id["ceasefire-2025-10"].guarantors)
    assert scenario.actors["gaza-health-ministry"].role.value == "reporting"


@pytest.mark.parametrize(("words", "actor_id"), [
    ("Hamas", "hamas"), ("Qassam Brigades", "qassam-brigades"),
    ("Islamic Jihad", "islamic-jihad"), ("Saraya al-Quds", "al-quds-brigades"),
    ("Israel Defense Forces", "israeli-forces"), ("IDF", "israeli-forces"),
    ("Israeli army", "israeli-forces"), ("Israeli warplanes", "israeli-air-force"),
    ("Palestinian militants", "palestinian-factions"), ("Doghmush clan", "armed-clans"),
])
def test_aliases(scenario: Scenario, words: str, actor_id: str) -> None:
    actor = ActorDictionary(scenario.actors.values()).resolve(words)
    assert actor is not None and actor.id == actor_id


def test_zones_hold_the_strip_and_the_towns_it_fires_at(scenario: Scenario) -> None:
    gazetteer, day = default_gazetteer(), date(2021, 1, 1)
    strip = scenario.zones["gaza-strip"].boundary_on(day)
    israel = scenario.zones["israel"].boundary_on(day)
    assert strip is not None and israel is not None
    for town in ("Gaza", "Khan Yunis", "Rafah", "Beit Hanoun", "Deir al-Balah", "Jabalia"):
        place = gazetteer.resolve(town, country="PS")
        assert place is not None and place.lon is not None and place.lat is not None
        assert strip.geometry.covers(Point(place.lon, place.lat)), town
    for town in ("Sderot", "Ashkelon", "Beersheba", "Tel Aviv", "Jerusalem"):
        place = gazetteer.resolve(town, country="IL")
        assert place is not None and place.lon is not None and place.lat is not None
        assert israel.geometry.covers(Point(place.lon, place.lat)), town
        assert not strip.geometry.covers(Point(place.lon, place.lat)), town


# --- during a truce window and before or after it ----------------------------------------

# 19 August 2014, afternoon: three rockets from Gaza struck near Beersheba during the
# 24-hour extension of the Egyptian-brokered truce; Israel answered with air strikes and
# the truce collapsed (Israeli military; Reuters, AP). The extractor places a southern
# Israeli town named in a Gaza-datelined report inside the Palestinian territories, and
# reads "rockets fired from the Gaza Strip struck" as an air strike (both reported to its
# owner): the report carries a Jerusalem dateline and says who fired.
BEERSHEBA_2014 = """\
JERUSALEM, Aug 19 (Trucewatch) - Militants in Gaza fired three rockets at the southern \
Israeli city of Beersheba on Tuesday afternoon, the Israeli military said, breaking a \
truce that was to run until midnight."""


def test_rockets_during_the_extended_august_2014_truce(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, BEERSHEBA_2014, date(2014, 8, 19))
    assert incident.perpetrator_actor == "palestinian-factions"
    assert incident.location is not None and incident.location.country == "Israel"
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("truce-2014-08-11",)
    assert "extended" in reasons(verdict)


# 10 May 2021, 18:00: Hamas fired rockets at Jerusalem (Israeli military; Reuters), the
# start of the eleven-day war that ended the open-ended ceasefire of August 2014. The act
# that ended the ceasefire breaks it. The extractor places the rockets at "the Al-Aqsa
# mosque" when the report adds "after clashes at the Al-Aqsa mosque compound" (reported to
# its owner): the report leaves the clause out.
JERUSALEM_2021 = """\
JERUSALEM, May 10 (Trucewatch) - Hamas fired rockets at Jerusalem on Monday evening, the \
Israeli military said."""


def test_rockets_at_jerusalem_that_ended_the_2014_ceasefire(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, JERUSALEM_2021, date(2021, 5, 10))
    assert incident.perpetrator_actor == "hamas"
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("ceasefire-2014",)
    assert "Hamas are bound by it" in reasons(verdict)


# 10 August 2014: between the 72-hour truce that expired at 08:00 on 8 August and the
# next one from 00:01 on 11 August, rockets from Gaza were fired at southern Israel,
# Ashkelon among the towns targeted (Israeli military). No truce was in force.
ASHKELON_2014 = """\
JERUSALEM, Aug 10 (Trucewatch) - Militants in Gaza fired rockets at the southern Israeli \
city of Ashkelon on Sunday, the Israeli military said."""


def test_rockets_between_two_truces_are_not_a_violation(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, ASHKELON_2014, date(2014, 8, 10))
    assert incident.perpetrator_actor == "palestinian-factions"
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "expired on 2014-08-08 08:00" in reasons(verdict)


# 20 November 2012, the day before the truce: Israeli air strikes went on across Gaza
# City (Operation Pillar of Defense); the truce took effect at 21:00 on 21 November.
GAZA_CITY_2012 = """\
GAZA CITY, Nov 20 (Trucewatch) - An Israeli air strike killed several people in Gaza City \
on Tuesday, medics said."""


def test_strike_the_day_before_the_2012_truce_is_not_a_violation(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, GAZA_CITY_2012, date(2012, 11, 20))
    assert incident.perpetrator_actor == "israeli-forces"
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "took effect on 2012-11-21 21:00" in reasons(verdict)


# 16 January 2025: the day after the ceasefire deal was announced in Doha, Israeli strikes
# killed dozens of people in Gaza City and elsewhere (Gaza civil defence). The deal took
# effect only on 19 January: a monitor does not call these strikes violations of it.
GAZA_CITY_2025_01 = """\
GAZA CITY, Jan 16 (Trucewatch) - Israeli air strikes killed dozens of people in Gaza City \
on Thursday, a day after a ceasefire deal was announced, Gaza's civil defence agency said."""


def test_strikes_after_the_january_2025_deal_was_announced_but_before_it_took_effect(
        pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, GAZA_CITY_2025_01, date(2025, 1, 16))
    assert incident.perpetrator_actor == "israeli-forces"   # not the agency that told it
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "ceasefire-2025-01" not in verdict.agreements


# 18 March 2025: Israel's strikes across the Gaza Strip from about 02:00 killed more than
# 400 people, Khan Younis among the places hit (Gaza health ministry, OCHA), and ended the
# January ceasefire, still in force while phase two was negotiated. The strikes that ended
# it break it. "Across the Gaza Strip" alone is placed at the Strip as a region, a 40 km
# circle that crosses from the Gaza Strip zone into the Israel zone, and the assessment
# then says it cannot tell on which side it fell although both zones are under the same
# ceasefire (reported to the assessment's owner): the report names the town. With "as
# Israel ended a ceasefire" the extractor looks Khan Younis up in Israel (reported to its
# owner): the report says "ending a ceasefire".
STRIKES_2025_03_18 = """\
GAZA CITY, March 18 (Trucewatch) - Israeli air strikes on Khan Younis killed dozens of \
people on Tuesday, Gaza's health ministry said, ending a ceasefire that had held since \
January."""


def test_the_strikes_that_ended_the_january_2025_ceasefire(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, STRIKES_2025_03_18, date(2025, 3, 18))
    assert incident.perpetrator_actor == "israeli-forces"
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("ceasefire-2025-01",)


# 20 March 2025: strikes on Khan Younis, among other places, after the ceasefire had
# collapsed (Gaza health ministry): no longer a violation of it, and the reason says when
# and how it ended.
KHAN_YOUNIS_2025_03_20 = """\
GAZA CITY, March 20 (Trucewatch) - Israeli air strikes killed several people in Khan \
Younis on Thursday, Gaza's health ministry said."""


def test_strikes_after_the_collapse_are_not_a_violation(pipeline: Pipeline) -> None:
    _, verdict = judged_once(pipeline, KHAN_YOUNIS_2025_03_20, date(2025, 3, 20))
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "collapsed on 2025-03-19 00:00" in reasons(verdict)


# 2 December 2023: heavy strikes on Khan Younis the day after the November pause expired
# at 07:00 on 1 December (Gaza health ministry). The extractor adds Gaza City as a second
# place for "the health ministry in Gaza said" (reported to its owner): the report says
# "Gaza's health ministry".
KHAN_YOUNIS_2023_12 = """\
GAZA CITY, Dec 2 (Trucewatch) - Israeli air strikes on Khan Younis killed dozens of people \
on Saturday, Gaza's health ministry said, a day after a week-long truce ended."""


def test_strikes_after_the_pause_expired(pipeline: Pipeline) -> None:
    _, verdict = judged_once(pipeline, KHAN_YOUNIS_2023_12, date(2023, 12, 2))
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "expired on 2023-12-01 07:00" in reasons(verdict)


# 28 October 2025: after Israel said its soldiers came under fire in Rafah, its air strikes
# across Gaza killed 104 people (Gaza health ministry), Beit Lahiya among the places hit;
# the October ceasefire was in force and Israel is bound by it.
BEIT_LAHIYA_2025 = """\
GAZA CITY, Oct 29 (Trucewatch) - An Israeli air strike in Beit Lahiya killed several \
people on Tuesday night, medics said."""


def test_strike_during_the_october_2025_ceasefire(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, BEIT_LAHIYA_2025, date(2025, 10, 29))
    assert incident.event_date == date(2025, 10, 28)
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("ceasefire-2025-10",)
    assert "Israeli forces are bound by it" in reasons(verdict)


# 12 October 2025: Hamas fought the Doghmush clan in Gaza City's Sabra neighbourhood; 27
# people were killed (Reuters, Al Jazeera, 13 October). The ceasefire is between Israel and
# the factions; fighting between Hamas and clans or militias inside Gaza is outside it.
DOGHMUSH_2025 = """\
GAZA CITY, Oct 13 (Trucewatch) - Hamas gunmen fought the Doghmush clan in Gaza City on \
Sunday, and 27 people were killed, a security source said."""


def test_hamas_fighting_a_clan_is_not_a_violation(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, DOGHMUSH_2025, date(2025, 10, 13))
    assert incident.perpetrator_actor == "hamas"
    assert incident.target_actor == "armed-clans"
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "excluded" in reasons(verdict)
