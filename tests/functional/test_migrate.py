"""Auto-migration: empty to current, older to current, newer refused, racing daemons."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from mulligan import daemon as daemon_mod
from mulligan.db import Database
from mulligan.migrate import Migrations, SchemaTooNew, Step, migrate, recorded_versions

_ledger = sa.Table("demo_ledger", sa.MetaData(), sa.Column("step", sa.Integer, nullable=False))


def _create_widgets(conn: sa.Connection) -> None:
    meta = sa.MetaData()
    sa.Table("demo_widgets", meta, sa.Column("id", sa.String(36), primary_key=True))
    _ledger.to_metadata(meta)
    meta.create_all(conn)
    conn.execute(_ledger.insert().values(step=1))


def _add_colour(conn: sa.Connection) -> None:
    conn.execute(sa.text("ALTER TABLE demo_widgets ADD COLUMN colour VARCHAR(20)"))
    conn.execute(_ledger.insert().values(step=2))


def _add_size(conn: sa.Connection) -> None:
    conn.execute(sa.text("ALTER TABLE demo_widgets ADD COLUMN size INTEGER"))
    conn.execute(_ledger.insert().values(step=3))


V1 = Migrations("demo", [Step(1, "widgets", _create_widgets)])
V3 = Migrations("demo", [*V1.steps, Step(2, "colour", _add_colour), Step(3, "size", _add_size)])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.db'}"
    value: str = request.getfixturevalue("postgres_url_uncreated")
    return value


def _columns(database: Database) -> set[str]:
    return {c["name"] for c in sa.inspect(database.engine).get_columns("demo_widgets")}


def _ledger_steps(database: Database) -> list[int]:
    with database.engine.connect() as conn:
        return sorted(conn.scalars(sa.select(_ledger.c.step)))


def test_empty_database_is_created_and_brought_to_current(url: str) -> None:
    database = Database(url)
    applied = migrate(database, [V3])
    assert [(a.module, a.version) for a in applied] == [("demo", 1), ("demo", 2), ("demo", 3)]
    assert {"id", "colour", "size"} <= _columns(database)
    assert recorded_versions(database) == {"demo": 3}
    assert migrate(database, [V3]) == []
    database.dispose()


def test_older_database_is_brought_forward(url: str) -> None:
    database = Database(url)
    migrate(database, [V1])
    assert recorded_versions(database) == {"demo": 1}
    applied = migrate(database, [V3])
    assert [a.version for a in applied] == [2, 3]
    assert _ledger_steps(database) == [1, 2, 3]
    database.dispose()


def test_newer_database_refuses_to_start(url: str) -> None:
    database = Database(url)
    migrate(database, [V3])
    with pytest.raises(SchemaTooNew, match="module 'demo' is at version 3 but this mulligand knows only up to 1"):
        migrate(database, [V1])
    database.dispose()


def test_failed_step_is_not_recorded_and_rolls_back(url: str) -> None:
    def broken(conn: sa.Connection) -> None:
        conn.execute(sa.text("ALTER TABLE demo_widgets ADD COLUMN weight INTEGER"))
        raise RuntimeError("step failed half-way")

    database = Database(url)
    migrate(database, [V1])
    with pytest.raises(RuntimeError):
        migrate(database, [Migrations("demo", [*V1.steps, Step(2, "weight", broken)])])
    assert recorded_versions(database) == {"demo": 1}
    if not database.is_sqlite:
        # PostgreSQL DDL is transactional: the half-done step left nothing behind.
        assert "weight" not in _columns(database)
    database.dispose()


def test_racing_daemons_apply_each_step_exactly_once(url: str) -> None:
    racers = 6
    barrier = threading.Barrier(racers)
    failures: list[BaseException] = []

    def race() -> None:
        database = Database(url)
        try:
            barrier.wait()
            migrate(database, [V3])
        except BaseException as exc:
            failures.append(exc)
        finally:
            database.dispose()

    threads = [threading.Thread(target=race) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    database = Database(url)
    assert _ledger_steps(database) == [1, 2, 3]
    assert recorded_versions(database) == {"demo": 3}
    database.dispose()


def test_daemons_racing_at_start_share_one_schema(url: str, start_daemon: Callable[..., daemon_mod.Daemon]) -> None:
    started: list[daemon_mod.Daemon] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run() -> None:
        try:
            barrier.wait()
            started.append(start_daemon(database_url=url))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    database = Database(url)
    with database.engine.connect() as conn:
        duplicates = conn.execute(
            sa.text(
                "SELECT module, version, COUNT(*) FROM schema_versions GROUP BY module, version HAVING COUNT(*) > 1"
            )
        ).all()
    assert duplicates == []
    assert recorded_versions(database) == {m.module: m.latest for m in daemon_mod.MIGRATIONS if m.latest}
    database.dispose()
