"""A month's PDF briefing over a filled ledger (issue 18: ready in < 3 s): the briefing
built (SQL counts, the listed incidents loaded) and printed, three runs in this process,
CPU seconds and wall seconds, min and median. WeasyPrint's import (once per process;
`trucewatch serve` makes it at start, so a server's first briefing does not pay it) is
made before the runs and printed on its own line. bench/serving.py times the same month
through a server: asked for, made in the background, polled until ready.

    .venv/bin/python bench/briefing.py --db sqlite:////path/ledger.db \\
        [--from 2017-07-01] [--to 2017-07-31] [--zone ID] [--runs 3]

Fill a ledger with bench/serving.py --keep DIR (its ledger.db) or bench/import_acled.py.
The machine's load average is printed too: on a busy machine wall time is not CPU time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from datetime import date


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description="A month's PDF briefing, timed.")
    parser.add_argument("--db", required=True, help="database URL of a filled ledger")
    parser.add_argument("--from", dest="first", type=date.fromisoformat,
                        default=date(2017, 7, 1))
    parser.add_argument("--to", dest="last", type=date.fromisoformat,
                        default=date(2017, 7, 31))
    parser.add_argument("--zone")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    from trucewatch.publish.briefing import pdf_bytes
    from trucewatch.service import Ledger

    ledger = Ledger(options.db)
    started = _cpu()
    import weasyprint  # noqa: F401

    print(f"weasyprint import: {_cpu() - started:.2f} s CPU (once per process)")
    build_cpu, print_cpu, total_cpu, walls = [], [], [], []
    pages = listed = counted = 0
    for _ in range(options.runs):
        cpu0, wall0 = _cpu(), time.perf_counter()
        briefing = ledger.briefing(options.first, options.last, options.zone)
        cpu1 = _cpu()
        _, pages = pdf_bytes(briefing)
        cpu2, wall2 = _cpu(), time.perf_counter()
        build_cpu.append(cpu1 - cpu0)
        print_cpu.append(cpu2 - cpu1)
        total_cpu.append(cpu2 - cpu0)
        walls.append(wall2 - wall0)
        listed, counted = len(briefing.entries), len(briefing.entries) + briefing.more
    load = os.getloadavg()[0]
    print(f"briefing {options.first}..{options.last}: {counted} incidents counted, "
          f"{listed} listed, {pages} pages; load average {load:.1f} on {os.cpu_count()} cores")
    for what, values in (("build CPU", build_cpu), ("print CPU", print_cpu),
                         ("total CPU", total_cpu), ("total wall", walls)):
        print(f"  {what:<10} min {min(values):.2f} s  median {statistics.median(values):.2f} s"
              f"  (target: ready in < 3 s)")


if __name__ == "__main__":
    main()
