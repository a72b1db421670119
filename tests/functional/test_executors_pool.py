"""The executor worker pool with real threads, fed by the real task queue on
SQLite and PostgreSQL: heartbeats, resizing and stopping."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from mulligan import control
from mulligan.control.tasks import utc_now
from mulligan.db import Database
from mulligan.executors import Assignment, Dispatcher, Outcome, TaskRunner, WorkerPool
from tests.fixtures.daemon import wait_for
from tests.functional import test_control_tasks_support as support
from tests.functional.test_control_tasks_support import (
    KIND,
    RecordingRunner,
    enqueue,
    record_result,
    results,
    runs,
    states,
    task,
)

open_database = support.open_database  # the fixture
OpenDatabase = Callable[[], Database]
MakePool = Callable[..., WorkerPool]


@pytest.fixture
def make_pool() -> Iterator[MakePool]:
    """Pools stopped (and their runners' gates opened) at the end of the test."""
    made: list[tuple[WorkerPool, TaskRunner]] = []

    def make(queue: control.TaskQueue, runner: TaskRunner, size: int, **options: Any) -> WorkerPool:
        options.setdefault("idle_wait_s", 0.05)
        pool = WorkerPool(queue, runner, size, name=f"pool{len(made)}", **options)
        made.append((pool, runner))
        return pool

    yield make
    for pool, runner in made:
        if isinstance(runner, RecordingRunner) and runner.gate is not None:
            runner.gate.set()
        pool.stop(10)


def _queue(database: Database, lease_ttl_s: float = 30.0, **options: float) -> control.TaskQueue:
    queue = control.TaskQueue(database, lease_ttl_s, **options)  # type: ignore[arg-type]
    queue.on_result(KIND, record_result)
    return queue


def _finished(database: Database, queue: control.TaskQueue, task_ids: list[str]) -> bool:
    return all(state in ("succeeded", "failed") for state in states(database, queue, task_ids))


def test_heartbeats_keep_a_long_task_leased(open_database: OpenDatabase, make_pool: MakePool) -> None:
    ttl = 0.6
    database, other_daemon = open_database(), open_database()
    queue, thief = _queue(database, ttl), _queue(other_daemon, ttl)
    runner = RecordingRunner(database, gate=threading.Event())
    make_pool(queue, runner, 1)
    [task_id] = enqueue(database, queue)

    wait_for(lambda: runner.running == 1, what="the task to start")
    first_expiry = task(database, queue, task_id).lease_expires_at
    assert first_expiry is not None
    wait_for(lambda: utc_now() > first_expiry + timedelta(seconds=ttl), what="two lease lifetimes to pass")
    assert thief.lease("thief") is None, "the running task's lease expired"
    held = task(database, queue, task_id)
    assert held.state == "leased" and held.attempts == 1
    assert held.lease_expires_at is not None and held.lease_expires_at > first_expiry

    assert runner.gate is not None
    runner.gate.set()
    wait_for(lambda: _finished(database, queue, [task_id]), what="the task to finish")
    done = task(database, queue, task_id)
    assert (done.state, done.attempts) == ("succeeded", 1)
    assert [row.task_id for row in runs(database)] == [task_id]


def test_a_running_task_that_loses_its_lease_cannot_report(
    open_database: OpenDatabase, make_pool: MakePool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="mulligan")
    database = open_database()
    queue = _queue(database, 0.6)
    runner = RecordingRunner(database, gate=threading.Event())
    pool = make_pool(queue, runner, 1)
    [task_id] = enqueue(database, queue)
    wait_for(lambda: runner.running == 1, what="the task to start")
    with database.write() as session:
        assert queue.cancel(session, task_id)
    wait_for(lambda: "lost the lease of a running task" in caplog.text, what="the heartbeat to notice")

    assert runner.gate is not None
    runner.gate.set()
    wait_for(lambda: runner.finished and pool.busy == 0, what="the runner to finish")
    assert task(database, queue, task_id).state == "cancelled"
    assert len(runs(database)) == 1 and results(database) == []


def test_the_pool_grows_and_shrinks_at_run_time(open_database: OpenDatabase, make_pool: MakePool) -> None:
    database = open_database()
    queue = _queue(database)
    runner = RecordingRunner(database, gate=threading.Event())
    pool = make_pool(queue, runner, 1)
    first_batch = enqueue(database, queue, 12)

    wait_for(lambda: runner.running == 1, what="one worker busy")
    pool.resize(4)
    wait_for(lambda: runner.running == 4, what="four workers busy after growing")
    assert (pool.size, pool.alive, pool.busy) == (4, 4, 4)

    pool.resize(2)
    assert pool.size == 2 and pool.alive == 4, "busy workers must finish their task before retiring"
    assert runner.gate is not None
    runner.gate.set()
    wait_for(lambda: _finished(database, queue, first_batch), what="the first batch")
    wait_for(lambda: pool.alive == 2, what="two workers to retire")

    runner.gate = threading.Event()
    runner.reset_max_running()
    second_batch = enqueue(database, queue, 6)
    wait_for(lambda: runner.running == 2, what="both remaining workers busy")
    assert (pool.alive, pool.busy) == (2, 2)
    runner.gate.set()
    wait_for(lambda: _finished(database, queue, second_batch), what="the second batch")
    assert runner.max_running == 2
    assert len(runs(database)) == 18

    with pytest.raises(ValueError):
        pool.resize(0)


def test_growing_again_takes_back_retiring_workers(open_database: OpenDatabase, make_pool: MakePool) -> None:
    database = open_database()
    queue = _queue(database)
    runner = RecordingRunner(database, gate=threading.Event())
    pool = make_pool(queue, runner, 3)
    enqueue(database, queue, 3)
    wait_for(lambda: runner.running == 3, what="three workers busy")
    pool.resize(1)
    pool.resize(3)
    assert runner.gate is not None
    runner.gate.set()
    wait_for(lambda: len(runs(database)) == 3, what="the tasks to run")
    assert (pool.size, pool.alive) == (3, 3)


def test_stop_lets_a_running_task_finish_and_keeps_queued_ones(
    open_database: OpenDatabase, make_pool: MakePool
) -> None:
    database = open_database()
    queue = _queue(database)
    runner = RecordingRunner(database, gate=threading.Event())
    pool = make_pool(queue, runner, 2)
    running_id, *queued_ids = enqueue(database, queue, 1)
    wait_for(lambda: runner.running == 1, what="the first task to start")
    queued_ids = enqueue(database, queue, 2, not_before=utc_now() + timedelta(seconds=1))

    stopped: list[bool] = []
    stopper = threading.Thread(target=lambda: stopped.append(pool.stop(10)))
    stopper.start()
    # The idle worker leaves at once; the busy one holds stop back.
    wait_for(lambda: pool.alive == 1, what="the idle worker to leave")
    assert stopper.is_alive() and pool.busy == 1
    assert runner.gate is not None
    runner.gate.set()
    stopper.join(10)
    assert stopped == [True]
    assert pool.alive == 0
    assert states(database, queue, [running_id, *queued_ids]) == ["succeeded", "queued", "queued"]
    assert [row.task_id for row in runs(database)] == [running_id]


def test_a_task_overrunning_the_grace_period_stays_leased_until_it_expires(
    open_database: OpenDatabase, make_pool: MakePool
) -> None:
    ttl = 0.6
    database, restarted = open_database(), open_database()
    queue = _queue(database, ttl)
    runner = RecordingRunner(database, gate=threading.Event())
    pool = make_pool(queue, runner, 1)
    overrunning, queued = enqueue(database, queue, 2)
    wait_for(lambda: runner.running == 1, what="the first task to start")

    assert pool.stop(0.1) is False
    leased = task(database, queue, overrunning)
    assert (leased.state, leased.attempts) == ("leased", 1)
    assert states(database, queue, [queued]) == ["queued"]
    # The runner finishes after the grace period: its result must not be reported.
    assert runner.gate is not None
    runner.gate.set()
    wait_for(lambda: runner.finished and pool.busy == 0, what="the abandoned runner to return")
    assert task(database, queue, overrunning).state == "leased"

    # The next daemon takes the task again once the lease expired.
    next_queue = _queue(restarted, ttl)
    make_pool(next_queue, RecordingRunner(restarted), 2)
    wait_for(lambda: _finished(database, queue, [overrunning, queued]), what="the restarted daemon")
    retried = task(database, queue, overrunning)
    assert (retried.state, retried.attempts) == ("succeeded", 2)
    assert sorted(row.task_id for row in runs(database)) == sorted([overrunning, overrunning, queued])
    assert sorted(row.task_id for row in results(database)) == sorted([overrunning, queued])


def test_stopping_an_idle_pool_is_prompt(open_database: OpenDatabase, make_pool: MakePool) -> None:
    database = open_database()
    pool = make_pool(_queue(database), RecordingRunner(database), 4, idle_wait_s=30)
    wait_for(lambda: pool.alive == 4, what="the workers to start")
    started = time.monotonic()
    assert pool.stop(20) is True
    assert time.monotonic() - started < 10, "idle workers were not woken"
    assert pool.alive == 0


class _FailsFirst:
    """Raises on the first attempt of each task, then writes its row."""

    def __init__(self, database: Database) -> None:
        self._recorder = RecordingRunner(database)

    def run(self, assignment: Assignment) -> Outcome:
        if assignment.attempt == 1:
            raise RuntimeError("connection reset by hypervisor")
        return self._recorder.run(assignment)


def test_an_exception_in_the_runner_is_retried(open_database: OpenDatabase, make_pool: MakePool) -> None:
    database = open_database()
    queue = _queue(database, retry_base_s=0.01)
    make_pool(queue, _FailsFirst(database), 2)
    [task_id] = enqueue(database, queue)
    wait_for(lambda: _finished(database, queue, [task_id]), what="the retry")
    done = task(database, queue, task_id)
    assert (done.state, done.attempts) == ("succeeded", 2)
    assert "RuntimeError: connection reset by hypervisor" in done.last_error


def test_a_task_kind_without_a_driver_fails(open_database: OpenDatabase, make_pool: MakePool) -> None:
    database = open_database()
    queue = _queue(database)
    make_pool(queue, Dispatcher({}), 1)
    [task_id] = enqueue(database, queue)
    wait_for(lambda: _finished(database, queue, [task_id]), what="the task to fail")
    failed = task(database, queue, task_id)
    assert (failed.state, failed.attempts) == ("failed", 1)
    assert "no executor step for task kind 'record'" in failed.last_error


def test_the_pool_survives_an_unavailable_database(
    database_url: str, open_database: OpenDatabase, make_pool: MakePool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="mulligan.executors")
    # Not migrated yet: the task table (on PostgreSQL the whole database) is missing.
    unready = Database(database_url)
    queue = _queue(unready)
    pool = make_pool(queue, RecordingRunner(unready), 2)

    def failures() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.getMessage().startswith("leasing a task failed")]

    wait_for(lambda: len(failures()) >= 4, what="repeated lease failures")
    assert [r.levelname for r in failures()].count("ERROR") == 1, "every failure logged a traceback"

    ready = open_database()
    [task_id] = enqueue(ready, queue)
    wait_for(lambda: _finished(ready, queue, [task_id]), what="the pool to recover")
    assert task(ready, queue, task_id).state == "succeeded"
    pool.stop(10)
    unready.dispose()
