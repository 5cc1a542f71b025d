"""The kashmir-loc scenario: it validates, says what the 2003, 2021 and 2025 understandings
say, and real incidents of the Line of Control ceasefire, told in our own words, get the
verdicts a monitor would give when read through the whole pipeline (extractor, gazetteer,
assessment)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from shapely.geometry import Point

from scenario_support import judged_once, reasons
from trucewatch.actors import ActorDictionary
from trucewatch.model import Report, Scenario, VerdictKind
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.scenario import builtin_scenarios, load_scenario, validate_scenario

NAME = "kashmir-loc"


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
    assert by_id["ceasefire-2003"].start == datetime(2003, 11, 26, 0, 0)   # midnight 25/26 Nov
    assert by_id["ceasefire-2003"].end is None
    assert not by_id["ceasefire-2003"].written                           # a hotline understanding
    assert by_id["dgmo-recommitment-2021"].start == datetime(2021, 2, 25, 0, 0)
    assert by_id["cessation-2025"].start == datetime(2025, 5, 10, 17, 0)  # 17:00 IST
    assert scenario.timezone == "Asia/Kolkata"
    for agreement in scenario.agreements:
        assert set(agreement.zones) == {"line-of-control", "working-boundary", "agpl"}
        assert {"militants", "jaish-e-mohammed", "lashkar-e-taiba"} <= set(agreement.excluded)


def test_services_sit_under_their_side(scenario: Scenario) -> None:
    actors = scenario.actors
    assert {actors[a].part_of for a in ("indian-army", "bsf", "indian-air-force")} == {
        "indian-forces"}
    assert {actors[a].part_of for a in ("pakistan-army", "pakistan-rangers",
                                        "pakistan-air-force")} == {"pakistani-forces"}
    assert actors["unmogip"].role.value == "monitor"
    assert actors["ispr"].role.value == "reporting"


@pytest.mark.parametrize(("words", "actor_id"), [
    ("Pakistan Army", "pakistan-army"), ("Pakistani troops", "pakistani-forces"),
    ("Pakistan Rangers", "pakistan-rangers"), ("Indian Army", "indian-army"),
    ("Indian troops", "indian-forces"), ("BSF", "bsf"), ("Jaish-e-Mohammed", "jaish-e-mohammed"),
    ("The Resistance Front", "lashkar-e-taiba"), ("the military's media wing", "ispr"),
])
def test_aliases(scenario: Scenario, words: str, actor_id: str) -> None:
    actor = ActorDictionary(scenario.actors.values()).resolve(words)
    assert actor is not None and actor.id == actor_id


@pytest.mark.parametrize(("town", "country", "zone"), [
    ("Uri", "IN", "line-of-control"), ("Pūnch", "IN", "line-of-control"),
    ("Kupwara", "IN", "line-of-control"), ("Keran", "IN", "line-of-control"),
    ("Kotli", "PK", "line-of-control"), ("Bhimber", "PK", "line-of-control"),
    ("Kargil", "IN", "line-of-control"), ("Samba", "IN", "working-boundary"),
    ("Sialkot", "PK", "working-boundary"),
])
def test_towns_on_the_line_lie_in_its_band(scenario: Scenario, town: str, country: str,
                                           zone: str) -> None:
    place = default_gazetteer().resolve(town, country=country)
    assert place is not None and place.lat is not None and place.lon is not None
    boundary = scenario.zones[zone].boundary_on(date(2021, 1, 1))
    assert boundary is not None and boundary.geometry.covers(Point(place.lon, place.lat)), town


def test_srinagar_and_lahore_lie_outside(scenario: Scenario) -> None:
    gazetteer = default_gazetteer()
    for town, country in (("Srinagar", "IN"), ("Lahore", "PK"), ("Islamabad", "PK")):
        place = gazetteer.resolve(town, country=country)
        assert place is not None and place.lat is not None and place.lon is not None
        point = Point(place.lon, place.lat)
        for zone in scenario.zones.values():
            boundary = zone.boundary_on(date(2021, 1, 1))
            assert boundary is None or not boundary.geometry.covers(point), (town, zone.id)


# --- worked examples ----------------------------------------------------------------------

# 1 October 2020: Pakistani mortar fire on Indian posts in the Naugam sector of Kupwara
# killed two soldiers and wounded four (Srinagar-based defence spokesman, reported by ANI
# and PTI). The ceasefire of 2003 was in force; the 2021 recommitment was not yet made.
NAUGAM_2020 = """\
SRINAGAR, Oct 1 (Trucewatch) - Two Indian soldiers were killed and four were wounded on \
Thursday morning when Pakistani troops fired mortars at their posts along the Line of \
Control in the Naugam sector of Kupwara district, a defence spokesman said. The Indian \
Army retaliated."""


def test_pakistani_mortar_fire_in_kupwara_2020(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, NAUGAM_2020, date(2020, 10, 1))
    assert incident.event_date == date(2020, 10, 1)
    assert incident.perpetrator_actor == "pakistani-forces"   # not the spokesman who told it
    assert incident.killed is not None and incident.killed.best == 2
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("ceasefire-2003",)
    assert "line of control" in reasons(verdict).lower()
    assert "Pakistani forces are bound by it" in reasons(verdict)


# 5 July 2020, late at night: Pakistan's ISPR said Indian fire in the Nikial (Nakyal)
# sector of Kotli wounded five civilians, two boys and two elderly women among them
# (ISPR, 6 July 2020; The News, The Nation). The extractor reads neither "fired on
# villages" nor "unprovoked firing" as an attack (reported to its owner): the report
# says "fired mortar shells at villages".
NIKIAL_2020 = """\
RAWALPINDI, July 6 (Trucewatch) - Indian troops fired mortar shells at villages in the \
Nikial sector of Kotli district late on Sunday night, wounding five civilians, among them \
two boys and two elderly women, the military's media wing ISPR said. Pakistani troops \
responded, it said."""


def test_indian_fire_in_nikial_2020(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, NIKIAL_2020, date(2020, 7, 6))
    assert incident.event_date == date(2020, 7, 5)
    assert incident.perpetrator_actor == "indian-forces"
    assert incident.location is not None and incident.location.country == "Pakistan"
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("ceasefire-2003",)
    assert "Indian forces are bound by it" in reasons(verdict)


# 8 November 2023, at night: a BSF soldier was killed by Pakistan Rangers' fire on border
# outposts in the Ramgarh sector of Samba, on the International Border (Indian officials,
# PTI, 9 November). The first death in such firing since the DGMOs' statement of 2021:
# a breach of both understandings by a unit of the Pakistani side. The extractor reads
# "opened unprovoked fire" as no event (reported to its owner): the report says "opened
# fire"; the gazetteer does not know Ramgarh, so the report names the district.
SAMBA_2023 = """\
JAMMU, Nov 9 (Trucewatch) - A BSF soldier was killed when Pakistan Rangers opened fire on \
border outposts in Samba district on Wednesday night, officials said."""


def test_rangers_fire_in_samba_breaks_both_understandings(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, SAMBA_2023, date(2023, 11, 9))
    assert incident.event_date == date(2023, 11, 8)
    assert incident.perpetrator_actor == "pakistan-rangers"
    assert verdict.kind is VerdictKind.VIOLATION
    assert set(verdict.agreements) == {"ceasefire-2003", "dgmo-recommitment-2021"}
    assert "working boundary" in reasons(verdict)


# 7 May 2025: Pakistani shelling of Poonch town and its villages killed at least 12
# civilians on the first day of the May 2025 hostilities (Indian officials; Reuters, PTI).
# The 2003 and 2021 understandings were in force; the 10 May one was not yet.
POONCH_2025 = """\
JAMMU, May 7 (Trucewatch) - Pakistani shelling killed at least 12 civilians in Poonch on \
Wednesday, officials said."""


def test_poonch_shelling_before_the_may_2025_understanding(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, POONCH_2025, date(2025, 5, 7))
    assert incident.perpetrator_actor == "pakistani-forces"
    assert incident.killed is not None and incident.killed.low == 12
    assert verdict.kind is VerdictKind.VIOLATION
    assert set(verdict.agreements) == {"ceasefire-2003", "dgmo-recommitment-2021"}
    assert "cessation-2025" not in verdict.agreements


# --- not violations -----------------------------------------------------------------------

# 18 September 2016: four militants attacked the army's brigade headquarters at Uri before
# dawn, killing 17 soldiers (a 19th died later); India blamed Jaish-e-Mohammed. An attack
# by an armed group is no breach of the two armies' ceasefire, whoever India holds
# responsible for sending it. The extractor takes "the Line of Control" in "in Uri near
# the Line of Control" for a place called "Line" (reported to its owner): the report
# leaves that phrase out.
URI_2016 = """\
SRINAGAR, Sept 18 (Trucewatch) - Militants stormed an army brigade headquarters in Uri \
before dawn on Sunday, killing 17 soldiers, the army said. Officials blamed \
Jaish-e-Mohammed."""


def test_militant_attack_at_uri_is_not_a_ceasefire_violation(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, URI_2016, date(2016, 9, 18))
    assert incident.location is not None and incident.location.name == "Uri"
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "not a party" in reasons(verdict)


# 5 April 2020: Indian special forces fought infiltrators who had crossed the LoC in the
# Keran sector; five militants and five soldiers were killed (Indian Army, 6 April 2020).
# Fighting an infiltration bid is not fire across the line at the other army.
KERAN_2020 = """\
SRINAGAR, April 6 (Trucewatch) - Indian Army troops killed five militants trying to cross \
the Line of Control in the Keran sector of Kupwara district on Sunday, and five Indian \
soldiers were killed in the fighting, the army said."""


def test_fighting_infiltrators_at_keran_is_not_a_violation(pipeline: Pipeline) -> None:
    incident, verdict = judged_once(pipeline, KERAN_2020, date(2020, 4, 6))
    assert incident.target_actor == "militants"
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "excluded" in reasons(verdict)


# After 25 February 2021 the line fell quiet: a report of the quiet tells no incident.
# The extractor reads "not a single shell had landed" as a shelling (reported to its
# owner); this report says "the guns have been silent".
QUIET_2021 = """\
JAMMU, March 25 (Trucewatch) - The guns have been silent along the Line of Control since \
the two armies recommitted to the ceasefire on February 25, villagers in Poonch said. \
Farmers are back in fields near the fence."""


def test_the_quiet_after_february_2021_is_no_incident(pipeline: Pipeline) -> None:
    assert pipeline.check(Report(text=QUIET_2021, published=date(2021, 3, 25))) == []
