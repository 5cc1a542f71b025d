"""Dependencies every route declares with ``Annotated``: the ledger, the settings, who
is asking, and what their role allows. Tests override any of them through
``app.dependency_overrides``.

Two ways to be logged in:
- a browser holds a session cookie: signed (itsdangerous), HttpOnly, SameSite=Lax; it
  carries a random session secret stored hashed in ``api_tokens``, so logging out or
  disabling the account ends it. Unsafe requests (POST, PUT, PATCH, DELETE) made with
  the cookie must send ``X-CSRF-Token``, an HMAC of the session secret, which the page
  gets from the login answer or GET /api/auth/me.
- a script sends ``Authorization: Bearer <token>`` from POST /api/auth/token; no CSRF
  token is needed, since a browser never adds that header on its own.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from itsdangerous import BadSignature

from trucewatch import accounts
from trucewatch.accounts import Role, TokenKind, User
from trucewatch.edge.session import CSRF_HEADER as CSRF_HEADER
from trucewatch.edge.session import SESSION_COOKIE as SESSION_COOKIE
from trucewatch.edge.session import LedgerDep as LedgerDep
from trucewatch.edge.session import SettingsDep as SettingsDep
from trucewatch.edge.session import csrf_token as csrf_token
from trucewatch.edge.session import get_ledger as get_ledger
from trucewatch.edge.session import get_settings as get_settings
from trucewatch.edge.session import signer as signer
from trucewatch.errors import AuthError, NotFoundError, PermissionDenied
from trucewatch.model import Scenario

if TYPE_CHECKING:
    from trucewatch.service import Ledger
    from trucewatch.settings import Settings

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/auth/token.")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                       description="The session cookie set by POST /api/auth/login.")


class CsrfError(PermissionDenied):
    code = "csrf_failed"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking, and how they proved it."""

    user: User
    via: str  # "cookie" or "bearer"
    secret: str  # the session secret or the bearer token


def get_scenario(ledger: LedgerDep) -> Scenario | None:
    """The scenario loaded in the store, used to re-assess corrected incidents; None
    when no scenario was loaded yet."""
    try:
        return ledger.scenario()
    except NotFoundError:
        return None


ScenarioDep = Annotated[Scenario | None, Depends(get_scenario)]


async def get_principal(
    request: Request,
    ledger: LedgerDep,
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Principal | None:
    """Who is asking, or None when nobody logged in. Credentials that are presented but
    wrong, expired or forged are a 401, never taken as anonymous."""
    if not request.headers.get("authorization") and cookie is None:
        return None  # anonymous: answered here, without a hop to the thread pool
    # credentials are looked up in the database: in the thread pool, off the event loop
    return await run_in_threadpool(_identify, request, ledger, settings, bearer, cookie)


def _identify(request: Request, ledger: Ledger, settings: Settings,
              bearer: HTTPAuthorizationCredentials | None, cookie: str | None
              ) -> Principal | None:
    if request.headers.get("authorization"):
        if bearer is None or bearer.scheme.lower() != "bearer" or not bearer.credentials:
            raise AuthError("send the token as 'Authorization: Bearer <token>'")
        user = accounts.user_for_token(ledger.db, bearer.credentials, TokenKind.API)
        return Principal(user, "bearer", bearer.credentials)
    if cookie is None:
        return None
    try:
        secret = signer(request).loads(cookie, max_age=settings.session_hours * 3600)
    except BadSignature:
        raise AuthError("the session cookie is invalid or expired; log in again") from None
    if not isinstance(secret, str):
        raise AuthError("the session cookie is invalid; log in again")
    user = accounts.user_for_token(ledger.db, secret, TokenKind.SESSION)
    if request.method in UNSAFE:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, csrf_token(request, secret)):
            raise CsrfError(f"missing or wrong {CSRF_HEADER} header: send the csrf_token "
                            "from the login answer or GET /api/auth/me")
    return Principal(user, "cookie", secret)


PrincipalDep = Annotated[Principal | None, Depends(get_principal)]


def _require(principal: Principal | None, role: Role) -> Principal:
    if principal is None:
        raise AuthError(f"log in first: this needs the {role.value} role "
                        "(POST /api/auth/login, or a bearer token from POST /api/auth/token)")
    if not principal.user.role.allows(role):
        raise PermissionDenied(f"{principal.user.username} is a {principal.user.role.value}; "
                               f"this needs the {role.value} role: ask an admin")
    return principal


async def require_reader(principal: PrincipalDep, settings: SettingsDep) -> Principal | None:
    """Anyone in public mode (public_read); else a logged-in viewer or above."""
    if settings.public_read:
        return principal
    return _require(principal, Role.VIEWER)


async def require_viewer(principal: PrincipalDep) -> Principal:
    return _require(principal, Role.VIEWER)


async def require_analyst(principal: PrincipalDep) -> Principal:
    return _require(principal, Role.ANALYST)


async def require_admin(principal: PrincipalDep) -> Principal:
    return _require(principal, Role.ADMIN)


Reader = Annotated[Principal | None, Depends(require_reader)]
Viewer = Annotated[Principal, Depends(require_viewer)]
Analyst = Annotated[Principal, Depends(require_analyst)]
Admin = Annotated[Principal, Depends(require_admin)]
