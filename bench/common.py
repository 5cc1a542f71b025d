"""What every measure returns, and how its CPU time and peak memory are read.

Every figure is CPU time (user + system), not wall time: the machines these run on are
shared, and CPU seconds move far less with the load than elapsed seconds do. A side is
run ``runs`` times and reported by its minimum and median. Two ways of timing a side:

- a whole command (``command_runs``): a fresh process per run, its CPU and peak resident
  memory read from the kernel when it is reaped (``os.wait4``), start-up and imports
  included, as a user pays them;
- a function in a fresh process (``cpu_runs``): the same work repeated in one process,
  ``time.process_time`` around each call, the inputs made beforehand.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Timing:
    """One side: CPU seconds of each run over ``units`` things, its peak memory, a note."""

    cpu: list[float] = field(default_factory=list)
    units: int = 0
    peak_mb: float | None = None
    note: str = ""
    reason: str | None = None  # set when the side could not be measured

    @property
    def low(self) -> float:
        return min(self.cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def rate(self) -> float | None:
        """Units per CPU-second at the median run."""
        if self.reason or not self.cpu or self.median <= 0:
            return None
        return self.units / self.median


def not_measured(reason: str) -> Timing:
    return Timing(reason=reason)


@dataclass(frozen=True, slots=True)
class Figure:
    """A rate in wall-clock units per second (bench/merging.py, api_rates.py and
    importing.py still report these; run.py's rows are Timings)."""

    rate: float | None  # None: not measured (the note says why)
    peak_mb: float | None
    note: str = ""
    p99_ms: float | None = None  # API rows only


def missing(reason: str) -> Figure:
    return Figure(rate=None, peak_mb=None, note=reason)


def own_peak_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def cpu_runs(work: Callable[[], object], runs: int) -> list[float]:
    """CPU seconds of this process for each of ``runs`` calls of ``work``."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return times


@dataclass(frozen=True, slots=True)
class CommandRun:
    cpu: float
    peak_mb: float
    wall: float
    stdout: str


def run_command(argv: Sequence[str], env: Mapping[str, str] | None = None,
                cwd: Path | None = None) -> CommandRun:
    """One run of a command: its CPU seconds and peak memory as the kernel counted them
    for it and the children it waited for. A failed run stops the benchmark."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(argv), stdout=out, stderr=err, cwd=cwd,
                                   env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n"
                             f"{err.read()[-2000:]}")
        return CommandRun(cpu_seconds(usage), usage.ru_maxrss / 1024, wall, out.read())


def command_runs(argv: Sequence[str], runs: int, units: int, note: str,
                 before: Callable[[int], None] = lambda _: None,
                 env: Mapping[str, str] | None = None,
                 found: Callable[[str], str] | None = None) -> Timing:
    """``runs`` fresh runs of a command (``before(n)`` readies run n's input);
    ``found(stdout)`` of the last run says what it produced, added to the note."""
    done = []
    for n in range(runs):
        before(n)
        done.append(run_command(argv, env))
    if found is not None:
        note = f"{note}; {found(done[-1].stdout)}"
    return Timing([d.cpu for d in done], units, max(d.peak_mb for d in done), note)


def proc_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) another process has used: /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status_mb(pid: int, field_name: str) -> float:
    """A memory line of /proc/PID/status (VmRSS now, VmHWM the peak), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no {field_name} in /proc/{pid}/status")
