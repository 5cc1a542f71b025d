"""Pages of the incident list that cost the same deep in the ledger as at its start.

A sort is a key column (event_date, killed_best, or none for id) and a direction, with
incidents whose key is unknown last either way, then ids in the same direction. The list
is read as two segments, the known keys ordered by (key, id) and then the unknown ones by
id, so that each segment walks a plain index on (key, id) (SQLite's one-column indexes hold
the rowid; migration 0010 adds the composite ones PostgreSQL needs) instead of sorting
every match on each request.

- A cursor names the last incident of a page (its segment, key and id): the next page
  seeks past it, whatever its depth.
- An offset counts into the segments: the first query selects ids alone, so a deep offset
  walks the narrow index, not the rows, and only the page's rows are then read.

A cursor is opaque to clients: base64url of a small JSON list, checked on the way in, and
bound to the sort it was made for.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, select, tuple_
from sqlalchemy.orm import Session

from trucewatch.errors import InputError
from trucewatch.store.tables import IncidentRow

KEYS: dict[str, Any] = {"event_date": IncidentRow.event_date, "killed": IncidentRow.killed_best,
                        "id": None}
CURSOR_VERSION = 1


class CursorError(InputError):
    """A cursor that is not one this server made, or made for another sort."""

    http_status = 400
    code = "bad_cursor"


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: in the known or the unknown segment, at this key and id."""

    sort: str
    known: bool
    key: Any  # a date, an int, or None in the unknown segment (and for the id sort)
    id: int


@dataclass(frozen=True, slots=True)
class Sort:
    name: str
    column: Any  # None: the id itself
    descending: bool

    @classmethod
    def parse(cls, sort: str) -> Sort:
        name = sort.lstrip("-")
        if name not in KEYS:
            raise InputError("sort", f"{sort!r} is not a sort: use one of "
                             + ", ".join(f"{k}, -{k}" for k in KEYS))
        return cls(name, KEYS[name], sort.startswith("-"))

    @property
    def spelled(self) -> str:
        return ("-" if self.descending else "") + self.name

    def key_of(self, row: IncidentRow) -> Any:
        return None if self.column is None else getattr(row, self.column.key)


def encode(position: Position) -> str:
    key = position.key.isoformat() if isinstance(position.key, date) else position.key
    text = json.dumps([CURSOR_VERSION, position.sort, int(position.known), key, position.id],
                      separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, sort: Sort) -> Position:
    """The position a cursor names, checked: a 400 that says what to do otherwise."""
    def bad(why: str) -> CursorError:
        return CursorError("cursor", f"{why}: pass the next_cursor of the previous page "
                                     "unchanged, with the same sort and filters, or start "
                                     "again without a cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, sort_name, known, key, last = json.loads(raw.decode())
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise bad("the cursor is not one this server made") from None
    if version != CURSOR_VERSION or not isinstance(last, int) or isinstance(last, bool) \
            or known not in (0, 1):
        raise bad("the cursor is not one this server made")
    if sort_name != sort.spelled:
        raise bad(f"the cursor was made for sort={sort_name}, not sort={sort.spelled}")
    if not known or sort.column is None:
        if key is not None:
            raise bad("the cursor is damaged")
    elif sort.name == "event_date":
        try:
            key = date.fromisoformat(key)
        except (TypeError, ValueError):
            raise bad("the cursor is damaged") from None
    elif not isinstance(key, int) or isinstance(key, bool):
        raise bad("the cursor is damaged")
    return Position(sort.spelled, bool(known) or sort.column is None, key, last)


def counts(session: Session, tests: list[ColumnElement[bool]], sort: Sort) -> tuple[int, int]:
    """How many match, and how many of those have a known key: one pass."""
    known = func.count(sort.column) if sort.column is not None else func.count()
    total, with_key = session.execute(
        select(func.count(), known).select_from(IncidentRow).where(*tests)).one()
    return int(total or 0), int(with_key or 0)


def page_ids(session: Session, tests: list[ColumnElement[bool]], sort: Sort, limit: int, *,
             offset: int = 0, after: Position | None = None, known_count: int = 0
             ) -> list[int]:
    """The ids of one page, in order: ``limit`` of them after ``after``, or at ``offset``
    (``known_count``: how many match with a known key, from ``counts``)."""
    ids: list[int] = []
    if sort.column is None:  # one segment: the ids
        query = _segment(tests, sort, known=True)
        if after is not None:
            query = query.where(IncidentRow.id < after.id if sort.descending
                                else IncidentRow.id > after.id)
        return list(session.scalars(query.limit(limit).offset(0 if after else offset)))
    if after is None:
        if offset < known_count:
            ids = list(session.scalars(_segment(tests, sort, known=True)
                                       .limit(limit).offset(offset)))
            offset = 0
        else:
            offset -= known_count
    elif after.known:
        ids = list(session.scalars(_segment(tests, sort, known=True)
                                   .where(_beyond(sort, after)).limit(limit)))
    if len(ids) < limit:
        query = _segment(tests, sort, known=False)
        if after is not None and not after.known:
            query = query.where(IncidentRow.id < after.id if sort.descending
                                else IncidentRow.id > after.id)
        ids += session.scalars(query.limit(limit - len(ids)).offset(offset))
    return ids


def _segment(tests: list[ColumnElement[bool]], sort: Sort, *, known: bool) -> Select[Any]:
    column = sort.column
    query = select(IncidentRow.id).where(*tests)
    if column is None:
        return query.order_by(IncidentRow.id.desc() if sort.descending else IncidentRow.id)
    keys: tuple[Any, ...]
    if known:
        query = query.where(column.is_not(None))
        keys = (column, IncidentRow.id)
    else:
        query = query.where(column.is_(None))
        keys = (IncidentRow.id,)
    return query.order_by(*(k.desc() if sort.descending else k.asc() for k in keys))


def _beyond(sort: Sort, after: Position) -> ColumnElement[bool]:
    """After (key, id) in the sort's direction. The row-value comparison walks the (key,
    id) index on both stores; the first test lets older planners narrow the range too."""
    column = sort.column
    pair = tuple_(column, IncidentRow.id)
    last = tuple_(literal(after.key), literal(after.id))
    if sort.descending:
        return and_(column <= after.key, pair < last)
    return and_(column >= after.key, pair > last)
