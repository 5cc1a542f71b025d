"""What every answer carries and how the server meets the outside: security headers on
every kind of response, errors as pages for people and JSON for programs, forwarded
headers believed only from named proxies, the body limit, the feed's links, the OpenAPI
description of public reading, answers kept until the ledger changes, and briefings made
in the background."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import PASSWORDS, Desk, bearer, cookie_login
from trucewatch.model import Casualties, Claim, EventType, Place, Report
from trucewatch.service import ingesting


@pytest.fixture
def client(desk: Desk) -> TestClient:
    return desk.app()


@pytest.mark.parametrize("path", ["/api/incidents", "/openapi.json", "/static/app.css",
                                  "/feeds/violations.atom", "/api/nothing-here",
                                  "/no-such-page", "/", "/api/incidents/abc"])
def test_every_answer_has_nosniff_and_the_content_policy(client: TestClient, path: str):
    answer = client.get(path)
    assert answer.headers["x-content-type-options"] == "nosniff", path
    assert "default-src 'self'" in answer.headers["content-security-policy"], path
    assert answer.headers["referrer-policy"] == "same-origin"


def test_errors_are_pages_for_pages_and_json_for_programs(client: TestClient):
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text and "{" not in page.text.split("<h1>")[1][:40]
    bad = client.get("/incidents/abc", headers={"Accept": "text/html,*/*"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "incident_id" in bad.text
    api = client.get("/api/nothing-here", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    asked_json = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert asked_json.json()["error"]["status"] == 404


def _fail_logins(client: TestClient, times: int, **headers: str) -> int:
    status = 0
    for _ in range(times):
        status = client.post("/api/auth/token", json={"username": "ana", "password": "wrong"},
                             headers=headers).status_code
    return status


def test_forwarded_for_is_not_believed_unless_the_proxy_is_named(desk: Desk):
    client = desk.app()
    assert _fail_logins(client, 10) == 401
    assert _fail_logins(client, 1) == 429
    # A client cannot pretend to come from elsewhere to get round the limit.
    assert _fail_logins(client, 1, **{"X-Forwarded-For": "203.0.113.9"}) == 429
    proxied = desk.app(forwarded_allow_ips="*")  # the test client is the proxy
    assert _fail_logins(proxied, 10, **{"X-Forwarded-For": "203.0.113.9"}) == 401
    assert _fail_logins(proxied, 1, **{"X-Forwarded-For": "203.0.113.9"}) == 429
    assert _fail_logins(proxied, 1, **{"X-Forwarded-For": "198.51.100.7"}) == 401
    good = proxied.post("/api/auth/token", json={"username": "ana",
                                                  "password": PASSWORDS["ana"]},
                        headers={"X-Forwarded-For": "198.51.100.7"})
    assert good.status_code == 200


def test_a_body_over_max_request_bytes_is_413_before_it_is_read(desk: Desk):
    client = desk.app(max_request_bytes=4096)
    answer = client.post("/api/reports", json={"text": "Air strike. " * 1000})
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_feed_links_use_the_public_url_or_the_request_never_loopback(desk: Desk):
    plain = desk.app().get("/feeds/violations.atom").text
    assert "127.0.0.1" not in plain and f"http://testserver/incidents/{desk.douma}" in plain
    public = desk.app(public_url="https://desk.example.org/").get("/feeds/violations.atom")
    assert f"https://desk.example.org/incidents/{desk.douma}" in public.text
    assert 'href="https://desk.example.org/feeds/violations.atom"' in public.text


def test_openapi_says_public_reads_need_no_login_and_datetimes_carry_an_offset(
        client: TestClient, desk: Desk):
    spec = client.get("/openapi.json").json()
    listing = spec["paths"]["/api/incidents"]["get"]
    assert {} in listing["security"]
    assert {"400", "409", "413", "422", "429"} <= set(listing["responses"])
    review = spec["paths"]["/api/incidents/{incident_id}/corrections"]["post"]
    assert {} not in review.get("security", [])
    private = desk.app(public_read=False).get("/openapi.json").json()
    assert {} not in private["paths"]["/api/incidents"]["get"].get("security", [])
    report = client.get(f"/api/reports/{_report_id(client)}").json()
    assert report["ingested_at"].endswith(("Z", "+00:00"))
    agreement = client.get("/api/agreements").json()["data"][0]
    assert agreement["start"][-6:] in ("+03:00", "+02:00")  # Asia/Damascus in 2017


def _report_id(client: TestClient) -> int:
    reports: list[dict[str, Any]] = client.get("/api/reports").json()["data"]
    return int(reports[0]["id"])


def _add_strike(desk: Desk, day: date, text: str) -> None:
    ingesting.ingest_report(
        desk.ledger.db, Report(text=text, outlet="Wire", published=day),
        [Claim(event_type=EventType.AIR_STRIKE, event_date=day,
               location=Place("Douma", lat=33.5711, lon=36.4017, country="Syria"),
               perpetrator_actor="syrian-government", killed=Casualties.exact(1))],
        desk.ledger.scenario())


def test_counts_stats_and_feed_are_kept_until_the_ledger_changes(desk: Desk):
    client = desk.app()
    first = client.get("/api/incidents").json()["count"]
    stats = client.get("/api/stats/daily").json()["count"]
    feed = client.get("/feeds/violations.atom").text
    hits = desk.ledger.read_cache.hits
    assert client.get("/api/incidents").json()["count"] == first
    assert client.get("/feeds/violations.atom").text == feed
    assert desk.ledger.read_cache.hits >= hits + 2
    _add_strike(desk, date(2017, 7, 20), "Jets struck Douma again on 20 July 2017.")
    assert client.get("/api/incidents").json()["count"] == first + 1
    days = client.get("/api/stats/daily").json()
    assert days["count"] == stats + 1 and days["data"][-1]["date"] == "2017-07-20"
    assert client.get("/feeds/violations.atom").text != feed


def test_a_briefing_is_made_in_the_background_and_polled(desk: Desk):
    pytest.importorskip("weasyprint")
    client = desk.app()
    asked = client.post("/api/briefings", json={"date_from": "2017-07-01",
                                                "date_to": "2017-07-31"})
    assert asked.status_code == 202, asked.text
    job = asked.json()
    assert job["status"] in ("queued", "running", "done")
    again = client.post("/api/briefings", json={"date_from": "2017-07-01",
                                                "date_to": "2017-07-31"}).json()
    assert again["id"] == job["id"]  # the same briefing of the same ledger: one job
    deadline = time.monotonic() + 60
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = client.get(job["status_url"]).json()
    assert job["status"] == "done", job
    pdf = client.get(job["pdf_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    _add_strike(desk, date(2017, 7, 21), "Jets struck Douma on 21 July 2017.")
    changed = client.post("/api/briefings", json={"date_from": "2017-07-01",
                                                  "date_to": "2017-07-31"}).json()
    assert changed["id"] != job["id"]  # a changed ledger: a new briefing
    bad = client.get("/api/briefings/bm9uc2Vuc2U.0123456789ab")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"


def test_the_audit_log_reads_as_words(desk: Desk):
    client = desk.app()
    csrf = cookie_login(client, "ana")
    headers = {"X-CSRF-Token": csrf}
    assert client.put(f"/api/incidents/{desk.douma}/triage", headers=headers,
                      json={"status": "in_progress"}).status_code == 200
    assert client.put(f"/api/incidents/{desk.douma}/vote", headers=headers,
                      json={"value": -1}).status_code in (200, 204)
    page = client.get("/audit")
    assert page.status_code == 200
    assert "status: in_progress; assigned to: ana" in page.text
    assert "disagrees" in page.text
    assert "{&#39;" not in page.text and "{'" not in page.text  # no printed dict


@pytest.mark.parametrize("published", [1500000000, 5, "1 July 2017"])
def test_a_reports_day_is_written_as_the_schema_says(client: TestClient, published: Any):
    """A number of seconds is no day (schemathesis found one taken as 2017-07-14)."""
    answer = client.post("/api/reports", headers=bearer(client, "admin"),
                         json={"text": "Shelling hit Douma on Monday.", "published": published})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"][0]["loc"] == ["body", "published"], answer.text


def test_a_served_app_freezes_its_heap_once_prepared_and_a_test_app_does_not(desk: Desk):
    import gc
    import threading

    from trucewatch.server import create_app

    def started(freeze: bool) -> int:
        with TestClient(create_app(desk.settings, ledger=desk.ledger, freeze_heap=freeze)):
            for thread in threading.enumerate():
                if thread.name == "trucewatch-prepare":
                    thread.join(30)
            return gc.get_freeze_count()

    gc.unfreeze()
    try:
        assert started(False) == 0
        assert started(True) > 0  # 'trucewatch serve': the start's objects set aside
    finally:
        gc.unfreeze()  # back to the collector, for the tests after this one


def test_the_lists_counts_and_an_incidents_reading_are_ready_at_start(desk: Desk):
    import threading

    from trucewatch.server import create_app
    from trucewatch.service import SORTS, IncidentFilter

    ledger = desk.ledger
    ledger.__dict__.pop("_provenance_actors", None)
    with TestClient(create_app(desk.settings, ledger=ledger)) as client:
        for thread in threading.enumerate():
            if thread.name == "trucewatch-prepare":
                thread.join(30)
        cache = ledger.read_cache
        counted = {key[2] for key in list(cache._entries)
                   if key[0] == "count" and key[1] == IncidentFilter()}
        assert counted == {sort.lstrip("-") for sort in SORTS}
        assert "_provenance_actors" in ledger.__dict__  # the scenario's actors, built
        misses = cache.misses
        for sort in SORTS:  # each page is made, none of the counts again
            assert client.get(f"/api/incidents?sort={sort}").status_code == 200
        assert cache.misses - misses == len(SORTS)


def test_routes_are_made_ready_at_start_not_by_the_first_requests(
        desk: Desk, monkeypatch: pytest.MonkeyPatch):
    import fastapi.routing

    from trucewatch.edge.serving import build_routes
    from trucewatch.server import create_app

    if not hasattr(fastapi.routing, "_populate_api_route_state"):
        pytest.skip("this FastAPI builds its routes up front")
    built: list[str] = []
    populate = fastapi.routing._populate_api_route_state

    def counted(route: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        built.append(path)
        return populate(route, path, *args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "_populate_api_route_state", counted)
    app = create_app(desk.settings, ledger=desk.ledger)
    build_routes(app)
    assert "/api/stats/daily" in built and "/api/incidents/{incident_id}" in built
    ready = len(built)
    client = TestClient(app)  # no lifespan: nothing else builds them
    for path in ("/api/stats/daily", "/api/incidents", "/feeds/violations.atom", "/"):
        assert client.get(path).status_code == 200
    assert len(built) == ready


def test_a_server_process_logs_no_frames_threads_or_processes(monkeypatch: pytest.MonkeyPatch):
    import logging

    from trucewatch.edge.serving import lean_logging

    for name in ("logThreads", "logProcesses", "logMultiprocessing", "_srcfile"):
        monkeypatch.setattr(logging, name, getattr(logging, name))  # put back afterwards
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logger = logging.getLogger("trucewatch.test-lean-logging")
    logger.addHandler(handler)
    try:
        logger.warning("before")
        lean_logging()
        logger.warning("%s - %s", "127.0.0.1:9", "GET /api/incidents")
    finally:
        logger.removeHandler(handler)
    before, after = records
    assert before.lineno > 0 and before.threadName is not None
    assert (after.lineno, after.threadName, after.processName) == (0, None, None)
    assert after.getMessage() == "127.0.0.1:9 - GET /api/incidents"
