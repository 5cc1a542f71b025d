"""The aggregate reports' commands: ``trucewatch aggregates import FILE.csv`` stores
counts of violations per side, area and day (as monitoring missions and the sides' daily
statements give them), each judged under the scenario; ``trucewatch aggregates list``
shows them with their verdicts. A thin layer: parse, call the ledger, print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from trucewatch.cli_common import Format, FormatOpt, parse_date, state

aggregates_app = typer.Typer(
    help="Counts of violations per side, area and day (monitors' daily reports, the sides' "
         "statements), each with its own verdict.",
    no_args_is_help=True)

out = Console(soft_wrap=True)

ScenarioOpt = Annotated[str | None, typer.Option(
    "--scenario", help="Scenario to judge the counts under (default: the one loaded).")]


@aggregates_app.command("import")
def import_aggregates(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(
        help="CSV with the columns date, reporter, side, area, count, kind, killed, "
             "wounded, source, note (README: Aggregate reports).")],
    scenario: ScenarioOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Store the file's counts, all or none; the same file again changes nothing."""
    from trucewatch.service.aggregates import summary_record

    summary = state(ctx).ledger().import_aggregates(path, scenario=scenario)
    if as_json:
        print(json.dumps(summary_record(summary), indent=2))
        return
    verdicts = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.verdicts.items()))
    out.print(f"{path.name}: {summary.read} count(s): {summary.added} added, "
              f"{summary.updated} updated, {summary.unchanged} unchanged"
              f"{' (' + verdicts + ')' if verdicts else ''}", markup=False, highlight=False)


@aggregates_app.command("list")
def list_aggregates(
    ctx: typer.Context,
    date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    side: Annotated[str | None, typer.Option(
        "--side", help="An actor id of the scenario, or the side as the reports name it.")] = None,
    output: FormatOpt = Format.table,
) -> None:
    """Stored counts by day, with their verdicts and reasons."""
    from trucewatch.service.aggregates import aggregate_record

    found, total = state(ctx).ledger().aggregates(
        date_from=parse_date(date_from, "--from"), date_to=parse_date(date_to, "--to"),
        side=side)
    records = [aggregate_record(s) for s in found]
    if output is Format.json:
        print(json.dumps({"data": records, "count": total}, indent=2))
        return
    if output is Format.jsonl:
        for record in records:
            print(json.dumps(record))
        return
    table = Table("date", "reporter", "side", "area", "count", "kind", "verdict", "why",
                  title=f"{total} aggregate report(s)")
    for r in records:
        why = r["verdict"]["reasons"][1] if len(r["verdict"]["reasons"]) > 1 else ""
        table.add_row(r["date"], r["reporter"], r["side"] or "not said", r["area"] or "",
                      str(r["count"]), r["kind"], r["verdict"]["kind"], why)
    out.print(table)
