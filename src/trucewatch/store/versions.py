"""The ledger's version: a value that changes whenever anything a reader sees was written,
by this process or any other, read in well under a millisecond. Caches key what they keep
by it (service/caching.py), so nothing stale is ever served.

- SQLite has it built in: ``PRAGMA data_version`` on a connection of its own changes
  whenever another connection, in any process, commits to the file. The watcher keeps one
  such connection that never writes.
- PostgreSQL: ``ledger_version.n``, bumped once per statement that writes one of the
  ledger's tables (triggers of migration 0010), so every server process reads the same.

A store with neither (an in-memory SQLite, a PostgreSQL before 0010) has no version:
``current`` is None and callers do not cache.
"""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from trucewatch.store.database import Database, sqlite_file


class VersionWatch:
    """Reads a store's version; one per ledger and process."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._path = sqlite_file(db.url) if db.engine.dialect.name == "sqlite" else None

    def current(self) -> int | None:
        if self.db.engine.dialect.name == "postgresql":
            return self._postgresql()
        if self._path is None or not self._path.exists():
            return None
        with self._lock:  # one sqlite3 connection, shared by the server's threads
            try:
                if self._connection is None:
                    self._connection = sqlite3.connect(
                        f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
                row = self._connection.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                self._connection = None
                return None
        return int(row[0])

    def _postgresql(self) -> int | None:
        try:
            with self.db.engine.connect() as connection:
                value = connection.execute(
                    text("SELECT n FROM ledger_version WHERE id = 1")).scalar()
        except SQLAlchemyError:
            return None
        return int(value) if value is not None else None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
