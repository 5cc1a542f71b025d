"""The application factory. Nothing is built at import time: each call makes a new app
with its own settings, ledger and signing keys, so tests make one per case."""

from __future__ import annotations

import hashlib
import logging
import secrets

from fastapi import FastAPI
from itsdangerous import URLSafeTimedSerializer

from trucewatch import web
from trucewatch.api import errors
from trucewatch.api.ratelimit import LoginLimiter
from trucewatch.api.routes import (
    auth,
    briefings,
    feeds,
    incidents,
    ledger_frame,
    merges,
    reports,
    review,
    searches,
    stats,
    users,
)
from trucewatch.ledger import Ledger
from trucewatch.pipeline import default_gazetteer
from trucewatch.settings import Settings, load_settings

log = logging.getLogger("trucewatch.api")

DESCRIPTION = """\
The ledger of a ceasefire as JSON: incidents with their evidence and verdicts, zones
(GeoJSON, with dated boundary versions), agreements and declarations, daily counts, and
the analysts' review.

Every error has one shape: `{"error": {"status", "code", "message", "details"}}`.

Reading needs no login when the server runs in public mode (`TRUCEWATCH_PUBLIC_READ`);
reviewing needs the analyst role, ingesting and accounts the admin role. Scripts log in
with `POST /api/auth/token` and send `Authorization: Bearer <token>`; browsers with
`POST /api/auth/login` (a session cookie) and send the `X-CSRF-Token` it returns on
every POST, PUT, PATCH and DELETE.

Text from reports is returned verbatim: escape it before putting it in a page.
"""


def create_app(settings: Settings | None = None, *, ledger: Ledger | None = None) -> FastAPI:
    """Build the API over a ledger (by default the one at settings.database_url).

    The store must be initialised ('trucewatch init'); until it is, requests answer 503
    with that advice."""
    settings = settings or load_settings()
    app = FastAPI(
        title="trucewatch",
        summary="The ledger of a ceasefire: agreements, reports, incidents and verdicts.",
        description=DESCRIPTION,
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
    app.state.signer = URLSafeTimedSerializer(secret_key, salt="trucewatch-session")
    app.state.csrf_key = hashlib.sha256(b"trucewatch-csrf:" + secret_key.encode()).digest()
    app.state.login_limiter = LoginLimiter()
    errors.install(app)
    for module in (incidents, review, reports, ledger_frame, stats, searches, auth, users):
        app.include_router(module.router)
    app.include_router(merges.router)  # analysts' split and join
    app.include_router(feeds.router)  # /feeds/violations.atom
    app.include_router(briefings.router)  # /api/briefings/briefing.pdf
    web.install(app)  # the dashboard's pages and static files, left out of /openapi.json
    return app
