"""A corpus of bad inputs, each with the error a user gets: it names the input and the
place in it, and nothing already stored is lost or half written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_cli import build_ledger, copy_ledger, run
from trucewatch.errors import InputError
from trucewatch.extract import extract_claims
from trucewatch.ingest import read_document
from trucewatch.pipeline import default_gazetteer
from trucewatch.scenario import resolve_scenario_path

STRIKE = "Air strikes hit the town of Saqba in Eastern Ghouta on Tuesday, killing four people. "


@pytest.fixture(scope="module")
def seeded_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """astana-2017 and one report of a strike, built once for this file."""
    folder = tmp_path_factory.mktemp("seeded")
    seed = folder / "seed.txt"
    seed.write_text(STRIKE * 3, encoding="utf-8")
    return build_ledger(folder / "ledger.db", ["init"], ["scenario", "load", "astana-2017"],
                        ["ingest", "--published", "2017-07-18", str(seed)])


@pytest.fixture
def db(seeded_ledger: Path, tmp_path: Path) -> str:
    """The seeded ledger's copy of this test's own."""
    return copy_ledger(seeded_ledger, tmp_path)


# --- articles that are refused, each with its reason -----------------------------------------

REFUSED = [
    ("empty.txt", b"   \n\n  ", "file is empty"),
    ("nul.txt", b"Air strikes\x00\x00\x00 hit" * 20, "binary data (NUL byte at offset 11)"),
    ("png.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary data"),
    ("mixed.txt", STRIKE.encode() + bytes([0xC3, 0x28, 0xA0, 0x90]) * 40, "not valid UTF-8"),
    ("no-text.html", b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>",
     "no article text found in the HTML page"),
    ("truncated.html", b"<html><body><div><p>Air strikes hi", "no article text"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_refused_articles_say_why_and_store_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes,
    message: str,
):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, "--db", db, "ingest", str(path))
    assert code == 2 and f"{path}: " in err and message in err
    assert "0 report(s) ingested" in out
    _, listing, _ = run(capsys, "--db", db, "incidents", "--format", "json")
    assert len(json.loads(listing)) == 1  # the seed's incident, untouched


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("TRUCEWATCH_MAX_INPUT_BYTES", "100000")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.write(STRIKE.encode() * 2_000)
    code, _, err = run(capsys, "--db", db, "ingest", str(huge))
    assert code == 2 and str(huge) in err and "over the limit of 100,000" in err


# --- articles that are odd but readable -----------------------------------------------------

READABLE = [
    ("utf16.txt", (STRIKE * 2).encode("utf-16"), "Saqba"),
    ("latin1.txt", ("Café owners said: " + STRIKE * 2).encode("latin-1"), "Saqba"),
    ("bom.txt", b"\xef\xbb\xbf" + (STRIKE * 2).encode(), "Saqba"),
    ("crlf.txt", (STRIKE * 2).replace(". ", ".\r\n").encode(), "Saqba"),
]


@pytest.mark.parametrize(("name", "content", "place"), READABLE)
def test_other_encodings_and_line_ends_are_read(tmp_path: Path, name: str, content: bytes,
                                                 place: str):
    path = tmp_path / name
    path.write_bytes(content)
    report = read_document(path)
    [claim] = extract_claims(report, gazetteer=default_gazetteer())
    assert claim.location is not None and claim.location.name == place


def test_hostile_html_yields_text_not_script(tmp_path: Path):
    page = ("<html><body><article><h1>Strikes</h1>"
            + f"<p>{STRIKE}</p>" * 3
            + "<script>document.location='http://evil'</script>"
            + "<p onclick=\"alert(1)\">Residents said <img src=x onerror=alert(2)> "
            + "the raid was carried out by government warplanes.</p>"
            + "<div>" * 5_000 + "deep" + "</div>" * 5_000
            + "</article></body></html>")
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    report = read_document(path)
    assert "document.location" not in report.text and "onerror" not in report.text
    assert "Saqba" in report.text


def test_xml_entity_bombs_are_not_expanded(tmp_path: Path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}'
                      f'{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}">' for i in range(1, 30))
            + f']><html><body><p>{STRIKE * 3}</p><p>&lol29;</p></body></html>')
    path = tmp_path / "bomb.html"
    path.write_text(bomb, encoding="utf-8")
    try:
        report = read_document(path)
    except InputError as exc:  # refused is fine; exploding memory is not
        assert str(path) in str(exc)
    else:
        assert len(report.text) < 100_000


# --- scenarios and places --------------------------------------------------------------------


def test_an_invalid_polygon_names_the_file_and_the_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "scenario"
    shutil.copytree(resolve_scenario_path("astana-2017"), folder)
    zones = json.loads((folder / "zones.geojson").read_text(encoding="utf-8"))
    feature = zones["features"][0]
    feature["geometry"] = {"type": "Polygon", "coordinates": [
        [[36.0, 33.0], [37.0, 34.0], [37.0, 33.0], [36.0, 34.0], [36.0, 33.0]]]}  # a bow tie
    (folder / "zones.geojson").write_text(json.dumps(zones), encoding="utf-8")
    code, _, err = run(capsys, "scenario", "validate", str(folder))
    assert code == 2
    assert "zones.geojson" in err and feature["properties"]["zone"] in err
    assert "Self-intersection" in err


def test_a_truncated_geojson_names_the_place_it_broke(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "scenario"
    shutil.copytree(resolve_scenario_path("astana-2017"), folder)
    text = (folder / "zones.geojson").read_text(encoding="utf-8")
    (folder / "zones.geojson").write_text(text[: len(text) // 2], encoding="utf-8")
    code, _, err = run(capsys, "scenario", "validate", str(folder))
    assert code == 2 and "zones.geojson:" in err and "not valid JSON" in err


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        ("name,lat,lon,country,feature\nKfar X,91.5,36.2,Syria,town\n", ":2", "out of range"),
        ("name,lat,lon,country,feature\nKfar X,33.5,36.2,Syria,castle\n", ":2", "feature"),
        ("name,lon,country\nKfar X,36.2,Syria\n", "", "lat"),
    ],
)
def test_a_bad_places_file_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str, where: str, message: str
):
    path = tmp_path / "places.csv"
    path.write_text(rows, encoding="utf-8")
    code, _, err = run(capsys, "places", "import", str(path))
    assert code == 2 and f"{path}{where}" in err and message in err
