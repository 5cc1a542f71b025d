"""Dataset rows into the store, in batches that each commit whole.

Each imported file is one report (kind "dataset") that its rows' claims hang off: the
claims table, the API and the repository keep their one rule that a claim comes from a
report, and the incident page shows "ACLED export acled.csv" where an article would be.
A row is stored once, keyed by (dataset, external_id); a re-import compares the row's
values with those stored and rewrites only rows that changed, pointing them at the
newer file's report, unless the dataset dates its rows (ACLED's timestamp) and the stored
row is the newer: an old export imported late must not undo the publisher's corrections.

Rows are written with bulk statements (one executemany per batch, no ORM object per row,
the values as the readers encoded them) and left without an incident;
``store.merging.merge_pending`` then folds them into incidents. A kill mid-import loses
only the batch being written: the next run finds the rows already stored unchanged,
stores the rest, and merges whatever has no incident yet.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy import JSON, Date, Table, select
from sqlalchemy.orm import Session

from trucewatch.bulk import gc_paused
from trucewatch.importers import READERS, Actors, BadRow, Ignored, Row
from trucewatch.importers.common import EXTERNAL_ID, ROW_COLUMNS, ROW_VERSION
from trucewatch.model import Report
from trucewatch.store.database import Database
from trucewatch.store.merging import MergeSummary, bulk_cache, keep_claimed
from trucewatch.store.tables import ClaimRow, ReportRow

BATCH_SIZE = 20_000
LABELS = {"acled": "ACLED", "ucdp": "UCDP GED", "gdelt": "GDELT"}
_CLAIMS = cast(Table, ClaimRow.__table__)
_DAY = ROW_COLUMNS.index("event_date")
# A batch of rows that merge with each other ends with a whole day (the next batch would
# load the day's incidents again), up to this many times the batch size.
MAX_DAY_BATCHES = 5
_LOOKUP_CHUNK = 5_000  # ids per IN (...) list: well under SQLite's variable limit
MAX_BAD_ROWS = 1000  # kept in a summary; every one is counted


@dataclass(slots=True)
class ImportSummary:
    dataset: str
    path: str
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    outdated: int = 0  # rows older than the version stored, left as stored
    skipped: int = 0  # bad rows
    ignored: int = 0  # rows of kinds the ledger does not record
    ignored_kinds: Counter[str] = field(default_factory=Counter)
    bad_rows: list[BadRow] = field(default_factory=list)  # the first MAX_BAD_ROWS
    repaired: int = 0  # rows stored after a repair the reader names
    repairs: list[BadRow] = field(default_factory=list)  # the first MAX_BAD_ROWS: what
    report_id: int | None = None
    # Of the last batch's rows, how many were new. The first batch is looked up: a run
    # resuming a killed import meets its stored rows there.
    new_share: float = 0.0
    # What ``link`` merged as the rows were stored: their claims, the incidents it made
    # and those it updated.
    merged: MergeSummary = field(default_factory=MergeSummary)

    @property
    def linked(self) -> int:
        """New rows stored already in their incidents."""
        return self.merged.claims


class Link(Protocol):
    """What gives a batch's new rows their incidents as they are stored (the service's
    linking.Linker), in the batch's transaction."""

    def merges(self, dataset: str) -> bool:
        """Whether the rows of ``dataset`` merge with each other: then each batch is
        looked up before it is stored (a row stored before must not be merged again)
        and ends with a whole day, as merging's batches do."""

    def __call__(self, session: Session, values: list[tuple[Any, ...]],
                 merged: MergeSummary) -> list[int | None]:
        """Each row's incident id (None: the row waits for merging), called with the
        new rows' values before they are inserted; counts what it merged in
        ``merged``."""

    def stored(self, session: Session) -> None:
        """Called once the rows are inserted (the incidents may be made from them)."""


def import_file(db: Database, dataset: str, path: Path, *, actors: Actors | None = None,
                batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None,
                on_bad_row: Callable[[BadRow], None] | None = None,
                link: Link | None = None) -> ImportSummary:
    """Read a dataset file and store its rows as claims, those ``link`` gives an
    incident in it, the others waiting for ``merging.merge_pending``. Raises InputError
    for a file it cannot read at all."""
    reader = READERS[dataset]
    summary = ImportSummary(dataset, str(path))
    whole_days = link is not None and link.merges(dataset)
    outcomes = reader.read(path, actors or Actors(None), progress)
    report = _file_report(dataset, path)

    def store(batch: list[Row]) -> None:
        summary.read += len(batch)
        with db.transaction() as session, bulk_cache(session):
            if summary.report_id is None:
                summary.report_id = _report_id(session, report)
            store_batch(session, dataset, summary.report_id, batch, summary, on_bad_row,
                        link)

    with gc_paused():
        batch: list[Row] = []
        for outcome in outcomes:
            if type(outcome) is Row:
                if outcome.repairs:
                    _record_repair(summary, outcome)
                batch.append(outcome)
                if len(batch) < batch_size:
                    continue
                if not whole_days or len(batch) >= batch_size * MAX_DAY_BATCHES:
                    store(batch)
                    batch = []
                elif len(batch) > 1 and batch[-2].values[_DAY] != outcome.values[_DAY]:
                    batch.pop()  # the row just read starts another day: a batch ends
                    # with a whole day
                    store(batch)
                    batch = [outcome]
            else:
                summary.read += 1
                if type(outcome) is Ignored:
                    summary.ignored += 1
                    summary.ignored_kinds[outcome.kind] += 1
                else:
                    record_bad_row(summary, cast(BadRow, outcome), on_bad_row)
        if batch:
            store(batch)
    return summary


class SkipsRows(Protocol):
    """A summary that counts the bad rows it skipped and keeps the first of them."""

    skipped: int
    bad_rows: list[BadRow]


def record_bad_row(summary: SkipsRows, bad: BadRow,
                   on_bad_row: Callable[[BadRow], None] | None) -> None:
    summary.skipped += 1
    if len(summary.bad_rows) < MAX_BAD_ROWS:
        summary.bad_rows.append(bad)
    if on_bad_row is not None:
        on_bad_row(bad)


def _record_repair(summary: ImportSummary, row: Row) -> None:
    summary.repaired += 1
    if len(summary.repairs) < MAX_BAD_ROWS:
        summary.repairs.append(BadRow(row.line, "; ".join(row.repairs)))


def bad_rows_record(bad_rows: list[BadRow]) -> list[dict[str, Any]]:
    """The kept bad rows (or repairs) as JSON-ready data; ``file`` names the page of a
    folder a row came from."""
    return [{"line": bad.line, "problem": bad.problem}
            | ({"file": bad.source} if bad.source else {}) for bad in bad_rows]


def store_batch(session: Session, dataset: str, report_id: int, batch: list[Row],
                summary: ImportSummary,
                on_bad_row: Callable[[BadRow], None] | None = None,
                link: Link | None = None) -> None:
    """Insert new rows (in their incidents, those ``link`` gives one), rewrite changed
    ones, leave unchanged ones. An id seen twice in a batch keeps its first row; one
    seen again in a later batch updates the first."""
    unique: dict[str, Row] = {}
    for row in batch:
        first = unique.setdefault(row.values[EXTERNAL_ID], row)
        if first is not row:
            again = BadRow(row.line, f"event id {row.external_id} again (first on line "
                           f"{first.line}); this row is skipped")
            record_bad_row(summary, again, on_bad_row)
    rows = list(unique.values())
    # A first import meets new rows: insert them, then look up the few passed over. A
    # re-import meets stored rows batch after batch: look them up first.
    stored = (_stored_values(session, dataset, [row.external_id for row in rows])
              if summary.new_share < 0.5 or (link is not None and link.merges(dataset))
              else {})
    fresh = [row for row in rows if row.external_id not in stored]
    incidents = (link(session, [row.values for row in fresh], summary.merged)
                 if link and fresh else None)
    inserted = _insert_new(session, report_id, fresh, incidents) if fresh else 0
    if incidents is not None and link is not None:
        link.stored(session)
        given = list(dict.fromkeys(i for i in incidents if i is not None))
        if inserted < len(fresh) and given:
            # A row stored meanwhile (another process) was not inserted: the incident
            # made for it alone goes.
            dropped = len(given) - keep_claimed(session, given)
            summary.merged.claims -= dropped
            summary.merged.created -= dropped
    if inserted < len(fresh):  # (the rows just inserted are found too: unchanged)
        stored.update(_stored_values(session, dataset, [row.external_id for row in fresh]))
    differing = [(row, found) for row in rows if (found := stored.get(row.external_id))
                 is not None and found[1] != row.values]
    changed = [(*row.values, found[0]) for row, found in differing
               if not _older_than_stored(row.values, found[1])]
    if changed:
        _rewrite(session, report_id, changed)
    summary.imported += inserted
    summary.updated += len(changed)
    summary.outdated += len(differing) - len(changed)
    summary.unchanged += len(rows) - inserted - len(differing)
    summary.new_share = inserted / len(rows)


def _insert_new(session: Session, report_id: int, rows: list[Row],
                incidents: list[int | None] | None = None) -> int:
    """Insert the rows whose (dataset, id) is not stored yet, each in its incident of
    ``incidents`` when given; returns how many. The values go straight to the driver's
    executemany: SQLAlchemy's per-value processing would cost more than the database's
    insert itself."""
    values: list[tuple[Any, ...]] = [row.values for row in rows]
    columns = ROW_COLUMNS
    if incidents is not None and any(i is not None for i in incidents):
        values = [(*v, i) for v, i in zip(values, incidents, strict=True)]
        columns = (*ROW_COLUMNS, "incident_id")
    # Columns null on every row of the batch (an ACLED row has no wounded, no date range)
    # are left out: binding a dozen NULLs costs SQLite more than the rest of the row.
    # Evidence is spans of an article's text; a dataset row has none.
    first = values[0]
    filled = [i for i in range(len(columns)) if first[i] is not None
              or list(map(itemgetter(i), values)).count(None) < len(values)]
    names = ", ".join(columns[i] for i in filled)
    pick = itemgetter(*filled)
    if session.connection().dialect.name == "postgresql":
        return _copy_new(session, report_id, names, [pick(v) for v in values])
    slots = ", ".join(_placeholder(session) for _ in filled)
    result = session.connection().exec_driver_sql(
        f"INSERT INTO claims (report_id, evidence, {names}) VALUES ({int(report_id)}, '[]', "
        f"{slots}) ON CONFLICT (dataset, external_id) DO NOTHING", [pick(v) for v in values])
    return result.rowcount


def _copy_new(session: Session, report_id: int, names: str, rows: list[Any]) -> int:
    """PostgreSQL: the rows COPYed into a temporary table of the claims' column types,
    then inserted from it in one statement (``ON CONFLICT DO NOTHING`` as on SQLite).
    An executemany of parameters costs the Python client more than the server's insert;
    COPY hands the server text it parses itself."""
    connection = session.connection()
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(f"CREATE TEMPORARY TABLE claims_in ON COMMIT DROP AS SELECT {names} "
                   "FROM claims WITH NO DATA")
    with cursor.copy(f"COPY claims_in ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row if type(row) is tuple else (row,))
    cursor.execute(f"INSERT INTO claims (report_id, evidence, {names}) SELECT "
                   f"{int(report_id)}, '[]', {names} FROM claims_in "
                   "ON CONFLICT (dataset, external_id) DO NOTHING")
    inserted = cursor.rowcount
    cursor.execute("DROP TABLE claims_in")
    return inserted


def _older_than_stored(values: tuple[Any, ...], stored: tuple[Any, ...]) -> bool:
    """Whether the row is an older version of the stored one, by the version both keep in
    their ``extra`` (rows without one are never older)."""
    version = (json.loads(values[-1] or "{}") or {}).get(ROW_VERSION)
    stored_version = (json.loads(stored[-1] or "{}") or {}).get(ROW_VERSION)
    return (isinstance(version, int) and isinstance(stored_version, int)
            and version < stored_version)


def _rewrite(session: Session, report_id: int, changed: list[tuple[Any, ...]]) -> None:
    """Rewrite stored rows (their values, then their claim id), pointing them at this
    file's report and detaching them from their incident until merging decides whether
    they still fit it."""
    mark = _placeholder(session)
    assignments = ", ".join(f"{name} = {mark}" for name in ROW_COLUMNS)
    session.connection().exec_driver_sql(
        f"UPDATE claims SET report_id = {int(report_id)}, {assignments}, "
        "previous_incident_id = COALESCE(incident_id, previous_incident_id), "
        f"incident_id = NULL WHERE id = {mark}", changed)


def _placeholder(session: Session) -> str:
    return "?" if session.connection().dialect.paramstyle == "qmark" else "%s"


# The stored values as a Row holds them: dates and JSON as their text (PostgreSQL would
# hand back date and list objects), the rest as it is.
_STORED = ", ".join(
    f"CAST({name} AS TEXT)" if isinstance(_CLAIMS.c[name].type, (Date, JSON)) else name
    for name in ROW_COLUMNS)


def _stored_values(session: Session, dataset: str, external_ids: list[str]
                   ) -> dict[str, tuple[int, tuple[Any, ...]]]:
    """(claim id, stored values) of each stored row by its id in the dataset."""
    connection, mark = session.connection(), _placeholder(session)
    found: dict[str, tuple[int, tuple[Any, ...]]] = {}
    for start in range(0, len(external_ids), _LOOKUP_CHUNK):
        chunk = external_ids[start:start + _LOOKUP_CHUNK]
        for claim_id, *values in connection.exec_driver_sql(
                f"SELECT id, {_STORED} FROM claims WHERE dataset = {mark} "
                f"AND external_id IN ({', '.join([mark] * len(chunk))})", (dataset, *chunk)):
            found[values[EXTERNAL_ID]] = (claim_id, tuple(values))
    return found


# --- the file's report ---------------------------------------------------------------------


def _file_report(dataset: str, path: Path) -> Report:
    """One report per file as it stands (name, size, modification time): importing the same
    file again finds the same report; a newer export is a report of its own."""
    # A folder of pages (the UCDP API's) stands as the pages it holds.
    stats = ([p.stat() for p in path.glob("*.json") if p.is_file()] if path.is_dir()
             else [path.stat()] if path.is_file() else [])
    label = LABELS.get(dataset, dataset)
    when = (datetime.fromtimestamp(max(s.st_mtime for s in stats), UTC)
            .strftime("%Y-%m-%d %H:%M UTC") if stats else "unknown")
    size = f"{sum(s.st_size for s in stats):,} bytes" if stats else "size unknown"
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
        "unchanged": summary.unchanged, "outdated": summary.outdated,
        "skipped": summary.skipped,
        "ignored": summary.ignored, "ignored_kinds": dict(summary.ignored_kinds),
        "bad_rows": bad_rows_record(summary.bad_rows),
        "repaired": summary.repaired, "repairs": bad_rows_record(summary.repairs),
    }

