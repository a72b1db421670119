"""Schema migrations, applied by the daemon at start (no admin command).

Each module lists ordered, forward-only steps. At start the daemon creates
the database if it is missing, takes a lock that every daemon sharing the
database respects (a PostgreSQL advisory lock, or a file lock beside a
SQLite file), and applies each step not yet recorded in ``schema_versions``
in its own transaction together with its record. A module whose recorded
version is newer than this code knows stops the start: running old code on
a newer schema could corrupt it.

Steps describe their tables with SQLAlchemy Core inside the step, never by
importing today's models: a step must do the same thing forever.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy_utils

from mulligan.db import Database
from mulligan.errors import StartupError
from mulligan.files import keep_private

log = logging.getLogger("mulligan.migrate")

# Any fixed 64-bit number works; it only has to be the same in every daemon.
_ADVISORY_LOCK_KEY = 0x6D756C6C6967616E  # "mulligan"

_metadata = sa.MetaData()
schema_versions = sa.Table(
    "schema_versions",
    _metadata,
    sa.Column("module", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("description", sa.String(255), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("module", "version", name="pk_schema_versions"),
)


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    apply: Callable[[sa.Connection], None]


@dataclass(frozen=True)
class Migrations:
    """One module's steps; versions start at 1 and have no gaps."""

    module: str
    steps: Sequence[Step]

    def __post_init__(self) -> None:
        versions = [step.version for step in self.steps]
        if versions != list(range(1, len(versions) + 1)):
            raise ValueError(f"{self.module}: step versions must be 1..n in order, got {versions}")

    @property
    def latest(self) -> int:
        return len(self.steps)


class SchemaTooNew(StartupError):
    pass


@dataclass(frozen=True)
class Applied:
    module: str
    version: int
    description: str


def ensure_database(database: Database) -> None:
    """Create the database itself when it does not exist yet."""
    try:
        if database.is_sqlite:
            with database.engine.connect():
                return
        if not sqlalchemy_utils.database_exists(database.url):
            try:
                sqlalchemy_utils.create_database(database.url)
                log.info("created database", extra={"database": database.describe()})
            except (sa.exc.IntegrityError, sa.exc.ProgrammingError):
                # Another daemon starting at the same moment created it first.
                if not sqlalchemy_utils.database_exists(database.url):
                    raise
    except sa.exc.OperationalError as exc:
        raise StartupError(f"cannot reach database {database.describe()}: {_first_line(exc.orig or exc)}") from None


def migrate(database: Database, modules: Sequence[Migrations]) -> list[Applied]:
    """Bring every module's schema to the latest step; return what was applied."""
    ensure_database(database)
    applied: list[Applied] = []
    with _migration_lock(database):
        with database.engine.begin() as connection:
            _metadata.create_all(connection, tables=[schema_versions], checkfirst=True)
        for module in modules:
            applied.extend(_migrate_module(database, module))
    return applied


def recorded_versions(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            sa.select(schema_versions.c.module, sa.func.max(schema_versions.c.version)).group_by(
                schema_versions.c.module
            )
        )
        return {module: version for module, version in rows}


def _migrate_module(database: Database, module: Migrations) -> list[Applied]:
    with database.engine.connect() as connection:
        done = set(
            connection.scalars(sa.select(schema_versions.c.version).where(schema_versions.c.module == module.module))
        )
    newest = max(done, default=0)
    if newest > module.latest:
        raise SchemaTooNew(
            f"database schema of module {module.module!r} is at version {newest} but this "
            f"mulligand knows only up to {module.latest}: upgrade mulligand"
        )
    applied = []
    for step in module.steps:
        if step.version in done:
            continue
        with database.engine.begin() as connection:
            step.apply(connection)
            connection.execute(
                schema_versions.insert().values(
                    module=module.module,
                    version=step.version,
                    description=step.description,
                    applied_at=datetime.now(UTC),
                )
            )
        log.info(
            "applied migration",
            extra={"schema_module": module.module, "version": step.version, "step": step.description},
        )
        applied.append(Applied(module.module, step.version, step.description))
    return applied


@contextlib.contextmanager
def _migration_lock(database: Database) -> Iterator[None]:
    if database.dialect == "postgresql":
        with database.engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_LOCK_KEY})
                connection.commit()
        return
    path = database.url.database
    if not path or path == ":memory:":
        yield
        return
    lock_path = Path(path).expanduser().with_name(Path(path).name + ".migrate-lock")
    keep_private(lock_path)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
