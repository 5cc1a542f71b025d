"""The house rules that a reader could miss: core modules speak the domain's words,
not the command line's or the API's (docs/architecture.md)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "trucewatch"
# The edges: they translate the core's parameters into options and fields.
EDGES = ("cli.py", "cli_*.py", "api/**/*.py", "web/**/*.py", "edge/**/*.py", "server.py")
EDGE_WORDS = re.compile(r"(?<![\w-])--[a-z][a-z-]*|/api/")


def core_modules() -> list[Path]:
    edge = {path for pattern in EDGES for path in PACKAGE.glob(pattern)}
    return sorted(path for path in PACKAGE.rglob("*.py")
                  if path not in edge and "migrations" not in path.parts)


def raised_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string written into a raised exception's arguments, with its line."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in [*node.exc.args, *(k.value for k in node.exc.keywords)]:
                for part in ast.walk(arg):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        found.append((part.lineno, part.value))
    return found


def test_core_errors_name_no_option_or_url():
    """Core errors name domain parameters ('claims', 'since', 'zone'); the command line
    shows them as options and the API as fields, so no core message names either."""
    offending = [
        f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
        for path in core_modules()
        for line, text in raised_texts(ast.parse(path.read_text(encoding="utf-8")))
        if EDGE_WORDS.search(text)
    ]
    assert not offending, "core errors speaking an edge's words:\n" + "\n".join(offending)


def test_the_scan_sees_core_modules_and_flags():
    """The scan is not vacuous: it reads the store and the stages, skips the edges, and
    would catch an option or a URL."""
    names = {str(p.relative_to(PACKAGE)) for p in core_modules()}
    assert {"store/decisions.py", "publish/digest.py", "geo/gazetteer.py"} <= names
    assert not any(n.startswith(("api/", "web/")) or n == "cli.py" for n in names)
    sample = ast.parse('raise InputError("--claims", f"see /api/incidents/{n}")')
    assert [t for _, t in raised_texts(sample) if EDGE_WORDS.search(t)] == [
        "--claims", "see /api/incidents/"]
    assert not EDGE_WORDS.search("a well-known place, 2017-07-04")


def test_the_edges_translate_domain_parameters():
    """The command line shows a parameter as its option and says which command lists a
    missing thing; the API keeps the field's name (its details) and names the endpoint."""
    from trucewatch.api.errors import LISTED_AT
    from trucewatch.cli import for_cli
    from trucewatch.errors import InputError, NotFoundError

    assert for_cli(InputError("claims", "name at least one claim to move out")) == (
        "--claims: name at least one claim to move out")
    assert for_cli(InputError("date_from/date_to", "the range is upside down")) == (
        "--from/--to: the range is upside down")
    assert for_cli(InputError("report.txt", "empty", 3)) == "report.txt:3: empty"
    assert for_cli(NotFoundError("no incident 9", what="incident")) == (
        "no incident 9; 'trucewatch incidents' lists them")
    assert LISTED_AT["incident"] == "/api/incidents"


@pytest.mark.slow  # imports the whole package in a fresh interpreter
def test_the_main_path_needs_no_scale_extra(tmp_path: Path):
    """Without Dask and PyArrow (the scale extra) every module but the backfill imports,
    and `trucewatch backfill` says how to install them."""
    code = (
        "import sys\n"
        "for name in ('dask', 'distributed', 'pyarrow'):\n"
        "    sys.modules[name] = None  # as if not installed\n"
        "import trucewatch.cli, trucewatch.server, trucewatch.watch, trucewatch.ledger\n"
        "trucewatch.cli.main(['backfill', sys.argv[1]])\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "pip install 'trucewatch[scale]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_import_contracts_hold():
    """The layering of docs/architecture.md (pyproject's import-linter contracts): api and
    web never import each other, no layer imports one above it, the core imports no HTTP
    or terminal library. `make lint` runs the same check."""
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip("import-linter is not installed: pip install -e '.[dev]'")
    done = subprocess.run([str(linter), "--no-cache"], cwd=PACKAGE.parent.parent,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout
