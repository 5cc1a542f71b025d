"""The extractor, rule family by rule family, on sentences written for these tests,
and the worked example of DESIGN.md exactly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from trucewatch.actors import ActorDictionary
from trucewatch.extract import extract_claims, read_dateline
from trucewatch.extract.dates import find_event_dates
from trucewatch.extract.numbers import combine, find_figures, parse_number
from trucewatch.extract.sentences import split_sentences
from trucewatch.model import Actor, Casualties, DatePrecision, EventType, Report
from trucewatch.pipeline import default_gazetteer

SEED = Path(__file__).parent / "fixtures" / "seed_article.txt"
TUESDAY = date(2017, 7, 4)


@pytest.fixture
def actors() -> ActorDictionary:
    return ActorDictionary([
        Actor("gov", "Government forces", "state", ("Syrian warplanes", "government strike",
                                                     "government forces", "regime aircraft")),
        Actor("hts", "Hayat Tahrir al-Sham", "jihadist", ("Hayat Tahrir al-Sham", "HTS")),
    ])


def read(text: str, published: date | None = TUESDAY, actors: ActorDictionary | None = None):
    return extract_claims(Report(text=text, published=published), actors=actors,
                          gazetteer=default_gazetteer())


# --- casualty counts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "killed", "wounded"),
    [
        ("Two men and a boy were killed when the shell landed.", (3, 3, 3), None),
        ("A mother and her two daughters were killed in the blast.", (3, 3, 3), None),
        ("The raid killed at least 12 people and wounded 30 others.", (12, 12, None), (30, 30, 30)),
        ("More than 40 people died in the attack.", (41, 41, None), None),
        ("Dozens of people were wounded.", None, (12, 12, None)),
        ("A dozen fighters were killed.", (12, 12, None), None),
        ("Between 8 and 11 villagers were killed.", (8, 8, 11), None),
        ("A family of six was killed in the strike.", (6, 6, 6), None),
        ("The bombing left 17 wounded.", None, (17, 17, 17)),
        ("Shelling killed and wounded 45 people.", None, None),
        ("Twenty-three civilians were killed overnight.", (23, 23, 23), None),
        ("The death toll rose to 1,204 by evening.", (1204, 1204, 1204), None),
    ],
)
def test_casualty_figures(sentence: str, killed: tuple | None, wounded: tuple | None):
    figures = find_figures(sentence)
    found = {f.kind: (f.low, f.best, f.high) for f in figures}
    assert found.get("killed") == killed
    assert found.get("wounded") == wounded


@pytest.mark.parametrize(("words", "value"), [
    ("twenty five", 25), ("twenty-five", 25), ("1,200", 1200), ("dozens", 12),
    ("hundreds", 100), ("several", 3), ("a few", 3), ("two dozen", 24), ("lots", None),
])
def test_number_words(words: str, value: int | None):
    assert parse_number(words) == value


def test_competing_figures_become_a_range():
    figures = find_figures("Medics said six were killed.") + find_figures(
        "The monitor said 11 people were killed.") + find_figures("Others said eight were killed.")
    assert combine(figures) == Casualties(low=6, best=8, high=11)


@pytest.mark.parametrize(
    ("sentence", "civilians", "combatants"),
    [
        ("Three soldiers and two civilians were killed in the ambush.", 2, 3),
        ("Two men and a boy were killed when the shell landed.", 1, None),
        ("The raid killed 14 civilians, including five children.", 14, None),
        ("Six rebels were killed in the fighting.", None, 6),
        ("Nine people were killed in the strike.", None, None),
    ],
)
def test_civilians_and_fighters_apart_where_the_report_says(
    sentence: str, civilians: int | None, combatants: int | None
):
    killed = combine([f for f in find_figures(sentence) if f.kind == "killed"])
    assert (killed.civilians, killed.combatants) == (civilians, combatants)


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected", "part"),
    [
        ("on Tuesday", date(2017, 7, 4), None),  # the publication day itself
        ("late on Monday", date(2017, 7, 3), "evening"),
        ("on Sunday morning", date(2017, 7, 2), "morning"),
        ("yesterday", date(2017, 7, 3), None),
        ("overnight", date(2017, 7, 4), "night"),
        ("on July 2", date(2017, 7, 2), None),
        ("on 30 June", date(2017, 6, 30), None),
        ("on December 30", date(2016, 12, 30), None),  # a later month: the year before
        ("on March 3, 2015", date(2015, 3, 3), None),
    ],
)
def test_dates_resolve_against_publication(phrase: str, expected: date, part: str | None):
    [found] = find_event_dates(f"Strikes hit the town {phrase}.", TUESDAY)
    assert (found.day, found.precision, found.day_part) == (expected, DatePrecision.DAY, part)


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("last week", date(2017, 6, 26), DatePrecision.WEEK),
        ("earlier this week", date(2017, 7, 3), DatePrecision.WEEK),
        ("earlier this month", date(2017, 7, 1), DatePrecision.MONTH),
        ("last month", date(2017, 6, 1), DatePrecision.MONTH),
    ],
)
def test_periods_keep_their_precision(phrase: str, expected: date, precision: DatePrecision):
    [found] = find_event_dates(f"Strikes hit the town {phrase}.", TUESDAY)
    assert (found.day, found.precision) == (expected, precision)


def test_a_date_without_year_on_an_undated_page_stays_unknown():
    [found] = find_event_dates("Strikes hit the town on Sunday (October 8).", None)[:1]
    assert found.day is None


def test_byline_and_dateline():
    dateline = read_dateline("Headline\n\nBy Example Wire - Mar 09,2018\n\nBEIRUT, Lebanon — Text.")
    assert (dateline.published, dateline.outlet, dateline.place) == (
        date(2018, 3, 9), "Example Wire", "Beirut")
    agency = read_dateline("Title\nAMMAN (Reuters) - Jets struck a town.")
    assert (agency.outlet, agency.place) == ("Reuters", "Amman")


# --- sentences -------------------------------------------------------------------------------


def test_sentences_keep_offsets_and_abbreviations():
    text = "Title line\n\nU.S. officials spoke on Jan. 5 in Geneva. Then they left!\nCaption"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Title line", "U.S. officials spoke on Jan. 5 in Geneva.", "Then they left!", "Caption"]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert [s.paragraph for s in sentences] == [0, 1, 1, 2]


# --- events ----------------------------------------------------------------------------------


def test_event_with_place_date_toll_sources_and_perpetrator(actors: ActorDictionary):
    text = ("Strikes hit Saraqib\n\n"
            "Air strikes hit the town of Saraqib in Idlib province on Monday, killing five "
            "civilians and wounding 20, rescue workers said.\n"
            "The Syrian Observatory for Human Rights said the raids were carried out by "
            "regime aircraft.")
    [claim] = read(text, actors=actors)
    assert claim.event_type is EventType.AIR_STRIKE
    assert claim.location is not None and claim.location.name == "Saraqib"
    assert claim.location.admin1 == "Idlib" and claim.location.geo_precision == 1
    assert claim.event_date == date(2017, 7, 3)
    assert (claim.killed.best, claim.wounded.best) == (5, 20)
    assert claim.sources == ["rescue workers", "Syrian Observatory for Human Rights"]
    assert claim.perpetrator_actor == "gov"
    fields = {e.field for e in claim.evidence}
    assert {"event_type", "event_date", "location", "killed", "wounded", "sources",
            "perpetrator"} <= fields
    assert all(text[e.span.start:e.span.end] == e.span.text for e in claim.evidence)


def test_background_totals_and_populations_are_not_incidents():
    text = ("The war has killed more than 350,000 people since 2011.\n"
            "More than two million people are believed to live in Idlib province.\n"
            "In 2013 a chemical attack on Zamalka killed hundreds.")
    assert read(text) == []


def test_plans_threats_and_halts_are_not_incidents():
    text = ("The army said it would halt air strikes on Daraa until Thursday.\n"
            "Rebels threatened to shell Damascus if the siege continued.\n"
            "The deal says government forces should stop bombing Douma.")
    assert read(text) == []


def test_a_diplomacy_article_yields_nothing():
    text = ("Talks resume in Geneva\n\nDelegations met in Geneva on Tuesday to discuss a "
            "constitution; the envoy said progress was slow.")
    assert read(text) == []


def test_two_towns_with_their_own_tolls_are_two_incidents():
    text = ("Air strikes on markets killed dozens in Idlib province on Tuesday.\n"
            "Medics said 30 people were killed in Maarat al-Numan and nine were killed in "
            "Kafr Nubl.")
    claims = read(text)
    assert {c.location.name: c.killed.best for c in claims if c.location} == {
        "Maarat al-Numan": 30, "Kafr Nubl": 9}


def test_a_follow_up_sentence_adds_to_the_event_it_refers_to():
    text = ("Shelling hit the town of Rastan on Sunday.\n"
            "A local source said three people were killed in the attack.")
    [claim] = read(text)
    assert claim.event_type is EventType.SHELLING
    assert claim.killed.best == 3


def test_the_dateline_city_is_not_the_event_place():
    text = "DAMASCUS, Syria — Shelling hit the town of Harasta on Monday, killing two people."
    [claim] = read(text)
    assert claim.location is not None and claim.location.name == "Harasta"


def test_target_is_told_apart_from_perpetrator(actors: ActorDictionary):
    text = ("Syrian warplanes carried out air strikes on Hayat Tahrir al-Sham positions near "
            "Saraqib on Wednesday, killing four fighters.")
    [claim] = read(text, actors=actors)
    assert (claim.perpetrator_actor, claim.target_actor) == ("gov", "hts")


@pytest.mark.parametrize("text", ["", "   ", "ÿþ\x01\x02 random", "Lorem ipsum dolor sit amet.",
                                  "Гражданские погибли при обстреле города во вторник."])
def test_odd_text_yields_nothing_and_never_raises(text: str):
    assert read(text) == []


def test_the_seed_article_exactly(actors: ActorDictionary):
    text = SEED.read_text(encoding="utf-8")
    claims = read(text, actors=actors)
    assert len(claims) == 2
    by_place = {c.location.name: c for c in claims if c.location}
    douma, daraa = by_place["Douma"], by_place["Daraa"]

    assert douma.event_type is EventType.AIR_STRIKE
    assert douma.event_date == date(2017, 7, 4)
    assert douma.location is not None and douma.location.admin1 == "Rif Dimashq"
    assert douma.perpetrator == "Syrian warplanes" and douma.perpetrator_actor == "gov"
    # "a woman and a child were killed": both civilians; the wounded are not said to be.
    assert douma.killed == Casualties(2, 2, 2, civilians=2)
    assert douma.wounded == Casualties(10, 10, 10)
    assert {"medical source", "Syrian Observatory for Human Rights"} <= set(douma.sources)
    assert douma.sources_agree is True

    assert daraa.event_date == date(2017, 7, 3) and daraa.day_part == "evening"
    assert daraa.perpetrator_actor == "gov"
    assert daraa.killed == Casualties() and daraa.wounded == Casualties()
    assert daraa.sources == ["AFP"]


def test_a_lede_toll_without_a_place_joins_the_sentence_that_places_it():
    text = ("Strike kills 14 in the north\n"
            "SANAA, Yemen — An air strike killed at least 14 people in the country's north on "
            "Tuesday, a health official said.\n"
            "The strike hit a market in Saada province, wounding 20 others.")
    [claim] = read(text)
    assert claim.location is not None and claim.location.admin1 == "Saada"
    assert (claim.killed.best, claim.wounded.best) == (14, 20)
    assert claim.event_date == TUESDAY


def test_a_strike_toll_is_not_a_war_total():
    text = "An air strike on the market of Saraqib on Tuesday has killed at least 26 people."
    [claim] = read(text)
    assert claim.killed.best == 26


def test_an_undated_event_takes_the_day_the_report_gives_for_the_violence():
    text = ("It was not clear who carried out Tuesday's air strikes.\n"
            "Air strikes killed 14 people in the town of Saraqib, rescue workers said.")
    [claim] = read(text)
    assert claim.event_date == TUESDAY
    assert any(e.field == "event_date" and e.span.text.startswith("It was not clear")
               for e in claim.evidence)


@pytest.mark.slow  # reads a huge text
def test_reading_notes_for_other_languages_and_huge_texts():
    from trucewatch.extract import MAX_TEXT_CHARS, reading_notes

    russian = "Гражданские погибли при обстреле города во вторник, сообщили источники. " * 5
    french = "Des frappes aériennes ont touché la ville mardi, selon des sources locales. " * 5
    english = ("Shelling hit the town of Harasta on Tuesday and three people were killed, "
               "medics said. ") * 5
    assert "does not look like English" in reading_notes(russian)[0]
    assert "does not look like English" in reading_notes(french)[0]
    assert reading_notes(english) == []
    huge = english * (MAX_TEXT_CHARS // len(english) + 10)
    assert any("only the first 200,000" in note for note in reading_notes(huge))
    assert read(huge)  # the beginning is still read


def test_a_period_is_not_printed_as_a_day():
    from trucewatch.publish.records import claim_record

    [claim] = read("Shelling hit the town of Harasta earlier this week, killing two people.")
    record = claim_record(claim)
    assert record["event_date"] is None
    assert (record["date_precision"], record["period_start"]) == ("week", "2017-07-03")


def test_named_sources_are_canonical_and_unnamed_ones_kept_as_worded():
    text = ("Shelling hit the town of Harasta on Monday, killing two people, rescuers and "
            "the observatory said, a toll confirmed by a police source.")
    [claim] = read(text)
    assert claim.sources == ["Syrian Observatory for Human Rights", "rescuers", "police source"]
    assert claim.sources_agree is True


def test_past_perfect_tolls_are_read():
    text = ("Shelling hit the town of Harasta on Monday.\n"
            "Residents said that a total of four people had been killed in the shelling.")
    [claim] = read(text)
    assert claim.killed.best == 4


def test_a_single_person_toll_and_places_given_by_distance():
    text = ("Shelling hit the town of Harasta on Monday, wounding two people.\n"
            "On Tuesday an old woman was injured by shelling in Kfar Qasim (a village 12 km "
            "north of Harasta).\n"
            "A man was killed by a landmine about 3 km east of Saraqib on Wednesday.")
    claims = read(text)
    by_place = {c.location.name: c for c in claims if c.location}
    # The woman was hurt in a village the gazetteer does not know: her incident keeps the
    # village's name, is placed near Harasta (precision 2), and her toll is not Harasta's.
    assert by_place["Harasta"].wounded.best == 2
    village = by_place["Kfar Qasim"]
    assert village.wounded.best == 1
    assert village.location is not None and village.location.geo_precision == 2
    assert village.location.admin1 == by_place["Harasta"].location.admin1
    near = by_place["Saraqib"]
    assert near.killed.best == 1
    assert near.location is not None and near.location.geo_precision == 2  # near the town


def test_each_shell_in_its_own_neighbourhood_is_its_own_incident():
    text = (
        "Two civilians were wounded on Monday when militants fired a rocket shell that fell "
        "in Bab Touma in Damascus. A source at the Damascus police command told reporters "
        "that the shell damaged a school. The source added that another mortar shell hit "
        "a house in Sarouja, causing material damage."
    )
    claims = read(text)
    assert [c.location.name for c in claims if c.location] == ["Bab Touma", "Sarouja"]
    bab_touma, sarouja = claims
    assert bab_touma.wounded.best == 2
    assert bab_touma.perpetrator == "militants"
    assert "police command" in bab_touma.sources
    # "The source added ...": the source cited before, not a new one.
    assert sarouja.sources == ["police command"]
    assert sarouja.wounded.best is None


def test_a_group_named_in_lower_case_is_the_perpetrator_only_when_it_acts():
    [acting] = read("On Monday armed groups fired a mortar shell at Jobar, wounding four people.")
    assert acting.perpetrator == "armed groups"
    [victims] = read("On Monday a mortar shell fell on Jobar, wounding four militants.")
    assert victims.perpetrator is None


def test_a_photo_caption_of_another_day_does_not_take_the_ledes_toll():
    text = (
        "Seven killed in Saudi-led air strike in Yemen, medics say\n\n"
        "Men inspect a house destroyed by an air strike in the city of Saada, Yemen "
        "January 21, 2018. (photo credit: A. REPORTER / REUTERS)\n"
        "At least seven people were killed in a coalition air strike on Tuesday, "
        "medics said.\n"
        "Yemen has been at war for three years.\n"
        "Witnesses said an aircraft struck a market in Razeh district in Saada province.\n"
        "Two others were wounded, medics said."
    )
    claims = read(text, published=date(2018, 1, 23))
    by_place = {c.location.name: c for c in claims if c.location}
    assert set(by_place) == {"Razeh", "Saada"}
    market, caption = by_place["Razeh"], by_place["Saada"]
    assert (market.event_date, market.killed.best, market.wounded.best) == (
        date(2018, 1, 23), 7, 2)
    assert caption.event_date == date(2018, 1, 21)
    assert not caption.killed.known and caption.sources == ["Reuters"]


def test_a_town_is_read_in_the_governorate_the_report_is_about():
    text = ("Shelling continued across Luhansk region on Monday, the OSCE said. "
            "Two civilians were wounded in Mykolaivka when shells hit their house.")
    [claim] = read(text)
    assert claim.location is not None
    assert (claim.location.name, claim.location.admin1) == ("Mykolaivka", "Luhansk")


def test_an_attribution_left_open_names_no_perpetrator():
    [claim] = read("An air strike on the town of Saraqib killed four civilians on Monday. "
                   "It was not clear whether Russian or Syrian jets carried out the raid.")
    assert claim.perpetrator is None
    [claim] = read("On Sunday one civilian was wounded by gunfire in Jobar, the rebels' "
                   "news agency said.")
    assert claim.perpetrator is None  # the rebels' agency tells; it is not said to have fired
    assert claim.event_type is EventType.ARMED_CLASH


def test_a_city_event_is_not_taken_for_a_summary_of_another_kind_of_event():
    claims = read(
        "Two children were killed on Monday when rebels fired mortar shells at a district "
        "of Aleppo, state media said. Separately, an air strike on the town of Atareb in "
        "the Aleppo countryside killed four civilians on Monday, activists said.")
    # GeoNames' Al Atārib under the report's spelling
    assert sorted(c.location.name for c in claims if c.location) == ["Aleppo", "Atareb"]


# --- the demo reports of `make run` --------------------------------------------------------

DEMO = Path(__file__).parent.parent / "src" / "trucewatch" / "demo"


@pytest.mark.parametrize(
    ("name", "event_type", "day", "place", "killed", "wounded", "perpetrator", "target"),
    [
        ("01-violation-saqba.txt", EventType.AIR_STRIKE, date(2017, 7, 18), "Saqba", 4, 15,
         "syrian-government", None),
        ("02-excluded-hts.txt", EventType.AIR_STRIKE, date(2017, 7, 26), "Khan Sheikhoun", 6,
         None, "russia", "hts"),
        ("03-outside-raqqa.txt", EventType.AIR_STRIKE, date(2017, 7, 20), "Raqqa", 12, None,
         "us-led-coalition", None),
        ("04-before-memorandum-idlib.txt", EventType.AIR_STRIKE, date(2017, 4, 29), "Saraqib",
         5, 20, "syrian-government", None),
        ("05-unknown-perpetrator-rastan.txt", EventType.SHELLING, date(2017, 8, 10), "Rastan",
         3, 8, None, None),
    ],
)
def test_demo_reports_read_as_their_one_incident(
    name: str, event_type: EventType, day: date, place: str, killed: int,
    wounded: int | None, perpetrator: str | None, target: str | None,
):
    from trucewatch.scenario import load_scenario

    scenario_actors = ActorDictionary(load_scenario("astana-2017").actors.values())
    text = (DEMO / name).read_text(encoding="utf-8")
    [claim] = extract_claims(Report(text=text), actors=scenario_actors)
    assert claim.event_type == event_type
    assert claim.event_date == day
    assert claim.location is not None and claim.location.name == place
    assert claim.killed.best == killed
    assert claim.wounded.best == wounded
    assert claim.perpetrator_actor == perpetrator
    assert claim.target_actor == target
    assert claim.sources
