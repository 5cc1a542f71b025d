"""The commands that read reports: ``trucewatch extract``, ``check``, ``ingest``,
``watch``, ``backfill`` and ``eval``.

A thin layer like the rest of the command line: it reads the inputs named, hands them to
the pipeline or the ledger and prints what came back; ``trucewatch.cli`` registers
``commands`` and turns errors into one-line messages and exit codes. The pipeline, the
store and the extractor are imported inside the commands: ``--help`` does not pay for them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from trucewatch import cli_import
from trucewatch.cli_common import (
    Format,
    FormatOpt,
    PathsArg,
    PublishedOpt,
    ScenarioOpt,
    err,
    parse_date,
    state,
)
from trucewatch.cli_output import out, print_claims, print_verdicts
from trucewatch.errors import InputError, TrucewatchError

if TYPE_CHECKING:
    from trucewatch.model import Report, Scenario
    from trucewatch.watch import PollSummary

commands = typer.Typer()


@commands.command()
def extract(
    ctx: typer.Context,
    paths: PathsArg,
    published: PublishedOpt = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Print the incidents each article reports (nothing is stored)."""
    from trucewatch.pipeline import Pipeline
    from trucewatch.publish.records import claim_record

    pipeline = Pipeline.for_scenario(_scenario(ctx, scenario), state(ctx).gazetteer())
    names = _actor_names(pipeline.scenario)
    _each_report(
        ctx, paths, published, fmt,
        lambda report: [claim_record(c, actor_names=names) for c in pipeline.claims(report)],
        print_claims,
    )


@commands.command()
def check(
    ctx: typer.Context,
    paths: PathsArg,
    published: PublishedOpt = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Extract and assess articles against a scenario, without storing anything."""
    from trucewatch.pipeline import Pipeline
    from trucewatch.publish.records import incident_record

    pipeline = Pipeline.for_scenario(_scenario(ctx, scenario, required=True),
                                     state(ctx).gazetteer())
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
    from trucewatch.extract import reading_notes
    from trucewatch.publish.records import report_record

    failures = 0
    records = []
    for source, report in _reports(ctx, paths, parse_date(published, "--published")):
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


@commands.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files or folders; '-' reads standard input.")] = None,
    published: PublishedOpt = None,
    scenario: ScenarioOpt = None,
    demo: Annotated[bool, typer.Option("--demo", help="Ingest the demo reports.")] = False,
) -> None:
    """Read articles into the store: extract, merge, assess. Re-ingesting changes nothing."""
    from trucewatch.extract import reading_notes
    from trucewatch.ingest import expand_paths

    ledger = state(ctx).ledger()
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
        for path, report in _reports(ctx, sources, parse_date(published, "--published")):
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


@commands.command()
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
    from trucewatch.watch import Watcher, default_state_path

    settings = state(ctx).settings
    ledger = state(ctx).ledger()
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
    from trucewatch.durations import parse_duration

    every = parse_duration(text)
    if every is None:
        raise InputError(option, f"{text!r} is not a duration; write 90s, 15m, 2h or 1d")
    if every.total_seconds() < 1:
        raise InputError(option, "poll at most once a second")
    return every.total_seconds()


@commands.command()
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
    from trucewatch.ingest import expand_paths

    settings = state(ctx).settings
    ledger = state(ctx).ledger()
    ledger.db.require_current()
    chosen = ledger.scenario(scenario)
    files = expand_paths(paths)
    with cli_import.progress_bar() as progress:
        task = progress.add_task("extracting", total=len(files))
        done = backfill_articles(
            files, output, scenario_folder=_scenario_folder(scenario, chosen),
            scheduler=scheduler, partition_size=partition, workers=workers,
            published=parse_date(published, "--published"), max_bytes=settings.max_input_bytes,
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


@commands.command("eval")
def evaluate_extractor(
    ctx: typer.Context,
    gold: Annotated[Path, typer.Argument(help="Gold annotations, one JSON object per line.")],
    articles: Annotated[Path, typer.Argument(help="Folder with the article of each id.")],
    scenario: ScenarioOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss.")] = False,
) -> None:
    """Measure the extractor on your own annotated articles (format: see the README)."""
    from trucewatch.evaluation import FIELDS, evaluate, published_of, read_gold
    from trucewatch.ingest import read_document
    from trucewatch.pipeline import Pipeline
    from trucewatch.publish.records import claim_record

    if not articles.is_dir():
        raise InputError(str(articles), "not a folder of articles")
    pipeline = Pipeline.for_scenario(_scenario(ctx, scenario), state(ctx).gazetteer())
    limit = state(ctx).settings.max_input_bytes

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


def _scenario(ctx: typer.Context, name: str | None, *, required: bool = False) -> Scenario | None:
    chosen = name or state(ctx).settings.scenario
    if chosen.lower() == "none" and not required:
        return None
    from trucewatch.scenario import load_scenario

    return load_scenario(chosen)


def _reports(
    ctx: typer.Context, paths: list[str], published: date | None
) -> Iterator[tuple[str, Report | InputError]]:
    """Each input with its report or the error that refused it, in the order named; '-'
    is standard input (read once, wherever it stands among the paths)."""
    from trucewatch.ingest import iter_documents, read_stdin

    limit = state(ctx).settings.max_input_bytes
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
