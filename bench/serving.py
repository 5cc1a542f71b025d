"""The API under load: `trucewatch serve` as a subprocess on a free loopback port, and two
load generators, Debian's wrk when installed and an asyncio httpx one (closed loop: a fixed
number of connections, each sending its next request when the last one is answered).

Used by run.py (requests/s and p99 latency) and by tests/test_load.py (throughput and
memory held over time). Its own main measures issue 18's targets (below); --rates adds
wrk's requests/s, p50 and p99 at 16 and 64 clients with the server's CPU per answer, and
--cpu the server's CPU per request in process (no HTTP, no client: the figure to go by on
a shared machine; its app is not frozen, so the collector's passes are counted as a test's
app pays them).

The server is measured as `trucewatch serve` runs it: its routes built, the search index
caught up, the daily counts made and the PDF renderer loaded at start, then its heap
frozen (server.py), so the first answers do not pay for them. The p99s are what the machine
gave the server more than what it needed: the report prints the load average when it
starts and ends, and on two cores shared with other work a p99 can triple between runs
minutes apart.
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
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

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

    def cpu_seconds(self) -> float:
        """User and system CPU the server process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_mb(self) -> float:
        return status_mb(self.pid, "VmHWM")

    def settle(self, timeout: float = 30) -> float:
        """Wait until the server is idle (under 5% of a core over half a second): its start's
        work (routes, search index, daily counts, PDF renderer) is done in a thread while it
        already answers, and would otherwise be timed as the first load's. The seconds
        waited."""
        started = time.monotonic()
        spent = self.cpu_seconds()
        while time.monotonic() - started < timeout:
            time.sleep(0.5)
            now = self.cpu_seconds()
            if now - spent < 0.025:
                break
            spent = now
        return time.monotonic() - started

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
    p50_ms: float | None = None
    answered: int | None = None


def measure(url: str, seconds: float, connections: int) -> Measured:
    """Requests/s and p99 latency of GET ``url``: by wrk when installed, else by hammer."""
    if shutil.which("wrk"):
        return _wrk(url, seconds, connections)
    load = asyncio.run(hammer([url], seconds, connections))
    errors = sum(load.errors.values()) + load.answered - load.statuses[200]
    return Measured(load.rate, load.percentile_ms(0.99), errors,
                    f"asyncio httpx generator (wrk not installed), {connections} connections")


# wrk's Lua: each request the next of the paths, in turn.
_ROTATE = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, paths[(n %% #paths) + 1])
end
"""


def _wrk(url: str, seconds: float, connections: int, paths: list[str] | None = None
         ) -> Measured:
    """wrk on ``url``, or on each of ``paths`` below it in turn."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        extra = []
        if paths:
            script.write(_ROTATE % ",".join(f'"{path}"' for path in paths))
            script.flush()
            extra = ["-s", script.name]
        done = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds:.0f}s",
                               "--latency", "--timeout", "30s", *extra, url],
                              capture_output=True, text=True, check=True).stdout
    rate = float(_found(r"Requests/sec:\s+([\d.]+)", done))
    errors = int(_found(r"Non-2xx or 3xx responses:\s+(\d+)", done, "0"))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        done)
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return Measured(rate, _wrk_ms(done, "99"), errors, f"wrk, 1 thread, {connections} connections",
                    _wrk_ms(done, "50"), int(_found(r"(\d+) requests in", done)))


def _wrk_ms(printed: str, share: str) -> float:
    number, unit = re.search(rf"^\s+{share}%\s+([\d.]+)(us|ms|s)\b", printed, re.M).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _found(pattern: str, text: str, default: str | None = None) -> str:
    match = re.search(pattern, text)
    if match:
        return match.group(1)
    if default is None:
        raise ValueError(f"wrk printed no {pattern!r}: {text}")
    return default


# --- the API at scale (issue 18's targets) ----------------------------------------------------
#
#     .venv/bin/python bench/serving.py [--rows 200000] [--seconds 20] [--db URL] [--keep DIR]
#
# Fills a SQLite ledger with --rows generated ACLED rows (bench/import_acled.py's, plus rows
# at places written in Arabic script and with diacritics), imported and merged through the
# command line, then serves it with `trucewatch serve` in a process of its own and measures
# from this one: list pages, deep pages, searches, daily stats, incident pages, 64 clients
# at once, a month's briefing, memory over a mixed load.

# Written for this benchmark: places as Arabic-language and accented sources spell them.
SPELLED = (("دوما", "Rural Damascus", 33.5711, 36.4017, "غارات جوية على دوما في الغوطة الشرقية"),
           ("Darâya", "Rural Damascus", 33.4586, 36.2356, "Shelling hit Darâya's western farms"))


def fill_scale(url: str, folder: Path, rows: int) -> float:
    """The ledger the server reads: ``rows`` ACLED rows and 400 spelled ones, imported and
    merged against astana-2017; the seconds it took."""
    import csv

    from import_acled import write_acled

    started = time.perf_counter()
    export = folder / "acled.csv"
    write_acled(export, rows)
    with export.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for n in range(400):
            name, admin1, lat, lon, note = SPELLED[n % 2]
            day = f"2017-{7 + n % 5:02d}-{1 + n % 28:02d}"
            writer.writerow((
                f"SYRX{n}", day, 2017, 1, "Political violence", "Explosions/Remote violence",
                "Air/drone strike", "Military Forces of Syria (2000-)", "", 1,
                "Civilians (Syria)", "", 7, 17, "Civilian targeting", 760, "Middle East",
                "Syria", admin1, "", "", name, lat + n * 1e-4, lon, 1, "SNHR", "National",
                f"{note} ({n}).", n % 4, "", 1700000000 + rows + n))
    for args in (("init",), ("scenario", "load", "astana-2017"),
                 ("import", "acled", str(export))):
        subprocess.run([sys.executable, "-m", "trucewatch", "--db", url, *args], check=True,
                       capture_output=True)
    return time.perf_counter() - started


_CLIENT: list[httpx.Client] = []


def timed_get(base: str, path: str, **params: object) -> tuple[float, httpx.Response]:
    """One request on a kept connection (a new httpx client per request would add its own
    set-up, tens of milliseconds, to every figure)."""
    if not _CLIENT:
        _CLIENT.append(httpx.Client(timeout=120))
    started = time.perf_counter()
    answer = _CLIENT[0].get(base + path, params=params)  # type: ignore[arg-type]
    return 1000 * (time.perf_counter() - started), answer


def under_load(base: str, urls: list[str], seconds: float, clients: int) -> Measured:
    """``clients`` at once asking for ``urls`` in turn: by wrk when installed (in C: the
    asyncio generator spends more CPU per request than the server, on the same two cores),
    else by hammer; any status but 200 counts as a failure."""
    if shutil.which("wrk"):
        return _wrk(base, seconds, clients, [url.removeprefix(base) for url in urls])
    load = asyncio.run(hammer(urls, seconds, clients, window=seconds / 4))
    return Measured(load.rate, load.percentile_ms(0.99),
                    sum(load.errors.values()) + load.answered - load.statuses[200],
                    f"asyncio httpx generator, {clients} connections",
                    load.percentile_ms(0.5), load.answered)


def _line(what: str, value: str, target: str) -> None:
    print(f"  {what:<52} {value:>18}   (target {target})")


def scale_report(base: str, server: Server, seconds: float, count: int) -> None:
    import random

    rng = random.Random(18)
    pages = count // 50
    print(f"over {count:,} incidents; client: this process; server: pid {server.pid}; "
          f"load average {os.getloadavg()[0]:.1f}")
    # List pages under load: 8 clients, random pages of the first 200 and filters.
    lists = [f"{base}/api/incidents?offset={50 * rng.randrange(200)}&sort={s}"
             for s in ("-event_date", "event_date", "-killed") for _ in range(30)]
    lists += [f"{base}/api/incidents?zone=eastern-ghouta&offset={50 * rng.randrange(20)}",
              f"{base}/api/incidents?verdict=violation&sort=-event_date"]
    found = under_load(base, lists, seconds, 8)
    _line(f"list pages, 8 clients ({found.tool.split(',')[0]}): p99", f"{found.p99_ms:.0f} ms",
          "<= 50 ms")
    # Any page: deep offsets and a walk by cursor, one client at a time.
    deep = [timed_get(base, "/api/incidents", offset=50 * rng.randrange(pages), sort=s)[0]
            for s in ("-event_date", "event_date", "-killed", "killed", "id") for _ in range(6)]
    deep.append(timed_get(base, "/api/incidents", offset=50 * (pages - 1))[0])
    _line("any page by offset (31, deepest incl.): max", f"{max(deep):.0f} ms", "<= 200 ms")
    cursor, walked = None, []
    for _ in range(20):
        took, answer = timed_get(base, "/api/incidents", **({"cursor": cursor} if cursor
                                                            else {}), sort="-killed")
        walked.append(took)
        cursor = answer.json()["next_cursor"]
    _line("pages by cursor (20 in a row): max", f"{max(walked):.0f} ms", "<= 200 ms")
    for q in ("دوما", "Daraya", "Darâya"):
        cold, answer = timed_get(base, "/api/incidents", q=q)
        warm, _ = timed_get(base, "/api/incidents", q=q, offset=50)
        _line(f"search {q!r} ({answer.json()['count']} found): first / next page",
              f"{cold:.0f} / {warm:.0f} ms", "<= 200 ms")
    cold, answer = timed_get(base, "/api/stats/daily")
    warm, _ = timed_get(base, "/api/stats/daily")
    _line(f"daily stats ({answer.json()['count']} rows): first / again",
          f"{cold:.0f} / {warm:.0f} ms", "<= 200 ms")
    ids = [rng.randrange(1, count) for _ in range(300)]
    found = under_load(base, [f"{base}/api/incidents/{i}" for i in ids], seconds, 8)
    _line("incident pages, 8 clients: p99", f"{found.p99_ms:.0f} ms", "<= 20 ms")
    mixed = lists + [f"{base}/api/incidents/{i}" for i in ids[:90]] + [
        f"{base}/api/stats/daily", f"{base}/feeds/violations.atom",
        f"{base}/api/incidents?q=%D8%AF%D9%88%D9%85%D8%A7"]
    before = server.rss_mb()
    spent = server.cpu_seconds()
    found = under_load(base, mixed, seconds, 64)
    spent = server.cpu_seconds() - spent
    _line("64 clients, mixed: requests/s", f"{found.rate:.0f}/s", ">= 300/s")
    _line("  failures (5xx and transport errors)", f"{found.errors}", "0")
    _line("  p99", f"{found.p99_ms:.0f} ms", "")
    # On a shared machine the rate says how much CPU the server was given; this says what
    # each answer cost it (1000 / this = answers per second on a core of its own).
    _line("  server CPU per answer; machine load average",
          f"{1000 * spent / max(1, found.answered or 0):.2f} ms; {os.getloadavg()[0]:.1f}", "")
    started = time.perf_counter()
    job = httpx.post(f"{base}/api/briefings", json={"date_from": "2017-07-01",
                                                    "date_to": "2017-07-31"}, timeout=60).json()
    while job.get("status") in ("queued", "running") and time.perf_counter() - started < 300:
        time.sleep(0.2)
        job = httpx.get(base + job["status_url"], timeout=60).json()
    _line(f"a month's briefing ({job.get('status')}): ready in",
          f"{time.perf_counter() - started:.1f} s", "< 3 s")
    samples = []
    for _ in range(4):
        asyncio.run(hammer(mixed, seconds, 16))
        samples.append(server.rss_mb())
    _line(f"memory (RSS) before, then after each of 4 x {seconds:.0f} s of mixed load",
          f"{before:.0f} -> " + " ".join(f"{m:.0f}" for m in samples) + " MB", "flat")
    print(f"  machine load average at the end: {os.getloadavg()[0]:.1f}")


def addresses(count: int, rng: Any) -> dict[str, list[str]]:
    """The paths scale_report asks for: list pages (the first 200, three sorts, a zone, a
    verdict), 300 incidents, and the mixed load (with the daily stats, the feed and a
    search in Arabic script); and the dashboard's HTML pages of the same 300 incidents."""
    lists = [f"/api/incidents?offset={50 * rng.randrange(200)}&sort={s}"
             for s in ("-event_date", "event_date", "-killed") for _ in range(30)]
    lists += [f"/api/incidents?zone=eastern-ghouta&offset={50 * rng.randrange(20)}",
              "/api/incidents?verdict=violation&sort=-event_date"]
    details = [f"/api/incidents/{rng.randrange(1, count)}" for _ in range(300)]
    mixed = lists + details[:90] + ["/api/stats/daily", "/feeds/violations.atom",
                                    "/api/incidents?q=%D8%AF%D9%88%D9%85%D8%A7"]
    pages = [path.replace("/api/incidents/", "/incidents/") for path in details]
    return {"list pages": lists, "incidents": details, "mixed": mixed, "pages": pages}


def rates_report(base: str, server: Server, seconds: float, count: int) -> None:
    """wrk (a client in C, so the load generator takes little of the two cores) at 16 and
    64 clients over each set of addresses: first at 16 with nothing kept yet (each address
    made once), then again, then at 64. The server's CPU per answer beside each, and the
    machine's load average: on a shared machine the rate and the latencies are what the
    server was given, the CPU per answer what it needed."""
    import random

    if not shutil.which("wrk"):
        print("  wrk is not installed (apt-get install wrk): --rates skipped")
        return
    sets = addresses(count, random.Random(18))
    for what, paths in sets.items():
        for clients, state in ((16, "first"), (16, "again"), (64, "again")):
            spent = server.cpu_seconds()
            found = _wrk(base, seconds, clients, paths)
            spent = server.cpu_seconds() - spent
            print(f"  {what:<11} {clients:>2} clients, {state:<5}: {found.rate:6.0f}/s  "
                  f"p50 {found.p50_ms:6.1f} ms  p99 {found.p99_ms:6.1f} ms  "
                  f"server CPU {1000 * spent / max(1, found.answered or 0):.2f} ms/answer  "
                  f"errors {found.errors}  load {os.getloadavg()[0]:.1f}", flush=True)


def cpu_report(url: str, runs: int = 3, requests: int = 300) -> None:
    """Server CPU per request in this process: the app called as ASGI, no HTTP and no
    client, min and median of ``runs`` runs, once the start's work is done. Kept answers
    are asked for again; made ones are new each time (the pages, incidents and incidents'
    pages kept are forgotten first, the counts a server keeps are not)."""
    import json
    import random
    import threading

    os.environ.update(TRUCEWATCH_DATABASE_URL=url, TRUCEWATCH_PUBLIC_READ="true")
    from trucewatch.server import create_app
    from trucewatch.settings import load_settings

    app = create_app(load_settings())
    cache = app.state.ledger.read_cache

    async def get(path: str) -> bytes:
        where, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": where, "raw_path": where.encode(),
                 "query_string": query.encode(), "root_path": "", "state": {},
                 "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 9),
                 "server": ("127.0.0.1", 80)}
        sent: list[Any] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        if sent[0]["status"] != 200:
            raise RuntimeError(f"GET {path}: {sent[0]['status']}")
        return b"".join(m.get("body", b"") for m in sent[1:])

    def forget() -> None:
        for key in [k for k in list(cache._entries)
                    if k[0] in ("page", "incident", "incident page", "address")]:
            cache._entries.pop(key, None)

    async def timed(paths: list[str], fresh: bool) -> float:
        if fresh:
            forget()
        started = time.process_time()
        for path in paths:
            await get(path)
        return 1000 * (time.process_time() - started) / len(paths)

    async def report() -> None:
        async with app.router.lifespan_context(app):
            for thread in threading.enumerate():  # the start's work, not timed as a case's
                if thread.name == "trucewatch-prepare":
                    thread.join()
            count = json.loads(await get("/api/incidents?limit=1"))["count"]
            rng = random.Random(5)
            for sort in ("-event_date", "event_date", "-killed"):
                await get(f"/api/incidents?sort={sort}")  # the counts, as a server keeps
            sorts = ("-event_date", "event_date", "-killed")
            kept_lists = [f"/api/incidents?offset={50 * k}&sort={sorts[k % 3]}" for k in range(30)]
            kept_ids = [f"/api/incidents/{rng.randrange(1, count)}" for _ in range(30)]
            kept_pages = [f"/incidents/{rng.randrange(1, count)}" for _ in range(30)]
            cases = {
                "list page, made (first 200 pages)": (lambda: [
                    f"/api/incidents?offset={50 * rng.randrange(200)}&sort={sorts[k % 3]}"
                    for k in range(requests)], True),
                "list page, made (anywhere)": (lambda: [
                    f"/api/incidents?offset={50 * rng.randrange(count // 50)}"
                    f"&sort={sorts[k % 3]}" for k in range(requests // 3)], True),
                "list page, kept": (lambda: kept_lists * (requests // 10), False),
                "incident, made": (lambda: [f"/api/incidents/{rng.randrange(1, count)}"
                                            for _ in range(requests)], True),
                "incident, kept": (lambda: kept_ids * (requests // 10), False),
                "incident's page, made": (lambda: [f"/incidents/{rng.randrange(1, count)}"
                                                   for _ in range(requests)], True),
                "incident's page, kept": (lambda: kept_pages * (requests // 10), False),
            }
            for path in kept_lists + kept_ids + kept_pages:
                await get(path)
            print(f"server CPU per request in process, {count:,} incidents "
                  f"(min / median of {runs} runs):")
            for what, (paths, fresh) in cases.items():
                figures = sorted([await timed(paths(), fresh) for _ in range(runs)])
                print(f"  {what:<36} {figures[0]:6.2f} / {figures[len(figures) // 2]:6.2f} ms")

    asyncio.run(report())


def main() -> None:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="The API at scale (issue 18's targets).")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--keep", type=Path, help="Keep (and reuse) the ledger in this folder.")
    parser.add_argument("--db", help="Serve this ledger (filled already) instead.")
    parser.add_argument("--rates", action="store_true",
                        help="Only wrk's rates and latencies at 16 and 64 clients.")
    parser.add_argument("--cpu", action="store_true",
                        help="Only the server's CPU per request, in this process.")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="trucewatch-serving-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = options.db or f"sqlite:///{folder / 'ledger.db'}"
    if not options.db and not (folder / "ledger.db").exists():
        took = fill_scale(url, folder, options.rows)
        print(f"filled {url} with {options.rows:,} ACLED rows in {took:.0f} s")
    if options.cpu:
        cpu_report(url)
        return
    with Server(url, folder / "server.log") as server:
        # The search indexes are brought up to date in the server's first seconds.
        count = httpx.get(f"{server.base}/api/incidents?limit=1", timeout=120).json()["count"]
        timed_get(server.base, "/api/incidents", q="warmup")
        server.settle()
        if options.rates:
            print(f"over {count:,} incidents; `trucewatch serve` (pid {server.pid}), wrk")
            rates_report(server.base, server, options.seconds, count)
        else:
            scale_report(server.base, server, options.seconds, count)


if __name__ == "__main__":
    main()
