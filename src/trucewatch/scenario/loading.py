"""Finding, loading and validating a scenario folder: both files read, every problem
gathered, a Scenario returned only when there is none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trucewatch.errors import NotFoundError, ScenarioError, ScenarioProblems
from trucewatch.model import Scenario
from trucewatch.scenario.files import (
    SCENARIO_FILE,
    ZONES_FILE,
    builtin_root,
    read_json,
    read_yaml,
)
from trucewatch.scenario.geojson import read_features
from trucewatch.scenario.geometry import AreaOutlines, shipped_outlines
from trucewatch.scenario.reading import format_of, read_scenario


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped inside the package."""
    root = builtin_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / SCENARIO_FILE).is_file())


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """The folder of a builtin name, of a folder path, or of a path to one of its files.

    A bare builtin name wins over a folder of that name in the working
    directory; write ``./astana-2017`` to mean the folder.
    """
    builtins = builtin_scenarios()
    if isinstance(name_or_path, str) and name_or_path in builtins:
        return builtin_root() / name_or_path
    if str(name_or_path).strip():
        path = Path(name_or_path).expanduser()
        if path.is_file() and path.name in (SCENARIO_FILE, ZONES_FILE):
            return path.parent.resolve()
        if path.is_dir():
            return path.resolve()
    raise NotFoundError(
        f"no scenario {str(name_or_path)!r}: it is neither a builtin scenario "
        f"({', '.join(builtins) or 'none installed'}) nor a folder holding {SCENARIO_FILE}"
    )


def load_scenario(name_or_path: str | Path, *, outlines: AreaOutlines | None = None
                  ) -> Scenario:
    """Read and check a scenario. An unreadable file raises ScenarioError with its
    line; anything else wrong raises ScenarioProblems listing every problem.
    ``outlines``: where areas by reference come from (default: the shipped ones)."""
    folder = resolve_scenario_path(name_or_path)
    scenario, unreadable, problems = _inspect(folder, outlines)
    if unreadable:
        raise unreadable[0]
    if problems or scenario is None:
        raise ScenarioProblems(str(folder), problems)
    return scenario


def validate_scenario(name_or_path: str | Path, *, outlines: AreaOutlines | None = None
                      ) -> list[str]:
    """Every problem of a scenario, each naming its file and entry; empty when valid."""
    folder = resolve_scenario_path(name_or_path)
    _, unreadable, problems = _inspect(folder, outlines)
    located = [
        f"{Path(e.source).name}{'' if e.where is None else f':{e.where}'}: {e.problem}"
        for e in unreadable
    ]
    return located + problems


def _inspect(folder: Path, outlines: AreaOutlines | None
             ) -> tuple[Scenario | None, list[ScenarioError], list[str]]:
    """Read both files: the scenario (None if anything is wrong), the files that
    could not be read at all, and every other problem."""
    unreadable: list[ScenarioError] = []
    problems: list[str] = []
    doc: Any = None
    geo: Any = None
    yaml_read = False
    try:
        doc, repeated = read_yaml(folder / SCENARIO_FILE)
        yaml_read = True
        problems += [f"{SCENARIO_FILE}:{line}: key {key!r} is given twice; only the last counts"
                     for key, line in repeated]
    except ScenarioError as error:
        unreadable.append(error)
    try:
        geo = read_json(folder / ZONES_FILE)
    except ScenarioError as error:
        unreadable.append(error)
    version = format_of(doc) or 1
    zones, lines = read_features(geo, problems, version) if geo is not None else (None, None)
    scenario = None
    if yaml_read and doc is None:
        problems.append(f"{SCENARIO_FILE}: the file is empty")
    elif yaml_read:
        scenario = read_scenario(doc, problems, zones, lines, str(folder),
                                 outlines if outlines is not None else shipped_outlines())
    if unreadable or problems or zones is None:
        return None, unreadable, problems
    return scenario, unreadable, problems
