"""reading at scale: full-text search indexes, the list's sort indexes, a ledger version

Revision ID: 0010_reading_at_scale
Revises: 0009_effective_values
Create Date: 2026-12-04

- Full-text search (store/search.py): ``search_claims`` and ``search_reports`` (SQLite:
  FTS5 with ``unicode61 remove_diacritics 2``; PostgreSQL: a tsvector under a GIN index,
  through ``unaccent`` when the server has it and the account may enable it),
  ``search_marks`` (how far each is indexed) and ``search_stale`` (rows changed or
  deleted since, recorded by triggers). The indexes start empty: the first search, or
  the server at start, fills them.
- The incident list's sorts (store/paging.py) walk an index on (key, id): PostgreSQL
  gets (event_date, id) and (killed_best, id); SQLite's indexes hold the rowid already, so
  it only gets killed_best's.
- PostgreSQL: ``ledger_version``, bumped once per statement that writes the ledger's
  tables, so that every server process can tell in one read that its caches are stale
  (store/versions.py). SQLite has this built in (PRAGMA data_version).
"""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0010_reading_at_scale"
down_revision = "0009_effective_values"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

CLAIM_WORDS = ("location_name, location_text, admin1, admin2, country, perpetrator, "
               "perpetrator_actor, target, target_actor, external_id, notes, sources")
REPORT_WORDS = "title, outlet, text, kind"
# The tables whose writes change what a reader sees (lists, counts, feed, briefings).
VERSIONED = ("incidents", "claims", "reports", "triage", "overrides", "votes",
             "review_actions", "scenarios", "merge_decisions")


def upgrade() -> None:
    # Every statement may run again on a ledger that has it all (a ledger stamped back to
    # an older revision and upgraded, as tests/test_one_ledger.py does).
    dialect = op.get_bind().dialect.name
    op.execute("CREATE TABLE IF NOT EXISTS search_marks "
               "(name VARCHAR(16) PRIMARY KEY, mark BIGINT NOT NULL)")
    op.execute("INSERT INTO search_marks (name, mark) VALUES ('claims', 0), ('reports', 0) "
               "ON CONFLICT DO NOTHING")
    op.execute("CREATE TABLE IF NOT EXISTS search_stale "
               "(kind VARCHAR(16) NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (kind, id))")
    if dialect == "postgresql":
        _postgresql()
    else:
        _sqlite()


def _sqlite() -> None:
    for table in ("search_claims", "search_reports"):
        op.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(doc, "
                   "tokenize = 'unicode61 remove_diacritics 2')")
    for name, words in (("claims", CLAIM_WORDS), ("reports", REPORT_WORDS)):
        for event, row in (("DELETE", "old"), (f"UPDATE OF {words}", "new")):
            trigger = f"search_{name}_{event.split()[0].lower()}"
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {trigger} AFTER {event} ON {name} BEGIN "
                       f"INSERT OR IGNORE INTO search_stale (kind, id) VALUES "
                       f"('{name}', {row}.id); END")
    op.execute("CREATE INDEX IF NOT EXISTS ix_incidents_killed_best ON incidents (killed_best)")


def _postgresql() -> None:
    connection = op.get_bind()
    savepoint = connection.begin_nested()  # a refused CREATE EXTENSION must not abort it all
    try:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        savepoint.commit()
    except DBAPIError as exc:
        savepoint.rollback()
        log.warning("unaccent not enabled (%s); searches match accents as written",
                    str(exc).splitlines()[0])
    for table in ("search_claims", "search_reports"):
        op.execute(f"CREATE TABLE IF NOT EXISTS {table} "
                   "(rowid BIGINT PRIMARY KEY, doc TSVECTOR NOT NULL)")
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_doc ON {table} USING gin (doc)")
    for name, words in (("claims", CLAIM_WORDS), ("reports", REPORT_WORDS)):
        op.execute(f"""
            CREATE OR REPLACE FUNCTION search_stale_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO search_stale (kind, id) VALUES ('{name}', OLD.id)
                ON CONFLICT DO NOTHING;
                RETURN NULL;
            END $$""")
        op.execute(f"DROP TRIGGER IF EXISTS search_{name}_stale ON {name}")
        op.execute(f"CREATE TRIGGER search_{name}_stale AFTER DELETE OR UPDATE OF {words} "
                   f"ON {name} FOR EACH ROW EXECUTE FUNCTION search_stale_{name}()")
    for key in ("event_date", "killed_best"):
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_incidents_{key}_id ON incidents ({key}, id)")
    op.execute("CREATE TABLE IF NOT EXISTS ledger_version "
               "(id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
    op.execute("INSERT INTO ledger_version (id, n) VALUES (1, 0) ON CONFLICT DO NOTHING")
    op.execute("""
        CREATE OR REPLACE FUNCTION ledger_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE ledger_version SET n = n + 1 WHERE id = 1;
            RETURN NULL;
        END $$""")
    for table in VERSIONED:
        op.execute(f"DROP TRIGGER IF EXISTS ledger_version_{table} ON {table}")
        op.execute(f"CREATE TRIGGER ledger_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                   f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                   "EXECUTE FUNCTION ledger_version_bump()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in VERSIONED:
            op.execute(f"DROP TRIGGER IF EXISTS ledger_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ledger_version_bump()")
        op.execute("DROP TABLE IF EXISTS ledger_version")
        op.execute("DROP INDEX IF EXISTS ix_incidents_event_date_id")
        op.execute("DROP INDEX IF EXISTS ix_incidents_killed_best_id")
        for name in ("claims", "reports"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{name}_stale ON {name}")
            op.execute(f"DROP FUNCTION IF EXISTS search_stale_{name}()")
    else:
        op.execute("DROP INDEX IF EXISTS ix_incidents_killed_best")
        for name in ("claims", "reports"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{name}_delete")
            op.execute(f"DROP TRIGGER IF EXISTS search_{name}_update")
    for table in ("search_claims", "search_reports", "search_stale", "search_marks"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
