"""The digest, sent to a local SMTP server (aiosmtpd): both parts, nobody mailed twice, a
refused connection or login keeps it queued; subscriptions; the Atom feed."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from pydantic import SecretStr

from api_support import Desk
from trucewatch.cli import main
from trucewatch.errors import NotFoundError
from trucewatch.model import Confidence
from trucewatch.publish.digest import DeliveryError, parse_since, send_digests
from trucewatch.settings import Settings
from trucewatch.store import subscriptions
from trucewatch.store.subscriptions import Subscription

aiosmtpd = pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult  # noqa: E402

LONG_AGO = datetime(2000, 1, 1)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def inbox(port: int) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


def _settings(desk: Desk, port: int, **changes: Any) -> Settings:
    return desk.settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none",
        "mail_from": "ledger@example.org", "dashboard_url": "https://dash.example/", **changes})


def test_digest_has_a_text_and_an_html_part(desk: Desk, port: int, inbox: Inbox):
    settings = _settings(desk, port)
    [outcome] = send_digests(desk.ledger.db, settings, desk.ledger.scenario(),
                             [Subscription("ana@example.org")], LONG_AGO)
    assert outcome.sent and outcome.incidents == 2  # Douma and Daraa; Raqqa is outside
    [(recipients, message)] = inbox.messages
    assert recipients == ["ana@example.org"]
    assert message["Subject"].startswith("trucewatch: 2 new violation(s) since 2000-01-01")
    assert message["From"] == "ledger@example.org"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Eastern Ghouta de-escalation area" in part
        assert "Douma" in part and "Daraa" in part and "Raqqa" not in part
        assert f"https://dash.example/incidents/{desk.douma}" in part
        assert "a woman and a child were killed" in part  # the top evidence sentence
    assert "killed: 2; wounded: 10; confidence: weak" in text
    assert "killed: not stated" in text  # Daraa: no toll stated
    assert f'<a href="https://dash.example/incidents/{desk.douma}">' in html
    assert "<script>" not in html

    # the next digest has nothing new: nobody gets the same incident twice
    [again] = send_digests(desk.ledger.db, settings, desk.ledger.scenario(),
                           [Subscription("ana@example.org")], LONG_AGO)
    assert again.sent and again.incidents == 0
    subject = inbox.messages[-1][1]["Subject"]
    assert subject.startswith("trucewatch: nothing new since")
    assert "Nothing new since" in inbox.messages[-1][1].get_body(("plain",)).get_content()


def test_a_refused_connection_keeps_the_digest_queued(desk: Desk):
    port = free_port()  # nothing listens there
    settings = _settings(desk, port)
    with pytest.raises(DeliveryError, match=f"127.0.0.1:{port}") as failure:
        send_digests(desk.ledger.db, settings, desk.ledger.scenario(),
                     [Subscription("ana@example.org")], LONG_AGO)
    assert "kept queued" in str(failure.value)
    queued, sent = subscriptions.delivered(desk.ledger.db, "ana@example.org")
    assert queued == {desk.douma, desk.daraa} and not sent

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:  # later: the queued incidents go, though the window no longer covers them
        [outcome] = send_digests(desk.ledger.db, settings, desk.ledger.scenario(),
                                 [Subscription("ana@example.org")],
                                 datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1))
    finally:
        controller.stop()
    assert outcome.sent and outcome.incidents == 2
    assert "Douma" in inbox.messages[0][1].get_body(("plain",)).get_content()
    queued, sent = subscriptions.delivered(desk.ledger.db, "ana@example.org")
    assert sent == {desk.douma, desk.daraa} and not queued


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_login_is_named_and_keeps_the_digest_queued(desk: Desk, port: int):
    def refuse(*_args: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    controller = Controller(Inbox(), hostname="127.0.0.1", port=port, authenticator=refuse,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    try:
        settings = _settings(desk, port, smtp_user="ledger", smtp_password=SecretStr("wrong"))
        with pytest.raises(DeliveryError, match=f"127.0.0.1:{port} refused the login of ledger"):
            send_digests(desk.ledger.db, settings, desk.ledger.scenario(),
                         [Subscription("ana@example.org")], LONG_AGO)
    finally:
        controller.stop()
    queued, _ = subscriptions.delivered(desk.ledger.db, "ana@example.org")
    assert queued == {desk.douma, desk.daraa}


def test_subscriptions_choose_what_each_address_gets(desk: Desk, port: int, inbox: Inbox):
    db = desk.ledger.db
    assert subscriptions.save_subscription(db, Subscription("gh@example.org",
                                                            zones=("eastern-ghouta",)))
    assert subscriptions.save_subscription(db, Subscription(
        "fair@example.org", min_confidence=Confidence.FAIR))  # every incident here is weak
    assert subscriptions.save_subscription(db, Subscription(
        "all@example.org", verdicts=("outside every zone",)))
    assert not subscriptions.save_subscription(db, Subscription("gh@example.org",
                                                                zones=("eastern-ghouta",)))
    outcomes = send_digests(db, _settings(desk, port), desk.ledger.scenario(),
                            subscriptions.list_subscriptions(db), LONG_AGO)
    assert {o.address: o.incidents for o in outcomes} == {
        "all@example.org": 1, "fair@example.org": 0, "gh@example.org": 1}
    by_address = {rcpt[0]: message for rcpt, message in inbox.messages}
    ghouta = by_address["gh@example.org"].get_body(("plain",)).get_content()
    assert "Douma" in ghouta and "Daraa" not in ghouta
    assert "Raqqa" in by_address["all@example.org"].get_body(("plain",)).get_content()
    subscriptions.remove_subscription(db, "gh@example.org")
    assert [s.address for s in subscriptions.list_subscriptions(db)] == \
        ["all@example.org", "fair@example.org"]
    with pytest.raises(NotFoundError, match=r"no subscription for gh@example\.org"):
        subscriptions.remove_subscription(db, "gh@example.org")


def test_parse_since():
    now = datetime(2017, 7, 5, 12, 0)
    assert parse_since("24h", now) == datetime(2017, 7, 4, 12, 0)
    assert parse_since("2w", now) == datetime(2017, 6, 21, 12, 0)
    assert parse_since("2017-07-01", now) == datetime(2017, 7, 1)
    with pytest.raises(Exception, match="neither a duration"):
        parse_since("yesterday", now)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out, captured.err


def test_digest_and_subscribe_commands(desk: Desk, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch):
    url = desk.settings.database_url
    assert _run(capsys, "--db", url, "digest")[0] == 2  # nobody to mail
    code, _, err = _run(capsys, "--db", url, "subscribe", "add", "ana@example.org",
                        "--zone", "eastern-ghouta", "--min-confidence", "weak")
    assert code == 0 and "ana@example.org subscribed" in err
    assert _run(capsys, "--db", url, "subscribe", "add", "not-an-address")[0] == 2
    assert _run(capsys, "--db", url, "subscribe", "add", "b@example.org", "--zone", "x")[0] == 2
    code, out, _ = _run(capsys, "--db", url, "subscribe", "list")
    assert out.startswith("ana@example.org\tzones: eastern-ghouta")
    folder = tmp_path / "eml"
    folder.mkdir()
    code, _, err = _run(capsys, "--db", url, "digest", "--since", "3650d", "--dry-run",
                        str(folder))
    assert code == 0 and "ana@example.org: 1 incident(s), written to" in err
    [path] = folder.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage) and message["To"] == "ana@example.org"
    assert "Douma" in message.get_body(("plain",)).get_content()
    assert subscriptions.delivered(desk.ledger.db, "ana@example.org") == (set(), set())
    port = free_port()
    monkeypatch.setenv("TRUCEWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TRUCEWATCH_SMTP_PORT", str(port))
    monkeypatch.setenv("TRUCEWATCH_SMTP_TLS", "none")
    code, _, err = _run(capsys, "--db", url, "digest", "--to", "bo@example.org")
    assert code == 1 and f"127.0.0.1:{port}" in err and "kept queued" in err
    assert _run(capsys, "--db", url, "digest", "--since", "soon")[0] == 2
    assert _run(capsys, "--db", url, "subscribe", "remove", "ana@example.org")[0] == 0
    assert _run(capsys, "--db", url, "subscribe", "remove", "ana@example.org")[0] == 2


# --- the Atom feed ------------------------------------------------------------------------


def test_atom_feed_of_violations(desk: Desk):
    feedparser = pytest.importorskip("feedparser")
    client = desk.app(dashboard_url="https://dash.example")
    answer = client.get("/feeds/violations.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(answer.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "trucewatch: violations"
    titles = sorted(entry.title for entry in feed.entries)
    assert len(titles) == 2 and "Douma" in titles[1] and "Daraa" in titles[0]
    douma = next(e for e in feed.entries if "Douma" in e.title)
    assert douma.link == f"https://dash.example/incidents/{desk.douma}"
    assert "a woman and a child were killed" in douma.summary
    assert [tag.term for tag in douma.tags] == ["eastern-ghouta"]
    one = feedparser.parse(client.get("/feeds/violations.atom",
                                      params={"zone": "eastern-ghouta"}).content)
    assert [e.title for e in one.entries] == [douma.title]
    assert "Eastern Ghouta" in one.feed.title
    missing = client.get("/feeds/violations.atom", params={"zone": "atlantis"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    spec = client.get("/openapi.json").json()
    assert "application/atom+xml" in \
        spec["paths"]["/feeds/violations.atom"]["get"]["responses"]["200"]["content"]
