"""The gazetteer's commands: ``trucewatch places find`` and ``places import``.

A thin layer like the rest of the command line over ``service.standalone``; the gazetteer
(shapely, numpy) is loaded by the command that needs it. ``trucewatch.cli`` registers
``places_app``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from trucewatch import cli_tables
from trucewatch.cli_common import Format, state
from trucewatch.cli_output import out

places_app = typer.Typer(help="Look places up in the gazetteer.", no_args_is_help=True)


@places_app.command("find")
def places_find(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Place names as a report spells them.")],
    country: Annotated[str | None, typer.Option(
        "--country", help="Only places in this country (ISO2 code or name).")] = None,
    admin1: Annotated[list[str] | None, typer.Option(
        "--admin1", help="A governorate the text is about: its places first. Repeatable.")]
    = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or json.")]
    = Format.table,
) -> None:
    """Candidates for each name, best first, and why the first won."""
    from trucewatch.service.standalone import find_places, place_record

    results = find_places(state(ctx).gazetteer(), names, country=country,
                          context=admin1 or ())
    if fmt is not Format.table:
        print(json.dumps([
            {"query": name,
             "candidates": [{**(place_record(p) or {}), "why": why} for p, why in found]}
            for name, found in results
        ], ensure_ascii=False, indent=2))
        return
    for name, found in results:
        caption = None if found else "unknown: no place of this name" + (
            f" in {country}" if country else "")
        out.print(cli_tables.table(
            name, ("name", "lat", "lon", "admin1", "country", "precision", "geonames id",
                   "why"),
            [[place.name, f"{place.lat:.4f}", f"{place.lon:.4f}", place.admin1 or "-",
              place.country or "-", str(place.geo_precision), str(place.geonames_id or "-"),
              why] for place, why in found], out.width, caption=caption))


@places_app.command("import")
def places_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A CSV with the columns of the shipped places.")],
) -> None:
    """Add your own places (villages, neighbourhoods, landmarks) to the gazetteer."""
    from trucewatch.service.standalone import import_places

    count = import_places(path, state(ctx).settings.places_dir)
    out.print(f"{count} place(s) from {path} added to {state(ctx).settings.places_dir}")
