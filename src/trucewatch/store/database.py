"""Engine, sessions and migrations for a store URL (SQLite file by default)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property, lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from trucewatch.errors import InputError, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"


# The URL forms --db and TRUCEWATCH_DATABASE_URL accept, for the message that refuses others.
ACCEPTED_URLS = ("sqlite:///PATH (a file; sqlite:////abs/path for an absolute one)",
                 "postgresql://USER[:PASSWORD]@HOST[:PORT]/DB")
# How long a writer waits for another to finish before giving up: a cron `watch --once`
# and an analyst's `ingest` on one SQLite file take turns instead of failing. A URL's own
# ?timeout=N wins.
BUSY_TIMEOUT_SECONDS = 30.0


def normalise_url(url: str) -> str:
    """The SQLAlchemy URL for a database URL as people write it: postgresql:// and
    postgres:// go to psycopg 3 (the driver the postgres extra installs, not SQLAlchemy's
    psycopg2 default); anything but SQLite or PostgreSQL is refused, naming the problem."""
    shown = _hide_password(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        why = " (its port is not a number)" if "int()" in str(exc) else ""
        raise InputError("database_url", f"{shown!r} is not a database URL{why}; accepted: "
                         + "; ".join(ACCEPTED_URLS)) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # no host: the local socket
        return parsed.render_as_string(hide_password=False)
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if parsed.database in (None, "", ":memory:"):
            raise InputError("database_url", f"{shown!r} names no file (a ledger in memory would "
                             "vanish when the command ends); accepted: "
                             + "; ".join(ACCEPTED_URLS))
        return url
    raise InputError("database_url", f"{shown!r}: trucewatch stores its ledger in SQLite or "
                     f"PostgreSQL, not {parsed.drivername}; accepted: "
                     + "; ".join(ACCEPTED_URLS))


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL or an in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):
        return None  # a SQLite URI (?uri=true): left to SQLite
    return Path(parsed.database)


def url_for_people(url: str) -> str:
    """A URL to print: its password hidden; a SQLite URL as its file."""
    path = sqlite_file(url) if _parses(url) else None
    return str(path) if path is not None else _hide_password(url)


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    options: dict[str, object] = {}
    if make_url(url).get_backend_name() == "sqlite" and "timeout" not in make_url(url).query:
        options["connect_args"] = {"timeout": BUSY_TIMEOUT_SECONDS}
    try:
        engine = create_engine(url, future=True, **options)
    except ModuleNotFoundError as exc:
        raise StoreError(f"{_hide_password(url)} needs the {exc.name} driver: "
                         "pip install 'trucewatch[postgres]'") from exc
    except (SQLAlchemyError, ValueError) as exc:
        raise StoreError(f"bad database URL {_hide_password(url)!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    # 16 KiB pages (SQLite's default is 4): a dataset import stores rows 15% faster. Only
    # a new, empty file takes it; an existing one keeps its size. Set before WAL, which
    # fixes the page size of the file it starts.
    cursor.execute("PRAGMA page_size=16384")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
    cursor.close()
    # SQLite's lower() folds ASCII letters only; a search for 'DŪMĀ' must find 'Dūmā'
    # as on PostgreSQL (case-insensitive LIKE is lower() on both sides).
    dbapi_connection.create_function(  # type: ignore[attr-defined]
        "lower", 1, _lower, deterministic=True)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (creates it when empty)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_current(engine: Engine) -> bool:
    head = _head(str(MIGRATIONS), (MIGRATIONS / "versions").stat().st_mtime_ns)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision() == head
    except SQLAlchemyError as exc:
        raise StoreError(describe_error(exc, engine.url.render_as_string(
            hide_password=False))) from exc


@lru_cache(maxsize=4)
def _head(location: str, _versions_changed: int) -> str | None:
    """The newest migration. Reading it compiles every migration file (80 ms), and the
    service checks before each write (a backfill's load, once per report), so it is kept
    until a file is added to or removed from the versions folder."""
    config = Config()
    config.set_main_option("script_location", location)
    return ScriptDirectory.from_config(config).get_current_head()


class Database:
    """A store URL with its engine and session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def init(self) -> None:
        upgrade(self.engine)
        self.__dict__.pop("spatial", None)

    @cached_property
    def spatial(self) -> bool:
        """Is this a PostgreSQL store with PostGIS? Then spatial filters run in PostGIS."""
        if self.engine.dialect.name != "postgresql":
            return False
        with self.engine.connect() as connection:
            return bool(connection.exec_driver_sql(
                "SELECT 1 FROM pg_extension WHERE extname = 'postgis'").first())

    def require_ledger(self) -> None:
        """Refuse a SQLite file that does not exist, before connecting would create it:
        a command that reads the ledger must not leave an empty file behind."""
        path = sqlite_file(self.url)
        if path is not None and not path.exists():
            raise StoreError(f"no ledger at {path.absolute()}; run 'trucewatch init' first to "
                             "make one there, or name another database URL")

    def require_current(self) -> None:
        self.require_ledger()
        if not is_current(self.engine):
            raise StoreError(
                f"the database {self.url} is not initialised or is out of date; "
                "run 'trucewatch init' first"
            )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed whole, or rolled back whole."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()


def describe_error(exc: BaseException, url: str) -> str:
    """One line for a database fault the user can act on: what happened to which ledger,
    and what to do. The command line prints it instead of a traceback."""
    where = sqlite_file(url) if _parses(url) else None
    name = str(where) if where is not None else _hide_password(url)
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(
        original).__name__
    lowered = text.lower()
    if "database is locked" in lowered or "database is busy" in lowered \
            or "database table is locked" in lowered:
        waited = _busy_timeout(url)
        return (f"{name}: another process holds the ledger (it kept writing longer than the "
                f"{waited:g} s this command waits); try again when it is done")
    if "database or disk is full" in lowered or "no space left" in lowered \
            or "disk full" in lowered:
        return (f"{name}: the disk is full; the write under way was rolled back, what was "
                "stored before it is whole. Free some space and run the command again")
    if "readonly database" in lowered or "read-only" in lowered:
        return (f"{name}: the ledger is read-only here; give this user write access to the "
                "file and its folder (SQLite writes a journal beside it), or use a copy")
    if "file is not a database" in lowered or "file is encrypted" in lowered:
        return (f"{name}: not a trucewatch ledger (the file is not a SQLite database, or its "
                "header is damaged); check --db, or restore the file from a backup")
    if "malformed" in lowered or "disk i/o error" in lowered or "corrupt" in lowered:
        return (f"{name}: the ledger is damaged ({text}); run 'trucewatch doctor' to see "
                "where, and restore it from a backup")
    if "unable to open database file" in lowered:
        folder = where.parent if where is not None else None
        return (f"{name}: cannot open the ledger; check that the folder "
                f"{folder if folder is not None else ''} exists and this user may write in it")
    if "password authentication failed" in lowered or ("role" in lowered \
            and "does not exist" in lowered):
        return f"{name}: the server refused the login ({text}); check the user and password"
    if "does not exist" in lowered and "database" in lowered:
        return f"{name}: {text}; create the database on the server, then run 'trucewatch init'"
    if "connection refused" in lowered or "could not connect" in lowered \
            or "connection is bad" in lowered or "server on socket" in lowered \
            or "could not translate host name" in lowered or "timeout expired" in lowered \
            or "connection failed" in lowered:
        return (f"{name}: cannot reach the database server ({text}); check the host, the port "
                "and that the server is running")
    if "no such table" in lowered or "undefinedtable" in lowered:
        return (f"{name}: the ledger has no {text.rsplit(' ', 1)[-1]} table; run "
                "'trucewatch init' to bring it to the newest schema")
    return (f"{name}: database error: {text}; run 'trucewatch doctor', or again with --debug "
            "for the details")


def _busy_timeout(url: str) -> float:
    try:
        return float(make_url(url).query.get("timeout", BUSY_TIMEOUT_SECONDS))  # type: ignore[arg-type]
    except (ArgumentError, ValueError, TypeError):
        return BUSY_TIMEOUT_SECONDS


def _parses(url: str) -> bool:
    try:
        make_url(url)
    except (ArgumentError, ValueError):
        return False
    return True
