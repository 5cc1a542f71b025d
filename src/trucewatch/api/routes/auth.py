"""Logging in: a session cookie for browsers, bearer tokens for scripts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response, status

from trucewatch import accounts
from trucewatch.accounts import TokenKind, User
from trucewatch.api.deps import (
    SESSION_COOKIE,
    LedgerDep,
    Principal,
    SettingsDep,
    Viewer,
    csrf_token,
    signer,
)
from trucewatch.api.errors import ERROR_RESPONSES, ErrorPublic
from trucewatch.api.ratelimit import login_limiter
from trucewatch.api.schemas import LoginCreate, SessionPublic, TokenPublic
from trucewatch.edge.present import user_public
from trucewatch.errors import AuthError
from trucewatch.service import Database

router = APIRouter(prefix="/api/auth", tags=["auth"], responses=ERROR_RESPONSES)
LIMITED: dict[int | str, dict[str, Any]] = {429: {
    "model": ErrorPublic,
    "description": "Too many failed logins for this username from this address: wait for "
                   "the seconds in Retry-After."}}


def _authenticate(request: Request, db: Database, body: LoginCreate) -> User:
    """Check the password, counting failures against the login rate limit."""
    limiter = login_limiter(request)
    key = limiter.key(body.username, request)
    limiter.check(key)
    try:
        user = accounts.authenticate(db, body.username, body.password,
                                     cost=request.app.state.settings.password_hash_cost)
    except AuthError:
        limiter.failed(key)
        raise
    limiter.succeeded(key)
    return user


def _session(request: Request, principal: Principal) -> dict[str, Any]:
    return {"user": user_public(principal.user), "via": principal.via,
            "csrf_token": csrf_token(request, principal.secret)
            if principal.via == "cookie" else None}


@router.post("/login", response_model=SessionPublic, responses=LIMITED)
def login(body: LoginCreate, request: Request, response: Response, ledger: LedgerDep,
          settings: SettingsDep) -> dict[str, Any]:
    """Start a browser session: sets an HttpOnly, SameSite=Lax cookie and answers with the
    CSRF token to send as X-CSRF-Token on every POST, PUT, PATCH and DELETE. Ten failed
    logins for a username from one address in five minutes: 429 for a while."""
    user = _authenticate(request, ledger.db, body)
    lifetime = timedelta(hours=settings.session_hours)
    secret, _ = accounts.issue_token(ledger.db, user, TokenKind.SESSION, lifetime)
    response.set_cookie(
        SESSION_COOKIE, signer(request).dumps(secret), max_age=int(lifetime.total_seconds()),
        httponly=True, samesite="lax", secure=settings.cookie_secure, path="/",
    )
    return _session(request, Principal(user, "cookie", secret))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def logout(principal: Viewer, ledger: LedgerDep, response: Response) -> None:
    """End this session (or revoke this bearer token)."""
    accounts.revoke_token(ledger.db, principal.secret)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me", response_model=SessionPublic)
def me(principal: Viewer, request: Request) -> dict[str, Any]:
    """Who is logged in, and the session's CSRF token (a page reloaded needs it again)."""
    return _session(request, principal)


@router.post("/token", response_model=TokenPublic, responses=LIMITED)
def token(body: LoginCreate, request: Request, ledger: LedgerDep, settings: SettingsDep
          ) -> dict[str, Any]:
    """A bearer token for scripts: send 'Authorization: Bearer <access_token>'. It is shown
    once; only its hash is stored. Revoke it with POST /api/auth/logout. Failed attempts
    count against the same limit as /login."""
    user = _authenticate(request, ledger.db, body)
    secret, expires = accounts.issue_token(ledger.db, user, TokenKind.API,
                                           timedelta(days=settings.token_days))
    return {"access_token": secret, "token_type": "bearer", "expires_at": expires}
