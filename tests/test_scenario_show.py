"""`trucewatch scenario show` lists format 2's elements: periods with their sources,
endings, roles, weapon zones, sub-units, partial commitments, zones built from a line or
an area by reference."""

from __future__ import annotations

import pytest

from trucewatch.cli import main
from trucewatch.scenario import load_scenario
from trucewatch.scenario.summary import actor_lines, commitment_lines, zone_sources


def show(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         name: str) -> str:
    monkeypatch.setenv("COLUMNS", "160")
    try:
        code = main(["scenario", "show", name])
    except SystemExit as stop:
        code = int(stop.code or 0)
    assert code == 0
    return " ".join(capsys.readouterr().out.split())  # wrapped lines joined


def test_yemen_shows_renewals_expiry_roles_and_cross_border(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = show(capsys, monkeypatch, "yemen")
    assert "renewal: 2022-06-02 19:00 → 2022-08-02 19:00, decided 2022-06-02" in text
    assert "expired 2022-10-02 19:00 (UN Special Envoy's statement, 2 October 2022)" in text
    assert "role monitor (never the perpetrator)" in text
    assert "role reporting (never the perpetrator)" in text
    assert "cross-border: acts by its parties in cross-border-SA, cross-border-AE" in text


def test_donbas_shows_weapon_zones_lines_and_sub_units(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = show(capsys, monkeypatch, "donbas-minsk")
    assert "security-zone: 15 km either side of line contact-line, round ends" in text
    assert "mlrs barred in mlrs-zone" in text
    assert "superseded 2015-02-15 00:00" in text
    assert "part of Russia-backed armed formations; bound as its parent is" in text
    assert "monitors: OSCE Special Monitoring Mission" in text


def test_partial_commitments_and_areas_by_reference() -> None:
    karabakh = load_scenario("nagorno-karabakh-2020")
    assert any(source.startswith("area by reference: AM")
               for source in zone_sources(karabakh).values())
    scenario = load_scenario("tests/fixtures/scenarios_v2/riverland")
    lines = actor_lines(scenario)
    assert any("truce (only in north-sector)" in line for line in lines)
    for actor in scenario.actors.values():
        for commitment, zones in actor.bound_in:
            assert any(f"{commitment} (only in {', '.join(zones)})" in line for line in lines)


def test_a_version_1_commitment_adds_only_its_parties() -> None:
    astana = load_scenario("astana-2017")
    for agreement in astana.agreements:
        assert all(line.split(":")[0] in ("parties", "guarantors")
                   for line in commitment_lines(agreement, astana))
