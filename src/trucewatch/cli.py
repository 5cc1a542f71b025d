"""The command line: parses options, calls the library, prints tables or JSON.

Every TrucewatchError becomes a one-line message on standard error; bad input
exits with code 2.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from importlib import resources
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.exc import DBAPIError

from trucewatch import accounts, cli_import, cli_publish, cli_scenario, cli_tables
from trucewatch.cli_common import (
    Format,
    FormatOpt,
    PathsArg,
    PublishedOpt,
    ScenarioOpt,
    State,
    err,
    state,
)
from trucewatch.cli_output import (
    out,
    print_claims,
    print_indented,
    print_other_verdicts,
    print_verdicts,
)
from trucewatch.durations import parse_duration
from trucewatch.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    StoreError,
    TrucewatchError,
)
from trucewatch.evaluation import FIELDS, evaluate, published_of, read_gold
from trucewatch.extract import reading_notes
from trucewatch.geo.gazetteer import import_places
from trucewatch.ingest import expand_paths, iter_documents, read_document, read_stdin
from trucewatch.model import Incident, Report, Scenario, Verdict, VerdictKind
from trucewatch.pipeline import Pipeline
from trucewatch.publish.records import (
    claim_record,
    incident_record,
    place_record,
    report_record,
)
from trucewatch.scenario import load_scenario
from trucewatch.service import IncidentFilter
from trucewatch.settings import load_settings
from trucewatch.store.database import describe_error, url_for_people
from trucewatch.watch import PollSummary, Watcher, default_state_path

app = typer.Typer(
    help="trucewatch keeps the ledger of a ceasefire: agreements, reports, incidents, verdicts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(cli_scenario.scenario_app, name="scenario")
places_app = typer.Typer(help="Look places up in the gazetteer.", no_args_is_help=True)
app.add_typer(places_app, name="places")
users_app = typer.Typer(help="Accounts for the API: viewer, analyst, admin.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")
# export, report, digest and subscribe live in cli_publish
app.registered_commands.extend(cli_publish.commands.registered_commands)
app.add_typer(cli_publish.subscribe_app, name="subscribe")
app.add_typer(cli_import.import_app, name="import")  # datasets; incidents split/join below

VIOLATION_KINDS = (VerdictKind.VIOLATION.value, VerdictKind.PROBABLE_VIOLATION.value)


def _print_version(value: bool) -> None:
    if value:
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
    ctx.obj = State(load_settings(database_url=db))


_state = state


# --- store ------------------------------------------------------------------------------


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the database, or migrate it to the newest schema."""
    ledger = _state(ctx).ledger()
    ledger.init()
    out.print(f"database ready: {ledger.db.url}")


@app.command()
def doctor(ctx: typer.Context, fmt: Annotated[Format, typer.Option(
        "--format", "-f", help="table or json.")] = Format.table) -> None:
    """Check the ledger: it opens, SQLite's integrity check, migrations at head, no orphan
    rows. Exit 0 when healthy, 1 when not. Changes nothing."""
    from trucewatch.store.doctor import check_ledger, healthy

    url = _state(ctx).settings.database_url
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
    gazetteer = _state(ctx).gazetteer()
    results = [(name, gazetteer.explain(name, country=country, context=admin1 or ()))
               for name in names]
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
    count = import_places(path, _state(ctx).settings.places_dir)
    out.print(f"{count} place(s) from {path} added to {_state(ctx).settings.places_dir}")


# --- reading reports --------------------------------------------------------------------


@app.command()
def extract(
    ctx: typer.Context,
    paths: PathsArg,
    published: PublishedOpt = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Print the incidents each article reports (nothing is stored)."""
    pipeline = Pipeline.for_scenario(_scenario(ctx, scenario), _state(ctx).gazetteer())
    names = _actor_names(pipeline.scenario)
    _each_report(
        ctx, paths, published, fmt,
        lambda report: [claim_record(c, actor_names=names) for c in pipeline.claims(report)],
        print_claims,
    )


@app.command()
def check(
    ctx: typer.Context,
    paths: PathsArg,
    published: PublishedOpt = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Extract and assess articles against a scenario, without storing anything."""
    pipeline = Pipeline.for_scenario(_scenario(ctx, scenario, required=True),
                                     _state(ctx).gazetteer())
    _each_report(
        ctx, paths, published, fmt,
        lambda report: [incident_record(i, v) for i, v in pipeline.check(report)],
        lambda source, record: print_verdicts(source, record["incidents"]),
    )


def _each_report(
    ctx: typer.Context, paths: list[str], published: str | None, fmt: Format,
    read: Callable[[Report], list[dict[str, Any]]],
    show: Callable[[str, dict[str, Any]], None],
) -> None:
    """Read each input, print its record as it comes (table, jsonl) or all at the end
    (json); a refused input is reported and the batch goes on, ending with exit 2."""
    failures = 0
    records = []
    for source, report in _reports(ctx, paths, _date(published, "--published")):
        if isinstance(report, InputError):
            failures += 1
            err.print(f"error: {report}", markup=False, highlight=False)
            continue
        record = report_record(report) | {"incidents": read(report)}
        for note in reading_notes(report.text):
            err.print(f"note: {source}: {note}", markup=False, highlight=False)
        records.append(record)
        if fmt is Format.jsonl:
            print(json.dumps(record, ensure_ascii=False))
        elif fmt is Format.table:
            show(source, record)
    if fmt is Format.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    if failures:
        raise typer.Exit(2)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files or folders; '-' reads standard input.")] = None,
    published: PublishedOpt = None,
    scenario: ScenarioOpt = None,
    demo: Annotated[bool, typer.Option("--demo", help="Ingest the demo reports.")] = False,
) -> None:
    """Read articles into the store: extract, merge, assess. Re-ingesting changes nothing."""
    ledger = _state(ctx).ledger()
    ledger.db.require_current()
    ledger.scenario(scenario)
    sources = list(paths or [])
    if demo:
        sources.append(str(resources.files("trucewatch") / "demo"))
    if not sources:
        raise InputError("ingest", "name files or folders to ingest, or pass --demo")
    total = len(expand_paths(s for s in sources if s != "-")) + ("-" in sources)
    counts = {"new": 0, "unchanged": 0, "failed": 0, "incidents": 0}
    with cli_import.progress_bar() as progress:
        task = progress.add_task("ingesting", total=total)
        for path, report in _reports(ctx, sources, _date(published, "--published")):
            progress.advance(task)
            if isinstance(report, InputError):
                counts["failed"] += 1
                err.print(f"error: {report}", markup=False, highlight=False)
                continue
            for note in reading_notes(report.text):  # what was stored but not read
                err.print(f"note: {path}: {note}", markup=False, highlight=False)
            result = ledger.ingest(report)
            if result.created:
                counts["new"] += 1
                counts["incidents"] += len(result.incidents)
                if result.copy_of is not None:  # a syndicated copy of a stored story
                    err.print(f"{path}: a near-copy of report {result.copy_of}; stored as its "
                              "copy, no claim of its own", markup=False, highlight=False)
            else:
                counts["unchanged"] += 1
                err.print(f"{path}: already in the ledger, unchanged", markup=False)
    out.print(
        f"{counts['new']} report(s) ingested, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed; {counts['incidents']} incident(s) added or updated"
    )
    if counts["failed"]:
        raise typer.Exit(2)


@app.command()
def watch(
    ctx: typer.Context,
    sources: Annotated[list[str], typer.Argument(
        help="RSS/Atom feed URLs and folders of articles.")],
    every: Annotated[str, typer.Option(
        "--every", help="How often to poll each source: 90s, 15m, 2h.")] = "15m",
    once: Annotated[bool, typer.Option(
        "--once", help="Poll every source once and stop (for cron).")] = False,
    fetch: Annotated[bool, typer.Option(
        "--fetch/--no-fetch", help="Fetch each new item's article, or read the feed's "
        "own text of it.")] = True,
    state_file: Annotated[Path | None, typer.Option(
        "--state", help="Where to keep ETags, backoff and folder files already read "
        "(default: one file per database in the cache folder).")] = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Poll feeds and folders; extract, merge and assess what is new. Ctrl-C stops."""
    settings = _state(ctx).settings
    ledger = _state(ctx).ledger()
    ledger.db.require_current()
    ledger.scenario(scenario)
    watcher = Watcher(
        ledger, sources, interval=_seconds(every, "--every"),
        fetch_articles=fetch, max_bytes=settings.max_input_bytes,
        state_path=state_file or default_state_path(settings.cache_dir, settings.database_url),
    )

    failed: list[str] = []

    def report(summary: PollSummary) -> None:
        if summary.failed:  # one line: what failed and when it is tried again
            failed.append(summary.source)
            if summary.backing_off is not None:
                last = summary.errors[0].removeprefix(f"{summary.source}: ")
                err.print(f"error: {summary.source}: still failing ({last}); backing off, "
                          f"next try after {_clock(summary.backing_off)}", markup=False,
                          highlight=False)
            else:
                err.print(f"error: {summary.errors[0]}", markup=False, highlight=False)
            return
        if summary.not_modified:
            out.print(f"{summary.source}: not modified", markup=False)
        else:
            out.print(f"{summary.source}: {summary.items} item(s), {summary.new} new, "
                      f"{summary.known} already read; {summary.incidents} incident(s) added "
                      "or updated", markup=False, highlight=False)
        for problem in summary.errors:
            err.print(f"error: {problem}", markup=False, highlight=False)

    try:
        if once:
            for summary in watcher.poll_due(all_healthy=True):
                report(summary)
        else:
            watcher.run(on_poll=report)
    except KeyboardInterrupt:
        err.print("stopped")
    if once and failed:  # cron mails a failing run's output; a non-zero code marks it
        raise typer.Exit(1)


def _clock(moment: float) -> str:
    return datetime.fromtimestamp(moment).astimezone().strftime("%Y-%m-%d %H:%M %Z")


def _seconds(text: str, option: str) -> float:
    every = parse_duration(text)
    if every is None:
        raise InputError(option, f"{text!r} is not a duration; write 90s, 15m, 2h or 1d")
    if every.total_seconds() < 1:
        raise InputError(option, "poll at most once a second")
    return every.total_seconds()


@app.command()
def backfill(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files or folders of articles.")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Folder for the Parquet files (the checkpoint).")]
    = Path("backfill"),
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="A Dask scheduler, tcp://HOST:PORT; default: a LocalCluster "
        "on this machine.")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Worker processes of the LocalCluster (default: one per core).")]
    = None,
    partition: Annotated[int, typer.Option(
        "--partition", help="Articles per task.")] = 200,
    load: Annotated[bool, typer.Option(
        "--load/--no-load", help="Load the result into the store when done.")] = True,
    published: PublishedOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Read an archive on a Dask cluster into Parquet, then merge, assess and store it
    (needs the scale extra: pip install 'trucewatch[scale]')."""
    try:
        from trucewatch.backfill import backfill_articles, load_backfill
    except ImportError as exc:  # Dask and PyArrow come with the scale extra only
        if (exc.name or "").partition(".")[0] not in ("dask", "distributed", "pyarrow"):
            raise
        raise TrucewatchError(f"backfill needs Dask and PyArrow ({exc.name} is not "
                              "installed): pip install 'trucewatch[scale]'") from None

    settings = _state(ctx).settings
    ledger = _state(ctx).ledger()
    ledger.db.require_current()
    chosen = ledger.scenario(scenario)
    files = expand_paths(paths)
    with cli_import.progress_bar() as progress:
        task = progress.add_task("extracting", total=len(files))
        done = backfill_articles(
            files, output, scenario_folder=_scenario_folder(scenario, chosen),
            scheduler=scheduler, partition_size=partition, workers=workers,
            published=_date(published, "--published"), max_bytes=settings.max_input_bytes,
            on_partition=lambda s: progress.update(task, completed=s.articles + s.refused))
    out.print(f"{done.articles} article(s) read, {done.refused} refused, {done.claims} "
              f"claim(s), in {done.partitions} partition(s) under {output}")
    if not load:
        return
    with cli_import.progress_bar() as progress:
        task = progress.add_task("loading", total=done.articles)
        loaded = load_backfill(lambda report, claims: ledger.ingest_claims(report, claims, chosen),
                               output,
                               on_report=lambda s: progress.update(task, completed=s.new + s.known))
    out.print(f"{loaded.new} report(s) stored, {loaded.known} already in the ledger; "
              f"{loaded.incidents} incident(s) added or updated")


def _scenario_folder(name: str | None, scenario: Scenario) -> Path:
    """The folder the workers load the scenario from: the one named, else the stored one's
    builtin folder."""
    from trucewatch.scenario import resolve_scenario_path

    try:
        return resolve_scenario_path(name or scenario.id)
    except TrucewatchError as exc:
        raise InputError("--scenario", "the workers need the scenario's folder: pass "
                         "--scenario NAME|PATH") from exc


@app.command("eval")
def evaluate_extractor(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Argument(help="Gold annotations, one JSON object per line.")],
    articles: Annotated[Path, typer.Argument(help="Folder with the article of each id.")],
    scenario: ScenarioOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss.")] = False,
) -> None:
    """Measure the extractor on your own annotated articles (format: see the README)."""
    if not articles.is_dir():
        raise InputError(str(articles), "not a folder of articles")
    pipeline = Pipeline.for_scenario(_scenario(ctx, scenario), _state(ctx).gazetteer())
    limit = _state(ctx).settings.max_input_bytes

    def predict(row: dict[str, Any]) -> list[dict[str, Any]] | None:
        path = next((articles / f"{row['id']}{suffix}" for suffix in (".txt", ".html", ".htm")
                     if (articles / f"{row['id']}{suffix}").exists()), None)
        if path is None:
            err.print(f"error: {articles}: no article for id {row['id']}", markup=False)
            return None
        try:
            report = read_document(path, published=published_of(row), max_bytes=limit)
        except InputError as error:
            err.print(f"error: {error}", markup=False, highlight=False)
            return None
        return [claim_record(claim) for claim in pipeline.claims(report)]

    scores = evaluate(read_gold(gold), predict)
    if fmt is Format.json:
        print(json.dumps(scores.as_dict(), indent=2))
        return
    if verbose:
        for note in scores.notes:
            out.print(note, markup=False, highlight=False)
    out.print(f"articles: {scores.articles}; incidents: {scores.gold} gold, "
              f"{scores.predicted} predicted, {scores.matched} matched")
    out.print(f"incident precision {scores.precision:.3f}  recall {scores.recall:.3f}  "
              f"F1 {scores.f1:.3f}")
    for name in FIELDS:
        out.print(f"  {name:<11} accuracy on matched: {scores.accuracy(name):.3f}")
    out.print(f"  {'sources':<11} recall on matched:   {scores.sources:.3f}")
    out.print(f"main incident fully right: {scores.main_right}/{scores.main_total} = "
              f"{scores.main:.3f}")


# --- reading the ledger -----------------------------------------------------------------


def _filter(
    zone: str | None, date_from: str | None, date_to: str | None,
    event_type: str | None, verdicts: tuple[str, ...],
) -> IncidentFilter:
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    if start and end and start > end:
        raise InputError("--from/--to", f"the range is upside down: {start} is after {end}")
    return IncidentFilter(zones=(zone,) if zone else (), date_from=start, date_to=end,
                          event_types=(cli_publish.parse_event_type(event_type),)
                          if event_type is not None else (), verdicts=verdicts)


ZoneOpt = Annotated[str | None, typer.Option("--zone", help="Zone id.")]
FromOpt = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")]
TypeOpt = Annotated[str | None, typer.Option(
    "--type", help="Event type: ACLED's name ('Air/drone strike'), the table's ('Air "
    "strike') or the code (air_strike), any case.")]
VerdictOpt = Annotated[
    list[str] | None, typer.Option("--verdict", help="Verdict(s) to show, e.g. 'violation'.")
]


# `incidents` lists; its subcommands (split, join, claims: cli_import) are analysts' tools.
incidents_app = typer.Typer(invoke_without_command=True)
incidents_app.registered_commands.extend(cli_import.incident_commands.registered_commands)
app.add_typer(incidents_app, name="incidents")


@incidents_app.callback()
def incidents(
    ctx: typer.Context, zone: ZoneOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
    event_type: TypeOpt = None, verdict: VerdictOpt = None, fmt: FormatOpt = Format.table,
) -> None:
    """List stored incidents with their verdicts; 'incidents split|join|claims' to review
    how claims were merged."""
    if ctx.invoked_subcommand is not None:
        return
    where = _filter(zone, date_from, date_to, event_type, _verdicts(verdict))
    _print_rows(_state(ctx).ledger().incidents(where), fmt, title="Incidents")


@app.command()
def violations(
    ctx: typer.Context, zone: ZoneOpt = None, date_from: FromOpt = None, date_to: ToOpt = None,
    event_type: TypeOpt = None, verdict: VerdictOpt = None, fmt: FormatOpt = Format.table,
    show_all: Annotated[bool, typer.Option("--all", help="Every verdict, not only violations.")]
    = False,
) -> None:
    """The violations ledger: violations and probable violations (all verdicts with --all)."""
    chosen = _verdicts(verdict) or (() if show_all else VIOLATION_KINDS)
    ledger = _state(ctx).ledger()
    rows = ledger.incidents(_filter(zone, date_from, date_to, event_type, chosen))
    _print_rows(rows, fmt, title="Violations ledger" if not show_all else "Ledger")
    if fmt is Format.table and not show_all and not verdict:
        others = ledger.incidents(_filter(zone, date_from, date_to, event_type, ()))
        print_other_verdicts([v for _, v in others if v is None or v.kind not in VIOLATION_KINDS])


# --- serving and accounts ---------------------------------------------------------------


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the JSON API (described at /openapi.json) and the dashboard over the store."""
    import uvicorn  # only the server needs it

    from trucewatch.server import create_app

    settings = _state(ctx).settings
    ledger = _state(ctx).ledger()
    ledger.db.require_current()
    err.print(f"serving {ledger.db.url} on http://{host}:{port} (API described at /openapi.json; "
              f"public read {'on' if settings.public_read else 'off'})", markup=False)
    uvicorn.run(create_app(settings, ledger=ledger), host=host, port=port)


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
    chosen = accounts.parse_role(role)
    ledger = _state(ctx).ledger()
    ledger.db.require_current()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = accounts.add_user(ledger.db, username, password, chosen,
                             cost=_state(ctx).settings.password_hash_cost)
    out.print(f"user {user.username} added as {user.role.value}", markup=False)


@users_app.command("list")
def users_list(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """List the accounts with their roles."""
    ledger = _state(ctx).ledger()
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


# --- helpers ----------------------------------------------------------------------------


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(option, f"'{value}' is not a date; use YYYY-MM-DD") from None


def _verdicts(values: list[str] | None) -> tuple[str, ...]:
    known = {kind.value for kind in VerdictKind}
    chosen = tuple(v.replace("_", " ") for v in values or [])
    for value in chosen:
        if value not in known:
            raise InputError("--verdict", f"unknown verdict '{value}'; one of: "
                             + ", ".join(sorted(known)))
    return chosen


def _scenario(ctx: typer.Context, name: str | None, *, required: bool = False) -> Scenario | None:
    chosen = name or _state(ctx).settings.scenario
    if chosen.lower() == "none" and not required:
        return None
    return load_scenario(chosen)


def _reports(
    ctx: typer.Context, paths: list[str], published: date | None
) -> Iterator[tuple[str, Report | InputError]]:
    """Each input with its report or the error that refused it, in the order named; '-'
    is standard input (read once, wherever it stands among the paths)."""
    limit = _state(ctx).settings.max_input_bytes
    if paths.count("-") > 1:
        raise InputError("-", "standard input can be read only once; name '-' once")
    for path in paths:
        if path == "-":
            try:
                yield "<stdin>", read_stdin(published=published, max_bytes=limit)
            except InputError as error:
                yield "<stdin>", error
            continue
        for found, report in iter_documents([path], published=published, max_bytes=limit):
            yield str(found), report


def _actor_names(scenario: Scenario | None) -> dict[str, str]:
    return {a.id: a.name for a in scenario.actors.values()} if scenario else {}


Entries = list[tuple[Incident, Verdict | None]]


def _print_rows(entries: Entries, fmt: Format, *, title: str) -> None:
    records = [incident_record(incident, verdict) for incident, verdict in entries]
    if fmt is Format.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt is Format.jsonl:
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
    else:
        print_verdicts(f"{title} ({len(records)})", records)


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
        if debug and isinstance(error.__cause__, DBAPIError):
            raise error.__cause__ from None
        err.print(f"error: {for_cli(error)}", markup=False, highlight=False)
        sys.exit(2 if isinstance(error, InputError | NotFoundError | ConflictError
                                 | StoreError) else 1)
    except DBAPIError as error:
        if debug:
            raise
        err.print(f"error: {describe_error(error, _database_url(args))}", markup=False,
                  highlight=False)
        sys.exit(2)
    except OSError as error:
        # What the machine refuses (a full disk, a folder not ours): one line. Other
        # OSErrors are bugs until shown otherwise.
        if debug or error.errno not in _MACHINE_ERRNOS:
            raise
        where = f"{error.filename}: " if error.filename else ""
        err.print(f"error: {where}{error.strerror or error}", markup=False, highlight=False)
        sys.exit(2)


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
