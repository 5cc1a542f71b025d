"""The commands that run a ledger: ``trucewatch init``, ``doctor``, ``serve`` and
``users add|list``.

A thin layer like the rest of the command line: it calls the service (and ``accounts``
for the API's users) and prints what came back; ``trucewatch.cli`` registers
``store_commands`` (init, doctor), ``serve_commands`` and ``users_app``. The store, the
server and the password hasher are imported inside the commands that use them.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from trucewatch import cli_tables
from trucewatch.cli_common import Format, FormatOpt, err, state
from trucewatch.cli_output import out, print_indented
from trucewatch.errors import InputError

store_commands = typer.Typer()
serve_commands = typer.Typer()
users_app = typer.Typer(help="Accounts for the API: viewer, analyst, admin.",
                        no_args_is_help=True)


@store_commands.command()
def init(ctx: typer.Context) -> None:
    """Create the database, or migrate it to the newest schema."""
    ledger = state(ctx).ledger()
    ledger.init()
    out.print(f"database ready: {ledger.db.url}")


@store_commands.command()
def doctor(ctx: typer.Context, fmt: Annotated[Format, typer.Option(
        "--format", "-f", help="table or json.")] = Format.table) -> None:
    """Check the ledger: it opens, SQLite's integrity check, migrations at head, no orphan
    rows. Exit 0 when healthy, 1 when not. Changes nothing."""
    from trucewatch.service.health import check_ledger, healthy, url_for_people

    url = state(ctx).settings.database_url
    findings = check_ledger(url)
    if fmt is not Format.table:
        print(json.dumps({"healthy": healthy(findings), "findings": [
            {"level": f.level, "check": f.check, "message": f.message} for f in findings]},
            indent=2))
    else:
        marks = {"ok": "ok", "note": "note", "problem": "PROBLEM"}
        for finding in findings:
            print_indented(f"{finding.check}: {finding.message}", bullet=marks[finding.level])
        problems = sum(f.level == "problem" for f in findings)
        out.print(f"{url_for_people(url)}: " + (
            "healthy" if not problems else f"{problems} problem(s)"), highlight=False)
    if not healthy(findings):
        raise typer.Exit(1)


@serve_commands.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64,
        help="Server processes (PostgreSQL only; SQLite serves from one).")] = 1,
) -> None:
    """Serve the JSON API (described at /openapi.json) and the dashboard over the store."""
    import os

    import uvicorn  # only the server needs it

    from trucewatch.edge.serving import lean_logging
    from trucewatch.server import create_app

    settings = state(ctx).settings
    ledger = state(ctx).ledger()
    ledger.db.require_current()
    if workers > 1 and ledger.db.engine.dialect.name != "postgresql":
        # SQLite takes one writer at a time: processes would queue on its lock and a
        # review could time out behind an import; its reads gain little from more
        # processes on two cores. PostgreSQL's connections work side by side.
        raise InputError("workers", "a SQLite ledger is served by one process; use "
                         "PostgreSQL for several (--workers needs postgresql:// as --db)")
    err.print(f"serving {ledger.db.url} on http://{host}:{port} (API described at /openapi.json; "
              f"public read {'on' if settings.public_read else 'off'}"
              f"{f'; {workers} workers' if workers > 1 else ''})", markup=False)
    lean_logging()  # the access log's lines, a tenth cheaper (edge/serving.py)
    # X-Forwarded-* are the app's to believe, from forwarded_allow_ips only (server.py).
    if workers == 1:
        uvicorn.run(create_app(settings, ledger=ledger, freeze_heap=True), host=host,
                    port=port, proxy_headers=False)
        return
    os.environ["TRUCEWATCH_DATABASE_URL"] = ledger.db.url  # each worker builds its own app
    uvicorn.run("trucewatch.server:app_from_environment", factory=True, host=host, port=port,
                workers=workers, proxy_headers=False)


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option("--role", help="viewer, analyst or admin.")] = "viewer",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input, not a prompt.")]
    = False,
) -> None:
    """Create an account; asks for the password (twice) unless --password-stdin."""
    from trucewatch import accounts

    chosen = accounts.parse_role(role)
    ledger = state(ctx).ledger()
    ledger.db.require_current()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = accounts.add_user(ledger.db, username, password, chosen,
                             cost=state(ctx).settings.password_hash_cost)
    out.print(f"user {user.username} added as {user.role.value}", markup=False)


@users_app.command("list")
def users_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """List the accounts with their roles."""
    from trucewatch import accounts

    ledger = state(ctx).ledger()
    ledger.db.require_current()
    found = accounts.list_users(ledger.db)
    if fmt is not Format.table:
        print(json.dumps([{"username": u.username, "role": u.role.value, "active": u.active,
                           "created_at": u.created_at.isoformat()} for u in found], indent=2))
        return
    out.print(cli_tables.table(
        f"Users ({len(found)})", ("username", "role", "active", "created"),
        [[user.username, user.role.value, "yes" if user.active else "no",
          f"{user.created_at:%Y-%m-%d %H:%M}"] for user in found], out.width))
