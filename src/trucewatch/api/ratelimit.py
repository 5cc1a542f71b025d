"""A small in-memory limit on failed logins, against password guessing.

Failures are counted per (username, client address) over a sliding window; past the
limit, POST /api/auth/login and /api/auth/token answer 429 until the oldest failure in
the window ages out, even with the right password (else the limit would tell a guesser
when they hit it). In memory and per process: enough for one server; behind several
workers each keeps its own count, which still bounds guessing."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from trucewatch.errors import TrucewatchError

MAX_FAILURES = 10
WINDOW_SECONDS = 300.0
MAX_KEYS = 100_000  # past this, keys with no recent failure are dropped


class TooManyAttempts(TrucewatchError):
    http_status = 429
    code = "too_many_requests"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many failed logins for this username from this address; "
                         f"try again in {retry_after} seconds")


class LoginLimiter:
    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()  # sync routes run in a thread pool

    @staticmethod
    def key(username: str, request: Request) -> tuple[str, str]:
        client = request.client.host if request.client else "unknown"
        return username.strip().casefold(), client

    def check(self, key: tuple[str, str]) -> None:
        """Raise TooManyAttempts when ``key`` used up its failures in the window."""
        with self._lock:
            recent = self._recent(key, self.clock())
            if len(recent) >= self.max_failures:
                wait = recent[0] + self.window - self.clock()
                raise TooManyAttempts(max(1, math.ceil(wait)))

    def failed(self, key: tuple[str, str]) -> None:
        with self._lock:
            now = self.clock()
            if len(self._failures) >= MAX_KEYS:
                self._prune(now)
            recent = self._recent(key, now)
            recent.append(now)
            self._failures[key] = recent

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        recent = self._failures.get(key, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        return recent

    def _prune(self, now: float) -> None:
        for key in [k for k, times in self._failures.items()
                    if not times or times[-1] <= now - self.window]:
            del self._failures[key]


def login_limiter(request: Request) -> LoginLimiter:
    limiter: LoginLimiter = request.app.state.login_limiter
    return limiter
