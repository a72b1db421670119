"""The durable task queue, on SQLite and PostgreSQL, with several queues
(one per simulated daemon) sharing the storage."""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import control
from mulligan.db import Database
from mulligan.errors import NotFound
from mulligan.executors import Outcome, WorkerPool
from tests.fixtures.daemon import wait_for
from tests.functional import test_control_tasks_support as support
from tests.functional.test_control_tasks_support import (
    KIND,
    FakeClock,
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
TTL = 30.0


def _queue(database: Database, clock: FakeClock, **options: float) -> control.TaskQueue:
    queue = control.TaskQueue(database, TTL, clock, **options)  # type: ignore[arg-type]
    queue.on_result(KIND, record_result)
    return queue


def test_enqueue_commits_with_the_callers_transaction(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = _queue(database, FakeClock())
    with pytest.raises(RuntimeError), database.write() as session:
        queue.enqueue(session, KIND, uuid.uuid4(), {"step": 1})
        raise RuntimeError("the state change failed")
    assert queue.lease("w") is None

    [task_id] = enqueue(database, queue)
    found = task(database, queue, task_id)
    assert (found.state, found.attempts, found.max_attempts, found.payload) == ("queued", 0, 5, {"step": 0})


def test_commit_wakes_a_waiting_worker(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = _queue(database, FakeClock())
    idle, woke = threading.Event(), threading.Event()

    def worker() -> None:
        assert queue.lease("w") is None
        idle.set()
        # The commit may come before this wait starts: it must not be missed.
        queue.wait_for_work(30)
        woke.set()

    thread = threading.Thread(target=worker)
    thread.start()
    assert idle.wait(10)
    with database.write() as session:
        queue.enqueue(session, KIND, uuid.uuid4())
        assert not woke.wait(0.05), "woken before the task was committed"
    assert woke.wait(10)
    thread.join(10)


def test_lease_takes_the_oldest_due_task_and_respects_not_before(open_database: OpenDatabase) -> None:
    database = open_database()
    clock = FakeClock()
    queue = _queue(database, clock)
    [later] = enqueue(database, queue, not_before=clock() + timedelta(minutes=10))
    clock.advance(1)
    [first] = enqueue(database, queue)
    clock.advance(1)
    [second] = enqueue(database, queue)

    leased = [queue.lease("w1"), queue.lease("w2")]
    assert [a.task_id for a in leased if a] == [first, second]
    assert queue.lease("w3") is None, "a task ran before its not_before"
    for worker, assignment in zip(["w1", "w2"], leased, strict=True):
        assert assignment is not None and queue.complete(assignment, worker, Outcome(ok=True))
    clock.advance(10 * 60 - 3)
    assert queue.lease("w3") is None, "a task ran before its not_before"
    clock.advance(1)
    assignment = queue.lease("w3")
    assert assignment is not None and assignment.task_id == later


def test_expired_lease_is_taken_again_and_the_stale_worker_is_ignored(open_database: OpenDatabase) -> None:
    clock = FakeClock()
    first_db, second_db = open_database(), open_database()
    first, second = _queue(first_db, clock), _queue(second_db, clock)
    [task_id] = enqueue(first_db, first)

    stale = first.lease("executor-0")
    assert stale is not None and stale.attempt == 1
    assert second.lease("executor-0") is None
    clock.advance(TTL - 1)
    assert first.heartbeat(stale, "executor-0")
    clock.advance(TTL)
    fresh = second.lease("executor-0")  # same worker name, other daemon
    assert fresh is not None and (fresh.task_id, fresh.attempt) == (task_id, 2)

    assert not first.heartbeat(stale, "executor-0")
    assert not first.complete(stale, "executor-0", Outcome(ok=False, detail="stale"))
    assert task(first_db, first, task_id).state == "leased"
    assert second.complete(fresh, "executor-0", Outcome(ok=True))
    done = task(first_db, first, task_id)
    assert (done.state, done.attempts, done.lease_owner) == ("succeeded", 2, None)
    assert [(r.task_id, r.state) for r in results(first_db)] == [(task_id, "succeeded")]


def test_a_tiny_lease_expires_in_real_time(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = control.TaskQueue(database, 0.2)
    [task_id] = enqueue(database, queue)
    held = queue.lease("dead-daemon")
    assert held is not None
    retaken = wait_for(lambda: queue.lease("survivor"), timeout=10, what="the lease to expire")
    assert (retaken.task_id, retaken.attempt) == (task_id, 2)


def test_transient_failures_back_off_then_fail(open_database: OpenDatabase) -> None:
    database = open_database()
    clock = FakeClock()
    queue = _queue(database, clock, retry_base_s=10, retry_max_s=15)
    [task_id] = enqueue(database, queue, max_attempts=3)

    for attempt, delay in [(1, 10), (2, 15)]:
        assignment = queue.lease("w")
        assert assignment is not None and assignment.attempt == attempt
        assert queue.complete(assignment, "w", Outcome(ok=False, transient=True, detail=f"busy {attempt}"))
        waiting = task(database, queue, task_id)
        assert (waiting.state, waiting.last_error, waiting.lease_owner) == ("queued", f"busy {attempt}", None)
        assert waiting.not_before == clock() + timedelta(seconds=delay)
        clock.advance(delay - 1)
        assert queue.lease("w") is None, "retried before its backoff ended"
        clock.advance(1)
    assert results(database) == []

    last = queue.lease("w")
    assert last is not None and last.attempt == 3
    assert queue.complete(last, "w", Outcome(ok=False, transient=True, detail="busy 3"))
    failed = task(database, queue, task_id)
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 3, "busy 3")
    assert [(r.state, r.detail) for r in results(database)] == [("failed", "busy 3")]
    clock.advance(3600)
    assert queue.lease("w") is None


def test_a_permanent_failure_is_final_at_once(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = _queue(database, FakeClock())
    [task_id] = enqueue(database, queue)
    assignment = queue.lease("w")
    assert assignment is not None
    queue.complete(assignment, "w", Outcome(ok=False, detail="image is corrupt"))
    failed = task(database, queue, task_id)
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 1, "image is corrupt")


def test_expired_leases_count_as_attempts(open_database: OpenDatabase) -> None:
    database = open_database()
    clock = FakeClock()
    queue = _queue(database, clock)
    [task_id] = enqueue(database, queue, max_attempts=2)
    for attempt in (1, 2):
        assignment = queue.lease(f"crashing-{attempt}")
        assert assignment is not None and assignment.attempt == attempt
        clock.advance(TTL + 1)
    assert queue.lease("w") is None
    failed = task(database, queue, task_id)
    assert failed.state == "failed" and "lease expired on attempt 2 of 2" in failed.last_error
    assert [r.state for r in results(database)] == ["failed"]


def test_the_result_handler_commits_with_the_final_state(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = control.TaskQueue(database, TTL, FakeClock())
    seen: list[tuple[str, str, bool]] = []

    def handler(session: orm.Session, finished: control.Task, outcome: Outcome) -> None:
        seen.append((finished.id, str(finished.state), outcome.ok))
        record_result(session, finished, outcome)
        if outcome.data.get("explode"):
            raise ValueError("handler bug")

    queue.on_result(KIND, handler)
    with pytest.raises(ValueError, match="already registered"):
        queue.on_result(KIND, handler)

    good, bad = enqueue(database, queue, 2)
    for expected, data in [(good, {}), (bad, {"explode": True})]:
        assignment = queue.lease("w")
        assert assignment is not None and assignment.task_id == expected
        assert queue.complete(assignment, "w", Outcome(ok=True, data=data))

    assert seen == [(good, "succeeded", True), (bad, "succeeded", True)]
    assert task(database, queue, good).state == "succeeded"
    broken = task(database, queue, bad)
    assert broken.state == "failed" and "result handler failed: ValueError: handler bug" in broken.last_error
    # The failing handler's own write was undone with it.
    assert [r.task_id for r in results(database)] == [good]


def test_the_lease_handler_commits_with_the_lease_and_can_skip_unwanted_work(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = _queue(database, FakeClock())
    begun: list[str] = []

    def begin(session: orm.Session, leased: control.Task) -> bool:
        # Its write lands in the lease's transaction, like a machine's state change.
        record_result(session, leased, Outcome(ok=True, detail="begun"))
        if leased.payload["step"] == 2:
            raise ValueError("handler bug")
        begun.append(leased.id)
        return leased.payload["step"] != 0

    queue.on_lease(KIND, begin)
    with pytest.raises(ValueError, match="already registered"):
        queue.on_lease(KIND, begin)

    unwanted, wanted, broken = enqueue(database, queue, 3)
    assignment = queue.lease("w")
    # The unwanted task ended inside that lease call; the next one was leased.
    assert assignment is not None and assignment.task_id == wanted
    assert begun == [unwanted, wanted]
    assert states(database, queue, [unwanted, wanted]) == ["succeeded", "leased"]
    assert queue.lease("w") is None, "the broken task's handler failed it"
    failed = task(database, queue, broken)
    assert failed.state == "failed" and "lease handler failed: ValueError: handler bug" in failed.last_error
    recorded = [(row.task_id, row.detail) for row in results(database)]
    assert recorded == [
        (unwanted, "begun"),
        (unwanted, "no longer needed"),
        (wanted, "begun"),
        # The broken handler's own write was undone; the failure was recorded.
        (broken, "lease handler failed: ValueError: handler bug"),
    ]


def test_a_handler_can_queue_the_next_task_atomically(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = control.TaskQueue(database, TTL, FakeClock())
    target = str(uuid.uuid4())

    def then_provision(session: orm.Session, finished: control.Task, outcome: Outcome) -> None:
        queue.enqueue(session, "provision", finished.target_id, {"after": finished.id})

    queue.on_result("inspect", then_provision)
    with database.write() as session:
        inspect_id = queue.enqueue(session, "inspect", target)
    assignment = queue.lease("w")
    assert assignment is not None and assignment.target_id == target
    queue.complete(assignment, "w", Outcome(ok=True))
    follow_up = queue.lease("w")
    assert follow_up is not None and (follow_up.kind, follow_up.payload) == ("provision", {"after": inspect_id})


def test_tasks_of_one_target_run_one_at_a_time_in_order(open_database: OpenDatabase) -> None:
    clock = FakeClock()
    first_db, second_db = open_database(), open_database()
    first, second = _queue(first_db, clock), _queue(second_db, clock)
    machine = str(uuid.uuid4())
    [provision] = enqueue(first_db, first, target=machine)
    [decommission] = enqueue(first_db, first, target=machine)
    [other] = enqueue(first_db, first)

    running = first.lease("w1")
    assert running is not None and running.task_id == provision
    overtaking = second.lease("w2")
    assert overtaking is not None and overtaking.task_id == other
    assert second.lease("w3") is None, "a target's second task ran beside its first"
    assert second.complete(overtaking, "w2", Outcome(ok=True))
    first.complete(running, "w1", Outcome(ok=False, transient=True, detail="retry me"))
    clock.advance(3600)
    retried = second.lease("w2")
    assert retried is not None and retried.task_id == provision, "the retry was overtaken"
    second.complete(retried, "w2", Outcome(ok=True))
    after = first.lease("w1")
    assert after is not None and after.task_id == decommission


def test_cancel(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = _queue(database, FakeClock())
    machine = str(uuid.uuid4())
    running_id, queued_id = enqueue(database, queue, 2, target=machine)
    running = queue.lease("w")
    assert running is not None and running.task_id == running_id
    with database.write() as session:
        assert queue.cancel_target(session, machine, kinds=["other"]) == 0
        assert queue.cancel(session, queued_id)
        assert not queue.cancel(session, queued_id)
        assert queue.cancel_target(session, machine) == 1
    assert not queue.heartbeat(running, "w")
    assert not queue.complete(running, "w", Outcome(ok=True))
    assert states(database, queue, [running_id, queued_id]) == ["cancelled", "cancelled"]
    assert queue.lease("w") is None
    assert results(database) == []


def test_get_list_and_purge(open_database: OpenDatabase) -> None:
    database = open_database()
    clock = FakeClock()
    queue = _queue(database, clock)
    machine = str(uuid.uuid4())
    old, young = enqueue(database, queue, 2, target=machine)
    for _ in range(2):
        assignment = queue.lease("w")
        assert assignment is not None
        queue.complete(assignment, "w", Outcome(ok=True))
        clock.advance(60)
    with database.read() as session:
        assert [t.id for t in queue.tasks_for(session, machine)] == [old, young]
        with pytest.raises(NotFound):
            queue.get(session, str(uuid.uuid4()))
    assert queue.purge_finished(clock() - timedelta(seconds=90)) == 1
    with database.read() as session:
        assert [t.id for t in queue.tasks_for(session, machine)] == [young]


def test_bad_enqueue_arguments_are_refused(open_database: OpenDatabase) -> None:
    database = open_database()
    queue = _queue(database, FakeClock())
    target = uuid.uuid4()
    naive = datetime(2030, 1, 1)
    with database.write() as session:
        for kind, target_id, payload, options in [
            ("", target, {}, {}),
            ("k" * 65, target, {}, {}),
            (KIND, "not-a-uuid", {}, {}),
            (KIND, target, {"when": datetime.now(UTC)}, {}),
            (KIND, target, {}, {"not_before": naive}),
            (KIND, target, {}, {"max_attempts": 0}),
        ]:
            with pytest.raises(ValueError):
                queue.enqueue(session, kind, target_id, payload, **options)  # type: ignore[arg-type]
    assert queue.lease("w") is None
    with pytest.raises(ValueError):
        control.TaskQueue(database, 0)


def test_several_daemons_run_each_task_exactly_once(open_database: OpenDatabase) -> None:
    """Three queues on three Database instances, four workers each, racing for
    tasks of which some share a target."""
    databases = [open_database() for _ in range(3)]
    queues = [control.TaskQueue(database, TTL) for database in databases]
    for queue in queues:
        queue.on_result(KIND, record_result)
    targets = [str(uuid.uuid4()) for _ in range(40)]
    task_ids: list[str] = []
    steps_per_target = 3
    # A target's steps are queued back to back, so free workers would take them together.
    for target in targets:
        with databases[0].write() as session:
            task_ids += [queues[0].enqueue(session, KIND, target, {"step": s}) for s in range(steps_per_target)]
    task_ids += enqueue(databases[0], queues[0], 60)

    # One runner shared by the three pools, so that it sees any overlap.
    runner = RecordingRunner(databases[1])
    pools = [WorkerPool(queue, runner, 4, name=f"daemon{n}", idle_wait_s=0.05) for n, queue in enumerate(queues)]
    try:
        wait_for(lambda: len(results(databases[0])) == len(task_ids), timeout=120, what="every task to finish")
    finally:
        for pool in pools:
            pool.stop(10)

    all_runs = runs(databases[2])
    assert sorted(r.task_id for r in all_runs) == sorted(task_ids), "a task ran twice or never"
    assert sorted(r.task_id for r in results(databases[2])) == sorted(task_ids)
    with databases[0].read() as session:
        rows = session.execute(sa.text("SELECT state, count(*) FROM control_tasks GROUP BY state"))
        counts = {state: count for state, count in rows}
    assert counts == {"succeeded": len(task_ids)}
    assert runner.overlaps == [], "two tasks of one target ran at once"
    assert runner.max_running > 1, "the workers never ran concurrently"
    by_target: dict[str, list[int]] = defaultdict(list)
    for row in all_runs:
        by_target[row.target_id].append(row.step)
    assert all(by_target[t] == list(range(steps_per_target)) for t in targets), "a target's tasks ran out of order"
