"""Keeping the ledger in step with feeds and folders: poll, read what is new, ingest it.

Each source (an RSS/Atom feed URL or a folder of articles) is polled on a
schedule. Feeds are fetched with a conditional GET (ETag, Last-Modified), so an
unchanged feed costs one 304; a failing source is retried later and later
(exponential backoff) without holding up the others. A feed item whose link is
already a stored report is not fetched again, and the store refuses a report
it holds (same text), so nothing is processed twice, across restarts too. The
HTTP validators, backoff and the folder files already read are kept in a small
JSON state file, written atomically after every poll.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.exc import OperationalError

from trucewatch.errors import InputError, TrucewatchError
from trucewatch.ingest.documents import expand_paths, parse_document, read_document
from trucewatch.ingest.feeds import FeedItem, item_text, read_feed
from trucewatch.model import Report
from trucewatch.service import Ledger
from trucewatch.store.database import describe_error
from trucewatch.store.repository import find_report_by_url

log = logging.getLogger("trucewatch.watch")

USER_AGENT = "trucewatch (ceasefire monitoring; polite polling with conditional GET)"
MAX_BACKOFF_SECONDS = 6 * 3600.0
TIMEOUT_SECONDS = 30.0


@dataclass
class SourceState:
    """What the watcher remembers of one source between polls."""

    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_due: float = 0.0  # seconds since the epoch
    last_error: str | None = None
    files: dict[str, list[float]] = field(default_factory=dict)  # folder: path -> [mtime, size]


@dataclass
class PollSummary:
    """What one poll of one source did."""

    source: str
    items: int = 0  # items listed, or files found
    new: int = 0  # reports stored for the first time
    known: int = 0  # already in the store
    incidents: int = 0
    not_modified: bool = False
    errors: list[str] = field(default_factory=list)
    failed: bool = False  # the source itself failed (unreachable, not a feed, no folder)
    backing_off: float | None = None  # not polled: failing, next try at this time


class Watcher:
    def __init__(
        self,
        ledger: Ledger,
        sources: Iterable[str],
        *,
        state_path: Path,
        interval: float = 900.0,
        fetch_articles: bool = True,
        max_bytes: int = 50_000_000,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ledger = ledger
        self.sources = list(dict.fromkeys(sources))
        self.state_path = state_path
        self.interval = interval
        self.fetch_articles = fetch_articles
        self.max_bytes = max_bytes
        self.client = client or httpx.Client(
            timeout=TIMEOUT_SECONDS, follow_redirects=True, headers={"User-Agent": USER_AGENT})
        self.clock = clock
        self.state = _load_state(state_path)

    # --- scheduling ------------------------------------------------------------------------

    def poll_due(self, *, all_healthy: bool = False) -> list[PollSummary]:
        """Poll every source that is due now (with ``all_healthy``, also those not due but
        not backing off after a failure: a run from cron, which also gets a summary, marked
        ``backing_off``, for each source it leaves alone); save the state."""
        now = self.clock()
        summaries = []
        for source in self.sources:
            state = self._state(source)
            if state.next_due <= now or (all_healthy and state.failures == 0):
                summaries.append(self.poll(source))
            elif all_healthy:
                summaries.append(PollSummary(source, failed=True, backing_off=state.next_due,
                                             errors=[state.last_error or "failing"]))
        self._save_state()
        return summaries

    def seconds_to_next(self) -> float:
        now = self.clock()
        return max(0.0, min(self._state(s).next_due for s in self.sources) - now)

    def run(self, *, on_poll: Callable[[PollSummary], None] = lambda _: None,
            sleep: Callable[[float], None] = time.sleep) -> None:
        """Poll for ever, sleeping until the next source is due."""
        while True:
            for summary in self.poll_due():
                on_poll(summary)
            sleep(self.seconds_to_next())

    def poll(self, source: str) -> PollSummary:
        """Poll one source now, whatever its schedule; a failure is recorded, not raised."""
        state = self._state(source)
        summary = PollSummary(source)
        try:
            if _is_url(source):
                self._poll_feed(source, state, summary)
            else:
                self._poll_folder(Path(source), state, summary)
        except OperationalError as exc:
            # The ledger, not the source, failed (busy past the wait, disk full): no
            # backoff for the source, and a long-running watcher keeps going.
            summary.failed = True
            summary.errors.append(f"{source}: not stored: "
                                  f"{describe_error(exc, self.ledger.db.url)}")
            state.next_due = self.clock() + self.interval
            return summary
        except (TrucewatchError, httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            # The source named once: an InputError names it already, httpx's errors not.
            problem = str(exc) or type(exc).__name__
            if not problem.startswith(source):
                problem = f"{source}: {problem}"
            state.failures += 1
            state.last_error = problem
            delay = min(self.interval * 2 ** state.failures, MAX_BACKOFF_SECONDS)
            state.next_due = self.clock() + delay
            summary.failed = True
            summary.errors.append(f"{problem}; retrying in {delay:.0f} s")
            # info, not warning: the command line prints the summary's error itself
            log.info("%s (failure %d; next try in %.0f s)", problem, state.failures, delay)
            return summary
        state.failures, state.last_error = 0, None
        state.next_due = self.clock() + self.interval
        return summary

    # --- feeds -----------------------------------------------------------------------------

    def _poll_feed(self, url: str, state: SourceState, summary: PollSummary) -> None:
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        response = self.client.get(url, headers=headers)
        if response.status_code == 304:
            summary.not_modified = True
            return
        if response.status_code >= 400:
            raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}")
        items = read_feed(response.content, source=url)
        summary.items = len(items)
        for item in items:
            self._ingest_item(url, item, summary)
        # Kept only once every item is in: a poll that failed midway is redone in full.
        state.etag = response.headers.get("ETag")
        state.last_modified = response.headers.get("Last-Modified")

    def _ingest_item(self, feed: str, item: FeedItem, summary: PollSummary) -> None:
        if item.link and find_report_by_url(self.ledger.db, item.link) is not None:
            summary.known += 1
            return
        try:
            report = self._item_report(feed, item)
        except InputError as exc:
            summary.errors.append(str(exc))  # one bad item does not stop the feed
            return
        self._ingest(report, summary)

    def _item_report(self, feed: str, item: FeedItem) -> Report:
        """The item's article, fetched from its link; else the feed's own text of it."""
        if self.fetch_articles and item.link and _is_url(item.link):
            try:
                response = self.client.get(item.link)
                if response.status_code < 400 and len(response.content) <= self.max_bytes:
                    report = parse_document(response.content, source=item.link,
                                            published=item.published)
                    report.url = item.link
                    return report
                log.info("%s: HTTP %d; using the feed's text of it", item.link,
                         response.status_code)
            except (httpx.HTTPError, InputError) as exc:
                log.info("%s: %s; using the feed's text of it", item.link, exc)
        text = item_text(item)
        if not text.strip():
            raise InputError(feed, f"item {item.key!r} has no text and no readable article")
        report = parse_document(text.encode("utf-8"), source=item.link or feed,
                                published=item.published, html=False)
        report.url = item.link
        report.kind = "feed item"
        return report

    # --- folders ---------------------------------------------------------------------------

    def _poll_folder(self, folder: Path, state: SourceState, summary: PollSummary) -> None:
        if not folder.is_dir():
            raise InputError(str(folder), "no such folder (a source is a feed URL or a folder)")
        for path in expand_paths([folder]):
            stat = path.stat()
            signature = [stat.st_mtime, float(stat.st_size)]
            summary.items += 1
            if state.files.get(str(path)) == signature:
                continue  # read before and unchanged since
            try:
                report = read_document(path, max_bytes=self.max_bytes)
            except InputError as exc:
                summary.errors.append(str(exc))
            else:
                self._ingest(report, summary)
            state.files[str(path)] = signature  # a bad file is not read again until it changes

    # --- shared ----------------------------------------------------------------------------

    def _ingest(self, report: Report, summary: PollSummary) -> None:
        result = self.ledger.ingest(report)
        if result.created:
            summary.new += 1
            summary.incidents += len(result.incidents)
        else:
            summary.known += 1

    def _state(self, source: str) -> SourceState:
        return self.state.setdefault(source, SourceState())

    def _save_state(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        payload = {source: asdict(state) for source, state in self.state.items()}
        # Written beside and renamed over: a crash never leaves half a state file.
        handle, temporary = tempfile.mkstemp(dir=self.state_path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, indent=1)
        os.replace(temporary, self.state_path)


def default_state_path(cache_dir: Path, database_url: str) -> Path:
    """One state file per database: two ledgers watching one feed do not share it."""
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    return cache_dir / f"watch-{digest}.json"


def _load_state(path: Path) -> dict[str, SourceState]:
    if not path.exists():
        return {}
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return {source: SourceState(**values) for source, values in raw.items()}
    except (ValueError, TypeError) as exc:
        raise InputError(str(path), f"unreadable watch state ({exc}); delete it to start "
                         "afresh (stored reports are still not read twice)") from exc


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


__all__ = ["PollSummary", "SourceState", "Watcher", "default_state_path"]
