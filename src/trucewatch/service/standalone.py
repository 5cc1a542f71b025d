"""The use cases that need no ledger: reading articles and extracting their claims,
checking them against a scenario, showing and validating scenarios, looking places up,
and turning what the ledger answered into files (an export's columns and file, a
briefing's HTML or PDF, a digest's "since").

The command line's `extract`, `check`, `eval`, `scenario` and `places` commands call
this and nothing below it. Importing it is cheap: the stages (the extractor, the
scenario reader, the gazetteer: shapely, numpy) and the publishers (the store,
SQLAlchemy) are imported by the call that needs them, so `trucewatch --help` and
`trucewatch extract` pay for no store (tests/test_cli_startup.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from trucewatch.errors import InputError, TrucewatchError
from trucewatch.model import Commitment, Place, Report, Scenario

if TYPE_CHECKING:
    from trucewatch.geo.gazetteer import Gazetteer
    from trucewatch.pipeline import Pipeline
    from trucewatch.publish.briefing import Briefing
    from trucewatch.publish.export import ExportFormat
    from trucewatch.settings import Settings

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")  # an evaluation's article, by its id


def gazetteer(settings: Settings) -> Gazetteer:
    """The gazetteer the settings name (their cache and places folders)."""
    from trucewatch.pipeline import default_gazetteer

    return default_gazetteer(settings)


# Scenarios


def load_scenario(name: str, *, optional: bool = False) -> Scenario | None:
    """A builtin scenario by name, or a folder; with ``optional``, "none" (any case) is no
    scenario: claims are read without one."""
    if optional and name.lower() == "none":
        return None
    from trucewatch.scenario import load_scenario as load

    return load(name)


def validate_scenario(path: str) -> list[str]:
    """Every problem of a scenario folder, each naming its file and entry."""
    from trucewatch.scenario import validate_scenario as validate

    return validate(path)


def new_scenario(folder: str) -> Path:
    """A commented format-2 scenario folder to fill in; the folder written."""
    from trucewatch.scenario import write_skeleton

    return write_skeleton(folder)


def builtin_scenarios() -> list[str]:
    from trucewatch.scenario import builtin_scenarios as builtin

    return builtin()


def scenario_folder(name: str | None, scenario: Scenario) -> Path:
    """The folder a scenario is read from: the one named, else the builtin folder of the
    one in use (what a backfill's workers load)."""
    from trucewatch.scenario import resolve_scenario_path

    try:
        return resolve_scenario_path(name or scenario.id)
    except TrucewatchError as exc:
        raise InputError("scenario", "the workers need the scenario's folder: name a "
                         "builtin scenario or a folder") from exc


def zone_sources(scenario: Scenario) -> dict[str, str]:
    """Where each zone's boundary comes from (format 2's references), by zone id."""
    from trucewatch.scenario import summary

    return summary.zone_sources(scenario)


def commitment_lines(commitment: Commitment, scenario: Scenario) -> list[str]:
    """A commitment's periods, ending, roles, weapon zones and who it binds, as lines."""
    from trucewatch.scenario import summary

    return summary.commitment_lines(commitment, scenario)


def actor_lines(scenario: Scenario) -> list[str]:
    """Each actor with its kind, aliases and what binds it, as lines."""
    from trucewatch.scenario import summary

    return summary.actor_lines(scenario)


# Reading articles


def read_inputs(paths: list[str], published: date | None,
                max_bytes: int) -> Iterator[tuple[str, Report | InputError]]:
    """Each input with its report or the error that refused it, in the order named; '-'
    is standard input (read once, wherever it stands among the paths)."""
    from trucewatch.ingest import iter_documents, read_stdin

    if paths.count("-") > 1:
        raise InputError("-", "standard input can be read only once; name '-' once")
    for path in paths:
        if path == "-":
            try:
                yield "<stdin>", read_stdin(published=published, max_bytes=max_bytes)
            except InputError as error:
                yield "<stdin>", error
            continue
        for found, report in iter_documents([path], published=published, max_bytes=max_bytes):
            yield str(found), report


def article_files(paths: Iterable[str]) -> list[Path]:
    """The files named, and the article files inside the folders named (sorted)."""
    from trucewatch.ingest import expand_paths

    return expand_paths(paths)


def count_inputs(paths: list[str]) -> int:
    """How many reports `read_inputs` will give (standard input counts once)."""
    return len(article_files(p for p in paths if p != "-")) + ("-" in paths)


def find_article(folder: Path, article_id: str) -> Path | None:
    """The article file of an id in a folder (ID.txt, ID.html or ID.htm), if any."""
    return next((folder / f"{article_id}{suffix}" for suffix in ARTICLE_SUFFIXES
                 if (folder / f"{article_id}{suffix}").exists()), None)


def read_article(path: Path, published: date | None, max_bytes: int) -> Report:
    from trucewatch.ingest import read_document

    return read_document(path, published=published, max_bytes=max_bytes)


def reading_notes(text: str) -> list[str]:
    """What a report holds that the extractor does not read (said to the user, not an
    error)."""
    from trucewatch.extract import reading_notes as notes

    return notes(text)


def report_record(report: Report) -> dict[str, Any]:
    from trucewatch.publish.records import report_record as record

    return record(report)


@dataclass(slots=True)
class Reader:
    """Reads reports with one scenario's actors (or none) and one gazetteer, storing
    nothing: the claims `extract` prints, the incidents and verdicts `check` prints."""

    pipeline: Pipeline

    @classmethod
    def for_scenario(cls, scenario: Scenario | None, places: Gazetteer) -> Reader:
        from trucewatch.pipeline import Pipeline

        return cls(Pipeline.for_scenario(scenario, places))

    def claim_records(self, report: Report) -> list[dict[str, Any]]:
        """The report's claims as records, each perpetrator's name in the scenario beside
        its id."""
        from trucewatch.publish.records import claim_record

        scenario = self.pipeline.scenario
        names = {a.id: a.name for a in scenario.actors.values()} if scenario else None
        return [claim_record(claim, actor_names=names) for claim in self.pipeline.claims(report)]

    def incident_records(self, report: Report) -> list[dict[str, Any]]:
        """The report's claims merged into incidents, each with its verdict under the
        scenario (none without one)."""
        from trucewatch.publish.records import incident_record

        return [incident_record(i, v) for i, v in self.pipeline.check(report)]


# Places


def find_places(places: Gazetteer, names: list[str], *, country: str | None,
                context: Iterable[str] = ()) -> list[tuple[str, list[tuple[Place, str]]]]:
    """Each name with its candidates, best first, and why each ranks where it does."""
    context = tuple(context)
    return [(name, places.explain(name, country=country, context=context)) for name in names]


def place_record(place: Place | None) -> dict[str, Any] | None:
    from trucewatch.publish.records import place_record as record

    return record(place)


def import_places(path: Path, places_dir: Path) -> int:
    """Add a CSV of places to the user's places folder; how many were added."""
    from trucewatch.geo.gazetteer import import_places as add

    return add(path, places_dir)


# The ledger's answers as files


def check_columns(fmt: ExportFormat, columns: Iterable[str] | None) -> tuple[str, ...]:
    """The export's columns in the order given, each one the format has; all of them when
    none are given."""
    from trucewatch.publish.export import check_columns as check

    return check(fmt, columns)


def output_file(path: Path) -> AbstractContextManager[TextIO]:
    """A text file written beside ``path`` and moved over it only when complete."""
    from trucewatch.publish.export import output_file as file

    return file(path)


def write_briefing(briefing: Briefing, path: Path, *, html: bool = False) -> int | None:
    """The briefing printed to a PDF at ``path`` (its number of pages), or its HTML written
    there (None)."""
    from trucewatch.publish.briefing import render_html, write_pdf

    if html:
        with output_file(path) as stream:
            stream.write(render_html(briefing))
        return None
    return write_pdf(briefing, path)


def parse_since(text: str) -> datetime:
    """A digest's "since": 24h, 90m, 7d, 2w before now, or a day or moment."""
    from trucewatch.publish.digest import parse_since as parse

    return parse(text)
