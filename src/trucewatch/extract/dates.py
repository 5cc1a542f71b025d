"""Dates: the report's own (dateline, byline) and the event's, resolved against it.

A weekday equal to the publication day means that day, otherwise the most recent
one before it; "late on Monday" and "overnight" keep the part of the day, which
the verdict engine needs for windows that open at noon. A date with no year on a
page with no date stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from trucewatch.model import DatePrecision

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_EXPLICIT = [
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:(?:\s*,\s*|\s+){_YEAR})?\b", re.I),
    re.compile(rf"\b{_DAY}\s+{_MONTH}(?:\s*,?\s*{_YEAR})?\b", re.I),
    re.compile(r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"),
]
_WEEKDAY = re.compile(
    r"\b(?P<part1>late|early)?\s*(?:on\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")(?:'s)?"
    r"(?:\s+(?P<part2>morning|afternoon|evening|night))?\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?P<word>yesterday|today|tonight|this\s+morning|this\s+afternoon|this\s+evening"
    r"|last\s+night|overnight|earlier\s+today|on\s+the\s+same\s+day)\b",
    re.I,
)
# Periods, not days: the date kept is the period's start, with its precision.
_PERIOD = re.compile(
    r"\b(?P<word>(?:earlier\s+)?this\s+week|last\s+week|(?:earlier\s+)?this\s+month"
    r"|last\s+month)\b",
    re.I,
)
_DAY_PARTS = {
    "morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night",
    "late": "evening", "early": "morning", "overnight": "night", "tonight": "evening",
    "last night": "night", "this morning": "morning", "this afternoon": "afternoon",
    "this evening": "evening",
}
_BYLINE = re.compile(
    rf"\bBy\s+(?P<outlet>[A-Z][\w.&' -]{{1,40}}?)\s*[-–—|,]\s*(?:{_MONTH})\s+(?P<day>[0-3]?\d)"
    rf"\s*,\s*(?P<year>(?:19|20)\d\d)",
    re.I,
)
# A wire dateline at the head of a paragraph: the reporter's city in capitals (or in title
# case when a date or an agency follows), then the country, the date and the agency, each
# optional, then a dash: "JUBA, Feb. 9 (Xinhua) --", "GOMA, Democratic Republic of Congo,
# Aug 24 (Reuters) -", "Rome, 06 Dec -", "ADDIS ABABA -".
_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATELINE_DATE = (
    rf"(?:(?P<m1>{_MONTH_WORD})\.?\s+(?P<d1>[0-3]?\d)(?:,?\s+(?P<y1>(?:19|20)\d\d))?"
    rf"|(?P<d2>[0-3]?\d)\s+(?P<m2>{_MONTH_WORD})\.?(?:,?\s+(?P<y2>(?:19|20)\d\d))?)")
_DATELINE = re.compile(
    # "GAZA/JERUSALEM, Oct 18 -": a story filed from two cities.
    r"^[ \t]*(?:(?P<caps>[A-Z][A-Z.'’-]{2,}(?:[ /][A-Z][A-Z.'’-]+){0,3})"
    rf"|(?P<title>[A-Z][a-z]+(?:[ ][A-Z][a-z]+){{0,2}})"
    rf"(?=,?[ ]*(?:\(|(?i:{_MONTH_WORD})|\d)|[ ]+[—–][ ]))"
    r"(?:,[ ]*(?P<country>[A-Z][\w'’ .-]{2,40}?))??"
    rf"(?:,?[ ]*(?i:{_DATELINE_DATE}))?"
    # "Jammu, Sep 17 (IANS) Pakistan ...": after a date and an agency, the dash may be
    # left out.
    r"(?:[ ]*\((?P<outlet>[A-Za-z .]{2,30})\))?"
    r"(?:[ ]*(?:--?|–|—)[ ]|(?(outlet)(?(d1)[ ]|(?(d2)[ ]|(?!)))|(?!)))",
    re.M,
)
@dataclass(frozen=True, slots=True)
class Dateline:
    """What the page says of itself: when, by whom, and the reporter's city (not an
    event place)."""

    published: date | None = None
    outlet: str | None = None
    place: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class EventDate:
    day: date | None
    precision: DatePrecision | None
    day_part: str | None
    start: int
    end: int


def read_dateline(text: str) -> Dateline:
    """The byline's date and outlet ("By AFP - Jul 04,2017") and the dateline city
    ("ASTANA, Kazakhstan —", "AMMAN (Reuters) -"), from the top of the page."""
    head = text[:3000]
    published = outlet = place = None
    start = end = None
    byline = _BYLINE.search(head)
    if byline:
        month = MONTHS[byline.group("month").lower()]
        try:
            published = date(int(byline.group("year")), month, int(byline.group("day")))
        except ValueError:
            published = None
        outlet = byline.group("outlet").strip()
    line = _DATELINE.search(head)
    if line:
        place = (line.group("caps") or line.group("title")).split("/")[0].strip().title()
        start, end = line.span()
        if outlet is None and line.group("outlet"):
            outlet = line.group("outlet").strip()
        year = line.group("y1") or line.group("y2")
        month_name = line.group("m1") or line.group("m2")  # `month` is the byline's int
        day = line.group("d1") or line.group("d2")
        if published is None and year and month_name and day:
            published = _safe_date(int(year), MONTHS[month_name.lower()], int(day))
    return Dateline(published, outlet, place, start, end)


def find_event_dates(sentence: str, published: date | None) -> list[EventDate]:
    """Every date phrase in a sentence, resolved against the publication date."""
    found: list[EventDate] = []
    for match in (m for pattern in _EXPLICIT for m in pattern.finditer(sentence)):
        if _inside(match.span(), found):
            continue
        if "iso" in match.groupdict():
            day = _safe_date(*map(int, match.group("iso").split("-")))
        else:
            month = MONTHS[match.group("month").lower()]
            year = int(match.group("year")) if match.group("year") else _year_for(month, published)
            day = _safe_date(year, month, int(match.group("day"))) if year else None
        found.append(EventDate(day, DatePrecision.DAY if day else None, None, *match.span()))
    for match in _WEEKDAY.finditer(sentence):
        if _inside(match.span(), found):
            continue
        part = match.group("part2") or match.group("part1")
        day = _weekday(WEEKDAYS.index(match.group("weekday").lower()), published)
        found.append(EventDate(day, DatePrecision.DAY if day else None,
                               _DAY_PARTS.get((part or "").lower()), *match.span()))
    for match in _RELATIVE.finditer(sentence):
        word = re.sub(r"\s+", " ", match.group("word").lower())
        if published is None:
            found.append(EventDate(None, None, _DAY_PARTS.get(word), *match.span()))
            continue
        shift = 1 if word in ("yesterday", "last night") else 0
        found.append(EventDate(published - timedelta(days=shift), DatePrecision.DAY,
                               _DAY_PARTS.get(word), *match.span()))
    for match in _PERIOD.finditer(sentence):
        found.append(_period(re.sub(r"\s+", " ", match.group("word").lower()), published,
                             *match.span()))
    return sorted(found, key=lambda d: d.start)


def _period(word: str, published: date | None, start: int, end: int) -> EventDate:
    if published is None:
        return EventDate(None, None, None, start, end)
    if word.endswith("week"):
        monday = published - timedelta(days=published.weekday())
        begins = monday - timedelta(days=7) if word.startswith("last") else monday
        return EventDate(begins, DatePrecision.WEEK, None, start, end)
    first = published.replace(day=1)
    if word.startswith("last"):
        first = (first - timedelta(days=1)).replace(day=1)
    return EventDate(first, DatePrecision.MONTH, None, start, end)


def _weekday(index: int, published: date | None) -> date | None:
    if published is None:
        return None
    back = (published.weekday() - index) % 7
    return published - timedelta(days=back)


def _year_for(month: int, published: date | None) -> int | None:
    """A month with no year: the publication's year, or the one before for a later month."""
    if published is None:
        return None
    return published.year if month <= published.month else published.year - 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _inside(span: tuple[int, int], dates: list[EventDate]) -> bool:
    return any(d.start <= span[0] < d.end for d in dates)
