"""An incident's provenance (service/provenance.py): each claim's dataset and id, how the
merge combined the claims, which claim changed the verdict or a toll and why, and both
sides of a contested attribution; and the incident page that shows it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trucewatch.ledger import Ledger
from trucewatch.model import Casualties, Claim, EventType, Place, Report
from trucewatch.server import create_app
from trucewatch.service import ingesting
from trucewatch.settings import load_settings

DOUMA = Place("Douma", lat=33.5722, lon=36.4036, admin1="Rif Dimashq", country="Syria",
              geo_precision=1)


def _strike(**changes: object) -> Claim:
    fields: dict[str, object] = dict(
        event_type=EventType.AIR_STRIKE, event_date=date(2017, 7, 4), location=DOUMA,
        perpetrator="Military Forces of Syria (2000-)", perpetrator_actor="syrian-government",
        killed=Casualties(low=4, best=4), sources=["Syrian Observatory for Human Rights"],
        dataset="acled", external_id="SYR77001",
        notes="On 4 July 2017, regime warplanes struck a market in Douma; 4 killed.")
    fields.update(changes)
    return Claim(**fields)  # type: ignore[arg-type]


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    ledger.init()
    ledger.load_scenario("astana-2017")
    return ledger


def _store(ledger: Ledger, claims: list[Claim], title: str) -> int:
    result = ingesting.ingest_report(
        ledger.db, Report(text=title, title=title, outlet="ACLED", published=date(2017, 7, 5)),
        claims, ledger.scenario())
    incident_id = result.incidents[0][0].id
    assert incident_id is not None
    return incident_id


def test_the_claim_that_flips_the_verdict_and_cuts_the_toll_is_named(ledger: Ledger):
    first = _store(ledger, [_strike()], "ACLED row SYR77001")
    assert ledger.incident_detail(first).view.verdict.kind.value == "violation"  # type: ignore[union-attr]
    # An article on the same strike says it hit HTS fighters and killed nobody: merged,
    # it makes the incident not a violation and its best toll 0.
    second = _store(ledger, [_strike(
        dataset=None, external_id=None, target="Hayat Tahrir al-Sham", target_actor="hts",
        killed=Casualties(low=0, best=0), sources=["SANA"],
        notes="Strikes hit HTS positions in Douma; no casualties reported.")],
        "State media: strikes on HTS in Douma")
    assert second == first
    detail = ledger.incident_detail(first)
    assert detail.view.verdict.kind.value == "not a violation"  # type: ignore[union-attr]
    found = ledger.provenance(first)
    assert [(o.source, o.id_name, o.external_id) for o in found.origins] == [
        ("ACLED", "event_id_cnty", "SYR77001"), ("article", None, None)]
    assert found.origins[1].actor2 == "Hayat Tahrir al-Sham"
    assert found.origins[0].notes.startswith("On 4 July 2017, regime warplanes")  # type: ignore[union-attr]
    flipping = {effect.claim_id: effect for effect in found.effects}
    late = detail.claims[1].id
    assert late in flipping
    changes = " ".join(flipping[late].changes)
    assert "the verdict would be violation, not not a violation" in changes
    assert "killed would be 4, not 0 (0-4)" in changes
    assert any("killed 0" in reason for reason in flipping[late].because)
    merging = " ".join(found.merging)
    assert "Killed: 0 (0-4): best the middle of 0, 4" in merging
    assert found.sides == []  # both blame the government: nothing contested


def test_claims_blaming_different_actors_show_both_sides(ledger: Ledger):
    incident = _store(ledger, [_strike()], "government")
    _store(ledger, [_strike(dataset=None, external_id=None, perpetrator="Russian warplanes",
                            perpetrator_actor="russia", sources=["Step News Agency"])], "russia")
    found = ledger.provenance(incident)
    sides = {side.actor: side for side in found.sides}
    assert len(sides) == 2
    assert any("Syria" in name or "government" in name.lower() for name in sides)
    assert "Step News Agency" in sides[next(n for n in sides if "Russia" in n)].said_by
    assert any("contested" in line for line in found.merging)


def test_one_article_claim_is_what_it_says(ledger: Ledger):
    incident = _store(ledger, [_strike(dataset=None, external_id=None, notes=None)], "an article")
    found = ledger.provenance(incident)
    assert found.origins[0].source == "article" and found.origins[0].id_name is None
    assert found.merging == ["One claim: the incident is what it says."]
    assert found.effects == [] and found.weighed == 0


def test_the_incident_page_shows_the_claims_and_what_they_decide(ledger: Ledger, tmp_path: Path):
    incident = _store(ledger, [_strike(date_precision=None)], "first")
    _store(ledger, [_strike(dataset=None, external_id=None, target="Hayat Tahrir al-Sham",
                            target_actor="hts", killed=Casualties(low=0, best=0))], "second")
    settings = load_settings(database_url=ledger.db.url, secret_key="x", public_read=True)
    client = TestClient(create_app(settings, ledger=ledger))
    page = client.get(f"/incidents/{incident}")
    assert page.status_code == 200, page.text
    html = page.text
    assert "event_id_cnty <code>SYR77001</code>" in html and 'data-source="article"' in html
    assert "the verdict would be violation, not not a violation" in html
    assert 'class="effect"' in html and "How merging combined them" in html
    assert "regime warplanes struck a market in Douma" in html  # the row's notes
