"""The publishing commands: export, report, digest and subscribe.

A thin layer like the rest of the command line: it parses options, calls the service (the
ledger for what to publish, ``service.standalone`` for the files it goes into) and prints
what happened; ``trucewatch.cli`` registers these
commands on the main app and turns errors into one-line messages and exit codes.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from trucewatch.cli_common import parse_date
from trucewatch.errors import InputError, NotFoundError
from trucewatch.model import Confidence, EventType, Scenario, VerdictKind

if TYPE_CHECKING:  # the service and the store load when a command runs, not for --help
    from trucewatch.service import IncidentFilter, Ledger
    from trucewatch.settings import Settings

commands = typer.Typer()
subscribe_app = typer.Typer(help="Who gets the daily digest, and what they follow.",
                            no_args_is_help=True)

err = Console(stderr=True, soft_wrap=True)



class ExportFormat(StrEnum):
    """The --format choices: publish.export.ExportFormat's, named here so that --help need
    not load the store (tests/test_cli_startup.py holds the two equal)."""

    acled_csv = "acled-csv"
    geojson = "geojson"
    jsonl = "jsonl"


ZoneOpt = Annotated[str | None, typer.Option("--zone", help="Zone id.")]
FromOpt = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")]


def settings_of(ctx: typer.Context) -> Settings:
    from trucewatch.settings import Settings

    settings = ctx.find_root().obj.settings
    assert isinstance(settings, Settings)
    return settings


def ledger_of(ctx: typer.Context) -> Ledger:
    from trucewatch.service import Ledger

    ledger = ctx.find_root().obj.ledger()
    assert isinstance(ledger, Ledger)
    ledger.db.require_current()
    return ledger


def stored_scenario(ledger: Ledger) -> Scenario | None:
    """The scenario loaded in the store (actor names, zones), or None before any is."""
    try:
        return ledger.scenario()
    except NotFoundError:
        return None


def check_zone(scenario: Scenario | None, zone: str | None) -> None:
    """An unknown zone is an error, not an empty export that looks like good news."""
    if zone and scenario is not None and zone not in scenario.zones:
        raise NotFoundError(f"unknown zone '{zone}' in scenario {scenario.id}; its zones "
                            "are: " + ", ".join(sorted(scenario.zones)))


def parse_verdicts(values: list[str] | None, option: str = "--verdict") -> tuple[str, ...]:
    known = {kind.value for kind in VerdictKind}
    chosen = tuple(v.replace("_", " ") for v in values or [])
    for value in chosen:
        if value not in known:
            raise InputError(option, f"unknown verdict '{value}'; one of: "
                             + ", ".join(sorted(known)))
    return chosen


# The labels the tables print for ACLED's long sub-event names (they must fit a column);
# --type and --event-type accept them back.
SHORT_TYPES: dict[str, str] = {
    EventType.AIR_STRIKE: "Air strike",
    EventType.SHELLING: "Shelling",
    EventType.REMOTE_EXPLOSIVE: "IED/mine",
    EventType.ABDUCTION: "Abduction",
    EventType.NON_STATE_TAKEOVER: "Takeover",
    EventType.GOVERNMENT_REGAINS_TERRITORY: "Regained",
}


def _type_key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


def _type_names() -> dict[str, EventType]:
    """Every spelling of each type a user may have seen: ACLED's name, the table's label,
    the short code (air_strike), in any case."""
    names: dict[str, EventType] = {}
    for kind in EventType:
        for spelling in (kind.value, kind.name, SHORT_TYPES.get(kind, kind.value)):
            names[_type_key(spelling)] = kind
    return names


def parse_event_type(value: str, option: str = "--type") -> str:
    """The ACLED sub-event type a user means by ``value``; unknown: the list to choose from."""
    kind = _type_names().get(_type_key(value))
    if kind is None:
        raise InputError(option, f"unknown event type '{value}'; one of: " + ", ".join(
            f"{k.value} ({SHORT_TYPES[k]}, {k.name.lower()})" if k in SHORT_TYPES
            else f"{k.value} ({k.name.lower()})" for k in EventType))
    return kind.value


def parse_event_types(values: list[str] | None) -> tuple[str, ...]:
    return tuple(parse_event_type(value, "--event-type") for value in values or [])


def parse_confidence(value: str | None) -> Confidence | None:
    if value is None:
        return None
    try:
        return Confidence(value)
    except ValueError:
        raise InputError("--min-confidence", f"unknown confidence '{value}'; one of: "
                         + ", ".join(c.value for c in Confidence)) from None


def selection_of(zone: str | None, date_from: str | None, date_to: str | None,
                 **more: Any) -> IncidentFilter:
    from trucewatch.service import IncidentFilter

    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    if start and end and start > end:
        raise InputError("--from/--to", f"the range is upside down: {start} is after {end}")
    return IncidentFilter(zones=(zone,) if zone else (), date_from=start, date_to=end, **more)


@commands.command("export")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Export format.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write (default: standard output).")] = None,
    columns: Annotated[str | None, typer.Option(
        "--columns", help="Comma-separated columns (CSV) or properties/fields to keep.")]
    = None,
    reviewed_only: Annotated[bool, typer.Option(
        "--reviewed-only", help="Only incidents an analyst reviewed and confirmed.")] = False,
    zone: ZoneOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
    verdict: Annotated[list[str] | None, typer.Option(
        "--verdict", help="Only these verdicts (repeatable).")] = None,
) -> None:
    """Export incidents as ACLED CSV, GeoJSON (RFC 7946) or JSONL with provenance."""
    from trucewatch.service import ExportFormat as Formats
    from trucewatch.service.standalone import check_columns, output_file

    chosen_format = Formats(fmt.value)
    chosen = check_columns(chosen_format, columns.split(",") if columns else None)
    selection = selection_of(zone, date_from, date_to, verdicts=parse_verdicts(verdict),
                             reviewed_only=reviewed_only)
    ledger = ledger_of(ctx)
    scenario = stored_scenario(ledger)
    check_zone(scenario, zone)
    if output is None:
        result = ledger.export(chosen_format, sys.stdout, selection=selection, columns=chosen)
        sys.stdout.flush()
    else:
        with output_file(output) as stream:
            result = ledger.export(chosen_format, stream, selection=selection,
                                   columns=chosen)
    where = f" to {output}" if output else ""
    err.print(f"{result.written} incident(s) exported as {fmt.value}{where}", markup=False)
    if result.left_out:
        err.print(f"{result.left_out} incident(s) left out: ACLED needs a day, a week or a "
                  "month, and they have no date or only a year", markup=False)


@commands.command("report")
def report_command(
    ctx: typer.Context,
    date_from: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    date_to: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")],
    zone: ZoneOpt = None,
    html: Annotated[bool, typer.Option(
        "--html", help="Write the briefing's HTML instead of printing it to PDF.")] = False,
) -> None:
    """A PDF briefing of a period: summary per zone, map, violations per day, incidents,
    missed deadlines, disputed boundaries and sources."""
    from trucewatch.service.standalone import write_briefing

    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    assert start is not None and end is not None
    ledger = ledger_of(ctx)
    briefing = ledger.briefing(start, end, zone)
    pages = write_briefing(briefing, output, html=html)
    if pages is None:
        err.print(f"briefing written to {output} (HTML)", markup=False)
        return
    counted = len(briefing.entries) + briefing.more
    err.print(f"briefing written to {output}: {pages} page(s), {counted} incident(s)",
              markup=False)


@commands.command("digest")
def digest_command(
    ctx: typer.Context,
    since: Annotated[str, typer.Option(
        "--since", help="Recorded since: a duration (24h, 90m, 7d, 2w) or a date.")] = "24h",
    to: Annotated[list[str] | None, typer.Option(
        "--to", help="Address to mail (repeatable); default: every subscription.")] = None,
    dry_run: Annotated[Path | None, typer.Option(
        "--dry-run", help="Write each digest as a .eml file into this folder (made if "
        "missing); send nothing.")]
    = None,
) -> None:
    """Mail the violations recorded since a moment, per zone, to each address."""
    from trucewatch.service.standalone import parse_since

    moment = parse_since(since)
    ledger = ledger_of(ctx)
    if dry_run is not None:
        try:  # the folder for the .eml files is made, like an export's -o file
            dry_run.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(str(dry_run), f"cannot make the folder: {exc.strerror or exc}") \
                from exc
    outcomes = ledger.send_digests(settings_of(ctx), moment, to=to, dry_run=dry_run)
    for outcome in outcomes:
        done = f"written to {outcome.file}" if outcome.file else "sent"
        err.print(f"{outcome.address}: {outcome.incidents} incident(s), {done}", markup=False)


@subscribe_app.command("add")
def subscribe_add(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="Mail address.")],
    zone: Annotated[list[str] | None, typer.Option("--zone", help="Zone id (repeatable).")]
    = None,
    event_type: Annotated[list[str] | None, typer.Option(
        "--event-type", help="ACLED sub-event type (repeatable).")] = None,
    verdict: Annotated[list[str] | None, typer.Option(
        "--verdict", help="Verdict (repeatable); default: violation, probable violation.")]
    = None,
    min_confidence: Annotated[str | None, typer.Option(
        "--min-confidence", help="confirmed, fair, weak, contested or discounted.")] = None,
) -> None:
    """Subscribe an address to the digest, or change what it follows."""
    ledger = ledger_of(ctx)
    scenario = stored_scenario(ledger)
    for zone_id in zone or []:
        check_zone(scenario, zone_id)
    chosen, created = ledger.subscribe(
        address, zones=tuple(zone or ()), event_types=parse_event_types(event_type),
        verdicts=parse_verdicts(verdict), min_confidence=parse_confidence(min_confidence))
    err.print(f"{address} {'subscribed' if created else 'updated'}: {_follows(chosen)}",
              markup=False)


@subscribe_app.command("list")
def subscribe_list(ctx: typer.Context) -> None:
    """The subscribed addresses and what each follows."""
    found = ledger_of(ctx).subscriptions()
    for subscription in found:
        print(f"{subscription.address}\t{_follows(subscription)}")
    if not found:
        err.print("no subscription; add one with 'trucewatch subscribe add ADDRESS'",
                  markup=False)


@subscribe_app.command("remove")
def subscribe_remove(ctx: typer.Context,
                     address: Annotated[str, typer.Argument(help="Mail address.")]) -> None:
    """Stop mailing an address."""
    ledger_of(ctx).unsubscribe(address)
    err.print(f"{address} unsubscribed", markup=False)


def _follows(subscription: Any) -> str:
    parts = [
        "zones: " + (", ".join(subscription.zones) or "all"),
        "verdicts: " + ", ".join(subscription.verdicts),
        "event types: " + (", ".join(subscription.event_types) or "all"),
    ]
    if subscription.min_confidence:
        parts.append(f"confidence at least {subscription.min_confidence.value}")
    return "; ".join(parts)
