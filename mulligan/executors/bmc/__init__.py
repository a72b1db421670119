"""Baremetal nodes through their BMCs: IPMI (pyghmi) and Redfish (sushy).

The types and :func:`driver_for` import nothing heavy; each driver loads its
client library when it is first asked for (sushy alone takes half a second).
"""

from typing import TYPE_CHECKING

from mulligan.executors.bmc.measured import MeasuredBmcDriver
from mulligan.executors.bmc.types import (
    BmcCredential,
    BmcDriver,
    BmcProtocol,
    BootDevice,
    DiskInfo,
    NicInfo,
    NodeInventory,
    NodePower,
    PowerAction,
)

if TYPE_CHECKING:
    from mulligan.executors.bmc.ipmi import IpmiDriver
    from mulligan.executors.bmc.redfish import RedfishDriver

__all__ = [
    "BmcCredential",
    "BmcDriver",
    "BmcProtocol",
    "BootDevice",
    "DiskInfo",
    "IpmiDriver",
    "MeasuredBmcDriver",
    "NicInfo",
    "NodeInventory",
    "NodePower",
    "PowerAction",
    "RedfishDriver",
    "driver_for",
]


def driver_for(protocol: BmcProtocol | str) -> BmcDriver:
    """A new driver for ``protocol``; share it between threads, close it when done."""
    match BmcProtocol(protocol):
        case BmcProtocol.IPMI:
            from mulligan.executors.bmc.ipmi import IpmiDriver

            return IpmiDriver()
        case BmcProtocol.REDFISH:
            from mulligan.executors.bmc.redfish import RedfishDriver

            return RedfishDriver()


def __getattr__(name: str) -> object:
    if name == "IpmiDriver":
        from mulligan.executors.bmc.ipmi import IpmiDriver

        return IpmiDriver
    if name == "RedfishDriver":
        from mulligan.executors.bmc.redfish import RedfishDriver

        return RedfishDriver
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
