"""Opening a store's database by URL, and bringing its schema up to date.

``sqlite:///path`` opens (or creates) an SQLite file in WAL mode, so readers
never wait for writers and one writer at a time holds the write lock for the
few milliseconds of its transaction; ``postgresql://…`` connects through
psycopg 3. Every write runs in a transaction that takes its locks first
(SQLite's ``BEGIN IMMEDIATE``; PostgreSQL's row locks), so concurrent writers
wait their turn instead of failing half-way.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from campaignkit.i18n.catalogue import Phrase, os_error
from campaignkit.store.errors import StoreError

__all__ = ["BUSY_TIMEOUT_S", "WRITE", "connect", "migrate", "revision", "shown", "writer_queue"]

BUSY_TIMEOUT_S = 60.0
"""How long an SQLite writer waits for the write lock (and in the writers' queue before it,
see :func:`writer_queue`) before it gives up."""

WRITE = "campaignkit_write"
"""Execution option on a connection whose next transaction writes (SQLite takes the write
lock when it begins)."""

_MIGRATIONS = "campaignkit.store:migrations"


_MIGRATION_LOCK = 0x636B5354  # "ckST": one migrating process at a time on a server


def shown(url: str | sa.URL) -> str:
    """``url`` as it may be shown: without its password, given in the user part or as a
    ``password`` query parameter (what cannot be parsed shows as its scheme alone)."""
    try:
        parsed = sa.make_url(url) if isinstance(url, str) else url
    except sa.exc.ArgumentError:
        scheme = str(url).partition(":")[0]
        return f"{scheme}:…"
    query = {k: v for k, v in parsed.query.items() if k.lower() != "password"}
    return parsed.set(query=query).render_as_string(hide_password=True)


def _refused(url: str, why: Phrase) -> StoreError:
    """The error that the store at ``url`` cannot be opened, for ``why``."""
    return StoreError(Phrase("store-cannot-open", {"url": shown(url), "why": why}))


def _url(url: str) -> sa.URL:
    """``url`` parsed, its scheme in lower case (``SQLITE:///a.db`` is ``sqlite:///a.db``);
    a URL of another database, or an SQLite URL with query arguments (the store sets
    its connection's options itself, and would ignore them), is refused."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise _refused(url, Phrase("store-url-unreadable")) from None
    backend, _, driver = parsed.drivername.lower().partition("+")
    if backend == "postgres":
        backend = "postgresql"
    if backend == "postgresql":  # psycopg 3 unless another driver is named
        driver = driver or "psycopg"
    elif backend != "sqlite":
        raise _refused(url, Phrase("store-url-scheme", {"scheme": backend}))
    elif parsed.query:
        names = ", ".join(sorted(parsed.query))
        raise _refused(url, Phrase("store-url-query", {"names": names}))
    return parsed.set(drivername=f"{backend}+{driver}" if driver else backend)


def _engine(url: str, parsed: sa.URL, **options: Any) -> Engine:
    """An engine for ``parsed``; a driver that is not installed is refused, named."""
    try:
        return sa.create_engine(parsed, **options)
    except sa.exc.NoSuchModuleError:
        backend, _, driver = parsed.drivername.partition("+")
        raise _refused(
            url, Phrase("store-url-driver", {"backend": backend, "driver": driver})
        ) from None


def connect(url: str, *, create: bool = True) -> Engine:
    """An engine for the store at ``url`` (``sqlite:///file.db`` or ``postgresql://…``).

    An SQLite file that does not exist is created (with its folder) only with ``create``;
    else ``FileNotFoundError`` names it. A URL no store is opened by (another database, an
    SQLite URL with query arguments, a driver not installed) raises
    :class:`~campaignkit.store.errors.StoreError`."""
    parsed = _url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            path = Path(database).expanduser()
            if not create and not path.is_file():
                raise FileNotFoundError(str(path))
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = _engine(
            url, parsed, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi: Any, _record: object) -> None:
            dbapi.isolation_level = None  # transactions are begun below, explicitly
            cursor = dbapi.cursor()
            if create:  # (a store keeps its WAL mode; a file only read is left as it is)
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            writes = conn.get_execution_options().get(WRITE, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

        return engine
    return _engine(url, parsed, pool_pre_ping=True)  # PostgreSQL: _url took no other


def _config(conn: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", _MIGRATIONS)
    config.attributes["connection"] = conn
    return config


def migrate(engine: Engine, target: str = "head") -> None:
    """Bring the schema to ``target`` (the latest revision by default), one migration at a
    time, each in its own transaction."""
    from alembic import command

    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE: True})
        postgres = engine.dialect.name == "postgresql"
        if postgres:  # processes opening a new store at once migrate one after the other
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK})")
            conn.commit()
        try:
            command.upgrade(_config(conn), target)  # reads the revision again: no-op if done
            conn.commit()
        finally:
            if postgres:
                conn.rollback()
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK})")
                conn.commit()


def revision(engine: Engine) -> str | None:
    """The schema revision of the store (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        found = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        return found


@contextmanager
def writer_queue(engine: Engine, wait: float | None = None) -> Iterator[None]:
    """Hold the store's writer lock while a write transaction runs (SQLite files only).

    SQLite lets one writer in at a time, and a writer kept out retries after sleeps that
    grow (its busy handler): with many writers, one may lose the race again and again and
    wait seconds. Writers therefore queue first on an advisory lock of the file
    ``<store>-writers`` (``flock``), which wakes the next writer the moment the lock is
    let go, and the system lets go of a killed writer's lock. Where ``flock`` does not
    exist, and on PostgreSQL (row locks queue writers), nothing is held.

    A writer waits in the queue at most ``wait`` seconds (:data:`BUSY_TIMEOUT_S`, as
    long as SQLite's own wait, by default), then raises
    :class:`~campaignkit.store.errors.StoreError` (``store-queue-timeout``) and writes
    nothing: a writer that holds the lock and never lets go (a stopped process) does not
    hang the others.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a POSIX system
        yield
        return
    path = f"{database}-writers"
    seconds = BUSY_TIMEOUT_S if wait is None else wait
    try:
        lock = _queued(path, seconds)
    except OSError as exc:  # a folder of that name, no permission …: nothing written
        raise StoreError(
            Phrase("store-lock-failed", {"lock": path, "why": os_error(exc)})
        ) from None
    if lock is None:
        raise StoreError(Phrase("store-queue-timeout", {"seconds": f"{seconds:g}", "lock": path}))
    with lock:
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _queued(path: str, seconds: float) -> BinaryIO | None:
    """The lock file at ``path``, open and locked (``flock``, exclusive), after waiting in
    its queue at most ``seconds``; None if the lock was not had in time.

    The wait is a blocking ``flock`` (which wakes the next writer the moment the lock is
    let go) in a helper thread of its own, so that it can be given up. A helper that gets
    the lock after it was given up lets it go at once.
    """
    import fcntl

    lock = open(path, "a+b")  # noqa: SIM115 - handed to the caller, or closed here
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return lock
    except BlockingIOError:
        pass
    except BaseException:
        lock.close()
        raise
    guard = threading.Lock()
    had = threading.Event()
    given_up: list[bool] = []
    failed: list[OSError] = []

    def queue() -> None:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        except OSError as exc:
            with guard:
                failed.append(exc)
                had.set()
            return
        with guard:  # the writer has it, or gave up and it is let go: decided under guard
            if given_up:
                lock.close()  # lets the lock go
                return
            had.set()

    threading.Thread(target=queue, name="campaignkit: writer queue", daemon=True).start()
    had.wait(seconds)
    with guard:
        if had.is_set() and not failed:
            return lock
        given_up.append(True)
    if failed:  # the helper is done with it
        lock.close()
        raise failed[0]
    return None
