"""GET /api/incidents/{id} says where each claim came from (a dataset's row and its id,
or an article), its actors and notes, how merging combined the claims, and which claim
set a toll or the grade, and why (service/provenance.py's account)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api_support import Desk

FIXTURES = Path(__file__).parent / "fixtures" / "importers"


def _detail(desk: Desk, incident_id: int) -> dict[str, Any]:
    answer = desk.app().get(f"/api/incidents/{incident_id}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_an_acled_row_merged_into_an_article_incident_is_traced(desk: Desk):
    desk.ledger.import_file("acled", FIXTURES / "acled.csv")
    desk.ledger.merge_pending()
    douma = _detail(desk, desk.douma)
    claims = {c["id"]: c for c in douma["claims"]}
    acled = next(c for c in claims.values() if c["dataset"] == "acled")
    assert acled["external_id"] == "SYR20001" and "warplanes struck Douma" in acled["notes"]
    origins = {o["claim_id"]: o for o in douma["provenance"]["origins"]}
    row = origins[acled["id"]]
    assert (row["source"], row["dataset"], row["id_name"], row["external_id"]) == (
        "ACLED", "acled", "event_id_cnty", "SYR20001")
    assert (row["actor1"], row["actor2"]) == ("Government forces", "Civilians (Syria)")
    assert row["codes"]["interaction"] == "17"
    article = next(o for o in origins.values() if o["source"] == "article")
    assert article["url"] == "https://example.org/a" and article["external_id"] is None
    provenance = douma["provenance"]
    assert provenance["weighed"] == 2
    assert any(line.startswith("Killed: 2") for line in provenance["merging"])
    effects = {e["claim_id"]: e for e in provenance["effects"]}
    # The ACLED row's sources lift the grade; the article alone gives the wounded.
    assert "the confidence would be weak, not fair" in effects[acled["id"]]["changes"]
    assert any("Syrian Observatory" in why for why in effects[acled["id"]]["because"])
    assert effects[article["claim_id"]]["changes"] == ["wounded would be unknown, not 10"]
    assert provenance["sides"] == []


def test_a_gdelt_row_gives_its_global_event_id_and_source_url(desk: Desk):
    desk.ledger.import_file("gdelt", FIXTURES / "20170704.export.CSV")
    desk.ledger.merge_pending()
    client = desk.app()
    listed = client.get("/api/incidents", params={"dataset": "gdelt", "limit": 5}).json()
    assert listed["count"] > 0
    detail = _detail(desk, listed["data"][0]["id"])
    gdelt = [o for o in detail["provenance"]["origins"] if o["dataset"] == "gdelt"]
    assert gdelt and gdelt[0]["id_name"] == "GlobalEventID"
    assert gdelt[0]["external_id"] and gdelt[0]["external_id"].isdigit()
    assert gdelt[0]["url"] and gdelt[0]["url"].startswith("http")


def test_one_article_claim_is_the_incident(desk: Desk):
    provenance = _detail(desk, desk.daraa)["provenance"]
    assert provenance["merging"] == ["One claim: the incident is what it says."]
    assert (provenance["effects"], provenance["weighed"]) == ([], 0)
