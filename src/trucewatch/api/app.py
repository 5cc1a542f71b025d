"""The JSON API's part of the app: its error handlers, the login limiter and one router
per resource, installed by ``trucewatch.server.create_app`` on the app it builds."""

from __future__ import annotations

from fastapi import FastAPI

from trucewatch.api import errors
from trucewatch.api.limits import BodyLimit, body_limit
from trucewatch.api.ratelimit import LoginLimiter
from trucewatch.api.routes import (
    aggregates,
    auth,
    briefings,
    feeds,
    incidents,
    ledger_frame,
    merges,
    overview,
    reports,
    review,
    searches,
    stats,
    users,
)

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


def install(app: FastAPI) -> None:
    """Add the API's routes and error handlers to an app made by server.create_app."""
    app.state.login_limiter = LoginLimiter()
    errors.install(app)
    settings = app.state.settings
    app.add_middleware(BodyLimit, limit=min(settings.max_request_bytes,
                                            body_limit(settings.max_input_bytes)))
    for module in (incidents, review, reports, ledger_frame, stats, searches, auth, users):
        app.include_router(module.router)
    app.include_router(merges.router)  # analysts' split and join
    app.include_router(feeds.router)  # /feeds/violations.atom
    app.include_router(briefings.router)  # /api/briefings/briefing.pdf
    app.include_router(overview.router)  # /api/map, /api/stats/timeline, /api/export
    app.include_router(aggregates.router)  # /api/aggregates: counts per side, area and day
