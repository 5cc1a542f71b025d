"""The extractor on news from many conflicts: places no gazetteer knows, datelines,
lists of places, tolls counted part by part, who speaks and who did it, contested
attribution. Sentences written for these tests, after the structures of wire copy, local
outlets and official statements."""

from __future__ import annotations

from datetime import date

import pytest

from trucewatch.extract import extract_claims, read_dateline
from trucewatch.extract.numbers import find_figures
from trucewatch.extract.places import PlaceReader
from trucewatch.merge import merge_claims
from trucewatch.model import Confidence, EventType, Report
from trucewatch.pipeline import default_gazetteer


def read(text: str, published: date | None = date(2024, 6, 4)):
    return extract_claims(Report(text=text, published=published), gazetteer=default_gazetteer())


def by_place(claims):
    return {c.location.name: c for c in claims if c.location}


def test_a_village_no_gazetteer_knows_keeps_its_name_and_its_province():
    claims = read("GOMA, June 3 (Reuters) - Rebels attacked the village of Kabizo-Ntamba in "
                  "Rutshuru territory, North Kivu province, on Monday, killing nine civilians, "
                  "a local official said.")
    [claim] = claims
    assert claim.location.name == "Kabizo-Ntamba"
    assert claim.location.country == "Democratic Republic of the Congo"
    assert claim.location.geo_precision >= 2  # placed at a coarser place, and says so
    assert claim.location.lat is not None
    assert claim.killed.best == 9
    assert claim.event_date == date(2024, 6, 3)


@pytest.mark.parametrize(("text", "place", "country"), [
    ("Drones struck a market in El Fasher on Sunday, killing 14 people, medics said.",
     "El Fasher", "Sudan"),
    ("Gunmen killed 11 farmers in Zamfara's Gusau on Saturday, police said.",
     "Gusau", "Nigeria"),
    ("An explosion at a checkpoint in Kidal killed two soldiers on Friday.",
     "Kidal", "Mali"),
    ("Shelling hit Kherson on Monday, wounding four residents, the regional governor said.",
     "Kherson", "Ukraine"),
    ("An air strike on Lashio killed six civilians on Sunday, residents said.",
     "Lashio", "Myanmar"),
    ("Militants ambushed a patrol near Kunduz on Saturday, killing three policemen.",
     "Kunduz", "Afghanistan"),
])
def test_towns_of_any_country(text: str, place: str, country: str):
    [claim] = read(text)
    assert claim.location.name == place and claim.location.country == country


def test_wire_datelines_are_the_reporters_city_not_the_event_place():
    for line, city in [("JUBA, Feb. 9 (Xinhua) -- Fifteen people", "Juba"),
                       ("Rome, 06 Dec - Five civilians", "Rome"),
                       ("ADDIS ABABA - More than 100", "Addis Ababa"),
                       ("MOGADISHU (dpa) - At least", "Mogadishu")]:
        assert read_dateline(line).place == city
    assert read_dateline("GENEVA, 17 February 2026 - The UN").published == date(2026, 2, 17)
    claims = read("NAIROBI, June 3 (AFP) - Al-Shabaab fighters stormed a military base in "
                  "Marka on Monday, killing five soldiers, officials told reporters in "
                  "Mogadishu.")
    assert [c.location.name for c in claims] == ["Marka"]


def test_each_place_of_a_list_is_its_own_incident():
    claims = read("Insurgents attacked army positions at Delwa, Goniri, Kukawa and Mainok "
                  "in Borno State on Sunday, the army said.")
    names = [c.location.name for c in claims]
    assert names[:4] == ["Delwa", "Goniri", "Kukawa", "Mainok"]


def test_reference_points_and_origins_are_not_where_it_hit():
    [claim] = read("Shells fired from positions in Horlivka hit Toretsk on Monday, wounding "
                   "two civilians.")
    assert claim.location.name == "Toretsk"
    [near] = read("A roadside bomb exploded near Baidoa on Tuesday, killing four soldiers.")
    assert near.location.name == "Baidoa" and near.location.geo_precision == 2


@pytest.mark.parametrize(("sentence", "kind", "count"), [
    ("The strike killed a child.", "killed", 1),
    ("Shelling killed two children and a woman.", "killed", 3),
    ("Fighting killed three rebels and two loyalists.", "killed", 5),
    ("A drone strike hit the house, killing a commander and one of his aides.", "killed", 2),
    ("Health officials put the toll at 31.", "killed", 31),
    ("Nine civilians, three of them children, were killed on Monday.", "killed", 9),
    ("Jets bombed the market, leaving at least 25 people dead and dozens more hurt.",
     "wounded", 12),
    ("A mortar shell hit the souq, killing three people and wounding a dozen others.",
     "wounded", 12),
    ("Attacks in the north leave 12 jihadists and three soldiers dead.", "killed", 15),
    ("The raid cost the lives of nine rebels as well as two villagers.", "killed", 11),
    ("Gunmen killed 15 soldiers plus four militia fighters near the lake.", "killed", 19),
    ("The raid left four Internally Displaced Persons (IDPs) dead.", "killed", 4),
    ("Five of one family killed as shell hits home in Ariha", "killed", 5),
    ("A shell hit the street, killing a six-year-old boy and his mother.", "killed", 2),
    ("A drone struck a gathering in eastern Rafah, martyring one person.", "killed", 1),
    ("Three members of the same family were wounded in the strike.", "wounded", 3),
])
def test_tolls_as_news_states_them(sentence: str, kind: str, count: int):
    [figure] = [f for f in find_figures(sentence) if f.kind == kind]
    assert figure.best == count


def test_running_totals_are_background():
    assert read("More than 4,000 people had been killed in the war by then.") == []
    assert read("The war, in which more than 1,000 people died, ended in 2020.") == []
    [claim] = read(
        "An Israeli drone strike on a car in Bint Jbeil killed two men on Friday, the health "
        "ministry said. The war left more than 4,000 people dead, leaving some 17,000 "
        "injured. Israeli fire has killed 331 people and wounded 945 since the ceasefire "
        "began, and monitors have logged 3,000 breaches of the truce, in which more than 250 "
        "people have been killed and over 560 wounded.", published=date(2025, 7, 27))
    assert (claim.killed.best, claim.wounded.best) == (2, None)
    assert read("As of Tuesday, 24 people had died of wounds from Israeli strikes in Gaza City, "
                "the ministry said.", published=date(2025, 2, 12)) == []


def test_an_attack_on_soldiers_is_an_armed_clash_on_civilians_an_attack():
    [base] = read("Jihadists attacked a military base in Djibo on Monday, killing 12 soldiers.")
    [village] = read("Jihadists attacked villagers in Seytenga on Monday, killing 12 civilians.")
    assert base.event_type is EventType.ARMED_CLASH
    assert village.event_type is EventType.ATTACK


def test_a_year_long_past_is_history_but_a_birth_year_is_not():
    assert read("In 2013 jihadists attacked Gao, killing 20 people.") == []
    [claim] = read("A teacher born in 1960 was among two people killed by shelling in Kherson "
                   "on Monday.")
    assert claim.location.name == "Kherson" and claim.killed.best == 2


def test_sources_are_who_the_sentence_cites():
    [claim] = read("Gunmen killed at least 20 people in Kapanga on Sunday, a regional "
                   "government official said, according to the Sudan Doctors Network.")
    assert "regional government official" in claim.sources
    assert "Sudan Doctors Network" in claim.sources


def test_the_speaker_is_not_the_perpetrator_and_the_world_names_who_did_it():
    [claim] = read("The army said Rapid Support Forces shelled Omdurman on Monday, killing "
                   "seven civilians.")
    assert claim.perpetrator == "Rapid Support Forces"
    [israeli] = read("Israeli jets struck a house in Khan Younis on Monday, killing six "
                     "people, the health ministry said.")
    assert israeli.perpetrator == "Israeli jets"


def test_contested_attribution_is_kept_with_who_says_what():
    claims = read("Shelling hit a market in El Fasher on Monday, killing 12 people, residents "
                  "said. The army blamed the Rapid Support Forces for the attack. The RSF "
                  "denied any involvement and accused the army of shelling the market itself.")
    [claim] = claims
    assert claim.notes is not None and claim.notes.startswith("Attribution contested")
    assert "army blames Rapid Support Forces" in claim.notes and "denies it" in claim.notes
    [incident] = merge_claims(claims)
    assert incident.confidence is Confidence.CONTESTED


def test_peoples_faiths_and_armed_groups_are_not_places():
    claims = read("A suicide bomber struck a Shiite mosque in Kunduz on Friday, killing 46 "
                  "worshippers, officials said. The Taliban blamed the Islamic State.")
    assert [c.location.name for c in claims] == ["Kunduz"]
    claims = read("Houthi drones hit a Saudi airport near Abha on Monday, wounding eight "
                  "people, the coalition said.")
    assert all(not c.location.name.startswith("Saudi") for c in claims)


def test_the_outskirts_of_listed_towns_and_a_spot_inside_a_town():
    claims = read("Jets hit the outskirts of Zrariyeh, Kfar Melki and Mahmoudiyah in southern "
                  "Lebanon on Monday, starting fires, the state news agency said.")
    assert [c.location.name for c in claims] == ["Zrariyeh", "Kfar Melki", "Mahmoudiyah"]
    assert all(c.location.geo_precision >= 2 for c in claims)  # near them, not in them
    [spot] = read("In Gaza City, a drone hit a crowd at the Shejaiya junction on Monday, "
                  "killing one person, the civil defence said.")
    assert spot.location.name == "Shejaiya junction"


@pytest.mark.parametrize(("text", "killed"), [
    ("The shelling resulted in the killing of 6 civilians, the camp committee said.", 6),
    ("Relatives mourned the deaths of two nurses in the strike.", 2),
    ("Gunmen killed four members of the police and three civilians in the raid.", 7),
    ("Gunmen killed 5 soldiers and 12 others were wounded.", 5),
    ("Eight men and women were killed when the bus was hit.", 8),
])
def test_tolls_written_as_nouns_or_in_two_parts(text: str, killed: int):
    assert sum(f.best for f in find_figures(text) if f.kind == "killed") == killed


def test_an_armed_group_at_home_says_which_country_a_village_is_in():
    # No country is named: the RSF are a Sudanese force, so Abu Shouk is the camp in
    # North Darfur, not a place of the same name elsewhere.
    [claim] = read("Rapid Support Forces shells fell on the market of Abu Shouk camp on "
                   "Sunday morning, killing seven civilians, a camp official said.")
    assert claim.location.country == "Sudan"
    assert claim.killed.best == 7


def test_the_day_somebody_spoke_gives_way_to_the_day_it_happened():
    claims = read("Separatists killed six gendarmes at the weekend in western Cameroon, "
                  "officials said on Sunday.\n\nAbout 20 gunmen stormed the gendarmerie in "
                  "Galim on Saturday, officials said.", published=date(2024, 6, 3))
    [claim] = [c for c in claims if c.location and c.location.name == "Galim"]
    assert claim.event_date == date(2024, 6, 1)
    assert claim.killed.best == 6
    # With nothing else to date it, the day they spoke is the day.
    [only] = read("Gunmen killed six gendarmes in Galim, officials said on Sunday.",
                  published=date(2024, 6, 3))
    assert only.event_date == date(2024, 6, 2)


def test_a_lede_total_gives_way_to_each_towns_own_toll():
    claims = read(
        "Overnight strikes in the south killed at least 10 people, the health ministry said "
        "on Tuesday.\n\nOne strike on Nabatieh left six people dead, the ministry said. "
        "Another hit Tyre, killing four.")
    assert sorted(c.killed.best for c in claims) == [4, 6]


def test_a_dateline_day_before_a_count_is_not_a_range():
    [figure] = find_figures("KYIV, March 26 - Four soldiers were killed in shelling.")
    assert (figure.low, figure.best, figure.high) == (4, 4, 4)


def test_a_place_inside_an_armed_groups_name_is_the_group():
    [claim] = read("Forces of the Donetsk People's Republic shelled Avdiivka on Monday, "
                   "killing two soldiers, the army said.", published=date(2021, 3, 2))
    assert claim.location.name == "Avdiivka"


def test_a_town_in_the_province_the_report_states():
    # The only Shumy the gazetteer knows is in Crimea; the report says Donetsk region.
    [claim] = read("Mortar fire hit Shumy, Donetsk region, on Friday, killing four Ukrainian "
                   "soldiers, the army said.", published=date(2021, 3, 27))
    assert claim.location.name == "Shumy"
    assert claim.location.admin1 == "Donetsk"


def test_a_monitors_count_of_violations_is_a_record_of_its_own():
    claims = read(
        "In Donetsk region, the monitors recorded 112 ceasefire violations, including 16 "
        "explosions. In Luhansk region, the mission recorded 676 ceasefire violations.\n\n"
        "A shell exploded in a yard in Horlivka on 28 May, wounding two children, medical "
        "staff told the monitors.", published=date(2021, 5, 31))
    places = {c.location.admin1: c for c in claims if c.location.geo_precision == 3}
    assert set(places) == {"Donetsk", "Luhansk"}  # not folded into the Horlivka shelling
    assert places["Donetsk"].event_type is EventType.SHELLING  # explosions were counted
    [town] = [c for c in claims if c.location.geo_precision == 1]
    assert town.location.name == "Horlivka" and town.wounded.best == 2


def test_a_sides_count_of_the_others_violations_is_a_record():
    [claim] = read("Over the past day, enemy units violated the ceasefire eight times near "
                   "Avdiivka, the press centre said.", published=date(2021, 4, 12))
    assert claim.location.name == "Avdiivka"


@pytest.mark.parametrize("text", [
    "Seven soldiers were killed and 17 others wounded on Thursday when militants attacked "
    "an army post in Kandadji, the defence ministry said.",
    "Insurgents stormed Macomia on Friday and fought government troops for hours, "
    "killing three soldiers, local sources said.",
    # an armed group named as the target; fire on border posts
    "Jihadist fighters attacked the Wagner Group near the village of Diafarabe in central "
    "Mali on Monday, killing four, a local official said.",
    "Taliban forces opened fire on Pakistani border posts near Chaman on Saturday night, "
    "killing two, the army said.",
])
def test_soldiers_attacked_is_a_clash(text: str):
    [claim] = read(text, published=date(2022, 9, 30))
    assert claim.event_type is EventType.ARMED_CLASH


def test_the_weapon_named_types_the_attack_not_the_verb_of_hitting():
    [claim] = read("Fourteen rockets struck the Ain al-Asad air base in Anbar on Wednesday, "
                   "wounding two people, the coalition said.", published=date(2021, 3, 4))
    assert claim.event_type is EventType.SHELLING


def test_an_event_told_without_a_source_rests_on_the_one_named_before():
    claims = read("Air strikes killed 12 people in Douma on Monday, the Syrian Observatory for "
                  "Human Rights said.\n\nIn Saqba, five more were killed in shelling on Monday.",
                  published=date(2018, 2, 20))
    assert len(claims) == 2
    assert all(any("Observatory" in s for s in c.sources) for c in claims)


def test_an_address_finest_first_is_one_place_not_a_list():
    claims = read("Two rebels were killed on Sunday in a gunfight in Sitio Bugo, Barangay "
                  "Buenavista, Himamaylan City, Negros Occidental, the army said.",
                  published=date(2019, 10, 7))
    assert [c.location.name for c in claims] == ["Sitio Bugo"]
    assert claims[0].killed.best == 2


@pytest.mark.parametrize(("text", "killed"), [
    ("Insurgents killed and beheaded five people on Tuesday.", 5),
    ("Gunmen shot dead two residents of the village.", 2),
    ("Three soldiers were gunned down at the checkpoint.", 3),
])
def test_killings_by_other_verbs(text: str, killed: int):
    assert sum(f.best for f in find_figures(text) if f.kind == "killed") == killed


def test_the_attack_told_again_in_a_finer_place_is_the_same_attack():
    claims = read("Taliban fighters stormed a police checkpoint in Day Kundi province on Friday, "
                  "killing at least 10 policemen, officials said. The governor said 15 other "
                  "policemen were wounded in the assault in Patu district.",
                  published=date(2019, 7, 27))
    [claim] = claims
    assert claim.location.name == "Patu"
    assert (claim.killed.best, claim.wounded.best) == (10, 15)


def test_a_day_told_later_sharpens_this_week():
    [claim] = read("An attack by jihadists on a village in eastern Burkina Faso this week killed "
                   "25 people, the government said.\n\nThe statement spoke of Monday's raid on "
                   "the village of Kodyel, in Komondjari province.", published=date(2021, 5, 5))
    assert claim.event_date == date(2021, 5, 3)


def test_told_that_on_a_day_dates_what_was_told():
    [claim] = read("A government official told AFP that on Wednesday gunmen on motorbikes "
                   "struck the militia camp at Bilakoka, killing five volunteers.",
                   published=date(2021, 8, 12))
    assert claim.event_date == date(2021, 8, 11)


def test_fire_across_a_front_line():
    [claim] = read("Indian and Pakistani troops exchanged heavy fire in the Keran sector near "
                   "the Line of Control on Friday, killing two soldiers, officials said.",
                   published=date(2020, 11, 14))
    assert claim.event_type is EventType.ARMED_CLASH and claim.location.name == "Keran"
    assert read("Not a single shell has landed in Nakyal since February, residents said.") == []


def test_a_city_named_after_its_kind():
    [claim] = read("A missile struck a residential building in Azerbaijan's second city Ganja "
                   "overnight, killing at least five people, the ministry said on Sunday.",
                   published=date(2020, 10, 11))
    assert claim.location.name == "Ganja" and claim.killed.best == 5
    # Only a name the gazetteer knows: "the city Council" is no place.
    claims = read("Shells hit the market in Gaza on Monday, the city Council said, killing "
                  "two traders.")
    assert claims and all(c.location.name != "Council" for c in claims)


def test_a_later_sentence_says_where_in_the_province_it_happened():
    # The lede names a region; the next paragraph gives the district and the zone holding it.
    claims = read("Gunmen killed at least 17 villagers in Ethiopia's Oromia region, a "
                  "regional official said on Monday.\n\n"
                  "The killings took place in Gida Ayana district, in the East Wollega zone of "
                  "the Oromia region, the official said.")
    [claim] = claims
    assert claim.location_text == "Gida Ayana"  # GeoNames: the woreda's seat, Ayana
    assert claim.location.admin1 == "Oromia"
    assert claim.location.geo_precision >= 2
    assert claim.killed.best == 17


def test_a_town_name_followed_by_a_unit_word_is_the_unit():
    [claim] = read("Troops clashed with resistance fighters in Magway Region on Friday, "
                   "killing five soldiers, local media reported.")
    assert claim.location.geo_precision == 3  # the region, not the town of Magway
    assert claim.location.country == "Myanmar"


def test_a_separate_strike_with_its_toll_in_the_next_sentence_is_its_own_event():
    claims = read("Drones struck two districts of Ethiopia's Amhara region on Sunday, the "
                  "second time this month.\n\n"
                  "In Kobo district, a drone hit a health post in Gundo Meskel kebele. Six "
                  "people were killed and nine wounded, witnesses said.\n\n"
                  "In a separate strike in Enarj Enawga district, a drone hit a minibus outside "
                  "the town of Debre Work. Residents said four passengers died there.")
    places = by_place(claims)
    assert len(claims) == 2
    assert "Amhara" not in places  # the lede's region became the first strike's place
    [other] = [c for c in claims if c.killed.best == 4]
    assert other.location.name == "Debre Work"
    [first] = [c for c in claims if c.killed.best == 6]
    assert first.wounded.best == 9


def test_an_earlier_clash_elsewhere_does_not_add_its_toll():
    [claim] = read("Gunmen killed 12 people in Limmu Kosa district of Oromia on Sunday, "
                   "officials said.\n\nEarlier this month, clashes in another part of the "
                   "country killed 18 people.")
    assert claim.killed.low == 12 and claim.killed.high == 12


def test_the_village_named_after_its_kind_is_the_place():
    [claim] = read("Rebels armed with machetes attacked the village Mbau-Kididiwe in Beni "
                   "territory, North Kivu, on Tuesday night, killing eight civilians.")
    assert claim.location.name == "Mbau-Kididiwe"
    assert claim.location.country == "Democratic Republic of the Congo"


@pytest.mark.parametrize(("text", "killed", "wounded"), [
    ("Two soldiers were martyred and three others sustained injuries, the military said.", 2, 3),
    ("A 30-year-old farmer embraced martyrdom while one woman became injured.", 1, 1),
    ("Four pupils who were walking to school were killed and two suffered serious wounds.",
     4, 2),
])
def test_tolls_as_south_asian_and_wire_copy_write_them(text: str, killed: int, wounded: int):
    figures = find_figures(text)
    assert [f.best for f in figures if f.kind == "killed"] == [killed]
    assert [f.best for f in figures if f.kind == "wounded"] == [wounded]


def test_an_attack_on_an_army_post_is_a_clash():
    [claim] = read("Militants attacked an army post in Kurram district on Saturday night, "
                   "officials said; the assault lasted two hours.")
    assert claim.event_type is EventType.ARMED_CLASH


def test_where_a_truce_was_agreed_is_not_where_fighting_was():
    claims = read("Shelling resumed on Tuesday near Horlivka, a week after the measures agreed "
                  "by the Trilateral Contact Group in Minsk, killing two civilians.")
    assert "Minsk" not in by_place(claims)
    claims = read("Despite the agreement signed in Doha, Taliban fighters attacked a checkpoint "
                  "in Kunduz on Monday, killing four policemen.")
    assert set(by_place(claims)) == {"Kunduz"}


def test_an_unknown_acronym_is_a_body_not_a_place():
    claims = read("Gunmen abducted three aid workers near Yei on Sunday, the ceasefire monitors "
                  "said, and the JMEC said it had asked the parties to investigate.")
    assert all(c.location.name != "JMEC" for c in claims)


def test_a_denial_by_the_side_the_report_names_makes_the_attribution_contested():
    [claim] = read("MOGADISHU, June 3 - A car bomb exploded at a checkpoint in Afgoye on "
                   "Monday, killing five soldiers. Police said the attack was carried out by "
                   "al-Shabaab fighters. Al-Shabaab denied any role in the bombing.")
    assert claim.notes and claim.notes.startswith("Attribution contested")
    assert "denies it" in claim.notes
    [plain] = read("MOGADISHU, June 3 - A car bomb exploded at a checkpoint in Afgoye on "
                   "Monday, killing five soldiers. Police said the attack was carried out by "
                   "al-Shabaab fighters.")
    assert not plain.notes


def test_a_civilian_killed_by_a_forces_fire_is_an_attack_and_the_landmark_after_adds_to_it():
    claims = read("DEIR AL-BALAH - A fisherman was killed and three others were hurt on Monday "
                  "by fire of the navy off the coast of Deir al-Balah, in a new breach of the "
                  "truce. Witnesses said sailors stationed near the Sudaniya pier opened their "
                  "fire towards the boats.")
    [claim] = claims
    assert claim.event_type is EventType.ATTACK
    assert (claim.killed.best, claim.wounded.best) == (1, 3)


def test_the_east_of_a_town_is_in_it_and_dropped_explosives_are_a_strike():
    [claim] = read("Russian drones dropped explosives on a bus stop in the east of the city of "
                   "Kherson on Friday, without casualties, the regional administration said.")
    assert claim.event_type is EventType.AIR_STRIKE
    assert claim.location.name == "Kherson"
    assert claim.location.geo_precision == 1


def test_a_toll_of_people_named_by_where_they_came_from():
    [figure] = find_figures("Seven labourers from Sindh were shot dead at a brick kiln.")
    assert (figure.kind, figure.best) == ("killed", 7)


def test_another_kind_of_act_in_the_same_area_is_its_own_incident():
    claims = read("Gunmen killed four truck drivers at a roadblock outside Khuzdar on Sunday, "
                  "officials said. In the same area, militants blew up a gas pipeline hours "
                  "later, the company said.")
    assert sorted(c.event_type.name for c in claims) == ["ATTACK", "REMOTE_EXPLOSIVE"]


def test_a_village_the_report_introduced_is_found_again_where_it_stands():
    claims = read("Gunmen attacked the village of Ngarbuh in the North-West region on Friday. "
                  "Ngarbuh had already been raided on January 3, residents said.",
                  published=date(2024, 2, 17))
    assert sorted(str(c.event_date) for c in claims) == ["2024-01-03", "2024-02-16"]


def test_counts_within_a_bound_outweigh_the_bound():
    [claim] = read("More than 20 civilians were killed when an air strike hit a school in the "
                   "village of Let Yet Kone on Monday. The headmaster said 26 people were "
                   "killed. Local media said over 20 had died.")
    assert claim.killed.best == 26


def test_explosive_laden_drones_are_a_strike_and_whose_ministry_is_no_place():
    claims = read("Explosive-laden drones hit a police station in the town of Jamundi, "
                  "according to Jamundi's security secretary.")
    [claim] = claims
    assert claim.event_type is EventType.AIR_STRIKE
    assert claim.location.name == "Jamundi"  # as the report spells it


def test_a_helicopter_carrying_the_wounded_is_no_air_strike():
    [claim] = read("Insurgents attacked the town of Damboa on Monday, killing three farmers. "
                   "Later a military helicopter flew to Damboa to carry the wounded to "
                   "Maiduguri.")
    assert claim.event_type is EventType.ATTACK


def test_quoted_words_inside_a_trigger_and_firing_across_a_line():
    [claim] = read('KOTLI - A shepherd was killed on Friday when troops opened "unprovoked" fire '
                   'on the village of Nikial, the army said.')
    assert claim.event_type is EventType.ARMED_CLASH
    [claim] = read("Two men were wounded in cross-line firing in the village of Nikial on "
                   "Friday, officials said.")
    assert claim.wounded.best == 2


def test_a_total_since_some_day_is_background():
    claims = read("Shelling killed a farmer in the village of Nikial on Friday. Nine civilians "
                  "have been killed in shelling in the village since then, officials said.")
    assert [(c.killed.best, c.killed.high) for c in claims] == [(1, 1)]


@pytest.mark.parametrize(("text", "killed", "wounded"), [
    ("Gunmen killed one farmer and wounded another near the well.", 1, 1),
    ("Three soldiers were killed and another was hurt.", 3, 1),
    ("The shelling caused the death of 5 civilians and tens of wounded.", 5, 12),
    ("At least nine members of the militia were killed and 14 persons received wounds.", 9, 14),
    ("The drone strike killed a further four people and injured another 11.", 4, 11),
])
def test_tolls_of_another_a_further_and_tens_of(text: str, killed: int, wounded: int):
    figures = find_figures(text)
    assert [f.best for f in figures if f.kind == "killed"] == [killed]
    assert [f.best for f in figures if f.kind == "wounded"] == [wounded]


def test_where_the_wounded_were_taken_or_a_spokesman_speaks_from_is_no_event_place():
    claims = read("Houthi shelling killed two fishermen in the district of Khokha on Saturday. "
                  "A third man was wounded and taken to the hospital run by MSF in Mocha, "
                  "the brigades' spokesman in Aden said.", published=date(2019, 5, 20))
    assert set(by_place(claims)) == {"Al Khawkhah"}  # GeoNames spelling of Khokha


def test_a_story_filed_from_two_cities_and_a_toll_that_rose_on_a_later_day():
    [claim] = read("Blast kills dozens\n\nKHARTOUM/CAIRO, Oct 18 (Reuters) - A blast at the "
                   "Souq al-Arabi market in Omdurman on Tuesday evening killed 12 people. The "
                   "death toll rose on Wednesday to 20, medics said.",
                   published=date(2023, 10, 18))
    assert claim.location.name == "Souq al-Arabi market"
    assert claim.event_date == date(2023, 10, 17)


def test_the_attacker_places_the_event_the_lede_could_not_and_police_speak_not_fight():
    [claim] = read("BAGHDAD (AP) - Two suicide bombers blew themselves up in a busy market on "
                   "Thursday, killing 28 people. The first attacker collapsed in the crowd near "
                   "Tayaran Square, police said.", published=date(2021, 1, 21))
    assert claim.event_type is EventType.SUICIDE_BOMB
    assert claim.location.name == "Tayaran Square"


def test_from_a_named_village_is_a_place():
    claims = read("The gunmen abducted two men from Hawasha village in Diyala province on "
                  "Tuesday and shot them.")
    assert "Hawasha village" in by_place(claims)


def test_a_city_centre_is_the_city_and_a_weekly_summary_gives_way_to_its_days():
    [claim] = read("Israeli air strikes on a busy street in central Gaza City early on Sunday "
                   "killed 42 people, the health ministry said.", published=date(2021, 5, 16))
    assert (claim.location.name, claim.location.geo_precision) == ("Gaza", 1)
    claims = read("Air strikes in the north-western Sagaing region this week killed 12 "
                  "civilians. On Tuesday jets bombed the village of Kyauk Yit in Sagaing "
                  "region, killing nine people.", published=date(2023, 6, 30))
    assert [c.location.name for c in claims] == ["Kyauk Yit"]


def test_a_district_named_with_its_town_is_where_in_the_town():
    [claim] = read("Shells hit Bunia on Friday. Two mortar bombs landed in the Lumumba district "
                   "of Bunia in the morning, killing four civilians, the UN mission said.")
    assert claim.location_text == "Lumumba"
    assert claim.killed.best == 4


def test_a_wire_dateline_without_a_dash_and_the_side_that_fired_is_not_the_country():
    [claim] = read("Jammu, Sep 17 (IANS) Pakistan resorted to unprovoked shelling along the Line "
                   "of Control in Jammu and Kashmir's Poonch district on Thursday, killing a "
                   "porter, the Army said.", published=date(2020, 9, 17))
    assert claim.location.country == "India"
    assert claim.location.name == "Poonch"  # GeoNames' Pūnch, as the report spells it


def test_every_place_of_a_list_fire_came_from_is_an_origin():
    claims = read("Azerbaijani positions near Tartar were shelled on Monday from Armenian-held "
                  "positions in the Martakert, Martuni and Hadrut districts, killing a soldier.")
    assert not {"Martakert", "Martuni", "Hadrut"} & set(by_place(claims))


def test_facilities_listed_under_one_kind_word_and_a_roadside_mine():
    claims = read("Militants attacked the Wanda and Kotka police stations in Tank district on "
                  "Friday night, police said.")
    assert {"Wanda", "Kotka police stations"} <= {c.location_text for c in claims}
    [claim] = read("A district police chief died when a roadside mine struck his vehicle in "
                   "Sarobi district of Kabul province on Sunday.")
    assert claim.event_type is EventType.REMOTE_EXPLOSIVE


def test_a_province_summary_gives_its_toll_to_the_one_town_event_it_sums_up():
    [claim] = read("Air raids on a residential part of Hama, a province in the centre of "
                   "Syria, have killed at least seven civilians, a monitor said. Rescuers said "
                   "the raids hit a market in Kafr Zita village and wounded another 12 people.",
                   published=date(2019, 5, 22))
    assert (claim.killed.best, claim.wounded.best) == (7, 12)


def test_the_day_a_side_denied_it_is_not_the_day_of_the_killings():
    [claim] = read("The army on Monday denied that its soldiers had burned houses, after "
                   "the UN said eleven villagers were killed in an attack on the village of "
                   "Kumbo on Friday.", published=date(2020, 2, 17))
    assert claim.event_date == date(2020, 2, 14)


def test_a_dated_item_of_a_list_is_not_the_ledes_tally_and_alarm_voiced_is_no_event_day():
    claims = read("GENEVA, 17 February 2026 - The UN rights chief voiced alarm on Tuesday at "
                  "drone attacks that killed at least 40 civilians in two days.\n\n"
                  "- On 15 February, a drone hit the Souq Sitta market in Kadugli, killing 21 "
                  "civilians.\n- On 16 February, a drone hit a bus near Dilling, killing 19.",
                  published=date(2026, 2, 17))
    assert {str(c.event_date) for c in claims} == {"2026-02-15", "2026-02-16"}
    assert sorted(c.killed.best for c in claims) == [19, 21]


def test_firing_aimed_at_civilians_is_an_attack_and_a_victim_named_after_his_age():
    [claim] = read("The troops resorted on Monday to unprovoked firing in the village of "
                   "Nikial, in which they targeted the civil population. A 40 years farmer "
                   "Rashid embraced martyrdom, officials said.", published=date(2019, 1, 8))
    assert claim.event_type is EventType.ATTACK
    assert claim.killed.best == 1


def test_a_separate_operation_with_its_own_village_is_its_own_incident():
    claims = read("Separatists ambushed troops in Bui division on Thursday, killing four "
                  "soldiers. In a separate operation on Wednesday, soldiers killed three "
                  "fighters in Kumbo Baba, a village in Nkum subdivision.",
                  published=date(2021, 9, 17))
    assert len(claims) == 2
    assert sorted(c.killed.best for c in claims) == [3, 4]


def test_the_area_of_a_village_is_the_village_and_where_the_wounded_were_rushed_is_not():
    [claim] = read("Two shepherds were killed on Wednesday by artillery shelling on the area of "
                   "Al-Raqw, and the wounded were rushed to the Republican Hospital.",
                   published=date(2023, 6, 14))
    assert claim.location_text == "Al-Raqw"


def test_a_place_after_an_adjective_of_the_news():
    claims = read("Militants attacked a checkpoint in the restive Kurram district on Monday, "
                  "killing two policemen.", published=date(2024, 6, 4))
    assert [c.location_text for c in claims] == ["Kurram"]


def test_shells_in_the_citys_west_after_a_clash_and_a_district_east_of_the_capital():
    claims = read("In the city of Taiz, government fighters and rebels exchanged fire on "
                  "Monday. Rebel shells later landed in the city's west, killing two "
                  "civilians. Clashes were also reported in the Sirwah district east of the "
                  "capital Sanaa, where troops said they repelled an advance.",
                  published=date(2016, 4, 11))
    assert sorted(c.event_type.name for c in claims) == ["ARMED_CLASH", "ARMED_CLASH",
                                                         "SHELLING"]
    assert "Sanaa" not in by_place(claims)


def test_a_toll_told_after_a_town_is_that_towns():
    claims = read("Warplanes raided the town of Saqba, killing a man, and struck Hamouriyeh, "
                  "where two women died, on Tuesday.", published=date(2017, 11, 14))
    assert {c.location_text: c.killed.best for c in claims} == {"Saqba": 1, "Hamouriyeh": 2}


def test_the_group_an_armed_group_is_linked_to_is_no_target():
    [claim] = read("Gunmen on motorbikes attacked the village of Diblou on Thursday night, "
                   "killing 14, a security source said. Such attacks are usually blamed on "
                   "the al-Qaeda-linked JNIM.")
    assert claim.event_type is EventType.ATTACK
    assert claim.target is None


def test_a_camp_in_a_town_and_the_same_camp_hit_on_another_day():
    claims = read(
        "Drone strike kills 8 in Kalma displacement camp near Nyala\n\n"
        "NYALA (AA) - A drone strike by the Rapid Support Forces killed eight people and "
        "wounded 11 on Tuesday in the Kalma camp for internally displaced people in Nyala, "
        "camp coordinators said.\n\n"
        "The coordinators said cholera was now killing about five people a day in the camp.\n\n"
        "The same camp was shelled on Friday, when a local rights group said RSF artillery "
        "killed three people and wounded six.", published=date(2024, 5, 22))
    # one camp, told three ways; placed at the town that holds it, as a place near it
    assert [(c.event_date, c.killed.best, c.wounded.best) for c in claims] == [
        (date(2024, 5, 21), 8, 11), (date(2024, 5, 17), 3, 6)]
    assert {c.location.name for c in claims} <= {"Kalma camp", "Kalma displacement camp"}
    assert all(c.location.geo_precision == 2 for c in claims)
    # "(AA)" in the dateline is the agency, not the Arakan Army
    assert claims[0].perpetrator == "Rapid Support Forces"


def test_civil_defence_is_the_white_helmets_only_in_syria_and_a_fuller_speaker_wins():
    [gaza] = read("GAZA CITY - An Israeli air strike killed four people in the Tuffah "
                  "neighbourhood of Gaza City on Sunday, civil defence spokesman Ahmed Ayyad "
                  "said.", published=date(2025, 11, 3))
    assert gaza.sources == ["civil defence spokesman Ahmed Ayyad"]
    [idlib] = read("A Russian air strike killed six people in Maarat al-Numan in Idlib "
                   "province on Sunday, the civil defence said.", published=date(2019, 8, 5))
    assert idlib.sources == ["White Helmets"]
    [lebanon] = read("An Israeli drone strike on a car in Nabatieh killed two men on Friday, "
                     "Lebanon's health ministry said.", published=date(2025, 5, 10))
    assert lebanon.sources == ["Lebanon's health ministry"]


@pytest.mark.parametrize(("text", "tolls"), [
    ("Russian air strikes killed 12 people in Douma, five in Harasta and three others in "
     "Arbin on Tuesday, the Observatory said.", {"Douma": 12, "Harasta": 5, "Arbin": 3}),
    # the total told town by town: the towns' counts, not the total, are theirs
    ("Shelling killed five soldiers on Monday, two in Bakhmut and three in Avdiivka, the "
     "general staff said.", {"Bakhmut": 2, "Avdiivka": 3}),
    # divided after a dash, then a toll raised by more dead in one of the towns
    ("Israeli strikes on southern Lebanon on Tuesday killed seven people - four in the "
     "village of Kfar Kila and three in Aitaroun, the health ministry said. Later it said two "
     "more people died in Aitaroun.", {"Kfar Kila": 4, "Aitaroun": 5}),
])
def test_a_toll_told_on_town_by_town_without_its_verb(text: str, tolls: dict[str, int]):
    claims = read(text, published=date(2024, 1, 10))
    assert {name: c.killed.best for name, c in by_place(claims).items()} == tolls


def test_more_who_died_another_way_are_no_part_of_the_toll():
    [figure] = find_figures("seven soldiers killed in attack near Kandadji, five more die in "
                            "road accident")
    assert figure.best == 7


def test_a_headline_dated_only_by_the_focus_day_sums_up_the_village_event():
    claims = read(
        "Five of one family killed in regime shelling on Idlib village\n\n"
        "Regime forces kept up their bombardment of the de-escalation zone on Sunday, the "
        "Observatory said.\n\n"
        "On Saturday, regime forces shelled the village of Deir Sunbul in the southern "
        "countryside of Idlib, killing five civilians from one family, the Observatory said.",
        published=date(2021, 12, 13))
    assert [(c.location.name, c.event_date, c.killed.best) for c in claims] == [
        ("Deir Sunbul", date(2021, 12, 11), 5)]


def test_a_neighbourhood_by_apposition_and_the_wounded_of_whom_one_died():
    [claim] = read(
        "Shelling that struck a crowded part of Taiz city on Saturday killed and injured at "
        "least eight children, a medical source said.\n\n"
        "The shells landed in Al-Rawda, a residential neighbourhood, the source said.\n\n"
        "Eight children playing in the street had been wounded, one of whom later died of his "
        "wounds, the source added.", published=date(2023, 3, 5))
    # GeoNames has other places called Al-Rawda: this one is a part of Taiz
    assert claim.location.name == "Al-Rawda"
    assert claim.location.geo_precision == 2 and claim.location.admin1 == "Taiz"
    # "killed and injured at least eight" gives neither count; the later sentence both
    assert (claim.killed.best, claim.wounded.best) == (1, 7)


def test_an_assault_close_to_a_village_in_a_wider_area_told_by_sources_days_later():
    [claim] = read("On Monday, army sources told reporters that militants had mounted an assault "
                   "on Saturday night on an army patrol close to Tessit, in the Liptako area. "
                   "Eleven soldiers were killed and six wounded, one of the sources said.",
                   published=date(2022, 8, 9))
    assert claim.event_type is EventType.ARMED_CLASH
    # the area only says where Tessit lies; the Monday is the day the sources spoke
    assert (claim.location.name, claim.location.geo_precision) == ("Tessit", 2)
    assert claim.event_date == date(2022, 8, 6)
    assert (claim.killed.best, claim.wounded.best) == (11, 6)
    # a weapon carried is no assault
    assert read("Police said the suspects carried assault rifles when they were arrested in "
                "Kano on Monday.") == []
    # "..., on Saturday, officials said" still dates the event
    [claim] = read("Gunmen attacked the gendarmerie in Galim on Saturday, officials said, "
                   "killing three.", published=date(2020, 3, 8))
    assert claim.event_date == date(2020, 3, 7)


def test_a_region_by_apposition_and_the_circle_the_village_lies_in():
    [claim] = read("Gunmen killed 14 people on Sunday when they attacked a village in Segou, a "
                   "region of central Mali, a local official said.\n\n"
                   "The village lies in the Circle of Macina, the official added.",
                   published=date(2024, 3, 5))
    assert claim.location.name == "Macina"
    [segou] = PlaceReader(default_gazetteer(), country="Mali").find(
        "they attacked a village in Segou, a region of central Mali", 0)
    assert segou.rank == 3 and segou.place.geo_precision == 3


def test_a_town_told_only_as_near_a_city_is_the_one_the_report_names_later():
    [claim] = read(
        "Car bombs kill 17 in town near Mosul\n\n"
        "BAGHDAD, May 4 - Two car bombs went off on Tuesday and killed at least 17 people in a "
        "town close to Mosul, police said.\n\n"
        '"Two car bombs at the main market of Bartella left 12 civilians and five police '
        'dead," a police officer told reporters.', published=date(2021, 5, 5))
    assert claim.location_text == "Bartella"
    assert (claim.event_date, claim.killed.best) == (date(2021, 5, 4), 17)
    assert claim.killed.civilians == 12 and claim.killed.combatants == 5


def test_a_sides_count_along_the_front_and_the_villages_its_fire_came_from():
    claims = read(
        "Units of the Armenian armed forces violated the ceasefire 31 times along the line of "
        "contact over the past day, Azerbaijan's defence ministry said on Tuesday.\n\n"
        "Armenian troops stationed in the villages of Chinari and Aygepar in the Berd region "
        "opened fire on Azerbaijani positions in the village of Alibayli in the Tovuz region, "
        "the ministry said.", published=date(2018, 6, 12))
    by_name = {c.location_text: c for c in claims}
    assert by_name["line of contact"].location.geo_precision == 3
    # where the troops stood is where the fire came from
    assert not {"Chinari", "Aygepar", "Berd"} & set(by_name)
    # a count since January is a running total, not a record of the day
    assert read("More than 2,000 ceasefire violations along the LoC since January have left "
                "20 civilians dead, officials said.", published=date(2020, 9, 17)) == []


def test_a_named_official_killed_with_those_also_killed_and_a_person_is_no_place():
    claims = read(
        "Officials in Kandahar province said Abdul Wali, police chief of Maiwand district, "
        "died when a roadside bomb hit his car on Monday. Two of his guards were also "
        "killed.\n\n"
        "In Helmand, Gul Agha, district governor of Nad Ali, was killed in a similar blast, "
        "officials said.", published=date(2020, 7, 21))
    assert [(c.location_text, c.killed.best) for c in claims] == [("Maiwand", 3), ("Nad Ali", 1)]


def test_a_district_also_hit_is_another_place_not_a_summary():
    claims = read("Houthi mortar fire killed a woman and wounded two children in the village of "
                  "al-Mandhar in Hodeidah province on Saturday, local sources said.\n\n"
                  "Neighbourhoods of Tuhayta district were also hit on Saturday night by mortar "
                  "rounds fired by the militias.", published=date(2019, 2, 24))
    assert [c.location_text for c in claims] == ["al-Mandhar", "Tuhayta"]
    assert claims[1].killed.best is None  # the village's toll stays the village's


def test_a_second_weapon_told_in_the_same_sentence_is_a_second_event():
    claims = read("A drone hit a group of fishermen at the port of Khan Younis on Monday, "
                  "killing two and wounding four, and a tank shell struck a house in Bani "
                  "Suheila, killing a child, medics said.", published=date(2025, 11, 25))
    assert [(c.event_type, c.killed.best, c.wounded.best) for c in claims] == [
        (EventType.AIR_STRIKE, 2, 4), (EventType.SHELLING, 1, None)]
    assert all(c.sources == ["medics"] for c in claims)


def test_an_attack_that_killed_and_kidnapped_in_a_district_of_a_named_lga():
    [claim] = read("Gunmen attacked Kadisau district in Faskari Local Government Area of Katsina "
                   "State on Sunday night, killing a farmer and a local vigilante commander and "
                   "kidnapping several residents, police said.", published=date(2021, 9, 6))
    assert claim.location_text == "Kadisau"
    assert claim.event_type is EventType.ATTACK  # killings first; the kidnapping with them
    assert claim.killed.best == 2
    [figure] = find_figures("they killed the vigilante leader after he tried to fight them off")
    assert figure.best == 1


def test_continents_and_world_regions_are_never_event_places():
    # GeoNames has towns called "Africa" (Tunisia) and "Middle East" (Maryland)
    reader = PlaceReader(default_gazetteer())
    for clause in ("Monitors of the Organisation for Security and Cooperation in Europe "
                   "were shelled near Donetsk",
                   "the deadliest attack in the Middle East this year struck Gaza",
                   "fighters from North Africa attacked Sirte"):
        names = [m.written for m in reader.find(clause, 0)]
        assert names and not {"Europe", "Middle East", "North Africa", "Africa"} & set(names)


def test_between_two_towns_places_a_provinces_event_and_peoples_are_no_towns():
    [claim] = read("A roadside bomb killed four people in the Lower Shabelle region on Sunday, "
                   "officials said.\n\nThe bomb went off under a convoy of officials as it "
                   "moved between Afgooye and Shalanbod, they said.", published=date(2019, 9, 16))
    assert (claim.location.name, claim.location.geo_precision) == ("Afgooye", 2)
    reader = PlaceReader(default_gazetteer(), country="Ethiopia")
    assert reader.find("Earlier this month, clashes between Oromo and Amhara killed 18.", 0) == []
