"""Accounts, roles and tokens: who may read, review and administer a ledger.

Library functions over the store, shared by the command line (`trucewatch users`) and the
API. Passwords are hashed with argon2id; bearer tokens and browser sessions are random
secrets of which only a SHA-256 hash is stored, so a stolen copy of the database opens
nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from trucewatch.errors import AuthError, ConflictError, InputError, NotFoundError
from trucewatch.store.database import Database
from trucewatch.store.tables import ApiTokenRow, UserRow

MIN_PASSWORD = 8
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,80}$")

HashCost = Literal["standard", "low"]
# argon2id parameters per cost (settings.password_hash_cost). standard: RFC 9106's
# low-memory profile (argon2-cffi's default: 3 passes over 64 MiB, 4 lanes); low: OWASP's
# floor for argon2id (2 passes over 19 MiB, 1 lane), for small machines and tests.
_COSTS: dict[str, tuple[int, int, int]] = {  # passes, KiB of memory, lanes
    "standard": (3, 64 * 1024, 4),
    "low": (2, 19 * 1024, 1),
}


@lru_cache(maxsize=len(_COSTS))
def _hashing(cost: HashCost) -> tuple[PasswordHasher, str]:
    """The hasher for a cost and a hash of no one's password, built on first use (not at
    import: hashing costs a fifth of a CPU-second and 64 MiB). The dummy hash is verified
    against when the username is unknown, so a wrong name and a wrong password take the
    same time and cannot be told apart."""
    if cost not in _COSTS:
        raise InputError("password_hash_cost", f"unknown cost {cost!r}; one of: "
                         + ", ".join(_COSTS))
    passes, memory, lanes = _COSTS[cost]
    hasher = PasswordHasher(time_cost=passes, memory_cost=memory, parallelism=lanes)
    return hasher, hasher.hash("not a password of anyone")


def _hasher(cost: HashCost) -> PasswordHasher:
    return _hashing(cost)[0]


class Role(StrEnum):
    """Each role can do what the ones before it can."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


class TokenKind(StrEnum):
    API = "api"
    SESSION = "session"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: Role
    active: bool
    created_at: datetime


def _user(row: UserRow) -> User:
    return User(row.id, row.username, Role(row.role), row.active, row.created_at)


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise InputError("role", f"unknown role {value!r}; one of: "
                         + ", ".join(r.value for r in Role)) from None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError("password", f"too short: use at least {MIN_PASSWORD} characters")


def add_user(db: Database, username: str, password: str, role: Role, *,
             cost: HashCost = "standard") -> User:
    """Create an account; a taken username is a ConflictError, not a silent overwrite.
    ``cost``: settings.password_hash_cost, passed down by the command line and the API."""
    if not USERNAME.match(username):
        raise InputError("username", f"{username!r} is not allowed: use 1-80 letters, digits "
                         "or . _ @ -")
    _check_password(password)
    with db.transaction() as session:
        if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
            raise ConflictError(f"user {username!r} exists already; pick another name or "
                                "change that user's role or password instead")
        row = UserRow(username=username, password_hash=_hasher(cost).hash(password),
                      role=role.value, active=True, created_at=_now())
        session.add(row)
        session.flush()
        return _user(row)


def list_users(db: Database) -> list[User]:
    with db.reading() as session:
        return [_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.username))]


def get_user(db: Database, username: str) -> User:
    with db.reading() as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise NotFoundError(f"no user named {username!r}; 'trucewatch users list' names them")
        return _user(row)


def update_user(
    db: Database, username: str, *, role: Role | None = None, active: bool | None = None,
    password: str | None = None, cost: HashCost = "standard",
) -> User:
    """Change a role, (de)activate, or set a new password. Deactivating a user or changing
    their password ends their sessions and tokens."""
    if password is not None:
        _check_password(password)
    with db.transaction() as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise NotFoundError(f"no user named {username!r}")
        if role is not None:
            row.role = role.value
        if active is not None:
            row.active = active
        if password is not None:
            row.password_hash = _hasher(cost).hash(password)
        if active is False or password is not None:
            session.execute(delete(ApiTokenRow).where(ApiTokenRow.user_id == row.id))
        return _user(row)


def authenticate(db: Database, username: str, password: str, *,
                 cost: HashCost = "standard") -> User:
    """The user with this name and password; one vague error for every failure so that
    a caller cannot learn which names exist. A hash made at another cost is remade at
    this one once the password is known to be right."""
    hasher, dummy = _hashing(cost)
    with db.transaction() as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        try:
            hasher.verify(row.password_hash if row else dummy, password)
        except (VerificationError, InvalidHashError):
            row = None
        if row is None or not row.active:
            raise AuthError("wrong username or password, or the account is disabled")
        if hasher.check_needs_rehash(row.password_hash):
            row.password_hash = hasher.hash(password)
        return _user(row)


def issue_token(db: Database, user: User, kind: TokenKind, lifetime: timedelta
                ) -> tuple[str, datetime]:
    """A new random secret for the user and when it expires; only its hash is stored."""
    secret = secrets.token_urlsafe(32)
    expires = _now() + lifetime
    with db.transaction() as session:
        session.execute(delete(ApiTokenRow).where(ApiTokenRow.expires_at < _now()))
        session.add(ApiTokenRow(user_id=user.id, kind=kind.value, token_hash=_digest(secret),
                                created_at=_now(), expires_at=expires))
    return secret, expires


def user_for_token(db: Database, secret: str, kind: TokenKind) -> User:
    """The active user a live token belongs to, else AuthError saying how to get a new one."""
    with db.reading() as session:
        found = session.execute(
            select(UserRow, ApiTokenRow.expires_at)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == _digest(secret), ApiTokenRow.kind == kind.value)
        ).first()
    how = ("log in again" if kind is TokenKind.SESSION
           else "ask for a new API token")
    if found is None:
        raise AuthError(f"unknown or revoked {kind.value} token; {how}")
    row, expires = found
    if expires < _now():
        raise AuthError(f"the {kind.value} token has expired; {how}")
    if not row.active:
        raise AuthError("the account is disabled; ask an admin")
    return _user(row)


def revoke_token(db: Database, secret: str) -> None:
    with db.transaction() as session:
        session.execute(delete(ApiTokenRow).where(ApiTokenRow.token_hash == _digest(secret)))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
