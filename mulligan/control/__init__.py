"""Control: hosts, machines, images; validates commands, queues tasks, applies results."""

from mulligan.control.migrations import MIGRATIONS
from mulligan.control.service import ControlService, RuntimeSettings
from mulligan.control.tasks import NoDrivers, ResultHandler, Task, TaskQueue, TaskState

__all__ = [
    "MIGRATIONS",
    "ControlService",
    "NoDrivers",
    "ResultHandler",
    "RuntimeSettings",
    "Task",
    "TaskQueue",
    "TaskState",
]
