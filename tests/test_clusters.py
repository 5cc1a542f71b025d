"""The dashboard's aggregates (store/clusters.py, service/overview.py) on SQLite and
PostgreSQL: incidents binned into map cells by rounded-down latitude and longitude,
violations per zone in day, week and month bins, and the ledger's last weeks."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from trucewatch.errors import InputError
from trucewatch.ledger import Ledger
from trucewatch.service import IncidentFilter
from trucewatch.service.overview import cell_degrees
from trucewatch.store.clusters import bin_start, choose_unit
from trucewatch.store.tables import IncidentRow, TriageRow

# (lat, lon, day, verdict, zones): a knot of four near Douma, two near Daraa, one on the
# far side of the antimeridian's opposite (negative coordinates), one without a place.
ROWS = [
    (33.571, 36.401, date(2017, 7, 4), "violation", ["eastern-ghouta"]),
    (33.575, 36.405, date(2017, 7, 5), "violation", ["eastern-ghouta"]),
    (33.580, 36.410, date(2017, 7, 11), "probable violation", ["eastern-ghouta"]),
    (33.560, 36.395, date(2017, 7, 30), "not a violation", ["eastern-ghouta"]),
    (32.619, 36.102, date(2017, 7, 3), "violation", ["south"]),
    (32.625, 36.110, date(2017, 8, 20), "violation", ["south", "daraa-governorate"]),
    (-12.05, -77.04, date(2017, 5, 1), "outside every zone", []),
    (None, None, date(2017, 9, 30), "undetermined", []),
]


@pytest.fixture
def ledger(store_url: str) -> Ledger:
    ledger = Ledger(store_url)
    ledger.init()
    with ledger.db.transaction() as session:
        for n, (lat, lon, day, verdict, zones) in enumerate(ROWS):
            session.add(IncidentRow(
                id=n + 1, event_type="Air/drone strike", event_date=day, lat=lat, lon=lon,
                location_name=f"place {n}", confidence="weak", verdict=verdict,
                verdict_zones=zones, verdict_agreements=[], verdict_reasons=[], sources=[]))
    return ledger


def test_cells_count_every_located_incident_once(ledger: Ledger):
    view = ledger.map_view(IncidentFilter(), zoom=7, max_points=0)  # cells of 0.53 degrees
    assert view.points == [] and view.located == 7
    counts = sorted(cell.count for cell in view.cells)
    assert counts == [1, 2, 4]  # Douma's four, Daraa's two, the one far away
    douma = next(cell for cell in view.cells if cell.count == 4)
    assert douma.violations == 3  # two violations and a probable one
    assert 33.56 <= douma.lat <= 33.58 and 36.39 <= douma.lon <= 36.41
    assert (douma.south, douma.north) == (33.560, 33.580)
    assert (douma.west, douma.east) == (36.395, 36.410)
    alone = next(cell for cell in view.cells if cell.count == 1)
    assert alone.incident_id == 7 and alone.verdict == "outside every zone"
    assert alone.lat == pytest.approx(-12.05)  # negative coordinates fall in their own cell


def test_zooming_in_splits_cells_and_few_incidents_come_one_by_one(ledger: Ledger):
    # At zoom 14 a cell is about 0.004 degrees: Douma's knot splits.
    fine = ledger.map_view(IncidentFilter(), zoom=14, max_points=0)
    assert sum(c.count for c in fine.cells) == 7
    assert len(fine.cells) > 3
    points = ledger.map_view(IncidentFilter(), zoom=4)  # 7 located <= 2000: one by one
    assert points.cells == [] and [p.id for p in points.points] == [1, 2, 3, 4, 5, 6, 7]
    assert points.points[0].verdict == "violation" and points.points[0].lat == 33.571


def test_cells_follow_the_filter(ledger: Ledger):
    south = ledger.map_view(IncidentFilter(zones=("south",)), zoom=3, max_points=0)
    assert [c.count for c in south.cells] == [2]
    boxed = ledger.map_view(IncidentFilter(bbox=(36.0, 33.0, 37.0, 34.0)), zoom=3, max_points=0)
    assert [c.count for c in boxed.cells] == [4]
    # A box with another filter is applied to the grouped points (not by the place index).
    both = IncidentFilter(zones=("south",), bbox=(36.0, 32.6, 36.105, 32.62))
    assert [c.count for c in ledger.map_view(both, zoom=3, max_points=0).cells] == [1]
    dated = IncidentFilter(date_from=date(2017, 7, 1), date_to=date(2017, 7, 31),
                           bbox=(36.0, 33.0, 37.0, 34.0))
    assert [c.count for c in ledger.map_view(dated, zoom=3, max_points=0).cells] == [4]
    assert [p.id for p in ledger.map_view(dated, zoom=3).points] == [1, 2, 3, 4]
    # A rejected incident is left out, as from the list.
    with ledger.db.transaction() as session:
        session.add(TriageRow(incident_id=1, status="reviewed", decision="rejected",
                              updated_at=datetime(2017, 8, 1)))
    view = ledger.map_view(IncidentFilter(), zoom=3, max_points=0)
    assert sum(c.count for c in view.cells) == 6


def test_a_zoom_outside_the_map_is_refused(ledger: Ledger):
    with pytest.raises(InputError, match="zoom"):
        ledger.map_view(IncidentFilter(), zoom=40)
    assert cell_degrees(0) == pytest.approx(67.5)


def test_timeline_bins_by_day_week_and_month(ledger: Ledger):
    days = ledger.timeline(IncidentFilter(), unit="day")
    assert days["unit"] == "day"
    ghouta = {(r["start"], r["violations"], r["probable_violations"])
              for r in days["data"] if r["zone"] == "eastern-ghouta"}
    assert ghouta == {(date(2017, 7, 4), 1, 0), (date(2017, 7, 5), 1, 0),
                      (date(2017, 7, 11), 0, 1)}  # "not a violation" is not counted
    weeks = ledger.timeline(IncidentFilter(), unit="week")
    ghouta_weeks = [(r["start"], r["violations"], r["probable_violations"])
                    for r in weeks["data"] if r["zone"] == "eastern-ghouta"]
    assert ghouta_weeks == [(date(2017, 7, 3), 2, 0), (date(2017, 7, 10), 0, 1)]
    months = ledger.timeline(IncidentFilter(), unit="month")
    rows = {(r["start"], r["zone"]): r["violations"] for r in months["data"]}
    assert rows == {(date(2017, 7, 1), "eastern-ghouta"): 2, (date(2017, 7, 1), "south"): 1,
                    (date(2017, 8, 1), "south"): 1, (date(2017, 8, 1), "daraa-governorate"): 1}


def test_timeline_picks_its_bin_from_the_range_and_follows_the_filter(ledger: Ledger):
    assert ledger.timeline(IncidentFilter())["unit"] == "day"  # 3 July to 20 August
    year = IncidentFilter(date_from=date(2017, 1, 1), date_to=date(2017, 12, 31))
    assert ledger.timeline(year)["unit"] == "week"
    assert ledger.timeline(IncidentFilter(zones=("south",)), unit="month")["data"] == [
        {"start": date(2017, 7, 1), "zone": "south", "violations": 1, "probable_violations": 0},
        {"start": date(2017, 8, 1), "zone": "south", "violations": 1, "probable_violations": 0}]
    only_probable = ledger.timeline(IncidentFilter(verdicts=("probable violation",)))
    assert [(r["violations"], r["probable_violations"]) for r in only_probable["data"]] == [(0, 1)]
    assert ledger.timeline(IncidentFilter(verdicts=("not a violation",)))["data"] == []
    with pytest.raises(InputError, match="unit"):
        ledger.timeline(IncidentFilter(), unit="fortnight")


def test_the_ledger_opens_on_its_last_four_weeks(ledger: Ledger):
    assert ledger.date_extent() == (date(2017, 5, 1), date(2017, 9, 30))
    assert ledger.latest_weeks() == (date(2017, 9, 3), date(2017, 9, 30))
    assert ledger.date_extent(IncidentFilter(zones=("south",))) == (
        date(2017, 7, 3), date(2017, 8, 20))


def test_an_empty_ledger_has_no_latest_weeks(store_url: str):
    ledger = Ledger(store_url)
    ledger.init()
    assert ledger.latest_weeks() is None
    assert ledger.timeline(IncidentFilter())["data"] == []
    assert ledger.map_view(IncidentFilter(), zoom=5).located == 0


def test_bins_and_units():
    assert bin_start(date(2017, 7, 6), "week") == date(2017, 7, 3)  # a Monday
    assert bin_start(date(2017, 7, 6), "month") == date(2017, 7, 1)
    assert choose_unit(date(2017, 1, 1), date(2017, 3, 1)) == "day"
    assert choose_unit(date(2017, 1, 1), date(2018, 6, 1)) == "week"
    assert choose_unit(date(2015, 1, 1), date(2018, 6, 1)) == "month"


def test_kept_cells_are_dropped_when_the_ledger_changes(ledger: Ledger):
    before = ledger.map_view(IncidentFilter(), zoom=7, max_points=0)
    assert ledger.map_view(IncidentFilter(), zoom=7, max_points=0) == before  # kept
    with ledger.db.transaction() as session:
        session.add(IncidentRow(
            id=99, event_type="Air/drone strike", event_date=date(2017, 7, 6), lat=33.57,
            lon=36.40, confidence="weak", verdict="violation", verdict_zones=["eastern-ghouta"],
            verdict_agreements=[], verdict_reasons=[], sources=[]))
    after = ledger.map_view(IncidentFilter(), zoom=7, max_points=0)
    assert after.located == before.located + 1
    assert ledger.timeline(IncidentFilter(), unit="month")["data"][0]["violations"] == 3
