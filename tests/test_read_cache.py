"""The read cache's peek: a kept answer found without computing, only at the version it
was made at, and never on a backend whose version is a round trip."""

from __future__ import annotations

from trucewatch.service.caching import ReadCache
from trucewatch.store import Database, subscriptions
from trucewatch.store.subscriptions import Subscription


def test_peek_finds_only_what_is_kept_for_this_version(store_url: str):
    db = Database(store_url)
    db.init()
    cache = ReadCache(db)
    local = db.engine.dialect.name == "sqlite"
    assert cache.local is local
    assert cache.peek("answer") == (False, None)
    calls: list[int] = []
    assert cache.get("answer", lambda: calls.append(1) or b"made") == b"made"
    assert cache.peek("answer") == ((True, b"made") if local else (False, None))
    assert calls == [1]  # peeking never computes
    subscriptions.save_subscription(db, Subscription("monitor@example.org"))  # a write
    assert cache.peek("answer") == (False, None)  # the ledger changed: not served
