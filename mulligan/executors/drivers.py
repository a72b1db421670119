"""The driver interface: what an executor needs from a hypervisor or a BMC.

Drivers speak to one kind of host and know nothing of tasks, claims or the
database. Every method is idempotent, so a task interrupted at any point can
simply run again. A driver raises :class:`TransientDriverError` for failures
worth retrying (the host is unreachable, the connection dropped) and
:class:`DriverError` for everything a retry cannot fix (an unknown network or
image, a malformed request).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Protocol


class DriverError(Exception):
    """A permanent failure: retrying the same request gives the same answer."""

    transient = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransientDriverError(DriverError):
    """A failure that may go away by itself: retry later, with backoff."""

    transient = True


class PowerState(enum.StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    SHUTOFF = "shutoff"
    CRASHED = "crashed"
    # The machine has no domain (never provisioned, or decommissioned).
    ABSENT = "absent"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class HostFacts:
    """What inspecting a host found: its capacity and its traits."""

    hostname: str
    hypervisor: str
    arch: str
    cpus: int
    memory_mb: int
    # Size of the storage pool machine disks are created in. Its capacity,
    # not its free space: claims account for what machines use, and free
    # space shrinks with every disk, which would read as lost capacity.
    disk_gb: int
    pool: str
    traits: frozenset[str] = frozenset()
    # Active networks a machine's NIC can join.
    networks: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MachineRef:
    """Enough to find a machine's pieces on its host."""

    machine_id: str
    host_uri: str
    # None: the driver's default pool of that host.
    pool: str | None = None

    def __post_init__(self) -> None:
        try:
            canonical = str(uuid.UUID(self.machine_id))
        except (ValueError, TypeError, AttributeError):
            raise DriverError(f"machine id {self.machine_id!r} is not a UUID") from None
        # Resource names derive from the id, so one spelling per machine.
        object.__setattr__(self, "machine_id", canonical)


@dataclass(frozen=True, kw_only=True)
class MachineSpec(MachineRef):
    """Everything needed to provision one machine."""

    vcpus: int
    memory_mb: int
    # 0: a disk exactly as large as the image.
    disk_gb: int
    # A volume name in the pool (cloned), or an absolute path on the host
    # (used as the backing file of a qcow2 overlay).
    image_source: str
    image_format: str = "qcow2"
    hostname: str = ""
    ssh_keys: tuple[str, ...] = ()
    user_data: str = ""
    # A network defined on the host; None gives the machine no NIC.
    network: str | None = None

    @property
    def ref(self) -> MachineRef:
        return MachineRef(machine_id=self.machine_id, host_uri=self.host_uri, pool=self.pool)


@dataclass(frozen=True)
class ProvisionResult:
    domain: str
    pool: str
    disk_volume: str
    seed_volume: str
    mac_address: str | None
    state: PowerState
    # What this call changed, in order; empty when everything was already done.
    steps: tuple[str, ...] = field(default=())


class Driver(Protocol):
    def inspect(self, host_uri: str, *, pool: str | None = None) -> HostFacts:
        """Capacity and traits of a host."""
        ...

    def provision(self, spec: MachineSpec) -> ProvisionResult:
        """Create whatever of the machine is missing and leave it running."""
        ...

    def decommission(self, ref: MachineRef) -> None:
        """Remove the machine and its storage; a machine already gone is success."""
        ...

    def power_state(self, ref: MachineRef) -> PowerState: ...

    def close(self) -> None:
        """Release connections; the driver must not be used afterwards."""
        ...
