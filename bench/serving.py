"""The API under load: `trucewatch serve` as a subprocess on a free loopback port, and two
load generators, Debian's wrk when installed and an asyncio httpx one (closed loop: a fixed
number of connections, each sending its next request when the last one is answered).

Used by run.py (requests/s and p99 latency) and by tests/test_load.py (throughput and
memory held over time).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx
from common import status_mb


class Server:
    """``python -m trucewatch --db URL serve --port N``, stopped on exit of the block."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.database_url = database_url
        self.log = log
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {**os.environ, "TRUCEWATCH_PUBLIC_READ": "true"}
        with self.log.open("wb") as out:  # a file, not a pipe: the access log never blocks
            self.process = subprocess.Popen(
                [sys.executable, "-m", "trucewatch", "--db", self.database_url, "serve",
                 "--port", str(self.port)], stdout=out, stderr=subprocess.STDOUT, env=env)
        self._wait_ready()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss_mb(self) -> float:
        return status_mb(self.pid, "VmRSS")

    def peak_mb(self) -> float:
        return status_mb(self.pid, "VmHWM")

    def _wait_ready(self, timeout: float = 60) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"trucewatch serve exited ({self.process.returncode}): "
                                   f"{self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{self.base}/api/incidents?limit=1", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"trucewatch serve did not answer within {timeout:.0f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- load generators ------------------------------------------------------------------------


@dataclass(slots=True)
class Load:
    """What a run of the asyncio generator saw: answers by status, transport errors by
    kind, latencies in seconds, and answers completed in each window of ``window`` s."""

    seconds: float
    window: float
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    per_window: Counter[int] = field(default_factory=Counter)

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def failures(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500) \
            + sum(self.errors.values())

    @property
    def rate(self) -> float:
        return self.answered / self.seconds

    def percentile_ms(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def window_rates(self) -> list[float]:
        """Answers per second in each full window."""
        full = int(self.seconds // self.window)
        return [self.per_window[k] / self.window for k in range(full)]


async def hammer(urls: list[str], seconds: float, connections: int = 8,
                 window: float = 5.0) -> Load:
    """``connections`` clients, each requesting the next of ``urls`` as soon as its last
    request is answered, for ``seconds``."""
    load = Load(seconds, window)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    started = time.perf_counter()
    deadline = started + seconds

    async def client(offset: int, http: httpx.AsyncClient) -> None:
        k = offset
        while (sent := time.perf_counter()) < deadline:
            try:
                answer = await http.get(urls[k % len(urls)])
                await answer.aread()
            except httpx.HTTPError as exc:
                load.errors[type(exc).__name__] += 1
                await asyncio.sleep(0.05)
            else:
                done = time.perf_counter()
                load.statuses[answer.status_code] += 1
                load.latencies.append(done - sent)
                load.per_window[int((done - started) // window)] += 1
            k += 1

    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(n, http) for n in range(connections)))
    return load


@dataclass(frozen=True, slots=True)
class Measured:
    rate: float
    p99_ms: float
    errors: int
    tool: str


def measure(url: str, seconds: float, connections: int) -> Measured:
    """Requests/s and p99 latency of GET ``url``: by wrk when installed, else by hammer."""
    if shutil.which("wrk"):
        return _wrk(url, seconds, connections)
    load = asyncio.run(hammer([url], seconds, connections))
    errors = sum(load.errors.values()) + load.answered - load.statuses[200]
    return Measured(load.rate, load.percentile_ms(0.99), errors,
                    f"asyncio httpx generator (wrk not installed), {connections} connections")


def _wrk(url: str, seconds: float, connections: int) -> Measured:
    done = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds:.0f}s", "--latency",
                           "--timeout", "30s", url],
                          capture_output=True, text=True, check=True).stdout
    rate = float(_found(r"Requests/sec:\s+([\d.]+)", done))
    number, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", done, re.M).groups()  # type: ignore[union-attr]
    p99 = float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = int(_found(r"Non-2xx or 3xx responses:\s+(\d+)", done, "0"))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        done)
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return Measured(rate, p99, errors, f"wrk, 1 thread, {connections} connections")


def _found(pattern: str, text: str, default: str | None = None) -> str:
    match = re.search(pattern, text)
    if match:
        return match.group(1)
    if default is None:
        raise ValueError(f"wrk printed no {pattern!r}: {text}")
    return default
