"""A curated dataset's rows stored in their incidents as they are imported
(service/linking.py): the ledger the merger makes, nothing twice when rows were stored
before, and nothing left behind by rows another run stored first."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy import text as sa_text

from test_merge_blocks import claims, ledger
from trucewatch.actors import ActorDictionary
from trucewatch.columns import located_values
from trucewatch.importers import Actors, Row
from trucewatch.merge import reconcile
from trucewatch.model import Incident
from trucewatch.scenario import load_scenario
from trucewatch.service import merging as service_merging
from trucewatch.service.linking import Linker
from trucewatch.store import Database, imports
from trucewatch.store import merging as store_merging
from trucewatch.store.tables import ClaimRow, IncidentRow

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from import_acled import write_acled  # the benchmark's seeded generator


def part(source: Path, path: Path, rows: list[int]) -> Path:
    """A file of the header and the chosen rows (0-based) of ``source``."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "".join(lines[1 + n] for n in rows), encoding="utf-8")
    return path


def counts(db: Database) -> tuple[int, ...]:
    """Claims, incidents, claims waiting, incidents no claim points at."""
    with db.reading() as session:
        return tuple(session.execute(sa_text(
            "SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM incidents), "
            "(SELECT count(*) FROM claims WHERE incident_id IS NULL), "
            "(SELECT count(*) FROM incidents i WHERE NOT EXISTS "
            "(SELECT 1 FROM claims c WHERE c.incident_id = i.id))")).one())


def test_rows_stored_before_get_no_second_incident(store_url: str, tmp_path: Path):
    """A second file holding new rows, then rows the first stored mixed with new ones:
    its second batch is inserted without a look-up (the first was all new), the stored
    rows are passed over by the insert, and the incidents made for them go again."""
    scenario = load_scenario("astana-2017")
    actors = Actors(ActorDictionary(scenario.actors.values()))
    source = tmp_path / "all.csv"
    write_acled(source, 2000, seed=5)
    first = part(source, tmp_path / "first.csv", list(range(1000)))
    mixed = [n for pair in zip(range(500, 750), range(1500, 1750), strict=True) for n in pair]
    second = part(source, tmp_path / "second.csv", [*range(1000, 1500), *mixed])

    db = Database(store_url)
    db.init()
    done = imports.import_file(db, "acled", first, actors=actors,
                               link=Linker(scenario), batch_size=500)
    stored = done.imported
    assert done.linked == stored > 700  # (protests are not stored)
    again = imports.import_file(db, "acled", second, actors=actors,
                                link=Linker(scenario), batch_size=500)
    assert again.linked == again.imported > 0 and again.unchanged > 0
    claims, incidents, waiting, empty = counts(db)
    assert (claims, incidents, waiting, empty) == (stored + again.imported,) * 2 + (0, 0)
    # Re-imported: nothing new, nothing linked.
    repeat = imports.import_file(db, "acled", second, actors=actors,
                                 link=Linker(scenario), batch_size=500)
    assert (repeat.imported, repeat.linked, repeat.updated) == (0, 0, 0)
    assert counts(db) == (claims, incidents, 0, 0)

    # The ledger the merger makes of the same rows imported at once.
    whole = Database(f"sqlite:///{tmp_path / 'whole.db'}")
    whole.init()
    imports.import_file(whole, "acled", part(source, tmp_path / "whole.csv", list(range(1750))),
                        actors=actors)
    service_merging.merge_pending(whole, scenario, blocks=False)
    assert ledger(db) == ledger(whole)


def test_an_incident_made_as_its_row_is_stored_is_what_reconcile_makes(store_url: str):
    """Claims of every shape (no place, empty words, tolls in parts or ranges, repeated
    sources) stored through the linker: each incident, made in the database from its
    claim's row on SQLite (store/merging._FROM_CLAIM) and by COPY on PostgreSQL, holds
    what merge.reconcile makes of its one claim."""
    db = Database(store_url)
    db.init()
    made_of = claims(400, seed=21)
    summary = imports.ImportSummary("acled", "generated")
    with db.transaction() as session:
        report = imports._report_id(session, imports._file_report("acled", Path(__file__)))
        rows = [Row.from_claim(n + 1, claim, {}) for n, claim in enumerate(made_of)]
        imports.store_batch(session, "acled", report, rows, summary, link=Linker(None))
    assert summary.linked == summary.imported == len(made_of)
    with db.reading() as session:
        ids = [i for i in session.scalars(select(ClaimRow.incident_id)) if i is not None]
        stored = {i.claims[0].external_id: i for i in store_merging.load_incidents(session, ids)}
        # (an incident read back takes its confidence from its claims: read the column)
        confidence = dict(list(session.execute(
            select(ClaimRow.external_id, IncidentRow.confidence)
            .join(IncidentRow, IncidentRow.id == ClaimRow.incident_id)).tuples()))
    assert len(stored) == len(made_of)
    for claim in made_of:
        incident = Incident(event_type=claim.event_type, event_date=claim.event_date,
                            location=claim.location, claims=[claim])
        reconcile(incident)
        found = stored[claim.external_id]
        assert located_values(found) == located_values(incident), claim
        assert confidence[claim.external_id] == incident.confidence.value, claim
