"""Settings are declared once and documented: the README lists every one."""

from __future__ import annotations

from pathlib import Path

import pytest

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
