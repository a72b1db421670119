#!/usr/bin/env python3
"""An IPMI BMC simulator: many BMCs in one process, each driving a libvirt domain.

Mulligan's tests and demo use it in place of real baremetal nodes::

    python tools/bmcsim.py --libvirt-uri test:///default --define-domains \\
        --bmc 6230:node-0 --bmc 6231:node-1 --username admin --password-file pw

Each ``--bmc PORT:DOMAIN`` listens on UDP ``PORT`` of ``--address``
(127.0.0.1) and speaks IPMI 2.0 (RMCP+, cipher suite 3): chassis status and
control (on, off, soft off, reset, cycle) start and stop the domain, boot
options rewrite its boot device, and FRU 0 names the node (serial: the domain
UUID). All BMCs share one event loop and one libvirt connection, so fifty
cost little more than one; the connection stays open for the life of the
process, which keeps libvirt's in-process ``test:///default`` state alive.

``--power-delay S`` makes each power change take effect S seconds after the
command, like a slow node. A one-time boot device is used by the next power
on or reset, after which the domain boots from its persistent device again.

Port 0 picks a free port. Once every BMC listens, the process prints one
line, ``ready PORT:DOMAIN ...`` with the ports in use; it exits on SIGTERM.
Run it in its own process: pyghmi's event loop is global to a process, and a
client in the same process as a simulated BMC stalls at random.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import heapq
import itertools
import signal
import struct
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libvirt
import pyghmi.ipmi.bmc as pyghmi_bmc
import pyghmi.ipmi.private.session as ipmisession
from pyghmi.ipmi.private import serversession

from mulligan.executors.bmc import pyghmi_io

# RMCP+ algorithm numbers (IPMI 2.0, tables 13-17 and 13-18).
_AUTH_HMAC_SHA1 = 1
_INTEGRITY_HMAC_SHA1_96 = 1
# RMCP+ status codes (table 13-15).
_NO_MATCHING_CIPHER_SUITE = 0x11
_UNAUTHORIZED_NAME = 0x0D
# IPMI completion codes.
_NODE_BUSY = 0xC0
_INVALID_COMMAND = 0xC1
_PARAMETER_OUT_OF_RANGE = 0xC9
_INVALID_DATA = 0xCC

# Boot device selector (bits 5:2 of boot flags data 2) <-> libvirt <os><boot dev>.
_SELECTOR_TO_LIBVIRT = {1: "network", 2: "hd", 5: "cdrom"}
_LIBVIRT_TO_SELECTOR = {dev: sel for sel, dev in _SELECTOR_TO_LIBVIRT.items()}


def _quiet(_context: object, _error: object) -> None:
    """libvirt prints every error on stderr; the simulator answers with IPMI codes instead."""


libvirt.registerErrorHandler(_quiet, None)


class _Stop(BaseException):
    """Raised by the SIGTERM handler to leave the event loop at once; not an
    Exception, so that pyghmi's catch-all handlers let it through."""


class Hypervisor:
    """The one libvirt connection of the process, reopened only if it dies."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self._conn: Any = libvirt.open(uri)

    def conn(self) -> Any:
        try:
            alive = self._conn.isAlive()
        except libvirt.libvirtError:
            alive = False
        if not alive:
            self._conn = libvirt.open(self.uri)
        return self._conn

    def domain(self, name: str) -> Any:
        return self.conn().lookupByName(name)

    def close(self) -> None:
        with contextlib.suppress(libvirt.libvirtError):
            self._conn.close()


def _boot_device(xml: str) -> str | None:
    """The device a domain boots from first: ``os/boot`` or the lowest per-device order."""
    # The XML comes from libvirt, not from a client of the simulator.
    tree = ET.fromstring(xml)  # noqa: S314
    boot = tree.find("os/boot")
    if boot is not None:
        return boot.get("dev")
    best: tuple[int, str] | None = None
    for device in tree.findall("devices/*"):
        order = device.find("boot")
        if order is None or not (order.get("order") or "").isdigit():
            continue
        if device.tag == "interface":
            kind = "network"
        elif device.tag == "disk":
            kind = "cdrom" if device.get("device") == "cdrom" else "hd"
        else:
            continue
        candidate = (int(order.get("order", "0")), kind)
        if best is None or candidate < best:
            best = candidate
    return best[1] if best else None


def _with_boot_device(xml: str, device: str) -> str:
    """The domain XML booting from ``device`` only (``os/boot`` and per-device
    orders exclude each other in libvirt, so every per-device order goes)."""
    tree = ET.fromstring(xml)  # noqa: S314
    for parent in [*tree.findall("devices/*"), *tree.findall("os")]:
        for boot in parent.findall("boot"):
            parent.remove(boot)
    for os_element in tree.findall("os"):
        ET.SubElement(os_element, "boot", dev=device)
    return ET.tostring(tree, encoding="unicode")


def _fru_text(value: str) -> bytes:
    data = value.encode("latin-1", "replace")[:63]
    return bytes([0xC0 | len(data)]) + data


def _fru_image(manufacturer: str, product: str, model: str, serial: str) -> bytes:
    """A FRU inventory holding a common header and a product info area only
    (Platform Management FRU Information Storage Definition 1.0)."""
    fields = b"".join(_fru_text(v) for v in (manufacturer, product, model, "1.0", serial, "", ""))
    area = bytearray([0x01, 0, 0]) + fields + b"\xc1"
    area += b"\x00" * (-(len(area) + 1) % 8)
    area[1] = (len(area) + 1) // 8
    area.append(-sum(area) & 0xFF)
    header = bytearray([0x01, 0, 0, 0, 1, 0, 0])
    header.append(-sum(header) & 0xFF)
    return bytes(header + area)


class _Session(serversession.ServerSession):
    """pyghmi's server session, answering as a real BMC does where pyghmi's does not."""

    def create_open_session_response(self, request: bytearray) -> bytearray:
        # Proposals sit at fixed offsets: authentication algorithm at byte
        # 12, integrity at byte 20. pyghmi's server can only do SHA-1 but
        # accepts anything; a client that proposed SHA-256 would then fail
        # mid-handshake. Refusing lets the client fall back to SHA-1.
        if len(request) < 32 or request[12] != _AUTH_HMAC_SHA1 or request[20] != _INTEGRITY_HMAC_SHA1_96:
            self.clientsessionid = request[4:8]
            return bytearray([request[0], _NO_MATCHING_CIPHER_SUITE, 0, 0]) + self.clientsessionid
        response: bytearray = super().create_open_session_response(request)
        return response

    def _got_rakp1(self, data: bytearray) -> None:
        username = bytes(data[28:]).decode("utf-8", "replace")
        if data[27] and self.authdata.get(username) is None:
            # pyghmi's server stays silent, which a client can only take
            # for an unreachable BMC; a real one refuses the name.
            refusal = bytearray([data[0], _UNAUTHORIZED_NAME, 0, 0]) + self.clientsessionid
            self.send_payload(refusal, ipmisession.constants.payload_types["rakp2"], retry=False)
            return
        super()._got_rakp1(data)

    def sessionless_data(self, data: bytes, sockaddr: Any) -> None:
        # pyghmi passes a session packets that turn out to be sessionless
        # (a client starting over from the same port) but only gives the
        # BMC a handler for them.
        self.bmc.sessionless_data(data, sockaddr)


@dataclass(order=True)
class _Scheduled:
    due: float
    seq: int
    action: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class Scheduler:
    """Delayed power changes, run by the event loop between packets."""

    def __init__(self) -> None:
        self._queue: list[_Scheduled] = []
        self._seq = itertools.count()

    def at(self, delay: float, action: Callable[[], None]) -> _Scheduled:
        entry = _Scheduled(time.monotonic() + delay, next(self._seq), action)
        heapq.heappush(self._queue, entry)
        return entry

    def run_due(self) -> None:
        now = time.monotonic()
        while self._queue and self._queue[0].due <= now:
            entry = heapq.heappop(self._queue)
            if not entry.cancelled:
                try:
                    entry.action()
                except libvirt.libvirtError as exc:
                    print(f"bmcsim: delayed power change failed: {exc}", file=sys.stderr, flush=True)

    def wait_s(self, cap: float) -> float:
        if not self._queue:
            return cap
        return max(0.0, min(cap, self._queue[0].due - time.monotonic()))


class SimulatedBmc(pyghmi_bmc.Bmc):
    """One BMC on one UDP port, managing one libvirt domain."""

    def __init__(
        self,
        *,
        hypervisor: Hypervisor,
        scheduler: Scheduler,
        domain: str,
        port: int,
        address: str,
        username: str,
        password: str,
        power_delay_s: float,
    ) -> None:
        super().__init__({username: password}, port=port, address=address)
        # Port 0 binds any free port; sessions are keyed by the real one.
        self.port = self.serversocket.getsockname()[1]
        self.hypervisor = hypervisor
        self.scheduler = scheduler
        self.domain_name = domain
        self.power_delay_s = power_delay_s
        self._pending: _Scheduled | None = None
        # A one-time boot device waiting for the next power on or reset; the
        # device to return to afterwards is whatever was persistent before.
        self._once: str | None = None
        self._persistent: str | None = None
        self._efi = False
        dom = hypervisor.domain(domain)
        self.uuid = uuid.UUID(dom.UUIDString())
        self._fru = _fru_image("Mulligan", "Simulated node", "bmcsim", dom.UUIDString())

    # -- sessions ------------------------------------------------------------

    def sessionless_data(self, data: bytes, sockaddr: Any) -> None:
        packet = bytearray(data)
        # An RMCP+ open session request starts a session: use ours.
        if len(packet) >= 22 and packet[0] == 6 and packet[2:4] == b"\xff\x07" and packet[4] == 6 and packet[5] == 16:
            _Session(self.authdata, self.kg, sockaddr, self.serversocket, packet[16:], self.uuid, bmc=self)
            return
        super().sessionless_data(data, sockaddr)

    # -- power ---------------------------------------------------------------

    def _dom(self) -> Any:
        return self.hypervisor.domain(self.domain_name)

    def get_power_state(self) -> str:
        return "on" if self._dom().isActive() else "off"

    def _power(self, change: Callable[[Any], None]) -> int:
        def apply() -> None:
            self._pending = None
            change(self._dom())

        try:
            self._dom()
        except libvirt.libvirtError:
            return _NODE_BUSY
        if self._pending is not None:
            # A newer request replaces one still waiting, as on a real BMC.
            self._pending.cancelled = True
        if self.power_delay_s > 0:
            self._pending = self.scheduler.at(self.power_delay_s, apply)
            return 0
        try:
            apply()
        except libvirt.libvirtError:
            return _NODE_BUSY
        return 0

    def _start(self, dom: Any) -> None:
        dom.create()
        if self._once is not None:
            # The running domain keeps the one-time device; its next start
            # goes back to the persistent one.
            self._once = None
            if self._persistent is not None:
                self._write_boot_device(dom, self._persistent)

    def power_on(self) -> int:
        return self._power(lambda dom: None if dom.isActive() else self._start(dom))

    def power_off(self) -> int:
        return self._power(lambda dom: dom.destroy() if dom.isActive() else None)

    def power_shutdown(self) -> int:
        return self._power(lambda dom: dom.shutdown() if dom.isActive() else None)

    def _restart(self, dom: Any) -> None:
        # A libvirt reset keeps the boot order the domain started with; a
        # restart makes a boot device set since then take effect, as a
        # reset does on real hardware.
        if dom.isActive():
            dom.destroy()
        self._start(dom)

    def power_reset(self) -> int:
        return self._power(lambda dom: self._restart(dom) if dom.isActive() else None)

    def power_cycle(self) -> int:
        return self._power(self._restart)

    def pulse_diag(self) -> int:
        return self._power(lambda dom: dom.injectNMI() if dom.isActive() else None)

    def get_system_guid(self) -> uuid.UUID:
        return self.uuid

    # -- boot device ---------------------------------------------------------

    def _write_boot_device(self, dom: Any, device: str) -> None:
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE)
        self.hypervisor.conn().defineXML(_with_boot_device(xml, device))

    def get_system_boot_options(self, request: dict[str, Any], session: Any) -> None:
        if request["data"][0] & 0x7F != 5:
            # Parameters other than the boot flags are not supported.
            session.send_ipmi_response(code=0x80)
            return
        try:
            dom = self._dom()
            current = self._once or _boot_device(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        except libvirt.libvirtError:
            session.send_ipmi_response(code=_NODE_BUSY)
            return
        selector = _LIBVIRT_TO_SELECTOR.get(current or "", 0)
        flags = 0
        if selector:
            flags = 0x80 | (0 if self._once else 0x40) | (0x20 if self._efi else 0)
        session.send_ipmi_response(data=[1, 5, flags, selector << 2, 0, 0, 0])

    def set_system_boot_options(self, request: dict[str, Any], session: Any) -> None:
        data = request["data"]
        parameter = data[0] & 0x7F
        if parameter in (0, 3, 4):
            # Set-in-progress, service partition, acknowledge: accepted and ignored.
            session.send_ipmi_response()
            return
        if parameter != 5 or len(data) < 3:
            session.send_ipmi_response(code=_PARAMETER_OUT_OF_RANGE)
            return
        flags, selector = data[1], (data[2] >> 2) & 0x0F
        if not flags & 0x80 or selector == 0:
            # Boot flags not valid, or "no override": drop a pending one-time device.
            self._once = None
            session.send_ipmi_response()
            return
        device = _SELECTOR_TO_LIBVIRT.get(selector)
        if device is None:
            session.send_ipmi_response(code=_INVALID_DATA)
            return
        try:
            dom = self._dom()
            if flags & 0x40:
                self._once = None
                self._persistent = device
            else:
                if self._once is None:
                    self._persistent = _boot_device(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
                self._once = device
            self._efi = bool(flags & 0x20)
            self._write_boot_device(dom, device)
        except libvirt.libvirtError:
            session.send_ipmi_response(code=_NODE_BUSY)
            return
        session.send_ipmi_response()

    # -- FRU inventory -------------------------------------------------------

    def _fru_request(self, request: dict[str, Any], session: Any) -> None:
        data = request["data"]
        if not data or data[0] != 0:
            session.send_ipmi_response(code=0xCB)  # requested FRU not present
        elif request["command"] == 0x10:  # Get FRU Inventory Area Info
            session.send_ipmi_response(data=[*struct.pack("<H", len(self._fru)), 0])
        elif request["command"] == 0x11 and len(data) >= 4:  # Read FRU Data
            offset = data[1] | data[2] << 8
            chunk = self._fru[offset : offset + data[3]]
            session.send_ipmi_response(data=[len(chunk), *chunk])
        else:
            session.send_ipmi_response(code=_INVALID_COMMAND)

    def handle_raw_request(self, request: dict[str, Any], session: Any) -> None:
        if request["netfn"] == 0x0A and request["command"] in (0x10, 0x11):
            self._fru_request(request, session)
            return
        super().handle_raw_request(request, session)


def _test_domain_xml(name: str) -> str:
    mac_tail = hashlib.sha256(name.encode()).digest()[:3]
    mac = "52:54:00:" + ":".join(f"{b:02x}" for b in mac_tail)
    return f"""<domain type='test'>
  <name>{name}</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'><source file='/guest/{name}.img'/><target dev='vda' bus='virtio'/></disk>
    <interface type='network'><mac address='{mac}'/><source network='default'/></interface>
  </devices>
</domain>"""


def define_missing_domains(hypervisor: Hypervisor, names: list[str]) -> None:
    conn = hypervisor.conn()
    if conn.getType() != "TEST":
        raise SystemExit("bmcsim: --define-domains works on libvirt's test hypervisor only")
    existing = {dom.name() for dom in conn.listAllDomains()}
    for name in names:
        if name not in existing:
            conn.defineXML(_test_domain_xml(name))


def _bmc_spec(value: str) -> tuple[int, str]:
    port, sep, domain = value.partition(":")
    if not sep or not port.isdigit() or not domain:
        raise argparse.ArgumentTypeError(f"expected PORT:DOMAIN, got {value!r}")
    return int(port), domain


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bmcsim", description="Simulated IPMI BMCs backed by libvirt domains.")
    parser.add_argument("--libvirt-uri", required=True)
    parser.add_argument("--bmc", action="append", type=_bmc_spec, required=True, metavar="PORT:DOMAIN")
    parser.add_argument("--address", default="127.0.0.1", help="address every BMC listens on")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--define-domains", action="store_true", help="define missing domains (test hypervisor)")
    parser.add_argument("--power-delay", type=float, default=0.0, metavar="S", help="seconds a power change takes")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # The simulator's BMCs share pyghmi's I/O thread as clients do, and the
    # same races would silence every BMC of the process.
    pyghmi_io.install()
    ports = [port for port, _ in args.bmc if port]
    if len(set(ports)) != len(ports):
        raise SystemExit("bmcsim: every --bmc needs a port of its own")
    password = args.password_file.read_text().rstrip("\r\n")

    def stop(_signum: int, _frame: object) -> None:
        raise _Stop

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    hypervisor = Hypervisor(args.libvirt_uri)
    try:
        if args.define_domains:
            define_missing_domains(hypervisor, [domain for _, domain in args.bmc])
        scheduler = Scheduler()
        bmcs = [
            SimulatedBmc(
                hypervisor=hypervisor,
                scheduler=scheduler,
                domain=domain,
                port=port,
                address=args.address,
                username=args.username,
                password=password,
                power_delay_s=args.power_delay,
            )
            for port, domain in args.bmc
        ]
        print("ready " + " ".join(f"{bmc.port}:{bmc.domain_name}" for bmc in bmcs), flush=True)
        while True:
            try:
                ipmisession.Session.wait_for_rsp(timeout=scheduler.wait_s(1.0))
                scheduler.run_due()
            except Exception as exc:
                # One malformed or unexpected packet must not take every BMC down.
                print(f"bmcsim: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    except _Stop:
        return 0
    finally:
        hypervisor.close()


if __name__ == "__main__":
    sys.exit(main())
