"""A resizable pool of worker threads taking leased tasks from a source."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger("mulligan.executors")

# Waits between attempts to report a result (e.g. after a database deadlock);
# after the last one the task is left to its lease, which expires and retries it.
REPORT_RETRY_DELAYS_S = (0.1, 0.5, 2.0)
DEFAULT_IDLE_WAIT_S = 0.5
# While the database is unreachable every worker fails to lease once a
# second; one traceback a minute per pool is enough for the operator.
LEASE_ERROR_LOG_INTERVAL_S = 60.0


@dataclass(frozen=True)
class Assignment:
    """A task leased to one worker."""

    task_id: str
    kind: str
    payload: Mapping[str, Any]
    # Which lease of the task this is, from 1; a retry or a re-lease after
    # expiry has a higher number.
    attempt: int = 1
    # The object the task works on (a host's or a machine's UUID).
    target_id: str = ""


@dataclass(frozen=True)
class Outcome:
    ok: bool
    # Transient failures are retried by the source with backoff.
    transient: bool = False
    detail: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


class TaskSource(Protocol):
    @property
    def lease_ttl_s(self) -> float:
        """How long a lease lasts without a heartbeat."""
        ...

    def lease(self, worker: str) -> Assignment | None:
        """The next runnable task, leased to worker; None when there is none."""
        ...

    def heartbeat(self, assignment: Assignment, worker: str) -> bool:
        """Extend the lease; False when the worker lost it."""
        ...

    def complete(self, assignment: Assignment, worker: str, outcome: Outcome) -> bool:
        """Record the outcome; False when the worker had lost the lease."""
        ...

    def wait_for_work(self, timeout: float) -> None:
        """Block until work may be ready, or timeout."""
        ...

    def notify(self) -> None:
        """Wake workers blocked in wait_for_work."""
        ...


class TaskRunner(Protocol):
    def run(self, assignment: Assignment) -> Outcome: ...


@dataclass
class _Running:
    assignment: Assignment
    worker: str
    lease_lost: bool = False
    # Set once the task ran: its lease ends when the result is recorded.
    reporting: bool = False


class WorkerPool:
    """Workers that lease, run and complete tasks.

    One heartbeat thread extends the leases of all running tasks every
    ``heartbeat_interval_s`` (a third of the lease TTL by default), so a
    lease outlives a slow task but not a dead daemon.

    Shrinking retires idle workers first and lets busy ones finish their
    task. ``stop`` takes no new tasks and waits for running ones until a
    deadline; a task still running then is abandoned: its result is never
    reported, heartbeats stop, and its lease expires so that a daemon
    retries it. Queued tasks are untouched.
    """

    def __init__(
        self,
        source: TaskSource,
        runner: TaskRunner,
        size: int,
        *,
        name: str = "worker",
        heartbeat_interval_s: float | None = None,
        idle_wait_s: float = DEFAULT_IDLE_WAIT_S,
    ) -> None:
        self._source = source
        self._runner = runner
        self._name = name
        self._idle_wait_s = idle_wait_s
        self._heartbeat_interval_s = source.lease_ttl_s / 3 if heartbeat_interval_s is None else heartbeat_interval_s
        self._lock = threading.Lock()
        # Signalled whenever a worker exits or finishes a task.
        self._changed = threading.Condition(self._lock)
        self._target = 0
        self._workers: dict[int, threading.Thread] = {}
        self._retiring: set[int] = set()
        self._running: dict[int, _Running] = {}
        self._next_id = 0
        self._lease_error_logged_at: float | None = None
        self._stopping = threading.Event()
        # Set when stop returns: whatever still runs must not report any more.
        self._abandoned = threading.Event()
        self._heartbeats = threading.Thread(target=self._heartbeat_loop, name=f"{name}-heartbeat", daemon=True)
        self._heartbeats.start()
        self.resize(size)

    @property
    def size(self) -> int:
        """The number of workers asked for."""
        with self._lock:
            return self._target

    @property
    def alive(self) -> int:
        """Worker threads still running, including retiring ones finishing a task."""
        with self._lock:
            return len(self._workers)

    @property
    def busy(self) -> int:
        with self._lock:
            return len(self._running)

    def resize(self, size: int) -> None:
        if size < 1:
            raise ValueError("pool size must be at least 1")
        with self._lock:
            self._target = size
            if self._stopping.is_set():
                return
            # Take back retiring workers before starting new threads.
            while self._retiring and self._active_count() < size:
                self._retiring.discard(max(self._retiring))
            active = [wid for wid in self._workers if wid not in self._retiring]
            idle_first = sorted(active, key=lambda wid: (wid in self._running, -wid))
            for wid in idle_first[: max(0, len(active) - size)]:
                self._retiring.add(wid)
            for _ in range(size - len(active)):
                self._start_worker()
        if self._retiring:
            # Idle workers notice they are retiring when woken.
            self._source.notify()
        log.info("executor pool resized", extra={"workers": size})

    def stop(self, grace_s: float) -> bool:
        """Take no new tasks; True when every running task ended in time."""
        self._stopping.set()
        self._source.notify()
        deadline = time.monotonic() + grace_s
        with self._changed:
            while self._workers and (remaining := deadline - time.monotonic()) > 0:
                self._changed.wait(remaining)
            abandoned = [running.assignment.task_id for running in self._running.values()]
            self._abandoned.set()
        if abandoned:
            log.warning(
                "tasks still running at shutdown stay leased until their lease expires", extra={"tasks": abandoned}
            )
        self._heartbeats.join(timeout=1.0)
        return not abandoned

    def _active_count(self) -> int:
        return len(self._workers) - len(self._retiring)

    def _start_worker(self) -> None:
        wid = self._next_id
        self._next_id += 1
        thread = threading.Thread(target=self._work, args=(wid,), name=f"{self._name}-{wid}", daemon=True)
        self._workers[wid] = thread
        thread.start()

    def _should_exit(self, wid: int) -> bool:
        with self._lock:
            if self._stopping.is_set() or wid in self._retiring:
                self._workers.pop(wid, None)
                self._retiring.discard(wid)
                self._changed.notify_all()
                return True
            return False

    def _work(self, wid: int) -> None:
        worker = f"{self._name}-{wid}"
        while not self._should_exit(wid):
            try:
                assignment = self._source.lease(worker)
            except Exception:
                self._log_lease_failure()
                self._stopping.wait(1.0)
                continue
            if assignment is None:
                self._source.wait_for_work(self._idle_wait_s)
                continue
            if self._abandoned.is_set():
                log.warning("task leased during shutdown left to its lease", extra={"task": assignment.task_id})
                continue
            entry = _Running(assignment, worker)
            with self._lock:
                self._running[wid] = entry
            try:
                self._run(entry)
            finally:
                with self._changed:
                    del self._running[wid]
                    self._changed.notify_all()

    def _log_lease_failure(self) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._lease_error_logged_at
            repeat = last is not None and now - last < LEASE_ERROR_LOG_INTERVAL_S
            if not repeat:
                self._lease_error_logged_at = now
        if repeat:
            log.debug("leasing a task failed", exc_info=True)
        else:
            log.exception("leasing a task failed; retrying every second (logged once a minute)")

    def _run(self, entry: _Running) -> None:
        assignment = entry.assignment
        try:
            outcome = self._runner.run(assignment)
        except Exception as exc:
            log.exception("task failed unexpectedly", extra={"task": assignment.task_id})
            outcome = Outcome(ok=False, transient=True, detail=f"{type(exc).__name__}: {exc}")
        entry.reporting = True
        self._report(assignment, entry.worker, outcome)

    def _report(self, assignment: Assignment, worker: str, outcome: Outcome) -> None:
        for delay in (*REPORT_RETRY_DELAYS_S, None):
            if self._abandoned.is_set():
                log.warning(
                    "task finished after the shutdown grace period; its result is dropped",
                    extra={"task": assignment.task_id},
                )
                return
            try:
                self._source.complete(assignment, worker, outcome)
                return
            except Exception:
                if delay is None:
                    log.exception(
                        "could not record a task result; the task runs again when its lease expires",
                        extra={"task": assignment.task_id},
                    )
                    return
                log.warning(
                    "recording a task result failed; retrying", extra={"task": assignment.task_id}, exc_info=True
                )
                self._abandoned.wait(delay)

    def _heartbeat_loop(self) -> None:
        while not self._abandoned.wait(self._heartbeat_interval_s):
            with self._lock:
                running = [r for r in self._running.values() if not r.lease_lost]
            for entry in running:
                if self._abandoned.is_set():
                    return
                try:
                    held = self._source.heartbeat(entry.assignment, entry.worker)
                except Exception:
                    log.warning("lease heartbeat failed", extra={"task": entry.assignment.task_id}, exc_info=True)
                    continue
                if not held:
                    if entry.reporting:
                        # Its result was recorded while this round ran: the lease ended with it.
                        continue
                    entry.lease_lost = True
                    log.warning(
                        "lost the lease of a running task; its result will be ignored",
                        extra={"task": entry.assignment.task_id, "worker": entry.worker},
                    )
