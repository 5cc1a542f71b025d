"""A throwaway PostgreSQL server with PostGIS for the test run, on loopback.

Started once per test session from Debian's packages (postgresql, postgresql-15-postgis-3;
`.ci/run` installs them): initdb into a temporary folder, pg_ctl start on a free port,
a template database with PostGIS from which each test's database is copied. When the
binaries are missing or the server will not start, `reason` says why and the tests that
need it are skipped with that message.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

TEMPLATE = "trucewatch_template"


class PostgresServer:
    def __init__(self) -> None:
        self.reason: str | None = None
        self.port = 0
        self.folder: Path | None = None
        self._bin: Path | None = None
        self._count = 0

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            self.reason = ("PostgreSQL is not installed (Debian: apt-get install postgresql "
                           "postgresql-15-postgis-3; .ci/run does it)")
            return
        self._bin = Path(found[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="trucewatch-pg-"))
        self.port = _free_port()
        try:
            self._run_as_owner([str(self._bin / "initdb"), "-D", str(self.folder / "data"),
                                "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                "--locale=C.UTF-8"])
            self._run_as_owner([
                str(self._bin / "pg_ctl"), "-D", str(self.folder / "data"), "-w", "-t", "60",
                "-l", str(self.folder / "server.log"), "-o",
                f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start"])
            self._sql("postgres", f"CREATE DATABASE {TEMPLATE}")
            self._sql(TEMPLATE, "CREATE EXTENSION postgis")
        except (subprocess.CalledProcessError, OSError) as exc:
            log = self.folder / "server.log"
            detail = log.read_text(errors="replace")[-500:] if log.exists() else ""
            output = getattr(exc, "stderr", None) or getattr(exc, "output", None) or ""
            self.reason = f"PostgreSQL did not start: {exc} {output} {detail}".strip()
            self.stop()

    def stop(self) -> None:
        if self._bin and self.folder and (self.folder / "data" / "postmaster.pid").exists():
            subprocess.run(self._as_owner([str(self._bin / "pg_ctl"), "-D",
                                           str(self.folder / "data"), "-m", "immediate",
                                           "stop"]), capture_output=True, check=False)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- databases ---------------------------------------------------------------------------

    def new_database(self, template: str = TEMPLATE) -> str:
        """A fresh database with PostGIS (a copy of ``template``); its SQLAlchemy URL."""
        self._count += 1
        name = f"trucewatch_test_{os.getpid()}_{self._count}"
        self._sql("postgres", f"CREATE DATABASE {name} TEMPLATE {template}")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def _sql(self, database: str, statement: str) -> None:
        assert self._bin is not None
        subprocess.run([str(self._bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-q",
                        "-c", statement], check=True, capture_output=True, text=True)

    # --- running as the owner of the data folder ----------------------------------------------

    def _run_as_owner(self, command: list[str]) -> None:
        subprocess.run(self._as_owner(command), check=True, capture_output=True, text=True)

    def _as_owner(self, command: list[str]) -> list[str]:
        """PostgreSQL refuses to run as root: as root, run it as the postgres account."""
        if os.geteuid() != 0:
            return command
        assert self.folder is not None
        account = pwd.getpwnam("postgres")
        os.chown(self.folder, account.pw_uid, account.pw_gid)
        return ["runuser", "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

