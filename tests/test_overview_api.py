"""The dashboard's routes: /api/map (cells or points), /api/stats/timeline (bins) and
/api/export (the current view as a file), each with the incident list's filters, over
the API's test ledger (Douma and Daraa violations on 4 and 3 July 2017, Raqqa outside
every zone on 5 July)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from api_support import Desk


@pytest.fixture
def client(desk: Desk) -> TestClient:
    return desk.app()


def test_map_points_when_few_and_cells_when_many(client: TestClient, desk: Desk):
    few = client.get("/api/map", params={"zoom": 6})
    assert few.status_code == 200, few.text
    body = few.json()
    assert body["located"] == 3 and body["cells"] == []
    assert {p["id"] for p in body["points"]} == {desk.douma, desk.daraa, desk.raqqa}
    douma = next(p for p in body["points"] if p["id"] == desk.douma)
    assert douma["verdict"] == "violation" and douma["location_name"] == "Douma"

    cells = client.get("/api/map", params={"zoom": 5, "max_points": 0}).json()
    assert cells["points"] == [] and sum(c["count"] for c in cells["cells"]) == 3
    # At zoom 5 a cell is 2.1 degrees: Douma and Daraa share one, Raqqa is in another.
    assert sorted(c["count"] for c in cells["cells"]) == [1, 2]
    pair = next(c for c in cells["cells"] if c["count"] == 2)
    assert pair["violations"] == 2 and pair["incident_id"] is None


def test_map_takes_the_list_filters_and_refuses_a_bad_zoom(client: TestClient, desk: Desk):
    zone = client.get("/api/map", params={"zoom": 6, "zone": "eastern-ghouta"}).json()
    assert [p["id"] for p in zone["points"]] == [desk.douma]
    boxed = client.get("/api/map", params={"zoom": 6, "bbox": "38,35,40,37"}).json()
    assert [p["id"] for p in boxed["points"]] == [desk.raqqa]
    assert client.get("/api/map", params={"zoom": 30}).status_code == 422
    assert client.get("/api/map").status_code == 422  # zoom is required
    bad = client.get("/api/map", params={"zoom": 5, "bbox": "1,2,3"})
    assert bad.status_code == 422 and "bbox" in bad.text  # an InputError, as on the list


def test_timeline_in_bins(client: TestClient):
    days = client.get("/api/stats/timeline").json()
    assert days["unit"] == "day"
    assert {(r["start"], r["zone"]) for r in days["data"]} >= {
        ("2017-07-04", "eastern-ghouta"), ("2017-07-03", "south")}
    months = client.get("/api/stats/timeline", params={"unit": "month"}).json()
    ghouta = [r for r in months["data"] if r["zone"] == "eastern-ghouta"]
    assert ghouta == [{"start": "2017-07-01", "zone": "eastern-ghouta", "violations": 1,
                       "probable_violations": 0}]
    year = client.get("/api/stats/timeline",
                      params={"date_from": "2017-01-01", "date_to": "2017-12-31"}).json()
    assert year["unit"] == "week" and year["date_from"] == "2016-12-26"  # that week's Monday
    assert client.get("/api/stats/timeline", params={"unit": "year"}).status_code == 422


def test_export_of_the_current_view(client: TestClient, desk: Desk):
    answer = client.get("/api/export", params={"format": "acled-csv", "zone": "eastern-ghouta"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="incidents.csv"' in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["location"] for row in rows] == ["Douma"]

    geojson = client.get("/api/export", params={"format": "geojson", "verdict": "violation"})
    features = geojson.json()["features"]
    assert geojson.headers["content-type"] == "application/geo+json"
    assert {f["properties"]["location"] for f in features} == {"Douma", "Daraa"}

    lines = client.get("/api/export", params={"format": "jsonl"}).text.splitlines()
    assert {json.loads(line)["id"] for line in lines} == {desk.douma, desk.daraa, desk.raqqa}
    assert client.get("/api/export", params={"format": "xlsx"}).status_code == 422
