"""Shared pieces of the task queue and worker pool tests (no tests here).

The runner does real work: every run inserts a row in its own transaction,
and the result handler inserts one in the transaction that finishes the
task, so "exactly once" is counted in the database, not in a mock.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import control
from mulligan.db import Database
from mulligan.executors import Assignment, Outcome
from mulligan.migrate import migrate

_metadata = sa.MetaData()
task_runs = sa.Table(
    "test_task_runs",
    _metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("task_id", sa.String(36), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("target_id", sa.String(36), nullable=False),
    sa.Column("step", sa.Integer, nullable=True),
)
task_results = sa.Table(
    "test_task_results",
    _metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("task_id", sa.String(36), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)

KIND = "record"


class FakeClock:
    """A wall clock that moves only when told; shared by several queues."""

    def __init__(self) -> None:
        self._now = datetime(2030, 1, 1, tzinfo=UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)


@pytest.fixture
def open_database(database_url: str) -> Iterator[Callable[[], Database]]:
    """Open another Database on the same storage, as another daemon would."""
    opened: list[Database] = []

    def open_() -> Database:
        database = Database(database_url)
        migrate(database, [control.MIGRATIONS])
        if not opened:
            with database.engine.begin() as connection:
                _metadata.create_all(connection)
        opened.append(database)
        return database

    yield open_
    for database in opened:
        database.dispose()


def record_result(session: orm.Session, task: control.Task, outcome: Outcome) -> None:
    session.execute(task_results.insert().values(task_id=task.id, state=str(task.state), detail=outcome.detail))


class RecordingRunner:
    """Runs a task by writing a row; can hold tasks at a gate and fail on demand."""

    def __init__(
        self,
        database: Database,
        *,
        gate: threading.Event | None = None,
        outcome: Callable[[Assignment], Outcome] | None = None,
    ) -> None:
        self._database = database
        self.gate = gate
        self._outcome = outcome
        self._lock = threading.Lock()
        self.started: list[Assignment] = []
        self.finished: list[Assignment] = []
        self.running = 0
        self.max_running = 0
        self._targets_running: set[str] = set()
        self.overlaps: list[str] = []

    def run(self, assignment: Assignment) -> Outcome:
        with self._lock:
            self.started.append(assignment)
            self.running += 1
            self.max_running = max(self.max_running, self.running)
            if assignment.target_id in self._targets_running:
                self.overlaps.append(assignment.target_id)
            self._targets_running.add(assignment.target_id)
        try:
            if self.gate is not None and not self.gate.wait(30):
                raise TimeoutError("the test never opened the gate")
            with self._database.write() as session:
                session.execute(
                    task_runs.insert().values(
                        task_id=assignment.task_id,
                        attempt=assignment.attempt,
                        target_id=assignment.target_id,
                        step=assignment.payload.get("step"),
                    )
                )
            return self._outcome(assignment) if self._outcome else Outcome(ok=True, detail="recorded")
        finally:
            with self._lock:
                self.running -= 1
                self._targets_running.discard(assignment.target_id)
                self.finished.append(assignment)

    def reset_max_running(self) -> None:
        with self._lock:
            self.max_running = self.running


def enqueue(
    database: Database, queue: control.TaskQueue, count: int = 1, *, target: str | None = None, **options: Any
) -> list[str]:
    """Queue ``count`` tasks in one committed transaction; each on its own target unless one is given."""
    with database.write() as session:
        return [
            queue.enqueue(session, KIND, target or str(uuid.uuid4()), {"step": step}, **options)
            for step in range(count)
        ]


def task(database: Database, queue: control.TaskQueue, task_id: str) -> control.Task:
    with database.read() as session:
        return queue.get(session, task_id)


def states(database: Database, queue: control.TaskQueue, task_ids: list[str]) -> list[str]:
    return [str(task(database, queue, task_id).state) for task_id in task_ids]


def runs(database: Database) -> list[sa.Row[Any]]:
    with database.read() as session:
        return list(session.execute(sa.select(task_runs).order_by(task_runs.c.seq)))


def results(database: Database) -> list[sa.Row[Any]]:
    with database.read() as session:
        return list(session.execute(sa.select(task_results).order_by(task_results.c.seq)))
