"""Callbacks wait for the outermost commit, never fire at a SAVEPOINT or on rollback."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from mulligan.db import Database, after_commit


@pytest.fixture
def database(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'db.sqlite'}")


def test_runs_after_the_outer_commit_not_at_the_savepoint(database: Database) -> None:
    fired: list[str] = []
    with database.write() as session:
        with session.begin_nested():
            after_commit(session, lambda: fired.append("after"))
            session.execute(sa.text("SELECT 1"))
        assert fired == []
        # The database lock is still ours here; another writer would wait.
    assert fired == ["after"]


def test_rollback_drops_callbacks(database: Database) -> None:
    fired: list[str] = []
    with pytest.raises(RuntimeError), database.write() as session:
        after_commit(session, lambda: fired.append("after"))
        raise RuntimeError("abort")
    assert fired == []


def test_a_callback_may_write_the_database_again(database: Database) -> None:
    with database.write() as session:
        session.execute(sa.text("CREATE TABLE t (x INTEGER)"))

    def write_again() -> None:
        with database.write() as other:
            other.execute(sa.text("INSERT INTO t VALUES (1)"))

    with database.write() as session, session.begin_nested():
        after_commit(session, write_again)
    with database.read() as session:
        assert session.scalar(sa.text("SELECT COUNT(*) FROM t")) == 1
