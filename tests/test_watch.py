"""`trucewatch watch`: feeds served by a local HTTP server, folders on disk."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from test_cli import run
from trucewatch.errors import InputError
from trucewatch.ingest.feeds import read_feed
from trucewatch.ledger import Ledger
from trucewatch.watch import Watcher

SAQBA = (
    "Air strikes hit the town of Saqba in Eastern Ghouta on Tuesday, killing four "
    "civilians and wounding at least 15 others, the Syrian Observatory for Human Rights "
    "said. Residents said the raids were carried out by government warplanes."
)
RASTAN = (
    "Shelling hit the town of Rastan in northern Homs on Thursday, killing three people "
    "and wounding eight, a local source said. It was not clear who fired the shells."
)


def article_page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(2))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>").encode()


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>Tue, 18 Jul 2017 10:00:00 GMT</pubDate><description>{summary}</description>"
        "</item>"
        for path, title, summary in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
            f"<link>{base}</link><description>news</description>{entries}</channel></rss>"
            ).encode()


class Site:
    """A tiny news site: pages by path, an ETag on the feed, and a log of requests."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, bytes, str]] = {}
        self.requests: Counter[str] = Counter()
        self.conditional: list[str] = []
        self.etag = '"v1"'
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests[self.path] += 1
                status, body, kind = site.pages.get(self.path, (404, b"not found", "text/plain"))
                if self.path.startswith("/feed") and status == 200:
                    if self.headers.get("If-None-Match"):
                        site.conditional.append(self.path)
                    if self.headers.get("If-None-Match") == site.etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if self.path.startswith("/feed"):
                    self.send_header("ETag", site.etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll interval: shutdown() waits for the loop's next look (0.5 s by default).
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    server.pages["/saqba.html"] = (200, article_page("Strikes on Saqba", SAQBA), "text/html")
    server.pages["/rastan.html"] = (200, article_page("Shelling of Rastan", RASTAN),
                                    "text/html")
    server.pages["/feed.rss"] = (200, rss(server.base, [
        ("/saqba.html", "Strikes on Saqba", "Four killed in Saqba."),
        ("/rastan.html", "Shelling of Rastan", "Three killed in Rastan."),
    ]), "application/rss+xml")
    yield server
    server.close()


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    ledger = Ledger(f"sqlite:///{tmp_path / 'watch.db'}")
    ledger.init()
    ledger.load_scenario("astana-2017")
    return ledger


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def watcher(ledger: Ledger, sources: list[str], tmp_path: Path, clock: Clock | None = None,
            **options: object) -> Watcher:
    return Watcher(ledger, sources, state_path=tmp_path / "state.json", interval=60,
                   clock=clock or Clock(), **options)  # type: ignore[arg-type]


def test_a_feed_is_read_once_and_then_asked_only_if_it_changed(
    site: Site, ledger: Ledger, tmp_path: Path
):
    clock = Clock()
    feed = site.base + "/feed.rss"
    first = watcher(ledger, [feed], tmp_path, clock)
    [summary] = first.poll_due()
    assert (summary.items, summary.new, summary.known) == (2, 2, 0)
    assert summary.incidents == 2 and not summary.errors
    places = sorted(i.location.name for i, _ in ledger.incidents() if i.location)
    assert places == ["Rastan", "Saqba"]

    clock.now += 61  # due again: a conditional GET, answered 304
    [again] = first.poll_due()
    assert again.not_modified and site.conditional == ["/feed.rss"]
    assert site.requests["/saqba.html"] == 1

    # A restart keeps the validators (state file): still a conditional GET.
    restarted = watcher(ledger, [feed], tmp_path, clock)
    clock.now += 61
    assert restarted.poll_due()[0].not_modified

    # Even with the state lost, an item already stored is not fetched or read again.
    (tmp_path / "state.json").unlink()
    site.etag = '"v2"'
    fresh = watcher(ledger, [feed], tmp_path, clock)
    [summary] = fresh.poll_due()
    assert (summary.new, summary.known) == (0, 2)
    assert site.requests["/saqba.html"] == 1 and site.requests["/rastan.html"] == 1
    assert len(ledger.incidents()) == 2


def test_a_source_not_due_is_left_alone_and_a_failing_one_backs_off(
    site: Site, ledger: Ledger, tmp_path: Path
):
    clock = Clock()
    broken, feed = site.base + "/feed-down.rss", site.base + "/feed.rss"
    site.pages["/feed-down.rss"] = (500, b"oops", "text/plain")
    watch = watcher(ledger, [broken, feed], tmp_path, clock)
    failing, working = watch.poll_due()
    assert failing.errors and "HTTP 500" in failing.errors[0] and broken in failing.errors[0]
    assert working.new == 2  # one bad source does not hold up the others

    delays = []
    for _ in range(3):
        state = watch.state[broken]
        delays.append(state.next_due - clock.now)
        clock.now = state.next_due
        watch.poll_due()
    assert delays == [120, 240, 480]  # 60 s doubled each failure
    assert site.requests["/feed.rss"] == 4  # the working feed kept its own schedule

    site.pages["/feed-down.rss"] = site.pages["/feed.rss"]
    clock.now = watch.state[broken].next_due
    [recovered, *_] = watch.poll_due()
    assert not recovered.errors and watch.state[broken].failures == 0


def test_an_item_whose_article_cannot_be_fetched_is_read_from_the_feed(
    site: Site, ledger: Ledger, tmp_path: Path
):
    site.pages["/feed.rss"] = (200, rss(site.base, [
        ("/gone.html", "Strikes on Saqba", SAQBA),
    ]), "application/rss+xml")
    [summary] = watcher(ledger, [site.base + "/feed.rss"], tmp_path).poll_due()
    assert summary.new == 1 and site.requests["/gone.html"] == 1
    [(incident, _)] = ledger.incidents()
    assert incident.location is not None and incident.location.name == "Saqba"
    assert incident.killed.best == 4


def test_a_broken_feed_is_an_error_that_names_it(site: Site, ledger: Ledger, tmp_path: Path):
    site.pages["/feed-broken.rss"] = (200, b"<html><body>moved</body></html>", "text/html")
    url = site.base + "/feed-broken.rss"
    [summary] = watcher(ledger, [url], tmp_path).poll_due()
    assert summary.errors and url in summary.errors[0]
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        read_feed(b"\x00\x01 junk", source="junk.xml")


def test_atom_feeds_are_read():
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><id>urn:desk</id>
    <updated>2017-07-18T10:00:00Z</updated>
    <entry><title>Strikes on Saqba</title><id>urn:1</id><link href="http://x/1"/>
    <updated>2017-07-18T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Four &lt;b&gt;killed&lt;/b&gt;.&lt;/p&gt;</content></entry>
    </feed>"""
    [item] = read_feed(atom, source="atom")
    assert (item.key, item.link, item.title, item.summary) == (
        "urn:1", "http://x/1", "Strikes on Saqba", "Four killed.")
    assert item.published is not None and item.published.isoformat() == "2017-07-18"


def test_a_folder_is_watched_for_new_files(ledger: Ledger, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "saqba.txt").write_text(SAQBA, encoding="utf-8")
    clock = Clock()
    watch = watcher(ledger, [str(inbox)], tmp_path, clock)
    assert watch.poll_due()[0].new == 1

    (inbox / "rastan.txt").write_text(RASTAN, encoding="utf-8")
    (inbox / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    clock.now += 61
    [summary] = watch.poll_due()
    assert (summary.items, summary.new, summary.known) == (3, 1, 0)  # saqba: not re-read
    assert summary.errors and "junk.txt" in summary.errors[0]
    assert len(ledger.incidents()) == 2


def test_watch_command_polls_once(site: Site, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "scenario", "load", "astana-2017")[0] == 0
    feed = site.base + "/feed.rss"
    args = ["--db", db, "watch", feed, "--once", "--state", str(tmp_path / "s.json")]
    code, out, _ = run(capsys, *args)
    assert code == 0 and "2 item(s), 2 new" in out
    code, out, _ = run(capsys, *args)  # cron's next run: asked again, unchanged
    assert code == 0 and "not modified" in out
    code, _, err = run(capsys, "--db", db, "watch", feed, "--every", "soon")
    assert code == 2 and "not a duration" in err


@pytest.mark.parametrize("garbage", [b"\x89PNG\r\n\x1a\n\x00\x00binary", b'{"items": []}',
                                     b"Service temporarily unavailable", b"",
                                     b"<?xml version='1.0'?><status>ok</status>"])
def test_garbage_from_a_feed_is_a_failure_with_backoff(garbage: bytes, site: Site,
                                                       ledger: Ledger, tmp_path: Path):
    clock = Clock()
    site.pages["/feed-junk.rss"] = (200, garbage, "application/rss+xml")
    url = site.base + "/feed-junk.rss"
    watch = watcher(ledger, [url], tmp_path, clock)
    [summary] = watch.poll_due()
    assert summary.failed and summary.items == 0 and summary.errors
    assert summary.errors[0].startswith(url) and "not an RSS or Atom feed" in summary.errors[0]
    assert watch.state[url].failures == 1 and watch.state[url].next_due == clock.now + 120
    assert watch.state[url].etag is None  # not remembered as a good answer


def test_watch_once_exits_non_zero_on_a_failing_source(site: Site, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "scenario", "load", "astana-2017")[0] == 0
    state = ["--state", str(tmp_path / "s.json")]
    missing = str(tmp_path / "no-such-inbox")
    code, out, err = run(capsys, "--db", db, "watch", "--once", missing, *state)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith(f"error: {missing}: no such folder")
    # Nothing listens on port 1; a feed answering junk; a good feed still read.
    site.pages["/feed-junk.rss"] = (200, b"<html>moved</html>", "text/html")
    sources = [missing, "http://127.0.0.1:1/feed.rss", site.base + "/feed-junk.rss",
               site.base + "/feed.rss"]
    code, out, err = run(capsys, "--db", db, "watch", "--once", *sources, *state)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines)
    assert lines[0].startswith(f"error: {missing}: still failing")  # backing off, named
    assert lines[1].startswith("error: http://127.0.0.1:1/feed.rss: ")
    assert lines[2].startswith(f"error: {site.base}/feed-junk.rss") and "not an RSS" in lines[2]
    assert "2 item(s), 2 new" in out


def test_a_ledger_fault_is_not_the_sources_and_the_watcher_goes_on(
        site: Site, ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    def busy(report: object) -> None:
        raise OperationalError("INSERT INTO reports", {},
                               sqlite3.OperationalError("database is locked"))

    clock = Clock()
    feed = site.base + "/feed.rss"
    watch = watcher(ledger, [feed], tmp_path, clock)
    monkeypatch.setattr(ledger, "ingest", busy)
    [summary] = watch.poll_due()
    assert summary.failed and "another process holds the ledger" in summary.errors[0]
    assert watch.state[feed].failures == 0 and watch.state[feed].etag is None
    monkeypatch.undo()
    clock.now = watch.state[feed].next_due  # the next round, at the usual interval
    [summary] = watch.poll_due()
    assert not summary.failed and summary.new == 2
