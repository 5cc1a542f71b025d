"""The yemen scenario: it validates, says what the 2016 cessation, the Stockholm
Agreement and the 2022 truce say, and real incidents of those ceasefires, told in our
own words, get the verdicts a monitor would give through the whole pipeline."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from shapely.geometry import Point

from scenario_support import judged
from trucewatch.actors import ActorDictionary
from trucewatch.aggregates import judge, parse_csv
from trucewatch.model import Scenario, VerdictKind
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.scenario import builtin_scenarios, load_scenario, validate_scenario

NAME = "yemen"


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
    assert by_id["coh-2016"].start == datetime(2016, 4, 10, 23, 59)
    assert by_id["hodeidah-ceasefire"].start == datetime(2018, 12, 18)
    assert by_id["hodeidah-ceasefire"].end is None
    assert by_id["hodeidah-ceasefire"].zones == ("hodeidah",)
    truce = by_id["truce-2022"]
    assert [(p.start, p.kind) for p in truce.periods] == [
        (datetime(2022, 4, 2, 19, 0), "initial"), (datetime(2022, 6, 2, 19, 0), "renewal"),
        (datetime(2022, 8, 2, 19, 0), "renewal")]
    assert truce.ended is not None and truce.ended.how == "expired"
    assert truce.ended.at == truce.periods[-1].end == datetime(2022, 10, 2, 19, 0)
    assert truce.cross_border_zones == ("cross-border-SA", "cross-border-AE")
    for agreement in scenario.agreements:
        assert {"aqap", "islamic-state-yemen"} <= set(agreement.excluded), agreement.id
    assert "unmha" in by_id["hodeidah-ceasefire"].monitors
    # The coalition's own promise of April 2020 binds the coalition alone.
    [pause] = scenario.declarations
    assert (pause.actor, pause.start, [p.kind for p in pause.periods]) == (
        "saudi-led-coalition", datetime(2020, 4, 9, 12, 0), ["initial", "extension"])
    assert pause.ended is not None and pause.ended.how == "expired"
    assert scenario.actors["unmha"].role.value == "monitor"


@pytest.mark.parametrize(("words", "actor_id"), [
    ("Ansar Allah", "houthis"), ("Houthi rebels", "houthis"), ("Huthis", "houthis"),
    ("Giants Brigades", "yemeni-government"), ("Arab coalition", "saudi-led-coalition"),
    ("Saudi warplanes", "saudi-led-coalition"), ("Security Belt forces", "stc"),
    ("AQAP", "aqap"), ("Ansar al-Sharia", "aqap"), ("ISIS", "islamic-state-yemen"),
    ("UNMHA", "unmha"), ("Yahya Saree", "houthi-spokesmen"),
])
def test_aliases(scenario: Scenario, words: str, actor_id: str) -> None:
    actor = ActorDictionary(scenario.actors.values()).resolve(words)
    assert actor is not None and actor.id == actor_id


@pytest.mark.parametrize(("town", "zones"), [
    ("Hodeidah", {"yemen", "hodeidah"}), ("Zabid", {"yemen", "hodeidah"}),
    ("Taiz", {"yemen"}), ("Marib", {"yemen"}), ("Aden", {"yemen"}), ("Saada", {"yemen"}),
    ("Mukalla", {"yemen"}), ("Jizan", {"cross-border-SA"}), ("Najran", {"cross-border-SA"}),
    ("Riyadh", {"cross-border-SA"}), ("Abu Dhabi", {"cross-border-AE"}),
])
def test_towns_fall_in_their_zones(scenario: Scenario, town: str, zones: set[str]) -> None:
    place = default_gazetteer().resolve(town)
    assert place is not None and place.has_point
    day = date(2022, 6, 1)
    found = {zone.id for zone in scenario.zones.values()
             if (boundary := zone.boundary_on(day)) is not None
             and boundary.geometry.covers(Point(place.lon, place.lat))}
    assert found == zones


# --- worked examples ----------------------------------------------------------------------

# 23 July 2022, during the truce's first renewal: shelling of the Zaid al-Mushki
# neighbourhood of Taiz killed a boy and wounded ten other children; the government
# blamed the Houthis and the UN envoy condemned the attack.
TAIZ_2022 = """\
TAIZ, Yemen, July 24 (Trucewatch) - \
Houthi shelling hit a residential neighbourhood of Taiz on Saturday afternoon, killing a \
six-year-old boy and wounding ten other children who were playing outside their homes, a local \
health official said.

The UN Special Envoy for Yemen, Hans Grundberg, condemned the attack, the most serious in the \
city since the truce began in April, and urged the parties to protect civilians.
"""


def test_houthi_shelling_of_taiz_breaks_the_2022_truce(pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, TAIZ_2022, date(2022, 7, 24))
    assert incident.event_date == date(2022, 7, 23)
    assert incident.location is not None and incident.location.name == "Taiz"
    assert incident.perpetrator_actor == "houthis"
    assert (incident.killed.best, incident.wounded.best) == (1, 10)
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("truce-2022",)
    assert "Houthis (Ansar Allah) is bound by it" in " ".join(verdict.reasons)


# 20 December 2018, two days into the Hodeidah ceasefire: a government military source
# said Houthi artillery and mortar fire on Giants Brigades positions east of the city
# killed two soldiers and wounded ten.
HODEIDAH_2018 = """\
HODEIDAH, Yemen, Dec 21 (Trucewatch) - \
Houthi fighters shelled positions of the Giants Brigades east of Hodeidah city with artillery \
and mortars on Thursday, killing two soldiers and wounding 10, a military source said, three \
days after the UN-brokered ceasefire took effect in the port city.
"""


def test_houthi_shelling_east_of_hodeidah_breaks_the_stockholm_ceasefire(
        pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, HODEIDAH_2018, date(2018, 12, 21))
    assert incident.event_date == date(2018, 12, 20)
    assert incident.location is not None and incident.location.name == "Hodeidah"
    assert incident.perpetrator_actor == "houthis"
    assert incident.killed.best == 2
    assert verdict.kind is VerdictKind.VIOLATION
    assert "hodeidah" in verdict.zones
    assert verdict.agreements == ("hodeidah-ceasefire",)


# Not violations.

# 6 September 2022, inside the truce's window: AQAP attacked a Security Belt checkpoint
# in Ahwar, Abyan, killing 21 soldiers. AQAP is no party to the truce. (The extractor
# names the place after "the Arabian Peninsula" in the group's name, though it puts it at
# Ahwar's coordinates; reported to the extractor's owner, so the name is not asserted.)
AQAP_2022 = """\
ADEN, Yemen, Sept 6 (Trucewatch) - \
Militants of al-Qaeda in the Arabian Peninsula attacked a checkpoint of the Security Belt forces \
in Ahwar, in Abyan province, on Tuesday, killing 21 soldiers, a security source said.
"""


def test_aqap_attack_during_the_truce_is_not_a_violation(pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, AQAP_2022, date(2022, 9, 6))
    assert incident.perpetrator_actor == "aqap"
    assert incident.killed.best == 21
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "yemen" in verdict.zones
    assert "is not a party to Nationwide truce of 2 April 2022" in " ".join(verdict.reasons)


# 17 January 2022: a Houthi drone attack on fuel tanks in Musaffah, Abu Dhabi, killed
# three; eleven weeks before the truce that covered attacks across Yemen's borders.
ABU_DHABI_2022 = """\
ABU DHABI, Jan 17 (Trucewatch) - \
A Houthi drone attack set off explosions at fuel tanks in the Musaffah industrial area of Abu \
Dhabi on Monday, killing three people and wounding six, police said.
"""


def test_drone_attack_on_abu_dhabi_before_the_truce_is_not_a_violation(
        pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, ABU_DHABI_2022, date(2022, 1, 17))
    assert incident.location is not None and incident.location.name == "Musaffah"
    assert incident.perpetrator_actor == "houthis"
    assert incident.killed.best == 3
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert verdict.agreements == ()
    assert "cross-border-AE" in verdict.zones
    assert "took effect on 2022-04-02 19:00" in " ".join(verdict.reasons)


# 21 October 2022: Houthi drones struck the al-Dhabba oil terminal near Ash Shihr in
# Hadramawt as a tanker loaded, three weeks after the truce expired: the expiry is
# recorded, so the verdict says the truce no longer held, not "check whether extended".
DHABBA_2022 = """\
MUKALLA, Yemen, Oct 21 (Trucewatch) - \
Houthi drones struck the al-Dhabba oil terminal near Ash Shihr in Hadramawt on Friday as a \
tanker was loading crude, the government said, three weeks after the UN-brokered truce expired.
"""


def test_drone_strike_after_the_truce_expired_is_not_a_violation(pipeline: Pipeline) -> None:
    [(incident, verdict)] = judged(pipeline, DHABBA_2022, date(2022, 10, 21))
    assert incident.perpetrator_actor == "houthis"
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "yemen" in verdict.zones
    assert "Nationwide truce of 2 April 2022 expired on 2022-10-02 19:00" in " ".join(
        verdict.reasons)


# --- counts ------------------------------------------------------------------------------

# Each side's tally of the other's breaches in Hodeidah a few days into the ceasefire:
# the coalition said the Houthis broke it at least 14 times in 24 hours (22 December
# 2018); the Houthis accused the pro-government forces of 31 breaches in a day. The
# reporter is never the side accused, and AQAP's attacks are no breach at all.
COUNTS = """\
date,reporter,side,area,count,kind,source
2018-12-21,coalition spokesman,Houthi militia,Hodeidah,14,ceasefire violations,coalition statement
2018-12-21,al-Masirah,pro-government forces,Hodeidah,31,ceasefire violations,Houthi statement
2022-09-06,Security Belt,AQAP,Abyan,1,attacks,southern forces' statement
"""


def test_each_sides_counts_in_hodeidah(scenario: Scenario) -> None:
    coalition, houthi, aqap = (judge(report, scenario)
                               for _, report in parse_csv(COUNTS, "counts.csv"))
    assert coalition.kind is houthi.kind is VerdictKind.VIOLATION
    assert coalition.agreements == houthi.agreements == ("hodeidah-ceasefire",)
    assert "Houthis (Ansar Allah) is bound" in " ".join(coalition.reasons)
    assert "Yemeni government forces is bound" in " ".join(houthi.reasons)
    assert aqap.kind is VerdictKind.NOT_VIOLATION
