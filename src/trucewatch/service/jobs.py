"""Long answers made in the background: a briefing's PDF is asked for, made by a worker
thread while the page polls its status, and kept.

A job's id names what it makes and the ledger version it reads (service/caching.py), so
asking again for the same briefing of the same ledger finds the same job, and a changed
ledger makes a new one. Finished files are written under a folder (the server's
cache_dir) so that every worker process of one server finds them; the statuses of jobs
still running are each process's own, and a process asked about a job it does not know
starts it itself (the id says what to make).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trucewatch.errors import InputError, TrucewatchError

log = logging.getLogger("trucewatch.jobs")

MAX_WAITING = 8  # jobs queued or running at once, per process
MAX_KEPT = 64  # finished jobs remembered, per process
KEEP_SECONDS = 86_400  # finished files kept on disk


class Busy(TrucewatchError):
    http_status = 429
    code = "too_many_requests"

    def __init__(self) -> None:
        self.retry_after = 30
        super().__init__(f"{MAX_WAITING} briefings are being made already; try again in "
                         "30 seconds")


@dataclass(slots=True)
class Job:
    id: str
    kind: str
    params: dict[str, Any]
    status: str = "queued"  # queued, running, done, failed
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    error: str | None = None
    path: Path | None = None  # the file made, when done


def job_id(kind: str, params: dict[str, Any], version: int | None) -> str:
    """What the job makes, readable back (``parse_id``), and a digest binding it to the
    ledger version."""
    body = json.dumps([kind, params, version], sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(body.encode()).hexdigest()[:12]
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=") + "." + digest


def parse_id(text: str) -> tuple[str, dict[str, Any], int | None]:
    """The kind, parameters and version a job id names; InputError when it is not one."""
    try:
        body, digest = text.rsplit(".", 1)
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
        kind, params, version = json.loads(raw)
        if hashlib.sha256(raw.encode()).hexdigest()[:12] != digest \
                or not isinstance(kind, str) or not isinstance(params, dict):
            raise ValueError(text)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise InputError("job", f"{text[:80]!r} is not a job id this server made") from None
    return kind, params, version


class Jobs:
    """Background jobs of one process, made by one worker thread (two briefings at once
    would only share the same two cores)."""

    def __init__(self, folder: Path | None = None, scope: str = "") -> None:
        """``scope`` names the ledger (its URL): files made for one ledger are never
        found for another at the same version."""
        self.folder = folder or Path(tempfile.gettempdir()) / "trucewatch-jobs"
        self.scope = scope
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def submit(self, kind: str, params: dict[str, Any], version: int | None,
               make: Callable[[], bytes], suffix: str) -> Job:
        """The job making ``make()``'s bytes for these parameters at this version: the one
        already asked for, or a new one queued."""
        identifier = job_id(kind, params, version)
        with self._lock:
            job = self._jobs.get(identifier)
            if job is not None and job.status != "failed":
                return job
            finished = self._file(identifier, suffix)
            if finished.exists():  # another process of this server made it
                job = Job(identifier, kind, params, "done", path=finished,
                          finished_at=datetime.fromtimestamp(finished.stat().st_mtime, UTC))
                self._remember(job)
                return job
            if sum(j.status in ("queued", "running") for j in self._jobs.values()) \
                    >= MAX_WAITING:
                raise Busy()
            job = Job(identifier, kind, params)
            self._remember(job)
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="trucewatch-job")
            self._executor.submit(self._run, job, make, finished)
            return job

    def get(self, identifier: str) -> Job | None:
        with self._lock:
            return self._jobs.get(identifier)

    def wait(self, job: Job, timeout: float) -> Job:
        """Block until the job is done or failed, or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while job.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.05)
        return job

    def stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _run(self, job: Job, make: Callable[[], bytes], target: Path) -> None:
        job.status = "running"
        try:
            data = make()
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(target.suffix + f".{os.getpid()}.part")
            partial.write_bytes(data)
            partial.replace(target)  # whole files only, whoever reads
            self._prune(target.suffix)
            job.path = target
            job.status = "done"
        except TrucewatchError as exc:
            job.error = str(exc)
            job.status = "failed"
        except Exception as exc:  # logged; the status says it failed, not how
            log.exception("job %s failed", job.id)
            job.error = f"the server failed to make it ({type(exc).__name__}); it is logged"
            job.status = "failed"
        job.finished_at = datetime.now(UTC)

    def _prune(self, suffix: str) -> None:
        """Files older than a day are for ledgers as they were: removed."""
        cutoff = time.time() - KEEP_SECONDS
        for old in self.folder.glob(f"*{suffix}"):
            try:
                if old.stat().st_mtime < cutoff:
                    old.unlink()
            except OSError:
                pass  # another process removed it first

    def _file(self, identifier: str, suffix: str) -> Path:
        name = hashlib.sha256(f"{self.scope}\n{identifier}".encode()).hexdigest()[:32]
        return self.folder / f"{name}{suffix}"

    def _remember(self, job: Job) -> None:
        self._jobs[job.id] = job
        self._jobs.move_to_end(job.id)
        while len(self._jobs) > MAX_KEPT:
            oldest = next(iter(self._jobs))
            if self._jobs[oldest].status in ("queued", "running"):
                break
            self._jobs.popitem(last=False)
