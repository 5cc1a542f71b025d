"""Reading the fields of one mapping of scenario.yaml or of a feature's properties:
each problem is recorded under the entry's label, and reading goes on."""

from __future__ import annotations

import difflib
from datetime import date, datetime, time
from typing import Any

from trucewatch.model import EventType

# "all" forbids the violence, not the map changing hands as its result.
ALL_PROHIBITED = frozenset(EventType) - {
    EventType.GOVERNMENT_REGAINS_TERRITORY,
    EventType.NON_STATE_TAKEOVER,
}


def describe(value: Any) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r}"


def suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def is_id(value: Any) -> bool:
    return isinstance(value, str) and value.split() == [value]


class Entry:
    """One mapping being read; each problem is recorded under the entry's label."""

    def __init__(self, data: Any, label: str, problems: list[str],
                 known: tuple[str, ...] | None, required: tuple[str, ...]) -> None:
        self.label, self.problems = label, problems
        self.data: dict[Any, Any] = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.problem(f"expected a mapping of keys to values, found {describe(data)}")
            return
        for key in data:
            if known is not None and key not in known:
                self.problem(f"unknown key {key!r}{suggest(str(key), list(known))}")
        for key in required:
            if data.get(key) is None:
                self.problem(f"missing required key {key!r}")

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.label}: {message}")

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(f"{key} must be text, found {describe(value)}")
            return None
        return str(value).strip() or None

    def ident(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is not None and not is_id(value):
            self.problem(f"{key} must be an id without spaces, found {describe(value)}")
            return None
        return value

    def items(self, key: str, ids: bool = True) -> tuple[str, ...]:
        """A list of ids (or of texts, for aliases)."""
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(f"{key} must be a list, found {describe(value)}")
            return ()
        good = [v for v in value if (is_id(v) if ids else isinstance(v, str) and v.strip())]
        for bad in (v for v in value if v not in good):
            self.problem(f"{key} holds {describe(bad)}; expected {'ids' if ids else 'texts'}")
        return tuple(good)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key)
        if value is not None and not isinstance(value, bool):
            self.problem(f"{key} must be true or false, found {describe(value)}")
        return value if isinstance(value, bool) else default

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(key)
        if value is not None and value not in choices:
            self.problem(f"{key} {value!r} is not one of: {', '.join(choices)}")
            return None
        return value

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or isinstance(value, date):
            return value.date() if isinstance(value, datetime) else value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(f"{key} {value!r} is not a date (write YYYY-MM-DD)")
            return None

    def moment(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None or isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time.min)
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                self.problem(f"{key} {value!r} is not a date and time (write YYYY-MM-DDTHH:MM)")
                return None
        if moment is not None and moment.tzinfo is not None:
            self.problem(f"{key} {value!r} has a UTC offset; write local time without one")
            return None
        return moment

    def prohibited(self) -> frozenset[EventType]:
        value = self.data.get("prohibited")
        if isinstance(value, str) and value.strip().lower() == "all":
            return ALL_PROHIBITED
        items = [value] if isinstance(value, str) else value
        if value is not None and (not isinstance(items, list) or not items):
            self.problem(f"prohibited must be 'all' or a list of event types, found {value!r}")
        if not isinstance(items, list):
            return frozenset()
        by_name = {e.value.casefold(): e for e in EventType}
        for item in items:
            if str(item).strip().casefold() not in by_name:
                hint = suggest(str(item), [e.value for e in EventType])
                self.problem(f"unknown event type {item!r} in prohibited{hint}")
        return frozenset(by_name[k] for k in (str(i).strip().casefold() for i in items)
                         if k in by_name)


def label_of(prefix: str, data: Any) -> str:
    ident = data.get("id") if isinstance(data, dict) else None
    return f"{prefix} ({ident})" if isinstance(ident, str) else prefix

