"""Exports: ACLED CSV in ACLED's columns and conventions, safe to open in a spreadsheet;
GeoJSON valid under RFC 7946; JSONL with provenance; corrections and review honoured."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import shape

from api_support import Desk
from trucewatch import accounts
from trucewatch.cli import main
from trucewatch.model import (
    Casualties,
    Claim,
    DatePrecision,
    EventType,
    Incident,
    Place,
    Report,
    Verdict,
)
from trucewatch.publish.acled import ACLED_COLUMNS
from trucewatch.publish.export import ExportFormat, export, neutralise
from trucewatch.store import repository, review
from trucewatch.store.selection import IncidentFilter


def _export(desk: Desk, fmt: ExportFormat, **options: object) -> str:
    out = io.StringIO()
    export(desk.ledger.db, fmt, out, scenario=desk.ledger.scenario(), **options)  # type: ignore[arg-type]
    return out.getvalue()


def _admin(desk: Desk) -> int:
    return next(u.id for u in accounts.list_users(desk.ledger.db) if u.username == "admin")


def test_acled_csv_has_acleds_columns_in_acleds_order(desk: Desk):
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(io.StringIO(_export(desk, ExportFormat.acled_csv)))
    assert tuple(frame.columns) == ACLED_COLUMNS
    assert len(ACLED_COLUMNS) == 31 and ACLED_COLUMNS[:2] == ("event_id_cnty", "event_date")
    douma = frame[frame.location == "Douma"].iloc[0]
    assert douma.event_id_cnty == f"SYR{desk.douma}"
    assert douma.event_date == "04 July 2017"
    assert (douma.year, douma.time_precision, douma.geo_precision) == (2017, 1, 1)
    assert douma.disorder_type == "Political violence"
    assert douma.event_type == "Explosions/Remote violence"
    assert douma.sub_event_type == "Air/drone strike"
    assert douma.actor1 == "Syrian government forces" and douma.inter1 == 1
    assert douma.interaction == 10  # one actor: its code and 0
    assert (douma.iso, douma.region, douma.country) == (760, "Middle East", "Syria")
    assert (douma.latitude, douma.longitude) == (33.5711, 36.4017)
    assert douma.fatalities == 2
    assert "a medical source" in douma.source and "Reuters" in douma.source
    assert douma.notes.startswith("On 4 July 2017, air/drone strike by Syrian government")
    assert "trucewatch verdict: violation" in douma.tags
    daraa = frame[frame.location == "Daraa"].iloc[0]
    assert daraa.fatalities == 0  # no toll stated: ACLED writes 0


def test_acled_dates_follow_time_precision(desk: Desk):
    scenario = desk.ledger.scenario()
    claims = [
        Claim(EventType.SHELLING, date(2017, 8, 7), DatePrecision.WEEK,
              location=Place("Harasta", lat=33.56, lon=36.37, admin1="Rif Dimashq",
                             country="Syria", geo_precision=2),
              killed=Casualties(41, 41, None)),
        Claim(EventType.ARMED_CLASH, date(2017, 9, 1), DatePrecision.MONTH,
              location=Place("Rastan", lat=34.93, lon=36.73, country="Syria")),
        Claim(EventType.ATTACK, date(2017, 1, 1), DatePrecision.YEAR,
              location=Place("Hama", lat=35.13, lon=36.75, country="Syria")),
    ]
    for n, claim in enumerate(claims):
        repository.ingest_report(desk.ledger.db, Report(text=f"report {n}"), [claim], scenario)
    out = io.StringIO()
    result = export(desk.ledger.db, ExportFormat.acled_csv, out, scenario=scenario)
    assert result.left_out == 1  # known only to the year: ACLED cannot hold it
    rows = {row["location"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["Harasta"]["event_date"], rows["Harasta"]["time_precision"]) == \
        ("10 August 2017", "2")  # the middle of the week
    assert rows["Harasta"]["fatalities"] == "41"
    assert rows["Harasta"]["geo_precision"] == "2"
    assert (rows["Rastan"]["event_date"], rows["Rastan"]["time_precision"]) == \
        ("15 September 2017", "3")
    assert rows["Rastan"]["event_type"] == "Battles"
    assert "Hama" not in rows


def test_csv_cells_that_look_like_formulas_are_neutralised(desk: Desk):
    scenario = desk.ledger.scenario()
    claim = Claim(EventType.ATTACK, date(2017, 7, 6),
                  location=Place("=HYPERLINK(\"http://evil\")", lat=-1.5, lon=-70.25,
                                 admin1="+cmd", country="Syria"),
                  perpetrator="@attackers", sources=["-dash source"])
    repository.ingest_report(desk.ledger.db, Report(text="formula"), [claim], scenario)
    text = _export(desk, ExportFormat.acled_csv)
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["sub_event_type"] == "Attack")
    assert row["location"] == "'=HYPERLINK(\"http://evil\")"
    assert row["admin1"] == "'+cmd"
    assert row["actor1"] == "'@attackers"
    assert row["source"].startswith("'-dash source")
    assert (row["latitude"], row["longitude"]) == ("-1.5000", "-70.2500")  # still numbers
    assert neutralise("notes", "\tx") == "'\tx" and neutralise("fatalities", -3) == "-3"


def test_columns_pick_and_order_the_fields(desk: Desk):
    text = _export(desk, ExportFormat.acled_csv, columns=["location", "fatalities"])
    assert text.splitlines()[0] == "location,fatalities"
    with pytest.raises(Exception, match="unknown column"):
        _export(desk, ExportFormat.acled_csv, columns=["nope"])
    [feature, *_] = json.loads(_export(desk, ExportFormat.geojson,
                                       columns=["verdict"]))["features"]
    assert set(feature["properties"]) == {"verdict"}


def test_geojson_is_valid_rfc7946(desk: Desk):
    geojson = pytest.importorskip("geojson")
    text = _export(desk, ExportFormat.geojson)
    collection = geojson.loads(text)
    assert collection.is_valid, collection.errors()
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3
    douma = next(f for f in data["features"] if f["id"] == desk.douma)
    assert douma["geometry"] == {"type": "Point", "coordinates": [36.4017, 33.5711]}
    point = shape(douma["geometry"])
    assert (point.x, point.y) == (36.4017, 33.5711)  # longitude first
    assert douma["properties"]["verdict"] == "violation"
    assert douma["properties"]["zones"] == ["eastern-ghouta"]
    assert any("Eastern Ghouta" in reason for reason in douma["properties"]["reasons"])
    assert douma["properties"]["killed_best"] == 2


def test_jsonl_keeps_provenance_and_corrections(desk: Desk):
    review.correct(desk.ledger.db, desk.douma, _admin(desk), {"killed_best": 3,
                   "killed_high": 3}, note="hospital list", scenario=desk.ledger.scenario())
    lines = _export(desk, ExportFormat.jsonl).splitlines()
    records = {r["id"]: r for r in map(json.loads, lines)}
    douma = records[desk.douma]
    assert douma["killed"]["best"] == 3  # the analyst's reading
    [correction, *_] = douma["review"]["corrections"]
    assert correction["user"] == "admin" and correction["note"] == "hospital list"
    [claim] = douma["claims"]
    assert any(e["text"] == "a woman and a child were killed" for e in claim["evidence"])
    [report] = douma["reports"]
    assert report["id"] == claim["report_id"] and report["outlet"] == "Reuters"
    assert douma["verdict"] == "violation" and douma["reasons"]


def test_reviewed_only_and_rejected(desk: Desk):
    admin = _admin(desk)
    review.decide(desk.ledger.db, desk.douma, admin, review.Decision.CONFIRMED)
    review.decide(desk.ledger.db, desk.raqqa, admin, review.Decision.REJECTED)
    every = [json.loads(line)["id"] for line in _export(desk, ExportFormat.jsonl).splitlines()]
    assert sorted(every) == sorted([desk.douma, desk.daraa])  # rejected: never exported
    reviewed = _export(desk, ExportFormat.jsonl, selection=IncidentFilter(reviewed_only=True))
    assert [json.loads(line)["id"] for line in reviewed.splitlines()] == [desk.douma]


def test_export_command_writes_a_file_or_standard_output(
        desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = desk.settings.database_url
    target = tmp_path / "out" / "ledger.csv"
    with pytest.raises(SystemExit) as done:
        main(["--db", url, "export", "--format", "acled-csv", "--output", str(target)])
    assert done.value.code == 2 and "does not exist" in capsys.readouterr().err
    target.parent.mkdir()
    with pytest.raises(SystemExit) as done:
        main(["--db", url, "export", "-f", "acled-csv", "-o", str(target),
              "--zone", "eastern-ghouta", "--from", "2017-07-01", "--to", "2017-07-31"])
    assert done.value.code in (0, None)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["location"] for r in rows] == ["Douma"]
    assert "1 incident(s) exported" in capsys.readouterr().err
    assert not list(target.parent.glob(".ledger.csv.*"))  # no temporary file left
    with pytest.raises(SystemExit) as done:
        main(["--db", url, "export", "-f", "geojson", "--zone", "nowhere"])
    assert done.value.code == 2 and "unknown zone 'nowhere'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--db", url, "export", "-f", "jsonl", "--verdict", "violation"])
    out = capsys.readouterr().out
    assert {json.loads(line)["location"]["name"] for line in out.splitlines()} == \
        {"Douma", "Daraa"}


def test_acled_round_trip_gives_the_same_incidents(desk: Desk, tmp_path: Path):
    """Export, import the file into an empty ledger, merge: the same incidents, verdicts
    and ids (an imported ACLED event keeps its event_id_cnty in the next export)."""
    imports = pytest.importorskip("trucewatch.store.imports")
    merging = pytest.importorskip("trucewatch.store.merging")
    from trucewatch.actors import ActorDictionary
    from trucewatch.importers import Actors
    from trucewatch.ledger import Ledger

    scenario = desk.ledger.scenario()
    first = tmp_path / "first.csv"
    first.write_text(_export(desk, ExportFormat.acled_csv), encoding="utf-8")
    other = Ledger(f"sqlite:///{tmp_path / 'other.db'}")
    other.init()
    other.load_scenario("astana-2017")
    summary = imports.import_file(other.db, "acled", first,
                                  actors=Actors(ActorDictionary(scenario.actors.values())))
    assert (summary.imported, summary.skipped, summary.ignored) == (3, 0, 0)
    merging.merge_pending(other.db, scenario)

    def key(pairs: list[tuple[Incident, Verdict | None]]) -> list[tuple[object, ...]]:
        return sorted(
            (i.event_type, i.event_date, i.location.name if i.location else None,
             i.location.lat if i.location else None, i.location.lon if i.location else None,
             i.location.admin1 if i.location else None, i.perpetrator_actor,
             i.killed.low or 0, v.kind if v else None, v.zones if v else None)
            for i, v in pairs)

    assert key(other.incidents()) == key(desk.ledger.incidents())
    second = io.StringIO()
    export(other.db, ExportFormat.acled_csv, second, scenario=scenario)
    again = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(second.getvalue()))}
    before = {r["event_id_cnty"]: r for r in csv.DictReader(first.open(encoding="utf-8"))}
    assert set(again) == set(before)
    for event_id, row in before.items():
        for column in ("event_date", "sub_event_type", "actor1", "location", "latitude",
                       "longitude", "fatalities", "iso", "country", "admin1", "source",
                       "notes", "inter1", "interaction", "region"):
            assert again[event_id][column] == row[column], (event_id, column)


def test_batches_change_nothing_and_rows_are_written_as_they_come(desk: Desk):
    from trucewatch.publish.export import write_jsonl
    from trucewatch.store.stream import iter_entries

    whole = [e.incident.id for e in iter_entries(desk.ledger.db)]
    one_by_one = [e.incident.id for e in iter_entries(desk.ledger.db, batch=1)]
    assert whole == one_by_one and len(whole) == 3
    out = io.StringIO()
    written: list[int] = []

    def entries():  # a writer must not gather the entries before writing
        for entry in iter_entries(desk.ledger.db, batch=1):
            written.append(out.getvalue().count("\n"))
            yield entry

    write_jsonl(entries(), out, ("id",))
    assert written == [0, 1, 2]
