"""What control needs from a baremetal node's BMC, whatever protocol it speaks.

The interface is small on purpose: power, boot device, and the inventory a
BMC can report out of band. Each call runs under the credential's timeout
and retries; a BMC that does not answer raises
:class:`~mulligan.executors.TransientDriverError`, a BMC that refuses
(wrong password, unsupported request) raises
:class:`~mulligan.executors.DriverError`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol


class BmcProtocol(enum.StrEnum):
    IPMI = "ipmi"
    REDFISH = "redfish"


class NodePower(enum.StrEnum):
    ON = "on"
    OFF = "off"
    UNKNOWN = "unknown"


class PowerAction(enum.StrEnum):
    ON = "on"
    # Graceful: the OS is asked to shut down (ACPI); hard: cut the power.
    SOFT_OFF = "soft_off"
    OFF = "off"
    SOFT_REBOOT = "soft_reboot"
    REBOOT = "reboot"


class BootDevice(enum.StrEnum):
    NETWORK = "network"
    DISK = "disk"
    CD = "cd"


@dataclass(frozen=True, kw_only=True)
class BmcCredential:
    """How to reach one BMC. ``password`` is bytes so that it is never
    formatted into a message by accident; ``repr`` hides it."""

    protocol: BmcProtocol
    address: str
    port: int
    username: str
    password: bytes = field(repr=False)
    # Redfish over HTTPS: verify the BMC's certificate (against ca_file, or
    # the system's CAs when ca_file is empty).
    tls: bool = False
    verify_tls: bool = True
    ca_file: str = ""
    # Every single BMC call gives up after timeout_s; a failed call is tried
    # again up to ``retries`` times before TransientDriverError.
    timeout_s: float = 10.0
    retries: int = 2
    # How long a power change may take to show before the call fails.
    power_wait_s: float = 120.0

    @property
    def key(self) -> str:
        """Identifies the BMC (for connection reuse and logs); no secret."""
        return f"{self.protocol}://{self.username}@{self.address}:{self.port}"


@dataclass(frozen=True)
class NicInfo:
    mac: str
    speed_mbps: int = 0


@dataclass(frozen=True)
class DiskInfo:
    name: str
    size_gb: int
    serial: str = ""
    rotational: bool | None = None


@dataclass(frozen=True)
class NodeInventory:
    """What a BMC reports out of band; zero or empty where it says nothing."""

    manufacturer: str = ""
    model: str = ""
    serial: str = ""
    arch: str = ""
    cpus: int = 0
    cpu_model: str = ""
    memory_mb: int = 0
    disks: tuple[DiskInfo, ...] = ()
    nics: tuple[NicInfo, ...] = ()
    boot_modes: tuple[str, ...] = ()


class BmcDriver(Protocol):
    """One protocol's driver; stateless apart from sessions it reuses per BMC."""

    def power_state(self, bmc: BmcCredential) -> NodePower: ...

    def set_power(self, bmc: BmcCredential, action: PowerAction) -> NodePower:
        """Apply ``action`` and wait (up to ``bmc.power_wait_s``) until the
        node reports the resulting state; return it. Idempotent: powering on
        a node that is on succeeds at once."""
        ...

    def set_boot_device(self, bmc: BmcCredential, device: BootDevice, *, persistent: bool = False) -> None:
        """Boot from ``device`` at the next boot only, or every boot."""
        ...

    def boot_device(self, bmc: BmcCredential) -> BootDevice | None:
        """The boot device the BMC has set (None: none or unknown)."""
        ...

    def inventory(self, bmc: BmcCredential) -> NodeInventory: ...

    def insert_media(self, bmc: BmcCredential, url: str) -> None:
        """Put the ISO at ``url`` into the BMC's virtual CD drive (the BMC
        fetches it), ejecting what was there. DriverError where the BMC has
        no virtual media (IPMI)."""
        ...

    def close(self) -> None:
        """Drop every session; the driver must not be used afterwards."""
        ...
