"""The JSON API: every endpoint with its filters and errors, roles, CSRF, forged
cookies, and a property-based run over the OpenAPI description that finds no 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import (
    DOUMA_TEXT,
    PASSWORDS,
    Desk,
    bearer,
    cookie_login,
    douma_claim,
    make_desk,
)
from trucewatch.api.deps import CSRF_HEADER, SESSION_COOKIE
from trucewatch.ledger import Ledger
from trucewatch.model import Claim, Report


@pytest.fixture
def client(desk: Desk) -> TestClient:
    return desk.app()


def _error(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body: dict[str, Any] = answer.json()["error"]
    assert body["code"] == code, body
    return body


def _ids(answer: Any) -> list[int]:
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["data"]]


# --- the error shape ----------------------------------------------------------------------


def test_every_error_has_one_shape(client: TestClient, desk: Desk):
    answer = client.get("/api/incidents/999")
    assert answer.json() == {"error": {
        "status": 404, "code": "not_found",
        "message": "no incident 999; list them at /api/incidents", "details": []}}
    invalid = client.get("/api/incidents", params={"limit": 0}).json()
    assert set(invalid) == {"error"}
    assert set(invalid["error"]) == {"status", "code", "message", "details"}
    assert invalid["error"]["status"] == 422 and invalid["error"]["code"] == "invalid_request"
    assert invalid["error"]["details"][0] == {
        "loc": ["query", "limit"], "message": "Input should be greater than or equal to 1",
        "type": "greater_than_equal"}
    for answer, status in ((client.get("/api/nowhere"), 404),
                           (client.delete("/api/incidents"), 405),
                           (client.get("/api/audit"), 401),
                           (client.post("/api/reports", json={"text": "x"}), 401)):
        body = answer.json()
        assert set(body) == {"error"} and body["error"]["status"] == status
        assert set(body["error"]) == {"status", "code", "message", "details"}
    spec = client.get("/openapi.json").json()
    assert "ErrorPublic" in spec["components"]["schemas"]
    assert spec["paths"]["/api/incidents/{incident_id}"]["get"]["responses"]["404"]


def test_an_unmigrated_store_is_a_503_with_advice(tmp_path: Path):
    from trucewatch.server import create_app
    from trucewatch.settings import load_settings

    app = create_app(load_settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    body = _error(TestClient(app).get("/api/incidents"), 503, "store_unavailable")
    assert "trucewatch init" in body["message"]


def test_openapi_and_no_page_that_loads_a_cdn(client: TestClient):
    assert client.get("/openapi.json").json()["info"]["title"] == "trucewatch"
    assert client.get("/docs").status_code == 404


# --- incidents ----------------------------------------------------------------------------


def test_list_incidents_paged_and_sorted(client: TestClient, desk: Desk):
    answer = client.get("/api/incidents")
    assert answer.json()["count"] == 3
    assert _ids(answer) == [desk.daraa, desk.douma, desk.raqqa]  # by date
    assert _ids(client.get("/api/incidents?sort=-event_date")) == [
        desk.raqqa, desk.douma, desk.daraa]
    assert _ids(client.get("/api/incidents?sort=-killed")) == [
        desk.raqqa, desk.douma, desk.daraa]  # unknown tolls last
    assert _ids(client.get("/api/incidents?sort=killed")) == [
        desk.douma, desk.raqqa, desk.daraa]
    assert _ids(client.get("/api/incidents?sort=id")) == [desk.douma, desk.daraa, desk.raqqa]
    page = client.get("/api/incidents?sort=id&limit=1&offset=1").json()
    assert (page["count"], [i["id"] for i in page["data"]]) == (3, [desk.daraa])
    douma = next(i for i in answer.json()["data"] if i["id"] == desk.douma)
    assert (douma["verdict"], douma["zones"], douma["killed"]["best"]) == (
        "violation", ["eastern-ghouta"], 2)
    assert douma["review"] == {"status": "unread", "assigned_to": None, "decision": None,
                               "agree": 0, "disagree": 0, "corrected": []}


@pytest.mark.parametrize(("params", "expected"), [
    ({"zone": "eastern-ghouta"}, ["douma"]),
    ({"zone": "south"}, ["daraa"]),
    ({"agreement": "army-halt-south-2017-07"}, ["daraa"]),
    ({"verdict": ["violation", "outside every zone"]}, ["daraa", "douma", "raqqa"]),
    ({"verdict": "outside every zone"}, ["raqqa"]),
    ({"event_type": "Air/drone strike"}, ["daraa", "douma", "raqqa"]),
    ({"event_type": "Armed clash"}, []),
    ({"actor": "us-led-coalition"}, ["raqqa"]),
    ({"date_from": "2017-07-04"}, ["douma", "raqqa"]),
    ({"date_from": "2017-07-04", "date_to": "2017-07-04"}, ["douma"]),
    ({"bbox": "36.0,33.0,37.0,34.0"}, ["douma"]),
    ({"bbox": "35.5,32.3,42.4,37.4"}, ["daraa", "douma", "raqqa"]),
    ({"q": "medical source"}, ["douma"]),  # in the incident's sources
    ({"q": "ACTIVISTS SAID"}, ["raqqa"]),  # in the report's text, any case
    ({"q": "Rif Dimashq"}, ["douma"]),
    ({"q": "100%"}, []),
    ({"review_status": "unread"}, ["daraa", "douma", "raqqa"]),
    ({"review_status": "reviewed"}, []),
])
def test_incident_filters(client: TestClient, desk: Desk, params: dict[str, Any],
                          expected: list[str]):
    names = {desk.douma: "douma", desk.daraa: "daraa", desk.raqqa: "raqqa"}
    answer = client.get("/api/incidents", params=params)
    assert [names[i] for i in _ids(answer)] == expected
    assert answer.json()["count"] == len(expected)


@pytest.mark.parametrize(("params", "problem"), [
    ({"date_from": "2017-07-05", "date_to": "2017-07-01"}, "upside down"),
    ({"date_from": "4 July"}, "date_from"),
    ({"date_to": "2017-02-30"}, "date_to"),
    ({"bbox": "36,33,37"}, "four numbers"),
    ({"bbox": "a,b,c,d"}, "four numbers"),
    ({"bbox": "nan,0,1,1"}, "four numbers"),
    ({"bbox": "-200,0,10,10"}, "out of range"),
    ({"bbox": "0,-95,10,10"}, "out of range"),
    ({"bbox": "37,33,36,34"}, "upside down"),
    ({"limit": 0}, "limit"),
    ({"limit": 501}, "limit"),
    ({"offset": -1}, "offset"),
    ({"verdict": "guilty"}, "verdict"),
    ({"sort": "perpetrator"}, "sort"),
    ({"review_status": "done"}, "review_status"),
    ({"event_type": "Picnic"}, "event_type"),
])
def test_bad_filters_are_a_422_that_says_what_is_wrong(
    client: TestClient, params: dict[str, Any], problem: str
):
    body = _error(client.get("/api/incidents", params=params), 422, "invalid_request"
                  if problem not in ("upside down", "four numbers", "out of range")
                  else "invalid_input")
    assert problem in body["message"]


def test_one_incident_with_claims_reports_and_evidence(client: TestClient, desk: Desk):
    answer = client.get(f"/api/incidents/{desk.douma}")
    assert answer.status_code == 200
    incident = answer.json()
    assert (incident["id"], incident["verdict"], incident["corrections"]) == (
        desk.douma, "violation", [])
    [claim] = incident["claims"]
    assert claim["report"]["title"] == "Air strikes hit Douma"
    assert claim["report"]["url"] == "https://example.org/a"
    [report] = incident["reports"]
    assert report["id"] == claim["report"]["id"]
    for evidence in claim["evidence"]:
        assert set(evidence) == {"id", "field", "start", "end", "text"}
        assert report["text"][evidence["start"]:evidence["end"]] == evidence["text"]
    assert [s["id"] for s in report["spans"]] == [e["id"] for e in claim["evidence"]]
    assert claim["evidence"][1]["text"] == "a woman and a child were killed"


@pytest.mark.parametrize("path", ["/api/incidents/0", "/api/incidents/-3",
                                  "/api/incidents/abc", f"/api/incidents/{2**70}"])
def test_malformed_incident_ids_are_422(client: TestClient, path: str):
    _error(client.get(path), 422, "invalid_request")


# --- reports ------------------------------------------------------------------------------


def test_reports_list_and_one(client: TestClient, desk: Desk):
    page = client.get("/api/reports").json()
    assert page["count"] == 3 and "text" not in page["data"][0]
    douma = next(r for r in page["data"] if r["incident_ids"] == [desk.douma])
    one = client.get(f"/api/reports/{douma['id']}")
    assert one.json()["text"] == DOUMA_TEXT
    _error(client.get("/api/reports/999"), 404, "not_found")
    assert client.get("/api/reports?limit=1&offset=2").json()["data"][0]["incident_ids"] == [
        desk.douma]


def test_script_in_a_report_comes_back_as_data(client: TestClient, desk: Desk):
    incident = client.get(f"/api/incidents/{desk.douma}")
    assert incident.headers["content-type"] == "application/json"
    assert "<script>alert('x')</script>" in incident.json()["reports"][0]["text"]
    report = client.get(f"/api/reports/{incident.json()['reports'][0]['id']}")
    assert report.headers["content-type"] == "application/json"
    assert report.json()["text"].endswith("<script>alert('x')</script>")


class FakePipeline:
    """Stands in for the extractor: every report says the Douma strike happened."""

    def claims(self, report: Report) -> list[Claim]:
        return [douma_claim()]


class LedgerWithoutExtractor(Ledger):
    @property
    def pipeline(self) -> Any:
        self.scenario()
        return FakePipeline()


def test_ingesting_a_report_needs_an_admin_and_is_idempotent(tmp_path: Path):
    desk = make_desk(tmp_path, LedgerWithoutExtractor)
    client = desk.app()
    report = {"text": "Douma, 4 July: air strikes again, two dead.", "title": "Again",
              "published": "2017-07-04"}
    _error(client.post("/api/reports", json=report), 401, "not_authenticated")
    _error(client.post("/api/reports", json=report, headers=bearer(client, "ana")),
           403, "forbidden")
    admin = bearer(client, "admin")
    first = client.post("/api/reports", json=report, headers=admin)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["created"] is True
    assert [i["id"] for i in body["incidents"]] == [desk.douma]  # merged into Douma
    assert body["incidents"][0]["verdict"] == "violation"
    again = client.post("/api/reports", json={**report, "text": report["text"] + "  "},
                        headers=admin)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["report_id"] == body["report_id"]
    assert [i["id"] for i in again.json()["incidents"]] == [desk.douma]
    assert client.get("/api/reports").json()["count"] == 4


@pytest.mark.parametrize("payload", [
    {"text": "x", "author": "me"},  # unknown field
    {"text": ""},
    {"title": "no text"},
    {"text": "x", "published": "yesterday"},
    ["text"],
])
def test_bad_report_bodies_are_422(client: TestClient, payload: Any):
    _error(client.post("/api/reports", json=payload, headers=bearer(client, "admin")),
           422, "invalid_request")


def test_malformed_json_is_422(client: TestClient):
    headers = {**bearer(client, "admin"), "Content-Type": "application/json"}
    body = _error(client.post("/api/reports", content=b'{"text": ', headers=headers),
                  422, "invalid_request")
    assert body["details"][0]["type"] == "json_invalid"


# --- zones, agreements, stats, scenario ---------------------------------------------------


def test_zones_as_geojson_by_day(client: TestClient):
    every = client.get("/api/zones").json()
    assert every["type"] == "FeatureCollection"
    on = client.get("/api/zones", params={"on": "2017-07-04"}).json()
    assert len(on["features"]) < len(every["features"])
    zones = {f["properties"]["zone"] for f in on["features"]}
    assert {"eastern-ghouta", "idlib", "northern-homs", "south"} <= zones
    feature = on["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert {"status", "valid_from", "valid_to", "approximate"} <= set(feature["properties"])
    ghouta = client.get("/api/zones/eastern-ghouta").json()["features"]
    assert {f["properties"]["status"] for f in ghouta} >= {"draft"}
    assert len(ghouta) == 2
    _error(client.get("/api/zones/atlantis"), 404, "not_found")
    _error(client.get("/api/zones?on=July"), 422, "invalid_request")


def test_agreements_with_windows_and_deadlines(client: TestClient):
    page = client.get("/api/agreements", params={"on": "2017-07-04"}).json()
    by_id = {a["id"]: a for a in page["data"]}
    memorandum = by_id["astana-memorandum"]
    assert memorandum["kind"] == "agreement" and memorandum["pax_id"] == "2093"
    assert memorandum["in_force"] is True
    assert "missed" in {d["status"] for d in memorandum["deadlines"]}
    halt = by_id["army-halt-south-2017-07"]
    assert (halt["kind"], halt["actor"]) == ("declaration", "syrian-government")
    early = client.get("/api/agreements", params={"on": "2017-05-01", "in_force": True})
    assert early.json()["count"] == 0
    one = client.get("/api/agreements/astana-memorandum").json()
    assert one["start"].startswith("2017-05-06")
    _error(client.get("/api/agreements/versailles"), 404, "not_found")


def test_daily_counts_of_violations(client: TestClient):
    rows = client.get("/api/stats/daily").json()["data"]
    assert {"date": "2017-07-04", "zone": "eastern-ghouta", "violations": 1,
            "probable_violations": 0} in rows
    assert all(r["zone"] != "raqqa" for r in rows)
    south = client.get("/api/stats/daily", params={"zone": "south"}).json()
    assert [(r["date"], r["zone"]) for r in south["data"]] == [("2017-07-03", "south")]
    late = client.get("/api/stats/daily", params={"date_from": "2017-07-04"}).json()
    assert [r["date"] for r in late["data"]] == ["2017-07-04"]
    _error(client.get("/api/stats/daily?date_from=2017-08-01&date_to=2017-07-01"), 422,
           "invalid_input")


def test_scenario_read_and_load(client: TestClient):
    assert client.get("/api/scenario").json()["id"] == "astana-2017"
    admin = bearer(client, "admin")
    assert client.post("/api/scenario", json={"name": "astana-2017"},
                       headers=admin).status_code == 200
    _error(client.post("/api/scenario", json={"name": "/etc"}, headers=admin), 422,
           "invalid_input")
    _error(client.post("/api/scenario", json={"name": "astana-2017"},
                       headers=bearer(client, "ana")), 403, "forbidden")


# --- review through the API ---------------------------------------------------------------


def test_an_analyst_corrects_confirms_and_it_shows_in_the_audit_log(
    client: TestClient, desk: Desk
):
    ana = bearer(client, "ana")
    corrected = client.post(f"/api/incidents/{desk.douma}/corrections", headers=ana, json={
        "fields": {"killed_best": 3, "killed_high": 3, "verdict": "probable violation"},
        "note": "SOHR's later count"})
    assert corrected.status_code == 200, corrected.text
    body = corrected.json()
    assert body["killed"] == {"low": 2, "best": 3, "high": 3, "civilians": None,
                              "combatants": None}
    assert body["verdict"] == "probable violation"
    assert body["review"]["corrected"] == ["killed_best", "killed_high", "verdict"]
    assert body["review"]["status"] == "in_progress"
    assert {c["field"]: c["machine_value"] for c in body["corrections"]}["verdict"] == \
        "violation"
    listed = client.get("/api/incidents", params={"verdict": "probable violation"})
    assert _ids(listed) == [desk.douma]
    confirmed = client.post(f"/api/incidents/{desk.douma}/confirm", headers=ana,
                            json={"note": "checked"})
    assert confirmed.json()["review"]["decision"] == "confirmed"
    assert confirmed.json()["review"]["status"] == "reviewed"
    log = client.get("/api/audit", params={"incident": desk.douma}, headers=ana).json()
    assert log["count"] == 4
    assert log["data"][0]["action"] == "confirm" and log["data"][0]["user"] == "ana"
    assert client.get("/api/audit", params={"user": "bea"}, headers=ana).json()["count"] == 0
    reverted = client.delete(f"/api/incidents/{desk.douma}/corrections/verdict", headers=ana)
    assert reverted.json()["verdict"] == "violation"
    _error(client.delete(f"/api/incidents/{desk.douma}/corrections/verdict", headers=ana),
           404, "not_found")


def test_votes_and_triage(client: TestClient, desk: Desk):
    ana, bea = bearer(client, "ana"), bearer(client, "bea")
    assert client.put(f"/api/incidents/{desk.daraa}/vote", json={"value": 1},
                      headers=ana).json()["review"]["agree"] == 1
    review = client.put(f"/api/incidents/{desk.daraa}/vote", json={"value": -1},
                        headers=bea).json()["review"]
    assert (review["agree"], review["disagree"]) == (1, 1)
    assert client.delete(f"/api/incidents/{desk.daraa}/vote", headers=bea).status_code == 204
    _error(client.put(f"/api/incidents/{desk.daraa}/vote", json={"value": 2}, headers=ana),
           422, "invalid_request")
    claimed = client.put(f"/api/incidents/{desk.raqqa}/triage",
                         json={"status": "in_progress"}, headers=bea).json()["review"]
    assert (claimed["status"], claimed["assigned_to"]) == ("in_progress", "bea")
    given = client.put(f"/api/incidents/{desk.raqqa}/triage",
                       json={"status": "in_progress", "assigned_to": "ana"}, headers=bea)
    assert given.json()["review"]["assigned_to"] == "ana"
    _error(client.put(f"/api/incidents/{desk.raqqa}/triage",
                      json={"status": "in_progress", "assigned_to": "vic"}, headers=bea),
           422, "invalid_input")
    _error(client.put(f"/api/incidents/{desk.raqqa}/triage",
                      json={"status": "in_progress", "assigned_to": "nobody"}, headers=bea),
           404, "not_found")
    assert _ids(client.get("/api/incidents?review_status=in_progress")) == [desk.raqqa]
    client.put(f"/api/incidents/{desk.raqqa}/triage", json={"status": "reviewed"}, headers=ana)
    assert _ids(client.get("/api/incidents?review_status=reviewed")) == [desk.raqqa]
    rejected = client.post(f"/api/incidents/{desk.raqqa}/reject", json={}, headers=ana)
    assert rejected.json()["review"]["decision"] == "rejected"
    assert desk.raqqa not in _ids(client.get("/api/incidents"))
    assert desk.raqqa in _ids(client.get("/api/incidents?include_rejected=true"))


@pytest.mark.parametrize("payload", [
    {"fields": {"killed_best": -1}},
    {"fields": {"lat": 91}},
    {"fields": {"confidence": "fair"}},
    {"fields": {"verdict": "guilty"}},
    {"fields": {}, "reason": "unknown field"},
    {"note": "no fields"},
])
def test_bad_corrections_are_422(client: TestClient, desk: Desk, payload: dict[str, Any]):
    answer = client.post(f"/api/incidents/{desk.douma}/corrections", json=payload,
                         headers=bearer(client, "ana"))
    assert answer.status_code == 422, answer.text


def test_correcting_nothing_or_an_unknown_incident(client: TestClient, desk: Desk):
    ana = bearer(client, "ana")
    _error(client.post(f"/api/incidents/{desk.douma}/corrections", json={"fields": {}},
                       headers=ana), 422, "invalid_input")
    _error(client.post("/api/incidents/999/corrections",
                       json={"fields": {"killed_best": 1}}, headers=ana), 404, "not_found")
    _error(client.post(f"/api/incidents/{desk.douma}/corrections",
                       json={"fields": {"killed_low": 9}}, headers=ana), 422, "invalid_input")


def test_saved_searches_through_the_api(client: TestClient):
    vic = bearer(client, "vic")
    made = client.post("/api/searches", headers=vic, json={
        "name": "Ghouta", "filters": {"zone": "eastern-ghouta", "verdict": ["violation"]}})
    assert made.status_code == 201, made.text
    search = made.json()
    assert search["filters"] == {"zone": "eastern-ghouta", "verdict": ["violation"]}
    assert client.get("/api/searches", headers=vic).json()["count"] == 1
    _error(client.post("/api/searches", headers=vic, json={"name": "Ghouta", "filters": {}}),
           409, "conflict")
    _error(client.post("/api/searches", headers=vic, json={
        "name": "bad", "filters": {"date_from": "2017-08-01", "date_to": "2017-07-01"}}),
        422, "invalid_input")
    _error(client.post("/api/searches", headers=vic, json={
        "name": "bad", "filters": {"colour": "red"}}), 422, "invalid_request")
    renamed = client.patch(f"/api/searches/{search['id']}", headers=vic, json={"name": "EG"})
    assert renamed.json()["name"] == "EG" and renamed.json()["filters"]["zone"]
    _error(client.get(f"/api/searches/{search['id']}", headers=bearer(client, "ana")),
           404, "not_found")
    assert client.get(f"/api/searches/{search['id']}", headers=vic).json()["name"] == "EG"
    assert client.delete(f"/api/searches/{search['id']}", headers=vic).status_code == 204
    _error(client.get("/api/searches"), 401, "not_authenticated")


# --- accounts, roles, sessions, CSRF ------------------------------------------------------


def test_a_viewer_cannot_review(client: TestClient, desk: Desk):
    vic = bearer(client, "vic")
    body = _error(client.post(f"/api/incidents/{desk.douma}/confirm", json={}, headers=vic),
                  403, "forbidden")
    assert "vic is a viewer" in body["message"] and "analyst" in body["message"]
    _error(client.put(f"/api/incidents/{desk.douma}/vote", json={"value": 1}, headers=vic),
           403, "forbidden")
    _error(client.post(f"/api/incidents/{desk.douma}/confirm", json={}), 401,
           "not_authenticated")


def test_private_mode_needs_a_login_to_read(desk: Desk):
    client = desk.app(public_read=False)
    for path in ("/api/incidents", f"/api/incidents/{desk.douma}", "/api/zones",
                 "/api/agreements", "/api/stats/daily", "/api/reports", "/api/scenario"):
        _error(client.get(path), 401, "not_authenticated")
        assert client.get(path, headers=bearer(client, "vic")).status_code == 200, path
    assert desk.app(public_read=True).get("/api/incidents").status_code == 200


def test_tokens_login_and_logout(client: TestClient):
    _error(client.post("/api/auth/token", json={"username": "ana", "password": "wrong"}),
           401, "not_authenticated")
    _error(client.post("/api/auth/token", json={"username": "nobody", "password": "x"}),
           401, "not_authenticated")
    ana = bearer(client, "ana")
    me = client.get("/api/auth/me", headers=ana).json()
    assert me["user"]["role"] == "analyst" and me["via"] == "bearer"
    assert me["csrf_token"] is None
    _error(client.get("/api/auth/me", headers={"Authorization": "Bearer made-up"}), 401,
           "not_authenticated")
    _error(client.get("/api/auth/me", headers={"Authorization": "Basic YTpi"}), 401,
           "not_authenticated")
    assert client.post("/api/auth/logout", headers=ana).status_code == 204
    _error(client.get("/api/auth/me", headers=ana), 401, "not_authenticated")


def test_cookie_requests_need_the_csrf_token_and_bearer_ones_do_not(
    client: TestClient, desk: Desk
):
    csrf = cookie_login(client, "ana")
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie
    path = f"/api/incidents/{desk.douma}/confirm"
    body = _error(client.post(path, json={}), 403, "csrf_failed")
    assert CSRF_HEADER in body["message"]
    _error(client.post(path, json={}, headers={CSRF_HEADER: "0" * 64}), 403, "csrf_failed")
    assert client.post(path, json={}, headers={CSRF_HEADER: csrf}).status_code == 200
    assert client.get("/api/auth/me").json()["csrf_token"] == csrf  # reads need none
    other = TestClient(client.app)
    assert other.post(path, json={}, headers=bearer(other, "bea")).status_code == 200


def test_the_session_cookie_is_http_only_and_same_site(client: TestClient):
    answer = client.post("/api/auth/login",
                         json={"username": "vic", "password": PASSWORDS["vic"]})
    header = answer.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "path=/" in header


def test_a_forged_or_tampered_cookie_is_401(client: TestClient, desk: Desk):
    cookie_login(client, "vic")
    real = client.cookies.get(SESSION_COOKIE)
    assert real
    for forged in (real[:-2] + ("AA" if not real.endswith("AA") else "BB"),
                   "eyJhZG1pbiI6dHJ1ZX0.forged.signature", real.split(".")[0]):
        client.cookies.set(SESSION_COOKIE, forged)
        _error(client.get("/api/auth/me"), 401, "not_authenticated")
    signed_elsewhere = desk.app(secret_key="another-key")
    cookie_login(signed_elsewhere, "admin")
    client.cookies.set(SESSION_COOKIE, signed_elsewhere.cookies.get(SESSION_COOKIE) or "")
    _error(client.get("/api/auth/me"), 401, "not_authenticated")


def test_logout_ends_the_cookie_session(client: TestClient):
    csrf = cookie_login(client, "ana")
    stolen = client.cookies.get(SESSION_COOKIE) or ""
    _error(client.post("/api/auth/logout"), 403, "csrf_failed")
    assert client.post("/api/auth/logout", headers={CSRF_HEADER: csrf}).status_code == 204
    client.cookies.set(SESSION_COOKIE, stolen)
    _error(client.get("/api/auth/me"), 401, "not_authenticated")


def test_admins_manage_users(client: TestClient):
    admin = bearer(client, "admin")
    assert [u["username"] for u in client.get("/api/users", headers=admin).json()["data"]] == [
        "admin", "ana", "bea", "vic"]
    assert "password_hash" not in client.get("/api/users", headers=admin).text
    made = client.post("/api/users", headers=admin,
                       json={"username": "zoe", "password": "long enough", "role": "analyst"})
    assert made.status_code == 201 and made.json()["role"] == "analyst"
    _error(client.post("/api/users", headers=admin,
                       json={"username": "zoe", "password": "long enough"}), 409, "conflict")
    _error(client.post("/api/users", headers=admin,
                       json={"username": "yan", "password": "short"}), 422, "invalid_input")
    _error(client.post("/api/users", headers=admin, json={
        "username": "yan", "password": "long enough", "role": "emperor"}), 422,
        "invalid_request")
    token = client.post("/api/auth/token",
                        json={"username": "zoe", "password": "long enough"}).json()
    zoe = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.patch("/api/users/zoe", headers=admin,
                        json={"active": False}).json()["active"] is False
    _error(client.get("/api/auth/me", headers=zoe), 401, "not_authenticated")
    _error(client.patch("/api/users/admin", headers=admin, json={"role": "viewer"}), 422,
           "invalid_input")
    _error(client.patch("/api/users/nobody", headers=admin, json={"role": "viewer"}), 404,
           "not_found")
    _error(client.get("/api/users", headers=bearer(client, "ana")), 403, "forbidden")


# --- property-based: no input makes the server fail ---------------------------------------


@pytest.mark.slow  # fuzzes every endpoint
def test_schemathesis_finds_no_server_error(tmp_path: Path):
    """Generated requests, valid and not, to the reading endpoints and the review ones
    (as an admin, so that bodies get past the role check): none may answer 5xx."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error

    desk = make_desk(tmp_path)
    app = desk.app().app
    token = bearer(TestClient(app), "admin")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    seen: dict[int, int] = {}

    def probe(method: str, path: str, mode: GenerationMode) -> None:
        @given(case=schema[path][method].as_strategy(mode))
        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.headers = {**(case.headers or {}), **token}
            response = case.call()
            seen[response.status_code // 100] = seen.get(response.status_code // 100, 0) + 1
            if response.status_code >= 500:
                failures.append(f"{method} {path}: {response.status_code} {response.text}")
            case.validate_response(response, checks=[not_a_server_error])

        run()

    for method, path in (("GET", "/api/incidents"), ("GET", "/api/incidents/{incident_id}"),
                         ("GET", "/api/zones"), ("GET", "/api/agreements"),
                         ("GET", "/api/stats/daily"), ("GET", "/api/reports/{report_id}"),
                         ("GET", "/api/audit"),
                         ("POST", "/api/incidents/{incident_id}/corrections"),
                         ("PUT", "/api/incidents/{incident_id}/triage"),
                         ("POST", "/api/searches")):
        for mode in GenerationMode:  # valid requests, then invalid ones
            probe(method, path, mode)
    assert failures == []
    assert seen.get(2) and seen.get(4), seen  # both kinds of request were made


# --- the command line ---------------------------------------------------------------------


def test_users_add_and_list_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    import io
    import json

    from trucewatch.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as done:
            main(list(args))
        captured = capsys.readouterr()
        return int(done.value.code or 0), captured.out, captured.err

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert run("--db", url, "init")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    code, out, _ = run("--db", url, "users", "add", "ana", "--role", "analyst",
                       "--password-stdin")
    assert (code, out.strip()) == (0, "user ana added as analyst")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    code, _, err = run("--db", url, "users", "add", "ana", "--password-stdin")
    assert code == 2 and "exists already" in err
    code, _, err = run("--db", url, "users", "add", "bob", "--role", "boss",
                       "--password-stdin")
    assert code == 2 and "unknown role 'boss'" in err
    code, out, _ = run("--db", url, "users", "list", "--format", "json")
    assert [(u["username"], u["role"]) for u in json.loads(out)] == [("ana", "analyst")]


def test_report_text_and_searches_cannot_inject_sql(client: TestClient, desk: Desk):
    """Quotes and SQL in a report's text and in a search are data, on either backend."""
    admin = bearer(client, "admin")
    before = client.get("/api/incidents").json()["count"]
    hostile = ("Air strikes hit the town of Saqba in Eastern Ghouta on Tuesday, killing "
               "four people'); DROP TABLE incidents; -- said \"residents\" OR 1=1 %_\\")
    stored = client.post("/api/reports", json={"text": hostile, "published": "2017-07-18"},
                         headers=admin)
    assert stored.status_code in (200, 201), stored.text
    report = client.get(f"/api/reports/{stored.json()['report_id']}").json()
    assert report["text"] == hostile
    for q in ("'; DROP TABLE incidents; --", "' OR '1'='1", "%", "_", "\\", "\"residents\""):
        answer = client.get("/api/incidents", params={"q": q})
        assert answer.status_code == 200, answer.text
    # Search is by words: wildcards alone are no word and match nothing (not everything);
    # only the hostile report holds the words 'OR 1=1'.
    for literal in ("%", "_"):
        assert client.get("/api/incidents", params={"q": literal}).json()["count"] == 0
    assert client.get("/api/incidents", params={"q": "OR 1=1"}).json()["count"] == 1
    assert client.get("/api/incidents").json()["count"] == before + 1
