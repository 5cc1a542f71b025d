"""Dataset rows into the store, in batches that each commit whole.

Each imported file is one report (kind "dataset") that its rows' claims hang off: the
claims table, the API and the repository keep their one rule that a claim comes from a
report, and the incident page shows "ACLED export acled.csv" where an article would be.
A row is stored once, keyed by (dataset, external_id); a re-import compares the row's
hash and rewrites only rows that changed, pointing them at the newer file's report.

Rows are written with bulk statements (one executemany per batch, no ORM object per row)
and marked ``needs_merge``; ``store.merging.merge_pending`` then folds them into incidents.
A kill mid-import loses only the batch being written: the next run finds the rows already
stored unchanged, stores the rest, and merges whatever is still marked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from trucewatch.bulk import gc_paused
from trucewatch.importers import READERS, Actors, BadRow, Ignored, Outcome, Row
from trucewatch.model import Report
from trucewatch.store.database import Database
from trucewatch.store.tables import ClaimRow, ReportRow

BATCH_SIZE = 10_000
LABELS = {"acled": "ACLED", "ucdp": "UCDP GED", "gdelt": "GDELT 2.0"}
_CLAIMS = cast(Table, ClaimRow.__table__)
_LOOKUP_CHUNK = 5_000  # ids per IN (...) list: well under SQLite's variable limit


@dataclass(slots=True)
class ImportSummary:
    dataset: str
    path: str
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # bad rows
    ignored: int = 0  # rows of kinds the ledger does not record
    ignored_kinds: Counter[str] = field(default_factory=Counter)
    bad_rows: list[BadRow] = field(default_factory=list)  # the first MAX_BAD_ROWS
    report_id: int | None = None

    MAX_BAD_ROWS = 1000


def import_file(db: Database, dataset: str, path: Path, *, actors: Actors | None = None,
                batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None,
                on_bad_row: Callable[[BadRow], None] | None = None) -> ImportSummary:
    """Read a dataset file and store its rows as claims (not yet merged: see
    ``merging.merge_pending``). Raises InputError for a file it cannot read at all."""
    reader = READERS[dataset]
    summary = ImportSummary(dataset, str(path))
    outcomes = reader.read(path, actors or Actors(None), progress)
    report = _file_report(dataset, path)
    with gc_paused():
        for batch in _batches(_rows(outcomes, summary, on_bad_row), batch_size):
            with db.transaction() as session:
                if summary.report_id is None:
                    summary.report_id = _report_id(session, report)
                store_batch(session, dataset, summary.report_id, batch, summary, on_bad_row)
    return summary


def _rows(outcomes: Iterable[Outcome], summary: ImportSummary,
          on_bad_row: Callable[[BadRow], None] | None) -> Iterator[Row]:
    for outcome in outcomes:
        summary.read += 1
        if isinstance(outcome, Row):
            yield outcome
        elif isinstance(outcome, Ignored):
            summary.ignored += 1
            summary.ignored_kinds[outcome.kind] += 1
        else:
            _bad(summary, outcome, on_bad_row)


def _bad(summary: ImportSummary, bad: BadRow, on_bad_row: Callable[[BadRow], None] | None
         ) -> None:
    summary.skipped += 1
    if len(summary.bad_rows) < summary.MAX_BAD_ROWS:
        summary.bad_rows.append(bad)
    if on_bad_row is not None:
        on_bad_row(bad)


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch


def store_batch(session: Session, dataset: str, report_id: int, batch: list[Row],
                summary: ImportSummary,
                on_bad_row: Callable[[BadRow], None] | None = None) -> None:
    """Insert new rows, rewrite changed ones, leave unchanged ones. An id seen twice in a
    batch keeps its first row; one seen again in a later batch updates the first."""
    unique: dict[str, Row] = {}
    for row in batch:
        external_id = row.claim.external_id
        assert external_id is not None
        if external_id in unique:
            _bad(summary, BadRow(row.line, f"event id {external_id} again (first on line "
                                 f"{unique[external_id].line}); this row is skipped"), on_bad_row)
        else:
            unique[external_id] = row
    stored = _stored(session, dataset, list(unique))
    sqlite = session.connection().dialect.name == "sqlite"
    new: list[tuple[Any, ...]] = []
    changed: list[dict[str, Any]] = []
    for external_id, row in unique.items():
        found = stored.get(external_id)
        if found is None:
            new.append(claim_values(row, report_id, encoded=sqlite))
        elif found[1] != row.row_hash:
            # Detached from its incident until the merge decides whether it still fits.
            values = dict(zip(CLAIM_COLUMNS, claim_values(row, report_id), strict=True))
            values.update(_id=found[0], previous_incident_id=found[2])
            changed.append(values)
    if new:
        _insert(session, new, encoded=sqlite)
    if changed:
        columns: dict[str, Any] = {name: bindparam(name) for name in changed[0] if name != "_id"}
        session.execute(update(_CLAIMS).where(_CLAIMS.c.id == bindparam("_id"))
                        .values(columns), changed)
    summary.imported += len(new)
    summary.updated += len(changed)
    summary.unchanged += len(unique) - len(new) - len(changed)


CLAIM_COLUMNS = (
    "report_id", "event_type", "event_date", "event_date_end", "date_precision", "day_part",
    "location_name", "lat", "lon", "admin1", "admin2", "country", "geo_precision",
    "geonames_id", "location_text", "perpetrator", "perpetrator_actor", "target",
    "target_actor", "killed_low", "killed_best", "killed_high", "wounded_low",
    "wounded_best", "wounded_high", "killed_civilians", "killed_combatants",
    "wounded_civilians", "wounded_combatants", "sources", "sources_agree", "evidence",
    "dataset",
    "external_id", "row_hash", "exact_type", "notes", "extra", "incident_id",
    "previous_incident_id",
)


def claim_values(row: Row, report_id: int, *, encoded: bool = False) -> tuple[Any, ...]:
    """The claims-table columns of one dataset row, in CLAIM_COLUMNS' order; ``encoded``:
    dates and JSON as the text SQLAlchemy stores in SQLite, for the driver directly."""
    claim, place = row.claim, row.claim.location
    killed, wounded = claim.killed, claim.wounded
    day, end, sources, extra = claim.event_date, claim.date_end, claim.sources, row.extra
    if encoded:
        day = day.isoformat() if day else None  # type: ignore[assignment]
        end = end.isoformat() if end else None  # type: ignore[assignment]
        sources = json.dumps(sources)  # type: ignore[assignment]
        extra = json.dumps(extra)  # type: ignore[assignment]
    return (
        report_id, claim.event_type.value, day, end,
        claim.date_precision.value if claim.date_precision else None, claim.day_part,
        *((place.name, place.lat, place.lon, place.admin1, place.admin2, place.country,
           place.geo_precision, place.geonames_id) if place else (None,) * 8),
        claim.location_text, claim.perpetrator, claim.perpetrator_actor, claim.target,
        claim.target_actor, killed.low, killed.best, killed.high, wounded.low, wounded.best,
        wounded.high, killed.civilians, killed.combatants, wounded.civilians,
        wounded.combatants, sources, claim.sources_agree,
        "[]" if encoded else [],  # evidence: spans point into a text; a dataset row has none
        claim.dataset, claim.external_id, row.row_hash, claim.exact_type, claim.notes, extra,
        None, None,
    )


def _insert(session: Session, rows: list[tuple[Any, ...]], *, encoded: bool) -> None:
    """Bulk insert. On SQLite the rows go straight to the driver's executemany, already
    encoded: SQLAlchemy's per-value processing costs more than SQLite's insert itself.
    Other databases take the portable path."""
    if not encoded:
        session.execute(insert(_CLAIMS), [dict(zip(CLAIM_COLUMNS, row, strict=True))
                                          for row in rows])
        return
    # Columns null on every row of the batch (an ACLED row has no wounded, no date range)
    # are left out: binding a third fewer parameters makes SQLite's insert 40% faster.
    filled = [i for i in range(len(CLAIM_COLUMNS)) if any(row[i] is not None for row in rows)]
    names = [CLAIM_COLUMNS[i] for i in filled]
    pick = itemgetter(*filled)
    sql = f"INSERT INTO claims ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    session.connection().exec_driver_sql(sql, [pick(row) for row in rows])


def _stored(session: Session, dataset: str, external_ids: list[str]
            ) -> dict[str, tuple[int, str | None, int | None]]:
    found: dict[str, tuple[int, str | None, int | None]] = {}
    for start in range(0, len(external_ids), _LOOKUP_CHUNK):
        chunk = external_ids[start:start + _LOOKUP_CHUNK]
        for claim_id, external_id, digest, incident_id in session.execute(
            select(_CLAIMS.c.id, _CLAIMS.c.external_id, _CLAIMS.c.row_hash,
                   _CLAIMS.c.incident_id)
            .where(_CLAIMS.c.dataset == dataset, _CLAIMS.c.external_id.in_(chunk))
        ):
            found[external_id] = (claim_id, digest, incident_id)
    return found


# --- the file's report ---------------------------------------------------------------------


def _file_report(dataset: str, path: Path) -> Report:
    """One report per file as it stands (name, size, modification time): importing the same
    file again finds the same report; a newer export is a report of its own."""
    stat = path.stat() if path.is_file() else None
    label = LABELS.get(dataset, dataset)
    when = (datetime.fromtimestamp(stat.st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
            if stat else "unknown")
    size = f"{stat.st_size:,} bytes" if stat else "size unknown"
    text = (f"{label} export {path.name} ({size}, modified {when}). Each claim read from "
            f"it is one row of the file; the row's own id, codes and notes are kept with "
            f"the claim.")
    return Report(text=text, title=f"{label} export {path.name}", outlet=label,
                  source=str(path.resolve()), kind="dataset")


def _report_id(session: Session, report: Report) -> int:
    found = session.scalar(select(ReportRow.id)
                           .where(ReportRow.content_hash == report.content_hash))
    if found is not None:
        return found
    row = ReportRow(content_hash=report.content_hash, kind=report.kind, title=report.title,
                    outlet=report.outlet, source=report.source, text=report.text)
    session.add(row)
    session.flush()
    return row.id


def summary_record(summary: ImportSummary) -> dict[str, Any]:
    """The summary as JSON-ready data (the command line's --format json)."""
    return {
        "dataset": summary.dataset, "path": summary.path, "read": summary.read,
        "imported": summary.imported, "updated": summary.updated,
        "unchanged": summary.unchanged, "skipped": summary.skipped,
        "ignored": summary.ignored, "ignored_kinds": dict(summary.ignored_kinds),
        "bad_rows": [{"line": b.line, "problem": b.problem} for b in summary.bad_rows],
    }

