"""A newcomer's first hour (issue 19, item 4): the demo leaves their ledger alone,
--version, database URLs as people write them, reading commands that create nothing,
--type as the table spells it, '-' for standard input, notes on what ingest did not
read, tables at 80 columns, file modes, and digest --dry-run into a new folder."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_cli import SEED, build_ledger, copy_ledger, run
from trucewatch.extract import MAX_TEXT_CHARS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's ledger (astana-2017, the demo reports, the Douma article), built once
    for this file: reading the reports is most of a test's time here."""
    return build_ledger(tmp_path_factory.mktemp("demo") / "ledger.db", ["init"],
                        ["scenario", "load", "astana-2017"], ["ingest", "--demo"],
                        ["ingest", "--published", "2017-07-04", str(SEED)])


@pytest.fixture
def demo(demo_ledger: Path, tmp_path: Path) -> str:
    return copy_ledger(demo_ledger, tmp_path)


def cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """trucewatch in its own process, as a shell runs it."""
    return subprocess.run([sys.executable, "-m", "trucewatch", *args], input=stdin,
                          capture_output=True, cwd=cwd, timeout=120,
                          env={**os.environ, **(env or {})})


# --- make run ---------------------------------------------------------------------------


@pytest.mark.slow  # make run: a venv check and four commands in their own processes
def test_make_run_builds_its_own_demo_and_leaves_the_ledger_alone(tmp_path: Path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    planned = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    assert "trucewatch.db" not in planned  # neither removed nor opened
    assert [line for line in planned.splitlines() if line.startswith("rm ")] == [
        "rm -f build/demo.db build/demo.db-wal build/demo.db-shm"]
    # For real, with the demo file elsewhere and a ledger where the user keeps theirs.
    users = tmp_path / "mine.db"
    users.write_bytes(b"the user's ledger, not to be touched")
    before = users.stat().st_mtime_ns
    if not (ROOT / ".venv" / "bin" / "trucewatch").exists():
        pytest.skip("no .venv here for make run to use")
    demo = tmp_path / "out" / "demo.db"
    for _ in range(2):  # made afresh each time: the second run finds the same ledger
        done = subprocess.run(
            ["make", "-o", ".venv/bin/trucewatch", "run", f"DEMO_DB={demo}"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ, "TRUCEWATCH_DATABASE_URL": f"sqlite:///{users}"})
        assert done.returncode == 0, done.stderr
        assert "5 report(s) ingested" in done.stdout and "Ledger (5)" in done.stdout, \
            done.stdout
    assert users.read_bytes() == b"the user's ledger, not to be touched"
    assert users.stat().st_mtime_ns == before
    assert demo.exists()


# --- version and database URLs -------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]):
    from importlib.metadata import version

    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"trucewatch {version('trucewatch')}"


def test_postgresql_url_without_driver_goes_to_psycopg():
    from trucewatch.store.database import normalise_url

    assert normalise_url("postgresql://ana@db.example.org/ledger") == \
        "postgresql+psycopg://ana@db.example.org/ledger"
    assert normalise_url("postgres://ana:secret@db:5433/ledger") == \
        "postgresql+psycopg://ana:secret@db:5433/ledger"
    assert normalise_url("postgresql+psycopg://ana@db/ledger") == \
        "postgresql+psycopg://ana@db/ledger"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_postgresql_url_reaches_the_server_or_says_it_cannot(
        capsys: pytest.CaptureFixture[str]):
    # Port 1 on loopback: nothing listens, so the URL was understood and psycopg tried.
    code, _, err = run(capsys, "--db", "postgresql://ana:secret@127.0.0.1:1/ledger",
                       "incidents")
    assert code == 2 and err.count("\n") == 1
    assert "cannot reach the database server" in err and "secret" not in err


@pytest.mark.parametrize("url, problem", [
    ("mysql://ana@db/ledger", "not mysql"),
    ("oracle+cx_oracle://ana@db/x", "not oracle+cx_oracle"),
    ("postgresql+psycopg2://ana@db/x", "not postgresql+psycopg2"),
    ("ledger.db", "is not a database URL"),
    ("postgresql://ana@db:port/ledger", "its port is not a number"),
    ("sqlite://", "names no file"),
    ("://nothing", "is not a database URL"),
])
def test_other_urls_are_refused_in_one_line(url: str, problem: str,
                                            capsys: pytest.CaptureFixture[str]):
    code, out, err = run(capsys, "--db", url, "incidents")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert problem in err and "sqlite:///PATH" in err and "postgresql://USER" in err
    assert "Traceback" not in err


# --- reading commands create nothing ---------------------------------------------------------


@pytest.mark.parametrize("command", [
    ["incidents"], ["violations"], ["violations", "--all"], ["export", "--format", "jsonl"],
    ["report", "--from", "2017-07-01", "--to", "2017-07-31", "--html", "-o", "b.html"],
    ["subscribe", "list"], ["users", "list"], ["incidents", "claims", "1"],
    ["digest", "--dry-run", "mail"], ["ingest", "--demo"], ["scenario", "load", "astana-2017"],
])
def test_a_missing_ledger_is_named_not_created(command: list[str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nowhere.db"
    code, _, err = run(capsys, "--db", f"sqlite:///{missing}", *command)
    assert code == 2 and err.count("\n") == 1
    assert f"no ledger at {missing}" in err and "trucewatch init" in err
    assert not missing.exists() and not (tmp_path / "b.html").exists()


def test_commands_that_need_no_ledger_create_none(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    for command in (["scenario", "list"], ["scenario", "show", "astana-2017"],
                    ["places", "find", "Douma"], ["extract", str(SEED)],
                    ["check", "--published", "2017-07-04", str(SEED)]):
        assert run(capsys, *command)[0] == 0, command
    assert list(tmp_path.iterdir()) == []  # the default trucewatch.db was not made


# --- --type ------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["Air/drone strike", "Air strike", "air strike",
                                      "AIR_STRIKE", "air_strike", "air-strike"])
def test_type_takes_every_spelling_shown(spelling: str, demo: str,
                                         capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "--db", demo, "incidents", "--type", spelling, "-f", "json")
    found = json.loads(out)
    assert code == 0 and found and {i["event_type"] for i in found} == {"Air/drone strike"}


def test_type_shelling_as_the_table_prints_it(demo: str, capsys: pytest.CaptureFixture[str]):
    _, table, _ = run(capsys, "--db", demo, "violations", "--all")
    assert "Shelling" in table
    code, out, _ = run(capsys, "--db", demo, "violations", "--all", "--type", "Shelling",
                       "-f", "json")
    assert code == 0 and [i["location"]["name"] for i in json.loads(out)] == ["Rastan"]
    code, out, _ = run(capsys, "--db", demo, "subscribe", "add", "a@example.org",
                       "--event-type", "shelling")
    assert code == 0
    _, listed, _ = run(capsys, "--db", demo, "subscribe", "list")
    assert "Shelling/artillery/missile attack" in listed


def test_an_unknown_type_lists_the_valid_ones(demo: str, capsys: pytest.CaptureFixture[str]):
    code, out, err = run(capsys, "--db", demo, "incidents", "--type", "drone")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "unknown event type 'drone'" in err
    assert "Air/drone strike (Air strike, air_strike)" in err and "Armed clash" in err


# --- standard input --------------------------------------------------------------------------


@pytest.mark.slow  # a subprocess pipeline
def test_cat_article_into_ingest_dash(demo: str):
    done = cli("--db", demo, "ingest", "--published", "2017-07-18", "-",
               stdin=b"Air strikes hit the town of Saqba in Eastern Ghouta on Tuesday, "
               b"killing four civilians, the Syrian Observatory for Human Rights said.")
    assert done.returncode == 0, done.stderr
    assert b"1 report(s) ingested" in done.stdout
    again = cli("--db", demo, "ingest", "-", stdin=SEED.read_bytes())
    assert again.returncode == 0 and b"1 unchanged" in again.stdout
    assert b"<stdin>: already in the ledger" in again.stderr


def test_dash_among_files_and_in_check(demo: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    code, out, _ = run(capsys, "check", "--published", "2017-07-04", "-f", "jsonl", "-")
    assert code == 0 and json.loads(out)["source"] == "<stdin>"
    article = tmp_path / "rastan.txt"
    article.write_text("Shelling hit the town of Rastan in northern Homs on Thursday, "
                       "killing three people, a local source said.", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Nothing happened today "
                                                                 b"in the town, people said.")))
    code, out, _ = run(capsys, "--db", demo, "ingest", "--published", "2017-08-10",
                       str(article), "-")
    assert code == 0 and "2 report(s) ingested" in out
    code, _, err = run(capsys, "extract", "-", "-")
    assert code == 2 and "only once" in err


# --- what ingest did not read ------------------------------------------------------------------


def test_ingest_notes_text_it_did_not_read(demo: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]):
    long = tmp_path / "long.txt"
    sentence = "The talks went on in Astana on Tuesday without news, delegates said. "
    long.write_text(sentence * (MAX_TEXT_CHARS // len(sentence) + 50), encoding="utf-8")
    code, _, err = run(capsys, "--db", demo, "ingest", "--published", "2017-07-04", str(long))
    assert code == 0
    assert f"note: {long}: only the first {MAX_TEXT_CHARS:,} of" in err
    short = tmp_path / "short.txt"
    short.write_text(sentence, encoding="utf-8")
    code, _, err = run(capsys, "--db", demo, "ingest", "--published", "2017-07-04", str(short))
    assert code == 0 and "note:" not in err


# --- tables at 80 columns --------------------------------------------------------------------

_RULES = re.compile(r"[\s│┃━─┏┓┗┛┡┩╇┳┻╋┣┫┼├┤┬┴└┘┌┐╭╮╰╯]+")


def words_of(*texts: str) -> set[str]:
    return {word for text in texts for word in text.split()}


def broken(rendered: str, allowed: set[str]) -> list[str]:
    """Words of the output that are not whole words of the data: cut mid-word."""
    return [token for token in _RULES.split(rendered)
            if token and token not in allowed and not re.fullmatch(r"\(\d+\)", token)]


@pytest.fixture
def ledger_records(demo: str, capsys: pytest.CaptureFixture[str]) -> Iterator[set[str]]:
    _, out, _ = run(capsys, "--db", demo, "violations", "--all", "-f", "json")
    from trucewatch.cli_output import short_type as _short_type
    from trucewatch.cli_output import toll as _toll

    allowed: set[str] = set()
    for record in json.loads(out):
        allowed |= words_of(str(record["id"]), record["event_date"], record["verdict"],
                            ", ".join(record["zones"]) or "-", _short_type(record["event_type"]),
                            record["location"]["name"], record["perpetrator_actor"] or "?",
                            _toll(record["killed"]), _toll(record["wounded"]),
                            record["confidence"], " ".join(record["reasons"]),
                            f"#{record['id']} (by {record['perpetrator_actor'] or '?'}, "
                            f"confidence {record['confidence']})", "/")
    yield allowed


@pytest.mark.parametrize("columns", [80, 120])
def test_the_ledger_breaks_no_word(columns: int, demo: str, ledger_records: set[str],
                                   capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(capsys, "--db", demo, "violations", "--all")
    assert code == 0
    assert max(len(line.rstrip()) for line in out.splitlines()) <= columns
    headers = words_of("Ledger # date verdict zone what where by killed wounded "
                       "confidence killed / wounded")
    assert broken(out, ledger_records | headers) == []
    assert "…" not in out
    for word in ("eastern-ghouta", "south-governorates", "undetermined", "2017-07-04"):
        assert word in out


@pytest.mark.parametrize("columns", [80, 120])
def test_scenario_and_extract_tables_break_no_word(columns: int,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch):
    from trucewatch.scenario import load_scenario

    monkeypatch.setenv("COLUMNS", str(columns))
    scenario = load_scenario("astana-2017")
    code, out, _ = run(capsys, "scenario", "show", "astana-2017")
    assert code == 0 and max(len(line.rstrip()) for line in out.splitlines()) <= columns
    for agreement in scenario.agreements:
        assert agreement.id in out
    for word in ("al-qaida-affiliates", "de-escalation", "eastern-ghouta-agreement"):
        assert re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", out), word
    code, out, _ = run(capsys, "extract", "--published", "2017-07-04", str(SEED))
    assert code == 0 and max(len(line.rstrip()) for line in out.splitlines()) <= columns
    for word in ("Observatory", "government", "Dimashq", "2017-07-04"):
        assert re.search(rf"(?<!\w){word}(?!\w)", out), word


def test_fitting_gives_each_column_its_longest_word():
    from trucewatch.cli_tables import column_widths

    rows = [["1", "south-governorates", "a rather long sentence of many words"]]
    widths = column_widths(["#", "zone", "reasons"], rows, 40)
    assert widths is not None and widths[1] >= len("south-governorates")
    assert sum(widths) + 2 * 2 <= 40
    assert column_widths(["#", "zone"], [["1", "x" * 50]], 40) is None


# --- file modes -------------------------------------------------------------------------------


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
@pytest.mark.slow  # PDFs under three umasks
def test_exports_briefings_and_digests_share_one_mode(umask: int, mode: int, demo: str,
                                                      tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]):
    old = os.umask(umask)
    try:
        written = [tmp_path / "ledger.csv", tmp_path / "ledger.geojson", tmp_path / "b.html"]
        assert run(capsys, "--db", demo, "export", "-f", "acled-csv", "-o",
                   str(written[0]))[0] == 0
        assert run(capsys, "--db", demo, "export", "-f", "geojson", "-o",
                   str(written[1]))[0] == 0
        assert run(capsys, "--db", demo, "report", "--from", "2017-07-01", "--to",
                   "2017-07-31", "--html", "-o", str(written[2]))[0] == 0
        assert run(capsys, "--db", demo, "digest", "--to", "ana@example.org", "--dry-run",
                   str(tmp_path / "mail"))[0] == 0
        written += list((tmp_path / "mail").glob("*.eml"))
        try:
            import weasyprint  # noqa: F401

            code, _, _ = run(capsys, "--db", demo, "report", "--from", "2017-07-01", "--to",
                               "2017-07-31", "-o", str(tmp_path / "b.pdf"))
            if code == 0:
                written.append(tmp_path / "b.pdf")
        except (ImportError, OSError):
            pass  # no PDF renderer here: the other files still make the point
    finally:
        os.umask(old)
    assert len(written) >= 4
    assert {path.name: oct(path.stat().st_mode & 0o777) for path in written} == {
        path.name: oct(mode) for path in written}


def test_digest_dry_run_makes_its_folder(demo: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "not" / "yet" / "there"
    code, _, err = run(capsys, "--db", demo, "digest", "--to", "ana@example.org",
                       "--dry-run", str(folder))
    assert code == 0, err
    [eml] = folder.glob("*.eml")
    assert "ana@example.org" in eml.read_text(encoding="utf-8")
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    code, _, err = run(capsys, "--db", demo, "digest", "--to", "ana@example.org",
                       "--dry-run", str(blocked / "sub"))
    assert code == 2 and err.count("\n") == 1 and "cannot make the folder" in err
