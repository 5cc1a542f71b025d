"""Every layout the publishers have used, read by the same commands: ACLED before and
after 2019 (any header case, column order, pandas index, API dumps, dates as re-saved by
spreadsheets), UCDP GED's older names and its API's JSON pages, GDELT 1.0 and 2.0 by
their column counts; files that are not tables refused by what they are; and rows that
would poison the ledger (impossible dates and tolls, control characters, coordinates
off the globe, UCDP figures out of order) refused or repaired, each named FILE:LINE."""

from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trucewatch.cli import main
from trucewatch.errors import InputError
from trucewatch.importers import READERS, Actors, BadRow, Ignored, Row
from trucewatch.importers.common import RowProblem
from trucewatch.importers.dates import DayReader
from trucewatch.model import DatePrecision, EventType
from trucewatch.service import merging as service_merging
from trucewatch.store import Database, imports, merging
from trucewatch.store.imports import ImportSummary
from trucewatch.store.tables import ClaimRow, IncidentRow, ReportRow

FIXTURES = Path(__file__).parent / "fixtures" / "importers"


@pytest.fixture
def db(store_url: str) -> Database:
    database = Database(store_url)
    database.init()
    return database


def read(dataset: str, path: Path) -> list[object]:
    return list(READERS[dataset].read(path, Actors(None)))


def rows(outcomes: list[object]) -> dict[str, Row]:
    return {o.external_id: o for o in outcomes if isinstance(o, Row)}


def load(db: Database, dataset: str, path: Path) -> ImportSummary:
    summary = imports.import_file(db, dataset, path)
    service_merging.merge_pending(db, None)
    return summary


def count(db: Database, table: type) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


# --- ACLED before 2019 ---------------------------------------------------------------------


def test_acled_before_2019_maps_old_event_types_to_sub_event_types():
    outcomes = read("acled", FIXTURES / "acled_pre2019.csv")
    found = {event_id: (row.claim.event_type, row.claim.exact_type)
             for event_id, row in rows(outcomes).items()}
    assert found == {
        "SOM21001": (EventType.ARMED_CLASH, True),
        "SOM21002": (EventType.GOVERNMENT_REGAINS_TERRITORY, True),
        "NIG8001": (EventType.NON_STATE_TAKEOVER, True),
        "LBY3001": (EventType.AIR_STRIKE, True),  # "warplanes struck" in NOTES
        "SOM21003": (EventType.REMOTE_EXPLOSIVE, True),  # "a roadside bomb"
        "SSD1001": (EventType.SHELLING, False),  # no means named: the coarse default
        "NIG8002": (EventType.ABDUCTION, True),  # "abducted"
        "NIG8003": (EventType.ATTACK, False),
    }
    assert [o.kind for o in outcomes if isinstance(o, Ignored)] == [
        "Riots/Protests", "Non-violent transfer of territory",
        "Headquarters or base established", "Strategic development"]
    kept = rows(outcomes)
    assert kept["LBY3001"].extra["event_type_before_2019"] == "Remote violence"
    assert kept["SOM21001"].extra["assoc_actor_2"].startswith("AMISOM")  # ALLY_ACTOR_2
    clash = kept["SOM21001"].claim
    assert clash.location is not None and (clash.location.name, clash.location.lat) == (
        "Marka", 1.7159)
    assert (clash.killed.low, clash.killed.best) == (4, 4)
    assert clash.sources == ["Shabelle Media Network"]
    assert kept["NIG8002"].claim.event_date == date(2015, 12, 31)  # "31-December-15"
    assert kept["SOM21003"].claim.event_date == date(2016, 3, 31)  # "31 March 2016"
    blank = kept["SSD1001"].claim  # FATALITIES left blank: unknown, not zero
    assert (blank.killed.low, blank.killed.best) == (None, None)
    week = kept["NIG8003"].claim
    assert (week.event_date, week.date_precision) == (date(2016, 3, 30), DatePrecision.WEEK)


def test_a_coarse_old_type_merges_with_a_reading_that_names_the_weapon(
        db: Database, tmp_path: Path):
    """Remote violence with no weapon in its notes is a guess: it does not keep apart
    from an air strike that GDELT reports for the same place and day."""
    fields = (FIXTURES / "20170704.export.CSV").read_text().splitlines()[0].split("\t")
    fields[0], fields[1] = "555000001", "20160401"
    fields[51:58] = ["4", "Malakal, Upper Nile, South Sudan", "OD", "OD01", "", "9.5334",
                     "31.6605"]
    gdelt = tmp_path / "20160401.export.CSV"
    gdelt.write_text("\t".join(fields) + "\n")
    load(db, "acled", FIXTURES / "acled_pre2019.csv")
    assert count(db, IncidentRow) == 8
    load(db, "gdelt", gdelt)
    assert count(db, IncidentRow) == 8  # joined the Malakal row's incident
    with db.reading() as session:
        stored = session.scalar(select(ClaimRow).where(ClaimRow.external_id == "SSD1001"))
        assert stored is not None and stored.exact_type is False
        joined = session.scalar(select(ClaimRow).where(ClaimRow.external_id == "555000001"))
        assert joined is not None and joined.incident_id == stored.incident_id


# --- ACLED today: any header, any order, dates as saved ------------------------------------


def test_acled_headers_in_any_case_and_order_with_an_index_and_extra_columns():
    dump = rows(read("acled", FIXTURES / "acled_api_dump.csv"))  # alphabetical, index ""
    resaved = rows(read("acled", FIXTURES / "acled_resaved.csv"))  # Title Case, Unnamed: 0
    assert sorted(dump) == ["YEM51001", "YEM51002", "YEM51003"]
    assert sorted(resaved) == ["SYR40001", "SYR40002", "SYR40003"]
    strike = dump["YEM51003"].claim
    assert (strike.event_type, strike.killed.best, strike.sources) == (
        EventType.AIR_STRIKE, 2, ["Saba News Agency"])
    assert strike.location is not None and strike.location.name == "Al Raqw"
    assert "data_id" not in dump["YEM51003"].extra  # a column ACLED's table does not have
    assert dump["YEM51003"].extra["timestamp"] == 1565200000
    assert resaved["SYR40002"].claim.killed.best is None  # fatalities blank


def test_numeric_dates_are_read_in_the_files_own_order():
    """04/07/2019 is 4 July in a file whose 13/07/2019 shows day first, and 07/04/2019
    is 4 July in one whose 07/28/2019 shows month first; two-digit years too."""
    dump = rows(read("acled", FIXTURES / "acled_api_dump.csv"))
    assert [dump[i].claim.event_date for i in ("YEM51001", "YEM51002", "YEM51003")] == [
        date(2019, 7, 4), date(2019, 7, 13), date(2019, 8, 5)]
    us = rows(read("acled", FIXTURES / "acled_us_dates.csv"))
    assert [us[i].claim.event_date for i in ("AFG70001", "AFG70002")] == [
        date(2019, 7, 4), date(2019, 7, 28)]
    resaved = rows(read("acled", FIXTURES / "acled_resaved.csv"))  # 04-07-17, 28-07-17
    assert [resaved[i].claim.event_date for i in ("SYR40001", "SYR40002")] == [
        date(2017, 7, 4), date(2017, 7, 28)]


def _with_dates(tmp_path: Path, dates: list[str]) -> Path:
    with (FIXTURES / "acled_us_dates.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        template = next(reader)
        names = list(reader.fieldnames or [])
    path = tmp_path / "acled_dates.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for n, day in enumerate(dates):
            writer.writerow(template | {"event_id_cnty": f"AFG{n}", "event_date": day})
    return path


@pytest.mark.parametrize(("dates", "why"), [
    (["03/04/2019", "05/06/2019"], "no date in the file settles it"),
    (["03/04/2019", "13/04/2019", "04/13/2019"], "its dates show both orders"),
])
def test_ambiguous_dates_that_the_file_cannot_settle_are_refused(
        tmp_path: Path, dates: list[str], why: str):
    outcomes = read("acled", _with_dates(tmp_path, [*dates, "05/05/2019"]))
    bad = [o for o in outcomes if isinstance(o, BadRow)]
    assert bad[0].line == 2 and "ambiguous event_date '03/04/2019'" in bad[0].problem
    assert why in bad[0].problem
    # Dates that read one way only still read; 05/05 is the same either way.
    assert {r.claim.event_date for r in rows(outcomes).values()} >= {date(2019, 5, 5)}
    assert all("ambiguous" in b.problem for b in bad)


@pytest.mark.parametrize(("text", "day"), [
    ("2019-12-31", date(2019, 12, 31)), ("31 December 2019", date(2019, 12, 31)),
    ("01-January-2015", date(2015, 1, 1)), ("31-December-15", date(2015, 12, 31)),
    ("31-Dec-15", date(2015, 12, 31)), ("2019-12-31 00:00:00", date(2019, 12, 31)),
    ("2019-12-31T00:00:00.000Z", date(2019, 12, 31)), ("31/12/2019", date(2019, 12, 31)),
    ("12/31/2019", date(2019, 12, 31)), ("31-12-19", date(2019, 12, 31)),
    ("31.12.2019", date(2019, 12, 31)), ("2019/7/4", date(2019, 7, 4)),
    ("December 31, 2019", date(2019, 12, 31)), ("12-31-97", date(1997, 12, 31)),
])
def test_each_date_spelling_acled_files_are_met_with(text: str, day: date):
    assert DayReader("event_date")(text) == day


@pytest.mark.parametrize("text", ["1945-12-31", "9999-12-31", "0001-01-01", "31/13/2019",
                                  "2019-02-30", "yesterday", "", "07/04/2019"])
def test_dates_outside_the_plausible_range_or_unreadable_are_refused(text: str):
    with pytest.raises(RowProblem):
        DayReader("event_date")(text)


# --- rows that would poison the ledger ------------------------------------------------------


def test_rows_that_would_poison_the_ledger_are_refused_or_repaired_and_named(db: Database):
    summary = load(db, "acled", FIXTURES / "acled_poison.csv")
    problems = {bad.line: bad.problem for bad in summary.bad_rows}
    assert sorted(problems) == [3, 4, 5, 6, 7, 9, 10]
    assert "1900-07-04 is outside the plausible range" in problems[3]
    assert "9999-12-31 is outside" in problems[4]
    assert "0001-01-02 is outside" in problems[5]  # a week's precision: no OverflowError
    assert "beyond any plausible toll" in problems[6]  # 10**22
    assert "2,000,000 is beyond any plausible toll" in problems[7]
    assert "coordinates out of range" in problems[9] and "-181" in problems[10]
    [repair] = summary.repairs
    assert (repair.line, summary.repaired) == (8, 1)
    assert "removed 2 control character(s) (U+0000, U+0007)" in repair.problem
    with db.reading() as session:
        stored = {r.external_id: r for r in session.scalars(select(ClaimRow))}
        low, high = session.execute(select(func.min(ClaimRow.event_date),
                                           func.max(ClaimRow.event_date))).one()
    assert set(stored) == {"UKR90001", "UKR90007"}
    assert stored["UKR90007"].notes == "A NUL and a bell in the notes."
    assert (low, high) == (date(2019, 7, 4), date(2019, 7, 6))
    assert merging.count_pending(db) == 0 and count(db, IncidentRow) == 2


def test_dates_at_the_edges_of_the_range_store_and_merge(db: Database, tmp_path: Path):
    """The earliest and latest dates a row may carry, with a week's or a year's span:
    merging's date arithmetic (a week on, a month back) never overflows."""
    from datetime import timedelta

    from trucewatch.importers.dates import EARLIEST

    tomorrow = date.today() + timedelta(days=1)
    with (FIXTURES / "acled_poison.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        template, names = next(reader), list(reader.fieldnames or [])
    path = tmp_path / "edges.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for n, (day, precision) in enumerate([(EARLIEST, "2"), (EARLIEST, "3"),
                                              (tomorrow, "1"), (tomorrow, "2")]):
            writer.writerow(template | {"event_id_cnty": f"EDGE{n}", "time_precision": precision,
                                        "event_date": day.isoformat(), "location": f"P{n}"})
    summary = load(db, "acled", path)
    assert (summary.imported, summary.skipped) == (4, 0)
    assert merging.count_pending(db) == 0 and count(db, IncidentRow) == 4
    load(db, "ucdp", FIXTURES / "ucdp_ged_old.csv")  # merging again, across them
    assert merging.count_pending(db) == 0


def test_a_toll_of_ten_sextillion_never_reaches_the_database(db: Database, tmp_path: Path):
    page = json.loads((FIXTURES / "ucdp_api" / "page_1.json").read_text())
    page["Result"][0]["best"] = 10**22
    page["Result"][1]["deaths_civilians"] = 10**22
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    summary = load(db, "ucdp", path)
    assert [b.line for b in summary.bad_rows] == [1, 1]
    assert all("beyond any plausible toll" in b.problem for b in summary.bad_rows)
    assert summary.bad_rows[0].problem.startswith("Result[0]: ")
    assert count(db, ClaimRow) == 0


def test_ucdp_figures_out_of_order_are_put_in_order_and_said():
    found = rows(read("ucdp", FIXTURES / "ucdp_ged_old.csv"))
    mortar = found["120303"]  # LOW_EST 7, BEST_EST 4, HIGH_EST 6
    killed = mortar.claim.killed
    assert (killed.low, killed.best, killed.high) == (4, 6, 7)
    assert mortar.repairs == ("low 7, best 4, high 6 out of order: stored as low 4, best 6, "
                              "high 7",)
    assert found["120301"].repairs == ()


# --- UCDP: older names, the API's pages -----------------------------------------------------


def test_ucdp_older_versions_upper_case_names_and_est_tolls():
    found = rows(read("ucdp", FIXTURES / "ucdp_ged_old.csv"))
    baidoa = found["120301"].claim
    assert (baidoa.killed.low, baidoa.killed.best, baidoa.killed.high) == (8, 8, 10)
    assert baidoa.location is not None and baidoa.location.name == "Baidoa"
    assert baidoa.sources == ["Reuters", "Shabelle Media Network"]
    ranged = found["120302"].claim
    assert (ranged.event_type, ranged.event_date, ranged.date_end) == (
        EventType.ATTACK, date(2012, 3, 6), date(2012, 3, 9))
    assert found["120303"].claim.event_type is EventType.SHELLING  # "Mortar rounds"


def test_ucdp_api_pages_one_page_a_folder_or_a_list(tmp_path: Path):
    folder = read("ucdp", FIXTURES / "ucdp_api")
    assert sorted(rows(folder)) == ["451001", "451002", "451003"]
    [bad] = [o for o in folder if isinstance(o, BadRow)]
    assert bad.source is not None and bad.source.endswith("page_2.json")
    assert bad.problem.startswith("Result[1]: date_start 2121-11-20 is outside")
    pretty = rows(folder)["451002"]
    assert pretty.line == 58  # where its object starts in the indented page
    assert pretty.claim.event_type is EventType.AIR_STRIKE  # "Air strike on village"
    assert pretty.claim.event_date == date(2021, 10, 2)
    single = rows(read("ucdp", FIXTURES / "ucdp_api" / "page_1.json"))
    assert sorted(single) == ["451001", "451002"]
    pages = [json.loads((FIXTURES / "ucdp_api" / n).read_text())
             for n in ("page_1.json", "page_2.json")]
    (tmp_path / "pages.json").write_text(json.dumps(pages))
    (tmp_path / "events.json").write_text(json.dumps(pages[0]["Result"]))
    listed = rows(read("ucdp", tmp_path / "pages.json"))
    assert {k: r.values for k, r in listed.items()} == {
        k: r.values for k, r in rows(folder).items()}
    assert sorted(rows(read("ucdp", tmp_path / "events.json"))) == ["451001", "451002"]


def test_an_api_event_and_the_same_event_as_csv_store_the_same(tmp_path: Path):
    events = json.loads((FIXTURES / "ucdp_api" / "page_1.json").read_text())["Result"]
    path = tmp_path / "ged.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(events[0]))
        writer.writeheader()
        writer.writerows(events)
    from_csv = rows(read("ucdp", path))
    from_api = rows(read("ucdp", FIXTURES / "ucdp_api" / "page_1.json"))
    assert {k: r.values for k, r in from_csv.items()} == {
        k: r.values for k, r in from_api.items()}


def test_a_page_that_is_not_an_api_page_is_named(tmp_path: Path):
    path = tmp_path / "error.json"
    path.write_text('{"message": "The request is invalid."}')
    with pytest.raises(InputError, match=r"error.json: not a UCDP API page: no Result list"):
        read("ucdp", path)
    broken = tmp_path / "cut.json"
    broken.write_text('{"Result": [{"id": 1,\n')
    with pytest.raises(InputError, match=r"cut.json:2: not valid JSON"):
        read("ucdp", broken)


# --- GDELT by column count ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("200607.csv", {"30000201": EventType.AIR_STRIKE, "30000202": EventType.SHELLING,
                    "30000203": EventType.ARMED_CLASH}),  # 1.0 backfile, 57 columns
    ("20130815.export.CSV", {"272000101": EventType.ARMED_CLASH,
                             "272000102": EventType.AIR_STRIKE}),  # 1.0 daily, 58
    ("20170704.export.CSV", {"667000001": EventType.AIR_STRIKE,
                             "667000002": EventType.ARMED_CLASH,
                             "667000004": EventType.AIR_STRIKE}),  # 2.0, 61
])
def test_gdelt_versions_are_told_by_their_column_count(name: str, expected: dict[str, object]):
    found = rows(read("gdelt", FIXTURES / name))
    assert {k: r.claim.event_type for k, r in found.items()} == expected


def test_gdelt_one_places_and_sources_come_from_their_own_columns():
    daily = rows(read("gdelt", FIXTURES / "20130815.export.CSV"))["272000102"]
    place = daily.claim.location
    assert place is not None and (place.name, place.lat, place.lon, place.country) == (
        "Jobar", 33.5333, 36.3333, "Syria")
    assert daily.claim.sources == ["example-wire.org"]
    assert daily.extra["DATEADDED"] == "20130815"
    backfile = rows(read("gdelt", FIXTURES / "200607.csv"))["30000201"]
    assert backfile.claim.sources == [] and "SOURCEURL" not in backfile.extra
    assert backfile.claim.location is not None
    assert backfile.claim.location.name == "Beirut"


def test_a_tab_separated_file_with_another_column_count_is_refused(tmp_path: Path):
    path = tmp_path / "mentions.CSV"
    path.write_text("\t".join(["x"] * 16) + "\n")
    with pytest.raises(InputError, match=r"mentions.CSV:1: 16 tab-separated columns: not a "
                                         r"GDELT events table \(those have 57"):
        read("gdelt", path)


# --- files that are not what they claim ------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "message"), [
    ("acled.csv", b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12\n",
     "a Git LFS pointer, not the data"),
    ("acled.csv", b"<!DOCTYPE html>\n<html><body>Access denied</body></html>",
     "an HTML or XML page, not a data file"),
    ("acled.zip", b"event_id_cnty,event_date\nSYR1,2017-07-04\n",
     "named .zip but not a zip archive"),
    ("acled.csv", b"", "empty file (0 bytes)"),
    ("acled.csv", "event_id_cnty\n".encode("utf-16"), "UTF-16 text"),
    ("acled.csv", b'{"status": 200, "data": []}', "JSON, not CSV"),
    ("acled.csv.gz", b"not gzip at all", "named .gz but not a gz archive"),
])
def test_files_that_are_not_what_they_claim_are_named(
        db: Database, tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(f"{name}: {message}")):
        imports.import_file(db, "acled", path)
    assert count(db, ClaimRow) == 0 and count(db, ReportRow) == 0


def test_a_workbook_is_named_as_one(db: Database, tmp_path: Path):
    path = tmp_path / "acled.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match="a spreadsheet workbook"):
        imports.import_file(db, "acled", path)


def test_a_gzipped_csv_is_read_like_the_csv(tmp_path: Path):
    path = tmp_path / "acled.csv.gz"
    path.write_bytes(gzip.compress((FIXTURES / "acled_pre2019.csv").read_bytes()))
    assert read("acled", path) == read("acled", FIXTURES / "acled_pre2019.csv")
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(InputError, match=r"cut\.csv\.gz: cannot read on after line"):
        read("acled", cut)


# --- re-imports and the command line -------------------------------------------------------


LAYOUTS = [
    ("acled", "acled_pre2019.csv"), ("acled", "acled_api_dump.csv"),
    ("acled", "acled_resaved.csv"), ("acled", "acled_us_dates.csv"),
    ("acled", "acled_poison.csv"), ("ucdp", "ucdp_ged_old.csv"), ("ucdp", "ucdp_api"),
    ("gdelt", "200607.csv"), ("gdelt", "20130815.export.CSV"),
]


@pytest.mark.parametrize(("dataset", "name"), LAYOUTS)
def test_reimporting_each_layout_changes_nothing(db: Database, dataset: str, name: str):
    first = load(db, dataset, FIXTURES / name)
    assert first.imported > 0
    claims, incidents = count(db, ClaimRow), count(db, IncidentRow)
    again = load(db, dataset, FIXTURES / name)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, first.imported)
    assert (count(db, ClaimRow), count(db, IncidentRow)) == (claims, incidents)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_cli_names_skipped_and_repaired_rows_by_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    run(capsys, "--db", url, "init")
    poison = str(FIXTURES / "acled_poison.csv")
    code, out, err = run(capsys, "--db", url, "import", "acled", poison)
    assert code == 2
    assert f"skipped: {poison}:3: event_date 1900-07-04 is outside the plausible" in err
    assert f"repaired: {poison}:8: removed 2 control character(s)" in err
    assert "9 read, 2 imported, 0 updated, 0 unchanged, 7 skipped, 0 ignored, 1 repaired" in out
    pages = tmp_path / "pages"
    shutil.copytree(FIXTURES / "ucdp_api", pages)
    code, out, err = run(capsys, "--db", url, "import", "ucdp", str(pages), "--json")
    record = json.loads(out)
    assert code == 2 and record["imported"] == 3 and record["repaired"] == 1
    assert record["bad_rows"] == [{"line": 1, "file": str(pages / "page_2.json"),
                                   "problem": record["bad_rows"][0]["problem"]}]
    code, _, err = run(capsys, "--db", url, "import", "ucdp", str(pages))
    assert f"skipped: {pages / 'page_2.json'}:1: Result[1]: date_start 2121-11-20" in err
    lfs = tmp_path / "GEDEvent_v24_1.csv"
    lfs.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n")
    code, _, err = run(capsys, "--db", url, "import", "ucdp", str(lfs))
    assert code == 2 and f"{lfs}: a Git LFS pointer, not the data" in err
    assert len(err.strip().splitlines()) == 1
