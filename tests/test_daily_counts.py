"""The timeline's daily counts read migration 0013's index alone (no incident row), on
both backends, and count what they counted before."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, cast, func, select

from trucewatch.model import Casualties, Claim, EventType, Place, Report, Scenario
from trucewatch.service import ingesting
from trucewatch.store import Database
from trucewatch.store.queries import VIOLATIONS, daily_counts
from trucewatch.store.selection import IncidentFilter, conditions
from trucewatch.store.tables import IncidentRow

INDEX = "ix_incidents_verdict_day_zones"


def _strike(day: date, lon: float) -> Claim:
    return Claim(EventType.AIR_STRIKE, day, location=Place(f"Town {lon}", lat=0.5, lon=lon,
                                                           country="Testland"),
                 perpetrator="government forces", perpetrator_actor="gov",
                 killed=Casualties.exact(1))


def test_daily_counts_come_from_the_covering_index(store_url: str, toy_scenario: Scenario):
    db = Database(store_url)
    db.init()
    for n, (day, lon) in enumerate(((date(2020, 2, 1), 0.5), (date(2020, 2, 1), 2.5),
                                    (date(2020, 2, 3), 0.5))):
        ingesting.ingest_report(db, Report(text=f"Strike {n}.", source=f"{n}.txt"),
                                [_strike(day, lon)], toy_scenario)
    rows = daily_counts(db)
    assert sum(r["violations"] + r["probable_violations"] for r in rows) == 3
    assert {(r["date"], r["zone"]) for r in rows} == {
        (date(2020, 2, 1), "west"), (date(2020, 2, 1), "east"), (date(2020, 2, 3), "west")}
    assert [r["zone"] for r in daily_counts(db, zone="east")] == ["east"]
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            definition = connection.exec_driver_sql(
                f"SELECT indexdef FROM pg_indexes WHERE indexname = '{INDEX}'").scalar()
            assert definition is not None and "INCLUDE (verdict_zones)" in definition
            return
        zones = cast(IncidentRow.verdict_zones, String)
        query = select(IncidentRow.event_date, IncidentRow.verdict, zones, func.count()) \
            .where(*conditions(IncidentFilter(verdicts=VIOLATIONS)),
                   IncidentRow.event_date.is_not(None)) \
            .group_by(IncidentRow.verdict, IncidentRow.event_date, zones)
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row[-1]) for row in
                        connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert f"COVERING INDEX {INDEX}" in plan, plan
