"""The same decisions give the same ledger on every edge: an analyst rejects one incident
and corrects another's toll through the API, and the API's list, the command line's
`incidents` and `violations`, the export and the Atom feed all show the decision."""

from __future__ import annotations

import json

import feedparser
import pytest

from api_support import Desk, bearer
from trucewatch import accounts
from trucewatch.cli import main


def _cli(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> str:
    with pytest.raises(SystemExit) as done:
        main(["--db", url, *args])
    captured = capsys.readouterr()
    assert int(done.value.code or 0) == 0, captured.err
    return captured.out


def _tolls(records: list[dict[str, object]]) -> dict[int, object]:
    return {int(r["id"]): r["killed"]["best"] for r in records}  # type: ignore[index, call-overload]


def test_a_decision_made_through_the_api_is_the_ledger_everywhere(
        desk: Desk, capsys: pytest.CaptureFixture[str]):
    client = desk.app()
    headers = bearer(client, "ana")
    rejected = client.post(f"/api/incidents/{desk.douma}/reject", headers=headers,
                           json={"note": "a misreading"})
    assert rejected.status_code == 200, rejected.text
    corrected = client.post(f"/api/incidents/{desk.raqqa}/corrections", headers=headers, json={
        "fields": {"killed_low": 99, "killed_best": 99, "killed_high": 99},
        "note": "the hospital's list"})
    assert corrected.status_code == 200, corrected.text

    api = client.get("/api/incidents", headers=headers).json()["data"]
    assert _tolls(api) == {desk.daraa: None, desk.raqqa: 99}

    url = desk.ledger.db.url
    listed = json.loads(_cli(capsys, url, "incidents", "--format", "json"))
    assert _tolls(listed) == _tolls(api)
    every = json.loads(_cli(capsys, url, "violations", "--all", "--format", "json"))
    assert _tolls(every) == _tolls(api)
    violations = json.loads(_cli(capsys, url, "violations", "--format", "json"))
    assert desk.douma not in [r["id"] for r in violations]  # it was the one violation listed

    exported = [json.loads(line) for line in
                _cli(capsys, url, "export", "--format", "jsonl").splitlines() if line]
    assert {r["id"]: r["killed"]["best"] for r in exported} == _tolls(api)

    feed = feedparser.parse(client.get("/feeds/violations.atom").content)
    linked = {entry.link.rsplit("/", 1)[1] for entry in feed.entries}
    assert str(desk.douma) not in linked
    assert linked == {str(r["id"]) for r in violations}


def test_an_older_ledger_gets_its_corrections_written_in_on_upgrade(desk: Desk):
    """Migration 0009: a ledger whose rows still hold the machine's reading beside the
    overrides (as every ledger did before) reads as the analysts corrected it after
    'trucewatch init'; downgrading puts the machine's values back."""
    from alembic import command
    from sqlalchemy import update

    from trucewatch.store.database import alembic_config
    from trucewatch.store.tables import IncidentRow

    ledger = desk.ledger
    ana = accounts.get_user(ledger.db, "ana").id
    ledger.correct(desk.raqqa, ana, {"killed_low": 99, "killed_best": 99, "killed_high": 99,
                                     "verdict": "not a violation"}, "the hospital's list")
    with ledger.db.transaction() as session:  # the rows as an older version left them
        session.execute(update(IncidentRow).where(IncidentRow.id == desk.raqqa).values(
            killed_low=7, killed_best=7, killed_high=7, verdict="outside every zone"))
    config = alembic_config(ledger.db.engine)
    command.stamp(config, "0008_report_copies")
    command.upgrade(config, "head")
    view = ledger.incident_detail(desk.raqqa).view
    assert view.incident.killed.best == 99 and view.verdict is not None
    assert view.verdict.kind.value == "not a violation"
    assert view.review.overrides["killed_best"].machine_value == 7
    command.downgrade(config, "0008_report_copies")
    with ledger.db.reading() as session:
        assert session.get(IncidentRow, desk.raqqa).killed_best == 7  # type: ignore[union-attr]
    command.upgrade(config, "head")
