"""Accounts, for admins: list, create, change role, disable, reset a password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, status

from trucewatch import accounts
from trucewatch.api.deps import Admin, LedgerDep, SettingsDep
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.schemas import Page, UserCreate, UserPublic, UserUpdate
from trucewatch.edge.present import user_public
from trucewatch.errors import InputError

router = APIRouter(prefix="/api/users", tags=["users"], responses=ERROR_RESPONSES)
Username = Annotated[str, Path(max_length=80)]


@router.get("", response_model=Page[UserPublic])
def list_users(_admin: Admin, ledger: LedgerDep) -> dict[str, Any]:
    found = accounts.list_users(ledger.db)
    return {"data": [user_public(u) for u in found], "count": len(found)}


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, _admin: Admin, ledger: LedgerDep, settings: SettingsDep
                ) -> dict[str, Any]:
    return user_public(accounts.add_user(ledger.db, body.username, body.password, body.role,
                                         cost=settings.password_hash_cost))


@router.patch("/{username}", response_model=UserPublic)
def update_user(username: Username, body: UserUpdate, admin: Admin, ledger: LedgerDep,
                settings: SettingsDep) -> dict[str, Any]:
    """Change a role, disable (active false) or set a password; disabling or a new
    password ends the user's sessions and tokens."""
    if username == admin.user.username and (body.active is False or (
            body.role is not None and body.role is not accounts.Role.ADMIN)):
        raise InputError("username", "you cannot disable yourself or drop your own admin "
                         "role; ask another admin")
    return user_public(accounts.update_user(ledger.db, username, role=body.role,
                                            active=body.active, password=body.password,
                                            cost=settings.password_hash_cost))
