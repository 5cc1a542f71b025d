"""The rows merging reads and writes: the stored claims with no incident yet (imported
rows, rows that changed), the incidents they could join, the analysts' split and join as
merge rules, and the incident rows written back with bulk statements. The merging itself
(merge.merge_claims under the rules, then assess) is the service's (service/merging.py,
service/writing.py).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Table,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from trucewatch.columns import located_values
from trucewatch.merge import (
    MAX_RANGE_DAYS,
    MergeRules,
    claim_range,
)
from trucewatch.model import (
    Casualties,
    Claim,
    DatePrecision,
    EventType,
    Evidence,
    Incident,
    Place,
    Span,
    Verdict,
)
from trucewatch.store.database import Database
from trucewatch.store.rows import _read_located, claim_from_row
from trucewatch.store.tables import (
    Base,
    ClaimRow,
    IncidentRow,
    MergeDecisionClaimRow,
    MergeDecisionRow,
)

# Claims per merge transaction. Each batch loads the incidents of its days, so fewer,
# larger batches load them fewer times; 50,000 claims take some 100 MB.
BATCH_SIZE = 50_000
_CLAIMS = cast(Table, ClaimRow.__table__)
_INCIDENTS = cast(Table, IncidentRow.__table__)
_CHUNK = 5_000
# What merging reads of a claim: not the dataset's own codes, whose JSON would be decoded
# for nothing on every claim of every candidate incident.
_MERGE_COLUMNS = [c for c in _CLAIMS.c if c.name != "extra"]


@dataclass(slots=True)
class MergeSummary:
    claims: int = 0  # claims merged
    created: int = 0  # incidents created
    updated: int = 0  # incidents that gained or lost claims
    removed: int = 0  # incidents left with no claim (their review rows moved on)


BULK_CACHE_KIB = 32_768


@contextmanager
def bulk_cache(session: Session) -> Iterator[None]:
    """SQLite: a 32 MiB page cache over a bulk write, its default (2 MiB) back after. Rows
    filed into several indexes in no common order touch pages all over each B-tree; with
    the default cache a page is read and written again for nearly every row (166,773
    lone incidents went in in 3.1 CPU-s, 2.2 with 16 MiB, no better with 200)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = _driver(session)
    was = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(was)}")


def _driver(session: Session) -> Any:
    """The DB-API connection under the session's (sqlite3's or psycopg's)."""
    return session.connection().connection.driver_connection


def count_pending(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(_CLAIMS)
                              .where(_CLAIMS.c.incident_id.is_(None))) or 0


def pending_claims(session: Session, limit: int) -> tuple[list[Claim], dict[int, int]]:
    """Up to ``limit`` claims waiting for an incident, oldest day first, and for those a
    change detached, the incident each was in (claim id -> incident id)."""
    rows = list(session.execute(
        select(*_MERGE_COLUMNS).where(_CLAIMS.c.incident_id.is_(None))
        .order_by(_CLAIMS.c.event_date, _CLAIMS.c.id).limit(limit)))
    previous = {row.id: row.previous_incident_id for row in rows if row.previous_incident_id}
    return [claim_from_row(cast(Any, row)) for row in rows], previous


def candidates(session: Session, pending: list[Claim], previous: dict[int, int],
               rules: MergeRules) -> list[Incident]:
    """The stored incidents the pending claims could join, with their merged claims."""
    spans = [span for c in pending if (span := claim_range(c)) is not None]
    ids: set[int] = set(previous.values())
    if spans:
        low, high = min(s[0] for s in spans), max(s[1] for s in spans)
        c = _CLAIMS.c
        # Claims dated in the batch's days, and the few dated up to a month before whose
        # range (an end date, a week, a month) may reach into them.
        ranged = and_(c.event_date.between(low - timedelta(days=MAX_RANGE_DAYS), low),
                      or_(c.event_date_end >= low,
                          c.date_precision.in_(("week", "month", "year"))))
        ids.update(session.scalars(
            select(c.incident_id).distinct()
            .where(or_(c.event_date.between(low, high), ranged), c.incident_id.is_not(None))))
    grouped = {rules.group[c.id] for c in pending if c.id in rules.group}
    if grouped:
        members = [claim_id for claim_id, label in rules.group.items() if label in grouped]
        ids.update(i for i in _chunked_scalars(
            session, select(_CLAIMS.c.incident_id), _CLAIMS.c.id, members) if i is not None)
    return load_incidents(session, ids)


def load_incidents(session: Session, ids: Iterable[int]) -> list[Incident]:
    """Incidents by id, each with its claims, built straight from table rows."""
    ids = sorted(set(ids))
    incidents: dict[int, Incident] = {}
    for row in _chunked_rows(session, select(_INCIDENTS), _INCIDENTS.c.id, ids):
        incidents[row.id] = _incident_shell(row)
    for row in _chunked_rows(session, select(*_MERGE_COLUMNS), _CLAIMS.c.incident_id, ids):
        incidents[row.incident_id].claims.append(claim_from_row(cast(Any, row)))
    return list(incidents.values())


def _incident_shell(row: Any) -> Incident:
    """The stored incident's reading; claims are added by the caller."""
    return Incident(**_read_located(row), id=row.id)


# --- writing incidents -----------------------------------------------------------------------


def write_incidents(session: Session, incidents: list[Incident],
                    verdicts: Sequence[Verdict | None], scenario_id: str | None,
                    summary: MergeSummary, previous: dict[int, int] | None = None,
                    moved: set[int] | None = None) -> list[int]:
    """Store reconciled incidents with their verdicts (``verdicts``: one per incident that
    has claims, in order; new ones get ids), point the claims that moved (``moved``;
    default: all of their claims) at them, and remove incidents left with no claim,
    moving their review rows to the incident that took their claims (``previous``: claim
    id -> the incident it was in). Returns the ids of the rows an analyst's corrections
    may sit on (rewritten, or given a retired incident's), for the service to settle."""
    empty = [i for i in incidents if not i.claims and i.id is not None]
    alive = [i for i in incidents if i.claims]
    now = _now()
    new = [(i, v) for i, v in zip(alive, verdicts, strict=True) if i.id is None]
    old = [(i, v) for i, v in zip(alive, verdicts, strict=True) if i.id is not None]
    if new:
        _insert_incidents(session, new, scenario_id, now)
    if old:
        values = [incident_values(i, v, scenario_id, now) | {"_id": i.id} for i, v in old]
        columns: dict[str, Any] = {name: bindparam(name) for name in values[0] if name != "_id"}
        session.execute(update(_INCIDENTS).where(_INCIDENTS.c.id == bindparam("_id"))
                        .values(columns), values)
    links = [(c.id, i.id) for i in alive for c in i.claims
             if c.id is not None and (moved is None or c.id in moved)]
    if links:
        point_claims(session, links)
    successors = {(previous or {}).get(c.id or 0): i.id for i in alive for c in i.claims}
    for incident in empty:
        assert incident.id is not None
        retire_incident(session, incident.id, successors.get(incident.id))
    summary.created += len(new)
    summary.updated += len(old)
    summary.removed += len(empty)
    # A new incident has no correction, unless a retired one's moved to it.
    return [i.id for i, _ in old if i.id is not None] + [
        s for s in (successors.get(i.id) for i in empty) if s is not None]


def _insert_incidents(session: Session, new: list[tuple[Incident, Verdict | None]],
                      scenario_id: str | None, now: datetime) -> None:
    """Insert new incidents and learn their ids. SQLite cannot promise the order of the ids
    a multi-row RETURNING gives back, and one statement per row is slow, so there the ids
    are allocated from the highest one: SQLite lets one writer at a time, and a writer that
    slipped in since this transaction began makes the batch fail whole, not collide."""
    values = [incident_values(i, v, scenario_id, now) for i, v in new]
    if session.connection().dialect.name == "sqlite":
        start = (session.scalar(select(func.max(_INCIDENTS.c.id))) or 0) + 1
        for offset, (row, (incident, _)) in enumerate(zip(values, new, strict=True)):
            row["id"] = incident.id = start + offset
        # Straight to the driver, encoded as SQLAlchemy stores them in SQLite (as for claims).
        names = list(values[0])
        encode = [_SQLITE_ENCODERS.get(name) for name in names]
        session.connection().exec_driver_sql(
            f"INSERT INTO incidents ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})",
            [tuple(value if f is None or value is None else f(value)
                   for f, value in zip(encode, row.values(), strict=True)) for row in values])
        return
    ids = session.scalars(
        insert(_INCIDENTS).returning(_INCIDENTS.c.id, sort_by_parameter_order=True), values)
    for (incident, _), incident_id in zip(new, ids, strict=True):
        incident.id = incident_id


_SQLITE_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "event_date": date.isoformat,
    "assessed_at": lambda moment: moment.strftime("%Y-%m-%d %H:%M:%S.%f"),
    **dict.fromkeys(("sources", "verdict_zones", "verdict_agreements", "verdict_reasons"),
                    json.dumps),
}


def incident_values(incident: Incident, verdict: Verdict | None, scenario_id: str | None,
                    now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {
        **located_values(incident), "confidence": incident.confidence.value,
        "verdict": None, "verdict_zones": [], "verdict_agreements": [],
        "verdict_reasons": [], "scenario_id": None, "assessed_at": None,
    }
    if verdict is not None and scenario_id is not None:
        values.update(verdict=verdict.kind.value, verdict_zones=list(verdict.zones),
                      verdict_agreements=list(verdict.agreements),
                      verdict_reasons=list(verdict.reasons), scenario_id=scenario_id,
                      assessed_at=now)
    return values


def retire_incident(session: Session, incident_id: int, successor: int | None) -> None:
    """Delete an incident that has no claim left. The rows that hang off it (analysts'
    corrections, triage, votes, the audit log, digest deliveries, and any table added
    later) move to the successor where they do not clash with its own (its own
    correction, triage or vote wins; an address it was mailed to stays mailed); the rest
    go, as all do without a successor."""
    for table in _referencing_tables():
        column = next(c for c in table.c if any(
            fk.column.table.name == "incidents" for fk in c.foreign_keys))
        if successor is not None:
            session.execute(update(table).where(column == incident_id, *(
                ~exists().where(*(other.c[c.name] == table.c[c.name] for c in key
                                  if c is not column), other.c[column.name] == successor)
                for other, key in ((table.alias(), key) for key in _unique_keys(table, column))
            )).values({column.name: successor}))
        session.execute(delete(table).where(column == incident_id))
    session.execute(delete(_INCIDENTS).where(_INCIDENTS.c.id == incident_id))


def _unique_keys(table: Table, column: Any) -> list[list[Any]]:
    """The primary key and unique constraints of ``table`` that include ``column``: moving
    a row to another incident must not make two rows equal on any of them."""
    keys = [list(table.primary_key.columns)]
    keys += [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    return [key for key in keys if any(c is column for c in key)]


def _referencing_tables() -> list[Table]:
    """Every table with a foreign key to incidents (other than claims), so a table added
    later (a digest's entries) does not block the delete."""
    return [cast(Table, table) for table in Base.metadata.sorted_tables
            if table.name != "claims" and any(
                fk.column.table.name == "incidents" for fk in table.foreign_keys)]


# --- analysts' decisions as rules ---------------------------------------------------------


def load_rules(session: Session) -> MergeRules:
    """Every split and join, applied oldest first so a later decision wins."""
    rules = MergeRules()
    members: dict[int, dict[int, list[int]]] = {}
    for decision_id, claim_id, side in session.execute(
        select(MergeDecisionClaimRow.decision_id, MergeDecisionClaimRow.claim_id,
               MergeDecisionClaimRow.side)):
        members.setdefault(decision_id, {0: [], 1: []})[side].append(claim_id)
    for decision_id, kind in session.execute(
            select(MergeDecisionRow.id, MergeDecisionRow.kind).order_by(MergeDecisionRow.id)):
        sides = members.get(decision_id, {0: [], 1: []})
        if kind == "split":
            rules.keep_apart(sides[1], sides[0])
            rules.take_out(sides[1], label=-decision_id)
        else:
            rules.bring_together([*sides[0], *sides[1]], label=decision_id)
    return rules


# --- helpers --------------------------------------------------------------------------------


def _chunked_rows(session: Session, statement: Any, column: Any, values: list[Any]
                  ) -> Iterable[Any]:
    for start in range(0, len(values), _CHUNK):
        yield from session.execute(statement.where(column.in_(values[start:start + _CHUNK])))


def _chunked_scalars(session: Session, statement: Any, column: Any, values: list[Any]
                     ) -> Iterable[Any]:
    for start in range(0, len(values), _CHUNK):
        yield from session.scalars(statement.where(column.in_(values[start:start + _CHUNK])))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)



# --- the waiting claims as rows, and lone claims' incidents in bulk --------------------------

# The columns of a waiting claim as merging reads them straight from the driver (no ORM
# row, no JSON or date decoded until a claim needs it).
PENDING_COLUMNS = (
    "id", "report_id", "incident_id", "event_type", "perpetrator_actor", "location_text",
    "target", "sources_agree", "evidence", "dataset", "external_id", "event_date_end",
    "exact_type", "notes", "previous_incident_id", "event_date", "date_precision",
    "day_part", "location_name", "lat", "lon", "admin1", "admin2", "country",
    "geo_precision", "geonames_id", "perpetrator", "target_actor", "killed_low",
    "killed_best", "killed_high", "wounded_low", "wounded_best", "wounded_high",
    "killed_civilians", "killed_combatants", "wounded_civilians", "wounded_combatants",
    "sources")
# (claim_from_pending unpacks them in this order: a new column must be added to both)
assert set(PENDING_COLUMNS) == {c.name for c in _MERGE_COLUMNS}, "claims gained a column"
P = {name: n for n, name in enumerate(PENDING_COLUMNS)}
_PENDING = ", ".join(PENDING_COLUMNS)


def pending_rows(session: Session, limit: int) -> list[tuple[Any, ...]]:
    """About ``limit`` claims waiting for an incident, oldest day first (see Waiting)."""
    return Waiting().take(session, limit)


class Waiting:
    """The claims waiting for an incident, handed out batch by batch in merging's order
    (oldest day first, then by id), as the driver gives them (PENDING_COLUMNS; dates and
    JSON as text on SQLite). A batch ends with a whole day: a day cut in two would have
    its first part's incidents, claims and all, loaded again for the second, once per
    batch, so a day of a million GDELT rows would cost batches times its size.

    The waiting claims' days and ids are read once, for a run of batches; asking the
    table for the first ``limit`` waiting rows on every batch read and sorted every
    waiting row, every column, again (a million ACLED rows in 20 batches: ten million
    rows read). A claim merged meanwhile (by another process) is passed over; one that
    starts waiting meanwhile is found when the list runs out."""

    def __init__(self) -> None:
        # The ids and days, in merging's order: ids packed, each day one object (a
        # million (day, id) tuples would hold some 150 MB through the whole merge).
        self.ids = array("q")
        self.days: list[Any] = []
        self.at = 0  # where the next batch starts in them

    def take(self, session: Session, limit: int) -> list[tuple[Any, ...]]:
        """The next batch (empty: nothing is waiting)."""
        cursor = _driver(session).cursor()
        try:
            while True:
                if self.at >= len(self.ids):
                    self._read(cursor)
                    if not self.ids:
                        return []
                days, start = self.days, self.at
                end = min(start + limit, len(days))
                day = days[end - 1]
                if end - start == limit and day is not None:
                    while end < len(days) and days[end] == day:
                        end += 1
                self.at = end
                rows = _waiting_rows(session, cursor, self.ids[start:end].tolist())
                if rows:
                    return rows
        finally:
            cursor.close()

    def _read(self, cursor: Any) -> None:
        cursor.execute("SELECT event_date, id FROM claims WHERE incident_id IS NULL "
                       "ORDER BY event_date, id")
        found = cursor.fetchall()
        days, ids = zip(*found, strict=True) if found else ((), ())
        del found
        once: dict[Any, Any] = {}
        self.days = [once.setdefault(day, day) for day in days]
        self.ids, self.at = array("q", ids), 0


def _waiting_rows(session: Session, cursor: Any, ids: list[int]) -> list[tuple[Any, ...]]:
    """The rows of these claims that still wait, in the order of ``ids``. The DB-API
    cursor's fetchall: SQLAlchemy's result rows cost more than the query."""
    mark = "?" if session.connection().dialect.paramstyle == "qmark" else "%s"
    found: dict[int, tuple[Any, ...]] = {}
    at = P["id"]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        cursor.execute(f"SELECT {_PENDING} FROM claims WHERE incident_id IS NULL AND id IN "
                       f"({', '.join([mark] * len(chunk))})", chunk)
        found.update((row[at], row) for row in cursor.fetchall())
    return [row for i in ids if (row := found.get(i)) is not None]


def as_date(value: Any) -> date | None:
    """A date column as the driver gives it (ISO text on SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return _iso_day(value)


@lru_cache(maxsize=1 << 16)
def _iso_day(text: str) -> date:
    return date.fromisoformat(text)


def as_json(value: Any) -> Any:
    """A JSON column as the driver gives it (text on SQLite, decoded on PostgreSQL)."""
    return json.loads(value) if isinstance(value, str) else value


def claim_from_pending(row: tuple[Any, ...]) -> Claim:
    """The claim a pending row holds: rows.claim_from_row's claim, built straight from
    the driver's tuple (a GDELT day is 100,000 of them). Places repeat over a dataset's
    rows and are frozen, so each is made once and shared; merge._same_place then finds
    two claims of one town the same object."""
    (cid, _report, _incident, event_type, perpetrator_actor, location_text, target,
     sources_agree, evidence, dataset, external_id, date_end, exact_type, notes,
     _previous, event_date, date_precision, day_part, name, lat, lon, admin1, admin2,
     country, geo_precision, geonames_id, perpetrator, target_actor, killed_low,
     killed_best, killed_high, wounded_low, wounded_best, wounded_high, killed_civilians,
     killed_combatants, wounded_civilians, wounded_combatants, sources) = row
    return Claim(
        event_type=_event_type(event_type), event_date=as_date(event_date),
        date_precision=_precision(date_precision) if date_precision else None,
        day_part=day_part,
        location=None if name is None else _place(
            name, lat, lon, admin1, admin2, country, geo_precision or 1, geonames_id),
        perpetrator=perpetrator, perpetrator_actor=perpetrator_actor,
        target_actor=target_actor,
        killed=_toll(killed_low, killed_best, killed_high, killed_civilians,
                     killed_combatants),
        wounded=_toll(wounded_low, wounded_best, wounded_high, wounded_civilians,
                      wounded_combatants),
        sources=list(_listed(sources) if isinstance(sources, str) else sources or ()),
        location_text=location_text, target=target,
        sources_agree=None if sources_agree is None else bool(sources_agree),
        evidence=[] if evidence == "[]" else [  # (a dataset row has none)
            Evidence(e["field"], Span(e["start"], e["end"], e["text"]))
            for e in as_json(evidence) or []],
        dataset=dataset, external_id=external_id, date_end=as_date(date_end),
        exact_type=bool(exact_type) if exact_type is not None else True, notes=notes,
        id=cid)


@lru_cache(maxsize=1 << 16)
def _listed(text: str) -> tuple[str, ...]:
    """A list of sources as JSON text, decoded once: a day's rows name a few thousand
    outlets and sites (each claim gets a list of its own from it)."""
    return tuple(json.loads(text) or ())


@lru_cache(maxsize=64)
def _event_type(value: str) -> EventType:
    return EventType(value)


@lru_cache(maxsize=64)
def _precision(value: str) -> DatePrecision:
    return DatePrecision(value)


@lru_cache(maxsize=1 << 12)
def _toll(low: int | None, best: int | None, high: int | None, civilians: int | None,
          combatants: int | None) -> Casualties:
    """Tolls repeat (most rows: none, or a handful of small figures), and a toll is
    frozen: each is made once and shared."""
    return Casualties(low, best, high, civilians, combatants)


@lru_cache(maxsize=1 << 16)
def _place(name: str, lat: float | None, lon: float | None, admin1: str | None,
           admin2: str | None, country: str | None, geo_precision: int,
           geonames_id: int | None) -> Place:
    return Place(name=name, lat=lat, lon=lon, admin1=admin1, admin2=admin2,
                 country=country, geo_precision=geo_precision, geonames_id=geonames_id)


def stored_blocks(session: Session, low: date, high: date, datasets: set[str], *,
                  waiting: bool = False) -> list[tuple[Any, ...]]:
    """Merged claims whose dates may reach into ``low``..``high`` (as ``candidates``
    finds them) of any dataset but those named: (dataset, event_date, date_precision,
    event_date_end, location_name, lat, lon, geo_precision), dates decoded. ``waiting``:
    claims that wait for an incident too (an import linking its rows before any merge
    must meet them as the merger would, in the same batch)."""
    c = _CLAIMS.c
    ranged = and_(c.event_date.between(low - timedelta(days=MAX_RANGE_DAYS), low),
                  or_(c.event_date_end >= low,
                      c.date_precision.in_(("week", "month", "year"))))
    others = or_(c.dataset.is_(None), c.dataset.not_in(sorted(datasets)))
    rows = session.execute(
        select(c.dataset, c.event_date, c.date_precision, c.event_date_end, c.location_name,
               c.lat, c.lon, c.geo_precision)
        .where(or_(c.event_date.between(low, high), ranged), c.location_name.is_not(None),
               others, *(() if waiting else (c.incident_id.is_not(None),))))
    return [tuple(row) for row in rows]


def waiting_near(session: Session, low: date, high: date) -> bool:
    """Whether any claim waits for an incident dated where it may meet claims dated
    ``low``..``high`` (a range reaches back at most MAX_RANGE_DAYS)."""
    c = _CLAIMS.c
    return session.scalar(select(
        exists().where(c.incident_id.is_(None), c.event_date.between(
            low - timedelta(days=MAX_RANGE_DAYS), high)))) or False


def stored_moment(session: Session, moment: datetime) -> Any:
    """A timestamp as insert_lone_incidents takes it (SQLite keeps SQLAlchemy's text)."""
    if session.connection().dialect.name == "sqlite":
        return _SQLITE_ENCODERS["assessed_at"](moment)
    return moment


@contextmanager
def _indexes_set_aside(session: Session, table: str, adding: int) -> Iterator[None]:
    """SQLite: the table's secondary indexes dropped while ``adding`` rows go in, and
    built again after, when the rows are at least as many as the table holds (judged by
    its highest id): building an index from the whole table at once costs less than
    filing that many rows one by one into seven B-trees."""
    connection = _driver(session)
    held = connection.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    with indexes_set_aside(session, table, when=adding >= held):
        yield


@contextmanager
def indexes_set_aside(session: Session, table: str, *, when: bool,
                      like: str = "%") -> Iterator[None]:
    """SQLite, ``when`` so: the secondary indexes of ``table`` whose SQL is ``like`` the
    pattern dropped for the block and built again after it. Both happen in the caller's
    transaction, so a kill midway leaves the indexes as they were."""
    connection = _driver(session)
    found = [] if not when or session.connection().dialect.name != "sqlite" else (
        connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql LIKE ?", (table, like)).fetchall())
    if found and not connection.in_transaction:
        # sqlite3 opens a transaction only before a row is written; a DROP before that
        # would commit on its own, and a kill before the rebuild would lose the indexes.
        connection.execute("BEGIN")
    for name, _ in found:
        connection.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in found:
        connection.execute(sql)


def insert_lone_incidents(session: Session, names: Sequence[str],
                          columns: Sequence[Sequence[Any]], claim_ids: list[int]) -> None:
    """Insert incidents of one claim each (``insert_incident_columns``) and point each
    claim of ``claim_ids`` at its own, in bulk."""
    ids = insert_incident_columns(session, names, columns, len(claim_ids))
    point_claims(session, list(zip(claim_ids, ids, strict=True)))


def insert_incident_columns(session: Session, names: Sequence[str],
                            columns: Sequence[Sequence[Any]], count: int) -> Sequence[int]:
    """Insert ``count`` incidents given as columns (``columns``: the values of the
    columns ``names``, a sequence per column, dates as the driver gave them or ISO
    text, JSON as text, timestamps from ``stored_moment``) and return their ids, in
    order. Ids are allocated first (SQLite: from the highest, as ``_insert_incidents``;
    PostgreSQL: from the sequence), so the rows go in without a RETURNING to match back;
    PostgreSQL takes them by COPY. Each row's tuple is made by zip, in C."""
    connection = session.connection()
    cursor = _driver(session).cursor()
    listed = f"id, {', '.join(names)}"
    ids: Sequence[int]
    if connection.dialect.name == "sqlite":
        start = (session.scalar(select(func.max(_INCIDENTS.c.id))) or 0) + 1
        ids = range(start, start + count)
        with _indexes_set_aside(session, "incidents", count):
            cursor.executemany(
                f"INSERT INTO incidents ({listed}) VALUES (?, {', '.join('?' for _ in names)})",
                zip(ids, *columns, strict=True))
    else:
        ids = [i for (i,) in connection.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('incidents', 'id')) "
            f"FROM generate_series(1, {count})")]
        with cursor.copy(f"COPY incidents ({listed}) FROM STDIN") as copy:
            for row in zip(ids, *columns, strict=True):
                copy.write_row(row)
    cursor.close()
    return ids


def keep_claimed(session: Session, ids: Sequence[int]) -> int:
    """Delete those of these incidents (just inserted, so nothing hangs off them) that no
    claim points at; returns how many of ``ids`` are incidents after."""
    connection, mark = session.connection(), ("?" if session.connection().dialect.paramstyle
                                              == "qmark" else "%s")
    kept = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start:start + _CHUNK])
        marks = ", ".join([mark] * len(chunk))
        connection.exec_driver_sql(
            f"DELETE FROM incidents WHERE id IN ({marks}) AND NOT "
            "EXISTS (SELECT 1 FROM claims WHERE claims.incident_id = incidents.id)", chunk)
        kept += connection.exec_driver_sql(
            f"SELECT count(*) FROM incidents WHERE id IN ({marks})", chunk).scalar_one()
    return kept


# --- SQLite: incidents of one claim each made from their claims' rows --------------------

# What merge_blocks.single_incidents makes of a claim's column, in SQL over the claim's row
# ``c`` (SQLite's two-argument min is PostgreSQL's LEAST). A column not named is the
# claim's as it is; tests/test_import_linking.py holds the two to each other.
_PLACED = "CASE WHEN c.location_name IS NULL THEN NULL ELSE c.{0} END"
_KNOWN = "(c.{0}_low IS NOT NULL OR c.{0}_best IS NOT NULL)"
_FROM_CLAIM: dict[str, str] = {
    **{name: f"NULLIF(c.{name}, '')"  # reconcile keeps the first truthy value
       for name in ("day_part", "perpetrator_actor", "perpetrator", "target_actor")},
    **{name: _PLACED.format(name)
       for name in ("lat", "lon", "admin1", "admin2", "country", "geonames_id")},
    "geo_precision": "CASE WHEN c.location_name IS NULL THEN NULL "
                     "ELSE COALESCE(NULLIF(c.geo_precision, 0), 1) END",
    **{f"{toll}_high": f"CASE WHEN {_KNOWN.format(toll)} THEN COALESCE(c.{toll}_high, "
                       f"c.{toll}_best) END" for toll in ("killed", "wounded")},
    **{f"{toll}_{part}": (
        f"CASE WHEN {_KNOWN.format(toll)} THEN CASE WHEN c.{toll}_{part} IS NULL OR "
        f"c.{toll}_best IS NULL THEN c.{toll}_{part} ELSE min(c.{toll}_{part}, "
        f"c.{toll}_best) END END")
       for toll in ("killed", "wounded") for part in ("civilians", "combatants")},
}


def lone_ids(session: Session, count: int) -> Sequence[int] | None:
    """SQLite: ids for ``count`` incidents of one claim each, to be made from their claims
    once the claims are in (``incidents_from_claims``): the claims' foreign key to them is
    checked at commit (defer_foreign_keys lasts the transaction). None on PostgreSQL,
    where the incidents go in first, by COPY (``insert_incident_columns``)."""
    if session.connection().dialect.name != "sqlite":
        return None
    connection = _driver(session)
    if not connection.in_transaction:  # (the pragma lasts until the transaction ends:
        connection.execute("BEGIN")     # sqlite3 begins one only before a row is written)
    connection.execute("PRAGMA defer_foreign_keys = ON")
    start = (session.scalar(select(func.max(_INCIDENTS.c.id))) or 0) + 1
    return range(start, start + count)


def incidents_from_claims(session: Session, ids: Sequence[int], names: Sequence[str],
                          columns: Sequence[Sequence[Any]], given: Sequence[str]) -> None:
    """SQLite: insert the incidents ``ids`` (from ``lone_ids``), each made from the one
    claim that points at it: of ``names`` and their ``columns`` (as for
    ``insert_incident_columns``), those in ``given`` (what the claim does not hold: the
    confidence, the sources as reconciled, the verdict) are bound; every other is
    computed in the database from the claim's row (``_FROM_CLAIM``). Binding some forty
    values a row cost SQLite more than the insert itself. An id no claim points at (the
    row was stored before) makes no incident."""
    cursor = _driver(session).cursor()
    kept = [names.index(name) for name in given]
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS lone_given (id INTEGER PRIMARY "
                   f"KEY, {', '.join(given)})")
    cursor.executemany(
        f"INSERT INTO lone_given (id, {', '.join(given)}) VALUES "
        f"(?, {', '.join('?' for _ in given)})",
        zip(ids, *(columns[n] for n in kept), strict=True))
    made = [name for name in names if name not in given]
    values = [_FROM_CLAIM.get(name, f"c.{name}") for name in made]
    with _indexes_set_aside(session, "incidents", len(ids)):
        cursor.execute(
            f"INSERT INTO incidents (id, {', '.join(made)}, {', '.join(given)}) "
            f"SELECT g.id, {', '.join(values)}, {', '.join(f'g.{n}' for n in given)} "
            # (CROSS JOIN: SQLite walks the given ids in order and finds each one's claim
            # by its index, never the claims table whole)
            "FROM lone_given g CROSS JOIN claims c ON c.incident_id = g.id ORDER BY g.id")
    cursor.execute("DELETE FROM lone_given")
    cursor.close()


def point_claims(session: Session, links: list[tuple[int, int | None]]) -> None:
    """Point each claim at its incident (``links``: (claim id, incident id) pairs) and
    forget the incident a change had detached it from: one UPDATE joined to a temporary
    table of the pairs (filled by executemany on SQLite, COPY on PostgreSQL). An UPDATE
    per claim cost SQLite twice as much: 166,773 claims in 2.1 CPU-s against 1.1."""
    cursor = _driver(session).cursor()
    if session.connection().dialect.name == "sqlite":
        cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS claim_links "
                       "(claim_id INTEGER PRIMARY KEY, incident_id INTEGER)")
        cursor.executemany("INSERT OR REPLACE INTO claim_links (claim_id, incident_id) "
                           "VALUES (?, ?)", links)
    else:
        cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS claim_links "
                       "(claim_id INTEGER, incident_id INTEGER) ON COMMIT DELETE ROWS")
        with cursor.copy("COPY claim_links (claim_id, incident_id) FROM STDIN") as copy:
            for link in links:
                copy.write_row(link)
    cursor.execute("UPDATE claims SET incident_id = l.incident_id, previous_incident_id = NULL "
                   "FROM claim_links l WHERE claims.id = l.claim_id")
    cursor.execute("DELETE FROM claim_links")
    cursor.close()
