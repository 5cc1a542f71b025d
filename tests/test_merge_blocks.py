"""Merging by blocks (merge_blocks.py, service/merging's lone rows) gives the ledger the
claim-by-claim merger gives: the same incidents, claim for claim, with the same columns
and verdicts, whichever order the files come in, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy import text as sa_text

from trucewatch.actors import ActorDictionary
from trucewatch.columns import located_values
from trucewatch.importers import Actors
from trucewatch.merge import CONTESTED_ATTRIBUTION, reconcile
from trucewatch.merge_blocks import alone, single_incidents
from trucewatch.model import Casualties, Claim, DatePrecision, EventType, Incident, Place
from trucewatch.scenario import load_scenario
from trucewatch.service import merging as service_merging
from trucewatch.service.linking import Linker
from trucewatch.store import Database, imports
from trucewatch.store.tables import ClaimRow, IncidentRow

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from import_acled import write_acled  # the benchmark's seeded generator


def claims(n: int, seed: int) -> list[Claim]:
    rng = random.Random(seed)
    out = []
    for k in range(n):
        place = None if rng.random() < 0.05 else Place(
            f"Town {k % 7}", lat=rng.choice((None, 33.5)), lon=36.3,
            geo_precision=rng.choice((1, 2, 3)), country=rng.choice((None, "Syria")))
        out.append(Claim(
            event_type=rng.choice(list(EventType)), event_date=date(2017, 5, 1),
            date_precision=rng.choice([None, DatePrecision.DAY, DatePrecision.WEEK]),
            day_part=rng.choice([None, "", "night"]), location=place,
            perpetrator=rng.choice([None, "", "the army"]),
            perpetrator_actor=rng.choice([None, "", "russia"]),
            target_actor=rng.choice([None, "", "isil"]),
            killed=Casualties(rng.choice((None, 1)), rng.choice((None, 0, 3)),
                              rng.choice((None, 2, 9)), rng.choice((None, 1, 5)),
                              rng.choice((None, 4))),
            wounded=Casualties(high=rng.choice((None, 7)), best=rng.choice((None, 2))),
            sources=rng.choice([[], ["A"], ["A", "B"], ["A", "A"], ["B", "A", "B"]]),
            notes=rng.choice([None, "x", f"{CONTESTED_ATTRIBUTION}: a and b"]),
            dataset="acled", external_id=str(k)))
    return out


def test_one_claims_incident_is_what_reconcile_makes():
    made_of = claims(2000, seed=4)
    rows = [located_values(claim) | {"notes": claim.notes} for claim in made_of]
    made = single_incidents({name: [row[name] for row in rows] for name in rows[0]})
    for n, claim in enumerate(made_of):
        incident = Incident(event_type=claim.event_type, event_date=claim.event_date,
                            location=claim.location, claims=[claim])
        reconcile(incident)
        assert {k: made[k][n] for k in located_values(incident)} == located_values(incident)
        assert made["confidence"][n] == incident.confidence.value


def test_a_curated_row_is_alone_unless_another_source_is_in_reach():
    day = date(2017, 5, 1)
    acled = ("acled", day, "day", None, "Douma", 33.57, 36.40, 1)
    near = ("gdelt", day, "day", None, "Duma", 33.59, 36.43, 1)  # 3.5 km away
    far = ("gdelt", day, "day", None, "Homs", 34.73, 36.71, 1)
    named = (None, day, "day", None, "douma", None, None, 3)  # an article, by name only
    week = (None, day - timedelta(days=5), "week", None, "Duma", 33.59, 36.43, 1)
    other_day = ("gdelt", day + timedelta(days=1), "day", None, "Duma", 33.59, 36.43, 1)
    assert alone([acled], []) == [True]
    assert alone([acled], [("acled", *acled[1:])]) == [True]  # its own dataset: never
    assert alone([acled], [near]) == [False]
    assert alone([acled], [far, other_day]) == [True]
    assert alone([acled], [named]) == [False]
    assert alone([acled], [week]) == [False]
    assert alone([near], []) == [False]  # not curated: the merger decides


def write_gdelt(path: Path, acled_csv: Path, seed: int) -> None:
    """GDELT rows on the days and near the places of some ACLED rows (so the two meet),
    and some elsewhere."""
    rng = random.Random(seed)
    with acled_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8") as out:
        for n, row in enumerate(rng.sample(rows, 400)):
            fields = [""] * 61
            code = rng.choice(("190", "193", "195", "183"))
            day = date.fromisoformat(row["event_date"])
            lat = float(row["latitude"]) + rng.uniform(-0.03, 0.03)
            lon = float(row["longitude"]) + rng.uniform(-0.03, 0.03)
            fields[0], fields[1], fields[26], fields[28] = (
                str(800000 + n), day.strftime("%Y%m%d"), code, code[:2])
            fields[6], fields[16] = rng.choice(("SYRIA", "RUSSIA", "REBEL")), "CIVILIAN"
            fields[51], fields[52], fields[53] = "4", f"{row['location']}, Syria", "SY"
            fields[56], fields[57] = f"{lat:.4f}", f"{lon:.4f}"
            fields[60] = f"https://site{rng.randrange(9)}.example/{n}"
            out.write("\t".join(fields) + "\n")


def ledger(db: Database) -> list[tuple[Any, ...]]:
    """Incidents as sets of claims (by dataset and id) with every column but the id."""
    with db.reading() as session:
        members: dict[int, list[tuple[str, str]]] = {}
        for incident_id, dataset, external_id in session.execute(
                select(ClaimRow.incident_id, ClaimRow.dataset, ClaimRow.external_id)):
            members.setdefault(incident_id, []).append((dataset, external_id))
        table = IncidentRow.__table__
        columns = [c for c in table.c if c.name not in ("id", "assessed_at")]
        out = []
        for row in session.execute(select(table.c.id, *columns)):
            out.append((tuple(sorted(members[row[0]])), *row[1:]))
    return sorted(out, key=lambda item: item[0])


@pytest.mark.parametrize("order", [  # one order in the fast suite, every order in make test
    "together", pytest.param("acled first", marks=pytest.mark.slow),
    pytest.param("gdelt first", marks=pytest.mark.slow),
    # GDELT's claims still waiting when ACLED's rows are stored: a linked import must
    # leave the rows they could meet waiting too
    pytest.param("gdelt waiting", marks=pytest.mark.slow),
    # and ACLED's waiting when GDELT's are stored: a linked import leaves those to merging
    pytest.param("acled waiting", marks=pytest.mark.slow)])
def test_blocks_give_the_ledger_the_merger_gives(store_url: str, tmp_path: Path,
                                                 order: str):
    acled, gdelt = tmp_path / "acled.csv", tmp_path / "day.export.CSV"
    write_acled(acled, 3000, seed=11)
    write_gdelt(gdelt, acled, seed=12)
    scenario = load_scenario("astana-2017")
    actors = Actors(ActorDictionary(scenario.actors.values()))
    files = [("acled", acled), ("gdelt", gdelt)]
    if order in ("gdelt first", "gdelt waiting"):
        files.reverse()
    results = []
    # "linked": ACLED rows alone in their blocks, and GDELT's rows, stored in their
    # incidents by the import itself (service/linking.py), the rest merged by blocks.
    for way in ("blocks", "merger", "linked"):
        url = store_url if way == "blocks" else (
            f"sqlite:///{tmp_path}/{way}.db" if store_url.startswith("sqlite") else store_url)
        results.append(ledger_of_run(Database(url), files, actors, scenario, way, order,
                                     reset=way != "blocks" and url == store_url))
    with_blocks, by_merger, linked = results
    assert len(with_blocks) > 2000
    assert any(len(claims) > 1 for claims, *_ in with_blocks)  # the sources met
    assert with_blocks == by_merger
    assert linked == by_merger


def ledger_of_run(db: Database, files: list[tuple[str, Path]], actors: Actors,
                  scenario: Any, way: str, order: str, *, reset: bool = False
                  ) -> list[tuple[Any, ...]]:
    if reset:  # the same PostgreSQL database again: empty it
        with db.transaction() as session:
            session.execute(ClaimRow.__table__.delete())
            session.execute(IncidentRow.__table__.delete())
    db.init()
    blocks = way != "merger"
    for dataset, path in files:
        # "... waiting": the first file's rows stored without merging them (a linked import
        # would merge them as it stores them), so the second's are stored while they wait
        linked = way == "linked" and not (order.endswith("waiting") and path == files[0][1])
        summary = imports.import_file(db, dataset, path, actors=actors,
                                      link=Linker(scenario) if linked else None)
        if order == "acled waiting" and linked:
            assert summary.linked == 0  # GDELT's rows meet ACLED's waiting: they wait too
        else:
            assert (summary.linked > 0) == linked
        if order not in ("together", "gdelt waiting", "acled waiting"):
            service_merging.merge_pending(db, scenario, blocks=blocks)
    service_merging.merge_pending(db, scenario, blocks=blocks)
    return ledger(db)


def test_a_waiting_row_reads_as_the_orm_reads_it(store_url: str):
    from trucewatch.store import merging as store_merging
    from trucewatch.store.rows import claim_from_row
    db = Database(store_url)
    db.init()
    imports.import_file(db, "acled", Path(__file__).parent / "fixtures" / "importers"
                        / "acled.csv")
    with db.transaction() as session:
        rows = store_merging.pending_rows(session, 100)
        orm = {row.id: claim_from_row(row) for row in session.scalars(select(ClaimRow))}
        assert rows and all(store_merging.claim_from_pending(row) == orm[row[0]]
                            for row in rows)


def incident_indexes(db: Database) -> list[tuple[str, str]]:
    with db.reading() as session:
        return sorted(session.execute(sa_text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'incidents' AND sql IS NOT NULL")).tuples())


def test_a_large_batch_sets_the_incidents_indexes_aside_and_builds_them_again(
        tmp_path: Path):
    """Lone incidents as many as the table holds go in with the secondary indexes dropped
    (store/merging._indexes_set_aside); the same indexes are there after, in use, and a
    batch that fails midway leaves them as they were."""
    from trucewatch.store import merging as store_merging
    db = Database(f"sqlite:///{tmp_path / 'ledger.db'}")
    db.init()
    before = incident_indexes(db)
    assert len(before) >= 5
    acled = tmp_path / "acled.csv"
    write_acled(acled, 400, seed=3)
    imports.import_file(db, "acled", acled)
    with pytest.raises(RuntimeError), db.transaction() as session:
        service_merging.merge_batch(session, None, 1000, store_merging.MergeSummary())
        assert len(incident_indexes(db)) == len(before)  # (another connection's view)
        raise RuntimeError("killed midway")
    assert incident_indexes(db) == before
    summary = service_merging.merge_pending(db, None)
    assert summary.created > 300
    assert incident_indexes(db) == before
    with db.reading() as session:
        plan = " ".join(str(row) for row in session.execute(sa_text(
            "EXPLAIN QUERY PLAN SELECT id FROM incidents WHERE event_date = '2017-03-01'")))
        assert "ix_incidents_event_date" in plan
        assert session.execute(sa_text("PRAGMA integrity_check")).scalar() == "ok"


def test_lone_incidents_are_told_as_said_tells_each_claim():
    """service/writing tells claims alike (notes that do not contest the attribution,
    perpetrator, sources) once: the same as assess_batch.said of each claim."""
    from trucewatch.assess_batch import said
    from trucewatch.service import writing
    made_of = claims(600, seed=9)
    rows = [located_values(claim) | {"notes": claim.notes} for claim in made_of]
    made = single_incidents({name: [row[name] for row in rows] for name in rows[0]})
    for weapons in (False, True):
        told = writing._said(made, weapons)
        assert told == [said([writing._Told(notes, perpetrator, actor, sources)], weapons)
                        for notes, perpetrator, actor, sources in zip(
                            made["notes"], made["perpetrator"], made["perpetrator_actor"],
                            made["sources"], strict=True)]
    assert len({repr(t) for t in told}) > 5  # contested and plain, several actors
