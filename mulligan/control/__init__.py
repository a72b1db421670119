"""Control: hosts, machines, images; validates commands, queues tasks, applies results."""

from mulligan.control.boot_endpoint import BootEndpointConfig
from mulligan.control.credentials import load_or_create_key
from mulligan.control.deploys import DeploySettings
from mulligan.control.events import MachineWatch
from mulligan.control.migrations import MIGRATIONS
from mulligan.control.power_sync import SyncSettings
from mulligan.control.service import ControlService, RuntimeSettings
from mulligan.control.shapes import SHAPES
from mulligan.control.tasks import ResultHandler, Task, TaskQueue, TaskState
from mulligan.control.types import (
    BmcAccess,
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
    NodeProperties,
    PowerAction,
    Resources,
)

__all__ = [
    "MIGRATIONS",
    "SHAPES",
    "BmcAccess",
    "BootEndpointConfig",
    "ControlService",
    "DeploySettings",
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
    "NodeProperties",
    "PowerAction",
    "Resources",
    "ResultHandler",
    "RuntimeSettings",
    "SyncSettings",
    "Task",
    "TaskQueue",
    "TaskState",
    "load_or_create_key",
]
