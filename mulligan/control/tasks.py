"""Control's side of the executor interface: the queue of tasks.

Commands that need work on a host write a task row in the same transaction
as their state change, then wake the pool through :meth:`TaskQueue.notify`.
"""

from __future__ import annotations

import threading

from mulligan.executors import Assignment, Outcome


class TaskQueue:
    """The executors' :class:`~mulligan.executors.TaskSource`.

    No command queues tasks yet, so there is never anything to lease.
    """

    def __init__(self) -> None:
        self._wake = threading.Event()

    def notify(self) -> None:
        self._wake.set()

    def lease(self, worker: str) -> Assignment | None:
        return None

    def heartbeat(self, assignment: Assignment, worker: str) -> bool:
        return False

    def complete(self, assignment: Assignment, worker: str, outcome: Outcome) -> None:
        return None

    def wait_for_work(self, timeout: float) -> None:
        if self._wake.wait(timeout):
            self._wake.clear()


class NoDrivers:
    """Runs nothing: no task kinds exist yet."""

    def run(self, assignment: Assignment) -> Outcome:
        return Outcome(ok=False, detail=f"no driver for task kind {assignment.kind!r}")
