"""What every command module shares: the run's settings and ledger (`State`), the error
console, the output formats and the options several commands take.

It imports nothing heavy: the ledger (SQLAlchemy, Alembic) and the gazetteer (shapely,
numpy) are imported when a command asks for them, so `trucewatch --help` starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from trucewatch.errors import InputError

if TYPE_CHECKING:
    from trucewatch.service import Gazetteer, Ledger
    from trucewatch.settings import Settings

err = Console(stderr=True, soft_wrap=True)  # one error, one line


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


@dataclass(slots=True)
class State:
    """What the main options chose for this run; the commands find it on the root context."""

    settings: Settings

    def ledger(self) -> Ledger:
        from trucewatch.service import Ledger

        return Ledger(self.settings.database_url, gazetteer=self.gazetteer)

    def gazetteer(self) -> Gazetteer:
        from trucewatch.service.standalone import gazetteer

        return gazetteer(self.settings)


def state(ctx: typer.Context) -> State:
    found = ctx.find_root().obj
    assert isinstance(found, State)
    return found


PublishedOpt = Annotated[
    str | None,
    typer.Option("--published", help="Publication date YYYY-MM-DD, used when the page has none."),
]
ScenarioOpt = Annotated[
    str | None, typer.Option("--scenario", help="Scenario name or folder (default: settings).")
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
PathsArg = Annotated[list[str], typer.Argument(help="Files or folders; '-' reads standard input.")]


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(option, f"'{value}' is not a date; use YYYY-MM-DD") from None
