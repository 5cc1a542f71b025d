"""Scenario format 2 (docs/scenario-format.md): each element read from the small
scenarios of tests/fixtures/scenarios_v2, and what it does to verdicts."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

import pytest
from pyproj import Geod
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from trucewatch.assess import assess, assess_many
from trucewatch.errors import NotFoundError
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    ActorRole,
    BoundaryStatus,
    Claim,
    EventType,
    Evidence,
    Incident,
    Place,
    Scenario,
    Span,
    VerdictKind,
)
from trucewatch.scenario import load_scenario, validate_scenario

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios_v2"
GEOD = Geod(ellps="WGS84")


class FakeOutlines:
    """Stand-in for trucewatch.geo.areas: two square countries and one province."""

    COUNTRIES: ClassVar[dict[str, BaseGeometry]] = {
        "XA": box(40.0, 10.0, 44.0, 14.0), "XB": box(40.0, 14.0, 44.0, 18.0)}
    PROVINCES: ClassVar[dict[tuple[str, str], BaseGeometry]] = {
        ("XA", "Port Province"): box(40.0, 10.0, 41.0, 11.0)}

    def country_outline(self, code_or_name: str) -> BaseGeometry:
        if code_or_name not in self.COUNTRIES:
            raise NotFoundError(f"no country outline for {code_or_name!r}; closest: XA")
        return self.COUNTRIES[code_or_name]

    def admin1_outline(self, country_code: str, name: str) -> BaseGeometry:
        if (country_code, name) not in self.PROVINCES:
            raise NotFoundError(f"no admin-1 unit {name!r} in {country_code}; closest: "
                                "Port Province")
        return self.PROVINCES[(country_code, name)]


@pytest.fixture(scope="module")
def riverland() -> Scenario:
    return load_scenario(FIXTURES / "riverland")


@pytest.fixture(scope="module")
def borderlands() -> Scenario:
    return load_scenario(FIXTURES / "borderlands", outlines=FakeOutlines())


def east_of(lon: float, lat: float, km: float) -> tuple[float, float]:
    """The point ``km`` due east (negative: west) of (lon, lat), on the ellipsoid."""
    x, y, _ = GEOD.fwd(lon, lat, 90 if km >= 0 else 270, abs(km) * 1000)
    return x, y


def event(lon: float, lat: float, day: date, *, by: str | None = "gov",
          kind: EventType = EventType.SHELLING, words: str | None = None,
          claims: list[Claim] | None = None) -> Incident:
    place = Place("Village", lat=lat, lon=lon)
    if claims is None and words is not None:
        claims = [Claim(kind, day, location=place, perpetrator_actor=by, evidence=[
            Evidence("event_type", Span(0, len(words), words))])]
    return Incident(kind, day, place, perpetrator_actor=by, claims=claims or [])


def text(verdict_reasons: tuple[str, ...]) -> str:
    return " ".join(verdict_reasons)


# ---------------------------------------------------------------- a line with buffers


def test_version_1_is_still_version_1(riverland: Scenario) -> None:
    assert load_scenario("astana-2017").format == 1
    assert riverland.format == 2


def test_buffer_is_measured_in_km_on_the_ground(riverland: Scenario) -> None:
    zone = riverland.zones["security-zone"]
    winter = zone.boundary_on(date(2020, 2, 1))
    assert winter is not None and winter.status is BoundaryStatus.AGREED
    for km, inside in ((14.8, True), (15.2, False), (-14.8, True), (-15.2, False)):
        assert winter.geometry.covers(Point(*east_of(30.0, 49.5, km))) is inside, km
    # round ends (the default): 15 km past the line's southern end (49.0), no further
    assert winter.geometry.covers(Point(30.0, 48.95))
    assert not winter.geometry.covers(Point(30.0, 48.85))


def test_one_side_only(riverland: Scenario) -> None:
    east = riverland.zones["east-side"].boundary_on(date(2020, 2, 1))
    assert east is not None
    assert east.geometry.covers(Point(*east_of(30.0, 49.5, 9.5)))
    assert not east.geometry.covers(Point(*east_of(30.0, 49.5, -2)))
    assert not east.geometry.covers(Point(*east_of(30.0, 49.5, 10.5)))


def test_the_buffer_follows_the_lines_versions(riverland: Scenario) -> None:
    zone = riverland.zones["security-zone"]
    assert [(v.valid_from, v.valid_to) for v in zone.versions] == [
        (date(2020, 1, 1), date(2020, 6, 30)), (date(2020, 7, 1), None)]
    summer = zone.boundary_on(date(2020, 7, 15))
    assert summer is not None and summer.status is BoundaryStatus.DISPUTED
    far_west = Point(*east_of(30.0, 49.5, -14))
    assert not summer.geometry.covers(far_west)  # the line moved 0.2 degrees east


def test_bound_party_inside_the_buffer_is_a_violation(riverland: Scenario) -> None:
    verdict = assess(event(*east_of(30.0, 49.5, 5), date(2020, 2, 1)), riverland)
    assert verdict.kind is VerdictKind.VIOLATION
    assert "security-zone" in verdict.zones and "truce" in verdict.agreements
    outside = assess(event(*east_of(30.0, 49.5, 60), date(2020, 2, 1)), riverland)
    assert outside.kind is VerdictKind.OUTSIDE_ZONES


# ---------------------------------------------------------------- weapons by calibre


@pytest.mark.parametrize(("km", "words", "expected", "named"), [
    (20, "Positions were hit by 122mm artillery", VerdictKind.VIOLATION, "122 mm artillery"),
    (20, "A 152-millimetre howitzer fired on the village", VerdictKind.VIOLATION, "152 mm"),
    (20, "Shelled with 82mm mortars", VerdictKind.NOT_VIOLATION, "82 mm mortar"),
    (30, "Grad rockets landed in the fields", VerdictKind.VIOLATION, "mlrs"),
    (30, "Positions were hit by 122mm artillery", VerdictKind.NOT_VIOLATION, "artillery"),
    (20, "Mortar fire was heard", VerdictKind.UNDETERMINED, "without a calibre"),
    (20, "Explosions were heard", VerdictKind.NOT_VIOLATION, "the reports name no weapon"),
])
def test_a_weapon_is_barred_only_within_its_own_distance(
        riverland: Scenario, km: float, words: str, expected: VerdictKind, named: str) -> None:
    incident = event(*east_of(30.0, 49.5, km), date(2020, 2, 1), words=words)
    verdict = assess(incident, riverland)
    assert verdict.kind is expected, verdict.reasons
    assert named in text(verdict.reasons)
    if expected is VerdictKind.VIOLATION:
        assert verdict.agreements == ("withdrawal",)


def test_weapons_before_the_withdrawal_began(riverland: Scenario) -> None:
    incident = event(*east_of(30.0, 49.5, 20), date(2020, 1, 10), words="122mm artillery")
    verdict = assess(incident, riverland)
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "took effect on 2020-01-15" in text(verdict.reasons)


# ---------------------------------------------------------------- periods and their ending


@pytest.mark.parametrize(("day", "expected", "words"), [
    (date(2020, 2, 1), VerdictKind.VIOLATION, "(its first period from 2020-01-01 00:00 until "
     "2020-03-01 00:00: joint statement of 30 December 2019; 3 periods in all)"),
    (date(2020, 4, 1), VerdictKind.VIOLATION, "Riverland truce was in force on 2020-04-01"),
    (date(2020, 5, 15), VerdictKind.NOT_VIOLATION, "had lapsed on 2020-05-01 00:00 and resumed "
     "only on 2020-06-01 00:00 (resumption: mediator's statement of 30 May 2020)"),
    (date(2020, 7, 1), VerdictKind.VIOLATION, "(resumed from 2020-06-01 00:00 until "
     "2020-09-01 00:00: mediator's statement of 30 May 2020; 3 periods in all)"),
    (date(2020, 9, 15), VerdictKind.NOT_VIOLATION,
     "Riverland truce expired on 2020-09-01 00:00 (mission report of 2 September 2020)"),
])
def test_renewals_gaps_and_expiry(riverland: Scenario, day: date, expected: VerdictKind,
                                  words: str) -> None:
    line_lon = 30.0 if day < date(2020, 7, 1) else 30.2
    verdict = assess(event(*east_of(line_lon, 49.3, -3), day), riverland)
    assert verdict.kind is expected, verdict.reasons
    assert words in text(verdict.reasons)


def test_periods_are_read_with_their_sources(riverland: Scenario) -> None:
    truce = next(a for a in riverland.agreements if a.id == "truce")
    assert [p.kind for p in truce.periods] == ["initial", "renewal", "resumption"]
    assert truce.start == datetime(2020, 1, 1) and truce.end == datetime(2020, 9, 1)
    assert truce.ended is not None and truce.ended.how == "expired"
    assert truce.window_on(date(2020, 5, 15)) == "none"
    assert truce.window_on(date(2020, 6, 1)) == "all"


# ---------------------------------------------------------------- roles


def test_a_monitor_is_never_the_perpetrator(riverland: Scenario) -> None:
    assert riverland.actors["mission"].role is ActorRole.MONITOR
    verdict = assess(event(*east_of(30.0, 49.5, 5), date(2020, 2, 1), by="mission"), riverland)
    assert verdict.kind is VerdictKind.UNDETERMINED
    reasons = text(verdict.reasons)
    assert "Joint Monitoring Mission monitors the ceasefire: its report does not make it the " \
           "perpetrator" in reasons
    assert "Nobody else is named as having carried it out" in reasons


def test_a_reporting_office_named_by_an_agreement_is_never_the_perpetrator(
        riverland: Scenario) -> None:
    assert riverland.actors["gov-press"].role is ActorRole.REPORTING
    verdict = assess(event(*east_of(30.0, 49.5, 5), date(2020, 2, 1), by="gov-press"),
                     riverland)
    assert verdict.kind is VerdictKind.UNDETERMINED
    assert "Government press service reports on the ceasefire" in text(verdict.reasons)


# ---------------------------------------------------------------- hierarchy, partial


def test_a_sub_unit_is_bound_by_its_parents_commitments(riverland: Scenario) -> None:
    verdict = assess(event(*east_of(30.0, 49.5, 5), date(2020, 2, 1), by="east-brigade"),
                     riverland)
    assert verdict.kind is VerdictKind.VIOLATION
    assert "East Brigade is bound by it (as part of Eastern Alliance)" in text(verdict.reasons)


def test_a_partial_commitment_binds_only_in_its_zones(riverland: Scenario) -> None:
    north = assess(event(*east_of(30.0, 49.8, 5), date(2020, 2, 1), by="river-militia"),
                   riverland)
    assert north.kind is VerdictKind.VIOLATION
    south = assess(event(*east_of(30.0, 49.2, 5), date(2020, 2, 1), by="river-militia"),
                   riverland)
    assert south.kind is VerdictKind.NOT_VIOLATION
    assert "River Militia is not bound by Riverland truce (only in north-sector, not here)" \
        in text(south.reasons)


def test_a_sub_unit_of_an_excluded_group_is_excluded_with_it(riverland: Scenario) -> None:
    raiders = riverland.actors["raiders"]
    cell = replace(raiders, id="raider-cell", name="Raider cell", part_of="raiders")
    scenario = replace(riverland, actors={**riverland.actors, "raider-cell": cell})
    incident = replace(event(*east_of(30.0, 49.5, 5), date(2020, 2, 1)),
                       target_actor="raider-cell")
    verdict = assess(incident, scenario)
    assert verdict.kind is VerdictKind.NOT_VIOLATION
    assert "The target, Raider cell, is excluded from Riverland truce" in text(verdict.reasons)


# ---------------------------------------------------------------- disputed attribution


def contested_claim(day: date, place: Place, by: str, notes: str) -> Claim:
    return Claim(EventType.SHELLING, day, location=place, perpetrator_actor=by,
                 notes=f"{CONTESTED_ATTRIBUTION}: {notes}", sources=["a local outlet"])


def test_disputed_between_bound_and_unbound_is_a_probable_violation(
        riverland: Scenario) -> None:
    lon, lat = east_of(30.0, 49.5, 5)
    day = date(2020, 2, 1)
    notes = "Government forces blames Neighbour army; Eastern Alliance blames Government forces"
    claim = contested_claim(day, Place("Village", lat=lat, lon=lon), "neighbour-army", notes)
    incident = event(lon, lat, day, by="neighbour-army", claims=[claim])
    before = replace(incident, claims=[])  # what the unbound attribution alone gave
    assert assess(before, riverland).kind is VerdictKind.NOT_VIOLATION
    verdict = assess(incident, riverland)
    assert verdict.kind is VerdictKind.PROBABLE_VIOLATION
    reasons = text(verdict.reasons)
    assert notes in reasons  # both claims, as the report gives them
    assert "Government forces are bound by it and Neighbour army is not" in reasons


def test_disputed_between_two_claims_of_different_reports(riverland: Scenario) -> None:
    lon, lat = east_of(30.0, 49.5, 5)
    day, place = date(2020, 2, 1), Place("Village", lat=lat, lon=lon)
    claims = [Claim(EventType.SHELLING, day, location=place, perpetrator="the army",
                    perpetrator_actor="gov", sources=["outlet one"]),
              Claim(EventType.SHELLING, day, location=place, perpetrator="Raiders",
                    perpetrator_actor="raiders", sources=["outlet two"])]
    verdict = assess(event(lon, lat, day, by=None, claims=claims), riverland)
    assert verdict.kind is VerdictKind.PROBABLE_VIOLATION
    reasons = text(verdict.reasons)
    assert "the army (as outlet one says)" in reasons and "Raiders (as outlet two says)" in reasons


def test_disputed_between_bound_parties_is_a_violation(riverland: Scenario) -> None:
    lon, lat = east_of(30.0, 49.5, 5)
    day = date(2020, 2, 1)
    notes = "Government forces blames Eastern Alliance; Eastern Alliance blames Government forces"
    claim = contested_claim(day, Place("Village", lat=lat, lon=lon), "gov", notes)
    verdict = assess(event(lon, lat, day, by="gov", claims=[claim]), riverland)
    assert verdict.kind is VerdictKind.VIOLATION
    assert "whoever carried it out broke it" in text(verdict.reasons)


def test_disputed_between_unbound_actors_is_not_a_violation(riverland: Scenario) -> None:
    lon, lat = east_of(30.0, 49.5, 5)
    day = date(2020, 2, 1)
    notes = "Raiders blames Neighbour army; Neighbour army blames Raiders"
    claim = contested_claim(day, Place("Village", lat=lat, lon=lon), "raiders", notes)
    verdict = assess(event(lon, lat, day, by="raiders", claims=[claim]), riverland)
    assert verdict.kind is VerdictKind.NOT_VIOLATION


def test_a_monitor_blamed_in_a_dispute_is_left_out(riverland: Scenario) -> None:
    lon, lat = east_of(30.0, 49.5, 5)
    day = date(2020, 2, 1)
    notes = "Government forces blames Joint Monitoring Mission; Joint Monitoring Mission denies it"
    claim = contested_claim(day, Place("Village", lat=lat, lon=lon), "mission", notes)
    verdict = assess(event(lon, lat, day, by="mission", claims=[claim]), riverland)
    assert verdict.kind is not VerdictKind.VIOLATION
    assert "its report does not make it the perpetrator" in text(verdict.reasons)


def test_denied_attribution_to_a_bound_party_is_probable(riverland: Scenario) -> None:
    lon, lat = east_of(30.0, 49.5, 5)
    day = date(2020, 2, 1)
    notes = "Eastern Alliance blames Government forces; Government forces denies it"
    claim = contested_claim(day, Place("Village", lat=lat, lon=lon), "gov", notes)
    verdict = assess(event(lon, lat, day, by="gov", claims=[claim]), riverland)
    assert verdict.kind is VerdictKind.PROBABLE_VIOLATION


def test_merged_reports_blaming_different_sides(riverland: Scenario) -> None:
    from trucewatch.merge import merge_claims
    lon, lat = east_of(30.0, 49.5, 5)
    day, place = date(2020, 2, 1), Place("Village", lat=lat, lon=lon)
    claims = [Claim(EventType.SHELLING, day, location=place, perpetrator_actor=who,
                    sources=[source])
              for who, source in (("gov", "outlet one"), ("neighbour-army", "outlet two"))]
    (incident,) = merge_claims(claims, into=[])
    assert incident.perpetrator_actor is None and incident.confidence == "contested"
    assert assess(incident, riverland).kind is VerdictKind.PROBABLE_VIOLATION


# ---------------------------------------------------------------- areas by reference


def test_areas_by_reference(borderlands: Scenario) -> None:
    xa = borderlands.zones["xa"].versions[0]
    assert xa.geometry.equals(FakeOutlines.COUNTRIES["XA"]) and xa.approximate
    port = borderlands.zones["port-province"].versions[0]
    assert port.valid_from == date(2020, 1, 1)
    assert "cross-border-XB" in borderlands.zones
    verdict = assess(event(42.0, 12.0, date(2022, 5, 1), by="northern-movement"), borderlands)
    assert verdict.kind is VerdictKind.VIOLATION and "xa" in verdict.zones


def test_an_unknown_area_names_the_entry_and_the_closest(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    shutil.copytree(FIXTURES / "borderlands", folder)
    yaml_path = folder / "scenario.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("admin1: Port Province",
                                                       "admin1: Port Provence"))
    problems = validate_scenario(folder, outlines=FakeOutlines())
    assert problems == ["scenario.yaml: zones[1] (port-province): area XA / Port Provence: "
                        "no admin-1 unit 'Port Provence' in XA; closest: Port Province"]


@pytest.mark.parametrize(("by", "expected"), [
    ("northern-movement", VerdictKind.VIOLATION),
    (None, VerdictKind.UNDETERMINED),
])
def test_cross_border_acts_by_a_party(borderlands: Scenario, by: str | None,
                                      expected: VerdictKind) -> None:
    verdict = assess(event(42.0, 16.0, date(2022, 5, 1), by=by, kind=EventType.AIR_STRIKE),
                     borderlands)
    assert verdict.kind is expected, verdict.reasons
    assert "cross-border-XB" in verdict.zones


def test_cross_border_anywhere_needs_a_named_bound_party(borderlands: Scenario) -> None:
    far = (60.0, 30.0)
    verdict = assess(event(*far, date(2022, 5, 1), by="northern-movement"), borderlands)
    assert verdict.kind is VerdictKind.VIOLATION
    assert verdict.agreements == ("port-ceasefire",)
    assert "also covers acts by its parties beyond its zones" in text(verdict.reasons)
    assert assess(event(*far, date(2022, 5, 1), by=None), borderlands).kind \
        is VerdictKind.OUTSIDE_ZONES


def test_without_outlines_an_area_is_a_clear_problem(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from trucewatch.scenario import loading
    monkeypatch.setattr(loading, "shipped_outlines", lambda: None)
    problems = validate_scenario(FIXTURES / "borderlands")
    assert "scenario.yaml: zones[0] (xa): no country outlines are installed" in problems[0]


# ---------------------------------------------------------------- bulk = one by one


def test_bulk_gives_the_same_verdicts(riverland: Scenario, borderlands: Scenario) -> None:
    for scenario, points in ((riverland, [east_of(30.0, 49.5, km) for km in (-40, -20, -5, 5,
                                                                              20, 30, 60)]),
                             (borderlands, [(42.0, 12.0), (40.5, 10.5), (42.0, 16.0),
                                            (60.0, 30.0)])):
        incidents = [event(lon, lat, day, by=by, words="122mm artillery")
                     for lon, lat in points
                     for day in (date(2020, 2, 1), date(2020, 5, 15), date(2022, 5, 1))
                     for by in ("gov", "river-militia", "northern-movement", None)]
        assert assess_many(incidents, scenario) == [assess(i, scenario) for i in incidents]


# ---------------------------------------------------------------- stored and rebuilt


def test_a_stored_copy_rebuilds_the_same_scenario(riverland: Scenario) -> None:
    from trucewatch.ledger import SCENARIO_FILES, scenario_from_definition
    definition = {name: (FIXTURES / "riverland" / name).read_text(encoding="utf-8")
                  for name in SCENARIO_FILES}
    rebuilt = scenario_from_definition(definition)
    assert set(rebuilt.zones) == set(riverland.zones)
    assert rebuilt.agreements[0].periods == riverland.agreements[0].periods
    geojson = json.loads(definition["zones.geojson"])
    assert any("line" in f["properties"] for f in geojson["features"])


# ---------------------------------------------------------------- in the ledger


def test_the_ledger_keeps_a_disputed_verdict_through_a_scenario_reload(store_url: str) -> None:
    """Ingested against riverland, then riverland loaded again (every stored incident
    re-assessed in bulk from its row): the disputed attribution stays a probable violation."""
    from trucewatch.model import Report
    from trucewatch.service import Ledger
    from trucewatch.store import repository

    ledger = Ledger(store_url)
    ledger.init()
    scenario = ledger.load_scenario(FIXTURES / "riverland")
    lon, lat = east_of(30.0, 49.5, 5)
    day, place = date(2020, 2, 1), Place("Village", lat=lat, lon=lon)
    notes = "Government forces blames Neighbour army; Eastern Alliance blames Government forces"
    ledger.ingest_claims(Report(text="Shelling hit the village; each side blamed the other."),
                         [contested_claim(day, place, "neighbour-army", notes)], scenario)

    def verdict() -> VerdictKind:
        ((_, found),) = repository.list_incidents(ledger.db)
        assert found is not None
        return found.kind

    assert verdict() is VerdictKind.PROBABLE_VIOLATION
    ledger.load_scenario(FIXTURES / "riverland")
    assert verdict() is VerdictKind.PROBABLE_VIOLATION


def test_areas_from_the_shipped_outlines(tmp_path: Path) -> None:
    """The same references against Natural Earth's outlines (trucewatch.geo.areas)."""
    folder = tmp_path / "yemen-small"
    folder.mkdir()
    (folder / "scenario.yaml").write_text("""\
format: 2
id: yemen-small
name: Truce over Yemen
timezone: Asia/Aden
actors:
  - {id: houthis, name: Houthis, kind: rebel, bound_by: [truce]}
zones:
  - {id: yemen, area: {country: YE}}
  - {id: hudaydah, area: {country: Yemen, admin1: Al Hudaydah}}
agreements:
  - {id: truce, name: Truce, start: 2022-04-02T19:00, end: 2022-10-02T19:00,
     parties: [houthis], zones: [yemen], prohibited: all, cross_border: [SA]}
""", encoding="utf-8")
    (folder / "zones.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    scenario = load_scenario(folder)  # the shipped outlines, no stand-in
    assert scenario.zones["hudaydah"].versions[0].geometry.covers(Point(42.95, 14.8))
    jizan = event(42.55, 16.89, date(2022, 5, 1), by="houthis", kind=EventType.AIR_STRIKE)
    verdict = assess(jizan, scenario)
    assert verdict.kind is VerdictKind.VIOLATION and verdict.zones == ("cross-border-SA",)
    (folder / "scenario.yaml").write_text(
        (folder / "scenario.yaml").read_text().replace("Al Hudaydah", "Hudayd"))
    (problem,) = validate_scenario(folder)
    assert problem.startswith("scenario.yaml: zones[1] (hudaydah): area Yemen / Hudayd: ")
    assert "Al Hudaydah" in problem  # the closest name


def test_the_ledger_keeps_a_weapon_verdict_through_a_scenario_reload(store_url: str) -> None:
    """A scenario with weapon zones re-reads the reports' words when it is loaded again."""
    from trucewatch.model import Report
    from trucewatch.service import Ledger
    from trucewatch.store import repository

    ledger = Ledger(store_url)
    ledger.init()
    scenario = ledger.load_scenario(FIXTURES / "riverland")
    incident = event(*east_of(30.0, 49.5, 20), date(2020, 2, 1),
                     words="Positions were hit by 122mm artillery")
    ledger.ingest_claims(Report(text="Positions were hit by 122mm artillery."),
                         incident.claims, scenario)

    def verdict() -> VerdictKind:
        ((_, found),) = repository.list_incidents(ledger.db)
        assert found is not None
        return found.kind

    assert verdict() is VerdictKind.VIOLATION
    ledger.load_scenario(FIXTURES / "riverland")
    assert verdict() is VerdictKind.VIOLATION


def test_astana_in_bulk_as_one_by_one() -> None:
    """Format 1 unchanged: seeded incidents of every kind over the Syrian zones (overlapping
    zones, coarse places, hours, targets) get the same verdicts in bulk as one by one."""
    import random
    from datetime import timedelta

    astana = load_scenario("astana-2017")
    rng = random.Random(5)
    actors = [*astana.actors, None, "unknown"]
    incidents = [
        Incident(rng.choice(list(EventType)), date(2017, 5, 1) + timedelta(rng.randint(0, 200)),
                 Place("p", lat=rng.uniform(32.3, 36.7), lon=rng.uniform(35.7, 38.5),
                       geo_precision=rng.choice([1, 1, 2, 3])),
                 perpetrator_actor=rng.choice(actors), target_actor=rng.choice(actors),
                 day_part=rng.choice([None, "morning", "night"]))
        for _ in range(1500)]
    assert assess_many(incidents, astana) == [assess(i, astana) for i in incidents]
