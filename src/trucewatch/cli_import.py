"""The dataset commands: ``trucewatch import acled|ucdp|gdelt FILE`` and the analysts'
``trucewatch incidents split`` and ``incidents join``.

A thin layer like the rest of the command line: it parses options, calls the ledger and
prints what happened; ``trucewatch.cli`` registers these commands and turns errors into
one-line messages and exit codes.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from trucewatch.cli_common import state
from trucewatch.errors import InputError

if TYPE_CHECKING:  # the importers, the service and the store load when a command runs
    from trucewatch.service import BadRow, Ledger
    from trucewatch.service.importing import ImportSummary

import_app = typer.Typer(
    help="Import conflict-event datasets: ACLED CSV, UCDP GED CSV or API pages, GDELT 1.0 "
         "and 2.0 events.",
    no_args_is_help=True)
incident_commands = typer.Typer()

out = Console(soft_wrap=True)  # a summary line stays one line in a log
err = Console(stderr=True, soft_wrap=True)


def progress_bar(*columns: ProgressColumn) -> Progress:
    """A progress bar on stderr, drawn on a terminal only: in a log or a pipe rich would
    still leave an empty line behind."""
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


# Rows per transaction, shown as --batch-size's default: the store's own default
# (service.importing.IMPORT_BATCH_SIZE), written here so --help need not load the store;
# tests/test_cli_startup.py holds the two equal.
BATCH_SIZE = 20_000
MAX_ID = 2**62  # as the API's paths
SHOWN_BAD_ROWS = 20  # on the terminal; every one is counted, and listed with --format json

FileArg = Annotated[Path, typer.Argument(
    help="The file as its publisher exports it (also gzip'd).")]
ScenarioOpt = Annotated[str | None, typer.Option(
    "--scenario", help="Scenario whose actor names to resolve (default: the one loaded).")]
BatchOpt = Annotated[int, typer.Option(
    "--batch-size", min=1, help="Rows per transaction: a crash loses at most one batch.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]


@import_app.command("acled")
def import_acled(ctx: typer.Context, path: FileArg, scenario: ScenarioOpt = None,
                 batch_size: BatchOpt = BATCH_SIZE, as_json: JsonOpt = False) -> None:
    """An ACLED export (CSV with ACLED's columns, today's or those before 2019)."""
    _import(ctx, "acled", path, scenario, batch_size, as_json)


@import_app.command("ucdp")
def import_ucdp(ctx: typer.Context, path: FileArg, scenario: ScenarioOpt = None,
                batch_size: BatchOpt = BATCH_SIZE, as_json: JsonOpt = False) -> None:
    """A UCDP GED CSV, or the UCDP API's JSON pages (one page, or a folder of them)."""
    _import(ctx, "ucdp", path, scenario, batch_size, as_json)


@import_app.command("gdelt")
def import_gdelt(ctx: typer.Context, path: FileArg, scenario: ScenarioOpt = None,
                 batch_size: BatchOpt = BATCH_SIZE, as_json: JsonOpt = False) -> None:
    """A GDELT events file (1.0 or 2.0, tab-separated, or its .zip); codes 18-20."""
    _import(ctx, "gdelt", path, scenario, batch_size, as_json)


def _import(ctx: typer.Context, dataset: str, path: Path, scenario: str | None,
            batch_size: int, as_json: bool) -> None:
    from trucewatch.service.importing import summary_record

    ledger = _ledger(ctx)
    bad_rows = _BadRowPrinter(path, quiet=as_json)
    with _reading_bar() as progress:
        task = progress.add_task(f"reading {path.name}", total=_size(path))
        summary = ledger.import_file(
            dataset, path, scenario=scenario, batch_size=batch_size,
            progress=lambda done: progress.update(task, completed=done), on_bad_row=bad_rows)
    bad_rows.finish()
    _print_repairs(path, summary, quiet=as_json)
    pending = ledger.pending_claims()
    with progress_bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn()) as progress:
        task = progress.add_task("merging", total=pending)
        merged = ledger.merge_pending(
            scenario=scenario, progress=lambda done: progress.update(task, completed=done))
    # Rows stored already in their incidents were merged by the import itself.
    claims = merged.claims + summary.merged.claims
    created = merged.created + summary.merged.created
    updated = merged.updated + summary.merged.updated
    if as_json:
        print(json.dumps(summary_record(summary) | {"merged": {
            "claims": claims, "incidents_created": created,
            "incidents_updated": updated}}, indent=2))
    else:
        out.print(_summary_line(summary), markup=False, highlight=False)
        out.print(f"merged {claims:,} claim(s): {created:,} new incident(s), "
                  f"{updated:,} updated", markup=False, highlight=False)
    if summary.skipped:
        raise typer.Exit(2)


@import_app.command("acled-deleted")
def import_acled_deleted(ctx: typer.Context, path: FileArg, scenario: ScenarioOpt = None,
                         as_json: JsonOpt = False) -> None:
    """ACLED's list of deleted events (event_id_cnty, deleted_timestamp): their claims are
    taken out, their incidents re-assessed, and those left with no claim removed."""
    from trucewatch.service.importing import bad_rows_record

    ledger = _ledger(ctx)
    bad_rows = _BadRowPrinter(path, quiet=as_json)
    with _reading_bar() as progress:
        task = progress.add_task(f"reading {path.name}", total=_size(path))
        summary = ledger.withdraw_acled_deletions(
            path, scenario=scenario, on_bad_row=bad_rows,
            progress=lambda done: progress.update(task, completed=done))
    bad_rows.finish()
    incidents = summary.incidents
    if as_json:
        print(json.dumps({
            "path": summary.path, "read": summary.read, "withdrawn": summary.withdrawn,
            "not_stored": summary.not_stored, "republished": summary.republished,
            "skipped": summary.skipped,
            "bad_rows": bad_rows_record(summary.bad_rows),
            "incidents_updated": incidents.updated, "incidents_removed": incidents.removed,
        }, indent=2))
    else:
        out.print(f"{path}: {summary.read:,} read, {summary.withdrawn:,} withdrawn, "
                  f"{summary.not_stored:,} not stored, {summary.republished:,} published "
                  f"again since (kept), {summary.skipped:,} skipped; {incidents.updated:,} "
                  f"incident(s) updated, {incidents.removed:,} removed",
                  markup=False, highlight=False)
    if summary.skipped:
        raise typer.Exit(2)


class _BadRowPrinter:
    """Names the first SHOWN_BAD_ROWS skipped rows on stderr, then how many more."""

    def __init__(self, path: Path, *, quiet: bool) -> None:
        self.path, self.quiet, self.shown = path, quiet, 0

    def __call__(self, bad: BadRow) -> None:
        self.shown += 1
        if self.shown <= SHOWN_BAD_ROWS and not self.quiet:
            err.print(f"skipped: {bad.source or self.path}:{bad.line}: {bad.problem}",
                      markup=False, highlight=False)

    def finish(self) -> None:
        if self.shown > SHOWN_BAD_ROWS and not self.quiet:
            err.print(f"... and {self.shown - SHOWN_BAD_ROWS} more skipped row(s)",
                      markup=False)


def _print_repairs(path: Path, summary: ImportSummary, *, quiet: bool) -> None:
    """Rows stored after a repair, named like skipped rows (the first SHOWN_BAD_ROWS)."""
    if quiet:
        return
    for fixed in summary.repairs[:SHOWN_BAD_ROWS]:
        err.print(f"repaired: {fixed.source or path}:{fixed.line}: {fixed.problem}",
                  markup=False, highlight=False)
    if summary.repaired > SHOWN_BAD_ROWS:
        err.print(f"... and {summary.repaired - SHOWN_BAD_ROWS} more repaired row(s)",
                  markup=False)


def _reading_bar() -> Progress:
    return progress_bar(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                        TransferSpeedColumn(), TimeRemainingColumn())


def _summary_line(summary: ImportSummary) -> str:
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in summary.ignored_kinds.most_common(3))
    if len(summary.ignored_kinds) > 3:
        kinds += ", ..."
    ignored = f"{summary.ignored:,} ignored" + (f" ({kinds})" if kinds else "")
    outdated = (f", {summary.outdated:,} older than stored (left as stored)"
                if summary.outdated else "")
    repaired = f", {summary.repaired:,} repaired" if summary.repaired else ""
    return (f"{summary.path}: {summary.read:,} read, {summary.imported:,} imported, "
            f"{summary.updated:,} updated, {summary.unchanged:,} unchanged{outdated}, "
            f"{summary.skipped:,} skipped, {ignored}{repaired}")


def _size(path: Path) -> int | None:
    """Bytes the reader will go through: the file, the table inside a zip, or a folder's
    pages."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.glob("*.json") if p.is_file())
    if not path.is_file():
        return None
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                return sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            return None  # the reader names what is wrong with it
    with path.open("rb") as handle:
        # gzip (18 bytes at least): its last 4 bytes hold the size unpacked
        if handle.read(2) == b"\x1f\x8b" and path.stat().st_size >= 18:
            handle.seek(-4, 2)
            return int.from_bytes(handle.read(4), "little") or None
    return path.stat().st_size


# --- analysts: split and join ------------------------------------------------------------


@incident_commands.command("split")
def incidents_split(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(help="The incident wrongly merged.")],
    claims: Annotated[str, typer.Option("--claims", help="Ids of the claims to move out, "
                                        "comma-separated (see --format json's claims).")],
    note: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
) -> None:
    """Move chosen claims out of an incident into a new one; re-merging keeps them apart."""
    claim_ids = _claim_ids(claims)
    result = _ledger(ctx).split_incident(_id(incident_id), claim_ids, note=note)
    out.print(f"incident {incident_id} split: claim(s) {', '.join(map(str, claim_ids))} are "
              f"now incident {result.incident_ids[1]} (decision {result.decision_id})",
              markup=False, highlight=False)


@incident_commands.command("join")
def incidents_join(
    ctx: typer.Context,
    keep: Annotated[int, typer.Argument(help="The incident to keep.")],
    other: Annotated[int, typer.Argument(help="The incident to fold into it.")],
    note: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
) -> None:
    """Join two incidents that are one event; re-merging keeps them together."""
    result = _ledger(ctx).join_incidents(_id(keep), _id(other), note=note)
    out.print(f"incident {other} joined into {keep} (decision {result.decision_id})",
              markup=False, highlight=False)


@incident_commands.command("claims")
def incidents_claims(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(help="The incident.")],
    as_json: JsonOpt = False,
) -> None:
    """The claims merged into an incident, with the ids split --claims takes."""
    incident = _ledger(ctx).incident(_id(incident_id))
    rows = [{
        "id": c.id, "dataset": c.dataset, "external_id": c.external_id,
        "event_type": c.event_type.value,
        "event_date": c.event_date.isoformat() if c.event_date else None,
        "date_end": c.date_end.isoformat() if c.date_end else None,
        "place": c.location.name if c.location else None,
        "perpetrator": c.perpetrator_actor or c.perpetrator, "killed": c.killed.best,
        "sources": c.sources,
    } for c in sorted(incident.claims, key=lambda c: c.id or 0)]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Claims of incident {incident_id} ({len(rows)})", title_justify="left")
    for column in ("id", "from", "type", "date", "place", "by", "killed", "sources"):
        table.add_column(column, overflow="fold")
    for row in rows:
        origin = f"{row['dataset']} {row['external_id']}" if row["dataset"] else "article"
        table.add_row(str(row["id"]), origin, str(row["event_type"]),
                      str(row["event_date"] or "?"), str(row["place"] or "?"),
                      str(row["perpetrator"] or "?"),
                      "-" if row["killed"] is None else str(row["killed"]),
                      "; ".join(row["sources"]))  # type: ignore[arg-type]
    out.print(table)


def _claim_ids(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise InputError("--claims", f"'{text}' is not a list of claim ids, e.g. 3,4") from None
    if not ids:
        raise InputError("--claims", "name at least one claim id, e.g. --claims 3,4")
    return [_id(claim, "--claims") for claim in ids]


def _id(value: int, what: str = "incident") -> int:
    """An id as the database can hold it (SQLite's integers stop at 2**63)."""
    if not 1 <= value <= MAX_ID:
        raise InputError(what, f"{value} is not an id (ids are 1 to {MAX_ID:,})")
    return value


def _ledger(ctx: typer.Context) -> Ledger:
    return state(ctx).ledger()
