"""Settings are declared once and documented: the README lists every one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from trucewatch.errors import AuthError
from trucewatch.settings import Settings, load_settings

README = Path(__file__).parent.parent / "README.md"


def test_readme_documents_every_setting():
    readme = README.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`TRUCEWATCH_{name.upper()}`" in readme, name
        assert field.description, f"{name} has no description"


def test_environment_and_overrides(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRUCEWATCH_DATABASE_URL", "sqlite:///from-env.db")
    assert load_settings().database_url == "sqlite:///from-env.db"
    assert load_settings(database_url="sqlite:///given.db").database_url == "sqlite:///given.db"
    assert load_settings(database_url=None).database_url == "sqlite:///from-env.db"


def test_nothing_is_hashed_at_import():
    """Importing accounts (every command does) builds no hasher and hashes nothing."""
    code = ("import trucewatch.accounts as a, trucewatch.cli; "
            "print(a._hashing.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "0"


def test_password_hash_cost_is_passed_down(tmp_path: Path):
    """The cost comes from the settings; a hash made at another cost is remade at the
    chosen one at the next login, and the password still opens the account."""
    from trucewatch import accounts
    from trucewatch.ledger import Ledger
    from trucewatch.store.tables import UserRow

    assert load_settings(password_hash_cost="low").password_hash_cost == "low"
    with pytest.raises(ValidationError):
        load_settings(password_hash_cost="cheap")
    ledger = Ledger(f"sqlite:///{tmp_path / 'accounts.db'}")
    ledger.init()

    def stored_hash() -> str:
        with ledger.db.reading() as session:
            return session.scalars(select(UserRow.password_hash)).one()

    accounts.add_user(ledger.db, "ana", "password-ana", accounts.Role.ANALYST, cost="low")
    assert "m=19456,t=2,p=1" in stored_hash()
    accounts.authenticate(ledger.db, "ana", "password-ana", cost="standard")
    assert "m=65536,t=3,p=4" in stored_hash()
    with pytest.raises(AuthError):
        accounts.authenticate(ledger.db, "ana", "wrong-password", cost="low")
    assert accounts.authenticate(ledger.db, "ana", "password-ana", cost="low").username == "ana"
    assert "m=19456,t=2,p=1" in stored_hash()
