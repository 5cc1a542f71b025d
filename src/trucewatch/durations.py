"""Durations as people type them in options: 90s, 15m, 2h, 1d, 2w."""

from __future__ import annotations

import re
from datetime import timedelta

DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
LONGEST = 3650 * 86_400  # seconds


def parse_duration(text: str) -> timedelta | None:
    """The duration ``text`` writes (a number and a unit), or None if it is not one."""
    found = DURATION.fullmatch(text)
    if not found:
        return None
    seconds = float(found[1]) * SECONDS[found[2]]
    # Past ten years no schedule means anything, and timedelta overflows not much later.
    return timedelta(seconds=seconds) if seconds <= LONGEST else None
