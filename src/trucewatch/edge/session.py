"""Request dependencies both HTTP edges declare with ``Annotated``: the app's ledger and
settings, the session cookie's signer and the CSRF token bound to a session. The app
state they read is set up by ``trucewatch.server.create_app``."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Path, Request
from itsdangerous import URLSafeTimedSerializer

from trucewatch.service import Ledger
from trucewatch.settings import Settings

SESSION_COOKIE = "trucewatch_session"
CSRF_HEADER = "X-CSRF-Token"

# Bounded so that no id reaches the database as a number it cannot hold.
IncidentId = Annotated[int, Path(ge=1, le=2**62, description="Incident id.")]


# The dependencies below are ``async def`` on purpose: FastAPI runs a plain ``def`` one in
# the thread pool, a hop of ~0.2 ms CPU and a wait for a free thread under load, six per
# request before; these do no I/O (get_ledger's one check runs once per process).
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_ledger(request: Request) -> Ledger:
    """The app's ledger; the store is checked to be migrated once, on first use."""
    state = request.app.state
    ledger: Ledger = state.ledger
    if not getattr(state, "store_checked", False):
        ledger.db.require_current()
        state.store_checked = True
    return ledger


SettingsDep = Annotated[Settings, Depends(get_settings)]
LedgerDep = Annotated[Ledger, Depends(get_ledger)]


def signer(request: Request) -> URLSafeTimedSerializer:
    serializer: URLSafeTimedSerializer = request.app.state.signer
    return serializer


def csrf_token(request: Request, session_secret: str) -> str:
    """The CSRF token bound to a session: an HMAC a page can read but a forger cannot make."""
    key: bytes = request.app.state.csrf_key
    return hmac.new(key, b"csrf:" + session_secret.encode(), hashlib.sha256).hexdigest()
