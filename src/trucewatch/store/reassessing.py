"""The rows a scenario's re-assessment of every stored incident reads and writes, in
bulk: an incident's own reading as the driver gives its columns (no ORM object, no
Incident), the few claims whose words a verdict reads, and the verdicts written with
one statement per batch. The judging is the service's (service/reassessing.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from trucewatch.store.merging import indexes_set_aside, stored_moment

# What a verdict reads of a stored incident (assess_batch.Question's columns), its
# confidence ("contested": its claims are read too), and the verdict it holds (its lists
# as JSON text), so one that comes out the same is not written again. The service unpacks
# them in this order.
INCIDENT_COLUMNS = (
    "id", "event_type", "event_date", "date_precision", "day_part", "perpetrator_actor",
    "perpetrator", "target_actor", "location_name", "lat", "lon", "geo_precision",
    "confidence", "verdict", "verdict_zones", "verdict_agreements", "verdict_reasons")
# JSON columns read as their text (PostgreSQL's json type keeps the text it was given).
_AS_TEXT = {"verdict_zones", "verdict_agreements", "verdict_reasons"}
_CONFIDENCE = INCIDENT_COLUMNS.index("confidence")
# What a verdict reads of a claim: who it blames and on whose word (a disputed
# attribution), its notes and evidence sentences (the weapons it names).
CLAIM_COLUMNS = ("incident_id", "event_type", "perpetrator", "perpetrator_actor", "notes",
                 "sources", "evidence")
# Incidents per batch: a batch's rows and claims are in memory at once (about 60 MB for
# 100,000 with their claims' notes).
BATCH = 100_000
_IN_CHUNK = 5_000  # ids per IN (...): SQLite allows 32,766 parameters
_SAMPLE = 1_000  # incidents looked at to tell whether most verdicts will be rewritten


def incident_batches(session: Session, size: int = BATCH) -> Iterator[list[tuple[Any, ...]]]:
    """Every stored incident's INCIDENT_COLUMNS, ``size`` at a time in id order (dates as
    the driver gives them: ISO text on SQLite)."""
    cursor = _cursor(session)
    mark = _mark(session)
    text = session.connection().dialect.name != "sqlite"
    columns = ", ".join(f"{c}::text" if text and c in _AS_TEXT else c for c in INCIDENT_COLUMNS)
    after = 0
    try:
        while True:
            cursor.execute(f"SELECT {columns} FROM incidents "
                           f"WHERE id > {mark} ORDER BY id LIMIT {int(size)}", (after,))
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]
    finally:
        cursor.close()


def claims_of(session: Session, rows: Sequence[tuple[Any, ...]], *, every: bool
              ) -> dict[int, list[tuple[Any, ...]]]:
    """The claims (CLAIM_COLUMNS; sources and evidence as the driver gives them: JSON
    text on SQLite) of the batch's contested
    incidents, or with ``every`` of all its incidents (a scenario with weapon zones reads
    the weapon from their words), by incident id."""
    if not rows:
        return {}
    cursor = _cursor(session)
    mark = _mark(session)
    columns = ", ".join(CLAIM_COLUMNS)
    found: dict[int, list[tuple[Any, ...]]] = {}
    try:
        if every:
            cursor.execute(f"SELECT {columns} FROM claims WHERE incident_id BETWEEN {mark} "
                           f"AND {mark}", (rows[0][0], rows[-1][0]))
            fetched = cursor.fetchall()
        else:
            wanted = [row[0] for row in rows if row[_CONFIDENCE] == "contested"]
            fetched = []
            for start in range(0, len(wanted), _IN_CHUNK):
                chunk = wanted[start:start + _IN_CHUNK]
                cursor.execute(f"SELECT {columns} FROM claims WHERE incident_id IN "
                               f"({', '.join(mark for _ in chunk)})", chunk)
                fetched += cursor.fetchall()
    finally:
        cursor.close()
    for row in fetched:
        found.setdefault(row[0], []).append(row)
    return found


def write_verdicts(session: Session, first: int, last: int,
                   changed: Sequence[tuple[Any, ...]], scenario_id: str,
                   moment: datetime) -> None:
    """Write a batch's verdicts: every incident with ids ``first``..``last`` is marked
    assessed against the scenario now, and those whose verdict changed (``changed``: id,
    kind, zones, agreements, reasons; the three lists as JSON text) get the new one.
    Each row is written once: the changed ones with their verdict and mark together
    (SQLite: one UPDATE by id, executed for them; PostgreSQL: them COPYed into a
    temporary table and one UPDATE ... FROM), then the others of the range with the mark
    alone (a first load rewrote the whole table twice, verdict and mark apart). Rewriting
    an unchanged verdict would cost most of a reload: its indexes (verdict, place, day)
    would be rewritten too."""
    connection = session.connection()
    at = stored_moment(session, moment)
    mark = _mark(session)
    cursor = _cursor(session)
    try:
        if changed and connection.dialect.name == "sqlite":
            cursor.executemany(
                "UPDATE incidents SET verdict = ?, verdict_zones = ?, verdict_agreements = ?, "
                "verdict_reasons = ?, scenario_id = ?, assessed_at = ? WHERE id = ?",
                [(kind, zones, agreements, reasons, scenario_id, at, incident_id)
                 for incident_id, kind, zones, agreements, reasons in changed])
        elif changed:
            cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS reassessed (id INTEGER, "
                           "verdict VARCHAR(32), zones JSON, agreements JSON, "
                           "reasons JSON) ON COMMIT DELETE ROWS")
            with cursor.copy("COPY reassessed (id, verdict, zones, agreements, reasons) "
                             "FROM STDIN") as copy:
                for row in changed:
                    copy.write_row(row)
            cursor.execute(
                "UPDATE incidents SET verdict = r.verdict, verdict_zones = r.zones, "
                "verdict_agreements = r.agreements, verdict_reasons = r.reasons, "
                "scenario_id = %s, assessed_at = %s FROM reassessed r "
                "WHERE incidents.id = r.id", (scenario_id, at))
            cursor.execute("DELETE FROM reassessed")
        # The rest of the range: those just written already hold this mark (a row is
        # read here, not written again).
        cursor.execute(f"UPDATE incidents SET scenario_id = {mark}, assessed_at = {mark} "
                       f"WHERE id BETWEEN {mark} AND {mark} AND (scenario_id IS NULL "
                       f"OR scenario_id <> {mark} OR assessed_at IS NULL "
                       f"OR assessed_at <> {mark})",
                       (scenario_id, at, first, last, scenario_id, at))
    finally:
        cursor.close()


@contextmanager
def verdict_indexes_set_aside(session: Session, scenario_id: str) -> Iterator[None]:
    """SQLite: the indexes on the verdict dropped over a pass that will rewrite most
    verdicts (more than half the incidents hold none, or another scenario's), and built
    again after: building an index from the whole table costs less than moving most of
    its entries one by one (833,454 changed verdicts: about 18 CPU-s of updates with the
    three indexes kept). A reload of the scenario the verdicts came from changes few and
    keeps them. In the caller's transaction: a kill midway leaves them as they were."""
    if session.connection().dialect.name != "sqlite":
        yield
        return
    total, other = _held_otherwise(session, scenario_id)
    with indexes_set_aside(session, "incidents", when=other * 2 > total, like="%verdict%"):
        yield


def _held_otherwise(session: Session, scenario_id: str) -> tuple[int, int]:
    """How many incidents hold no verdict or another scenario's, of how many: counted
    over _SAMPLE ids spread evenly from the first to the last when there are more (the
    count reads every row of the table, 0.34 CPU-s of a million-row reload; the answer
    only decides whether to set the indexes aside)."""
    connection = session.connection()
    wanted = "count(*) FILTER (WHERE verdict IS NULL OR scenario_id IS NOT ?)"
    first, last = connection.exec_driver_sql("SELECT min(id), max(id) FROM incidents").one()
    if first is None or last - first < _SAMPLE * 10:
        total, other = connection.exec_driver_sql(
            f"SELECT count(*), {wanted} FROM incidents", (scenario_id,)).one()
        return total, other
    step = (last - first) / (_SAMPLE - 1)
    ids = sorted({first + round(n * step) for n in range(_SAMPLE)})
    total = other = 0
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start:start + _IN_CHUNK]
        found, held = connection.exec_driver_sql(
            f"SELECT count(*), {wanted} FROM incidents WHERE id IN "
            f"({', '.join('?' for _ in chunk)})", (scenario_id, *chunk)).one()
        total, other = total + found, other + held
    return total, other


def _cursor(session: Session) -> Any:
    """The DB-API cursor of the session's connection: SQLAlchemy's result rows cost more
    than the query on a million rows."""
    return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def _mark(session: Session) -> str:
    return "?" if session.connection().dialect.paramstyle == "qmark" else "%s"
