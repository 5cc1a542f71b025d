"""The scenario commands: ``trucewatch scenario load|validate|show|list|new``.

A thin layer like the rest of the command line: it parses options, calls the service
(``service.standalone`` reads scenarios without a ledger; the ledger loads one) and prints
what came back; ``trucewatch.cli`` registers
``scenario_app`` and turns errors into one-line messages and exit codes. A new scenario
command goes here.
"""

from __future__ import annotations

from typing import Annotated

import typer

from trucewatch.cli_common import err, state
from trucewatch.cli_output import out, print_scenario

scenario_app = typer.Typer(help="Load, validate and show scenarios.", no_args_is_help=True)


@scenario_app.command("load")
def scenario_load(ctx: typer.Context, name: str) -> None:
    """Load a scenario (builtin name or folder) into the store and re-assess incidents."""
    scenario = state(ctx).ledger().load_scenario(name)
    out.print(
        f"loaded scenario {scenario.id}: {len(scenario.zones)} zones, "
        f"{len(scenario.agreements)} agreements, {len(scenario.declarations)} declarations, "
        f"{len(scenario.actors)} actors"
    )


@scenario_app.command("validate")
def scenario_validate(path: str) -> None:
    """Check a scenario folder and name every problem, with file and feature."""
    from trucewatch.service.standalone import validate_scenario

    problems = validate_scenario(path)
    if problems:
        for problem in problems:
            err.print(problem, markup=False, highlight=False)
        err.print(f"{len(problems)} problem(s) in {path}", markup=False)
        raise typer.Exit(2)
    out.print(f"{path}: valid")


@scenario_app.command("show")
def scenario_show(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Builtin name or folder.")] = None,
) -> None:
    """Show a scenario's zones, agreements, declarations and deadlines."""
    from trucewatch.service.standalone import load_scenario

    scenario = load_scenario(name or state(ctx).settings.scenario)
    assert scenario is not None  # not optional: "none" is a folder's name here
    print_scenario(scenario)


@scenario_app.command("new")
def scenario_new(
    folder: Annotated[str, typer.Argument(help="Folder to create; its name is the id.")],
) -> None:
    """Write a commented scenario folder (format 2) to fill in, then validate."""
    from trucewatch.service.standalone import new_scenario

    path = new_scenario(folder)
    out.print(f"wrote {path}/scenario.yaml and zones.geojson; fill them in, then run "
              f"'trucewatch scenario validate {folder}'", markup=False, highlight=False)


@scenario_app.command("list")
def scenario_list() -> None:
    """List the scenarios that ship with trucewatch."""
    from trucewatch.service.standalone import builtin_scenarios

    for name in builtin_scenarios():
        out.print(name)
