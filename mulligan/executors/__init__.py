"""Executors: the worker pool that runs tasks with drivers.

Executors never import control: the pool is fed through the narrow
:class:`TaskSource` interface declared here, which control implements.
"""

from typing import TYPE_CHECKING

from mulligan.executors.bmc import MeasuredBmcDriver
from mulligan.executors.bmc import driver_for as bmc_driver
from mulligan.executors.bmc.types import (
    BmcCredential,
    BmcDriver,
    BmcProtocol,
    BootDevice,
    NodeInventory,
    NodePower,
    PowerAction,
)
from mulligan.executors.dispatch import (
    BOOT_DISK,
    BOOT_RAMDISK,
    DECOMMISSION_MACHINE,
    HOST_POWER,
    INSPECT_HOST,
    MACHINE_POWER,
    PREPARE_BOOT,
    PROVISION_MACHINE,
    Dispatcher,
)
from mulligan.executors.drivers import (
    Driver,
    DriverError,
    HostFacts,
    MachineRef,
    MachineSpec,
    PowerState,
    ProvisionResult,
    TransientDriverError,
)
from mulligan.executors.node import bmc_credential, inband_facts, node_config_drive
from mulligan.executors.pool import Assignment, Outcome, TaskRunner, TaskSource, WorkerPool

if TYPE_CHECKING:
    from mulligan.executors.libvirt import LibvirtDriver

__all__ = [
    "BOOT_DISK",
    "BOOT_RAMDISK",
    "DECOMMISSION_MACHINE",
    "HOST_POWER",
    "INSPECT_HOST",
    "MACHINE_POWER",
    "PREPARE_BOOT",
    "PROVISION_MACHINE",
    "Assignment",
    "BmcCredential",
    "BmcDriver",
    "BmcProtocol",
    "BootDevice",
    "Dispatcher",
    "Driver",
    "DriverError",
    "HostFacts",
    "LibvirtDriver",
    "MachineRef",
    "MachineSpec",
    "MeasuredBmcDriver",
    "NodeInventory",
    "NodePower",
    "Outcome",
    "PowerAction",
    "PowerState",
    "ProvisionResult",
    "TaskRunner",
    "TaskSource",
    "TransientDriverError",
    "WorkerPool",
    "bmc_credential",
    "bmc_driver",
    "inband_facts",
    "node_config_drive",
]


def __getattr__(name: str) -> object:
    # libvirt-python is optional: it is imported only when the driver is used.
    if name == "LibvirtDriver":
        from mulligan.executors.libvirt import LibvirtDriver

        return LibvirtDriver
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
