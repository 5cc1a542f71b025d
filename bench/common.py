"""What every measure returns, and how its peak memory is read.

Each side of a comparison runs in a fresh process (see run.py), so the peak resident
memory a measure reports is that side's alone: the process's high-water mark.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Figure:
    """One side's result: ``rate`` units per second, its peak memory, a short note."""

    rate: float | None  # None: not measured (the note says why)
    peak_mb: float | None
    note: str = ""
    p99_ms: float | None = None  # API rows only


def own_peak_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def status_mb(pid: int, field: str) -> float:
    """A memory line of /proc/PID/status (VmRSS now, VmHWM the peak), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no {field} in /proc/{pid}/status")


def missing(reason: str) -> Figure:
    return Figure(rate=None, peak_mb=None, note=reason)
