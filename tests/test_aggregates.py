"""Aggregate violation reports: counts per side, area and day with a verdict of their own
(aggregates.py), stored and re-imported (store/aggregates.py, on SQLite and PostgreSQL),
imported from CSV on the command line, listed by the API, drawn in the timeline and told
in the digest. The example reports are written for these tests."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from aggregate_support import donbas
from api_support import Desk
from trucewatch.aggregates import judge, kind_types, parse_csv
from trucewatch.cli import main
from trucewatch.errors import InputError
from trucewatch.model import AggregateReport, EventType, VerdictKind
from trucewatch.publish.digest import compose, prepare
from trucewatch.service import Ledger
from trucewatch.store.subscriptions import Subscription

DAY = date(2021, 7, 10)
V = VerdictKind

# A monitoring mission's daily report and a side's statement, in our own words.
CSV = (Path(__file__).parent / "fixtures" / "aggregates.csv").read_text(encoding="utf-8")


def count(side: str | None, area: str | None, *, day: date = DAY, n: int = 23,
          kind: str = "ceasefire violations", reporter: str = "JFO press service"
          ) -> AggregateReport:
    return AggregateReport(day=day, reporter=reporter, count=n, kind=kind, side=side,
                           area=area)


# -- verdicts -----------------------------------------------------------------------------

def test_a_bound_party_counted_in_a_zone_in_force_is_a_violation():
    verdict = judge(count("Russia-backed formations", "Donetsk region"), donbas())
    assert verdict.kind is V.VIOLATION
    assert "east" in verdict.zones and verdict.agreements == ("truce",)
    assert any("is bound by The 2020 truce" in r for r in verdict.reasons)
    # A sub-unit is bound as its parent is, and the reasons say so.
    verdict = judge(count("DNR", "Luhansk oblast"), donbas())
    assert verdict.kind is V.VIOLATION
    assert any("as part of Russia-backed formations" in r for r in verdict.reasons)


@pytest.mark.parametrize(("report", "kind", "because"), [
    (count("raiders", "Luhansk oblast"), V.NOT_VIOLATION, "Raiding group is not bound"),
    (count("DNR", "Donetsk", day=date(2020, 7, 1)), V.NOT_VIOLATION, "No agreement"),
    (count("DNR", "Kharkiv region"), V.OUTSIDE_ZONES, "outside every zone"),
    (count("DNR", "Narnia"), V.UNDETERMINED, "cannot be placed"),
    (count("DNR", None), V.UNDETERMINED, "An unnamed area cannot be placed"),
    (count("Martians", "Donetsk"), V.UNDETERMINED, "Martians is not an actor"),
    (count("SMM", "Donetsk"), V.UNDETERMINED, "never the perpetrator"),
    (count("DNR", "Donetsk", n=0), V.NOT_VIOLATION, "counts no acts"),
    # The truce starts a minute after midnight: held for part of the day only.
    (count("DNR", "Donetsk", day=date(2020, 7, 27)), V.PROBABLE_VIOLATION, "part of that day"),
    # The whole country reaches beyond the zone.
    (count("DNR", "Ukraine"), V.PROBABLE_VIOLATION, "reaches beyond"),
    # No side named, and an unbound armed group is about.
    (count(None, "Donetsk", reporter="OSCE SMM"), V.UNDETERMINED, "may be theirs"),
])
def test_what_is_not_a_plain_violation_says_why(report: AggregateReport, kind: VerdictKind,
                                                because: str):
    verdict = judge(report, donbas())
    assert verdict.kind is kind, verdict.reasons
    assert any(because in reason for reason in verdict.reasons), verdict.reasons
    assert verdict.reasons[0].startswith(report.reporter)  # who counted, never the side


def test_excluded_party_and_unprohibited_acts_are_no_violation():
    scenario = donbas()
    truce = scenario.agreements[0]
    narrow = replace(scenario, agreements=(replace(
        truce, excluded=("raiders",), prohibited=frozenset({EventType.SHELLING})),))
    verdict = judge(count("raiders", "Donetsk", kind="shelling incidents"), narrow)
    assert verdict.kind is V.NOT_VIOLATION
    assert any("excluded from The 2020 truce" in r for r in verdict.reasons)
    verdict = judge(count("DNR", "Donetsk", kind="clashes"), narrow)
    assert verdict.kind is V.NOT_VIOLATION
    assert any("are not among the acts" in r for r in verdict.reasons)
    assert judge(count("DNR", "Donetsk", kind="explosions"), narrow).kind is V.VIOLATION


def test_the_enemy_in_a_sides_statement_is_the_party_opposite():
    # "The enemy violated the ceasefire 23 times in the last 24 hours", says the press
    # service of the Ukrainian side: the enemy is the Russia-backed formations.
    verdict = judge(count("the enemy", "Donetsk region"), donbas())
    assert verdict.kind is V.VIOLATION
    assert any("'the enemy' in Joint Forces press service's count (Russia-backed "
               "formations)" in r for r in verdict.reasons), verdict.reasons
    unknown_teller = judge(count("the enemy", "Donetsk region", reporter="a blogger"),
                           donbas())
    assert unknown_teller.kind is V.UNDETERMINED
    assert any("whose enemy is not known" in r for r in unknown_teller.reasons)


def test_a_count_naming_no_side_is_probable_where_every_armed_party_is_bound():
    scenario = donbas()
    without_raiders = replace(scenario, actors={k: a for k, a in scenario.actors.items()
                                                if k != "raiders"})
    verdict = judge(count(None, "Donetsk region", n=312, reporter="OSCE SMM"),
                    without_raiders)
    assert verdict.kind is V.PROBABLE_VIOLATION
    assert any("not knowing which" in r for r in verdict.reasons)


def test_areas_by_zone_name_and_kinds_by_word():
    assert judge(count("DNR", "Coastal strip"), donbas()).zones == ("coast",)
    assert judge(count("DNR", "coast"), donbas()).zones == ("coast",)
    assert kind_types("ceasefire violations") is None  # whatever is prohibited
    assert kind_types("Explosions") == {EventType.SHELLING, EventType.REMOTE_EXPLOSIVE,
                                        EventType.AIR_STRIKE}
    assert kind_types("shelling incidents") == {EventType.SHELLING}
    with pytest.raises(InputError, match="'parades' is not a kind"):
        kind_types("parades")


# -- CSV ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "where"), [
    ("date,reporter,count\n", r"x.csv:1: missing column\(s\): kind"),
    ("date,reporter,count,kind,colour\n", r"x.csv:1: unknown column\(s\): colour"),
    ("date,reporter,count,kind\n2021-07-10,SMM,3,explosions\n2021-07-32,SMM,3,explosions\n",
     r"x.csv:3: column date: '2021-07-32' is not a date"),
    ("date,reporter,count,kind\n2021-07-10,SMM,-3,explosions\n",
     r"x.csv:2: column count: '-3' is not a whole number"),
    ("date,reporter,count,kind\n2021-07-10,SMM,,explosions\n", r"x.csv:2: column count: empty"),
    ("date,reporter,count,kind,killed\n2021-07-10,SMM,3,explosions,two\n",
     r"x.csv:2: column killed: 'two'"),
    ("date,reporter,count,kind\n2021-07-10,SMM,3,parades\n",
     r"x.csv:2: column kind: 'parades' is not a kind"),
])
def test_bad_rows_are_named_by_file_line_and_column(text: str, where: str):
    with pytest.raises(InputError, match=where):
        parse_csv(text, "x.csv")


def test_rows_read_in_any_column_order_and_case():
    [(line, report)] = parse_csv("Kind,COUNT,date,reporter,Area\nexplosions,104,2021-07-10,"
                                 "OSCE SMM,Donetsk region\n\n", "x.csv")
    assert line == 2
    assert report == AggregateReport(DAY, "OSCE SMM", 104, "explosions", area="Donetsk region")


# -- the store, on SQLite and PostgreSQL ---------------------------------------------------

@pytest.fixture
def ledger(store_url: str) -> Ledger:
    ledger = Ledger(store_url)
    ledger.init()
    ledger.load_scenario("donbas-minsk")
    return ledger


def test_import_is_all_or_nothing_and_idempotent(ledger: Ledger, tmp_path: Path):
    path = tmp_path / "counts.csv"
    path.write_text(CSV + "2021-07-11,OSCE SMM,,Donetsk region,many,explosions,,,,\n")
    with pytest.raises(InputError, match=r"counts.csv:6: column count: 'many'"):
        ledger.import_aggregates(path)
    assert ledger.aggregates() == ([], 0)  # nothing half-stored

    path.write_text(CSV)
    first = ledger.import_aggregates(path)
    assert (first.read, first.added, first.updated, first.unchanged) == (4, 4, 0, 0)
    again = ledger.import_aggregates(path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    found, total = ledger.aggregates()
    assert total == 4
    by_area = {(s.report.area, s.report.kind): s for s in found}
    ukrainian = by_area[("Luhansk region", "ceasefire violations")]
    assert ukrainian.side_actor == "ukrainian-forces"
    assert ukrainian.verdict.kind is V.VIOLATION and ukrainian.report.wounded == 2
    assert by_area[("Kharkiv region", "explosions")].verdict.kind is V.OUTSIDE_ZONES
    mission = by_area[("Donetsk region", "ceasefire violations")]
    assert mission.verdict.kind in (V.PROBABLE_VIOLATION, V.UNDETERMINED)
    assert "312 ceasefire violations" in mission.verdict.reasons[0]

    # A corrected figure replaces the stored count; it is not a second one.
    path.write_text(CSV.replace(",312,", ",315,"))
    corrected = ledger.import_aggregates(path)
    assert (corrected.added, corrected.updated, corrected.unchanged) == (0, 1, 3)
    assert ledger.aggregates()[1] == 4
    assert [s.report.count for s in ledger.aggregates(side="ukrainian-forces")[0]] == [23]
    assert ledger.aggregates(side="UKRAINIAN FORCES")[1] == 1  # as the report wrote it
    assert ledger.aggregates(date_from=DAY + timedelta(days=1))[1] == 0
    assert ledger.aggregates(verdicts=("outside every zone",))[1] == 1


def test_counts_are_judged_again_when_a_scenario_is_loaded(ledger: Ledger):
    ledger.add_aggregates([count("Ukrainian forces", "Donetsk region")])
    [stored], _ = ledger.aggregates()
    assert stored.verdict.kind is V.VIOLATION
    ledger.load_scenario("astana-2017")  # Donetsk lies in none of its zones
    [stored], _ = ledger.aggregates()
    assert stored.verdict.kind in (V.UNDETERMINED, V.OUTSIDE_ZONES)
    assert stored.side_actor is None


# -- the command line ---------------------------------------------------------------------

def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out, captured.err


def test_the_aggregates_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run(capsys, "--db", url, "init")[0] == 0
    assert run(capsys, "--db", url, "scenario", "load", "donbas-minsk")[0] == 0
    path = tmp_path / "counts.csv"
    path.write_text(CSV.replace("2021-07-10,OSCE SMM,,Kharkiv", "2021-07-1O,OSCE SMM,,Kharkiv"))
    code, _, err = run(capsys, "--db", url, "aggregates", "import", str(path))
    assert code == 2 and f"{path}:5: column date: '2021-07-1O' is not a date" in err
    path.write_text(CSV)
    code, out, _ = run(capsys, "--db", url, "aggregates", "import", str(path))
    assert code == 0 and "4 count(s): 4 added, 0 updated, 0 unchanged" in out
    code, out, _ = run(capsys, "--db", url, "aggregates", "import", "--json", str(path))
    assert json.loads(out)["unchanged"] == 4
    code, out, _ = run(capsys, "--db", url, "aggregates", "list", "--side", "ukrainian-forces",
                       "--format", "json")
    listed = json.loads(out)
    assert listed["count"] == 1 and listed["data"][0]["verdict"]["kind"] == "violation"
    code, _, err = run(capsys, "--db", url, "aggregates", "list", "--from", "10 July")
    assert code == 2 and "--from" in err


# -- the API, the timeline and the digest (the desk holds the Astana scenario) ------------

def _astana_counts(desk: Desk) -> None:
    desk.ledger.add_aggregates([
        AggregateReport(date(2017, 7, 4), "a local monitoring network", 7, "air strikes",
                        side="Syrian warplanes", area="Eastern Ghouta",
                        source="https://example.org/ghouta/0704"),
        AggregateReport(date(2017, 7, 5), "Syrian army statement", 12, "shelling incidents",
                        side="Jaish al-Islam", area="Eastern Ghouta"),
        AggregateReport(date(2017, 7, 5), "Syrian army statement", 4, "shelling incidents",
                        side="Islamic State", area="Raqqa"),
    ])


def test_api_lists_counts_by_day_range_and_side(desk: Desk):
    _astana_counts(desk)
    client = desk.app()
    answer = client.get("/api/aggregates").json()
    assert answer["count"] == 3
    first = answer["data"][0]
    assert first["date"] == "2017-07-04" and first["side_actor"] == "syrian-government"
    assert first["verdict"]["kind"] == "violation"
    assert first["verdict"]["zones"] == ["eastern-ghouta"]
    assert any("bound by" in r for r in first["verdict"]["reasons"])
    on_fifth = client.get("/api/aggregates", params={"date_from": "2017-07-05"}).json()
    assert [d["count"] for d in on_fifth["data"]] == [12, 4]
    by_side = client.get("/api/aggregates", params={"side": "jaish-al-islam"}).json()
    assert [d["count"] for d in by_side["data"]] == [12]
    assert client.get("/api/aggregates", params={"verdict": "violation"}).json()["count"] == 2
    wrong = client.get("/api/aggregates", params={"date_from": "2017-07-06",
                                                 "date_to": "2017-07-01"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_input"


def test_timeline_carries_the_counts_per_day_and_zone(desk: Desk):
    _astana_counts(desk)
    timeline = desk.app().get("/api/stats/timeline", params={
        "date_from": "2017-07-01", "date_to": "2017-07-10", "unit": "day"}).json()
    assert timeline["aggregates"] == [
        {"start": "2017-07-04", "zone": "eastern-ghouta", "reported": 7, "violations": 7,
         "probable_violations": 0},
        {"start": "2017-07-05", "zone": "eastern-ghouta", "reported": 12, "violations": 12,
         "probable_violations": 0},
    ]
    weekly = desk.app().get("/api/stats/timeline", params={
        "date_from": "2017-07-01", "date_to": "2017-07-10", "unit": "week"}).json()
    assert [(b["start"], b["reported"]) for b in weekly["aggregates"]] == [("2017-07-03", 19)]


def test_a_kept_timeline_sees_counts_added_after_it(desk: Desk):
    client = desk.app()
    params = {"date_from": "2017-07-01", "date_to": "2017-07-10", "unit": "day"}
    assert client.get("/api/stats/timeline", params=params).json()["aggregates"] == []
    _astana_counts(desk)  # another process could have imported them
    later = client.get("/api/stats/timeline", params=params).json()["aggregates"]
    assert [b["reported"] for b in later] == [7, 12]


def test_digest_has_a_section_of_the_days_counts(desk: Desk):
    _astana_counts(desk)
    scenario = desk.ledger.scenario()
    since = datetime(2017, 7, 4, 6)
    digest = prepare(desk.ledger.db, scenario, Subscription("ana@example.org"), since,
                     "https://dash.example/")
    assert [a.report.count for a in digest.aggregates][:3] == [7, 12, 4]
    message = compose(digest, desk.settings, scenario)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Counts reported (3)" in part
        assert "a local monitoring network: 7 air strikes in Eastern Ghouta" in part
        assert "Syrian government forces" in part  # the side as the scenario names it
    assert "verdict: violation" in text and "verdict: outside every zone" in text
    # A subscription to one zone gets that zone's counts only.
    ghouta = prepare(desk.ledger.db, scenario,
                     Subscription("bea@example.org", zones=("eastern-ghouta",)), since,
                     "https://dash.example/")
    assert [a.report.count for a in ghouta.aggregates] == [7, 12]


def test_an_import_places_each_area_once_with_the_same_verdicts():
    scenario, places = donbas(), {}
    reports = [count(side, area, day=date(2020, 7, 26) + timedelta(days=n))
               for n in range(3) for side in ("DNR", None, "raiders")
               for area in ("Donetsk region", "Kharkiv", "coast")]
    assert [judge(r, scenario, places=places) for r in reports] == [
        judge(r, scenario) for r in reports]
    assert len(places) == 3  # one boundary set over these days, three areas
