"""RSS and Atom feeds -> the items they list, each with the link to its article.

feedparser reads every flavour of RSS and Atom in the wild (and their broken
variants); an unreadable feed is an InputError that names it and says where
the XML broke.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime

import feedparser
from lxml import html as lxml_html

from trucewatch.errors import InputError
from trucewatch.model import implausible_day


@dataclass(frozen=True, slots=True)
class FeedItem:
    key: str  # the item's id (guid), else its link: what "seen before" is decided on
    link: str | None
    title: str | None
    published: date | None
    summary: str  # the item's own text (content or description), as plain text


def read_feed(data: bytes, *, source: str) -> list[FeedItem]:
    """The items of an RSS or Atom document, newest as the feed orders them."""
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        problem = parsed.get("bozo_exception")
        where = getattr(problem, "getLineNumber", lambda: None)()
        raise InputError(source, f"not an RSS or Atom feed: {problem}",
                         f"line {where}" if where else None)
    if not parsed.entries and not parsed.get("version"):
        raise InputError(source, "not an RSS or Atom feed (no channel or feed element)")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        key = entry.get("id") or link or entry.get("title")
        if not key:
            continue  # an item with no id, link or title cannot be told apart from others
        items.append(FeedItem(
            key=str(key),
            link=link,
            title=entry.get("title") or None,
            published=_date_of(entry),
            summary=_plain_text(_content_of(entry)),
        ))
    if parsed.bozo and not items:  # cut short: the broken item it salvaged is no item
        raise InputError(source, f"not an RSS or Atom feed: {parsed.get('bozo_exception')}")
    return items


def item_text(item: FeedItem) -> str:
    """The report a feed item makes when its article cannot be fetched: title and text."""
    parts = [part for part in (item.title, item.summary) if part]
    return "\n\n".join(parts)


def _content_of(entry: feedparser.FeedParserDict) -> str:
    contents = entry.get("content") or []
    if contents:
        return "\n".join(str(c.get("value", "")) for c in contents)
    return str(entry.get("summary") or "")


def _plain_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment.strip()
    try:
        return " ".join(lxml_html.fromstring(fragment).text_content().split())
    except Exception:  # lxml's assorted errors on a fragment that is no HTML at all
        return fragment.strip()


def _date_of(entry: feedparser.FeedParserDict) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        day = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).date()
    except (OverflowError, OSError, ValueError):  # a year the clock cannot hold
        return None
    # A date no report can have (year 9999): the item is read as undated, not refused.
    return None if implausible_day(day) else day


__all__ = ["FeedItem", "item_text", "read_feed"]
