"""Dates as dataset files write them, and the range a ledger's date may fall in.

ACLED files are met with every spelling their users' tools gave them: ISO (2019-12-31,
with or without a time), "31 December 2019", "01-January-2015", "31-December-15",
"31-Dec-15", and the numbers a spreadsheet writes when it saves the file again:
"31/12/2019", "31-12-19", "12/31/2019". Those numeric forms are ambiguous when both
numbers are 12 or less (03/04/2019), so the order of day and month is the file's, not
the row's: the reader scans the file's dates once, the first time it meets an ambiguous
one, and takes the order its unambiguous dates show (a 31/12 settles it). A file whose
dates show no order, or both, has its ambiguous dates refused, row by row, by name.
Two-digit years are 2000-2099 up to next year, else 1900-1999 (ACLED starts in 1997).

Every date must fall between 1946-01-01 and tomorrow: a date outside that range is a
typo or a damaged file, and stored it would wreck the ledger's date arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime

from trucewatch.importers.common import RowProblem
from trucewatch.model import EARLIEST_DAY, latest_day

EARLIEST = EARLIEST_DAY
_CACHE_LIMIT = 1 << 16
MONTH_FORMATS = (
    "%d %B %Y", "%d-%B-%Y", "%d-%B-%y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y",
    "%d %B %y", "%d %b %y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y",
)
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?$")
_NUMERIC = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})$")
DMY, MDY, UNKNOWN, MIXED = "day/month", "month/day", "unknown", "mixed"


def check_range(day: date, column: str, latest: date) -> date:
    if day < EARLIEST or day > latest:
        raise RowProblem(f"{column} {day.isoformat()} is outside the plausible range "
                         f"({EARLIEST.isoformat()} to {latest.isoformat()})")
    return day


def numeric_order(values: Iterable[str]) -> str:
    """The day/month order a file's numeric dates show: DMY, MDY, UNKNOWN (none tells)
    or MIXED (some say one, some the other)."""
    day_first = month_first = False
    for text in values:
        match = _NUMERIC.match(_strip_time(text.strip()))
        if match is None or len(match.group(1)) == 4:
            continue
        first, second = int(match.group(1)), int(match.group(3))
        day_first |= first > 12 >= second
        month_first |= second > 12 >= first
        if day_first and month_first:
            return MIXED
    return DMY if day_first else MDY if month_first else UNKNOWN


class DayReader:
    """One file's dates: each text read once (a file repeats its days), checked against
    the plausible range. ``scan`` gives the file's values of the column, read only when
    an ambiguous numeric date asks for the file's order."""

    def __init__(self, column: str, scan: Callable[[], Iterable[str]] | None = None) -> None:
        self.column = column
        self.scan = scan
        self.order: str | None = None
        self.latest = latest_day()
        self._cache: dict[str, date] = {}

    def __call__(self, text: str) -> date:
        found = self._cache.get(text)
        if found is None:
            found = check_range(self._parse(text), self.column, self.latest)
            if len(self._cache) < _CACHE_LIMIT:
                self._cache[text] = found
        return found

    def _parse(self, text: str) -> date:
        plain = text.strip()
        try:
            return date.fromisoformat(plain)
        except ValueError:
            pass
        plain = _strip_time(plain)
        try:
            return date.fromisoformat(plain)
        except ValueError:
            pass
        match = _NUMERIC.match(plain)
        try:
            if match is not None:
                return self._numeric(match, text)
            for pattern in MONTH_FORMATS:
                try:
                    return datetime.strptime(plain, pattern).date()
                except ValueError:
                    continue
        except RowProblem:
            raise
        except (ValueError, OverflowError):  # no such day (2019-02-30), year 0
            pass
        raise RowProblem(f"bad {self.column} {text!r}")

    def _numeric(self, match: re.Match[str], text: str) -> date:
        first, _, second, year_text = match.groups()
        a, b = int(first), int(second)
        if len(first) == 4:  # 2019/12/31, 2019-7-4: year first is never day-month
            return date(a, b, int(year_text))
        if len(year_text) in (1, 3):
            raise ValueError(year_text)
        year = int(year_text)
        if len(year_text) == 2:
            year += 2000 if 2000 + year <= self.latest.year else 1900
        if a > 12 or b > 12 or a == b:
            day, month = (a, b) if a > 12 else (b, a)
            return date(year, month, day)
        if self.order is None:
            self.order = numeric_order(self.scan()) if self.scan is not None else UNKNOWN
        if self.order == DMY:
            return date(year, b, a)
        if self.order == MDY:
            return date(year, a, b)
        why = ("its dates show both orders" if self.order == MIXED
               else "no date in the file settles it")
        raise RowProblem(f"ambiguous {self.column} {text!r}: day/month or month/day "
                         f"({why}); export the file with ISO dates (YYYY-MM-DD)")


def _strip_time(text: str) -> str:
    """'2019-12-31 00:00:00.000' → '2019-12-31' (a time of day spreadsheets and pandas
    add to a date)."""
    return _TIME.sub("", text) if ":" in text else text
