"""Answers kept while the ledger stays the same: the list's counts, the daily counts, the
Atom feed, the briefings. Each is kept with the ledger version it was computed at
(store/versions.py) and served only while the version is the same, so a write by any
process (an import, a correction, a new report) invalidates everything at once, and a
reader never sees an answer older than the last commit before its request.

In memory, per process, bounded (least recently used dropped first). Two requests for the
same missing answer at once compute it once: the second waits for the first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from trucewatch.store.database import Database
from trucewatch.store.versions import VersionWatch

T = TypeVar("T")
MAX_ENTRIES = 2048


class ReadCache:
    def __init__(self, db: Database, max_entries: int = MAX_ENTRIES) -> None:
        self.watch = VersionWatch(db)
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = 0
        # SQLite's version is a PRAGMA on a local file (microseconds); PostgreSQL's is a
        # round trip, which an async caller must not wait for on its event loop.
        self.local = db.engine.dialect.name == "sqlite"

    def version(self) -> int | None:
        return self.watch.current()

    def get(self, key: Hashable, compute: Callable[[], T], *,
            version: int | None = None) -> T:
        """The answer kept for ``key`` at the current version, else ``compute()``'s."""
        if version is None:
            version = self.version()
        if version is None:  # a store without a version: never cache
            return compute()
        found = self._lookup(key, version)
        if found is not _MISSING:
            return found
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:  # one computation per key at a time
            found = self._lookup(key, version)
            if found is not _MISSING:
                return found
            value = compute()
            with self._lock:
                self.misses += 1
                self._entries[key] = (version, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._computing.pop(key, None)
        return value

    def put(self, key: Hashable, value: Any, version: int) -> None:
        """Keep ``value`` for ``key`` as the answer at ``version`` (read before it was
        made: kept at an older version than its own, it is never served)."""
        with self._lock:
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def peek(self, key: Hashable) -> tuple[bool, Any]:
        """(True, the answer kept for ``key`` at the current version), without computing
        or waiting, where the version is read locally; else (False, None). Lets an async
        route answer from the cache without a hop to the thread pool."""
        if not self.local:
            return False, None
        version = self.version()
        found = _MISSING if version is None else self._lookup(key, version)
        return (False, None) if found is _MISSING else (True, found)

    def _lookup(self, key: Hashable, version: int) -> Any:
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None and kept[0] == version:
                self._entries.move_to_end(key)
                self.hits += 1
                return kept[1]
        return _MISSING

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_MISSING = object()
