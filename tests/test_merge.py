"""Merging: several outlets' and datasets' reports of one strike become one incident with
its toll as a range and a confidence grade; distinct events in one town on one day stay
apart; blocking keeps a day of GDELT from being compared all-pairs; analysts' splits and
joins survive re-merging."""

from __future__ import annotations

import json
import math
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from api_support import PASSWORDS, Desk
from trucewatch import merge
from trucewatch.actors import ActorDictionary
from trucewatch.cli import main
from trucewatch.geo.zones import KM_PER_DEGREE, km_between
from trucewatch.importers import Actors
from trucewatch.merge import MergeRules, merge_claims
from trucewatch.model import (
    Casualties,
    Claim,
    Confidence,
    DatePrecision,
    EventType,
    Incident,
    Place,
    Report,
    Scenario,
)
from trucewatch.service import ingesting
from trucewatch.service import merging as service_merging
from trucewatch.store import Database, imports, repository
from trucewatch.store.tables import OverrideRow

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
DAY = date(2017, 7, 4)


def douma(**fields: object) -> Claim:
    base: dict[str, object] = {
        "event_type": EventType.AIR_STRIKE, "event_date": DAY,
        "location": Place("Douma", 33.5722, 36.4036, "Rif Dimashq", country="Syria"),
        "perpetrator_actor": "gov",
    }
    base.update(fields)
    return Claim(**base)  # type: ignore[arg-type]


# --- one strike, several reports -----------------------------------------------------------


def test_five_reports_of_one_strike_are_one_incident_with_a_range_of_tolls():
    claims = [
        douma(killed=Casualties.exact(2), sources=["a medical source"]),
        douma(killed=Casualties.exact(2), sources=["Syrian Observatory for Human Rights"]),
        douma(killed=Casualties(3, 3, 5), sources=["White Helmets"],
              location=Place("Duma", 33.5717, 36.4019, country="Syria")),  # 0.2 km off
        douma(killed=Casualties(low=2, best=2), sources=["SOHR; LCC"], dataset="acled",
              external_id="SYR20001"),
        douma(killed=Casualties(2, 2, 4), sources=["Agence France Presse"], dataset="ucdp",
              external_id="244101", exact_type=False, event_type=EventType.ARMED_CLASH,
              perpetrator_actor=None),
    ]
    [incident] = merge_claims(claims)
    assert len(incident.claims) == 5
    assert (incident.killed.low, incident.killed.best, incident.killed.high) == (2, 2, 5)
    assert incident.event_type is EventType.AIR_STRIKE  # the exact readings outvote UCDP's
    assert incident.confidence is Confidence.FAIR
    assert incident.perpetrator_actor == "gov"
    assert len(incident.sources) == 5


def test_a_single_source_is_weak():
    [incident] = merge_claims([douma(sources=["a medical source"])])
    assert incident.confidence is Confidence.WEAK


def test_overlapping_date_ranges_merge_and_disjoint_ones_do_not():
    week = douma(event_type=EventType.ARMED_CLASH, exact_type=False, dataset="ucdp",
                 external_id="9", event_date=date(2017, 7, 1), date_end=date(2017, 7, 7))
    after = douma(event_date=date(2017, 7, 9))
    incidents = merge_claims([douma(), week, after])
    assert sorted(len(i.claims) for i in incidents) == [1, 2]
    month = douma(event_date=date(2017, 7, 1), date_precision=DatePrecision.MONTH)
    assert len(merge_claims([douma(), month])) == 1


# --- distinct events in one town on one day ------------------------------------------------


@pytest.mark.parametrize(("first", "second"), [
    ({"day_part": "morning"}, {"day_part": "evening"}),
    ({"target": "the national hospital"}, {"target": "a crowded market"}),
    ({"event_type": EventType.AIR_STRIKE}, {"event_type": EventType.SHELLING}),
    ({"dataset": "acled", "external_id": "SYR1"}, {"dataset": "acled", "external_id": "SYR2"}),
    ({"perpetrator_actor": "gov", "dataset": "gdelt", "external_id": "1"},
     {"perpetrator_actor": "ally", "dataset": "gdelt", "external_id": "2"}),
])
def test_distinct_events_in_one_town_on_one_day_stay_apart(
        first: dict[str, object], second: dict[str, object]):
    incidents = merge_claims([douma(**first), douma(**second)])
    assert len(incidents) == 2


def test_outlets_blaming_different_parties_for_one_strike_make_it_contested():
    [incident] = merge_claims([douma(perpetrator_actor="gov", sources=["SANA"]),
                               douma(perpetrator_actor="ally", sources=["SOHR"])])
    assert incident.confidence is Confidence.CONTESTED
    assert incident.perpetrator_actor is None  # not decided between them


def test_a_coarse_code_joins_the_strike_it_may_describe():
    gdelt = douma(event_type=EventType.ARMED_CLASH, exact_type=False, dataset="gdelt",
                  external_id="667000002", perpetrator_actor=None)
    same_target = douma(target="the hospital")
    incidents = merge_claims([douma(), gdelt, same_target, douma(target="hospital")])
    assert len(incidents) == 1


def test_far_places_and_other_days_stay_apart():
    far = douma(location=Place("Harasta", 33.5586, 36.3653, country="Syria"))  # 3.8 km
    farther = douma(location=Place("Daraa", 32.6189, 36.1021, country="Syria"))
    incidents = merge_claims([douma(), far, farther, douma(event_date=DAY + timedelta(1))])
    assert sorted(len(i.claims) for i in incidents) == [1, 1, 2]


def count_comparisons(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times the merger compares a claim with an incident, counted in "n"."""
    calls = {"n": 0}
    real = merge._Summary.fits_probe

    def counted(self: merge._Summary, probe: merge._Probe) -> bool:
        calls["n"] += 1
        return real(self, probe)

    monkeypatch.setattr(merge._Summary, "fits_probe", counted)
    return calls


@pytest.mark.slow  # a day of GDELT
def test_a_day_of_gdelt_is_blocked_not_compared_all_pairs(monkeypatch: pytest.MonkeyPatch):
    rng = random.Random(4)
    n = 20_000
    claims = [
        Claim(event_type=rng.choice([EventType.AIR_STRIKE, EventType.SHELLING]),
              event_date=DAY, dataset="gdelt", external_id=str(i),
              location=Place(f"p{rng.randrange(3000)}", rng.uniform(32.0, 37.0),
                             rng.uniform(35.5, 42.0), country="Syria"),
              sources=[f"site{rng.randrange(50)}.com"])
        for i in range(n)
    ]
    calls = count_comparisons(monkeypatch)
    incidents = merge_claims(claims)
    assert sum(len(i.claims) for i in incidents) == n
    assert 0 < calls["n"] < 100 * n  # all pairs would be 200,000,000


def test_points_just_inside_five_km_merge_and_just_outside_stay_apart():
    """The merger bounds latitude and longitude before the trig: the bound must not drop a
    pair km_between puts within 5 km, at a latitude where a degree of longitude is short."""
    lat, lon = 60.0, 30.0
    per_degree = KM_PER_DEGREE * math.cos(math.radians(lat))
    for km, expected in ((4.99, [2]), (5.01, [1, 1])):
        for dlat, dlon in ((0.0, km / per_degree), (km / KM_PER_DEGREE, 0.0)):
            a = douma(location=Place("Here", lat, lon, country="Russia"))
            b = douma(location=Place("There", lat + dlat, lon + dlon, country="Russia"))
            assert km_between(lat, lon, lat + dlat, lon + dlon) == pytest.approx(km, abs=1e-3)
            incidents = merge_claims([a, b])
            assert sorted(len(i.claims) for i in incidents) == expected, (km, dlat, dlon)


def test_a_claim_is_checked_only_against_incidents_at_its_place(
        monkeypatch: pytest.MonkeyPatch):
    rng = random.Random(7)
    n = 5_000
    claims = [
        Claim(event_type=EventType.SHELLING, event_date=DAY, dataset="gdelt",
              perpetrator_actor=rng.choice(["a", "b", "c"]), external_id=str(i),
              location=Place(f"p{rng.randrange(1000)}", rng.uniform(32.0, 37.0),
                             rng.uniform(35.5, 42.0), country="Syria"))
        for i in range(n)
    ]
    calls = count_comparisons(monkeypatch)
    incidents = merge_claims(claims)
    assert sum(len(i.claims) for i in incidents) == n
    # 1,000 random points over 5 x 6.5 degrees are rarely within 5 km of one another: a
    # claim meets the (at most 3) incidents of its own place and seldom another's.
    assert 0 < calls["n"] < 4 * n


# --- analysts' rules --------------------------------------------------------------------------


def test_rules_keep_split_claims_apart_and_joined_claims_together():
    a, b, c = douma(id=1), douma(id=2), douma(id=3)
    rules = MergeRules()
    rules.keep_apart([2], [1])
    rules.take_out([2], label=-1)
    incidents = merge_claims([a, b, c], rules=rules)
    assert sorted(sorted(x.id for x in i.claims) for i in incidents) == [[1, 3], [2]]
    far = douma(id=4, location=Place("Daraa", 32.6189, 36.1021, country="Syria"))
    rules.bring_together([1, 4], label=7)
    incidents = merge_claims([douma(id=1), far], rules=rules)
    assert len(incidents) == 1
    rules.bring_together([1, 2], label=8)  # a later join overrides the split
    assert 1 not in rules.apart.get(2, set())


# --- in the store: imports, articles, split and join -----------------------------------------


@pytest.fixture
def db(store_url: str) -> Database:
    """An empty store on each backend (SQLite, and PostgreSQL when it can be started)."""
    database = Database(store_url)
    database.init()
    return database


def _import(db: Database, path: Path, scenario: Scenario, dataset: str = "acled") -> None:
    imports.import_file(db, dataset, path, actors=Actors(ActorDictionary(
        scenario.actors.values())))
    service_merging.merge_pending(db, scenario)


def _article(db: Database, text: str, claim: Claim, scenario: Scenario) -> None:
    ingesting.ingest_report(db, Report(text=text, published=DAY), [claim], scenario)


def _incidents(db: Database) -> list[Incident]:
    return [incident for incident, _ in repository.list_incidents(db)]


def _holding(db: Database, external_id: str) -> Incident:
    return next(i for i in _incidents(db) if any(c.external_id == external_id
                                                 for c in i.claims))


def test_imported_rows_and_articles_merge_and_are_assessed(
        db: Database, toy_scenario: Scenario):
    _import(db, FIXTURES / "acled.csv", toy_scenario)
    _article(db, "Warplanes hit Douma, killing two.", douma(
        killed=Casualties.exact(2), sources=["a medical source"]), toy_scenario)
    _article(db, "Observatory: four dead in Douma raid.", douma(
        killed=Casualties(4, 4, 6), sources=["the observatory"]), toy_scenario)
    incident = _holding(db, "SYR20001")
    assert len(incident.claims) == 3
    assert (incident.killed.low, incident.killed.best, incident.killed.high) == (2, 2, 6)
    assert incident.confidence is Confidence.FAIR
    [(_, verdict)] = [(i, v) for i, v in repository.list_incidents(db) if i.id == incident.id]
    assert verdict is not None  # assessed against the scenario


def test_a_split_survives_reimports_and_new_reports(
        db: Database, toy_scenario: Scenario, tmp_path: Path):
    _import(db, FIXTURES / "acled.csv", toy_scenario)
    _article(db, "Warplanes hit Douma.", douma(sources=["a medical source"]), toy_scenario)
    joined = _holding(db, "SYR20001")
    article_claim = next(c for c in joined.claims if c.dataset is None)
    assert joined.id is not None and article_claim.id is not None
    result = service_merging.split_incident(db, joined.id, [article_claim.id], toy_scenario)
    new_id = result.incident_ids[1]
    # ACLED revises its row: the claim is re-merged, and must not go back with the article.
    _import(db, FIXTURES / "acled_newer.csv", toy_scenario)
    assert _holding(db, "SYR20001").id == joined.id
    split_off = next(i for i in _incidents(db) if i.id == new_id)
    assert [c.id for c in split_off.claims] == [article_claim.id]
    # A new report of the strike joins one of them; the two are not joined again.
    _article(db, "Another outlet on Douma.", douma(sources=["another outlet"]), toy_scenario)
    ids = {i.id for i in _incidents(db) if i.location and i.location.name == "Douma"}
    assert ids == {joined.id, new_id}


def test_a_join_survives_reimports(db: Database, toy_scenario: Scenario, tmp_path: Path):
    _import(db, FIXTURES / "acled_newer.csv", toy_scenario)
    douma_incident, ein_terma = _holding(db, "SYR20001"), _holding(db, "SYR20005")
    assert douma_incident.id is not None and ein_terma.id is not None
    service_merging.join_incidents(db, douma_incident.id, ein_terma.id, toy_scenario)
    assert len(_holding(db, "SYR20005").claims) == 2
    revised = tmp_path / "acled.csv"
    revised.write_text((FIXTURES / "acled_newer.csv").read_text()
                       .replace("killing one man.\",1,", "killing two men.\",2,"))
    _import(db, revised, toy_scenario)
    together = _holding(db, "SYR20005")
    assert together.id == douma_incident.id and len(together.claims) == 2
    assert together.killed.high == 3


def test_split_refuses_claims_of_another_incident(db: Database, toy_scenario: Scenario):
    _import(db, FIXTURES / "acled.csv", toy_scenario)
    first, second = _incidents(db)[:2]
    assert first.id is not None and second.claims[0].id is not None
    from trucewatch.errors import InputError
    with pytest.raises(InputError, match="not in incident"):
        service_merging.split_incident(db, first.id, [second.claims[0].id], toy_scenario)
    with pytest.raises(InputError, match="all the claims"):
        service_merging.split_incident(db, first.id, [c.id for c in first.claims  # type: ignore[misc]
                                                ], toy_scenario)


def test_cli_split_and_join(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*argv: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exit_info:
            main(["--db", url, *argv])
        captured = capsys.readouterr()
        return int(exit_info.value.code or 0), captured.out, captured.err

    run("init")
    run("import", "acled", str(FIXTURES / "acled_newer.csv"))
    run("import", "ucdp", str(FIXTURES / "ucdp_ged.csv"))
    _, listing, _ = run("incidents", "--format", "json")
    by_place = {r["location"]["name"]: r["id"] for r in json.loads(listing)}
    code, out, _ = run("incidents", "claims", str(by_place["Douma"]), "--json")
    claims = json.loads(out)
    assert code == 0 and {c["dataset"] for c in claims} == {"acled", "ucdp"}
    ucdp_claim = next(c["id"] for c in claims if c["dataset"] == "ucdp")
    code, out, _ = run("incidents", "split", str(by_place["Douma"]), "--claims", str(ucdp_claim))
    assert code == 0 and "split" in out
    code, out, _ = run("incidents", "join", str(by_place["Douma"]), str(by_place["Ein Terma"]))
    assert code == 0 and "joined" in out
    code, _, err = run("incidents", "split", "999", "--claims", "1")
    assert code == 2 and "no incident 999" in err


def test_api_split_and_join_need_an_analyst(desk: Desk):
    client = desk.app()

    def headers(name: str) -> dict[str, str]:
        token = client.post("/api/auth/token", json={
            "username": name, "password": PASSWORDS[name]}).json()["access_token"]
        return {"Authorization": f"Bearer {token}"}

    analyst, viewer = headers("ana"), headers("vic")
    path = f"/api/incidents/{desk.douma}/join"
    assert client.post(path, json={"other": desk.daraa}, headers=viewer).status_code == 403
    corrected = client.post(f"/api/incidents/{desk.daraa}/corrections", headers=analyst,
                            json={"fields": {"wounded_best": 4}, "note": "per SOHR"})
    assert corrected.status_code == 200
    joined = client.post(path, json={"other": desk.daraa, "note": "one raid"},
                         headers=analyst)
    assert joined.status_code == 200 and joined.json()["incident_ids"] == [desk.douma]
    assert client.get(f"/api/incidents/{desk.daraa}").status_code == 404
    with desk.ledger.db.reading() as session:  # the correction moved with the claims
        moved = session.scalars(select(OverrideRow.incident_id)
                                .where(OverrideRow.field == "wounded_best")).all()
    assert moved == [desk.douma]
    claims = client.get(f"/api/incidents/{desk.douma}").json()["claims"]
    assert len(claims) == 2
    split = client.post(f"/api/incidents/{desk.douma}/split",
                        json={"claims": [claims[1]["id"]]}, headers=analyst)
    assert split.status_code == 200
    old, new = split.json()["incident_ids"]
    assert old == desk.douma and client.get(f"/api/incidents/{new}").status_code == 200
    refused = client.post(f"/api/incidents/{desk.douma}/split",
                          json={"claims": [claims[1]["id"]]}, headers=analyst)
    assert refused.status_code == 422 and "not in incident" in refused.json()["error"]["message"]
    audit = client.get(f"/api/audit?incident={desk.douma}", headers=analyst).json()["data"]
    assert {entry["action"] for entry in audit} >= {"join", "split"}
