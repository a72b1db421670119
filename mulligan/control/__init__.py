"""Control: hosts, machines, images; validates commands, queues tasks, applies results."""

from mulligan.control.events import MachineWatch
from mulligan.control.migrations import MIGRATIONS
from mulligan.control.service import ControlService, RuntimeSettings
from mulligan.control.shapes import SHAPES
from mulligan.control.tasks import ResultHandler, Task, TaskQueue, TaskState
from mulligan.control.types import (
    Host,
    HostKind,
    HostState,
    Image,
    ImageFormat,
    Machine,
    MachineEvent,
    MachineFilter,
    MachineKind,
    MachineRequest,
    MachineState,
    Resources,
)

__all__ = [
    "MIGRATIONS",
    "SHAPES",
    "ControlService",
    "Host",
    "HostKind",
    "HostState",
    "Image",
    "ImageFormat",
    "Machine",
    "MachineEvent",
    "MachineFilter",
    "MachineKind",
    "MachineRequest",
    "MachineState",
    "MachineWatch",
    "Resources",
    "ResultHandler",
    "RuntimeSettings",
    "Task",
    "TaskQueue",
    "TaskState",
]
