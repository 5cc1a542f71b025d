"""The south-sudan scenario: it validates, says what the COHA, the Khartoum Declaration,
R-ARCSS and the Rome Declaration say and who signed which, and real incidents of those
ceasefires, told in our own words, get the verdicts CTSAMVM's reasoning gives when read
through the whole pipeline (extractor, gazetteer, assessment)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from shapely.geometry import Point

from scenario_support import judged_once
from trucewatch.actors import ActorDictionary
from trucewatch.model import Scenario, Verdict, VerdictKind
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.scenario import builtin_scenarios, load_scenario, validate_scenario

NAME = "south-sudan"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(NAME)


@pytest.fixture(scope="module")
def pipeline(scenario: Scenario) -> Pipeline:
    return Pipeline.for_scenario(scenario, default_gazetteer())


def reason_for(verdict: Verdict, words: str) -> str:
    """The reason that speaks of one agreement (named by words of its name)."""
    matching = [reason for reason in verdict.reasons if words in reason]
    assert matching, verdict.reasons
    return matching[0]


def test_shipped_and_valid() -> None:
    assert NAME in builtin_scenarios()
    assert validate_scenario(NAME) == []


def test_windows(scenario: Scenario) -> None:
    by_id = {a.id: a for a in scenario.agreements}
    assert by_id["coha-2017"].signed == date(2017, 12, 21)
    assert by_id["coha-2017"].start == datetime(2017, 12, 24, 0, 1)
    assert by_id["coha-2017"].pax_id == "1966"
    assert by_id["khartoum-declaration-2018"].signed == date(2018, 6, 27)
    assert by_id["khartoum-declaration-2018"].start == datetime(2018, 6, 30, 0, 1)
    assert by_id["r-arcss-2018"].signed == date(2018, 9, 12)
    assert by_id["rome-declaration-2020"].start == datetime(2020, 1, 15, 0, 0)
    assert all(a.end is None for a in scenario.agreements)   # none was ended by its parties
    formation = by_id["r-arcss-2018"].deadlines[0]
    assert (formation.due, formation.met_on) == (date(2019, 5, 12), date(2020, 2, 22))


def test_who_signed_what(scenario: Scenario) -> None:
    by_id = {a.id: a for a in scenario.agreements}
    assert "nas" in by_id["coha-2017"].parties            # NAS signed the COHA in 2017...
    assert "nas" not in by_id["r-arcss-2018"].parties     # ...but not R-ARCSS
    assert "nas" in by_id["r-arcss-2018"].excluded
    assert "nas" in by_id["rome-declaration-2020"].parties
    assert "ssuf" not in by_id["coha-2017"].parties       # formed in 2018
    assert {"spla-io", "government-forces"} <= set(by_id["r-arcss-2018"].parties)
    assert scenario.actors["sspdf"].part_of == "government-forces"
    assert scenario.actors["ctsamvm"].role.value == "monitor"
    assert "ctsamvm" in by_id["r-arcss-2018"].monitors


@pytest.mark.parametrize(("words", "actor_id"), [
    ("SPLA-IO", "spla-io"), ("SPLM-IO", "spla-io"), ("Riek Machar's forces", "spla-io"),
    ("SSPDF", "sspdf"), ("SPLA", "sspdf"), ("NAS", "nas"),
    ("National Salvation Front", "nas"), ("SSOA", "ssoa"), ("SSUF/A", "ssuf"),
    ("CTSAMVM", "ctsamvm"), ("Lam Paul Gabriel", "spla-io-spokesperson"),
])
def test_aliases(scenario: Scenario, words: str, actor_id: str) -> None:
    actor = ActorDictionary(scenario.actors.values()).resolve(words)
    assert actor is not None and actor.id == actor_id


def test_the_zone_is_the_country(scenario: Scenario) -> None:
    gazetteer, day = default_gazetteer(), date(2020, 1, 1)
    boundary = scenario.zones["south-sudan"].boundary_on(day)
    assert boundary is not None
    for town in ("Juba", "Yei", "Wau", "Malakal", "Bentiu", "Torit"):
        place = gazetteer.resolve(town, country="SS")
        assert place is not None and place.lon is not None and place.lat is not None
        assert boundary.geometry.covers(Point(place.lon, place.lat)), town
    for town, country in (("Khartoum", "SD"), ("Kampala", "UG"), ("Gulu", "UG")):
        place = gazetteer.resolve(town, country=country)
        assert place is not None and place.lon is not None and place.lat is not None
        assert not boundary.geometry.covers(Point(place.lon, place.lat)), town


# --- worked examples ----------------------------------------------------------------------

# 30 June 2018, the first morning of the Khartoum permanent ceasefire: the SPLA-IO's
# spokesman Lam Paul Gabriel said the army attacked its positions on the outskirts of Wau
# early that Saturday and the fighting was still going on at midday (Bloomberg; the army
# in turn accused the SPLA-IO of attacks in the Liech states). The spokesman told it; the
# army did it.
WAU_2018 = """\
JUBA, June 30 (Trucewatch) - South Sudan's army attacked opposition positions on the \
outskirts of Wau early on Saturday, hours after a permanent ceasefire took effect, SPLA-IO \
spokesman Lam Paul Gabriel said. The fighting was still going on by midday, he said."""


def test_army_attack_at_wau_on_the_first_day_of_the_permanent_ceasefire(
        pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, WAU_2018, date(2018, 6, 30))
    assert incident.event_date == date(2018, 6, 30)
    assert incident.perpetrator_actor == "sspdf"
    assert verdict.kind is VerdictKind.VIOLATION
    assert set(verdict.agreements) == {"coha-2017", "khartoum-declaration-2018"}
    assert "bound by it" in reason_for(verdict, "Khartoum Declaration")


# 29 June 2018, 09:00: the SPLA-IO's office in Yei River State said government forces
# attacked its position at Kendiri in Kajo-Keji County (Sudan Tribune, 29 June 2018): a
# day before the Khartoum ceasefire began, so a breach of the COHA alone.
KENDIRI_2018 = """\
JUBA, June 29 (Trucewatch) - Government forces attacked an SPLA-IO position at Kendiri in \
Kajo-Keji County on Friday morning, the SPLA-IO office in Yei River State said, a day \
before a permanent ceasefire was due to begin."""


def test_kendiri_the_day_before_is_a_breach_of_the_coha_only(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, KENDIRI_2018, date(2018, 6, 29))
    assert incident.target_actor == "spla-io"
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("coha-2017",)


# 19 July 2020: NAS fighters killed SSPDF soldiers in clashes in Lobonok and Liria,
# Central Equatoria (NAS spokesman Suba Samuel Manase, Sudan Tribune, 25 July 2020). NAS
# did not sign R-ARCSS, so this is no violation of it; but NAS signed the COHA of 2017 and
# the Rome Declaration of January 2020, and CTSAMVM attributes violations to NAS "under
# the Revitalised Agreement and the incorporated COHA" (its board, October 2019): the
# verdict is a violation of those two, with R-ARCSS's reason saying NAS is not a party.
LOBONOK_2020 = """\
JUBA, July 20 (Trucewatch) - NAS fighters killed several SSPDF soldiers in clashes at \
Lobonok in Central Equatoria State on Sunday, a NAS spokesman said."""


def test_nas_attack_is_no_breach_of_r_arcss_but_of_the_coha_it_signed(
        pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, LOBONOK_2020, date(2020, 7, 20))
    assert incident.perpetrator_actor == "nas"
    assert "not a party" in reason_for(verdict, "R-ARCSS")
    assert "r-arcss-2018" not in verdict.agreements
    assert verdict.kind is VerdictKind.VIOLATION
    assert set(verdict.agreements) == {"coha-2017", "rome-declaration-2020"}


# --- not violations -----------------------------------------------------------------------

# 16 August 2019: forces of the South Sudan United Front/Army (SSUF/A) of Paul Malong
# attacked the SSPDF's Division 3 at War Ayan, Warrap (CTSAMVM board, 10 September 2019).
# SSUF/A was formed in 2018 and signed nothing until the Rome Declaration of January 2020;
# CTSAMVM said the attack could not be attributed to any signatory. The extractor takes
# "army" in "former army chief Paul Malong" for the attacker (reported to its owner): the
# report names him without the title.
WAR_AYAN_2019 = """\
JUBA, Aug 17 (Trucewatch) - Forces loyal to Paul Malong attacked an army base at War Ayan \
in Warrap State on Friday, the army spokesman said."""


def test_ssuf_attack_before_rome_binds_no_one(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, WAR_AYAN_2019, date(2019, 8, 17))
    assert incident.event_date == date(2019, 8, 16)
    assert incident.perpetrator_actor == "ssuf"     # not the spokesman who told it
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert all("not bound" in reason or "lies in" in reason for reason in verdict.reasons)


# Before the COHA took effect (00:01 on 24 December 2017) no agreement in this ledger was
# in force: the clashes between rival SPLA-IO factions in Southern Liech State in the week
# of 20 November 2017, at Rupkuai and one other place, which the state's information
# minister said left 19 dead (Eye Radio, 24 November 2017), break none of them.
RUPKUAI_2017 = """\
JUBA, Nov 24 (Trucewatch) - Clashes between rival SPLA-IO factions at Rupkuai in Southern \
Liech State killed 19 people this week, the state's information minister said."""


def test_fighting_before_the_coha_is_not_a_violation(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, RUPKUAI_2017, date(2017, 11, 24))
    assert incident.killed is not None and incident.killed.best == 19
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "took effect on 2017-12-24" in " ".join(verdict.reasons)
