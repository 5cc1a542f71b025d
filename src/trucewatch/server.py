"""The one place the HTTP edges meet: ``create_app`` builds the FastAPI app with the
JSON API (``trucewatch.api``) and the dashboard's pages (``trucewatch.web``). Neither
edge imports the other; what both need (the ledger and settings of a request, the
session cookie, the presenters) lives in ``trucewatch.edge``.

Nothing is built at import time: each call makes a new app with its own settings,
ledger and signing keys, so tests make one per case."""

from __future__ import annotations

import gc
import hashlib
import logging
import secrets

from fastapi import FastAPI
from itsdangerous import URLSafeTimedSerializer
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from trucewatch import api, web
from trucewatch.edge import serving
from trucewatch.edge.kept import KeptAnswers
from trucewatch.pipeline import default_gazetteer
from trucewatch.service import Ledger
from trucewatch.settings import Settings, load_settings
from trucewatch.web.pages import content_policy

log = logging.getLogger("trucewatch.server")


def create_app(settings: Settings | None = None, *, ledger: Ledger | None = None,
               freeze_heap: bool = False) -> FastAPI:
    """Build the API and the pages over a ledger (by default the one at
    settings.database_url, reading reports with the gazetteer the settings name).
    ``freeze_heap``: for a process that serves this one app until it exits ('trucewatch
    serve'), see _prepare.

    The store must be initialised ('trucewatch init'); until it is, requests answer 503
    with that advice."""
    settings = settings or load_settings()
    app = FastAPI(
        title="trucewatch",
        summary="The ledger of a ceasefire: agreements, reports, incidents and verdicts.",
        description=api.DESCRIPTION,
        version="0.1.0",
        openapi_url="/openapi.json",
        # FastAPI's docs page loads Swagger UI from a CDN; nothing may be fetched at run
        # time, so it stays off until the dashboard's build vendors its assets.
        docs_url=None,
        redoc_url=None,
        lifespan=serving.lifespan(_prepare, _finish),
    )
    app.state.settings = settings
    app.state.freeze_heap = freeze_heap
    app.state.ledger = ledger or Ledger(settings.database_url,
                                        gazetteer=lambda: default_gazetteer(settings))
    secret_key = settings.secret_key
    if not secret_key:
        secret_key = secrets.token_urlsafe(32)
        log.warning("TRUCEWATCH_SECRET_KEY is not set: browser sessions end when the "
                    "server restarts")
    # Both edges read these (trucewatch.edge.session): the API's logins set the cookie
    # the pages read, and the pages hand out the CSRF token the API checks.
    app.state.signer = URLSafeTimedSerializer(secret_key, salt="trucewatch-session")
    app.state.csrf_key = hashlib.sha256(b"trucewatch-csrf:" + secret_key.encode()).digest()
    api.install(app)
    web.install(app)  # the dashboard's pages and static files, left out of /openapi.json
    # Errors on the pages are pages; the API's stay JSON (edge/serving.py).
    serving.errors_by_audience(app, api.errors.HANDLERS)
    serving.public_reads_in_openapi(app, settings.public_read)
    # Added after (so outside) the API's body limit, inside the security headers: a kept
    # list page, incident or incident's page by its address, before routing (edge/kept.py).
    app.add_middleware(KeptAnswers)
    # Outermost first: headers on every answer, errors included; then the client's address.
    app.add_middleware(serving.SecurityHeaders, policy=content_policy(settings.tile_url or ""))
    # X-Forwarded-For and -Proto believed only from the proxies named (default: none);
    # 'trucewatch serve' turns uvicorn's own handling (which trusts loopback) off.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=serving.trusted_proxies(
        settings.forwarded_allow_ips))
    return app


def _prepare(app: FastAPI) -> None:
    """At start, in a thread: bring the search indexes up to date (after a large import,
    the first search would otherwise pay for it), count the days the timeline opens on
    and the incidents the list pages through under each sort (kept until the ledger
    changes), read the scenario and one incident (the first incident asked for paid 35 ms
    of CPU for them, 60 ms of waiting under load) and load the PDF renderer (a third of
    the first briefing's CPU otherwise); first of all, have the routes made ready (each
    router's first request would build them)."""
    serving.build_routes(app)
    ledger: Ledger = app.state.ledger
    if ledger.db.engine.dialect.name in ("sqlite", "postgresql"):
        ledger.db.require_current()
        ledger.prepare_reading()
        ledger.daily_counts()
        ledger.prepare_answers()
        ledger.prepare_provenance()
        ledger.prepare_printing()
    if app.state.freeze_heap:
        # What is loaded by now (modules, settings, the scenario, the renderer) lives as
        # long as the server: set aside, the collector's full passes no longer walk it.
        # They took 0.2-0.3 s each with every answer waiting (200,533 incidents, load 5:
        # bench/serving.py's first 8-client list load, p99 139 and 34 ms, 2,400-2,600/s;
        # frozen, 34 and 27 ms, 3,700/s). Not for an app among many in one process
        # (tests): what is frozen and later dropped in a cycle is never collected.
        gc.freeze()


def _finish(app: FastAPI) -> None:
    ledger: Ledger = app.state.ledger
    ledger.stop_jobs()


def app_from_environment() -> FastAPI:
    """The app as 'trucewatch serve --workers N' starts it in each worker process: settings
    from the environment (the command sets TRUCEWATCH_DATABASE_URL for them); its log
    records as lean as the single process's (edge/serving.lean_logging)."""
    serving.lean_logging()
    return create_app(load_settings(), freeze_heap=True)


__all__ = ["app_from_environment", "create_app"]
