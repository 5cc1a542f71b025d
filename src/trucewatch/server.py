"""The one place the HTTP edges meet: ``create_app`` builds the FastAPI app with the
JSON API (``trucewatch.api``) and the dashboard's pages (``trucewatch.web``). Neither
edge imports the other; what both need (the ledger and settings of a request, the
session cookie, the presenters) lives in ``trucewatch.edge``.

Nothing is built at import time: each call makes a new app with its own settings,
ledger and signing keys, so tests make one per case."""

from __future__ import annotations

import hashlib
import logging
import secrets

from fastapi import FastAPI
from itsdangerous import URLSafeTimedSerializer

from trucewatch import api, web
from trucewatch.ledger import Ledger
from trucewatch.pipeline import default_gazetteer
from trucewatch.settings import Settings, load_settings

log = logging.getLogger("trucewatch.server")


def create_app(settings: Settings | None = None, *, ledger: Ledger | None = None) -> FastAPI:
    """Build the API and the pages over a ledger (by default the one at
    settings.database_url, reading reports with the gazetteer the settings name).

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
    )
    app.state.settings = settings
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
    return app


__all__ = ["create_app"]
