"""The dashboard's pages through FastAPI's TestClient: every page renders, report text
is escaped, review controls only for analysts, unknown things are 404 pages, and the
login rate limit. (The same pages in a real browser: test_browser.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_support import DOUMA_TEXT, PASSWORDS, Desk, cookie_login
from trucewatch.api.ratelimit import LoginLimiter, TooManyAttempts
from trucewatch.web.highlight import pieces


@pytest.mark.parametrize("path", ["/", "/zones", "/zones/eastern-ghouta", "/agreements",
                                  "/agreements?on=2017-07-04", "/login"])
def test_pages_render(desk: Desk, path: str):
    answer = desk.app().get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert "<title>" in answer.text and "trucewatch" in answer.text


def test_dashboard_offers_every_filter(desk: Desk):
    html = desk.app().get("/").text
    for name in ("zone", "event_type", "verdict", "date_from", "date_to", "review_status", "on"):
        assert f'name="{name}"' in html, name
    assert '<option value="eastern-ghouta">' in html
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/js/dashboard.js" in html


def test_static_assets_ship_with_the_package(desk: Desk):
    client = desk.app()
    for path in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
                 "/static/vendor/leaflet/images/marker-icon.png", "/static/app.css",
                 "/static/js/common.js", "/static/js/dashboard.js", "/static/js/review.js"):
        assert client.get(path).status_code == 200, path
    # The world basemap: every country, and each country's admin-1 units in its own file.
    outlines = client.get("/static/basemap/countries.geojson").json()
    names = {f["properties"]["name"]: f for f in outlines["features"]}
    assert {"Syria", "Lebanon", "Ukraine", "Yemen", "S. Sudan", "Palestine"} <= set(names)
    assert len(names) > 230
    governorates = client.get(f"/static/basemap/{names['Syria']['properties']['admin1']}").json()
    syria = {f["properties"]["name"] for f in governorates["features"]}
    assert {"Idlib", "Rif Dimashq", "Quneitra", "Aleppo"} <= syria and len(syria) >= 14
    folder = Path(__file__).parent.parent / "src/trucewatch/web/static/basemap"
    assert (folder / "countries.geojson").stat().st_size < 1_000_000
    assert sum(f.stat().st_size for f in folder.glob("admin1/*.geojson")) < 5_000_000


def test_no_page_loads_anything_from_outside(desk: Desk):
    client = desk.app()
    for path in ("/", "/incidents/1", "/zones/south", "/agreements", "/login"):
        html = client.get(path).text
        # Links out (a report's URL) are fine; nothing the page loads may come from outside.
        assert not re.search(r'src="(https?:)?//|<link[^>]*href="(https?:)?//', html), path


def test_incident_page_escapes_report_text_and_highlights_evidence(desk: Desk):
    html = desk.app().get(f"/incidents/{desk.douma}").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    # The evidence sentence is marked, with a label naming the field it gave.
    mark = re.search(r'<mark class="evidence" data-fields="killed"[^>]*>(.*?)</mark>', html)
    assert mark is not None
    assert '<span class="field-label" aria-label="evidence for killed">killed</span>' in mark[1]
    assert "a woman and a child were killed" in mark[1]
    assert "Eastern Ghouta" in html and "violation" in html


def test_unknown_incident_is_a_404_page(desk: Desk):
    answer = desk.app().get("/incidents/999999")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "There is no incident 999999." in answer.text
    assert desk.app().get("/zones/atlantis").status_code == 404


def test_an_incident_page_is_kept_for_visitors_until_the_ledger_changes(desk: Desk):
    client = desk.app()
    path = f"/incidents/{desk.douma}"
    first = client.get(path)
    assert first.status_code == 200
    kept = desk.ledger.read_cache._entries.get(("incident page", path, ""))
    assert kept is not None and kept[1] == first.content  # (version, the page as sent)
    if desk.ledger.read_cache.local:  # SQLite: also by its address, before routing
        hit, (_maker, _headers, body) = desk.ledger.read_cache.peek(("address", path, b""))
        assert hit and body == first.content
    # Another app over the same ledger, with a tile server: a page of its own.
    tiles = "https://tile.example.org/{z}/{x}/{y}.png"
    mapped = desk.app(tile_url=tiles).get(path)
    assert mapped.status_code == 200 and tiles in mapped.text
    assert "tile.example.org" in mapped.headers["content-security-policy"]
    assert tiles not in client.get(path).text
    again = client.get(path)
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        assert again.headers[name] == first.headers[name], name
    # A logged-in user gets a page of their own, and never leaves it to visitors.
    viewer = desk.app()
    cookie_login(viewer, "vic")
    assert "vic (viewer)" in viewer.get(path).text
    assert "vic (viewer)" not in client.get(path).text
    analyst = desk.app()
    csrf = cookie_login(analyst, "ana")
    analyst.post(f"/api/incidents/{desk.douma}/corrections",
                 json={"fields": {"killed_low": 37, "killed_best": 37, "killed_high": 37},
                       "note": "hospital list"},
                 headers={"X-CSRF-Token": csrf}).raise_for_status()
    changed = client.get(path)
    assert changed.content != first.content and "hospital list" in changed.text
    # Only a found incident is kept: a missing one stays a 404 page.
    assert [client.get("/incidents/999999").status_code for _ in range(2)] == [404, 404]
    assert not any(key[0] == "incident page" and key[1] == "/incidents/999999"
                   for key in list(desk.ledger.read_cache._entries))


def test_review_controls_for_analysts_only(desk: Desk):
    anonymous = desk.app()
    assert 'id="review"' not in anonymous.get(f"/incidents/{desk.douma}").text

    viewer = desk.app()
    csrf = cookie_login(viewer, "vic")
    html = viewer.get(f"/incidents/{desk.douma}").text
    assert "vic (viewer)" in html and 'id="review"' not in html and "review.js" not in html
    refused = viewer.post(f"/api/incidents/{desk.douma}/confirm", json={},
                          headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"

    analyst = desk.app()
    csrf = cookie_login(analyst, "ana")
    html = analyst.get(f"/incidents/{desk.douma}").text
    assert 'id="review"' in html and 'id="confirm"' in html and "review.js" in html
    # The page carries the session's CSRF token for its script to send back.
    token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', html)
    assert token is not None and token[1] == csrf


def test_audit_page_needs_a_login_and_escapes_notes(desk: Desk):
    client = desk.app()
    answer = client.get("/audit", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=%2Faudit"

    csrf = cookie_login(client, "ana")
    done = client.post(f"/api/incidents/{desk.douma}/confirm",
                       json={"note": "<b>checked</b> twice"}, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200, done.text
    html = client.get("/audit").text
    assert f'data-incident="{desk.douma}" data-action="confirm"' in html
    assert "&lt;b&gt;checked&lt;/b&gt; twice" in html and "<b>checked" not in html
    assert "1 action" in client.get(f"/audit?incident={desk.douma}").text
    # The incident page shows the decision and offers the correction's revert.
    html = client.get(f"/incidents/{desk.douma}").text
    assert "confirmed" in html


def test_corrections_show_beside_the_machine_value(desk: Desk):
    client = desk.app()
    csrf = cookie_login(client, "ana")
    client.post(f"/api/incidents/{desk.douma}/corrections",
                json={"fields": {"killed_low": 3, "killed_best": 3, "killed_high": 3},
                      "note": "hospital list"},
                headers={"X-CSRF-Token": csrf}).raise_for_status()
    html = client.get(f"/incidents/{desk.douma}").text
    assert 'class="corrected"' in html and "hospital list" in html
    assert 'class="revert" data-field="killed_best"' in html


def test_private_mode_sends_visitors_to_log_in(desk: Desk):
    client = desk.app(public_read=False)
    answer = client.get("/incidents/1", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    assert client.get("/login").status_code == 200
    cookie_login(client, "vic")
    assert client.get("/", follow_redirects=False).status_code == 200


def test_login_page_only_sends_back_to_this_site(desk: Desk):
    client = desk.app()
    assert 'data-next="/incidents/1"' in client.get("/login?next=/incidents/1").text
    for target in ("//evil.example", "https://evil.example", "/\\evil.example",
                   "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)"):
        assert 'data-next="/"' in client.get("/login", params={"next": target}).text


def test_tile_url_reaches_the_map_only_when_set(desk: Desk):
    assert 'data-tile-url=""' in desk.app().get("/").text
    html = desk.app(tile_url="https://tiles.example.org/{z}/{x}/{y}.png").get("/").text
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html


def test_pages_stay_out_of_the_openapi_description(desk: Desk):
    paths = desk.app().get("/openapi.json").json()["paths"]
    pages = {"/", "/incidents/{incident_id}", "/audit", "/zones", "/zones/{zone_id}",
             "/agreements", "/login"}
    assert not pages & set(paths), sorted(paths)
    assert not any(path.startswith("/static") for path in paths)


# --- highlighting -------------------------------------------------------------------------


def test_pieces_cut_at_every_span_boundary():
    text = "Air strikes hit Douma. Two were killed."
    spans = [{"field": "event_type", "start": 0, "end": 22, "id": "e0"},
             {"field": "location", "start": 16, "end": 21, "id": "e1"},
             {"field": "killed", "start": 23, "end": 39, "id": "e2"},
             {"field": "wounded", "start": 30, "end": 999, "id": "e3"},  # past the end
             {"field": "date", "start": 5, "end": 5, "id": "e4"}]  # empty
    cut = pieces(text, spans)
    assert "".join(p.text for p in cut) == text
    assert [(p.text, p.fields) for p in cut] == [
        ("Air strikes hit ", ["event_type"]), ("Douma", ["event_type", "location"]),
        (".", ["event_type"]), (" ", []), ("Two wer", ["killed"]),
        ("e killed.", ["killed", "wounded"])]
    assert cut[1].labels == ["location"] and cut[1].anchor == "e1"
    assert cut[3].labels == [] and cut[3].anchor is None
    assert pieces("", spans) == []
    assert [p.text for p in pieces(DOUMA_TEXT, [])] == [DOUMA_TEXT]


# --- login rate limit ---------------------------------------------------------------------


def _try(client: TestClient, path: str, name: str, password: str) -> int:
    return client.post(path, json={"username": name, "password": password}).status_code


@pytest.mark.slow  # argon2 logins in a row
def test_login_rate_limit(desk: Desk):
    client = desk.app()
    for _ in range(10):
        assert _try(client, "/api/auth/login", "ana", "wrong") == 401
    answer = client.post("/api/auth/login", json={"username": "ana", "password": "wrong"})
    assert answer.status_code == 429
    error = answer.json()["error"]
    assert error["status"] == 429 and error["code"] == "too_many_requests"
    assert set(error) == {"status", "code", "message", "details"}
    assert 1 <= int(answer.headers["Retry-After"]) <= 300
    # Blocked even with the right password, on both ways of logging in; for this
    # username only.
    assert _try(client, "/api/auth/login", "ana", PASSWORDS["ana"]) == 429
    assert _try(client, "/api/auth/token", "ANA", PASSWORDS["ana"]) == 429
    assert _try(client, "/api/auth/token", "bea", PASSWORDS["bea"]) == 200
    # Each app has its own limiter: a new server starts afresh.
    assert _try(desk.app(), "/api/auth/login", "ana", PASSWORDS["ana"]) == 200


@pytest.mark.slow  # argon2 logins in a row
def test_a_successful_login_clears_the_failures(desk: Desk):
    client = desk.app()
    for _ in range(9):
        assert _try(client, "/api/auth/token", "ana", "wrong") == 401
    assert _try(client, "/api/auth/token", "ana", PASSWORDS["ana"]) == 200
    for _ in range(9):
        assert _try(client, "/api/auth/token", "ana", "wrong") == 401
    assert _try(client, "/api/auth/login", "ana", PASSWORDS["ana"]) == 200


def test_limiter_window_slides():
    now = [1000.0]
    limiter = LoginLimiter(max_failures=3, window=300, clock=lambda: now[0])
    key = ("ana", "127.0.0.1")
    for at in (1000.0, 1100.0, 1250.0):
        now[0] = at
        limiter.check(key)
        limiter.failed(key)
    with pytest.raises(TooManyAttempts) as refused:
        limiter.check(key)
    assert refused.value.retry_after == 50  # until the failure at 1000 is 300 s old
    limiter.check(("bea", "127.0.0.1"))  # another username is not held back
    now[0] = 1300.5  # the first failure has aged out: one more try
    limiter.check(key)
    limiter.failed(key)
    with pytest.raises(TooManyAttempts):
        limiter.check(key)


def test_pages_send_a_content_security_policy(desk: Desk):
    policy = desk.app().get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "img-src 'self' data:;" in policy
    assert "frame-ancestors 'none'" in policy
    tiled = desk.app(tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png").get("/")
    assert "img-src 'self' data: https://*.tiles.example.org;" in (
        tiled.headers["Content-Security-Policy"])


def test_a_zone_page_offers_its_briefing(desk: Desk):
    page = desk.app().get("/zones/eastern-ghouta")
    assert 'action="/api/briefings/briefing.pdf"' in page.text
    assert 'name="zone" value="eastern-ghouta"' in page.text
