"""Baremetal nodes through Redfish, with sushy.

The node is the BMC's first ComputerSystem. Power actions map onto
``ComputerSystem.Reset``: ``on`` is On, ``off`` ForceOff, ``soft_off``
GracefulShutdown, ``reboot`` ForceRestart and ``soft_reboot``
GracefulRestart (both On when the node is off). Boot devices are the
override targets Pxe, Hdd and Cd, Once or Continuous.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests
import sushy
from sushy import auth as sushy_auth
from sushy import connector as sushy_connector
from sushy import exceptions as sushy_exceptions

from mulligan.executors.bmc.sessions import SessionPool
from mulligan.executors.bmc.types import (
    BmcCredential,
    BootDevice,
    DiskInfo,
    NicInfo,
    NodeInventory,
    NodePower,
    PowerAction,
)
from mulligan.executors.drivers import DriverError, TransientDriverError

_GIB = 1024**3

_POWER = {
    sushy.PowerState.ON: NodePower.ON,
    # A node on its way is reported where it is going, as the BMC will
    # refuse the opposite request until it gets there.
    sushy.PowerState.POWERING_ON: NodePower.ON,
    sushy.PowerState.OFF: NodePower.OFF,
    sushy.PowerState.POWERING_OFF: NodePower.OFF,
}
_TARGETS = {
    BootDevice.NETWORK: sushy.BootSource.PXE,
    BootDevice.DISK: sushy.BootSource.HDD,
    BootDevice.CD: sushy.BootSource.CD,
}
_DEVICES = {target: device for device, target in _TARGETS.items()}
# Architectures by instruction set, else by processor architecture, named as Linux does.
_ARCH_BY_ISA = {
    "x86-64": "x86_64",
    "x86": "i686",
    "ARM-A64": "aarch64",
    "ARM-A32": "armv7l",
    "PowerISA": "ppc64le",
    "MIPS64": "mips64",
}
_ARCH_BY_FAMILY = {"x86": "x86_64", "ARM": "aarch64", "Power": "ppc64le"}
_BOOT_MODES = {"Legacy": "bios", "UEFI": "uefi"}


@dataclass
class _Redfish:
    """One authenticated connection to a BMC."""

    root: Any
    auth: Any
    connector: Any
    # Found on first use: the path of the node's ComputerSystem.
    system_path: str | None = field(default=None)

    def system(self) -> Any:
        if self.system_path is None:
            members = sorted(self.root.get_system_collection().members_identities)
            if not members:
                raise DriverError("the BMC manages no ComputerSystem")
            self.system_path = members[0]
        return self.root.get_system(self.system_path)


def _base_url(bmc: BmcCredential) -> str:
    host = f"[{bmc.address}]" if ":" in bmc.address else bmc.address
    return f"{'https' if bmc.tls else 'http'}://{host}:{bmc.port}"


class _Sessions(SessionPool[_Redfish]):
    protocol_name = "Redfish"
    drop_abandoned = True

    def connect(self, bmc: BmcCredential) -> _Redfish:
        try:
            password = bmc.password.decode()
        except UnicodeDecodeError:
            raise DriverError(f"{bmc.key}: a Redfish password must be UTF-8 text") from None
        verify: bool | str = bmc.verify_tls and (bmc.ca_file or True)
        connector = sushy_connector.Connector(
            _base_url(bmc),
            verify=verify,
            # One try per request: retries are counted (and bounded) here.
            server_side_retries=1,
            server_side_retries_delay=0,
            default_request_timeout=bmc.timeout_s,
            connect_timeout=bmc.timeout_s,
        )
        # A Redfish session where the BMC offers one, HTTP basic auth otherwise.
        auth = sushy_auth.SessionOrBasicAuth(username=bmc.username, password=password)
        try:
            root = sushy.Sushy(_base_url(bmc), auth=auth, connector=connector)
        except BaseException:
            connector.close()
            raise
        return _Redfish(root=root, auth=auth, connector=connector)

    def retire(self, session: _Redfish) -> None:
        # An abandoned attempt may still be using it: only forget it here;
        # its sockets close when that attempt ends.
        session.system_path = None

    def disconnect(self, session: _Redfish) -> None:
        try:
            session.auth.close()
        finally:
            session.connector.close()

    def translate(self, exc: BaseException, bmc: BmcCredential, doing: str) -> DriverError:
        where = f"{doing} on {bmc.key}"
        if isinstance(exc, DriverError):
            return exc
        if isinstance(exc, sushy_exceptions.AccessError):
            if exc.status_code == 403:
                return DriverError(f"{where}: the BMC refused the request (the account lacks the privilege)")
            return DriverError(f"{where}: the BMC refused the credentials (wrong username or password)")
        if isinstance(exc, sushy_exceptions.ConnectionError):
            if isinstance(exc.__context__, requests.exceptions.SSLError):
                return DriverError(f"{where}: TLS failed: {exc.__context__}")
            return TransientDriverError(f"{where}: {_connection_problem(exc.__context__)}")
        if isinstance(exc, sushy_exceptions.ServerSideError):
            return TransientDriverError(f"{where}: {exc}")
        if isinstance(exc, sushy_exceptions.SushyError):
            return DriverError(f"{where}: {exc}")
        if isinstance(exc, OSError):
            return TransientDriverError(f"{where}: {exc}")
        return DriverError(f"{where}: unexpected answer from the BMC ({type(exc).__name__}: {exc})")


def _connection_problem(cause: BaseException | None) -> str:
    if isinstance(cause, requests.exceptions.Timeout):
        return "no answer from the BMC"
    if isinstance(cause, requests.exceptions.ConnectionError):
        return "cannot connect to the BMC"
    return f"connection to the BMC failed: {cause}"


class RedfishDriver:
    """:class:`~mulligan.executors.bmc.BmcDriver` for Redfish BMCs; safe to share between threads."""

    def __init__(self) -> None:
        self._sessions = _Sessions()

    def close(self) -> None:
        self._sessions.close()

    # -- power ---------------------------------------------------------------

    def power_state(self, bmc: BmcCredential) -> NodePower:
        return self._sessions.call(bmc, "reading power", _read_power)

    def set_power(self, bmc: BmcCredential, action: PowerAction) -> NodePower:
        current = self.power_state(bmc)
        if action is PowerAction.ON:
            return current if current is NodePower.ON else self._reset(bmc, sushy.ResetType.ON, NodePower.ON)
        if action is PowerAction.OFF:
            return current if current is NodePower.OFF else self._reset(bmc, sushy.ResetType.FORCE_OFF, NodePower.OFF)
        if action is PowerAction.SOFT_OFF:
            if current is NodePower.OFF:
                return current
            return self._reset(bmc, sushy.ResetType.GRACEFUL_SHUTDOWN, NodePower.OFF)
        if current is NodePower.OFF:
            # Rebooting a node that is off starts it, as operators expect.
            return self._reset(bmc, sushy.ResetType.ON, NodePower.ON)
        if action is PowerAction.SOFT_REBOOT:
            return self._reset(bmc, sushy.ResetType.GRACEFUL_RESTART, NodePower.ON, retry=False)
        if action is PowerAction.REBOOT:
            return self._reset(bmc, sushy.ResetType.FORCE_RESTART, NodePower.ON, retry=False)
        raise DriverError(f"unknown power action {action!r}")

    def _reset(self, bmc: BmcCredential, reset: Any, want: NodePower, *, retry: bool = True) -> NodePower:
        # Restarts are not retried: one whose answer was lost would restart twice.
        def request(rf: _Redfish) -> None:
            rf.system().reset_system(reset)

        self._sessions.call(bmc, f"requesting {reset.value}", request, retry=retry)
        return self._sessions.poll(bmc, f"waiting for power {want}", _read_power, lambda power: power is want)

    # -- boot device ---------------------------------------------------------

    def set_boot_device(self, bmc: BmcCredential, device: BootDevice, *, persistent: bool = False) -> None:
        enabled = sushy.BootSourceOverrideEnabled.CONTINUOUS if persistent else sushy.BootSourceOverrideEnabled.ONCE

        def set_boot(rf: _Redfish) -> None:
            rf.system().set_system_boot_options(target=_TARGETS[device], enabled=enabled)

        self._sessions.call(bmc, f"setting the boot device to {device}", set_boot)

    def boot_device(self, bmc: BmcCredential) -> BootDevice | None:
        def read(rf: _Redfish) -> BootDevice | None:
            boot = rf.system().boot
            if boot is None or boot.enabled is sushy.BootSourceOverrideEnabled.DISABLED:
                return None
            return _DEVICES.get(boot.target)

        return self._sessions.call(bmc, "reading the boot device", read)

    # -- virtual media -------------------------------------------------------

    def insert_media(self, bmc: BmcCredential, url: str) -> None:
        def insert(rf: _Redfish) -> None:
            drive = _virtual_cd(rf)
            if drive.inserted:
                drive.eject_media()
            drive.insert_media(url, inserted=True, write_protected=True)

        # Not retried: an insert whose answer was lost may be under way (the BMC downloads the image).
        self._sessions.call(bmc, "inserting virtual media", insert, retry=False)

    # -- inventory -----------------------------------------------------------

    def inventory(self, bmc: BmcCredential) -> NodeInventory:
        return self._sessions.call(bmc, "reading the inventory", _read_inventory)


def _virtual_cd(rf: _Redfish) -> Any:
    """The node's virtual CD drive: the System's own, else its first Manager's."""
    system = rf.system()
    collections = []
    for owner in (system, *(_optional(lambda: system.managers, []))[:1]):
        found = _optional(lambda owner=owner: owner.virtual_media.get_members(), [])
        collections.extend(found)
    for drive in collections:
        if any(str(getattr(kind, "value", kind)).upper() in ("CD", "DVD") for kind in drive.media_types or ()):
            return drive
    raise DriverError("the BMC offers no virtual CD drive")


def _read_power(rf: _Redfish) -> NodePower:
    return _POWER.get(rf.system().power_state, NodePower.UNKNOWN)


def _members(owner: Any, collection: str) -> list[Any]:
    """The members of ``owner.<collection>``, or none if the BMC lacks that part."""
    return _optional(lambda: getattr(owner, collection).get_members(), [])  # type: ignore[no-any-return]


def _optional(read: Any, default: Any) -> Any:
    """What ``read()`` returns, or ``default`` if the BMC lacks that part.

    A BMC that lacks a part may say so with any error status (sushy's
    emulator answers 500 for absent storage); one that stops answering or
    refuses the credentials still fails the whole inventory, so zeros never
    stand in for an outage.
    """
    try:
        return read()
    except (sushy_exceptions.ConnectionError, sushy_exceptions.AccessError):
        raise
    except sushy_exceptions.SushyError:
        return default


def _read_inventory(rf: _Redfish) -> NodeInventory:
    system = rf.system()
    processors = _members(system, "processors")
    cpus, cpu_model, arch = 0, "", ""
    for processor in processors:
        if processor.processor_type not in (None, sushy.ProcessorType.CPU):
            continue
        cpus += processor.total_threads or processor.total_cores or 1
        cpu_model = cpu_model or (processor.model or "").strip()
        if not arch and processor.instruction_set is not None:
            arch = _ARCH_BY_ISA.get(processor.instruction_set.value, "")
        if not arch and processor.processor_architecture is not None:
            arch = _ARCH_BY_FAMILY.get(processor.processor_architecture.value, "")
    memory = system.memory_summary
    memory_gib = memory.size_gib if memory is not None and memory.size_gib else 0
    boot = system.boot
    boot_modes: tuple[str, ...] = ()
    if boot is not None and boot.mode is not None:
        boot_modes = (_BOOT_MODES.get(boot.mode.value, boot.mode.value.lower()),)
    return NodeInventory(
        manufacturer=(system.manufacturer or "").strip(),
        model=(system.model or "").strip(),
        serial=(system.serial_number or "").strip(),
        arch=arch,
        cpus=cpus,
        cpu_model=cpu_model,
        memory_mb=int(memory_gib * 1024),
        disks=_disks(system),
        nics=_nics(system),
        boot_modes=boot_modes,
    )


def _disks(system: Any) -> tuple[DiskInfo, ...]:
    """Drives of the Storage service, else devices of SimpleStorage."""
    disks: list[DiskInfo] = []
    for storage in _members(system, "storage"):
        for drive in _optional(lambda storage=storage: storage.drives, []):
            media = getattr(drive.media_type, "value", drive.media_type) or ""
            disks.append(
                DiskInfo(
                    name=drive.name or drive.identity,
                    size_gb=(drive.capacity_bytes or 0) // _GIB,
                    serial=(drive.serial_number or "").strip(),
                    rotational={"HDD": True, "SSD": False}.get(media),
                )
            )
    if disks:
        return tuple(disks)
    for simple in _members(system, "simple_storage"):
        for device in simple.devices or []:
            if device.capacity_bytes:
                disks.append(DiskInfo(name=device.name, size_gb=device.capacity_bytes // _GIB))
    return tuple(disks)


def _nics(system: Any) -> tuple[NicInfo, ...]:
    nics: list[NicInfo] = []
    for interface in _members(system, "ethernet_interfaces"):
        mac = (interface.mac_address or interface.permanent_mac_address or "").strip().lower()
        if mac:
            nics.append(NicInfo(mac=mac, speed_mbps=int(interface.speed_mbps or 0)))
    return tuple(nics)
