"""Control's side of the executor interface: the durable queue of tasks.

A command that needs work on a host writes its state change and a task row
in one transaction (:meth:`TaskQueue.enqueue` with the caller's session);
local workers wake when that transaction commits. Workers in any daemon
sharing the database lease tasks, heartbeat the lease while they run, and
report an outcome; the final state of a task and the state change its
result causes (the handler registered with :meth:`TaskQueue.on_result`)
commit together.

Guarantees:

- A task is leased by one worker at a time. A lease that expires (the
  daemon died or hung) makes the task runnable again; ``attempts`` counts
  leases and ``max_attempts`` bounds them, so a task that kills its
  executor every time ends ``failed`` instead of looping.
- A worker that lost its lease cannot report: heartbeats and results are
  accepted only from the current lease (owner and attempt number).
- Tasks of one target run one at a time, in the order they were queued, so
  a decommission never overtakes the provision before it.
- Transient failures are retried with exponential backoff until
  ``max_attempts``; success, permanent failure and exhaustion are final.

Lease deadlines use each daemon's wall clock: daemons sharing a database
must keep their clocks in sync (NTP), as any fleet does.
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import secrets
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import db
from mulligan.control.models import ControlTask
from mulligan.db import Database, UtcDateTime
from mulligan.errors import NotFound
from mulligan.executors import Assignment, Outcome
from mulligan.metrics import TASKS_FINISHED

log = logging.getLogger("mulligan.control.tasks")

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_BASE_S = 2.0
DEFAULT_RETRY_MAX_S = 300.0
MAX_KIND_LENGTH = 64
# Tasks whose last lease expired, or that are no longer wanted, are finished
# while looking for work; a bound keeps one lease call short after a long outage.
_MAX_SKIPPED_PER_LEASE = 16


class TaskState(enum.StrEnum):
    QUEUED = "queued"
    LEASED = "leased"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


UNFINISHED_STATES = (TaskState.QUEUED, TaskState.LEASED)
FINISHED_STATES = (TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED)


@dataclass(frozen=True)
class Task:
    """A task as stored; ``state`` is the state being committed when a result
    handler sees it (succeeded or failed)."""

    id: str
    kind: str
    target_id: str
    payload: Mapping[str, Any]
    state: TaskState
    attempts: int
    max_attempts: int
    not_before: datetime
    lease_owner: str | None
    lease_expires_at: datetime | None
    last_error: str
    created_at: datetime
    updated_at: datetime


ResultHandler = Callable[[orm.Session, Task, Outcome], None]
LeaseHandler = Callable[[orm.Session, Task], bool]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class TaskQueue:
    """The durable task queue; the executors' :class:`~mulligan.executors.TaskSource`."""

    def __init__(
        self,
        database: Database,
        lease_ttl_s: float,
        clock: Clock = utc_now,
        *,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        retry_base_s: float = DEFAULT_RETRY_BASE_S,
        retry_max_s: float = DEFAULT_RETRY_MAX_S,
    ) -> None:
        if lease_ttl_s <= 0:
            raise ValueError("lease_ttl_s must be greater than 0")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._database = database
        self.lease_ttl_s = float(lease_ttl_s)
        self._clock = clock
        self._max_attempts = max_attempts
        self._retry_base_s = retry_base_s
        self._retry_max_s = retry_max_s
        self._handlers: dict[str, ResultHandler] = {}
        self._lease_handlers: dict[str, LeaseHandler] = {}
        self._order_lock = threading.Lock()
        self._last_enqueued = datetime.min.replace(tzinfo=UTC)
        # Worker names repeat across daemons; the instance makes lease owners unique.
        self._instance = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._wake = threading.Condition()
        self._generation = 0
        self._seen = threading.local()
        # SQLite takes one writer at a time anyway; queueing this queue's own
        # writers in-process spares them SQLite's sleeping busy handler.
        self._sqlite_writer = threading.Lock() if database.is_sqlite else None

    # -- control side: called by control code in its own transaction --------

    def enqueue(
        self,
        session: orm.Session,
        kind: str,
        target_id: str | uuid.UUID,
        payload: Mapping[str, Any] | None = None,
        not_before: datetime | None = None,
        *,
        max_attempts: int | None = None,
    ) -> str:
        """Add a task inside the caller's transaction; return its id.

        Workers in this process wake when that transaction commits (see
        :meth:`notify`). ``not_before`` (timezone-aware) delays the task,
        e.g. until a reserved machine's window starts.
        """
        if not kind or len(kind) > MAX_KIND_LENGTH:
            raise ValueError(f"task kind must be 1 to {MAX_KIND_LENGTH} characters, got {kind!r}")
        target = target_id if isinstance(target_id, uuid.UUID) else uuid.UUID(target_id)
        body = dict(payload or {})
        try:
            json.dumps(body)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"task payload must be JSON: {exc}") from None
        limit = self._max_attempts if max_attempts is None else max_attempts
        if limit < 1:
            raise ValueError("max_attempts must be at least 1")
        if not_before is not None and not_before.tzinfo is None:
            raise ValueError("not_before must be timezone-aware")
        now = self._clock()
        created = self._enqueue_time(now)
        row = ControlTask(
            id=uuid.uuid4(),
            kind=kind,
            target_id=target,
            payload=body,
            state=TaskState.QUEUED,
            attempts=0,
            max_attempts=limit,
            not_before=not_before or now,
            lease_owner=None,
            lease_expires_at=None,
            last_error=None,
            created_at=created,
            updated_at=created,
        )
        session.add(row)
        session.flush()
        self._notify_after_commit(session)
        return str(row.id)

    def on_result(self, kind: str, handler: ResultHandler) -> None:
        """Apply ``handler(session, task, outcome)`` when a task of ``kind``
        ends, in the transaction that records its final state.

        ``task.state`` tells succeeded from failed. An exception from the
        handler undoes the handler's writes only, and fails the task with
        the error kept in ``last_error``.
        """
        if kind in self._handlers:
            raise ValueError(f"a result handler for task kind {kind!r} is already registered")
        self._handlers[kind] = handler

    def on_lease(self, kind: str, handler: LeaseHandler) -> None:
        """Call ``handler(session, task)`` in the transaction that leases a
        task of ``kind``, so the state change that marks the work as begun
        commits with the lease.

        A False answer means the work is no longer wanted: the task succeeds
        there and then (its result handler sees that) and no worker gets it.
        An exception undoes the handler's writes and fails the task.
        """
        if kind in self._lease_handlers:
            raise ValueError(f"a lease handler for task kind {kind!r} is already registered")
        self._lease_handlers[kind] = handler

    def cancel(self, session: orm.Session, task_id: str | uuid.UUID) -> bool:
        """Cancel an unfinished task in the caller's transaction; False when
        it had already finished. A worker still running it cannot report."""
        statement = sa.update(ControlTask).where(
            ControlTask.id == _uuid(task_id), ControlTask.state.in_(UNFINISHED_STATES)
        )
        return self._cancel(session, statement) == 1

    def cancel_target(
        self, session: orm.Session, target_id: str | uuid.UUID, kinds: Iterable[str] | None = None
    ) -> int:
        """Cancel the unfinished tasks of one target (optionally of some kinds)."""
        statement = sa.update(ControlTask).where(
            ControlTask.target_id == _uuid(target_id), ControlTask.state.in_(UNFINISHED_STATES)
        )
        if kinds is not None:
            statement = statement.where(ControlTask.kind.in_(list(kinds)))
        return self._cancel(session, statement)

    def reschedule(self, session: orm.Session, target_id: str | uuid.UUID, kind: str, not_before: datetime) -> int:
        """Move the queued tasks of one kind of a target to not_before, in the
        caller's transaction; return how many moved. Their order is kept."""
        if not_before.tzinfo is None:
            raise ValueError("not_before must be timezone-aware")
        result = session.execute(
            sa.update(ControlTask)
            .where(
                ControlTask.target_id == _uuid(target_id),
                ControlTask.kind == kind,
                ControlTask.state == TaskState.QUEUED,
            )
            .values(not_before=not_before, updated_at=self._clock())
            .execution_options(synchronize_session="fetch")
        )
        moved = int(cast(sa.CursorResult[Any], result).rowcount)
        if moved:
            # Workers asleep until the old time look again.
            self._notify_after_commit(session)
        return moved

    def get(self, session: orm.Session, task_id: str | uuid.UUID) -> Task:
        row = session.get(ControlTask, _uuid(task_id))
        if row is None:
            raise NotFound(f"task {task_id} does not exist", reason="TASK_NOT_FOUND")
        return _task(row)

    def tasks_for(self, session: orm.Session, target_id: str | uuid.UUID) -> list[Task]:
        """The tasks of one target, oldest first."""
        rows = session.scalars(
            sa.select(ControlTask)
            .where(ControlTask.target_id == _uuid(target_id))
            .order_by(ControlTask.created_at, ControlTask.id)
        )
        return [_task(row) for row in rows]

    def unfinished_targets(self, session: orm.Session, target_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Which of ``target_ids`` have a task queued or running."""
        ids = list(target_ids)
        if not ids:
            return set()
        return set(
            session.scalars(
                sa.select(ControlTask.target_id)
                .where(ControlTask.target_id.in_(ids), ControlTask.state.in_(UNFINISHED_STATES))
                .distinct()
            )
        )

    def purge_finished(self, before: datetime) -> int:
        """Delete tasks that finished before ``before``; return how many."""
        with self._write() as session:
            result = session.execute(
                sa.delete(ControlTask).where(ControlTask.state.in_(FINISHED_STATES), ControlTask.updated_at < before)
            )
            return int(cast(sa.CursorResult[Any], result).rowcount)

    def notify(self) -> None:
        """Wake this process's workers waiting for work."""
        with self._wake:
            self._generation += 1
            self._wake.notify_all()

    def retry_delay(self, attempts: int) -> timedelta:
        """How long a task waits after its ``attempts``-th transient failure."""
        return timedelta(seconds=min(self._retry_max_s, self._retry_base_s * 2 ** max(0, attempts - 1)))

    # -- executor side: the TaskSource interface ----------------------------

    def lease(self, worker: str) -> Assignment | None:
        """Lease the next runnable task to ``worker``; None when there is none.

        Expired leases come first (their work is the oldest), then queued
        tasks that are due, by due time; see :func:`_runnable_queries`.
        """
        # A notify after this point must not be missed by wait_for_work.
        self._seen.generation = self._generation
        owner = self._owner(worker)
        with self._write() as session:
            now = self._clock()
            for _ in range(_MAX_SKIPPED_PER_LEASE):
                row = self._next_runnable(session, now)
                if row is None:
                    return None
                if row.attempts >= row.max_attempts:
                    detail = f"lease expired on attempt {row.attempts} of {row.max_attempts}: its executor stopped"
                    log.warning("task failed: lease expired too often", extra=_fields(row))
                    self._finish(session, row, TaskState.FAILED, Outcome(ok=False, detail=detail), now)
                    continue
                row.state = TaskState.LEASED
                row.attempts += 1
                row.lease_owner = owner
                row.lease_expires_at = now + timedelta(seconds=self.lease_ttl_s)
                row.updated_at = now
                if not self._begin(session, row, now):
                    continue
                log.debug("task leased", extra={**_fields(row), "worker": owner})
                return Assignment(
                    task_id=str(row.id),
                    kind=row.kind,
                    payload=dict(row.payload),
                    attempt=row.attempts,
                    target_id=str(row.target_id),
                )
            # More may be runnable behind the ones skipped: look again at once.
            self._notify_after_commit(session)
        return None

    def heartbeat(self, assignment: Assignment, worker: str) -> bool:
        """Extend the lease; False when ``worker`` no longer holds it."""
        with self._write() as session:
            now = self._clock()
            result = session.execute(
                sa.update(ControlTask)
                .where(self._held(assignment, worker))
                .values(lease_expires_at=now + timedelta(seconds=self.lease_ttl_s), updated_at=now)
                .execution_options(synchronize_session=False)
            )
            return int(cast(sa.CursorResult[Any], result).rowcount) == 1

    def complete(self, assignment: Assignment, worker: str, outcome: Outcome) -> bool:
        """Record the outcome; False (nothing changed) when the lease was lost."""
        with self._write() as session:
            now = self._clock()
            row = session.scalars(
                sa.select(ControlTask).where(self._held(assignment, worker)).with_for_update()
            ).first()
            if row is None:
                log.warning(
                    "ignored the result of a task whose lease was lost",
                    extra={"task": assignment.task_id, "attempt": assignment.attempt, "worker": worker},
                )
                return False
            if outcome.ok:
                self._finish(session, row, TaskState.SUCCEEDED, outcome, now)
            elif outcome.transient and row.attempts < row.max_attempts:
                delay = self.retry_delay(row.attempts)
                row.state = TaskState.QUEUED
                row.not_before = now + delay
                row.lease_owner = None
                row.lease_expires_at = None
                row.last_error = outcome.detail or "transient failure"
                row.updated_at = now
                _count_after_commit(session, row.kind, "retried")
                log.info(
                    "task will be retried",
                    extra={**_fields(row), "retry_in_s": delay.total_seconds(), "error": row.last_error},
                )
            else:
                self._finish(session, row, TaskState.FAILED, outcome, now)
            return True

    def wait_for_work(self, timeout: float) -> None:
        """Block until a notify since this thread's last lease, or timeout."""
        seen = getattr(self._seen, "generation", None)
        with self._wake:
            if seen is None:
                seen = self._generation
            self._wake.wait_for(lambda: self._generation != seen, timeout)
            self._seen.generation = self._generation

    # -- internals ----------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[orm.Session]:
        with self._sqlite_writer or contextlib.nullcontext(), self._database.write() as session:
            yield session

    def _enqueue_time(self, now: datetime) -> datetime:
        """``now`` made strictly increasing: tasks queued by this process keep
        their order even when the clock does not move between them."""
        with self._order_lock:
            self._last_enqueued = max(now, self._last_enqueued + timedelta(microseconds=1))
            return self._last_enqueued

    def _owner(self, worker: str) -> str:
        return f"{self._instance}/{worker}"[:255]

    def _held(self, assignment: Assignment, worker: str) -> sa.ColumnElement[bool]:
        # The attempt number identifies one lease even if the owner's name repeats.
        return sa.and_(
            ControlTask.id == _uuid(assignment.task_id),
            ControlTask.state == TaskState.LEASED,
            ControlTask.lease_owner == self._owner(worker),
            ControlTask.attempts == assignment.attempt,
        )

    def _next_runnable(self, session: orm.Session, now: datetime) -> ControlTask | None:
        for statement in _RUNNABLE_QUERIES:
            row = session.scalars(statement, {"now": now}).first()
            if row is not None:
                return row
        return None

    def _begin(self, session: orm.Session, row: ControlTask, now: datetime) -> bool:
        """Run the kind's lease handler; False when the task ended instead."""
        handler = self._lease_handlers.get(row.kind)
        if handler is None:
            return True
        try:
            with session.begin_nested():
                wanted = handler(session, _task(row))
        except Exception as exc:
            log.exception("task lease handler failed", extra=_fields(row))
            detail = f"lease handler failed: {type(exc).__name__}: {exc}"
            self._finish(session, row, TaskState.FAILED, Outcome(ok=False, detail=detail), now)
            return False
        if not wanted:
            self._finish(session, row, TaskState.SUCCEEDED, Outcome(ok=True, detail="no longer needed"), now)
        return wanted

    def _finish(
        self, session: orm.Session, row: ControlTask, state: TaskState, outcome: Outcome, now: datetime
    ) -> None:
        row.state = state
        row.lease_owner = None
        row.lease_expires_at = None
        row.updated_at = now
        if state is TaskState.FAILED:
            row.last_error = outcome.detail or "failed"
        handler = self._handlers.get(row.kind)
        if handler is not None:
            try:
                with session.begin_nested():
                    handler(session, _task(row), outcome)
            except Exception as exc:
                # A broken handler must not leave the task to be retried forever.
                log.exception("task result handler failed", extra=_fields(row))
                row.state = TaskState.FAILED
                row.last_error = f"result handler failed: {type(exc).__name__}: {exc}"
        log.info("task finished", extra={**_fields(row), "state": str(row.state)})
        _count_after_commit(session, row.kind, str(row.state))

    def _cancel(self, session: orm.Session, statement: sa.Update) -> int:
        now = self._clock()
        result = session.execute(
            statement.values(
                state=TaskState.CANCELLED, lease_owner=None, lease_expires_at=None, updated_at=now
            ).execution_options(synchronize_session="fetch")
        )
        return int(cast(sa.CursorResult[Any], result).rowcount)

    def _notify_after_commit(self, session: orm.Session) -> None:
        key = ("mulligan.control.tasks.notify", id(self))
        if session.info.get(key):
            return
        session.info[key] = True

        def wake() -> None:
            session.info.pop(key, None)
            self.notify()

        db.after_commit(session, wake)


def _count_after_commit(session: orm.Session, kind: str, outcome: str) -> None:
    # A transaction that rolls back ended nothing: the task runs again.
    db.after_commit(session, lambda: TASKS_FINISHED.labels(kind, outcome).inc())


def _runnable_queries() -> tuple[sa.Select[ControlTask], ...]:
    """The two "next runnable task" queries, built once (building them is
    slower than running them); ``:now`` is bound at each lease.

    Expired leases come first, then queued tasks that are due, by due time.
    A task waits while its target has a live lease, or an unfinished task
    queued before it. The second rule also makes two workers racing
    (PostgreSQL's SKIP LOCKED hides rows, not their existence) agree on which
    of a target's tasks goes first.
    """
    now = sa.bindparam("now", type_=UtcDateTime)
    other = orm.aliased(ControlTask)
    queued_before = sa.or_(
        other.created_at < ControlTask.created_at,
        sa.and_(other.created_at == ControlTask.created_at, other.id < ControlTask.id),
    )
    held_back = sa.exists().where(
        other.target_id == ControlTask.target_id,
        other.id != ControlTask.id,
        sa.or_(
            sa.and_(other.state == TaskState.LEASED.value, other.lease_expires_at > now),
            sa.and_(other.state.in_([state.value for state in UNFINISHED_STATES]), queued_before),
        ),
    )
    runnable = sa.select(ControlTask).where(~held_back).limit(1).with_for_update(skip_locked=True)
    expired = runnable.where(ControlTask.state == TaskState.LEASED.value, ControlTask.lease_expires_at <= now).order_by(
        ControlTask.lease_expires_at, ControlTask.id
    )
    due = runnable.where(ControlTask.state == TaskState.QUEUED.value, ControlTask.not_before <= now).order_by(
        ControlTask.not_before, ControlTask.created_at, ControlTask.id
    )
    return expired, due


_RUNNABLE_QUERIES = _runnable_queries()


def _uuid(value: str | uuid.UUID) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _fields(row: ControlTask) -> dict[str, Any]:
    return {"task": str(row.id), "kind": row.kind, "target": str(row.target_id), "attempt": row.attempts}


def _task(row: ControlTask) -> Task:
    return Task(
        id=str(row.id),
        kind=row.kind,
        target_id=str(row.target_id),
        payload=dict(row.payload),
        state=TaskState(row.state),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        not_before=row.not_before,
        lease_owner=row.lease_owner,
        lease_expires_at=row.lease_expires_at,
        last_error=row.last_error or "",
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
