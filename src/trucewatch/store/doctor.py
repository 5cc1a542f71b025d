"""`trucewatch doctor`: is this ledger whole? Checks it without changing it.

- it opens: the file exists and is a SQLite database, or the server answers;
- SQLite's own `PRAGMA integrity_check` (every page, index and constraint) and
  `PRAGMA foreign_key_check`;
- the schema is at the newest migration (Alembic);
- no orphan rows: claims of a report or an incident that is gone, incidents with no
  claim, reviews, votes, triage and digest deliveries of incidents that are gone,
  analysts' decisions naming claims that are gone, tokens of accounts that are gone.

Each finding is a problem (the ledger is not whole, or not usable as it stands) or a
note (a state worth knowing, such as claims still waiting to be merged after an
interrupted import).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from trucewatch.store.database import (
    alembic_config,
    describe_error,
    make_engine,
    normalise_url,
    sqlite_file,
)

# Shown per check at most: a badly damaged file can list thousands of pages.
MAX_MESSAGES = 20
SHOWN = 5  # of those, in the one-paragraph finding


@dataclass(frozen=True, slots=True)
class Finding:
    level: Literal["ok", "note", "problem"]
    check: str
    message: str


# (check, what is wrong, SQL counting the rows, what to do). Plain SQL that SQLite and
# PostgreSQL both run; each query counts rows pointing at something that is not there.
ORPHAN_QUERIES: tuple[tuple[str, str, str, str], ...] = (
    ("claims", "claim(s) of a report that is not in the ledger",
     "SELECT COUNT(*) FROM claims c LEFT JOIN reports r ON r.id = c.report_id "
     "WHERE r.id IS NULL",
     "restore the ledger from a backup, or re-ingest the reports"),
    ("claims", "claim(s) of an incident that is not in the ledger",
     "SELECT COUNT(*) FROM claims c LEFT JOIN incidents i ON i.id = c.incident_id "
     "WHERE c.incident_id IS NOT NULL AND i.id IS NULL",
     "restore the ledger from a backup"),
    ("incidents", "incident(s) with no claim behind them",
     "SELECT COUNT(*) FROM incidents i WHERE NOT EXISTS "
     "(SELECT 1 FROM claims c WHERE c.incident_id = i.id)",
     "nothing in the ledger supports them; restore from a backup"),
    ("reviews", "correction(s) of an incident that is not in the ledger",
     "SELECT COUNT(*) FROM overrides o LEFT JOIN incidents i ON i.id = o.incident_id "
     "WHERE i.id IS NULL", "restore the ledger from a backup"),
    ("reviews", "review action(s) on an incident that is not in the ledger",
     "SELECT COUNT(*) FROM review_actions a LEFT JOIN incidents i ON i.id = a.incident_id "
     "WHERE i.id IS NULL", "restore the ledger from a backup"),
    ("reviews", "triage row(s) of an incident that is not in the ledger",
     "SELECT COUNT(*) FROM triage t LEFT JOIN incidents i ON i.id = t.incident_id "
     "WHERE i.id IS NULL", "restore the ledger from a backup"),
    ("reviews", "vote(s) on an incident that is not in the ledger",
     "SELECT COUNT(*) FROM votes v LEFT JOIN incidents i ON i.id = v.incident_id "
     "WHERE i.id IS NULL", "restore the ledger from a backup"),
    ("digest", "digest deliveries of an incident that is not in the ledger",
     "SELECT COUNT(*) FROM digest_deliveries d LEFT JOIN incidents i ON i.id = d.incident_id "
     "WHERE i.id IS NULL", "restore the ledger from a backup"),
    ("decisions", "analysts' split/join decision(s) naming a claim that is not in the ledger",
     "SELECT COUNT(*) FROM merge_decision_claims m LEFT JOIN claims c ON c.id = m.claim_id "
     "WHERE c.id IS NULL", "restore the ledger from a backup"),
    ("decisions", "decision claim(s) whose decision is not in the ledger",
     "SELECT COUNT(*) FROM merge_decision_claims m LEFT JOIN merge_decisions d "
     "ON d.id = m.decision_id WHERE d.id IS NULL", "restore the ledger from a backup"),
    ("accounts", "API token(s) of an account that is not in the ledger",
     "SELECT COUNT(*) FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id "
     "WHERE u.id IS NULL", "restore the ledger from a backup"),
)


def check_ledger(url: str) -> list[Finding]:
    """Every finding about the ledger at ``url``; it is healthy when none is a problem.
    Nothing is written, and a missing SQLite file is not created."""
    url = normalise_url(url)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return [Finding("problem", "open", f"no ledger at {path.absolute()}; run "
                        "'trucewatch init' to make one, or pass --db URL")]
    engine = make_engine(url)
    findings: list[Finding] = []
    try:
        with engine.connect() as connection:
            findings.append(Finding("ok", "open", _opened(connection)))
            if engine.dialect.name == "sqlite":
                findings += _sqlite_checks(connection)
            current = _migrations(connection, engine)
            findings.append(current)
            if current.level != "problem" or "behind" in current.message:
                findings += _orphans(connection)
    except DBAPIError as exc:
        findings.append(Finding("problem", "open", describe_error(exc, url)))
    finally:
        engine.dispose()
    return findings


def healthy(findings: list[Finding]) -> bool:
    return not any(f.level == "problem" for f in findings)


def _opened(connection: Connection) -> str:
    if connection.dialect.name == "sqlite":
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        size = connection.exec_driver_sql("PRAGMA page_size").scalar()
        return f"SQLite file opens: {pages} page(s) of {size} bytes"
    version = connection.exec_driver_sql("SHOW server_version").scalar()
    return f"PostgreSQL {version} answers"


def _sqlite_checks(connection: Connection) -> list[Finding]:
    findings = []
    try:
        rows = [str(r[0]) for r in connection.exec_driver_sql(
            f"PRAGMA integrity_check({MAX_MESSAGES})")]
    except DBAPIError as exc:  # damage bad enough that the whole check stops
        rows = _per_table_damage(connection) or [str(getattr(exc, "orig", exc))]
    if rows == ["ok"]:
        findings.append(Finding("ok", "integrity", "PRAGMA integrity_check: ok"))
    else:
        lines = [line.strip() for row in rows for line in row.splitlines()
                 if line.strip() and not line.startswith("***")]
        shown = "; ".join(lines[:SHOWN]) + (f"; and {len(lines) - SHOWN} more"
                                            if len(lines) > SHOWN else "")
        findings.append(Finding(
            "problem", "integrity",
            f"PRAGMA integrity_check found damage: {shown}. Restore the ledger from a "
            "backup; `sqlite3 FILE .recover` may save what is readable"))
    try:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    except DBAPIError as exc:
        findings.append(Finding("problem", "foreign keys",
                                f"PRAGMA foreign_key_check failed: {getattr(exc, 'orig', exc)}"))
        return findings
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        findings.append(Finding("problem", "foreign keys",
                                f"{len(broken)} row(s) point at rows that are gone, in "
                                + ", ".join(tables)))
    else:
        findings.append(Finding("ok", "foreign keys", "PRAGMA foreign_key_check: ok"))
    return findings


def _per_table_damage(connection: Connection) -> list[str]:
    """When integrity_check stops at the first broken page, check table by table (SQLite
    3.33 and later take a table's name) to say which tables hold damage, and where."""
    try:
        tables = connection.exec_driver_sql(
            "SELECT name, rootpage FROM sqlite_master WHERE type = 'table' "
            "AND rootpage > 0 ORDER BY name").fetchall()
    except DBAPIError:
        return []
    damaged = []
    for name, root in tables:
        try:
            rows = [str(r[0]) for r in connection.exec_driver_sql(
                f'PRAGMA integrity_check("{name}")')]
        except DBAPIError as exc:
            rows = [str(getattr(exc, "orig", exc))]
        if rows != ["ok"]:
            damaged.append(f"table {name} (B-tree from page {root}): "
                           + "; ".join(line for row in rows for line in row.splitlines()
                                       if line.strip() and not line.startswith("***")))
    return damaged


def _migrations(connection: Connection, engine: object) -> Finding:
    scripts = ScriptDirectory.from_config(alembic_config(engine))  # type: ignore[arg-type]
    head = scripts.get_current_head()
    try:
        current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        return Finding("problem", "schema", f"cannot read the schema's version: {exc}")
    if current is None:
        return Finding("problem", "schema", "not initialised (no migration applied); run "
                       "'trucewatch init'")
    if current == head:
        return Finding("ok", "schema", f"schema at the newest migration ({head})")
    known = {script.revision for script in scripts.walk_revisions()}
    if current not in known:
        return Finding("problem", "schema", f"schema at migration {current}, which this "
                       "trucewatch does not know: a newer trucewatch made it; upgrade "
                       "trucewatch")
    return Finding("problem", "schema", f"schema behind: at {current}, newest is {head}; "
                   "run 'trucewatch init' to migrate it")


def _orphans(connection: Connection) -> list[Finding]:
    findings = []
    for check, what, query, advice in ORPHAN_QUERIES:
        try:
            count = connection.execute(text(query)).scalar() or 0
        except DBAPIError as exc:
            findings.append(Finding("problem", check, f"cannot count {what}: "
                                    f"{str(getattr(exc, 'orig', exc)).splitlines()[0]}"))
            connection.rollback()  # PostgreSQL refuses more in a failed transaction
            continue
        if count:
            findings.append(Finding("problem", check, f"{count} {what}; {advice}"))
    pending = connection.execute(text(
        "SELECT COUNT(*) FROM claims WHERE incident_id IS NULL")).scalar() or 0
    if pending:
        findings.append(Finding("note", "claims", f"{pending} claim(s) wait to be merged into "
                                "incidents (an import stopped midway); the next "
                                "'trucewatch import' of any file merges them"))
    unjudged = connection.execute(text(
        "SELECT COUNT(*) FROM incidents WHERE verdict IS NULL")).scalar() or 0
    if unjudged:
        findings.append(Finding("note", "verdicts", f"{unjudged} incident(s) have no verdict "
                                "yet; 'trucewatch scenario load NAME' assesses them"))
    if not any(f.level == "problem" for f in findings):
        findings.append(Finding("ok", "orphans", "no orphan rows"))
    return findings
