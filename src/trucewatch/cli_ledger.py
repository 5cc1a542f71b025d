"""The commands that read the ledger: ``trucewatch incidents`` and ``violations``.

A thin layer like the rest of the command line: it turns the options into the service's
one filter, asks the ledger and prints the incidents with their verdicts; the analysts'
``incidents split|join|claims`` live in ``cli_import``. ``trucewatch.cli`` registers
``commands`` and ``incidents_app``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from trucewatch import cli_import, cli_publish
from trucewatch.cli_common import Format, FormatOpt, state
from trucewatch.cli_output import print_other_verdicts, print_verdicts
from trucewatch.cli_publish import FromOpt, ToOpt, ZoneOpt
from trucewatch.model import VerdictKind

if TYPE_CHECKING:
    from trucewatch.model import Incident, Verdict
    from trucewatch.service import IncidentFilter

commands = typer.Typer()

VIOLATION_KINDS = (VerdictKind.VIOLATION.value, VerdictKind.PROBABLE_VIOLATION.value)

TypeOpt = Annotated[str | None, typer.Option(
    "--type", help="Event type: ACLED's name ('Air/drone strike'), the table's ('Air "
    "strike') or the code (air_strike), any case.")]
VerdictOpt = Annotated[
    list[str] | None, typer.Option("--verdict", help="Verdict(s) to show, e.g. 'violation'.")
]


def _filter(
    zone: str | None, date_from: str | None, date_to: str | None,
    event_type: str | None, verdicts: tuple[str, ...],
) -> IncidentFilter:
    return cli_publish.selection_of(
        zone, date_from, date_to, verdicts=verdicts,
        event_types=(cli_publish.parse_event_type(event_type),) if event_type is not None
        else ())


# `incidents` lists; its subcommands (split, join, claims: cli_import) are analysts' tools.
incidents_app = typer.Typer(invoke_without_command=True)
incidents_app.registered_commands.extend(cli_import.incident_commands.registered_commands)


@incidents_app.callback()
def incidents(
    ctx: typer.Context, zone: ZoneOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
    event_type: TypeOpt = None, verdict: VerdictOpt = None, fmt: FormatOpt = Format.table,
) -> None:
    """List stored incidents with their verdicts; 'incidents split|join|claims' to review
    how claims were merged."""
    if ctx.invoked_subcommand is not None:
        return
    where = _filter(zone, date_from, date_to, event_type, cli_publish.parse_verdicts(verdict))
    _print_rows(state(ctx).ledger().incidents(where), fmt, title="Incidents")


@commands.command()
def violations(
    ctx: typer.Context, zone: ZoneOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
    event_type: TypeOpt = None, verdict: VerdictOpt = None, fmt: FormatOpt = Format.table,
    show_all: Annotated[bool, typer.Option("--all", help="Every verdict, not only violations.")]
    = False,
) -> None:
    """The violations ledger: violations and probable violations (all verdicts with --all)."""
    chosen = cli_publish.parse_verdicts(verdict) or (() if show_all else VIOLATION_KINDS)
    ledger = state(ctx).ledger()
    rows = ledger.incidents(_filter(zone, date_from, date_to, event_type, chosen))
    _print_rows(rows, fmt, title="Violations ledger" if not show_all else "Ledger")
    if fmt is Format.table and not show_all and not verdict:
        others = ledger.incidents(_filter(zone, date_from, date_to, event_type, ()))
        print_other_verdicts([v for _, v in others if v is None or v.kind not in VIOLATION_KINDS])


def _print_rows(entries: list[tuple[Incident, Verdict | None]], fmt: Format, *,
                title: str) -> None:
    from trucewatch.service import incident_record

    records = [incident_record(incident, verdict) for incident, verdict in entries]
    if fmt is Format.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt is Format.jsonl:
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
    else:
        print_verdicts(f"{title} ({len(records)})", records)
