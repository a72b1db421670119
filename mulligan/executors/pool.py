"""A resizable pool of worker threads taking leased tasks from a source."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger("mulligan.executors")


@dataclass(frozen=True)
class Assignment:
    """A task leased to one worker."""

    task_id: str
    kind: str
    payload: Mapping[str, Any]
    attempt: int = 1


@dataclass(frozen=True)
class Outcome:
    ok: bool
    # Transient failures are retried by the source with backoff.
    transient: bool = False
    detail: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


class TaskSource(Protocol):
    def lease(self, worker: str) -> Assignment | None:
        """The next runnable task, leased to worker; None when there is none."""
        ...

    def heartbeat(self, assignment: Assignment, worker: str) -> bool:
        """Extend the lease; False when the worker lost it."""
        ...

    def complete(self, assignment: Assignment, worker: str, outcome: Outcome) -> None: ...

    def wait_for_work(self, timeout: float) -> None:
        """Block until work may be ready, or timeout."""
        ...


class TaskRunner(Protocol):
    def run(self, assignment: Assignment) -> Outcome: ...


class WorkerPool:
    """Workers that lease, run and complete tasks.

    Shrinking lets busy workers finish their task first. ``stop`` takes no
    new tasks and waits for running ones until a deadline; a task still
    running then keeps its lease, which expires so another daemon retries it.
    """

    def __init__(self, source: TaskSource, runner: TaskRunner, size: int, *, name: str = "worker") -> None:
        self._source = source
        self._runner = runner
        self._name = name
        self._lock = threading.Lock()
        self._target = 0
        self._workers: dict[int, threading.Thread] = {}
        self._retiring: set[int] = set()
        self._next_id = 0
        self._stopping = threading.Event()
        self._busy = 0
        self.resize(size)

    @property
    def size(self) -> int:
        with self._lock:
            return self._target

    @property
    def busy(self) -> int:
        with self._lock:
            return self._busy

    def resize(self, size: int) -> None:
        if size < 1:
            raise ValueError("pool size must be at least 1")
        with self._lock:
            self._target = size
            alive = [wid for wid in self._workers if wid not in self._retiring]
            for wid in alive[size:]:
                self._retiring.add(wid)
            while len(alive) < size and not self._stopping.is_set():
                wid = self._next_id
                self._next_id += 1
                thread = threading.Thread(target=self._work, args=(wid,), name=f"{self._name}-{wid}", daemon=True)
                self._workers[wid] = thread
                alive.append(wid)
                thread.start()
        log.info("executor pool resized", extra={"workers": size})

    def stop(self, grace_s: float) -> bool:
        """Stop taking tasks; True when every running task ended in time."""
        self._stopping.set()
        deadline = time.monotonic() + grace_s
        with self._lock:
            threads = list(self._workers.values())
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in threads)

    def _should_exit(self, wid: int) -> bool:
        with self._lock:
            if self._stopping.is_set() or wid in self._retiring:
                self._workers.pop(wid, None)
                self._retiring.discard(wid)
                return True
            return False

    def _work(self, wid: int) -> None:
        worker = f"{self._name}-{wid}"
        while not self._should_exit(wid):
            try:
                assignment = self._source.lease(worker)
            except Exception:
                log.exception("leasing a task failed")
                self._stopping.wait(1.0)
                continue
            if assignment is None:
                self._source.wait_for_work(0.5)
                continue
            with self._lock:
                self._busy += 1
            try:
                self._run(assignment, worker)
            finally:
                with self._lock:
                    self._busy -= 1

    def _run(self, assignment: Assignment, worker: str) -> None:
        try:
            outcome = self._runner.run(assignment)
        except Exception as exc:
            log.exception("task failed unexpectedly", extra={"task": assignment.task_id})
            outcome = Outcome(ok=False, transient=True, detail=f"{type(exc).__name__}: {exc}")
        self._source.complete(assignment, worker, outcome)
