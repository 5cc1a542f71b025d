"""The donbas-minsk scenario: it validates, says what the Minsk documents say, and real
incidents of the Minsk ceasefires, told in our own words, get the verdicts a monitor
would give when read through the whole pipeline (extractor, gazetteer, assessment)."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest

from trucewatch.actors import ActorDictionary
from trucewatch.model import Incident, Report, Scenario, Verdict, VerdictKind
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.scenario import builtin_scenarios, load_scenario, validate_scenario

NAME = "donbas-minsk"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(NAME)


@pytest.fixture(scope="module")
def pipeline(scenario: Scenario) -> Pipeline:
    return Pipeline.for_scenario(scenario, default_gazetteer())


def check(pipeline: Pipeline, text: str, published: date) -> list[tuple[Incident, Verdict]]:
    found = pipeline.check(Report(text=text, published=published))
    assert found, "the report was read as no incident at all"
    return [(incident, verdict) for incident, verdict in found if verdict is not None]


def test_shipped_and_valid() -> None:
    assert NAME in builtin_scenarios()
    assert validate_scenario(NAME) == []


def test_windows_follow_the_documents(scenario: Scenario) -> None:
    by_id = {a.id: a for a in scenario.agreements}
    protocol, minsk2 = by_id["minsk-protocol"], by_id["minsk-ii"]
    assert protocol.start == datetime(2014, 9, 5, 18, 0)           # 18:00 on 5 September 2014
    assert protocol.end == minsk2.start == datetime(2015, 2, 15)   # Minsk II took over at 00:00
    assert minsk2.signed == date(2015, 2, 12)
    assert minsk2.end == datetime(2022, 2, 24)                     # the full-scale invasion
    measures = by_id["additional-measures-2020"]
    assert measures.start == datetime(2020, 7, 27, 0, 1)
    # Each recommitment runs until the next one replaces it: no gap, no overlap.
    recommitments = sorted((a for a in scenario.agreements if a.id.startswith("recommitment-")),
                           key=lambda a: a.start)
    assert len(recommitments) >= 10
    for earlier, later in itertools.pairwise(recommitments):
        assert earlier.end == later.start, (earlier.id, later.id)
    assert recommitments[-1].end == measures.start


def test_both_sides_and_russia_are_bound(scenario: Scenario) -> None:
    for actor_id in ("ukrainian-forces", "russia-backed-formations", "dpr-forces", "lpr-forces",
                     "russia"):
        assert {"minsk-ii", "additional-measures-2020"} <= set(
            scenario.actors[actor_id].bound_by), actor_id


@pytest.mark.parametrize(("words", "actor_id"), [
    ("DNR", "dpr-forces"), ("Donetsk People's Republic", "dpr-forces"),
    ("LNR forces", "lpr-forces"), ("Russia-backed separatists", "russia-backed-formations"),
    ("pro-Russian militants", "russia-backed-formations"),
    ("separatists", "russia-backed-formations"), ("Russian troops", "russia"),
    ("Armed Forces of Ukraine", "ukrainian-forces"), ("Kiev forces", "ukrainian-forces"),
])
def test_aliases(scenario: Scenario, words: str, actor_id: str) -> None:
    actor = ActorDictionary(scenario.actors.values()).resolve(words)
    assert actor is not None and actor.id == actor_id


@pytest.mark.parametrize("town", ["Avdiivka", "Horlivka", "Popasna", "Zolote", "Marinka",
                                  "Shchastia", "Stanytsia Luhanska", "Shyrokyne", "Toretsk"])
def test_front_towns_lie_in_the_security_zone(scenario: Scenario, town: str) -> None:
    place = default_gazetteer().resolve(town)
    assert place is not None and place.has_point
    zone = scenario.zones["security-zone"].boundary_on(date(2020, 1, 1))
    assert zone is not None
    from shapely.geometry import Point
    assert zone.geometry.covers(Point(place.lon, place.lat)), town


def test_kharkiv_and_kramatorsk(scenario: Scenario) -> None:
    """The conflict area is the two oblasts: Kramatorsk in it but far behind the line,
    Kharkiv outside both."""
    from shapely.geometry import Point
    gazetteer, day = default_gazetteer(), date(2020, 1, 1)
    donbas = scenario.zones["donbas"].boundary_on(day)
    security = scenario.zones["security-zone"].boundary_on(day)
    assert donbas is not None and security is not None
    kramatorsk, kharkiv = gazetteer.resolve("Kramatorsk"), gazetteer.resolve("Kharkiv")
    assert kramatorsk is not None and kharkiv is not None
    assert donbas.geometry.covers(Point(kramatorsk.lon, kramatorsk.lat))
    assert not security.geometry.covers(Point(kramatorsk.lon, kramatorsk.lat))
    assert not donbas.geometry.covers(Point(kharkiv.lon, kharkiv.lat))


# --- worked examples ----------------------------------------------------------------------

# A dateline without an outlet ("KYIV, March 26 - Four soldiers were killed") has its day
# read as the toll (26 killed; reported to the extractor's owner): the reports here name
# the outlet, as wire copy does.

# 26 March 2021, the additional-measures period: Ukraine's Joint Forces Operation said four
# soldiers were killed and two wounded by 82 mm mortar fire near Shumy, by Toretsk; the
# deadliest breach of the strengthened ceasefire so far. The village is left unnamed here:
# the gazetteer reads "Shumy" as a Crimean village of that alternative name (reported to
# the extractor's and gazetteer's owners), so the report says "near Toretsk".
SHUMY_2021 = """\
KYIV, March 26 (Trucewatch) - \
Four Ukrainian soldiers were killed and two were wounded on Friday when \
Russia-backed separatists shelled their positions with 82mm mortars near Toretsk in the \
Donetsk region, Ukraine's military said.

The Joint Forces Operation headquarters said the attack was the deadliest breach this year of \
the ceasefire strengthened in July 2020. Ukrainian troops returned fire, it said, and the \
Ukrainian side of the Joint Centre for Control and Coordination informed the OSCE monitors.
"""


def test_mortar_attack_near_toretsk_2021_breaks_the_additional_measures(
        pipeline: Pipeline) -> None:
    [(incident, verdict)] = check(pipeline, SHUMY_2021, date(2021, 3, 26))
    assert incident.event_date == date(2021, 3, 26)
    assert incident.location is not None and incident.location.name == "Toretsk"
    assert incident.perpetrator_actor == "russia-backed-formations"
    assert incident.killed.best == 4 and incident.wounded.best == 2
    assert verdict.kind is VerdictKind.VIOLATION
    assert "donbas" in verdict.zones
    assert set(verdict.agreements) == {"minsk-ii", "additional-measures-2020"}
    reasons = " ".join(verdict.reasons)
    assert "Russia-backed armed formations are bound by it" in reasons
    assert "additional measures of 27 July 2020" in reasons


# 16 June 2020, under the July 2019 recommitment: the Ukrainian side of the JCCC said a
# woman was wounded in her yard in Avdiivka by shelling from the armed formations' side.
AVDIIVKA_2020 = """\
AVDIIVKA, Ukraine, June 17 (Trucewatch) - \
A woman was wounded in the yard of her house in Avdiivka on \
Tuesday when pro-Russian militants shelled a residential part of the town, the Ukrainian side \
of the Joint Centre for Control and Coordination said.

She suffered shrapnel wounds and was taken to intensive care. The direction of the fire pointed \
to positions of the armed formations near Yakovlivka, the Ukrainian officers said, adding that \
the ceasefire had been broken seven times over the day.
"""


def test_shelling_of_avdiivka_2020_breaks_minsk_ii_and_the_2019_recommitment(
        pipeline: Pipeline) -> None:
    [(incident, verdict)] = check(pipeline, AVDIIVKA_2020, date(2020, 6, 17))
    assert incident.event_date == date(2020, 6, 16)
    assert incident.location is not None and incident.location.name == "Avdiivka"
    assert incident.wounded.best == 1
    assert verdict.kind is VerdictKind.VIOLATION
    assert {"donbas", "security-zone"} <= set(verdict.zones)
    assert set(verdict.agreements) == {"minsk-ii", "recommitment-2019-07"}
    assert "additional-measures-2020" not in verdict.agreements   # not yet in force


# 24 January 2015: rockets hit the Skhidnyi district of Mariupol, killing 30 civilians;
# the SMM traced the Grad and Uragan fire to areas held by the armed formations. Under
# the Minsk Protocol and memorandum, before Minsk II. The report says "DPR" rather than
# "Donetsk People's Republic", which the extractor takes for the city of Donetsk
# (reported to the extractor's owner), and "in the east of Mariupol" for Skhidnyi.
MARIUPOL_2015 = """\
MARIUPOL, Ukraine, Jan 24 (Trucewatch) - \
Rockets fired by DPR forces hit a residential district in the \
east of Mariupol on Saturday morning, killing 30 civilians and wounding more than 100, OSCE \
monitors said.

The monitors said the Grad and Uragan rockets had been fired from areas held by the \
self-proclaimed DPR.
"""


def test_rockets_on_mariupol_2015_break_the_minsk_protocol(pipeline: Pipeline) -> None:
    [(incident, verdict)] = check(pipeline, MARIUPOL_2015, date(2015, 1, 24))
    assert incident.location is not None and incident.location.name == "Mariupol"
    assert incident.perpetrator_actor == "dpr-forces"
    assert incident.killed.best == 30
    assert verdict.kind is VerdictKind.VIOLATION
    assert set(verdict.agreements) == {"minsk-protocol", "minsk-memorandum"}
    assert "DPR forces are bound by it" in " ".join(verdict.reasons)


# Not violations.

# 2 June 2014: an air strike on the regional administration in Luhansk killed eight,
# three months before the Minsk Protocol.
LUHANSK_2014 = """\
LUHANSK, June 2 (Trucewatch) - \
An air strike hit the regional administration building in Luhansk on \
Monday afternoon, killing eight people and wounding 28, local health officials said.
"""


def test_before_the_minsk_protocol_is_not_a_violation(pipeline: Pipeline) -> None:
    [(incident, verdict)] = check(pipeline, LUHANSK_2014, date(2014, 6, 2))
    assert incident.location is not None and incident.location.name == "Luhansk"
    assert incident.killed.best == 8
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "predates" in " ".join(verdict.reasons)


# 22 February 2015: a bomb at a march in Kharkiv, far from the conflict area.
KHARKIV_2015 = """\
KHARKIV, Feb 22 (Trucewatch) - \
A bomb exploded among marchers at a rally in Kharkiv on Sunday, killing two \
people and wounding ten others, police said.
"""


def test_kharkiv_bombing_is_outside_the_conflict_area(pipeline: Pipeline) -> None:
    [(incident, verdict)] = check(pipeline, KHARKIV_2015, date(2015, 2, 22))
    assert incident.location is not None and incident.location.name == "Kharkiv"
    assert verdict.kind is VerdictKind.OUTSIDE_ZONES
    assert verdict.agreements == ()
