"""The command line end to end on a temporary SQLite store: the worked example of
DESIGN.md, the demo ledger, filters, and bad input refused with exit code 2."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from trucewatch.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed_article.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out, captured.err


def build_ledger(path: Path, *commands: list[str]) -> Path:
    """A SQLite ledger at ``path`` made by these commands (for a fixture built once per
    file, where capsys is not at hand); each must succeed."""
    for args in commands:
        with pytest.raises(SystemExit) as done:
            main(["--db", f"sqlite:///{path}", *args])
        assert not done.value.code, args
    return path


def copy_ledger(source: Path, folder: Path) -> str:
    """A test's own copy of a ledger built once (SQLite's backup also copies what a
    write-ahead log still holds): what one test changes, no other sees."""
    copy = folder / "ledger.db"
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(copy)) as new:
        original.backup(new)
    return f"sqlite:///{copy}"


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(capsys, "--db", url, "init")[0] == 0
    assert run(capsys, "--db", url, "scenario", "load", "astana-2017")[0] == 0
    return url


def test_seed_article_is_read_as_two_incidents(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "extract", "--format", "jsonl", "--published", "2017-07-04",
                       str(SEED))
    assert code == 0
    record = json.loads(out)
    assert record["source"] == str(SEED)
    assert record["published"] == "2017-07-04"
    douma, daraa = sorted(record["incidents"], key=lambda i: i["location"]["name"], reverse=True)
    assert douma["event_type"] == "Air/drone strike"
    assert douma["event_date"] == "2017-07-04"
    assert douma["location"]["name"] == "Douma"
    assert douma["perpetrator_actor"] == "syrian-government"
    assert (douma["killed"]["best"], douma["wounded"]["best"]) == (2, 10)
    assert any("Observatory" in s for s in douma["sources"])
    assert any("medical source" in s for s in douma["sources"])
    assert all(SEED.read_text()[e["start"]:e["end"]] == e["text"] for e in douma["evidence"])
    assert daraa["location"]["name"] == "Daraa"
    assert daraa["event_date"] == "2017-07-03"
    assert daraa["killed"]["best"] is None and daraa["wounded"]["best"] is None


def test_seed_article_verdicts(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "check", "--format", "json", "--published", "2017-07-04",
                       "--scenario", "astana-2017", str(SEED))
    assert code == 0
    [record] = json.loads(out)
    by_place = {i["location"]["name"]: i for i in record["incidents"]}
    douma, daraa = by_place["Douma"], by_place["Daraa"]
    assert douma["verdict"] == "violation"
    assert douma["zones"] == ["eastern-ghouta"]
    assert "astana-memorandum" in douma["agreements"]
    reasons = " ".join(douma["reasons"])
    assert "Douma lies in the Eastern Ghouta" in reasons
    assert "bound by it" in reasons
    assert daraa["verdict"] in ("violation", "probable violation")
    assert "south" in daraa["zones"]
    assert "army-halt-south-2017-07" in daraa["agreements"]


def test_make_run_path_prints_the_ledger(db: str, capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "--db", db, "ingest", "--demo")
    assert code == 0
    assert "5 report(s) ingested" in out
    code, out, _ = run(capsys, "--db", db, "violations", "--format", "json")
    violations = json.loads(out)
    assert violations and all(v["verdict"] in ("violation", "probable violation")
                              for v in violations)
    code, out, _ = run(capsys, "--db", db, "incidents", "--format", "json")
    verdicts = {i["verdict"] for i in json.loads(out)}
    assert {"violation", "not a violation", "outside every zone"} <= verdicts
    assert all(i["location"] and i["location"]["lat"] for i in json.loads(out))


def test_reingesting_changes_nothing(db: str, capsys: pytest.CaptureFixture[str]):
    run(capsys, "--db", db, "ingest", "--published", "2017-07-04", str(SEED))
    _, first, _ = run(capsys, "--db", db, "incidents", "--format", "json")
    code, out, err = run(capsys, "--db", db, "ingest", "--published", "2017-07-04", str(SEED))
    assert code == 0
    assert "0 report(s) ingested, 1 unchanged" in out
    assert "already in the ledger" in err
    _, second, _ = run(capsys, "--db", db, "incidents", "--format", "json")
    assert first == second


def test_filters_on_the_ledger(db: str, capsys: pytest.CaptureFixture[str]):
    run(capsys, "--db", db, "ingest", "--published", "2017-07-04", str(SEED))
    _, out, _ = run(capsys, "--db", db, "violations", "--zone", "eastern-ghouta",
                    "--format", "json")
    assert [i["location"]["name"] for i in json.loads(out)] == ["Douma"]
    _, out, _ = run(capsys, "--db", db, "incidents", "--from", "2017-07-04", "--to",
                    "2017-07-04", "--format", "json")
    assert [i["location"]["name"] for i in json.loads(out)] == ["Douma"]
    _, out, _ = run(capsys, "--db", db, "violations")
    assert "Douma" in out and "Violations ledger" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["violations", "--from", "2017-08-01", "--to", "2017-07-01"], "upside down"),
        (["violations", "--from", "yesterday"], "not a date; use YYYY-MM-DD"),
        (["violations", "--verdict", "guilty"], "unknown verdict 'guilty'"),
        (["ingest", "--scenario", "atlantis", "x.txt"], "atlantis"),
        (["violations", "--zone", "atlantis"], "unknown zone 'atlantis' in scenario astana-2017"),
    ],
)
def test_bad_options_exit_2_with_a_message(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
):
    code, _, err = run(capsys, "--db", db, *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1  # one line


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("junk.bin.txt", b"\x00\xff" * 100, "binary data"),
        ("broken.txt", b"Shelling hit the town. " + bytes([0xC3, 0x28, 0xA0]) * 50,
         "not valid UTF-8"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    name: str, content: bytes, message: str,
):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, "--db", db, "ingest", str(path))
    assert code == 2
    assert f"error: {path}: " in err and message in err
    assert "0 report(s) ingested" in out
    _, listing, _ = run(capsys, "--db", db, "incidents", "--format", "json")
    assert json.loads(listing) == []


def test_missing_file_in_a_batch_does_not_stop_the_others(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    code, out, err = run(capsys, "--db", db, "ingest", "--published", "2017-07-04",
                         str(tmp_path / "gone.txt"), str(SEED))
    assert code == 2
    assert "gone.txt: no such file" in err
    assert "1 report(s) ingested" in out


def test_ingest_before_init_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'x.db'}", "ingest", str(SEED))
    assert code != 0
    assert "run 'trucewatch init' first" in err


@pytest.mark.parametrize(
    ("yaml_text", "geojson_text", "message"),
    [
        ("id: bad\nname: [unclosed\n", '{"type": "FeatureCollection", "features": []}',
         "scenario.yaml:3: not valid YAML"),
        (None, '{"type": "FeatureCollection", "features": [', "zones.geojson:1: not valid JSON"),
    ],
)
def test_broken_scenario_files_are_refused_and_nothing_is_stored(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    yaml_text: str | None, geojson_text: str, message: str,
):
    from trucewatch.scenario import resolve_scenario_path

    folder = tmp_path / "broken"
    folder.mkdir()
    shipped = resolve_scenario_path("astana-2017")
    (folder / "scenario.yaml").write_text(
        yaml_text if yaml_text is not None else (shipped / "scenario.yaml").read_text())
    (folder / "zones.geojson").write_text(geojson_text)
    code, _, err = run(capsys, "--db", db, "scenario", "load", str(folder))
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    # The scenario loaded before is still the one in force.
    code, _, _ = run(capsys, "--db", db, "check", "--format", "json", "--published",
                       "2017-07-04", str(SEED))
    assert code == 0


def test_scenario_validate_names_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "scenario.yaml").write_text("id: bad\nname: [unclosed\n")
    (folder / "zones.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    code, _, err = run(capsys, "scenario", "validate", str(folder))
    assert code == 2
    assert "scenario.yaml" in err


def test_scenario_show_lists_zones_and_deadlines(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "scenario", "show", "astana-2017")
    assert code == 0
    assert "Eastern Ghouta" in out
    assert "missed" in out


def test_html_pages_and_standard_input_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    import io

    body = ("Shelling hit the town of Rastan on Tuesday, killing three people and wounding "
            "eight, local activists said. It was not clear who fired the shells.")
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Shells hit Rastan</title>"
        '<meta property="article:published_time" content="2017-08-15"></head><body>'
        f"<nav>Home | World | Sport</nav><article><h1>Shells hit Rastan</h1><p>{body}</p>"
        "</article><footer>Subscribe to our newsletter</footer></body></html>",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "extract", "--format", "jsonl", str(page))
    assert code == 0
    record = json.loads(out)
    assert record["published"] == "2017-08-15"
    [incident] = record["incidents"]
    assert (incident["location"]["name"], incident["event_date"]) == ("Rastan", "2017-08-15")

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(body.encode())))
    code, out, _ = run(capsys, "extract", "--format", "jsonl", "--published", "2017-08-15", "-")
    assert code == 0
    assert json.loads(out)["incidents"][0]["killed"]["best"] == 3


def test_places_find(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "places", "find", "Deraa", "Qwxzyville", "--country", "SY",
                       "--format", "json")
    assert code == 0
    deraa, unknown = json.loads(out)
    assert deraa["query"] == "Deraa"
    best = deraa["candidates"][0]
    assert (best["name"], best["admin1"], best["geo_precision"]) == ("Daraa", "Daraa", 1)
    assert best["why"].startswith("shipped gazetteer, town")
    assert unknown == {"query": "Qwxzyville", "candidates": []}


def test_places_import_adds_a_village_and_refuses_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    places_dir = tmp_path / "places"
    monkeypatch.setenv("TRUCEWATCH_PLACES_DIR", str(places_dir))
    good = tmp_path / "villages.csv"
    good.write_text("name,variants,lat,lon,admin1,country,iso2,feature\n"
                    "Tell Qarah,Tal Qara|Tell Qara,35.41,36.71,Hama,Syria,SY,town\n")
    bad = tmp_path / "broken.csv"
    bad.write_text("name,lat,lon,country,feature\nOne,35.1,36.1,Syria,town\nTwo,x,36,Syria,town\n")

    code, _, err = run(capsys, "places", "import", str(bad))
    assert code == 2 and "broken.csv:3: lat and lon must be numbers" in err
    assert not places_dir.exists() or not list(places_dir.iterdir())

    for _ in range(2):  # importing again replaces the copy
        code, out, _ = run(capsys, "places", "import", str(good))
        assert code == 0 and "1 place(s)" in out
    assert [p.name for p in places_dir.iterdir()] == ["villages.csv"]

    code, out, _ = run(capsys, "places", "find", "Tal Qara", "--format", "json")
    [result] = json.loads(out)
    best = result["candidates"][0]
    assert best["name"] == "Tell Qarah"
    assert best["why"].startswith("places file villages.csv")


def _dump_line(ident: int, name: str, alternates: str, lat: float, lon: float,
               feature_class: str, feature_code: str, admin1: str, population: int) -> str:
    fields = [str(ident), name, name, alternates, str(lat), str(lon), feature_class,
              feature_code, "SY", "", admin1, "", "", "", str(population), "", "300",
              "Asia/Damascus", "2020-01-01"]
    return "\t".join(fields) + "\n"


def test_places_import_of_a_geonames_country_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    places_dir = tmp_path / "places"
    monkeypatch.setenv("TRUCEWATCH_PLACES_DIR", str(places_dir))
    dump = tmp_path / "SY.txt"
    dump.write_text(
        _dump_line(9000001, "Tall Shihab", "Tel Shihab,Tell Shehab", 32.69, 35.97, "P", "PPL",
                   "06", 8000)
        + _dump_line(9000002, "Mintaqat Izra", "Izraa District", 32.85, 36.25, "A", "ADM2",
                     "06", 0)
        + _dump_line(9000003, "Wadi al-Yarmuk", "", 32.7, 35.9, "H", "WAD", "06", 0),
        encoding="utf-8",
    )
    broken = tmp_path / "XX.txt"
    broken.write_text(_dump_line(1, "A", "", 1, 1, "P", "PPL", "", 0) + "only\tthree\tcolumns\n")

    code, _, err = run(capsys, "places", "import", str(broken))
    assert code == 2 and "XX.txt:2: expected 19 tab-separated columns" in err
    code, out, _ = run(capsys, "places", "import", str(dump))
    assert code == 0 and "2 place(s)" in out  # the wadi is not a place reports name as such

    code, out, _ = run(capsys, "places", "find", "Tell Shehab", "Izraa District",
                       "--country", "SY", "--format", "json")
    village, district = (result["candidates"][0] for result in json.loads(out))
    assert (village["name"], village["admin1"], village["geo_precision"]) == (
        "Tall Shihab", "Daraa", 1)
    assert village["why"].startswith("GeoNames dump SY, town")
    assert (district["geonames_id"], district["geo_precision"]) == (9000002, 2)
