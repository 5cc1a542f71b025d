"""Scenarios as data: the shipped Astana 2017 scenario, and the validator's
messages on broken scenario folders written per test."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Point

from trucewatch.actors import ActorDictionary
from trucewatch.errors import NotFoundError, ScenarioError, ScenarioProblems
from trucewatch.model import BoundaryStatus, EventType, Scenario
from trucewatch.scenario import (
    ALL_PROHIBITED,
    builtin_scenarios,
    load_scenario,
    resolve_scenario_path,
    validate_scenario,
)

# ---------------------------------------------------------------- the builtin


@pytest.fixture(scope="module")
def astana() -> Scenario:
    return load_scenario("astana-2017")


# (lat, lon) as the public record gives them
INSIDE = {
    "idlib": {
        "Idlib city": (35.93, 36.63), "Maarat al-Numan": (35.64, 36.67),
        "Khan Sheikhoun": (35.44, 36.65), "Saraqib": (35.86, 36.80),
        "Jisr al-Shughur": (35.81, 36.32), "Atarib": (36.14, 36.83),
    },
    "northern-homs": {"Rastan": (34.92, 36.73), "Talbiseh": (34.84, 36.73),
                      "Taldou/Houla": (34.88, 36.52)},
    "eastern-ghouta": {
        "Douma": (33.572, 36.402), "Harasta": (33.56, 36.36), "Saqba": (33.52, 36.39),
        "Kafr Batna": (33.51, 36.38), "Hamouriyeh": (33.53, 36.39), "Zamalka": (33.52, 36.36),
        "Ain Tarma": (33.51, 36.35), "Arbin": (33.54, 36.37), "Jobar": (33.53, 36.33),
        "Misraba": (33.55, 36.40),
    },
    "south": {
        "Daraa": (32.62, 36.10), "Nawa": (32.89, 36.04), "Jasim": (32.99, 36.06),
        "Inkhil": (33.02, 36.13), "Busra al-Sham": (32.52, 36.48), "Tafas": (32.74, 35.99),
        "Quneitra": (33.12, 35.82),
    },
}
INSIDE["south-governorates"] = {**INSIDE["south"], "Sweida": (32.71, 36.57),
                                "Shahba": (32.85, 36.63)}
DAMASCUS = (33.51, 36.29)
OUTSIDE = {
    "idlib": {"Aleppo city": (36.20, 37.16), "Hama city": (35.13, 36.75),
              "Latakia city": (35.52, 35.78)},
    "northern-homs": {"Homs city": (34.73, 36.71), "Hama city": (35.13, 36.75)},
    "eastern-ghouta": {"Damascus old city": (33.51, 36.31), "Adra": (33.61, 36.52),
                       "Damascus International Airport": (33.41, 36.51)},
    "south": {"Sweida city": (32.71, 36.57), "Damascus": DAMASCUS},
    "south-governorates": {"Damascus": DAMASCUS, "Kiswah": (33.36, 36.24)},
}
LATER_DAYS = [date(2017, 7, 4), date(2017, 7, 22), date(2017, 8, 3), date(2017, 9, 15),
              date(2018, 1, 1)]
CASES = [(zone, name, place, True) for zone, places in INSIDE.items()
         for name, place in places.items()]
CASES += [(zone, name, place, False) for zone, places in OUTSIDE.items()
          for name, place in places.items()]


def test_builtin_is_listed_and_valid() -> None:
    assert "astana-2017" in builtin_scenarios()
    assert validate_scenario("astana-2017") == []


def test_builtin_loads_its_ledger(astana: Scenario) -> None:
    assert (astana.id, astana.name) == ("astana-2017", "Astana de-escalation areas (Syria, 2017)")
    assert astana.timezone == "Asia/Damascus"
    assert set(astana.zones) == {"idlib", "northern-homs", "eastern-ghouta", "south",
                                 "south-governorates"}
    assert {a.id for a in astana.agreements} == {
        "astana-memorandum", "south-west-ceasefire", "eastern-ghouta-agreement",
        "northern-homs-agreement"}
    assert [d.id for d in astana.declarations] == ["army-halt-south-2017-07"]
    assert {"syrian-government", "russia", "iran", "turkey", "united-states", "jordan",
            "us-led-coalition", "syrian-opposition", "free-syrian-army", "jaish-al-islam",
            "faylaq-al-rahman", "ahrar-al-sham", "hts", "isil",
            "al-qaida-affiliates"} <= set(astana.actors)


def test_memorandum_facts(astana: Scenario) -> None:
    memo = next(a for a in astana.agreements if a.id == "astana-memorandum")
    assert memo.signed == date(2017, 5, 4)
    assert memo.start == datetime(2017, 5, 6, 0, 0)
    assert memo.end is None and "extended" in (memo.notes or "")
    assert memo.guarantors == ("russia", "iran", "turkey")
    assert "syrian-government" in memo.parties
    assert memo.pax_id == "2093"
    assert set(memo.zones) == {"idlib", "northern-homs", "eastern-ghouta", "south"}
    assert memo.prohibited == ALL_PROHIBITED
    assert EventType.AIR_STRIKE in memo.prohibited
    assert EventType.GOVERNMENT_REGAINS_TERRITORY not in memo.prohibited
    assert {"isil", "hts", "al-qaida-affiliates"} <= set(memo.excluded)
    (maps,) = memo.deadlines
    assert maps.due == date(2017, 6, 4) and maps.met_on is None


def test_later_agreements_start_at_noon(astana: Scenario) -> None:
    by_id = {a.id: a for a in astana.agreements}
    south_west = by_id["south-west-ceasefire"]
    assert south_west.start == datetime(2017, 7, 9, 12, 0)
    assert set(south_west.guarantors) == {"united-states", "russia", "jordan"}
    assert set(south_west.zones) == {"south", "south-governorates"}
    assert {"isil", "hts"} <= set(south_west.excluded)
    assert by_id["eastern-ghouta-agreement"].start == datetime(2017, 7, 22, 12, 0)
    assert by_id["eastern-ghouta-agreement"].guarantors == ("russia",)
    assert by_id["northern-homs-agreement"].start == datetime(2017, 8, 3, 12, 0)


def test_army_halt_window(astana: Scenario) -> None:
    (halt,) = astana.declarations
    assert halt.actor == "syrian-government"
    assert halt.zones == ("south-governorates",)
    assert halt.start == datetime(2017, 7, 2, 12, 0)
    assert halt.end == datetime(2017, 7, 7, 0, 0)
    assert halt.window_on(date(2017, 7, 4)) == "all"
    assert halt.window_on(date(2017, 7, 6)) == "all"
    assert halt.window_on(date(2017, 7, 2)) == "part"
    assert halt.window_on(date(2017, 7, 7)) == "none"
    assert halt.window_on(date(2017, 7, 1)) == "none"


@pytest.mark.parametrize("day", LATER_DAYS, ids=str)
@pytest.mark.parametrize(("zone", "name", "place", "inside"), CASES,
                         ids=[f"{'in' if c[3] else 'out'}:{c[0]}:{c[1]}" for c in CASES])
def test_zone_contains_its_towns(astana: Scenario, zone: str, name: str,
                                 place: tuple[float, float], inside: bool, day: date) -> None:
    boundary = astana.zones[zone].boundary_on(day)
    assert boundary is not None
    lat, lon = place
    assert boundary.geometry.covers(Point(lon, lat)) is inside, (zone, name, day)


def test_boundary_versions_follow_the_dates(astana: Scenario) -> None:
    ghouta = astana.zones["eastern-ghouta"]
    assert ghouta.boundary_on(date(2017, 5, 5)) is None
    assert ghouta.boundary_on(date(2017, 7, 4)).status is BoundaryStatus.DRAFT  # type: ignore[union-attr]
    assert ghouta.boundary_on(date(2017, 7, 21)).status is BoundaryStatus.DRAFT  # type: ignore[union-attr]
    assert ghouta.boundary_on(date(2017, 7, 22)).status is BoundaryStatus.AGREED  # type: ignore[union-attr]
    agreed_from = {"south": date(2017, 7, 9), "eastern-ghouta": date(2017, 7, 22),
                   "northern-homs": date(2017, 8, 3), "idlib": date(2017, 9, 15)}
    for zone_id, day in agreed_from.items():
        zone = astana.zones[zone_id]
        before = zone.boundary_on(date.fromordinal(day.toordinal() - 1))
        assert before is not None and before.status is BoundaryStatus.DRAFT, zone_id
        assert before.valid_from == date(2017, 5, 6)
        after = zone.boundary_on(day)
        assert after is not None and after.status is BoundaryStatus.AGREED, zone_id
        assert after.valid_to is None
    governorates = astana.zones["south-governorates"]
    assert [v.valid_from for v in governorates.versions] == [date(2017, 7, 2)]


def test_polygons_are_honest_shapes(astana: Scenario) -> None:
    for zone in astana.zones.values():
        for version in zone.versions:
            assert version.geometry.is_valid
            assert version.approximate
            assert "approximate" in (version.note or "").lower()
            coords = list(version.geometry.exterior.coords)
            assert len(coords) >= 9, zone.id  # 8 vertices and the closing point
            assert all(len(repr(c).split(".")[-1]) <= 4 for xy in coords for c in xy)
    south = astana.zones["south"].boundary_on(date(2017, 7, 9))
    governorates = astana.zones["south-governorates"].boundary_on(date(2017, 7, 9))
    assert south and governorates and south.geometry.within(governorates.geometry)


def test_actor_aliases_resolve(astana: Scenario) -> None:
    actors = ActorDictionary(astana.actors.values())
    expected = {
        "Syrian warplanes carried out the raids": "syrian-government",
        "a government strike on a rebel-held area": "syrian-government",
        "regime aircraft": "syrian-government",
        "Russian jets": "russia",
        "Fateh Al Sham": "hts",
        "Al Nusra Front": "hts",
        "Daesh": "isil",
        "the Islamic State group": "isil",
        "rebels said": "syrian-opposition",
        "the Southern Front": "free-syrian-army",
        "US-led coalition aircraft": "us-led-coalition",
    }
    for text, actor_id in expected.items():
        found = actors.resolve(text)
        assert found is not None and found.id == actor_id, text
    assert actors.resolve("it is what it is") is None  # no bare "IS" alias


def test_binding(astana: Scenario) -> None:
    government = astana.actors["syrian-government"]
    assert government.flies_aircraft
    assert {"astana-memorandum", "army-halt-south-2017-07",
            "south-west-ceasefire"} <= set(government.bound_by)
    assert {"astana-memorandum", "south-west-ceasefire"} <= set(astana.actors["russia"].bound_by)
    assert astana.actors["hts"].bound_by == () and astana.actors["isil"].bound_by == ()
    assert "astana-memorandum" not in astana.actors["us-led-coalition"].bound_by


# ---------------------------------------------------------------- resolving


def test_resolve_accepts_builtin_folder_and_file(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path)
    assert resolve_scenario_path("astana-2017").name == "astana-2017"
    assert resolve_scenario_path(folder) == folder.resolve()
    assert resolve_scenario_path(str(folder / "scenario.yaml")) == folder.resolve()


def test_unknown_scenario_names_the_builtins(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        load_scenario("astana-2071")
    assert "astana-2071" in str(caught.value) and "astana-2017" in str(caught.value)
    with pytest.raises(NotFoundError):
        validate_scenario(tmp_path / "nowhere")


# ---------------------------------------------------------------- broken folders

MINI = """\
id: mini
name: Mini
timezone: Asia/Damascus
actors:
  - {id: gov, name: Government forces, kind: state, flies_aircraft: true, bound_by: [truce]}
  - {id: rebels, name: Rebel factions, kind: rebel, aliases: [opposition fighters]}
  - {id: jihadists, name: Jihadists, kind: jihadist}
agreements:
  - id: truce
    name: Truce
    signed: 2017-05-04
    start: 2017-05-06T00:00
    end: null
    parties: [gov, rebels]
    zones: [town]
    prohibited: all
    excluded: [jihadists]
    deadlines: [{name: maps, due: 2017-06-04, met_on: null}]
declarations:
  - id: halt
    name: Halt
    actor: gov
    start: 2017-07-02T12:00
    end: 2017-07-07T00:00
    zones: [town]
    prohibited: [Air/drone strike, Shelling/artillery/missile attack]
"""
SQUARE = [[36.0, 33.0], [36.2, 33.0], [36.2, 33.2], [36.0, 33.2], [36.0, 33.0]]


def feature(zone: str = "town", valid_from: Any = "2017-05-06", valid_to: Any = None,
            coords: Any = None, status: str = "agreed", kind: str = "Polygon") -> dict[str, Any]:
    return {"type": "Feature",
            "properties": {"zone": zone, "name": zone.title(), "status": status,
                           "valid_from": valid_from, "valid_to": valid_to, "approximate": True},
            "geometry": {"type": kind, "coordinates": [coords or SQUARE]}}


def write_scenario(tmp_path: Path, yaml_text: str = MINI,
                   features: list[dict[str, Any]] | None = None) -> Path:
    folder = tmp_path / "mini"
    folder.mkdir(exist_ok=True)
    (folder / "scenario.yaml").write_text(yaml_text, encoding="utf-8")
    collection = {"type": "FeatureCollection",
                  "features": [feature()] if features is None else features}
    (folder / "zones.geojson").write_text(json.dumps(collection, indent=1), encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[str]:
    problems = validate_scenario(folder)
    assert problems, "expected problems"
    with pytest.raises(ScenarioError):
        load_scenario(folder)
    return problems


def has(problems: list[str], *parts: str) -> bool:
    return any(all(part in p for part in parts) for p in problems)


def test_mini_scenario_is_valid(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path)
    assert validate_scenario(folder) == []
    scenario = load_scenario(folder)
    assert scenario.source == str(folder.resolve())
    (halt,) = scenario.declarations
    assert halt.prohibited == {EventType.AIR_STRIKE, EventType.SHELLING}
    assert halt.written is True and halt.announced is None
    assert scenario.zones["town"].versions[0].status is BoundaryStatus.AGREED


def test_self_intersecting_polygon(tmp_path: Path) -> None:
    bow_tie = [[36.0, 33.0], [36.4, 33.5], [36.4, 33.0], [36.0, 33.5], [36.0, 33.0]]
    folder = write_scenario(tmp_path, features=[feature(coords=bow_tie)])
    problems = problems_of(folder)
    assert has(problems, "zones.geojson: feature 0 (zone town, valid_from 2017-05-06): "
                         "invalid polygon: Self-intersection[36.2 33.25]")
    with pytest.raises(ScenarioProblems) as caught:
        load_scenario(folder)
    assert caught.value.problems == problems
    assert "Self-intersection" in str(caught.value)


def test_unknown_zone_in_agreement(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path, MINI.replace("zones: [town]\n    prohibited: all",
                                                   "zones: [twon]\n    prohibited: all"))
    assert has(problems_of(folder),
               "scenario.yaml: agreements[0] (truce): unknown zone 'twon'", "did you mean 'town'")


def test_end_before_start(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path, MINI.replace("end: 2017-07-07T00:00",
                                                   "end: 2017-07-01T00:00"))
    assert has(problems_of(folder), "scenario.yaml: declarations[0] (halt): "
                                    "end 2017-07-01T00:00 is before start 2017-07-02T12:00")


def test_duplicate_ids(tmp_path: Path) -> None:
    text = MINI.replace("  - {id: jihadists, name: Jihadists,", "  - {id: gov, name: Jihadists,")
    text = text.replace("  - id: halt\n", "  - id: truce\n")
    problems = problems_of(write_scenario(tmp_path, text))
    assert has(problems, "scenario.yaml: actors[2] (gov): duplicate id 'gov' (also actors[0]")
    assert has(problems, "scenario.yaml: declarations[0] (truce): duplicate id 'truce' "
                         "(also agreements[0]")


def test_unknown_actor_and_event_type(tmp_path: Path) -> None:
    text = MINI.replace("excluded: [jihadists]", "excluded: [jihadist]")
    text = text.replace("[Air/drone strike, Shelling", "[Airstrike, Shelling")
    text = text.replace("actor: gov", "actor: govt")
    problems = problems_of(write_scenario(tmp_path, text))
    assert has(problems, "scenario.yaml: agreements[0] (truce): unknown actor 'jihadist' in "
                         "excluded", "did you mean 'jihadists'")
    assert has(problems, "scenario.yaml: declarations[0] (halt): unknown event type "
                         "'Airstrike' in prohibited")
    assert has(problems, "scenario.yaml: declarations[0] (halt): unknown actor 'govt' in actor")


def test_overlapping_versions(tmp_path: Path) -> None:
    features = [feature(valid_from="2017-05-06", valid_to="2017-07-22", status="draft"),
                feature(valid_from="2017-07-22")]
    problems = problems_of(write_scenario(tmp_path, features=features))
    assert has(problems, "zones.geojson: zone town: feature 0 (2017-05-06..2017-07-22) "
                         "overlaps feature 1 (2017-07-22..open)")


def test_broken_yaml_names_its_line(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path, MINI.replace("name: Truce", "name: [Truce"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert caught.value.source.endswith("scenario.yaml")
    assert isinstance(caught.value.where, int) and 10 <= caught.value.where <= 12
    (problem,) = validate_scenario(folder)
    assert problem.startswith(f"scenario.yaml:{caught.value.where}: not valid YAML")


def test_broken_geojson_names_its_line(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path)
    (folder / "zones.geojson").write_text(
        '{\n  "type": "FeatureCollection",\n  "features": [\n'
        '    {"type": "Feature" "properties": {}}\n  ]\n}\n'  # line 4 lacks a comma
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert caught.value.source.endswith("zones.geojson")
    assert caught.value.where == 4
    assert has(validate_scenario(folder), "zones.geojson:4: not valid JSON")


def test_missing_file(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path)
    (folder / "zones.geojson").unlink()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert caught.value.source.endswith("zones.geojson")
    assert has(validate_scenario(folder), "zones.geojson: file missing")


def test_non_utf8_bytes(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path)
    (folder / "scenario.yaml").write_bytes(MINI.replace("Mini", "Mini \xe9", 1)
                                           .encode("latin-1"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert caught.value.where == 2
    assert has(validate_scenario(folder), "scenario.yaml:2: not UTF-8", "0xe9")


def test_geometry_kind_and_coordinate_range(tmp_path: Path) -> None:
    point = {**feature(zone="dot"), "geometry": {"type": "Point", "coordinates": [36.0, 33.0]}}
    far = feature(zone="far", coords=[[36.0, 33.0], [200.0, 33.0], [36.2, 33.2], [36.0, 33.0]])
    problems = problems_of(write_scenario(tmp_path, features=[feature(), point, far]))
    assert has(problems, "zones.geojson: feature 1 (zone dot, valid_from 2017-05-06): "
                         "geometry type 'Point'")
    assert has(problems, "zones.geojson: feature 2 (zone far, valid_from 2017-05-06)",
               "[200.0, 33.0] outside lon -180..180")


def test_missing_keys_bad_dates_and_unknown_keys(tmp_path: Path) -> None:
    text = MINI.replace("signed: 2017-05-04", "signed: 2017-02-30")
    text = text.replace("start: 2017-07-02T12:00", "start: 2nd of July")
    text = text.replace("    excluded: [jihadists]\n", "    excludes: [jihadists]\n")
    text = text.replace("    actor: gov\n", "")
    features = [feature(valid_from="May 2017")]
    problems = problems_of(write_scenario(tmp_path, text, features))
    assert has(problems, "agreements[0] (truce): signed '2017-02-30' is not a date")
    assert has(problems, "declarations[0] (halt): start '2nd of July' is not a date and time")
    assert has(problems, "agreements[0] (truce): unknown key 'excludes'",
               "did you mean 'excluded'")
    assert has(problems, "declarations[0] (halt): missing required key 'actor'")
    assert has(problems, "zones.geojson: feature 0 (zone town, valid_from May 2017): "
                         "valid_from 'May 2017' is not a date")
    assert len(problems) >= 5  # all reported at once


def test_yaml_dates_as_objects_and_strings_both_work(tmp_path: Path) -> None:
    text = MINI.replace("start: 2017-05-06T00:00", "start: '2017-05-06 00:00'")
    text = text.replace("end: 2017-07-07T00:00", "end: 2017-07-07 00:00:00")
    scenario = load_scenario(write_scenario(tmp_path, text))
    assert scenario.agreements[0].start == datetime(2017, 5, 6)
    assert scenario.declarations[0].end == datetime(2017, 7, 7)


@pytest.mark.parametrize("text", [
    "", "[]", "42", "id: x\nactors: 5", "agreements: [5, null, {id: [1]}]",
    MINI + "  - id: other\n    name: Other\n    start: 2017-01-01T00:00+03:00\n"
           "    zones: town\n    prohibited: []\n    actor: {x: 1}\n",
    MINI.replace("timezone: Asia/Damascus", "timezone: Mars/Olympus"),
    MINI.replace("aliases: [opposition fighters]", "aliases: [Government forces]"),
    MINI + "id: again\n",
])
def test_odd_input_gives_problems_not_exceptions(tmp_path: Path, text: str) -> None:
    folder = write_scenario(tmp_path, text)
    problems = validate_scenario(folder)
    assert problems and all(p.startswith("scenario.yaml") for p in problems), problems
    with pytest.raises(ScenarioError):
        load_scenario(folder)


@pytest.mark.parametrize("collection", [
    [], {"type": "FeatureCollection"}, {"type": "FeatureCollection", "features": []},
    {"type": "FeatureCollection", "features": [1, {"type": "Feature"}, {"type": "Feature",
     "properties": {"zone": "town"}, "geometry": {"type": "Polygon", "coordinates": [[1, 2]]}}]},
])
def test_odd_geojson_gives_problems_not_exceptions(tmp_path: Path, collection: Any) -> None:
    folder = write_scenario(tmp_path)
    (folder / "zones.geojson").write_text(json.dumps(collection))
    problems = validate_scenario(folder)
    assert problems and any(p.startswith("zones.geojson") for p in problems), problems
    with pytest.raises(ScenarioError):
        load_scenario(folder)
