from datetime import timedelta

import pytest

from trucewatch.durations import parse_duration


@pytest.mark.parametrize(("text", "expected"), [
    ("90s", timedelta(seconds=90)), ("15m", timedelta(minutes=15)),
    (" 2 h ", timedelta(hours=2)), ("1.5d", timedelta(hours=36)), ("2w", timedelta(days=14)),
])
def test_a_number_and_a_unit_is_a_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["15", "soon", "2017-07-01", "h", "-5m", "15 minutes"])
def test_anything_else_is_not(text: str) -> None:
    assert parse_duration(text) is None
