"""The incident list's answer made from columns (service/reading.py's listed_record, the
route's encoder) is the answer made the old way, from incidents and verdicts checked
against CursorPage[IncidentPublic]: byte for byte, over incidents with and without a
place, a day, a verdict, a review state and an analyst's correction."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import TypeAdapter
from pydantic_core import to_json

from api_support import Desk, bearer
from trucewatch import accounts
from trucewatch.api.schemas import CursorPage, IncidentPublic
from trucewatch.edge.present import incident_public, listed_public
from trucewatch.model import Casualties, Claim, DatePrecision, EventType, Place, Report
from trucewatch.service import Decision, IncidentFilter, TriageStatus, ingesting

_PAGE: TypeAdapter[Any] = TypeAdapter(CursorPage[IncidentPublic])
SORTS = ("event_date", "-event_date", "killed", "-killed", "id", "-id")


def _more(desk: Desk) -> None:
    """Incidents the desk lacks: a week's date, no day at all, no place, a whole-degree
    place, no toll; then a triage, votes, a rejection and a correction."""
    ledger = desk.ledger
    scenario = ledger.scenario()
    claims = [
        Claim(event_type=EventType.SHELLING, event_date=date(2017, 7, 10),
              date_precision=DatePrecision.WEEK,
              location=Place("Harasta", lat=33.56, lon=36.37, admin1="Rif Dimashq",
                             country="Syria"), sources=["SOHR", "SNHR"]),
        Claim(event_type=EventType.ARMED_CLASH, event_date=None, location=None,
              perpetrator="gunmen", killed=Casualties(low=1, best=3, high=None)),
        Claim(event_type=EventType.AIR_STRIKE, event_date=date(2017, 8, 1),
              location=Place("Somewhere", lat=35, lon=38, country="Syria", geo_precision=3,
                             geonames_id=170000)),
    ]
    for n, claim in enumerate(claims):
        ingesting.ingest_report(ledger.db, Report(text=f"A report, number {n}.",
                                                  published=date(2017, 7, 20)),
                                [claim], scenario)
    ana = accounts.get_user(ledger.db, "ana").id
    bea = accounts.get_user(ledger.db, "bea").id
    ledger.set_triage(desk.daraa, ana, TriageStatus.IN_PROGRESS, assigned_to=bea)
    ledger.vote(desk.daraa, ana, 1)
    ledger.vote(desk.daraa, bea, -1)
    ledger.decide(desk.raqqa, ana, Decision.REJECTED, "not in the zone")
    ledger.correct(desk.douma, ana, {"killed_best": 3, "killed_high": 3})


def _old(desk: Desk, where: IncidentFilter, sort: str, limit: int, offset: int) -> bytes:
    page = desk.ledger.search_page(where, sort=sort, limit=limit, offset=offset)
    return _PAGE.dump_json(_PAGE.validate_python({
        "data": [incident_public(view) for view in page.views], "count": page.count,
        "next_cursor": page.next_cursor}))


def _new(desk: Desk, where: IncidentFilter, sort: str, limit: int, offset: int) -> bytes:
    page = desk.ledger.search_records(where, sort=sort, limit=limit, offset=offset)
    return to_json({"data": [listed_public(r, s) for r, s in zip(page.records, page.states,
                                                                 strict=True)],
                    "count": page.count, "next_cursor": page.next_cursor})


@pytest.mark.parametrize("sort", SORTS)
def test_the_list_from_columns_is_the_list_from_incidents(desk: Desk, sort: str):
    _more(desk)
    everything = IncidentFilter(include_rejected=True)
    whole = _new(desk, everything, sort, 50, 0)
    assert len(_PAGE.validate_json(whole).data) == 6
    for where in (everything, IncidentFilter()):
        for limit, offset in ((50, 0), (2, 0), (2, 2), (2, 4), (3, 5)):
            assert _new(desk, where, sort, limit, offset) == \
                _old(desk, where, sort, limit, offset), (where, limit, offset)


def test_the_routes_answer_is_the_schemas(desk: Desk):
    _more(desk)
    client = desk.app()
    answer = client.get("/api/incidents", params={"include_rejected": "true", "limit": 2})
    assert answer.status_code == 200, answer.text
    assert answer.content == _old(desk, IncidentFilter(include_rejected=True), "event_date",
                                  2, 0)
    record = next(item for item in _PAGE.validate_json(
        client.get("/api/incidents", params={"limit": 50}).content).data
        if item.id == desk.daraa)
    assert (record.review.status.value, record.review.agree, record.review.disagree) == (
        "in_progress", 1, 1)


# --- kept answers by their address (edge/kept.py) -----------------------------------------


def test_a_kept_answer_is_served_by_its_address_until_the_ledger_changes(desk: Desk):
    client = desk.app()
    ana = bearer(client, "ana")
    addresses = [("/api/incidents", b"sort=-killed&limit=2"),
                 (f"/api/incidents/{desk.douma}", b"")]
    first = [client.get(path + "?" + query.decode()) for path, query in addresses]
    assert [a.status_code for a in first] == [200, 200]
    if desk.ledger.read_cache.local:  # SQLite: kept by address; PostgreSQL: by the route
        for path, query in addresses:
            hit, (_maker, _headers, body) = desk.ledger.read_cache.peek(
                ("address", path, query))
            assert hit and body == next(a.content for a in first
                                        if a.request.url.path == path)
    again = [client.get(path + "?" + query.decode()) for path, query in addresses]
    assert [a.content for a in again] == [a.content for a in first]
    assert all(a.headers["x-content-type-options"] == "nosniff"
               and a.headers["content-type"] == "application/json" for a in again)
    corrected = client.post(f"/api/incidents/{desk.douma}/corrections", headers=ana,
                            json={"fields": {"killed_best": 40, "killed_high": 40}})
    assert corrected.status_code == 200, corrected.text
    listed, detail = (client.get(path + "?" + query.decode()) for path, query in addresses)
    assert listed.json()["data"][0]["id"] == desk.douma  # the most killed now
    assert detail.json()["killed"]["best"] == 40


def test_a_kept_answer_asks_for_a_login_where_the_route_would(desk: Desk):
    client = desk.app()
    assert client.get("/api/incidents").status_code == 200
    assert client.get("/api/incidents",
                      headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    client.cookies.set("trucewatch_session", "forged")
    assert client.get("/api/incidents").status_code == 401
    private = desk.app(public_read=False)
    assert private.get("/api/incidents").status_code == 401
    assert private.get(f"/api/incidents/{desk.douma}").status_code == 401
