"""Baremetal nodes through IPMI 2.0 (RMCP+), with pyghmi.

Power actions map onto chassis control: ``on`` is power up, ``off`` power
down, ``soft_off`` the ACPI soft shutdown, ``reboot`` a hard reset (power up
when the node is off). IPMI has no graceful reboot, so ``soft_reboot`` is a
soft shutdown, a wait until the node is off, and a power up.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
from typing import Any

from pyghmi import exceptions as pyghmi_exceptions
from pyghmi.ipmi import command as pyghmi_command
from pyghmi.ipmi.private import constants as pyghmi_constants

from mulligan.executors.bmc import pyghmi_io
from mulligan.executors.bmc.sessions import SessionPool
from mulligan.executors.bmc.types import (
    BmcCredential,
    BootDevice,
    NicInfo,
    NodeInventory,
    NodePower,
    PowerAction,
)
from mulligan.executors.drivers import DriverError, TransientDriverError

# What pyghmi says when the BMC did not answer (None: a login that timed out).
_NO_ANSWER = frozenset(
    {
        "",
        "None",
        "timeout",
        "Session no longer connected",
        "Session failed to initialize",
        "Unable to transmit to specified address",
    }
)
# Completion codes of a BMC that is there but cannot serve the request now.
_BUSY = frozenset(pyghmi_constants.ipmi_completion_codes[code] for code in (0xC0, 0xC3, 0xCE, 0xFF))
# RAKP failures of a wrong password, or of a name the BMC does not know.
_REFUSED = ("Incorrect password provided", "Unauthorized name")

_BOOT_NAMES = {BootDevice.NETWORK: "network", BootDevice.DISK: "hd", BootDevice.CD: "optical"}
_BOOT_DEVICES = {
    "network": BootDevice.NETWORK,
    "hd": BootDevice.DISK,
    "safe": BootDevice.DISK,
    "optical": BootDevice.CD,
}

_MAC = re.compile(r"^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$")

pyghmi_io.install()

log = logging.getLogger("mulligan.executors.bmc")


class _Sessions(SessionPool[Any]):
    protocol_name = "IPMI"
    # pyghmi routes a BMC's answers to the newest session with it in the
    # process, so a second session would rob a lingering call of its answer.
    drop_abandoned = False

    def connect(self, bmc: BmcCredential) -> Any:
        # bytes, not str: pyghmi matches a new Command to a session it
        # already has by comparing credentials, and str ones never match,
        # which makes the second Command to a BMC hang.
        return pyghmi_command.Command(
            bmc=bmc.address,
            userid=bmc.username.encode(),
            password=bmc.password,
            port=bmc.port,
        )

    def usable(self, session: Any) -> bool:
        return not session.ipmi_session.broken

    def retire(self, session: Any) -> None:
        # Only called when no call is using the session. A logout with no
        # reply awaited unregisters it at once, so pyghmi neither hands it to
        # the next Command nor keeps it alive.
        if not session.ipmi_session.broken:
            try:
                session.ipmi_session.logout()
            except (pyghmi_exceptions.IpmiException, OSError):
                # Already gone on pyghmi's side: nothing left to end.
                log.debug("an IPMI session ended before its logout", extra={"bmc": session.bmc})

    def disconnect(self, session: Any) -> None:
        self.retire(session)

    def translate(self, exc: BaseException, bmc: BmcCredential, doing: str) -> DriverError:
        where = f"{doing} on {bmc.key}"
        if isinstance(exc, DriverError):
            return exc
        if isinstance(exc, pyghmi_exceptions.IpmiException):
            text = str(exc)
            if text.startswith(_REFUSED):
                return DriverError(f"{where}: the BMC refused the credentials (wrong username or password)")
            if text in _NO_ANSWER:
                return TransientDriverError(f"{where}: no answer from the BMC")
            if text in _BUSY:
                return TransientDriverError(f"{where}: {text}")
            return DriverError(f"{where}: {text}")
        if isinstance(exc, OSError):
            return TransientDriverError(f"{where}: {exc}")
        return DriverError(f"{where}: unexpected answer from the BMC ({type(exc).__name__}: {exc})")


def _no_answer(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return True
    return isinstance(exc, pyghmi_exceptions.IpmiException) and str(exc) in _NO_ANSWER | _BUSY


# pyghmi keeps one session per BMC and credentials for the whole process,
# whichever Command asks, so every IpmiDriver shares one pool (and its
# per-BMC locks); the last driver closed logs the sessions out.
class _SharedPool:
    """The one session pool of the process, created for its first user and
    kept until the process exits.

    Sessions were once logged out whenever the last driver closed (each
    in-process daemon stop) and made again at once by the next daemon; that
    churn left a process where pyghmi answered no IPMI call any more. A
    daemon closes its drivers only when it stops, so sessions now live as
    long as the process and are logged out at its exit.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: _Sessions | None = None

    def acquire(self) -> _Sessions:
        with self._lock:
            if self._pool is None:
                self._pool = _Sessions()
                atexit.register(self._pool.close)
            return self._pool


_shared = _SharedPool()


class IpmiDriver:
    """:class:`~mulligan.executors.bmc.BmcDriver` for IPMI BMCs; safe to share between threads.

    All IPMI drivers of a process share their sessions, as pyghmi does;
    closing a driver ends its use of them, not the sessions.
    """

    def __init__(self) -> None:
        self._sessions = _shared.acquire()
        self._closed = False
        self._close_lock = threading.Lock()

    def close(self) -> None:
        with self._close_lock:
            if self._closed:
                return
            self._closed = True

    def _pool(self) -> _Sessions:
        if self._closed:
            raise DriverError("IPMI driver is closed")
        return self._sessions

    # -- power ---------------------------------------------------------------

    def power_state(self, bmc: BmcCredential) -> NodePower:
        return self._pool().call(bmc, "reading power", _read_power)

    def set_power(self, bmc: BmcCredential, action: PowerAction) -> NodePower:
        current = self.power_state(bmc)
        if action is PowerAction.ON:
            return current if current is NodePower.ON else self._change(bmc, "on", NodePower.ON)
        if action is PowerAction.OFF:
            return current if current is NodePower.OFF else self._change(bmc, "off", NodePower.OFF)
        if action is PowerAction.SOFT_OFF:
            return current if current is NodePower.OFF else self._change(bmc, "shutdown", NodePower.OFF)
        if current is NodePower.OFF:
            # Rebooting a node that is off starts it, as operators expect.
            return self._change(bmc, "on", NodePower.ON)
        if action is PowerAction.SOFT_REBOOT:
            self._change(bmc, "shutdown", NodePower.OFF)
            return self._change(bmc, "on", NodePower.ON)
        if action is PowerAction.REBOOT:
            # Not retried: a reset whose answer was lost would reset twice.
            self._pool().call(bmc, "resetting", lambda cmd: cmd.set_power("reset", wait=False), retry=False)
            return self._await(bmc, NodePower.ON)
        raise DriverError(f"unknown power action {action!r}")

    def _change(self, bmc: BmcCredential, state: str, result: NodePower) -> NodePower:
        self._pool().call(bmc, f"requesting power {state}", lambda cmd: cmd.set_power(state, wait=False))
        return self._await(bmc, result)

    def _await(self, bmc: BmcCredential, want: NodePower) -> NodePower:
        return self._pool().poll(bmc, f"waiting for power {want}", _read_power, lambda power: power is want)

    # -- boot device ---------------------------------------------------------

    def set_boot_device(self, bmc: BmcCredential, device: BootDevice, *, persistent: bool = False) -> None:
        name = _BOOT_NAMES[device]

        def set_bootdev(cmd: Any) -> None:
            answer = cmd.set_bootdev(name, persist=persistent)
            if isinstance(answer, dict) and "error" in answer:
                raise pyghmi_exceptions.IpmiException(str(answer["error"]))

        self._pool().call(bmc, f"setting the boot device to {device}", set_bootdev)

    def boot_device(self, bmc: BmcCredential) -> BootDevice | None:
        answer = self._pool().call(bmc, "reading the boot device", lambda cmd: cmd.get_bootdev())
        return _BOOT_DEVICES.get(str(answer.get("bootdev", "")))

    def insert_media(self, bmc: BmcCredential, url: str) -> None:
        raise DriverError(f"{bmc.key}: IPMI has no virtual media; IPMI nodes boot from the network")

    # -- inventory -----------------------------------------------------------

    def inventory(self, bmc: BmcCredential) -> NodeInventory:
        return inventory_from_components(self._pool().call(bmc, "reading the inventory", _read_components))


def _read_power(cmd: Any) -> NodePower:
    state = cmd.get_power().get("powerstate")
    return {"on": NodePower.ON, "off": NodePower.OFF}.get(state, NodePower.UNKNOWN)


def _read_components(cmd: Any) -> dict[str, dict[str, Any]]:
    """pyghmi's inventory, as far as the BMC supports it: FRU 0 always,
    further FRUs and OEM data where the BMC lists them."""
    found: dict[str, dict[str, Any]] = {}
    try:
        for name, info in cmd.get_inventory():
            if isinstance(info, dict):
                found[str(name)] = info
    except Exception as exc:
        if _no_answer(exc):
            raise
        # The listing stops at the first thing the BMC lacks (often the SDR
        # repository); what came before stands.
    return found


def _text(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        try:
            value = bytes(value).decode()
        except UnicodeDecodeError:
            return ""
    return value.strip() if isinstance(value, str) else ""


def _first(info: dict[str, Any], *keys: str) -> str:
    for key in keys:
        text = _text(info.get(key))
        if text:
            return text
    return ""


def inventory_from_components(components: dict[str, dict[str, Any]]) -> NodeInventory:
    """A :class:`NodeInventory` from pyghmi's inventory components."""
    system = components.get("System", {})
    cpus, cpu_model, memory_mb, macs = 0, "", 0, []
    for name, info in components.items():
        lowered = name.lower()
        if lowered.startswith(("cpu", "processor")):
            cpus += 1
            cpu_model = cpu_model or _first(info, "Model", "model")
        capacity = info.get("capacity_mb")
        if isinstance(capacity, int | float):
            memory_mb += int(capacity)
        for key, value in sorted(info.items()):
            mac = _text(value)
            if "mac address" in str(key).lower() and _MAC.match(mac):
                macs.append(mac.lower().replace("-", ":"))
    return NodeInventory(
        manufacturer=_first(system, "Manufacturer", "Board manufacturer"),
        model=_first(system, "Product name", "Model", "Board product name"),
        serial=_first(system, "Serial Number", "Board serial number", "Chassis serial number"),
        cpus=cpus,
        cpu_model=cpu_model,
        memory_mb=memory_mb,
        nics=tuple(NicInfo(mac=mac) for mac in dict.fromkeys(macs)),
    )
