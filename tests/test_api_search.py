"""Full-text search through GET /api/incidents?q=: any script, any case, accents ignored,
a dataset's notes and ids, rows stored after the index caught up, and rows changed or
deleted since (store/search.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import Desk
from trucewatch.model import Casualties, Claim, EventType, Place, Report
from trucewatch.service import ingesting
from trucewatch.store import search
from trucewatch.store.selection import IncidentFilter, matching
from trucewatch.store.tables import ClaimRow

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
# Written for these tests: a short Arabic wire item and an English one spelling the place
# with its circumflex.
ARABIC = ("دمشق - قصفت طائرات حربية مدينة دوما في الغوطة الشرقية يوم الثلاثاء، "
          "ما أدى إلى مقتل شخصين.")
DARAYA = "Shells fell on Darâya, south-west of Damascus, on 6 July 2017; no one was hurt."


def _store(desk: Desk, text: str, place: Place, title: str | None = None) -> int:
    scenario = desk.ledger.scenario()
    result = ingesting.ingest_report(
        desk.ledger.db, Report(text=text, title=title, outlet="Wire", published=date(2017, 7, 6)),
        [Claim(event_type=EventType.SHELLING, event_date=date(2017, 7, 6), location=place,
               killed=Casualties())], scenario)
    return result.incidents[0][0].id or 0


@pytest.fixture
def found(desk: Desk) -> dict[str, int]:
    ids = {"douma": desk.douma, "daraa": desk.daraa, "raqqa": desk.raqqa}
    ids["arabic"] = _store(desk, ARABIC, Place("دوما", lat=33.57, lon=36.40, country="Syria"))
    ids["daraya"] = _store(desk, DARAYA, Place("Darâya", lat=33.46, lon=36.24, country="Syria"))
    return ids


def _names(client: TestClient, found: dict[str, int], q: str) -> list[str]:
    answer = client.get("/api/incidents", params={"q": q, "sort": "id"})
    assert answer.status_code == 200, answer.text
    names = {v: k for k, v in found.items()}
    body: dict[str, Any] = answer.json()
    assert body["count"] == len(body["data"])
    return sorted(names.get(item["id"], str(item["id"])) for item in body["data"])


@pytest.mark.parametrize(("q", "expected"), [
    ("دوما", ["arabic"]),  # Arabic script, in the place and the text
    ("الغوطة", ["arabic"]),
    ("Daraya", ["daraya"]),  # accents ignored, both ways
    ("DARÂYA", ["daraya"]),
    ("darâ", ["daraa", "daraya"]),  # the start of a word
    ("medical source", ["douma"]),  # both words, in the cited sources
    ("activists said", ["raqqa"]),  # in the article's text
    ("Rif Dimashq", ["douma"]),  # an admin area
    ("100%", []),
    ("!!!", []),  # no word at all
])
def test_search_in_any_script_without_accents(desk: Desk, found: dict[str, int], q: str,
                                              expected: list[str]):
    assert _names(desk.app(), found, q) == expected


def test_rows_stored_after_the_index_caught_up_are_found_before_it_does(
        desk: Desk, found: dict[str, int]):
    client = desk.app()
    assert _names(client, found, "Daraya") == ["daraya"]  # the index caught up
    late = _store(desk, "Artillery hit Darayya's western farms on 6 July 2017.",
                  Place("Darayya", lat=33.45, lon=36.23, country="Syria"))
    found["late"] = late
    # Read without catching up: the rows past the mark are read the slow way.
    with desk.ledger.db.reading() as session:
        assert list(session.scalars(matching(IncidentFilter(q="darayya")))) == [late]
    assert search.catch_up(desk.ledger.db) >= 2  # the claim and its report
    assert search.catch_up(desk.ledger.db) == 0
    assert _names(client, found, "darayya") == ["late"]


def test_a_changed_or_deleted_claim_is_indexed_again(desk: Desk, found: dict[str, int]):
    client = desk.app()
    assert _names(client, found, "Darâya") == ["daraya"]
    with desk.ledger.db.transaction() as session:
        claim = session.query(ClaimRow).filter(ClaimRow.incident_id == found["daraya"]).one()
        claim.location_name = "Muadamiyat al-Sham"
        claim.location_text = "Muadamiyat"
    # The report's text still names Darâya; the claim's place does not any more.
    assert _names(client, found, "Muadamiyat") == ["daraya"]
    with desk.ledger.db.transaction() as session:
        session.query(ClaimRow).filter(ClaimRow.incident_id == found["arabic"]).delete()
    assert _names(client, found, "دوما") == []


def test_an_acled_rows_notes_and_id_are_searchable(desk: Desk):
    desk.ledger.import_file("acled", FIXTURES / "acled.csv")
    desk.ledger.merge_pending()
    client = desk.app()
    by_id = client.get("/api/incidents", params={"q": "SYR20002"}).json()
    assert by_id["count"] == 1
    assert by_id["data"][0]["location"]["name"] == "Daraa"
    by_notes = client.get("/api/incidents", params={"q": "rebel-held areas", "dataset": "acled"})
    assert [i["location"]["name"] for i in by_notes.json()["data"]] == ["Daraa"]


def test_words_fold_case_and_marks():
    assert search.words("Darâya, DOUMA!") == ["daraya", "douma"]
    assert search.words("دُوما") == ["دوما"]  # Arabic vowel marks dropped
    assert search.words("%_'") == []
