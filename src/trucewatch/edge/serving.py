"""What the server does for every answer, whichever edge gives it: the security headers,
errors shown to each audience in its own form (a page for a person, the one JSON shape for
a client), the proxies believed, the OpenAPI description of public reading, and the work
started with the server (server.create_app wires them)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trucewatch.errors import TrucewatchError

log = logging.getLogger("trucewatch.server")

# Paths whose errors are for programs (JSON); every other path is a page for people.
MACHINE_PATHS = ("/api/", "/feeds/", "/static/", "/openapi.json")


class SecurityHeaders:
    """ASGI middleware: nosniff, the content policy and the referrer policy on every
    answer (JSON, files, the feed, errors), unless the route set its own."""

    def __init__(self, app: ASGIApp, policy: str) -> None:
        self.app = app
        self.headers = [(b"x-content-type-options", b"nosniff"),
                        (b"content-security-policy", policy.encode()),
                        (b"referrer-policy", b"same-origin")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)


def trusted_proxies(setting: str) -> list[str]:
    """forwarded_allow_ips as uvicorn's middleware takes it; empty: nobody."""
    return [part.strip() for part in setting.split(",") if part.strip()]


def wants_page(request: Request) -> bool:
    """A person's browser on a page: not a machine path, and HTML acceptable."""
    if request.url.path.startswith(MACHINE_PATHS):
        return False
    accept = request.headers.get("accept", "")
    return not accept or "text/html" in accept or "*/*" in accept


def errors_by_audience(app: FastAPI,
                       handlers: dict[type[Exception], Callable[[Request, Exception],
                                                                JSONResponse]]) -> None:
    """Replace each JSON error handler with one that answers a page's request with an
    HTML page saying the same (status, message, headers such as Retry-After)."""
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, _either(handler))


def _either(handler: Callable[[Request, Exception], JSONResponse]
            ) -> Callable[[Request, Exception], Response]:
    def answer(request: Request, exc: Exception) -> Response:
        response = handler(request, exc)
        if not wants_page(request):
            return response
        error = json.loads(bytes(response.body))["error"]
        return error_page(request, response.status_code, error["message"],
                          {k: v for k, v in response.headers.items()
                           if k.lower() in ("retry-after", "www-authenticate")})
    return answer


TITLES = {400: "Bad request", 401: "Log in first", 403: "Not allowed", 404: "Not found",
          405: "Not here", 413: "Too large", 422: "Not understood", 429: "Too many tries",
          503: "The ledger is not ready"}


def error_page(request: Request, status: int, message: str,
               headers: dict[str, str] | None = None) -> Response:
    """The dashboard's error page (web/templates/error.html), or plain HTML when the app
    has no templates."""
    title = TITLES.get(status, "Something went wrong" if status >= 500 else "Error")
    templates = getattr(request.app.state, "templates", None)
    if templates is None:
        from html import escape

        return HTMLResponse(f"<!doctype html><title>{escape(title)}</title><h1>"
                            f"{escape(title)}</h1><p>{escape(message)}</p>", status, headers)
    return templates.TemplateResponse(
        request, "error.html", {"title": title, "message": message, "user": None,
                                "csrf_token": "", "tile_url": "", "is_analyst": False},
        status_code=status, headers=headers)


# --- the OpenAPI description -----------------------------------------------------------------


def public_reads_in_openapi(app: FastAPI, public_read: bool) -> None:
    """In public mode, the operations a reader may call without logging in say so: their
    security requirements list the empty one ({}) beside the bearer token and cookie."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                                 description=app.description, routes=app.routes)
            if public_read:
                for route in _api_routes(app):
                    if route.include_in_schema and _needs(route.dependant, "require_reader"):
                        for method in route.methods:
                            operation = schema["paths"][route.path_format].get(method.lower())
                            if operation is not None and {} not in operation.get(
                                    "security", []):
                                operation["security"] = [{}, *operation.get("security", [])]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _api_routes(app: FastAPI) -> list[Any]:
    """Every API route with its full path, through the included routers (as FastAPI's
    own OpenAPI builder walks them)."""
    from fastapi import routing
    from fastapi.openapi.utils import _get_api_route_for_openapi

    found = [_get_api_route_for_openapi(c) for c in routing.iter_route_contexts(app.routes)]
    return [route for route in found if route is not None]


def _needs(dependant: Dependant, name: str) -> bool:
    return any(getattr(d.call, "__name__", "") == name or _needs(d, name)
               for d in dependant.dependencies)


# --- work started with the server --------------------------------------------------------------


def lifespan(prepare: Callable[[FastAPI], None], finish: Callable[[FastAPI], None]
             ) -> Callable[[FastAPI], Any]:
    """A lifespan that runs ``prepare`` in a thread once the server starts (so it answers
    at once) and ``finish`` when it stops."""
    @asynccontextmanager
    async def running(app: FastAPI) -> AsyncIterator[None]:
        thread = threading.Thread(target=_logged, args=(prepare, app), daemon=True,
                                  name="trucewatch-prepare")
        thread.start()
        try:
            yield
        finally:
            finish(app)

    return running


def build_routes(app: FastAPI) -> None:
    """Have every route made ready now. FastAPI (0.16x) builds a router's routes (their
    fields, validators and dependencies) when a request is first matched against them:
    150-300 ms of CPU, paid by whichever request came first (the daily stats first asked
    for took 110-294 ms of CPU, 2-7 ms once built). Matching a path no route has walks
    them all; with a FastAPI that builds them up front it costs nothing."""
    scope: Scope = {"type": "http", "method": "GET", "path": "/\x00", "root_path": "",
                    "query_string": b"", "headers": []}
    for route in app.router.routes:
        route.matches(scope)


def lean_logging() -> None:
    """For a server process: log records stop gathering what no format of the server's
    reads (uvicorn's name the level, the client, the request and the status): the calling
    frame's file and line, the thread's and process's names (the Logging HOWTO's
    'Optimization'). Each answer's access-log line cost a tenth of a kept answer's CPU
    more with them (200,533 incidents, wrk's mixed load: 0.15 -> 0.13 ms an answer)."""
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # the HOWTO names it


def _logged(work: Callable[[FastAPI], None], app: FastAPI) -> None:
    try:
        work(app)
    except TrucewatchError as exc:  # a store not initialised yet: requests say so (503)
        log.warning("not prepared at start: %s", exc)
    except Exception:  # the server still answers; the work is done again on first use
        log.exception("preparing the ledger at start failed")
