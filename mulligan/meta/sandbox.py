"""Schema checks in worker processes, each check within a time limit.

A tenant's schema can make validation run for minutes (a ``pattern`` that
backtracks, ``patternProperties``, ``uniqueItems`` over thousands of
objects) while holding the interpreter lock, which would stall every RPC of
the daemon, health checks included. The checks of :mod:`mulligan.meta.schemas`
therefore run in child processes: the calling thread only waits on a pipe,
and a check that runs past the time limit has its process killed and is
refused with ``VALIDATION_TOO_COSTLY``.

Workers are plain ``python -m mulligan.meta.worker`` processes (not
forked: forking a process that runs gRPC threads is unsafe), reading one
JSON request a line on stdin and answering one JSON line on stdout. They
are started on first use, reused, and shared by every service of the
process, since they hold no state. The time limit starts once a worker
has said it is ready, so a slow start is never taken for a costly check.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import queue
import select
import subprocess
import sys
import threading
import time
from typing import Any

from mulligan.errors import FailedPrecondition, InvalidArgument, MulliganError
from mulligan.meta import schemas

DEFAULT_TIME_LIMIT_S = 2.0
DEFAULT_WORKERS = 2
# Starting a worker imports jsonschema and Mulligan's meta package.
_START_LIMIT_S = 60.0
_ERRORS: dict[str, type[MulliganError]] = {"InvalidArgument": InvalidArgument, "FailedPrecondition": FailedPrecondition}


class SandboxFailure(RuntimeError):
    """A worker died or answered nonsense: a fault of the daemon, not of the request."""


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mulligan.meta.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        self._pending = b""
        try:
            ready = self._read(time.monotonic() + _START_LIMIT_S)
        except BaseException:
            self.kill()
            raise
        if ready != {"ready": True}:
            self.kill()
            raise SandboxFailure(f"schema worker did not start: {ready!r}")

    def ask(self, request: dict[str, Any], deadline: float) -> dict[str, Any] | None:
        """The answer, or None when the deadline passed first."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except OSError as exc:
            raise SandboxFailure(f"schema worker gone: {exc}") from None
        return self._read(deadline)

    def _read(self, deadline: float) -> dict[str, Any] | None:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        # poll, not select: a busy daemon's descriptors may pass select's 1024.
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        while b"\n" not in self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(remaining * 1000):
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                raise SandboxFailure(f"schema worker exited with {self.process.wait()}")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Sandbox:
    """Runs :func:`~mulligan.meta.schemas.check_schema` and ``check_value`` in workers."""

    def __init__(self, *, workers: int = DEFAULT_WORKERS, time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> None:
        self._time_limit_s = time_limit_s
        self._slots = threading.BoundedSemaphore(workers)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._closed = False

    def check_schema(self, schema: Any) -> None:
        schemas.check_depth(schema, "the schema")
        self._run({"check": "schema", "schema": schema})

    def check_value(self, schema: Any, value: Any, label: str) -> None:
        schemas.check_depth(value, f"the value of {label}")
        self._run({"check": "value", "schema": schema, "value": value, "label": label})

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return

    def _run(self, request: dict[str, Any]) -> None:
        with self._slots:
            worker = self._take()
            deadline = time.monotonic() + self._time_limit_s
            try:
                answer = worker.ask(request, deadline)
            except BaseException:
                worker.kill()
                raise
            if answer is None:
                worker.kill()
                raise InvalidArgument(
                    f"checking against this schema took longer than {self._time_limit_s:g} s and was stopped; "
                    "simplify its patterns or the value",
                    reason="VALIDATION_TOO_COSTLY",
                    metadata={"time_limit_s": f"{self._time_limit_s:g}"},
                )
            self._give_back(worker)
        error = answer.get("error")
        if error is None:
            return
        if error["type"] not in _ERRORS:
            raise SandboxFailure(f"a schema check failed in its worker: {error['message']}")
        raise _ERRORS[error["type"]](error["message"], reason=error["reason"], metadata=error["metadata"])

    def _take(self) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return _Worker()
            if worker.process.poll() is None:
                return worker
            worker.kill()

    def _give_back(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)


@functools.cache
def shared() -> Sandbox:
    """The process's sandbox, its workers ended when the process exits."""
    sandbox = Sandbox()
    atexit.register(sandbox.close)
    return sandbox
