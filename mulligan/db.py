"""Relational storage: one engine per daemon, SQLite or PostgreSQL.

SQLite runs in WAL mode with a busy timeout. Its write transactions begin
with ``BEGIN IMMEDIATE`` so that two writers queue on the database lock
instead of failing half-way when a read lock cannot be upgraded; read-only
sessions use a deferred ``BEGIN`` so readers never wait for writers.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, orm
from sqlalchemy.engine import make_url

from mulligan.errors import StartupError
from mulligan.files import keep_private

SQLITE_BUSY_TIMEOUT_MS = 30_000
_READ_ONLY = "mulligan_read_only"
_AFTER_COMMIT = "mulligan_after_commit"


class Database:
    """The engine plus session factories that know read from write."""

    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        try:
            parsed = make_url(url)
        except sa.exc.ArgumentError:
            raise StartupError(f"database URL {url!r} is not valid") from None
        self.url = parsed
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(parsed)
        elif self.dialect == "postgresql":
            self.engine = sa.create_engine(parsed, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        else:
            raise StartupError(f"database {self.dialect!r} is not supported: use sqlite or postgresql")
        self._sessions = orm.sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextlib.contextmanager
    def write(self) -> Iterator[orm.Session]:
        """A session in one transaction, committed on success."""
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[orm.Session]:
        """A session for queries only; its transaction ends with the block."""
        # Closing (not rolling back) ends the transaction without expiring
        # what was loaded, so objects stay readable after the block.
        with self._sessions() as session:
            session.connection(execution_options={_READ_ONLY: True})
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    def describe(self) -> str:
        """The URL without its password, safe for logs."""
        return self.url.render_as_string(hide_password=True)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A point in time, always timezone-aware UTC in Python.

    SQLite keeps no zone and hands back naive values; storing UTC only and
    re-attaching the zone on the way out makes both databases behave alike
    (and keeps SQLite's text timestamps ordered as times are). A naive value
    is refused: guessing its zone is how timestamps go wrong silently.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def after_commit(session: orm.Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's outermost transaction commits.

    Work that touches other stores (the embedded key/value store shares the
    database) must wait for the real commit: SQLAlchemy also reports the end
    of a SAVEPOINT as a commit, while the outer transaction still holds the
    database lock. A rollback drops the callbacks.
    """
    pending: list[Callable[[], None]] | None = session.info.get(_AFTER_COMMIT)
    if pending is None:
        pending = session.info[_AFTER_COMMIT] = []
        event.listen(session, "after_commit", _run_after_commit)
        event.listen(session, "after_rollback", _drop_after_commit)
    pending.append(callback)


def _run_after_commit(session: orm.Session) -> None:
    # Reported while the SAVEPOINT is still the current transaction.
    if session.in_nested_transaction():
        return
    pending: list[Callable[[], None]] = session.info.get(_AFTER_COMMIT, [])
    callbacks = list(pending)
    pending.clear()
    for callback in callbacks:
        callback()


def _drop_after_commit(session: orm.Session) -> None:
    if not session.in_nested_transaction():
        session.info.get(_AFTER_COMMIT, []).clear()


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    database = url.database or ""
    if database and database != ":memory:":
        path = Path(database).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        # SQLite gives its -wal and -shm files the database file's mode, so
        # a private database keeps them private too.
        keep_private(path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")))
    engine = sa.create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        pool_size=20,
        max_overflow=20,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _switch_to_wal(cursor)
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        if connection.get_execution_options().get(_READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _switch_to_wal(cursor: Any) -> None:
    """WAL mode, also for a database file in rollback-journal mode (one
    copied from elsewhere, say). Two processes opening such a file at once
    both try to switch it; SQLite answers one "database is locked" at once,
    without waiting (each holds what the other needs), so that one tries
    again until the busy timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
