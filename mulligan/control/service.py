"""The control module's Python API and domain logic."""

from __future__ import annotations

from dataclasses import dataclass

from mulligan import runtime
from mulligan.errors import InvalidArgument
from mulligan.executors import WorkerPool

MAX_EXECUTOR_WORKERS = 256


@dataclass(frozen=True)
class RuntimeSettings:
    log_level: str
    executor_workers: int


class ControlService:
    def __init__(self, pool: WorkerPool) -> None:
        self._pool = pool

    def configure(
        self, *, log_level: str | None = None, executor_workers: int | None = None
    ) -> RuntimeSettings:
        """Change runtime settings; return those in force."""
        if executor_workers is not None and not 1 <= executor_workers <= MAX_EXECUTOR_WORKERS:
            raise InvalidArgument(
                f"executor_workers must be between 1 and {MAX_EXECUTOR_WORKERS}, got {executor_workers}",
                reason="INVALID_EXECUTOR_WORKERS",
            )
        level = runtime.log_level("control", log_level)
        if executor_workers is not None:
            self._pool.resize(executor_workers)
        return RuntimeSettings(log_level=level, executor_workers=self._pool.size)
