"""A small ledger for the API and review tests: the Astana scenario, three incidents
made from hand-written claims (no extractor), and one account per role."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from postgres_server import PostgresServer
from trucewatch import accounts
from trucewatch.accounts import Role
from trucewatch.ledger import Ledger
from trucewatch.model import Casualties, Claim, EventType, Evidence, Place, Report, Span
from trucewatch.server import create_app
from trucewatch.settings import Settings, load_settings
from trucewatch.store import repository

DOUMA_TEXT = (
    "DAMASCUS, July 4 (Reuters) - Air strikes hit Douma in Eastern Ghouta on Tuesday. "
    "A medical source said a woman and a child were killed. <script>alert('x')</script>"
)
DARAA_TEXT = "A government strike hit a rebel-held area of Daraa late on Monday, 3 July."
RAQQA_TEXT = "Coalition jets struck Raqqa on 5 July 2017, killing 7, activists said."
PASSWORDS = {name: f"password-{name}" for name in ("admin", "ana", "bea", "vic")}


def span(text: str, fragment: str) -> Span:
    start = text.index(fragment)
    return Span(start, start + len(fragment), fragment)


def douma_claim() -> Claim:
    return Claim(
        event_type=EventType.AIR_STRIKE, event_date=date(2017, 7, 4),
        location=Place("Douma", lat=33.5711, lon=36.4017, admin1="Rif Dimashq",
                       country="Syria"),
        location_text="Douma", perpetrator="Syrian warplanes",
        perpetrator_actor="syrian-government", killed=Casualties.exact(2),
        wounded=Casualties.exact(10), sources=["a medical source"],
        evidence=[Evidence("event_type", span(DOUMA_TEXT, "Air strikes hit Douma")),
                  Evidence("killed", span(DOUMA_TEXT, "a woman and a child were killed"))],
    )


def daraa_claim() -> Claim:
    return Claim(
        event_type=EventType.AIR_STRIKE, event_date=date(2017, 7, 3),
        location=Place("Daraa", lat=32.6189, lon=36.1021, admin1="Daraa", country="Syria"),
        perpetrator="government", perpetrator_actor="syrian-government",
        evidence=[Evidence("location", span(DARAA_TEXT, "Daraa"))],
    )


def raqqa_claim() -> Claim:
    return Claim(
        event_type=EventType.AIR_STRIKE, event_date=date(2017, 7, 5),
        location=Place("Raqqa", lat=35.9528, lon=39.0089, admin1="Raqqa", country="Syria"),
        perpetrator="Coalition jets", perpetrator_actor="us-led-coalition",
        killed=Casualties.exact(7), sources=["activists"],
        evidence=[Evidence("killed", span(RAQQA_TEXT, "killing 7"))],
    )


@dataclass
class Desk:
    """A ledger with its app settings and the ids of its incidents."""

    ledger: Ledger
    settings: Settings
    douma: int
    daraa: int
    raqqa: int

    def app(self, **changes: object) -> TestClient:
        settings = self.settings.model_copy(update=changes)
        return TestClient(create_app(settings, ledger=self.ledger))


_TEMPLATE: dict[str, tuple[str, tuple[int, int, int]]] = {}


def _fill(ledger: Ledger) -> tuple[int, int, int]:
    """The scenario, three incidents and four accounts."""
    ledger.init()
    scenario = ledger.load_scenario("astana-2017")
    ids = []
    for text, claim, title in ((DOUMA_TEXT, douma_claim(), "Air strikes hit Douma"),
                               (DARAA_TEXT, daraa_claim(), None),
                               (RAQQA_TEXT, raqqa_claim(), "Raqqa")):
        result = repository.ingest_report(
            ledger.db, Report(text=text, title=title, url="https://example.org/a",
                              outlet="Reuters", published=date(2017, 7, 5)),
            [claim], scenario)
        ids.append(result.incidents[0][0].id or 0)
    for name, role in (("admin", Role.ADMIN), ("ana", Role.ANALYST),
                       ("bea", Role.ANALYST), ("vic", Role.VIEWER)):
        # The low hashing cost: every login of every test verifies one of these.
        accounts.add_user(ledger.db, name, PASSWORDS[name], role, cost="low")
    douma, daraa, raqqa = ids
    return douma, daraa, raqqa


def _template(postgres: PostgresServer | None) -> tuple[str, tuple[int, int, int]]:
    """Build the ledger once per test run and backend; each test gets a copy (of the file;
    of the database, on PostgreSQL), so hashing four passwords and loading the scenario are
    not paid again and again."""
    backend = "postgresql" if postgres else "sqlite"
    if backend not in _TEMPLATE:
        if postgres:
            url = postgres.new_database()
        else:
            folder = Path(tempfile.mkdtemp(prefix="trucewatch-api-template-"))
            url = f"sqlite:///{folder / 'ledger.db'}"
        ledger = Ledger(url)
        ids = _fill(ledger)
        if not postgres:
            with ledger.db.engine.connect() as connection:  # fold the WAL into the file
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        ledger.db.engine.dispose()  # a template database must have no connections
        _TEMPLATE[backend] = (url, ids)
    return _TEMPLATE[backend]


def make_desk(tmp_path: Path, ledger_class: type[Ledger] = Ledger,
              postgres: PostgresServer | None = None) -> Desk:
    """A fresh store holding the scenario, three incidents and four accounts (admin;
    analysts ana and bea; viewer vic): a SQLite file in tmp_path, or with ``postgres`` a
    PostgreSQL database copied from a template."""
    template, (douma, daraa, raqqa) = _template(postgres)
    if postgres:
        url = postgres.new_database(template=template.rsplit("/", 1)[1])
    else:
        shutil.copyfile(template.removeprefix("sqlite:///"), tmp_path / "ledger.db")
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    settings = load_settings(database_url=url, secret_key="test-secret", public_read=True,
                             password_hash_cost="low")
    return Desk(ledger_class(url), settings, douma, daraa, raqqa)


def bearer(client: TestClient, name: str) -> dict[str, str]:
    """Headers that authenticate as ``name`` with a fresh API token."""
    answer = client.post("/api/auth/token",
                         json={"username": name, "password": PASSWORDS[name]})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def cookie_login(client: TestClient, name: str) -> str:
    """Log the client in with a session cookie; the CSRF token to send back."""
    answer = client.post("/api/auth/login",
                         json={"username": name, "password": PASSWORDS[name]})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["csrf_token"]
    return token
