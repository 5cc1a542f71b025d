"""A quick start (issue 17): the command line imports its heavy libraries inside the
commands that use them, so `trucewatch --help` loads Typer and rich only, and
`trucewatch extract` no store, server or password hasher.

Each case runs the command in a fresh interpreter and reads back which modules it
loaded: a top-level import creeping back in fails here, whatever the machine's speed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# What costs the start-up: the store (SQLAlchemy, Alembic), the gazetteer (shapely,
# numpy), the extractor (spaCy), the API (FastAPI), accounts (argon2), exports (pandas),
# settings and dates (pydantic, dateparser) and the article reader (trafilatura).
STORE = ("sqlalchemy", "alembic")
SERVER = ("fastapi", "starlette", "uvicorn")
HEAVY = (*STORE, *SERVER, "shapely", "numpy", "pandas", "spacy", "thinc", "argon2",
         "dateparser", "trafilatura", "lxml")
# A sub-command's help runs the main options first, and they read the settings (so a bad
# setting is named whatever the command): pydantic then, but nothing else heavy.
SETTINGS = ("pydantic", "pydantic_settings")

PROBE = """
import json, sys
from trucewatch.cli import main
for args in json.loads(sys.argv[2]):
    try:
        main(args)
    except SystemExit:
        pass
with open(sys.argv[1], "w") as found:
    json.dump(sorted({name.partition(".")[0] for name in sys.modules}), found)
"""


def loaded(tmp_path: Path, *runs: list[str]) -> set[str]:
    """The top-level packages that runs of `trucewatch ARGS`, one after the other in one
    fresh interpreter, imported between them (one interpreter: each costs a start)."""
    listing = tmp_path / "modules.json"
    run = subprocess.run([sys.executable, "-c", PROBE, str(listing), json.dumps(runs)],
                         capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "COLUMNS": "100",
                              "TRUCEWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert run.returncode == 0, run.stderr
    return set(json.loads(listing.read_text()))


def test_help_loads_no_heavy_library(tmp_path: Path):
    found = loaded(tmp_path, ["--help"], ["--version"], [])
    assert "typer" in found  # the probe saw the command line run
    heavy = set(HEAVY) | set(SETTINGS)
    assert not found & heavy, f"trucewatch --help imported {found & heavy}"


def test_a_commands_help_loads_only_the_settings(tmp_path: Path):
    commands = [["scenario", "--help"], ["import", "acled", "--help"], ["export", "--help"],
                ["incidents", "--help"], ["users", "--help"], ["places", "find", "--help"],
                ["ingest", "--help"], ["serve", "--help"], ["doctor", "--help"]]
    found = loaded(tmp_path, *commands)
    assert "typer" in found and "pydantic_settings" in found
    assert not found & set(HEAVY), f"a command's --help imported {found & set(HEAVY)}"


@pytest.mark.slow  # loads spaCy's model in a fresh interpreter: a second and more
def test_extract_loads_no_store_server_or_hasher(tmp_path: Path):
    """Reading an article needs the extractor and the gazetteer, nothing that stores,
    serves or hashes."""
    article = tmp_path / "a.txt"
    article.write_text("DOUMA, Syria, July 4, 2017 - Air strikes hit Douma on Tuesday, "
                       "killing a woman and a child, a medical source said.\n")
    found = loaded(tmp_path, ["extract", str(article), "--scenario", "none"])
    assert "trucewatch" in found and "shapely" in found  # the gazetteer was loaded
    unwanted = set(STORE) | set(SERVER) | {"argon2", "pandas"}
    assert not found & unwanted, f"extract imported {found & unwanted}"


def test_the_help_constants_match_the_library():
    """--help shows the export formats and the batch size without loading the store, so
    the command line names them itself; they must stay the library's."""
    from trucewatch import cli_import, cli_publish
    from trucewatch.publish.export import ExportFormat
    from trucewatch.service.importing import IMPORT_BATCH_SIZE

    assert {f.name: f.value for f in cli_publish.ExportFormat} == {
        f.name: f.value for f in ExportFormat}
    assert cli_import.BATCH_SIZE == IMPORT_BATCH_SIZE


def test_the_service_loads_nothing_heavy_until_asked():
    """The command line reaches everything through `trucewatch.service`, so importing the
    package and its ledger-less use cases (`service.standalone`) must cost no store and no
    stage: each name the package re-exports is loaded on first use."""
    code = ("import json, sys, trucewatch.service, trucewatch.service.standalone\n"
            "print(json.dumps(sorted({m.partition('.')[0] for m in sys.modules})))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    found = set(json.loads(run.stdout))
    heavy = set(HEAVY) | set(SETTINGS)
    assert not found & heavy, f"importing the service loaded {found & heavy}"


def test_the_service_reexports_what_it_names():
    """`trucewatch.service`'s table of re-exports, its __all__ and the imports mypy reads
    (under TYPE_CHECKING) name the same things, and each name is its home's object."""
    import ast
    import importlib

    import trucewatch.service as service

    tree = ast.parse(Path(service.__file__).read_text())
    typed = {alias.asname or alias.name: node.module
             for branch in tree.body if isinstance(branch, ast.If)
             and ast.unparse(branch.test) == "TYPE_CHECKING"
             for node in branch.body if isinstance(node, ast.ImportFrom)
             for alias in node.names}
    assert typed == service._HOMES
    assert sorted(service.__all__) == sorted(service._HOMES)
    for name, home in service._HOMES.items():
        assert getattr(service, name) is getattr(importlib.import_module(home), name)
    with pytest.raises(AttributeError, match="no_such_thing"):
        service.no_such_thing  # noqa: B018  (an unknown name stays an error)
    from trucewatch.service import ingesting  # a submodule is still found beside the table

    assert ingesting.__name__ == "trucewatch.service.ingesting"
