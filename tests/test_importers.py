"""Dataset imports: ACLED, UCDP GED and GDELT 2.0 files (real column layouts, written in
tests/fixtures/importers) become claims with their ids kept; re-imports update and never
duplicate; bad rows are named by line; a crash loses only the batch being written."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from trucewatch.actors import ActorDictionary
from trucewatch.cli import main
from trucewatch.errors import InputError
from trucewatch.importers import READERS, Actors, BadRow, Ignored, Row, acled
from trucewatch.importers.common import RowProblem
from trucewatch.model import (
    Actor,
    Claim,
    DatePrecision,
    EventType,
    Incident,
    Place,
    Scenario,
)
from trucewatch.service import merging as service_merging
from trucewatch.store import Database, imports, merging, repository
from trucewatch.store.imports import ImportSummary
from trucewatch.store.tables import ClaimRow, IncidentRow, MergeDecisionClaimRow, ReportRow

FIXTURES = Path(__file__).parent / "fixtures" / "importers"


@pytest.fixture
def db(store_url: str) -> Database:
    """An empty store on each backend (SQLite, and PostgreSQL when it can be started)."""
    database = Database(store_url)
    database.init()
    return database


def load(db: Database, dataset: str, path: Path, scenario: Scenario | None = None,
         **options: int) -> ImportSummary:
    actors = Actors(ActorDictionary(scenario.actors.values()) if scenario else None)
    summary = imports.import_file(db, dataset, path, actors=actors, **options)  # type: ignore[arg-type]
    service_merging.merge_pending(db, scenario)
    return summary


def read(dataset: str, name: str, scenario: Scenario | None = None) -> list[object]:
    actors = Actors(ActorDictionary(scenario.actors.values()) if scenario else None)
    return list(READERS[dataset].read(FIXTURES / name, actors))


def count(db: Database, table: type) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


# --- reading each format ------------------------------------------------------------------


def test_acled_rows_become_claims(toy_scenario: Scenario):
    outcomes = read("acled", "acled.csv", toy_scenario)
    rows = [o for o in outcomes if isinstance(o, Row)]
    assert [o.kind for o in outcomes if isinstance(o, Ignored)] == ["Peaceful protest"]
    douma = rows[0].claim
    assert (douma.dataset, douma.external_id, douma.event_type) == (
        "acled", "SYR20001", EventType.AIR_STRIKE)
    assert douma.event_date == date(2017, 7, 4)
    assert douma.location is not None
    assert (douma.location.name, douma.location.lat, douma.location.geo_precision) == (
        "Douma", 33.5722, 1)
    assert (douma.killed.low, douma.killed.best, douma.killed.high) == (2, 2, None)
    assert douma.sources == ["Syrian Observatory for Human Rights",
                             "Local Coordination Committees of Syria"]
    assert douma.perpetrator_actor == "gov"  # "Government forces" through the dictionary
    assert douma.notes is not None and douma.notes.startswith("On 4 July 2017")
    assert rows[0].extra["interaction"] == "17"
    clash = rows[2].claim  # the older "04 July 2017" date spelling, a week's precision
    # ACLED dates a week to its middle; trucewatch keeps the week's first day.
    assert (clash.event_date, clash.date_precision) == (date(2017, 7, 1), DatePrecision.WEEK)
    assert clash.perpetrator_actor == "rebels" and clash.target_actor == "gov"


def test_ucdp_rows_keep_low_best_high_and_date_ranges():
    outcomes = read("ucdp", "ucdp_ged.csv")
    douma, hama = (o.claim for o in outcomes if isinstance(o, Row))
    assert (douma.external_id, douma.event_type, douma.exact_type) == (
        "244101", EventType.AIR_STRIKE, False)  # the headline names air strikes
    assert (douma.killed.low, douma.killed.best, douma.killed.high) == (2, 2, 4)
    assert (douma.killed.civilians, hama.killed.civilians) == (2, 0)  # deaths_civilians
    assert douma.location is not None and douma.location.name == "Duma"
    assert douma.sources == ["Agence France Presse", "BBC Monitoring"]
    assert (hama.event_date, hama.date_end, hama.date_precision) == (
        date(2017, 7, 15), date(2017, 7, 21), DatePrecision.WEEK)
    assert hama.location is not None and hama.location.geo_precision == 3  # where_prec 4
    assert hama.event_type is EventType.ARMED_CLASH
    [bad] = [o for o in outcomes if isinstance(o, BadRow)]
    assert bad.line == 4 and "type_of_violence" in bad.problem


def test_gdelt_keeps_violence_and_maps_cameo(tmp_path: Path):
    outcomes = read("gdelt", "20170704.export.CSV")
    rows = [o for o in outcomes if isinstance(o, Row)]
    strike, force, country_level = (r.claim for r in rows)
    assert (strike.external_id, strike.event_type, strike.exact_type) == (
        "667000001", EventType.AIR_STRIKE, True)
    assert (force.event_type, force.exact_type) == (EventType.ARMED_CLASH, False)
    assert strike.sources == ["reuters.com"]
    assert strike.location is not None and strike.location.name == "Duma"
    assert strike.location.geo_precision == 1 and strike.location.country == "Syria"
    assert country_level.location is not None and country_level.location.geo_precision == 3
    assert [o.kind for o in outcomes if isinstance(o, Ignored)] == ["CAMEO root 04"]
    [bad] = [o for o in outcomes if isinstance(o, BadRow)]
    assert bad.line == 4 and "4 columns" in bad.problem
    zipped = tmp_path / "20170704.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(FIXTURES / "20170704.export.CSV", "20170704.export.CSV")
    again = list(READERS["gdelt"].read(zipped, Actors(None)))
    assert [o.claim.external_id for o in again if isinstance(o, Row)] == [
        r.claim.external_id for r in rows]


def _gdelt_claim(r: list[str], actors: Actors) -> tuple[Claim, dict[str, str]]:
    """The claim and codes a GDELT 2.0 row stands for, made the long way (a Claim and its
    Place, as the module's table of columns says), to hold the reader's values to."""
    from urllib.parse import urlsplit

    from trucewatch.importers import gdelt
    code = r[26].strip()
    event_type, exact = gdelt.CAMEO.get(code) or gdelt.CAMEO[code[:3]]  # type: ignore[misc]
    kind, full_name = r[51].strip(), r[52]
    place = None
    if kind in gdelt.GEO_PRECISION and full_name.strip():
        parts = [p.strip() for p in full_name.split(",")]
        city = gdelt.GEO_PRECISION[kind] == 1
        place = Place(parts[0], lat=float(r[56]) if r[56] else None,
                      lon=float(r[57]) if r[57] else None,
                      admin1=parts[1] if city and len(parts) > 2 else (
                          parts[0] if kind in "25" else None),
                      country=parts[-1] if len(parts) > 1 or kind == "1" else None,
                      geo_precision=gdelt.GEO_PRECISION[kind])
    try:
        host = urlsplit(r[60].strip()).hostname if r[60].strip() else None
    except ValueError:
        host = None
    claim = Claim(
        event_type=event_type, event_date=date(int(r[1][:4]), int(r[1][4:6]), int(r[1][6:])),
        location=place, location_text=r[52] or None, perpetrator=r[6].strip() or None,
        perpetrator_actor=actors.resolve(r[6].strip()), target_actor=actors.resolve(r[16]),
        sources=[host.removeprefix("www.")] if host else [], dataset="gdelt",
        external_id=r[0].strip(), exact_type=exact)
    extra = {name: r[i] for name, i in gdelt.KEPT.items() if r[i]}
    extra |= {name: r[i] for name, i in (("ActionGeo_FeatureID", 58), ("DATEADDED", 59),
                                         ("SOURCEURL", 60)) if r[i]}
    return claim, extra


def test_gdelt_rows_are_the_values_their_claims_encode_to(tmp_path: Path):
    """The GDELT reader writes a row's values straight from its fields; the claim they
    stand for, made the long way and encoded as every other claim is, gives the same."""
    from trucewatch.columns import encode_claim
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from import_acled import write_gdelt_day  # the benchmark's seeded generator
    day = tmp_path / "20170705.export.CSV"
    write_gdelt_day(day, 300)
    lines = day.read_text(encoding="utf-8").splitlines()
    odd = lines[0].split("\t")  # no place, a country only, URLs with a port or none
    for n, (kind, name, url) in enumerate((
            ("0", "", ""), ("1", "Syria", "http://user@WWW.Example.org:8080/x?y#z"),
            ("2", "Idlib, Syria", "not a url"), ("4", "  ", "https://[::1/x"),
            ("4", "Duma, Rif Dimashq, Syria", "https://www.bbc.co.uk/a"))):
        made = list(odd)
        made[0], made[51], made[52], made[60] = str(10 + n), kind, name, url
        lines.append("\t".join(made))
    day.write_text("\n".join(lines) + "\n", encoding="utf-8")
    actors = Actors(ActorDictionary([Actor("russia", "Russia", "foreign state",
                                           aliases=("RUSSIA",))]))
    fields = {line.split("\t")[0]: line.split("\t") for line in lines}
    rows = [o for o in READERS["gdelt"].read(day, actors) if isinstance(o, Row)]
    assert len(rows) > 200
    assert any(r.claim.perpetrator_actor == "russia" for r in rows)
    assert any(r.claim.location is None for r in rows)
    assert any(r.claim.location and r.claim.location.admin1 for r in rows)
    for row in rows:
        assert encode_claim(*_gdelt_claim(fields[row.external_id], actors)) == row.values


@given(st.text(st.sampled_from("hts:/?#[]@.wW1x "), max_size=24))
def test_gdelt_reads_a_urls_site_as_urlsplit_does(url: str):
    from urllib.parse import urlsplit

    from trucewatch.importers import gdelt
    try:
        host = urlsplit(url.strip()).hostname if url.strip() else None
    except ValueError:
        host = None
    assert gdelt._site(url) == (host.removeprefix("www.") if host else None)


# ACLED rows as they come, and as they sometimes come: spaces, older date spellings, a
# week's or month's precision, no coordinates, quotes, backslashes and non-Latin text.
_acled_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
_acled_fields = st.fixed_dictionaries({
    "event_id_cnty": st.sampled_from(["SYR1", "SYR20001", " SYR7", ""]),
    "event_date": st.sampled_from(["2017-07-04", "2017-02-28", "04 July 2017", "2017-7-4",
                                   "20170704", "2017-13-01", "", "31/12/2019", "04/07/2019",
                                   "31-December-15", "1900-01-01", "9999-12-31",
                                   "0001-01-02", "2017-07-04 00:00:00"]),
    "time_precision": st.sampled_from(["1", "2", "3", "", " 2", "4"]),
    "sub_event_type": st.sampled_from(["Air/drone strike", "Armed clash", " Attack",
                                       "Peaceful protest", "Shelling/artillery/missile attack"]),
    "actor1": st.sampled_from(["Government forces", "Rebels", "", "Unidentified armed group"]),
    "actor2": st.sampled_from(["Civilians (Syria)", "Government forces", ""]),
    "country": st.sampled_from(["Syria", ""]),
    "admin1": st.sampled_from(["Idleb", "", "Dar'a"]),
    "admin2": st.sampled_from(["Duma", ""]),
    "location": st.sampled_from(["Douma", " Kafr Zita ", "", "Ma'arrat al-Nu\u2019man"]),
    "latitude": st.sampled_from(["33.5722", " 35.1", "", "91", "x", "nan"]),
    "longitude": st.sampled_from(["36.4036", "-0.5", "", "181"]),
    "geo_precision": st.sampled_from(["1", "2", "3", " 2", ""]),
    "source": st.sampled_from(["SOHR", "SOHR; SANA", " SANA ;SANA", "", 'Al "Watan"\\']),
    "fatalities": st.sampled_from(["0", "2", "12", "", "-1", "2.0", " 3", "\u0663",
                                   "999999", "1000000", "1000001", "10000000000000000000000",
                                   "inf", "1.0e22"]),
    "notes": _acled_text,
    "inter1": st.sampled_from(["1", ""]), "tags": _acled_text, "admin3": _acled_text,
    "timestamp": st.sampled_from(["1499300000", "", " 17 ", "007", "x", "1.5", "\u0663"]),
})


@settings(max_examples=400, deadline=None)
@given(fields=_acled_fields)
def test_acled_fast_rows_store_what_their_claims_say(fields: dict[str, str]):
    """Most ACLED rows go straight to the claims table's values; the rest go through the
    claim they make. Wherever the fast way takes a row, both ways store the same."""
    names = acled.REQUIRED + acled.OPTIONAL
    row = tuple(fields.get(name, "") for name in names)
    actors = Actors(ActorDictionary(
        [Actor("gov", "Government forces", "government", ("Government forces",)),
         Actor("rebels", "Rebels", "rebel", ("Rebels",))]))
    try:
        slow: object = acled._row_as_claim(7, row, actors)
    except RowProblem as problem:
        slow = BadRow(7, str(problem))
    try:
        fast: object = acled._row(7, row, actors)
    except RowProblem as problem:
        fast = BadRow(7, str(problem))
    assert fast == slow


def test_acled_clean_rows_take_the_fast_way(monkeypatch: pytest.MonkeyPatch):
    rows = [o for o in read("acled", "acled.csv") if isinstance(o, Row)]
    long_way: list[str] = []
    through_claim = acled._row_as_claim

    def recorded(line: int, fields: tuple[str, ...], actors: Actors, *rest: object,
                 **options: object) -> object:
        long_way.append(fields[0])
        return through_claim(line, fields, actors, *rest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(acled, "_row_as_claim", recorded)
    assert [o for o in read("acled", "acled.csv") if isinstance(o, Row)] == rows
    # Coordinates and a toll, whichever way the date is written: straight to the values.
    assert not {"SYR20001", "SYR20002", "SYR20004"} & set(long_way)
    assert "SYR20003" in long_way  # a protest: not recorded, which the long way says


# --- bad input ----------------------------------------------------------------------------


def test_bad_rows_are_skipped_with_their_line_and_the_rest_imported(db: Database):
    summary = load(db, "acled", FIXTURES / "acled_bad.csv")
    problems = {bad.line: bad.problem for bad in summary.bad_rows}
    assert sorted(problems) == [3, 4, 5, 7]
    assert "bad event_date" in problems[3]
    assert "out of range" in problems[4]
    assert "columns where the header has 31" in problems[5]
    assert "unreadable row" in problems[7]  # the quote left open by a cut download
    assert (summary.read, summary.imported, summary.skipped) == (6, 2, 4)
    with db.reading() as session:
        stored = set(session.scalars(select(ClaimRow.external_id)))
    assert stored == {"SYR30001", "SYR30005"}


def test_a_row_with_bytes_that_are_not_utf8_is_skipped_not_stored_garbled(
        db: Database, tmp_path: Path):
    """A file saved from a spreadsheet in Windows-1252: the row is named, the rest read."""
    text = (FIXTURES / "acled.csv").read_bytes()
    bad_at = text.index(b"Daraa")
    path = tmp_path / "acled_cp1252.csv"
    path.write_bytes(text[:bad_at] + "Dar\u2019a".encode("cp1252") + text[bad_at + 5:])
    summary = load(db, "acled", path)
    [bad] = summary.bad_rows
    assert bad.line == text[:bad_at].count(b"\n") + 1  # the row is on one line
    assert "bytes that are not UTF-8" in bad.problem
    assert (summary.imported, summary.skipped) == (2, 1)
    with db.reading() as session:
        assert set(session.scalars(select(ClaimRow.external_id))) == {"SYR20001", "SYR20004"}


def test_characters_cut_by_the_readers_chunks_are_read_whole(db: Database, tmp_path: Path):
    """Megabytes of two- and three-byte characters: the reader's 1 MB chunks cut some of
    them in two, and none is mistaken for a byte that is not UTF-8."""
    header, template = (FIXTURES / "acled.csv").read_text().splitlines()[:2]
    name = "\u1e28am\u0101h \u2013 Ma\u2018arrat an-Nu\u2018m\u0101n"
    rows = [template.replace("SYR20001", f"SYR{n}", 1).replace("Douma", name)
            for n in range(1, 30_001)]
    path = tmp_path / "acled.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 3 << 20
    summary = imports.import_file(db, "acled", path)
    assert (summary.imported, summary.skipped) == (30_000, 0)
    with db.reading() as session:
        assert set(session.scalars(select(ClaimRow.location_name))) == {name}


def test_a_header_without_a_required_column_names_the_file_and_column(
        db: Database, tmp_path: Path):
    text = (FIXTURES / "acled.csv").read_text().replace("fatalities", "deaths", 1)
    broken = tmp_path / "renamed.csv"
    broken.write_text(text)
    with pytest.raises(InputError, match=r"renamed.csv:1: missing column\(s\) fatalities"):
        imports.import_file(db, "acled", broken)
    assert count(db, ClaimRow) == 0 and count(db, ReportRow) == 0


def test_a_missing_file_is_an_input_error(db: Database, tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        imports.import_file(db, "ucdp", tmp_path / "nowhere.csv")


# --- storing: idempotent, updates, crash safety ------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(db: Database, toy_scenario: Scenario):
    first = load(db, "acled", FIXTURES / "acled.csv", toy_scenario)
    assert (first.read, first.imported, first.ignored) == (4, 3, 1)
    incidents = count(db, IncidentRow)
    again = load(db, "acled", FIXTURES / "acled.csv", toy_scenario)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    assert count(db, ClaimRow) == 3 and count(db, IncidentRow) == incidents == 3
    assert count(db, ReportRow) == 1  # one report for the file


def test_a_newer_overlapping_export_updates_changed_rows_only(
        db: Database, toy_scenario: Scenario):
    load(db, "acled", FIXTURES / "acled.csv", toy_scenario)
    newer = load(db, "acled", FIXTURES / "acled_newer.csv", toy_scenario)
    assert (newer.imported, newer.updated, newer.unchanged) == (1, 1, 1)
    assert count(db, ClaimRow) == 4 and count(db, IncidentRow) == 4
    douma = next(i for i, _ in repository.list_incidents(db)
                 if i.location and i.location.name == "Douma")
    assert douma.killed.best == 3 and len(douma.claims) == 1
    with db.reading() as session:
        row = session.scalar(select(ClaimRow).where(ClaimRow.external_id == "SYR20001"))
        assert row is not None and row.report.title == "ACLED export acled_newer.csv"
        assert row.incident_id == douma.id  # back in its own incident, not a new one


def test_an_older_export_imported_late_undoes_no_correction(
        db: Database, toy_scenario: Scenario):
    """ACLED's timestamp moves when ACLED changes an event: a row older than the stored
    one is left alone, while a row that never had a version is rewritten as before."""
    load(db, "acled", FIXTURES / "acled_newer.csv", toy_scenario)
    older = load(db, "acled", FIXTURES / "acled.csv", toy_scenario)
    assert (older.imported, older.updated, older.unchanged, older.outdated) == (1, 0, 1, 1)
    with db.reading() as session:
        row = session.scalar(select(ClaimRow).where(ClaimRow.external_id == "SYR20001"))
        assert row is not None and row.killed_best == 3
        assert row.extra is not None and row.extra["timestamp"] == 1499400000
        assert row.report.title == "ACLED export acled_newer.csv"
    assert merging.count_pending(db) == 0


def test_a_row_without_a_version_is_rewritten_by_any_export(
        db: Database, tmp_path: Path, toy_scenario: Scenario):
    undated = tmp_path / "acled_undated.csv"
    with (FIXTURES / "acled_newer.csv").open(newline="") as source, \
            undated.open("w", newline="") as target:
        rows = list(csv.DictReader(source))
        writer = csv.DictWriter(target, fieldnames=[n for n in rows[0] if n != "timestamp"],
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    load(db, "acled", undated, toy_scenario)
    older = load(db, "acled", FIXTURES / "acled.csv", toy_scenario)
    assert (older.imported, older.updated, older.outdated) == (1, 2, 0)  # both gain a version
    with db.reading() as session:
        row = session.scalar(select(ClaimRow).where(ClaimRow.external_id == "SYR20001"))
        assert row is not None and row.killed_best == 2


# --- events the publisher deleted ----------------------------------------------------------


def _douma(db: Database) -> Incident:
    return next(i for i, _ in repository.list_incidents(db)
                if i.location and i.location.name == "Douma")


def _incident(db: Database, incident_id: int | None) -> Incident:
    return next(i for i, _ in repository.list_incidents(db) if i.id == incident_id)


def test_acled_deletions_take_their_events_out(db: Database, toy_scenario: Scenario):
    load(db, "acled", FIXTURES / "acled.csv", toy_scenario)
    load(db, "ucdp", FIXTURES / "ucdp_ged.csv", toy_scenario)
    douma_id = _douma(db).id
    assert {c.dataset for c in _douma(db).claims} == {"acled", "ucdp"}
    incidents = count(db, IncidentRow)
    deleted = FIXTURES / "acled_deleted.csv"
    summary = service_merging.withdraw_acled_deletions(db, deleted, toy_scenario)
    assert (summary.read, summary.withdrawn, summary.not_stored, summary.republished,
            summary.skipped) == (5, 2, 1, 1, 1)
    assert summary.bad_rows[0].line == 5 and "empty event_id_cnty" in summary.bad_rows[0].problem
    # Douma keeps the UCDP row's reading; Daraa had only the deleted ACLED row and goes.
    douma = _incident(db, douma_id)
    assert [c.dataset for c in douma.claims] == ["ucdp"]
    assert douma.killed.best == douma.claims[0].killed.best
    assert (summary.incidents.updated, summary.incidents.removed) == (1, 1)
    assert count(db, IncidentRow) == incidents - 1
    with db.reading() as session:
        left = set(session.scalars(select(ClaimRow.external_id)
                                  .where(ClaimRow.dataset == "acled")))
    assert left == {"SYR20004"}  # published again after its deletion
    again = service_merging.withdraw_acled_deletions(db, deleted, toy_scenario)
    assert (again.withdrawn, again.not_stored, again.republished) == (0, 3, 1)
    assert count(db, IncidentRow) == incidents - 1


def test_a_deleted_row_an_analyst_split_out_goes_with_its_decision(
        db: Database, toy_scenario: Scenario):
    load(db, "acled", FIXTURES / "acled.csv", toy_scenario)
    load(db, "ucdp", FIXTURES / "ucdp_ged.csv", toy_scenario)
    douma = _douma(db)
    acled_claim = next(c.id for c in douma.claims if c.dataset == "acled")
    assert douma.id is not None and acled_claim is not None
    service_merging.split_incident(db, douma.id, [acled_claim], toy_scenario)
    summary = service_merging.withdraw_acled_deletions(db, FIXTURES / "acled_deleted.csv",
                                                   toy_scenario)
    with db.reading() as session:
        assert session.get(ClaimRow, acled_claim) is None
        assert not session.scalars(select(MergeDecisionClaimRow)
                                   .where(MergeDecisionClaimRow.claim_id == acled_claim)).all()
    assert [c.dataset for c in _incident(db, douma.id).claims] == ["ucdp"]
    assert summary.incidents.removed == 2  # the ACLED row split out of Douma, and Daraa


@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_reimports_count_alike_whichever_way_a_batch_is_checked(
        db: Database, toy_scenario: Scenario, batch_size: int):
    """A batch is inserted first and the rows passed over looked up, or, once a batch
    found its rows stored, looked up first: the counts are the same either way."""
    first = load(db, "acled", FIXTURES / "acled.csv", toy_scenario, batch_size=batch_size)
    again = load(db, "acled", FIXTURES / "acled.csv", toy_scenario, batch_size=batch_size)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, first.imported)
    newer = load(db, "acled", FIXTURES / "acled_newer.csv", toy_scenario, batch_size=batch_size)
    assert (newer.imported, newer.updated, newer.unchanged) == (1, 1, 1)
    assert count(db, ClaimRow) == 4


def test_a_crash_in_the_second_batch_keeps_the_first_and_nothing_of_the_second(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "acled.csv"
    shutil.copy(FIXTURES / "acled_newer.csv", path)
    calls = {"n": 0}
    real = imports.store_batch

    def crash_on_second(*args: object) -> None:
        calls["n"] += 1
        real(*args)  # type: ignore[arg-type]
        if calls["n"] == 2:
            raise RuntimeError("killed")

    monkeypatch.setattr(imports, "store_batch", crash_on_second)
    with pytest.raises(RuntimeError):
        imports.import_file(db, "acled", path, batch_size=2)
    with db.reading() as session:
        assert set(session.scalars(select(ClaimRow.external_id))) == {"SYR20001", "SYR20002"}
    monkeypatch.undo()
    resumed = load(db, "acled", path)
    assert (resumed.imported, resumed.unchanged) == (1, 2)
    assert count(db, ClaimRow) == 3 and count(db, IncidentRow) == 3


def test_a_crash_while_merging_leaves_claims_waiting_for_the_next_run(
        db: Database, monkeypatch: pytest.MonkeyPatch):
    imports.import_file(db, "acled", FIXTURES / "acled.csv")

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("killed")

    # (rows alone in their blocks are written by write_lone, the others by write_incidents)
    monkeypatch.setattr(service_merging, "write_incidents", broken)
    monkeypatch.setattr(service_merging, "write_lone", broken)
    with pytest.raises(RuntimeError):
        service_merging.merge_pending(db, None)
    assert count(db, IncidentRow) == 0 and merging.count_pending(db) == 3
    monkeypatch.undo()
    service_merging.merge_pending(db, None)
    assert count(db, IncidentRow) == 3 and merging.count_pending(db) == 0


def test_gdelt_and_ucdp_files_import_and_merge(db: Database, toy_scenario: Scenario):
    gdelt = load(db, "gdelt", FIXTURES / "20170704.export.CSV")
    assert (gdelt.imported, gdelt.skipped, gdelt.ignored) == (3, 1, 1)
    ucdp = load(db, "ucdp", FIXTURES / "ucdp_ged.csv")
    assert (ucdp.imported, ucdp.skipped) == (2, 1)
    douma = [i for i, _ in repository.list_incidents(db)
             if i.location and i.location.name.startswith("Du")]
    # GDELT's two readings and UCDP's row of the Douma strike: one incident.
    assert len(douma) == 1 and len(douma[0].claims) == 3
    assert douma[0].event_type is EventType.AIR_STRIKE


# --- the command line ---------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_cli_import_prints_a_summary_and_names_bad_rows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", url, "init")[0] == 0
    code, out, err = run(capsys, "--db", url, "import", "acled", str(FIXTURES / "acled.csv"))
    assert code == 0
    assert "4 read, 3 imported, 0 updated, 0 unchanged, 0 skipped, 1 ignored" in out
    assert err == ""  # no progress bar, nor what is left of one, outside a terminal
    run(capsys, "--db", url, "import", "acled", str(FIXTURES / "acled_newer.csv"))
    code, out, _ = run(capsys, "--db", url, "import", "acled", str(FIXTURES / "acled.csv"))
    assert "0 updated, 2 unchanged, 1 older than stored (left as stored), 0 skipped" in out
    code, out, err = run(capsys, "--db", url, "import", "acled",
                         str(FIXTURES / "acled_bad.csv"), "--json")
    assert code == 2
    record = json.loads(out)
    assert [b["line"] for b in record["bad_rows"]] == [3, 4, 5, 7]
    code, _, err = run(capsys, "--db", url, "import", "ucdp", str(FIXTURES / "acled.csv"))
    assert code == 2 and "acled.csv:1: missing column(s) id" in err
    code, out, err = run(capsys, "--db", url, "import", "acled-deleted",
                         str(FIXTURES / "acled_deleted.csv"))
    assert code == 2 and "acled_deleted.csv:5: empty event_id_cnty" in err
    assert ("5 read, 2 withdrawn, 1 not stored, 1 published again since (kept), 1 skipped; "
            "0 incident(s) updated, 2 removed") in out


@pytest.mark.slow  # 40,000 rows, a real kill and a rerun
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_mid_import_leaves_whole_batches_and_a_rerun_finishes(tmp_path: Path):
    """A real kill, not an exception: the process dies between or inside batches."""
    source = (FIXTURES / "acled.csv").read_text().splitlines()
    header, template = source[0], source[1]
    rows = [template.replace("SYR20001", f"SYR{n}", 1) for n in range(1, 40_001)]
    path = tmp_path / "acled.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    db_path = tmp_path / "ledger.db"
    url = f"sqlite:///{db_path}"
    command = [sys.executable, "-m", "trucewatch", "--db", url]
    subprocess.run([*command, "init"], check=True, capture_output=True)
    process = subprocess.Popen([*command, "import", "acled", str(path), "--batch-size", "1000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        with sqlite3.connect(db_path) as connection:
            stored = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
        if stored >= 3000:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db_path) as connection:
        stored = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert stored % 1000 == 0 and stored > 0  # whole batches only
    subprocess.run([*command, "import", "acled", str(path)], check=True, capture_output=True)
    with sqlite3.connect(db_path) as connection:
        total, distinct, waiting = connection.execute(
            "SELECT count(*), count(DISTINCT external_id), "
            "sum(incident_id IS NULL) FROM claims").fetchone()
    assert (total, distinct, waiting) == (40_000, 40_000, 0)


def test_acled_rows_round_trip_through_import_and_export(db: Database):
    """What ACLED coded comes back out in ACLED's columns, under ACLED's own ids."""
    import csv
    import io

    from trucewatch.publish.export import ExportFormat, export

    load(db, "acled", FIXTURES / "acled.csv")
    written = io.StringIO()
    export(db, ExportFormat.acled_csv, written)
    exported = {row["event_id_cnty"]: row for row in csv.DictReader(io.StringIO(
        written.getvalue()))}
    with (FIXTURES / "acled.csv").open(newline="") as handle:
        original = {row["event_id_cnty"]: row for row in csv.DictReader(handle)
                    if row["sub_event_type"] != "Peaceful protest"}
    assert set(exported) == set(original)
    for event_id, row in original.items():
        out = exported[event_id]
        for column in ("sub_event_type", "event_type", "country", "admin1", "location",
                       "time_precision", "geo_precision", "fatalities", "disorder_type"):
            assert out[column] == row[column], (event_id, column)
        assert (float(out["latitude"]), float(out["longitude"])) == (
            float(row["latitude"]), float(row["longitude"]))
        assert out["event_date"] == _acled_day(row["event_date"]).strftime("%d %B %Y")
        assert out["year"] == row["year"]


def _acled_day(text: str) -> date:
    from datetime import datetime
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.strptime(text, "%d %B %Y").date()
