"""The commands that read reports: ``trucewatch extract``, ``check``, ``ingest``,
``watch``, ``backfill`` and ``eval``.

A thin layer like the rest of the command line: it hands the inputs named to the service
(``service.standalone`` reads them without a ledger; the ledger stores them) and prints
what came back; ``trucewatch.cli`` registers ``commands`` and turns errors into one-line
messages and exit codes. The service is imported inside the commands: ``--help`` does not
pay for the extractor, the gazetteer or the store.
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
from trucewatch.errors import InputError

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
    from trucewatch.service.standalone import Reader

    reader = Reader.for_scenario(_scenario(ctx, scenario), state(ctx).gazetteer())
    _each_report(ctx, paths, published, fmt, reader.claim_records, print_claims)


@commands.command()
def check(
    ctx: typer.Context,
    paths: PathsArg,
    published: PublishedOpt = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Extract and assess articles against a scenario, without storing anything."""
    from trucewatch.service.standalone import Reader

    reader = Reader.for_scenario(_scenario(ctx, scenario, required=True),
                                 state(ctx).gazetteer())
    _each_report(
        ctx, paths, published, fmt, reader.incident_records,
        lambda source, record: print_verdicts(source, record["incidents"]),
    )


def _each_report(
    ctx: typer.Context, paths: list[str], published: str | None, fmt: Format,
    read: Callable[[Report], list[dict[str, Any]]],
    show: Callable[[str, dict[str, Any]], None],
) -> None:
    """Read each input, print its record as it comes (table, jsonl) or all at the end
    (json); a refused input is reported and the batch goes on, ending with exit 2."""
    from trucewatch.service.standalone import reading_notes, report_record

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
    from trucewatch.service.standalone import count_inputs, reading_notes

    ledger = state(ctx).ledger()
    ledger.db.require_current()
    ledger.scenario(scenario)
    sources = list(paths or [])
    if demo:
        sources.append(str(resources.files("trucewatch") / "demo"))
    if not sources:
        raise InputError("ingest", "name files or folders to ingest, or pass --demo")
    total = count_inputs(sources)
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
    from trucewatch.service import backfilling
    from trucewatch.service.standalone import article_files

    backfilling.require_scale_extra()  # before the ledger is opened
    settings = state(ctx).settings
    ledger = state(ctx).ledger()
    ledger.db.require_current()
    chosen = ledger.scenario(scenario)
    files = article_files(paths)
    with cli_import.progress_bar() as progress:
        task = progress.add_task("extracting", total=len(files))
        done = backfilling.extract_archive(
            files, output, scenario_name=scenario, scenario=chosen,
            scheduler=scheduler, partition_size=partition, workers=workers,
            published=parse_date(published, "--published"), max_bytes=settings.max_input_bytes,
            on_partition=lambda s: progress.update(task, completed=s.articles + s.refused))
    out.print(f"{done.articles} article(s) read, {done.refused} refused, {done.claims} "
              f"claim(s), in {done.partitions} partition(s) under {output}")
    if not load:
        return
    with cli_import.progress_bar() as progress:
        task = progress.add_task("loading", total=done.articles)
        loaded = backfilling.load_archive(
            ledger, output, chosen,
            on_report=lambda s: progress.update(task, completed=s.new + s.known))
    out.print(f"{loaded.new} report(s) stored, {loaded.known} already in the ledger; "
              f"{loaded.incidents} incident(s) added or updated")


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
    from trucewatch.service.standalone import Reader, find_article, read_article

    if not articles.is_dir():
        raise InputError(str(articles), "not a folder of articles")
    reader = Reader.for_scenario(_scenario(ctx, scenario), state(ctx).gazetteer())
    limit = state(ctx).settings.max_input_bytes

    def predict(row: dict[str, Any]) -> list[dict[str, Any]] | None:
        path = find_article(articles, row["id"])
        if path is None:
            err.print(f"error: {articles}: no article for id {row['id']}", markup=False)
            return None
        try:
            report = read_article(path, published_of(row), limit)
        except InputError as error:
            err.print(f"error: {error}", markup=False, highlight=False)
            return None
        return reader.claim_records(report)

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
    from trucewatch.service.standalone import load_scenario

    return load_scenario(name or state(ctx).settings.scenario, optional=not required)


def _reports(
    ctx: typer.Context, paths: list[str], published: date | None
) -> Iterator[tuple[str, Report | InputError]]:
    from trucewatch.service.standalone import read_inputs

    return read_inputs(paths, published, state(ctx).settings.max_input_bytes)
