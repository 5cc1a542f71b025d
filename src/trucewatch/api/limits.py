"""A limit on the size of request bodies: a body over it is a 413 ``too_large`` in the one
error shape, refused by its Content-Length before a byte is read, or as soon as a body
sent without one (chunked) passes the limit. Nothing is parsed or stored.

The limit is the ``max_request_bytes`` setting (5 MB), or less when ``max_input_bytes``
is small: twice it plus 1 MiB, room for a report's text at that limit written with JSON
escapes, and for the other fields. The route still holds the text itself to
``max_input_bytes`` (a 422 naming the field).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trucewatch.api.errors import error_response


def body_limit(max_input_bytes: int) -> int:
    return 2 * max_input_bytes + (1 << 20)


class BodyLimit:
    """ASGI middleware that refuses request bodies over ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    def _message(self) -> str:
        return f"request body over the limit of {self.limit:,} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await error_response(413, self._message())(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:  # the route is reading it: its handlers answer
                raise HTTPException(413, self._message())
            return message

        await self.app(scope, counted, send)
