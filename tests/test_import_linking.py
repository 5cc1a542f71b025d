"""A curated dataset's rows stored in their incidents as they are imported
(service/linking.py): the ledger the merger makes, nothing twice when rows were stored
before, and nothing left behind by rows another run stored first."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import text as sa_text

from test_merge_blocks import ledger
from trucewatch.actors import ActorDictionary
from trucewatch.importers import Actors
from trucewatch.scenario import load_scenario
from trucewatch.service import merging as service_merging
from trucewatch.service.linking import LoneLinker
from trucewatch.store import Database, imports

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
                               link=LoneLinker(scenario), batch_size=500)
    stored = done.imported
    assert done.linked == stored > 700  # (protests are not stored)
    again = imports.import_file(db, "acled", second, actors=actors,
                                link=LoneLinker(scenario), batch_size=500)
    assert again.linked == again.imported > 0 and again.unchanged > 0
    claims, incidents, waiting, empty = counts(db)
    assert (claims, incidents, waiting, empty) == (stored + again.imported,) * 2 + (0, 0)
    # Re-imported: nothing new, nothing linked.
    repeat = imports.import_file(db, "acled", second, actors=actors,
                                 link=LoneLinker(scenario), batch_size=500)
    assert (repeat.imported, repeat.linked, repeat.updated) == (0, 0, 0)
    assert counts(db) == (claims, incidents, 0, 0)

    # The ledger the merger makes of the same rows imported at once.
    whole = Database(f"sqlite:///{tmp_path / 'whole.db'}")
    whole.init()
    imports.import_file(whole, "acled", part(source, tmp_path / "whole.csv", list(range(1750))),
                        actors=actors)
    service_merging.merge_pending(whole, scenario, blocks=False)
    assert ledger(db) == ledger(whole)
