"""The store: migrations build the tables, a report lands whole or not at all, and
ingesting the same report twice changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from trucewatch.errors import StoreError
from trucewatch.model import Casualties, Claim, EventType, Evidence, Place, Report, Scenario, Span
from trucewatch.store import Database, repository
from trucewatch.store.selection import IncidentFilter
from trucewatch.store.tables import Base, include_name


@pytest.fixture
def db(store_url: str) -> Database:
    database = Database(store_url)
    database.init()
    return database


def _claim(day: date = date(2020, 2, 1), killed: int = 2, lon: float = 0.5) -> Claim:
    return Claim(
        event_type=EventType.AIR_STRIKE, event_date=day,
        location=Place("Town", lat=0.5, lon=lon, country="Testland"),
        perpetrator="government forces", perpetrator_actor="gov",
        killed=Casualties.exact(killed), sources=["a medical source"],
        evidence=[Evidence("killed", Span(0, 10, "Air strike"))],
    )


def _report(text: str = "Air strike on Town killed two.") -> Report:
    return Report(text=text, title="Strike", published=date(2020, 2, 1), source="a.txt")


def test_migrations_match_the_tables(db: Database):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_unmigrated_database_is_refused_with_advice(tmp_path: Path):
    fresh = Database(f"sqlite:///{tmp_path / 'new.db'}")
    with pytest.raises(StoreError, match="run 'trucewatch init' first"):
        fresh.require_current()


def test_report_claims_and_verdict_are_stored(db: Database, toy_scenario: Scenario):
    result = repository.ingest_report(db, _report(), [_claim()], toy_scenario)
    assert result.created
    [(incident, verdict)] = repository.list_incidents(db)
    assert verdict is not None
    assert (verdict.kind.value, verdict.zones, incident.killed.best) == ("violation", ("west",), 2)
    assert incident.claims[0].evidence[0].span.text == "Air strike"


def test_ingesting_the_same_report_twice_changes_nothing(db: Database, toy_scenario: Scenario):
    first = repository.ingest_report(db, _report(), [_claim()], toy_scenario)
    again = repository.ingest_report(db, _report("Air strike on Town  killed two. "),
                                      [_claim()], toy_scenario)
    assert not again.created and again.report_id == first.report_id
    assert repository.count_reports(db) == 1
    assert len(repository.list_incidents(db)) == 1


def test_a_second_report_of_the_same_strike_joins_the_incident(
    db: Database, toy_scenario: Scenario
):
    repository.ingest_report(db, _report(), [_claim(killed=2)], toy_scenario)
    other = _claim(killed=4)
    other.sources = ["the observatory"]
    repository.ingest_report(db, _report("Another outlet: four killed in Town."), [other],
                             toy_scenario)
    [(incident, _)] = repository.list_incidents(db)
    assert (incident.killed.low, incident.killed.high) == (2, 4)
    assert incident.confidence.value == "fair"
    assert len(incident.claims) == 2


def test_a_failure_midway_leaves_nothing_half_written(
    db: Database, toy_scenario: Scenario, monkeypatch: pytest.MonkeyPatch
):
    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(repository, "assess", broken)
    with pytest.raises(RuntimeError):
        repository.ingest_report(db, _report(), [_claim()], toy_scenario)
    assert repository.count_reports(db) == 0
    assert repository.list_incidents(db) == []


def test_filters(db: Database, toy_scenario: Scenario):
    repository.ingest_report(db, _report("one"), [_claim(day=date(2020, 2, 1))], toy_scenario)
    repository.ingest_report(db, _report("two"), [_claim(day=date(2020, 2, 5), lon=2.5)],
                             toy_scenario)
    repository.ingest_report(db, _report("three"), [_claim(day=date(2020, 2, 6), lon=9.0)],
                             toy_scenario)
    assert len(repository.list_incidents(db, IncidentFilter(zones=("east",)))) == 1
    assert len(repository.list_incidents(db, IncidentFilter(date_from=date(2020, 2, 2)))) == 2
    outside = repository.list_incidents(db, IncidentFilter(verdicts=("outside every zone",)))
    assert [incident.event_date for incident, _ in outside] == [date(2020, 2, 6)]


def test_loading_a_scenario_reassesses_stored_incidents(db: Database, toy_scenario: Scenario,
                                                       monkeypatch: pytest.MonkeyPatch):
    for n, lon in enumerate((0.5, 2.5, 9.0)):  # three days: three incidents
        repository.ingest_report(db, _report(str(n)), [_claim(date(2020, 2, 1 + n), lon=lon)],
                                 None)
    assert [verdict for _, verdict in repository.list_incidents(db)] == [None] * 3
    monkeypatch.setattr(repository, "_REASSESS_BATCH", 2)  # a full batch, then a short one
    repository.save_scenario(db, toy_scenario, {"scenario.yaml": "", "zones.geojson": ""})
    verdicts = {incident.location.lon: verdict.kind.value
                for incident, verdict in repository.list_incidents(db)
                if incident.location and verdict}
    assert verdicts == {0.5: "violation", 2.5: "violation", 9.0: "outside every zone"}


@pytest.mark.slow  # starts the PostgreSQL server
def test_postgis_indexes_incident_points_on_postgresql(postgres, toy_scenario: Scenario):
    if postgres.reason:
        pytest.skip(postgres.reason)
    db = Database(postgres.new_database())
    db.init()
    assert db.spatial
    with db.engine.connect() as connection:
        indexes = connection.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_incidents_point'").scalar()
    assert indexes is not None and "gist" in indexes
    repository.ingest_report(db, _report(), [_claim()], toy_scenario)
    from trucewatch.store.queries import search_incidents

    inside, count = search_incidents(db, IncidentFilter(bbox=(0.0, 0.0, 1.0, 1.0)))
    assert count == 1 and inside[0].incident.location.name == "Town"
    assert search_incidents(db, IncidentFilter(bbox=(2.0, 2.0, 3.0, 3.0)))[1] == 0


def test_civilians_and_fighters_are_kept_and_reconciled(db: Database, toy_scenario: Scenario):
    first, second = _claim(killed=5), _claim(killed=7)
    first.killed = Casualties(5, 5, 5, civilians=5)
    second.killed = Casualties(7, 7, 7, civilians=4, combatants=3)
    repository.ingest_report(db, _report("First outlet."), [first], toy_scenario)
    repository.ingest_report(db, _report("Second outlet."), [second], toy_scenario)
    [(incident, _)] = repository.list_incidents(db)
    assert (incident.killed.low, incident.killed.best, incident.killed.high) == (5, 5, 7)
    # The middle of what the claims say, never above the incident's own toll.
    assert (incident.killed.civilians, incident.killed.combatants) == (4, 3)
    assert {c.killed.civilians for c in incident.claims} == {5, 4}
