"""The command line: the ``trucewatch`` app, its main options, and the one place where
trucewatch's errors and database faults become one-line messages and exit codes.

The commands live in one module per family and are registered here: ``cli_admin``
(init, doctor, serve, users), ``cli_scenario``, ``cli_places``, ``cli_reports`` (extract,
check, ingest, watch, backfill, eval), ``cli_ledger`` (incidents, violations),
``cli_import`` (datasets; incidents split, join, claims) and ``cli_publish`` (export,
report, digest, subscribe). Every TrucewatchError becomes a one-line message on standard
error; bad input exits with code 2.

Nothing heavy is imported here or in those modules at import time: ``trucewatch --help``
loads Typer and rich, not SQLAlchemy, shapely or spaCy (tests/test_cli_startup.py holds
it).
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import sys
from typing import Annotated, TypeGuard

import typer

from trucewatch import (
    cli_admin,
    cli_aggregates,
    cli_import,
    cli_ledger,
    cli_places,
    cli_publish,
    cli_reports,
    cli_scenario,
)
from trucewatch.cli_common import State, err
from trucewatch.cli_output import out
from trucewatch.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    StoreError,
    TrucewatchError,
)

app = typer.Typer(
    help="trucewatch keeps the ledger of a ceasefire: agreements, reports, incidents, verdicts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# The order `trucewatch --help` lists them in: publishing, the store, reading reports,
# reading the ledger, serving; then the families of sub-commands.
for family in (cli_publish.commands, cli_admin.store_commands, cli_reports.commands,
               cli_ledger.commands, cli_admin.serve_commands):
    app.registered_commands.extend(family.registered_commands)
app.add_typer(cli_scenario.scenario_app, name="scenario")
app.add_typer(cli_places.places_app, name="places")
app.add_typer(cli_admin.users_app, name="users")
app.add_typer(cli_publish.subscribe_app, name="subscribe")
app.add_typer(cli_import.import_app, name="import")  # datasets; incidents split/join below
app.add_typer(cli_ledger.incidents_app, name="incidents")
app.add_typer(cli_aggregates.aggregates_app, name="aggregates")  # counts per side, area, day


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version as package_version

        print(f"trucewatch {package_version('trucewatch')}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL: sqlite:///FILE or postgresql://USER@HOST/DB "
                     "(default: $TRUCEWATCH_DATABASE_URL, else sqlite:///trucewatch.db)."),
    ] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help="On a database fault, show the full traceback (also "
        "TRUCEWATCH_DEBUG=1).")] = False,
) -> None:
    from trucewatch.settings import load_settings

    ctx.obj = State(load_settings(database_url=db))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning trucewatch's errors and database faults into
    one-line messages.

    Typer itself handles usage errors (exit 2) and ``typer.Exit``; it always ends by
    raising SystemExit. A database fault (locked, full, read-only, not a database) exits
    with 2 too; ``--debug`` or TRUCEWATCH_DEBUG=1 lets its traceback through, and any
    other exception (a bug) always shows one."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("TRUCEWATCH_DEBUG", "") not in ("", "0")
    out.width = _output_width()
    try:
        app(args=args, prog_name="trucewatch")
    except TrucewatchError as error:
        if debug and _database_fault(error.__cause__):
            raise error.__cause__ from None
        err.print(f"error: {for_cli(error)}", markup=False, highlight=False)
        sys.exit(2 if isinstance(error, InputError | NotFoundError | ConflictError
                                 | StoreError) else 1)
    except Exception as error:
        if _database_fault(error):
            if debug:
                raise
            from trucewatch.service.health import describe_error

            err.print(f"error: {describe_error(error, _database_url(args))}", markup=False,
                      highlight=False)
            sys.exit(2)
        # What the machine refuses (a full disk, a folder not ours): one line. Other
        # OSErrors are bugs until shown otherwise.
        if not isinstance(error, OSError) or debug or error.errno not in _MACHINE_ERRNOS:
            raise
        where = f"{error.filename}: " if error.filename else ""
        err.print(f"error: {where}{error.strerror or error}", markup=False, highlight=False)
        sys.exit(2)
    finally:
        # The command is done: spare the interpreter's last collection a walk over every
        # object spaCy, SQLAlchemy and the gazetteer made (0.2-0.3 CPU-s a command). Files
        # and connections are closed by the commands themselves, not by the collector.
        gc.freeze()


def _database_fault(error: BaseException | None) -> TypeGuard[BaseException]:
    """A database fault (SQLAlchemy's DBAPIError). Only a command that loaded SQLAlchemy
    can raise one, so it is looked up, not imported: the other commands start faster."""
    faults = sys.modules.get("sqlalchemy.exc")
    return faults is not None and isinstance(error, faults.DBAPIError)


_MACHINE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS}

# Core errors name the domain's parameters and kinds of thing; here they become the
# options that set them and the commands that list them (the API has its own words).
OPTIONS = {"claims": "--claims", "since": "--since", "zone": "--zone", "columns": "--columns",
           "date_from/date_to": "--from/--to", "database_url": "--db", "recipients": "--to",
           "scenario": "--scenario"}
LISTED_BY = {"incident": "trucewatch incidents"}


def for_cli(error: TrucewatchError) -> str:
    """The error as a command-line user should read it."""
    if isinstance(error, InputError) and error.source in OPTIONS:
        return str(InputError(OPTIONS[error.source], error.problem, error.where))
    if isinstance(error, NotFoundError) and error.what in LISTED_BY:
        return f"{error}; '{LISTED_BY[error.what]}' lists them"
    return str(error)


def _database_url(args: list[str]) -> str:
    """The --db given, else the setting: what a fault message names."""
    for index, arg in enumerate(args):
        if arg == "--db" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--db="):
            return arg.removeprefix("--db=")
    from trucewatch.settings import load_settings

    try:
        return load_settings().database_url
    except ValueError:  # settings that do not load: the fault is named without the URL
        return "the ledger"


def _output_width() -> int:
    """COLUMNS when set (a narrow terminal, a test); else the terminal's own width; piped
    output (make run, a log) gets 120 columns rather than rich's 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else 120
