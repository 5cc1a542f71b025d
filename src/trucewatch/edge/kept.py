"""Kept answers by their address: a GET of the incident list, of one incident or of an
incident's page that was answered 200 is answered again, while the ledger stays the same,
from the ledger's read cache (service/caching.py) by its exact path and query string,
before routing, query parsing and the dependencies run (two thirds of a kept answer's
CPU in the app; an incident's page 0.70 -> 0.1 ms).

Only where that skips nothing that could change the answer: a public ledger
(``public_read``, so nobody needs to log in to read), a request that presents no
credentials (a wrong token must still be a 401), and a store whose version is read
locally (SQLite; ReadCache.peek). An answer is kept at the version read before the route
ran, so one made from a newer ledger is never served for an older version, nor an older
one for a newer version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from trucewatch.service import Ledger

# The list; one incident below it, and an incident's page (web/pages.py: the same for
# everyone not logged in), each an id after the prefix.
LIST, ONE = "/api/incidents", ("/api/incidents/", "/incidents/")
_SESSION = b"trucewatch_session="  # edge/session.py's SESSION_COOKIE


class KeptAnswers:
    """ASGI middleware, inside the security headers (server.py adds both)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Apps in one process may share a ledger, and so its cache (tests do), with other
        # settings: a page names the tile server. Each serves only the answers it made.
        self.maker = object()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _eligible(scope):
            await self.app(scope, receive, send)
            return
        ledger: Ledger = scope["app"].state.ledger
        cache = ledger.read_cache
        key = ("address", scope["path"], scope["query_string"])
        hit, kept = cache.peek(key)
        if hit and kept[0] is self.maker:
            _maker, headers, body = kept
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        version = cache.version() if cache.local else None
        if version is None:
            await self.app(scope, receive, send)
            return
        answer: dict[str, Any] = {}

        async def keeping(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                answer.setdefault("body", []).append(message.get("body", b""))
                if answer.get("status") == 200 and not message.get("more_body", False):
                    cache.put(key, (self.maker, answer["headers"], b"".join(answer["body"])),
                              version)
            await send(message)

        await self.app(scope, receive, keeping)


def _eligible(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    if not _kept_address(scope["path"]):
        return False
    app = scope.get("app")
    if app is None or not app.state.settings.public_read:
        return False
    for name, value in scope["headers"]:
        if name == b"authorization" or (name == b"cookie" and _SESSION in value):
            return False
    return True


def _kept_address(path: str) -> bool:
    if path == LIST:
        return True
    for prefix in ONE:
        if path.startswith(prefix):
            return "/" not in path[len(prefix):]
    return False
