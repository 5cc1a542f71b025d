"""The command line calls the service and nothing below it (docs/architecture.md, contract
4): every part of trucewatch is either one the command line may import or one the contract
forbids it, so a new module below the service cannot slip past the contract unnamed."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import trucewatch

# Above the service, the service itself, accounts (the auth use case) and the foundations.
ALLOWED = {"__main__", "cli", "server", "api", "web", "edge", "watch", "evaluation", "service",
           "accounts", "model", "errors", "settings", "durations", "bulk"}


def test_every_part_is_allowed_or_forbidden_to_the_command_line():
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    contracts = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]["contracts"]
    contract = next(c for c in contracts if c.get("id") == "edges-through-service")
    forbidden = {name.removeprefix("trucewatch.") for name in contract["forbidden_modules"]}
    parts = {module.name for module in pkgutil.iter_modules(trucewatch.__path__)
             if not module.name.startswith("cli_")}
    assert not ALLOWED & forbidden
    unnamed = parts - ALLOWED - forbidden
    assert not unnamed, (f"{sorted(unnamed)}: allow them to the command line or forbid them "
                         "in pyproject's edges-through-service contract")
    assert not forbidden - parts, "the contract names a module that is gone"
