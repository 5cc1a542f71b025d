"""Full-text search over the ledger, in any script, any case, accents ignored.

Two indexes (migration 0010): ``search_claims`` holds, per claim, the words of its place
(name, the text it was read from, admin areas, country), its actors, the sources it cites,
its dataset id and a dataset's notes; ``search_reports`` the title, outlet and text of
each article (a dataset's file report is not a story and is left out). An incident matches
when one of its claims or one of its claims' reports does, or an analyst's correction of
its place or perpetrator holds the words.

- SQLite: FTS5 tables, ``tokenize = "unicode61 remove_diacritics 2"``.
- PostgreSQL: a tsvector per row (the 'simple' configuration, through ``unaccent`` when
  the server has it) under a GIN index.

The writers do not index row by row (an FTS insert from a trigger costs SQLite fifteen
times a plain one, which an import of a million rows would pay): ``catch_up`` indexes
every claim and report past a high-water mark in one statement each, before a search
reads, and the rows changed or deleted since (recorded by triggers in ``search_stale``).
A search never misses what was committed before it started.

Each word of a query matches as the start of a word ('Dara' finds Daraa); all words must
match in the same claim or report.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.sqltypes import NullType

from trucewatch.store.database import Database

log = logging.getLogger("trucewatch.store.search")

MAX_WORDS = 12  # more words than this are ignored (all must match anyway)
MAX_DOC = 400_000  # characters of a report's text indexed (PostgreSQL caps a tsvector at 1 MB)

# Not part of the ORM's tables: the FTS5 tables are virtual, and these are written only here.
_meta = MetaData()
search_claims = Table("search_claims", _meta, Column("rowid", BigInteger, primary_key=True),
                      Column("doc", Text))
search_reports = Table("search_reports", _meta, Column("rowid", BigInteger, primary_key=True),
                       Column("doc", Text))
search_marks = Table("search_marks", _meta, Column("name", String(16), primary_key=True),
                     Column("mark", BigInteger))

# The words indexed, as SQL over one row of claims or reports (each dialect's way to list
# a JSON array's strings; the text capped).
CLAIM_DOC = {
    "sqlite": ("coalesce(location_name, '') || ' ' || coalesce(location_text, '') || ' ' || "
               "coalesce(admin1, '') || ' ' || coalesce(admin2, '') || ' ' || "
               "coalesce(country, '') || ' ' || coalesce(perpetrator, '') || ' ' || "
               "coalesce(perpetrator_actor, '') || ' ' || coalesce(target, '') || ' ' || "
               "coalesce(target_actor, '') || ' ' || coalesce(external_id, '') || ' ' || "
               "coalesce(notes, '') || ' ' || coalesce((SELECT group_concat(value, ' ') "
               "FROM json_each(claims.sources)), '')"),
    "postgresql": ("concat_ws(' ', location_name, location_text, admin1, admin2, country, "
                   "perpetrator, perpetrator_actor, target, target_actor, external_id, notes, "
                   "(SELECT string_agg(value, ' ') FROM "
                   "json_array_elements_text(claims.sources)))"),
}
REPORT_DOC = {
    "sqlite": f"coalesce(title, '') || ' ' || coalesce(outlet, '') || ' ' || "
              f"substr(coalesce(text, ''), 1, {MAX_DOC})",
    "postgresql": f"concat_ws(' ', title, outlet, left(text, {MAX_DOC}))",
}
_SOURCES = {"claims": ("search_claims", CLAIM_DOC, "TRUE"),
            "reports": ("search_reports", REPORT_DOC, "kind <> 'dataset'")}

_WORD = re.compile(r"\w+")


def words(query: str) -> list[str]:
    """The words of a query as the indexes hold them: folded case, accents and other
    combining marks dropped, split on anything that is not a letter or digit."""
    decomposed = unicodedata.normalize("NFKD", query.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [w for w in _WORD.findall(plain.replace("_", " "))][:MAX_WORDS]


class Match(ColumnElement[bool]):
    """``table`` holds all of ``words`` (each as a word's start): FTS5's MATCH on SQLite,
    tsvector @@ tsquery on PostgreSQL."""

    inherit_cache = False
    type = NullType()  # type: ignore[assignment]  # a Boolean would be rendered "MATCH ? = 1" on SQLite, which FTS5 refuses

    def __init__(self, table: Table, found: list[str]) -> None:
        self.table = table
        self.words = found


@compiles(Match, "sqlite")
def _match_sqlite(element: Match, compiler: SQLCompiler, **kw: Any) -> str:
    query = " ".join(f'"{word}"*' for word in element.words)  # words are \w+: no quotes
    return f"{element.table.name} MATCH {compiler.process(bindparam(None, query), **kw)}"


@compiles(Match, "postgresql")
def _match_postgresql(element: Match, compiler: SQLCompiler, **kw: Any) -> str:
    query = " & ".join(f"{word}:*" for word in element.words)
    return (f"{element.table.name}.doc @@ to_tsquery('simple', "
            f"{compiler.process(bindparam(None, query), **kw)})")


@compiles(Match)
def _match_other(element: Match, compiler: SQLCompiler, **kw: Any) -> str:
    raise NotImplementedError("full-text search needs SQLite or PostgreSQL")


def matching_claims(found: list[str]) -> Any:
    """SELECT the ids of the claims whose words hold ``found``."""
    return select(search_claims.c.rowid).where(Match(search_claims, found))


def matching_reports(found: list[str]) -> Any:
    return select(search_reports.c.rowid).where(Match(search_reports, found))


def mark(name: str) -> Any:
    """How far the index of ``name`` (claims, reports) goes, as a scalar subquery: rows
    past it are not indexed yet."""
    return (select(search_marks.c.mark).where(search_marks.c.name == name)
            .scalar_subquery())


# --- keeping the indexes current --------------------------------------------------------------


def catch_up(db: Database) -> int:
    """Index the claims and reports stored since the last call, and those changed or
    deleted; how many rows were (re)indexed. Cheap when there is nothing to do: three
    small reads. Safe from several processes at once (the marks are locked)."""
    if not _behind(db):
        return 0
    done = 0
    dialect = db.engine.dialect.name
    with db.transaction() as session:
        # Take the write lock first, so the marks read next are the latest (SQLite) and no
        # other process indexes the same rows (both).
        if dialect == "postgresql":
            session.execute(text("SELECT mark FROM search_marks FOR UPDATE"))
        else:
            session.execute(text("UPDATE search_marks SET mark = mark"))
        for name, (table, doc, which) in _SOURCES.items():
            done += _index(session, dialect, name, table, doc[dialect], which)
    return done


def _behind(db: Database) -> bool:
    with db.reading() as session:
        marks: dict[str, int] = {name: mark for name, mark in session.execute(
            select(search_marks.c.name, search_marks.c.mark))}
        stale = session.scalar(text("SELECT 1 FROM search_stale LIMIT 1"))
        tops = {name: session.scalar(text(f"SELECT max(id) FROM {name}")) or 0
                for name in _SOURCES}
    return bool(stale) or any(tops[name] > (marks.get(name) or 0) for name in _SOURCES)


def _index(session: Any, dialect: str, name: str, table: str, doc: str, which: str) -> int:
    mark = session.scalar(text("SELECT mark FROM search_marks WHERE name = :n"), {"n": name})
    top = session.scalar(text(f"SELECT max(id) FROM {name}")) or 0
    stale = f"SELECT id FROM search_stale WHERE kind = '{name}'"
    session.execute(text(f"DELETE FROM {table} WHERE rowid IN ({stale})"))
    value = doc if dialect == "sqlite" else f"to_tsvector('simple', {_fold(session)}({doc}))"
    added = session.execute(text(
        f"INSERT INTO {table} (rowid, doc) SELECT id, {value} FROM {name} "
        f"WHERE ({which}) AND ((id > :mark AND id <= :top) OR id IN ({stale}))"),
        {"mark": mark or 0, "top": top}).rowcount
    session.execute(text(f"DELETE FROM search_stale WHERE kind = '{name}'"))
    session.execute(text("UPDATE search_marks SET mark = :top WHERE name = :n"),
                    {"top": max(top, mark or 0), "n": name})
    if added > 1000:
        log.info("indexed %d %s for search", added, name)
    return int(added or 0)


def _fold(session: Any) -> str:
    """unaccent where the server has it (migration 0010 enables it when it may)."""
    has = session.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'"))
    return "unaccent" if has else ""
