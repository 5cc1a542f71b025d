"""Format 2's validator: each mistake one line naming the file and the entry; the
skeleton of ``trucewatch scenario new`` says what to fill in and loads once filled;
weapons read from a report's words."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trucewatch.errors import InputError
from trucewatch.model import WeaponClass, WeaponRule
from trucewatch.scenario import load_scenario, validate_scenario, write_skeleton
from trucewatch.weapons import Weapon, match, read_weapons

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios_v2"


def riverland_copy(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The riverland fixture with text replaced in scenario.yaml."""
    folder = tmp_path / "riverland"
    shutil.copytree(FIXTURES / "riverland", folder)
    path = folder / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder


def features(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "zones.geojson").read_text())["features"]  # type: ignore[no-any-return]


def write_features(folder: Path, found: list[dict[str, Any]]) -> None:
    (folder / "zones.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": found}), encoding="utf-8")


@pytest.mark.parametrize(("edit", "expected"), [
    (("line: front\n    buffer_km: 15", "line: frnt\n    buffer_km: 15"),
     "scenario.yaml: zones[0] (security-zone): unknown line 'frnt': no feature of "
     "zones.geojson has 'line': 'frnt' (did you mean 'front'?)"),
    (("buffer_km: 15", "buffer_km: -15"),
     "scenario.yaml: zones[0] (security-zone): buffer_km must be more than 0, found -15"),
    (("    side: left ", "    side: east "),
     "scenario.yaml: zones[1] (east-side): side 'east' is not one of: left, right, both"),
    (("    part_of: eastern-alliance", "    part_of: east-brigade"),
     "scenario.yaml: actors[2] (east-brigade): part_of names the actor itself"),
    (("    role: monitor", "    role: observer"),
     "scenario.yaml: actors[6] (mission): role 'observer' is not one of: belligerent, "
     "monitor, reporting"),
    (("parties: [gov, eastern-alliance]\n    monitors",
      "parties: [gov, eastern-alliance, mission]\n    monitors"),
     "scenario.yaml: agreements[0] (truce): actor 'mission' is both a party and a monitor or "
     "reporting actor"),
    (("{agreement: truce, zones: [north-sector]}", "{agreement: truce, zones: [north-sectr]}"),
     "scenario.yaml: actors[3] (river-militia): bound_by[0]: unknown zone 'north-sectr' "
     "(did you mean 'north-sector'?)"),
    (("start: 2020-03-01T00:00, end: 2020-05-01T00:00",
      "start: 2020-02-15T00:00, end: 2020-05-01T00:00"),
     "scenario.yaml: agreements[0] (truce): periods[1]: starts 2020-02-15T00:00, before "
     "periods[0] ends (2020-03-01T00:00); list periods in time order, without overlap"),
    (("kind: renewal", "kind: renewed"),
     "scenario.yaml: agreements[0] (truce): periods[1]: kind 'renewed' is not one of: "
     "initial, renewal, extension, resumption"),
    (("ended: {at: 2020-09-01T00:00", "ended: {at: 2020-10-01T00:00"),
     "scenario.yaml: agreements[0] (truce): ended: at 2020-10-01T00:00 is after the last "
     "period ends (2020-09-01T00:00)"),
    (("weapons: [mlrs]", "weapons: [mlr]"),
     "scenario.yaml: agreements[1] (withdrawal): weapon_zones[1]: unknown weapon class 'mlr' "
     "(did you mean 'mlrs'?)"),
    (("    signed: 2019-12-30\n    periods:", "    signed: 2019-12-30\n    start: "
      "2020-01-01T00:00\n    periods:"),
     "scenario.yaml: agreements[0] (truce): give start and end, or periods, not both"),
    (("    start: 2020-01-15T00:00\n", ""),
     "scenario.yaml: agreements[1] (withdrawal): missing required key 'start'"),
])
def test_each_mistake_is_named(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    problems = validate_scenario(riverland_copy(tmp_path, edit))
    assert expected in problems, problems


def test_a_part_of_cycle(tmp_path: Path) -> None:
    folder = riverland_copy(tmp_path, ("    bound_by: [truce, withdrawal]\n  - id: east-brigade",
                                       "    part_of: east-brigade\n    bound_by: [truce, "
                                       "withdrawal]\n  - id: east-brigade"))
    problems = validate_scenario(folder)
    assert any("part_of makes a cycle" in p for p in problems), problems


def test_format_2_keys_in_a_format_1_file(tmp_path: Path) -> None:
    folder = riverland_copy(tmp_path, ("format: 2\n", ""))
    problems = validate_scenario(folder)
    assert "scenario.yaml: key 'zones' needs format: 2 at the top of scenario.yaml" in problems
    assert "scenario.yaml: actors[2] (east-brigade): key 'part_of' needs format: 2 at the top " \
           "of scenario.yaml" in problems
    assert any("feature 0 (no zone id)" in p for p in problems)  # lines are format 2 only


def test_a_wrong_format_number(tmp_path: Path) -> None:
    problems = validate_scenario(riverland_copy(tmp_path, ("format: 2", "format: 3")))
    assert "scenario.yaml: format must be 1 or 2, found int 3" in problems


def test_an_unclosed_ring_names_file_feature_and_zone(tmp_path: Path) -> None:
    folder = riverland_copy(tmp_path)
    found = features(folder)
    ring = found[2]["geometry"]["coordinates"][0]
    found[2]["geometry"]["coordinates"][0] = ring[:-1]
    write_features(folder, found)
    problems = validate_scenario(folder)
    assert problems == [
        "zones.geojson: feature 2 (zone north-sector, valid_from 2020-01-01): Polygon has a ring "
        "that is not closed: it ends at [29.5, 50.0], not at its first position [29.5, 49.6]"]


def test_a_self_crossing_polygon_and_a_bad_line(tmp_path: Path) -> None:
    folder = riverland_copy(tmp_path)
    found = features(folder)
    found[2]["geometry"]["coordinates"] = [[[29.5, 49.6], [30.5, 50.0], [30.5, 49.6],
                                            [29.5, 50.0], [29.5, 49.6]]]
    found[0]["geometry"]["coordinates"] = [[30.0, 50.0]]
    found[1]["geometry"] = {"type": "Polygon", "coordinates": []}
    write_features(folder, found)
    problems = validate_scenario(folder)
    assert any(p.startswith("zones.geojson: feature 2 (zone north-sector, valid_from "
                            "2020-01-01): invalid polygon: Self-intersection") for p in problems)
    assert "zones.geojson: feature 0 (line front, valid_from 2020-01-01): LineString has a line " \
           "of 1 position; a line needs at least 2" in problems
    assert "zones.geojson: feature 1 (line front, valid_from 2020-07-01): geometry type " \
           "'Polygon': a line must be a LineString or MultiLineString" in problems


def test_overlapping_line_versions(tmp_path: Path) -> None:
    folder = riverland_copy(tmp_path)
    found = features(folder)
    found[1]["properties"]["valid_from"] = "2020-06-01"
    write_features(folder, found)
    problems = validate_scenario(folder)
    assert any(p.startswith("zones.geojson: line front: feature 0 (2020-01-01..2020-06-30) "
                            "overlaps feature 1") for p in problems), problems


# ---------------------------------------------------------------- scenario new


def test_the_skeleton_says_what_to_fill_in_and_loads_once_filled(tmp_path: Path) -> None:
    folder = write_skeleton(tmp_path / "My Truce 2024")
    assert folder.name == "My Truce 2024"
    assert validate_scenario(folder) == [
        "scenario.yaml: missing required key 'name'",
        "scenario.yaml: missing required key 'timezone'",
        "scenario.yaml: no zone: draw one in zones.geojson or build one from a line or an "
        "area in the zones section",
    ]
    text = (folder / "scenario.yaml").read_text()
    assert "id: my-truce-2024" in text
    text = text.replace("name:            # FILL IN", "name: My truce  # FILL IN")
    text = text.replace("timezone:        # FILL IN", "timezone: Europe/Kyiv  # FILL IN")
    text = text.replace("zones: []", "zones:\n  - {id: buffer, line: front, buffer_km: 5}")
    text = text.replace("agreements: []", "agreements:\n  - {id: truce, name: Truce, "
                        "start: 2024-01-01T00:00, zones: [buffer], prohibited: all}")
    (folder / "scenario.yaml").write_text(text)
    write_features(folder, [{"type": "Feature", "properties": {
        "line": "front", "status": "agreed", "valid_from": "2024-01-01"},
        "geometry": {"type": "LineString", "coordinates": [[30.0, 50.0], [30.0, 49.0]]}}])
    assert validate_scenario(folder) == []
    scenario = load_scenario(folder)
    assert scenario.id == "my-truce-2024" and scenario.format == 2
    assert set(scenario.zones) == {"buffer"}


def test_the_skeleton_never_overwrites(tmp_path: Path) -> None:
    write_skeleton(tmp_path / "x")
    with pytest.raises(InputError, match="already exists"):
        write_skeleton(tmp_path / "x")


def test_scenario_new_on_the_command_line(tmp_path: Path) -> None:
    from trucewatch.cli import app
    result = CliRunner().invoke(app, ["scenario", "new", str(tmp_path / "yemen-2022")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "yemen-2022" / "scenario.yaml").is_file()
    checked = CliRunner().invoke(app, ["scenario", "validate", str(tmp_path / "yemen-2022")])
    assert checked.exit_code == 2
    assert "missing required key 'timezone'" in checked.output


# ---------------------------------------------------------------- weapons


@pytest.mark.parametrize(("words", "expected"), [
    ("came under fire from 120mm mortars and 122-mm artillery",
     [(WeaponClass.MORTAR, 120.0), (WeaponClass.ARTILLERY, 122.0)]),
    ("Grad rockets hit the outskirts", [(WeaponClass.MLRS, 122.0)]),
    ("shelled with 152 mm shells", [(WeaponClass.ARTILLERY, 152.0)]),
    ("a fuel tank caught fire", []),
    ("a tornado flattened the grad school", []),  # names of systems keep their capital
    ("Smerch and Uragan launchers", [(WeaponClass.HEAVY_MLRS, 300.0),
                                     (WeaponClass.HEAVY_MLRS, 220.0)]),
    ("a Tochka-U missile", [(WeaponClass.TACTICAL_MISSILE, None)]),
    ("an attack drone and small arms", [(WeaponClass.DRONE, None),
                                        (WeaponClass.SMALL_ARMS, None)]),
    ("82-millimetre mortar rounds", [(WeaponClass.MORTAR, 82.0)]),
])
def test_weapons_read_from_words(words: str, expected: list[tuple[WeaponClass, float | None]]
                                 ) -> None:
    assert [(w.kind, w.calibre_mm) for w in read_weapons(words)] == expected


@pytest.mark.parametrize(("weapon", "expected"), [
    (Weapon(WeaponClass.ARTILLERY, 122.0, ""), "yes"),
    (Weapon(WeaponClass.MORTAR, 82.0, ""), "no"),
    (Weapon(WeaponClass.MORTAR, None, ""), "maybe"),  # 60-120 mm straddles 100
    (Weapon(WeaponClass.TANK, None, ""), "yes"),  # 100-125 mm
    (Weapon(WeaponClass.SMALL_ARMS, None, ""), "no"),
    (Weapon(WeaponClass.MLRS, None, ""), "no"),  # not in the rule's classes
])
def test_calibre_bounds(weapon: Weapon, expected: str) -> None:
    rule = WeaponRule(frozenset({WeaponClass.ARTILLERY, WeaponClass.MORTAR, WeaponClass.TANK,
                                 WeaponClass.SMALL_ARMS}), ("z",), min_calibre_mm=100)
    assert match(weapon, rule) == expected
