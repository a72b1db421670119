"""Executors: the worker pool that runs tasks with drivers.

Executors never import control: the pool is fed through the narrow
:class:`TaskSource` interface declared here, which control implements.
"""

from mulligan.executors.pool import Assignment, Outcome, TaskRunner, TaskSource, WorkerPool

__all__ = ["Assignment", "Outcome", "TaskRunner", "TaskSource", "WorkerPool"]
