"""Domain types of the control module: hosts, images, machines."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


class HostKind(enum.StrEnum):
    HYPERVISOR = "hypervisor"
    BAREMETAL = "baremetal"


class HostState(enum.StrEnum):
    ENROLLING = "enrolling"
    READY = "ready"
    ERROR = "error"


class PowerAction(enum.StrEnum):
    ON = "on"
    OFF = "off"
    SOFT_OFF = "soft_off"
    REBOOT = "reboot"
    SOFT_REBOOT = "soft_reboot"


class ImageFormat(enum.StrEnum):
    QCOW2 = "qcow2"
    RAW = "raw"


class MachineKind(enum.StrEnum):
    VM = "vm"
    BAREMETAL = "baremetal"


class MachineState(enum.StrEnum):
    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    RESERVED = "reserved"
    PROVISIONING = "provisioning"
    ACTIVE = "active"
    DECOMMISSIONING = "decommissioning"
    DECOMMISSIONED = "decommissioned"
    ERROR = "error"


# States a machine holds capacity in (its claim is not yet released).
LIVE_STATES = frozenset(
    {
        MachineState.SCHEDULED,
        MachineState.RESERVED,
        MachineState.PROVISIONING,
        MachineState.ACTIVE,
        MachineState.DECOMMISSIONING,
        MachineState.ERROR,
    }
)


@dataclass(frozen=True)
class BmcAccess:
    """How to reach a baremetal node's BMC, as the operator enrolls it."""

    protocol: str
    address: str
    port: int = 0
    username: str = ""
    password: str = field(default="", repr=False)
    # Redfish only: HTTPS, and whether to check the BMC's certificate
    # (against ca_pem, else the system's CAs).
    tls: bool = False
    verify_tls: bool = True
    ca_pem: str = ""
    # 0: the daemon's defaults.
    timeout_s: float = 0.0
    retries: int = -1


@dataclass(frozen=True)
class NodeProperties:
    """What an operator declares about a node its BMC does not report."""

    cpus: int = 0
    memory_mb: int = 0
    disk_gb: int = 0
    arch: str = ""
    traits: tuple[str, ...] = ()
    # The NICs' MAC addresses, for network boot (an IPMI BMC does not report them).
    macs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Host:
    id: str
    name: str
    kind: HostKind
    region_id: str
    uri: str | None
    bmc_address: str | None
    bmc_port: int | None
    bmc_username: str | None
    state: HostState
    enabled: bool
    error: str
    cpus: int
    memory_mb: int
    disk_gb: int
    traits: tuple[str, ...]
    networks: tuple[str, ...]
    inspected_at: datetime | None
    created_at: datetime
    bmc_protocol: str | None = None
    power_state: str | None = None
    power_synced_at: datetime | None = None
    maintenance: bool = False
    maintenance_reason: str = ""
    # MAC addresses of the node's NICs, as inspection found them.
    macs: tuple[str, ...] = ()

    @property
    def provider_id(self) -> str:
        # A host's resource provider carries the host's own UUID.
        return self.id


@dataclass(frozen=True)
class Image:
    id: str
    name: str
    format: ImageFormat
    source: str
    size_gb: int
    os_hints: Mapping[str, str]
    # None: a system image.
    project_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class Resources:
    vcpus: int
    memory_mb: int
    disk_gb: int


@dataclass(frozen=True)
class MachineRequest:
    """What a tenant asks for; references are UUIDs, names or slugs."""

    name: str
    image: str
    project: str | None = None
    kind: MachineKind = MachineKind.VM
    resources: Resources | None = None
    shape: str = ""
    required_traits: frozenset[str] = frozenset()
    forbidden_traits: frozenset[str] = frozenset()
    region: str = ""
    ssh_keys: tuple[str, ...] = ()
    user_data: str = ""
    network: str = ""
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Machine:
    id: str
    name: str
    project_id: str
    kind: MachineKind
    state: MachineState
    error: str
    resources: Resources
    image_id: str
    host_id: str | None
    region_id: str | None
    network: str | None
    start: datetime
    end: datetime | None
    created_at: datetime
    updated_at: datetime
    # Where a baremetal deploy or cleaning is (see control/deploys.py); empty otherwise.
    step: str = ""


@dataclass(frozen=True)
class MachineEvent:
    revision: int
    machine: Machine


@dataclass(frozen=True)
class MachineFilter:
    states: frozenset[MachineState] = field(default_factory=frozenset)
    host: str = ""
    project: str = ""
