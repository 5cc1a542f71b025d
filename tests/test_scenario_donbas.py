"""The donbas-minsk scenario: it validates, says what the Minsk documents say, and real
incidents of the Minsk ceasefires, told in our own words, get the verdicts a monitor
would give when read through the whole pipeline (extractor, gazetteer, assessment)."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from shapely.geometry import Point

from scenario_support import judged
from trucewatch.actors import ActorDictionary
from trucewatch.aggregates import judge, parse_csv
from trucewatch.model import Scenario, VerdictKind
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.scenario import builtin_scenarios, load_scenario, validate_scenario

NAME = "donbas-minsk"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(NAME)


@pytest.fixture(scope="module")
def pipeline(scenario: Scenario) -> Pipeline:
    return Pipeline.for_scenario(scenario, default_gazetteer())


def test_shipped_and_valid() -> None:
    assert NAME in builtin_scenarios()
    assert validate_scenario(NAME) == []


def test_windows_follow_the_documents(scenario: Scenario) -> None:
    by_id = {a.id: a for a in scenario.agreements}
    protocol, minsk2 = by_id["minsk-protocol"], by_id["minsk-ii"]
    assert protocol.start == datetime(2014, 9, 5, 18, 0)           # 18:00 on 5 September 2014
    assert protocol.ended is not None and protocol.ended.how == "superseded"
    assert protocol.ended.at == minsk2.start == datetime(2015, 2, 15)   # Minsk II at 00:00
    assert minsk2.signed == date(2015, 2, 12)
    assert minsk2.ended is not None and minsk2.ended.at == datetime(2022, 2, 24)
    measures = by_id["additional-measures-2020"]
    assert measures.start == datetime(2020, 7, 27, 0, 1)
    # Each recommitment runs until the next replaces it: no gap, no overlap, and the
    # additional measures of July 2020 take over from the last.
    periods = by_id["tcg-recommitments"].periods
    assert len(periods) >= 10
    assert [p.kind for p in periods] == ["initial"] + ["resumption"] * (len(periods) - 1)
    for earlier, later in itertools.pairwise(periods):
        assert earlier.end == later.start
    assert periods[-1].end == measures.start == by_id["tcg-recommitments"].ended.at


def test_withdrawal_zones_by_calibre(scenario: Scenario) -> None:
    """Minsk II: 50, 70 and 140 km wide zones (25, 35 and 70 km either side of the line)
    for artillery of 100 mm and more, rocket launchers, and the heaviest rockets and
    Tochka; the memorandum and the 2015 addendum: 15 km either side."""
    by_id = {a.id: a for a in scenario.agreements}
    rules = {rule.zones: rule for rule in by_id["minsk-ii"].weapon_zones}
    assert rules[("artillery-zone",)].min_calibre_mm == 100
    assert {w.value for w in rules[("mlrs-zone",)].weapons} == {"mlrs"}
    assert {w.value for w in rules[("heavy-mlrs-zone",)].weapons} == {"heavy-mlrs",
                                                                      "tactical-missile"}
    addendum = by_id["weapons-addendum-2015"]
    assert addendum.zones == ()
    assert {w.value for rule in addendum.weapon_zones for w in rule.weapons} == {
        "tank", "artillery", "mortar"}
    # Bakhmut, some 20 km behind the line, is in the 25 km zone but not the 15 km one;
    # Kostiantynivka, about 30 km, only from 35 km on; Kramatorsk only in the widest.
    day, gazetteer = date(2020, 1, 1), default_gazetteer()
    widths = ("security-zone", "artillery-zone", "mlrs-zone", "heavy-mlrs-zone")
    for town, first in (("Avdiivka", 0), ("Bakhmut", 1), ("Kostiantynivka", 2),
                        ("Kramatorsk", 3)):
        place = gazetteer.resolve(town)
        assert place is not None
        inside = [zone for zone in widths if scenario.zones[zone].boundary_on(day)
                  .geometry.covers(Point(place.lon, place.lat))]
        assert inside == list(widths[first:]), town


def test_sides_monitors_and_reporting_offices(scenario: Scenario) -> None:
    actors = scenario.actors
    assert actors["dpr-forces"].part_of == actors["lpr-forces"].part_of \
        == "russia-backed-formations"
    assert actors["osce-smm"].role.value == "monitor" and actors["jccc"].role.value == "monitor"
    assert actors["ukraine-reporting"].role.value == "reporting"
    minsk2 = next(a for a in scenario.agreements if a.id == "minsk-ii")
    assert set(minsk2.parties) == {"ukrainian-forces", "russia-backed-formations"}
    assert {"osce-smm", "jccc"} <= set(minsk2.monitors)
    assert "minsk-ii" in actors["russia"].bound_by


@pytest.mark.parametrize(("words", "actor_id"), [
    ("DNR", "dpr-forces"), ("Donetsk People's Republic", "dpr-forces"),
    ("LNR forces", "lpr-forces"), ("Russia-backed separatists", "russia-backed-formations"),
    ("pro-Russian militants", "russia-backed-formations"),
    ("separatists", "russia-backed-formations"), ("Russian troops", "russia"),
    ("Armed Forces of Ukraine", "ukrainian-forces"), ("Kiev forces", "ukrainian-forces"),
    ("OSCE monitors", "osce-smm"), ("Joint Forces Operation", "ukraine-reporting"),
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
    assert zone.geometry.covers(Point(place.lon, place.lat)), town


def test_kharkiv_and_kramatorsk(scenario: Scenario) -> None:
    """The conflict area is the two oblasts: Kramatorsk in it but far behind the line,
    Kharkiv outside both."""
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
    [(incident, verdict)] = judged(pipeline, SHUMY_2021, date(2021, 3, 26))
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
    [(incident, verdict)] = judged(pipeline, AVDIIVKA_2020, date(2020, 6, 17))
    assert incident.event_date == date(2020, 6, 16)
    assert incident.location is not None and incident.location.name == "Avdiivka"
    assert incident.wounded.best == 1
    assert verdict.kind is VerdictKind.VIOLATION
    assert {"donbas", "security-zone"} <= set(verdict.zones)
    assert set(verdict.agreements) == {"minsk-ii", "tcg-recommitments"}
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
    [(incident, verdict)] = judged(pipeline, MARIUPOL_2015, date(2015, 1, 24))
    assert incident.location is not None and incident.location.name == "Mariupol"
    assert incident.perpetrator_actor == "dpr-forces"
    assert incident.killed.best == 30
    assert verdict.kind is VerdictKind.VIOLATION
    assert set(verdict.agreements) == {"minsk-protocol", "minsk-memorandum"}
    assert "DPR forces are bound by it" in " ".join(verdict.reasons)


# 17 February 2022, a week before the invasion: a shell hit a kindergarten in Stanytsia
# Luhanska, wounding staff; Ukraine blamed the armed formations, and the SMM recorded
# a sharp rise in explosions along the line that day.
KINDERGARTEN_2022 = """\
KYIV, Feb 17 (Trucewatch) - \
A shell fired by Russia-backed separatists hit a kindergarten in Stanytsia Luhanska on Thursday \
morning, wounding two teachers, Ukraine's military said. The children were moved to the \
building's basement and none was hurt.
"""


def test_shell_on_a_kindergarten_in_stanytsia_luhanska_2022_is_a_violation(
        pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, KINDERGARTEN_2022, date(2022, 2, 17))
    assert incident.location is not None and incident.location.name.startswith("Stanyts")
    assert incident.wounded.best == 2
    assert verdict.kind is VerdictKind.VIOLATION
    assert "security-zone" in verdict.zones
    assert set(verdict.agreements) == {"minsk-ii", "additional-measures-2020"}


# July 2020: the SMM followed up on civilians wounded and a school damaged by shelling in
# the Petrovskyi district of Donetsk city. The mission does not attribute fire, and it is
# a monitor: never the perpetrator, so the verdict stays open.
SMM_DONETSK_2020 = """\
KYIV, July 20 (Trucewatch) - \
The OSCE Special Monitoring Mission said on Monday it had followed up on shelling that wounded \
two civilians and damaged a school in the Petrovskyi district of Donetsk, as it recorded more \
ceasefire violations in both the Donetsk and Luhansk regions.
"""


def test_shelling_the_smm_reports_without_a_perpetrator_is_undetermined(
        pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, SMM_DONETSK_2020, date(2020, 7, 20))
    # "the Petrovskyi district of Donetsk": the district, placed in the city
    assert incident.location is not None and incident.location.admin1 == "Donetsk"
    assert incident.location.name == "Petrovskyi district"
    assert incident.wounded.best == 2
    assert incident.perpetrator_actor != "osce-smm"
    assert verdict.kind is VerdictKind.UNDETERMINED
    assert "minsk-ii" in verdict.agreements
    assert "cannot be said whether a party bound by it did" in " ".join(verdict.reasons)


# Not violations.

# 8 April 2022: a Tochka-U missile on the railway station in Kramatorsk killed some 50
# people waiting to be evacuated; six weeks after the Minsk ceasefire ended with the
# invasion, so no violation of it, and the reasons say how it ended.
KRAMATORSK_2022 = """\
KRAMATORSK, Ukraine, April 8 (Trucewatch) - \
A Tochka-U missile struck the railway station in Kramatorsk on Friday as civilians waited to be \
evacuated, killing 50 people and wounding about 100, regional officials said. Ukraine blamed \
Russian forces; Russia denied it.
"""


def test_after_the_invasion_the_minsk_agreements_no_longer_apply(pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, KRAMATORSK_2022, date(2022, 4, 8))
    assert incident.location is not None and incident.location.name == "Kramatorsk"
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    reasons = " ".join(verdict.reasons)
    assert "terminated on 2022-02-24 00:00" in reasons
    assert "additional measures of 27 July 2020) terminated" in reasons

# 2 June 2014: an air strike on the regional administration in Luhansk killed eight,
# three months before the Minsk Protocol.
LUHANSK_2014 = """\
LUHANSK, June 2 (Trucewatch) - \
An air strike hit the regional administration building in Luhansk on \
Monday afternoon, killing eight people and wounding 28, local health officials said.
"""


def test_before_the_minsk_protocol_is_not_a_violation(pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, LUHANSK_2014, date(2014, 6, 2))
    assert incident.location is not None and incident.location.name == "Luhansk"
    assert incident.killed.best == 8
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert verdict.agreements == ()


# 22 February 2015: a bomb at a march in Kharkiv, far from the conflict area.
KHARKIV_2015 = """\
KHARKIV, Feb 22 (Trucewatch) - \
A bomb exploded among marchers at a rally in Kharkiv on Sunday, killing two \
people and wounding ten others, police said.
"""


def test_kharkiv_bombing_is_outside_the_conflict_area(pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, KHARKIV_2015, date(2015, 2, 22))
    assert incident.location is not None and incident.location.name == "Kharkiv"
    assert verdict.kind is VerdictKind.OUTSIDE_ZONES
    assert verdict.agreements == ()


# --- counts, the main unit of Donbas reporting -------------------------------------------

# The SMM's daily report 178/2020: on the first day of the additional measures (from
# 00:01 to 19:30 on 27 July 2020) it recorded 111 ceasefire violations, all in Donetsk
# region, without saying by whom. The JFO's statement of 26 March 2021: the armed
# formations opened fire eight times in 24 hours. Before the war's first ceasefire, and
# a monitor named as the side, are not violations of anything.
COUNTS = """\
date,reporter,side,area,count,kind,source
2020-07-27,OSCE SMM,,Donetsk region,111,ceasefire violations,SMM daily report 178/2020
2021-03-26,Joint Forces Operation,pro-Russian militants,Donetsk region,8,ceasefire violations,JFO
2014-08-20,OSCE SMM,,Luhansk region,40,explosions,an SMM count before the Minsk Protocol
2020-07-27,OSCE SMM,OSCE SMM,Donetsk region,4,explosions,a misfiled row naming the monitor
"""


def test_daily_counts_get_their_own_verdicts(scenario: Scenario) -> None:
    verdicts = [judge(report, scenario) for _, report in parse_csv(COUNTS, "counts.csv")]
    smm, jfo, early, misfiled = verdicts
    # No side named, but every armed party there is bound: probable.
    assert smm.kind is VerdictKind.PROBABLE_VIOLATION
    assert {"minsk-ii", "additional-measures-2020"} <= set(smm.agreements)
    assert jfo.kind is VerdictKind.VIOLATION
    assert "additional-measures-2020" in jfo.agreements
    assert early.kind is VerdictKind.NOT_VIOLATION
    assert misfiled.kind is VerdictKind.UNDETERMINED
    assert "never the perpetrator" in " ".join(misfiled.reasons)
