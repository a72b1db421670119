"""The BMC drivers against real BMC processes managing libvirt domains.

IPMI BMCs are tools/bmcsim.py, cross-checked with ipmitool; Redfish BMCs are
sushy-tools' emulator, cross-checked with plain HTTP requests. The domains
live in a session libvirtd the test reads directly.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pytest

from mulligan.executors import DriverError, TransientDriverError
from mulligan.executors.bmc import (
    BmcCredential,
    BmcProtocol,
    BootDevice,
    IpmiDriver,
    NodePower,
    PowerAction,
    RedfishDriver,
    driver_for,
)
from mulligan.executors.bmc.ipmi import inventory_from_components
from tests.fixtures.daemon import wait_for

if TYPE_CHECKING:
    from tests.fixtures.bmc import RunningBmc

pytest_plugins = ["tests.fixtures.bmc"]


@pytest.fixture
def ipmi_driver() -> Iterator[IpmiDriver]:
    driver = IpmiDriver()
    yield driver
    driver.close()


@pytest.fixture
def redfish_driver() -> Iterator[RedfishDriver]:
    driver = RedfishDriver()
    yield driver
    driver.close()


def _active(hypervisor: Any, bmc: RunningBmc) -> bool:
    return bool(hypervisor.lookupByName(bmc.domain).isActive())


def _domain_boot_device(hypervisor: Any, bmc: RunningBmc) -> str | None:
    """The device the domain's next start boots from, as libvirt has it."""
    import libvirt

    tree = ET.fromstring(hypervisor.lookupByName(bmc.domain).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    boot = tree.find("os/boot")
    return None if boot is None else boot.get("dev")


def _ipmitool_power(bmc: RunningBmc) -> str:
    result = bmc.ipmitool("power", "status")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _bounded(call: Callable[[], object], *, within: float) -> TransientDriverError:
    start = time.monotonic()
    with pytest.raises(TransientDriverError) as raised:
        call()
    elapsed = time.monotonic() - start
    assert elapsed < within, f"gave up after {elapsed:.1f} s, expected under {within} s"
    return raised.value


def _patient(bmc: RunningBmc) -> BmcCredential:
    """The same BMC (and so the same session) with room for a busy machine:
    for the calls a test sets up with, not the ones whose bounds it checks."""
    return bmc.credential(timeout_s=10.0, retries=2)


def _no_lingering_calls(bmc: RunningBmc) -> Callable[[], bool]:
    """True once no call to ``bmc`` the driver gave up on is still running."""
    name = f"bmc-call {bmc.credential().key}"
    return lambda: not any(thread.name == name for thread in threading.enumerate())


# -- IPMI --------------------------------------------------------------------


def test_ipmi_power_actions_change_the_domain(
    ipmi_bmc: RunningBmc, ipmi_driver: IpmiDriver, bmc_hypervisor: Any
) -> None:
    bmc = ipmi_bmc.credential()
    assert ipmi_driver.power_state(bmc) is NodePower.OFF
    assert _ipmitool_power(ipmi_bmc) == "Chassis Power is off"

    assert ipmi_driver.set_power(bmc, PowerAction.ON) is NodePower.ON
    assert _active(bmc_hypervisor, ipmi_bmc)
    assert _ipmitool_power(ipmi_bmc) == "Chassis Power is on"
    assert ipmi_driver.set_power(bmc, PowerAction.ON) is NodePower.ON

    started = bmc_hypervisor.lookupByName(ipmi_bmc.domain).ID()
    assert ipmi_driver.set_power(bmc, PowerAction.REBOOT) is NodePower.ON
    # The test hypervisor numbers each start: a new id is a new boot.
    assert bmc_hypervisor.lookupByName(ipmi_bmc.domain).ID() != started

    assert ipmi_driver.set_power(bmc, PowerAction.SOFT_OFF) is NodePower.OFF
    assert not _active(bmc_hypervisor, ipmi_bmc)
    assert _ipmitool_power(ipmi_bmc) == "Chassis Power is off"

    # Rebooting a node that is off starts it.
    assert ipmi_driver.set_power(bmc, PowerAction.SOFT_REBOOT) is NodePower.ON
    assert _active(bmc_hypervisor, ipmi_bmc)
    started = bmc_hypervisor.lookupByName(ipmi_bmc.domain).ID()
    assert ipmi_driver.set_power(bmc, PowerAction.SOFT_REBOOT) is NodePower.ON
    assert bmc_hypervisor.lookupByName(ipmi_bmc.domain).ID() != started

    assert ipmi_driver.set_power(bmc, PowerAction.OFF) is NodePower.OFF
    assert not _active(bmc_hypervisor, ipmi_bmc)
    assert ipmi_driver.set_power(bmc, PowerAction.OFF) is NodePower.OFF
    assert ipmi_driver.power_state(bmc) is NodePower.OFF


def test_ipmi_power_changes_by_others_are_seen(
    ipmi_bmc: RunningBmc, ipmi_driver: IpmiDriver, bmc_hypervisor: Any
) -> None:
    bmc = ipmi_bmc.credential()
    assert ipmi_driver.power_state(bmc) is NodePower.OFF
    assert ipmi_bmc.ipmitool("power", "on").returncode == 0
    assert ipmi_driver.power_state(bmc) is NodePower.ON
    bmc_hypervisor.lookupByName(ipmi_bmc.domain).destroy()
    assert ipmi_driver.power_state(bmc) is NodePower.OFF


def _bootparam(bmc: RunningBmc) -> str:
    result = bmc.ipmitool("chassis", "bootparam", "get", "5")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ipmi_boot_device_is_what_ipmitool_reads(
    ipmi_bmc: RunningBmc, ipmi_driver: IpmiDriver, bmc_hypervisor: Any
) -> None:
    bmc = ipmi_bmc.credential()
    assert ipmi_driver.boot_device(bmc) is BootDevice.DISK

    ipmi_driver.set_boot_device(bmc, BootDevice.NETWORK)
    shown = _bootparam(ipmi_bmc)
    assert "Boot Device Selector : Force PXE" in shown
    assert "Options apply to only next boot" in shown
    assert ipmi_driver.boot_device(bmc) is BootDevice.NETWORK
    assert _domain_boot_device(bmc_hypervisor, ipmi_bmc) == "network"

    # The one-time device serves one boot; the domain's next start uses the disk again.
    ipmi_driver.set_power(bmc, PowerAction.ON)
    assert _domain_boot_device(bmc_hypervisor, ipmi_bmc) == "hd"
    assert ipmi_driver.boot_device(bmc) is BootDevice.DISK

    ipmi_driver.set_boot_device(bmc, BootDevice.CD, persistent=True)
    shown = _bootparam(ipmi_bmc)
    assert "Boot Device Selector : Force Boot from CD/DVD" in shown
    assert "Options apply to all future boots" in shown
    assert ipmi_driver.boot_device(bmc) is BootDevice.CD
    ipmi_driver.set_power(bmc, PowerAction.REBOOT)
    assert _domain_boot_device(bmc_hypervisor, ipmi_bmc) == "cdrom"

    ipmi_driver.set_boot_device(bmc, BootDevice.DISK, persistent=True)
    assert "Boot Device Selector : Force Boot from default Hard-Drive" in _bootparam(ipmi_bmc)
    assert ipmi_driver.boot_device(bmc) is BootDevice.DISK


def test_ipmi_inventory_names_the_node(ipmi_bmc: RunningBmc, ipmi_driver: IpmiDriver, bmc_hypervisor: Any) -> None:
    inventory = ipmi_driver.inventory(ipmi_bmc.credential())
    assert inventory.manufacturer == "Mulligan"
    assert inventory.model == "Simulated node"
    assert inventory.serial == bmc_hypervisor.lookupByName(ipmi_bmc.domain).UUIDString()
    # IPMI says nothing more without SDR records: zeros, not a failure.
    assert (inventory.cpus, inventory.memory_mb, inventory.nics) == (0, 0, ())


def test_ipmi_inventory_reads_components_vendors_list() -> None:
    inventory = inventory_from_components(
        {
            "System": {"Board manufacturer": "Acme", "Product name": "R1", "Serial Number": b"S123", "UUID": "x"},
            "CPU 1": {"Model": "Xeon 1"},
            "CPU 2": {"Model": "Xeon 1"},
            "DIMM 1": {"capacity_mb": 16384},
            "DIMM 2": {"capacity_mb": 16384.0},
            "NIC 1": {"MAC Address 1": b"AA:BB:CC:00:11:22", "MAC Address 2": "not a mac"},
            "Empty": {},
        }
    )
    assert (inventory.manufacturer, inventory.model, inventory.serial) == ("Acme", "R1", "S123")
    assert (inventory.cpus, inventory.cpu_model, inventory.memory_mb) == (2, "Xeon 1", 32768)
    assert [nic.mac for nic in inventory.nics] == ["aa:bb:cc:00:11:22"]


def test_ipmi_wrong_credentials_are_refused_without_the_password(ipmi_bmc: RunningBmc, ipmi_driver: IpmiDriver) -> None:
    wrong = "not-" + ipmi_bmc.password
    for bmc in (ipmi_bmc.credential(password=wrong.encode()), ipmi_bmc.credential(username="nobody")):
        start = time.monotonic()
        with pytest.raises(DriverError) as raised:
            ipmi_driver.power_state(bmc)
        assert not raised.value.transient
        assert "refused the credentials" in raised.value.message
        assert wrong not in raised.value.message and ipmi_bmc.password not in raised.value.message
        assert time.monotonic() - start < 2
    # The right password has its own session and works beside the wrong one.
    assert ipmi_driver.power_state(ipmi_bmc.credential()) is NodePower.OFF


def test_ipmi_paused_bmc_fails_in_bounded_time_and_recovers(ipmi_bmc: RunningBmc, ipmi_driver: IpmiDriver) -> None:
    bmc = ipmi_bmc.credential(timeout_s=1.0, retries=1)
    assert ipmi_driver.power_state(_patient(ipmi_bmc)) is NodePower.OFF
    with ipmi_bmc.process.paused():
        error = _bounded(lambda: ipmi_driver.power_state(bmc), within=1.0 * 2 + 1.5)
        assert "no answer" in error.message
        _bounded(lambda: ipmi_driver.set_power(bmc, PowerAction.ON), within=1.0 * 2 + 1.5)
    wait_for(lambda: ipmi_driver.power_state(bmc) is NodePower.OFF, timeout=30, what="the BMC to answer again")
    assert ipmi_driver.set_power(_patient(ipmi_bmc), PowerAction.ON) is NodePower.ON
    # The calls given up on end once the BMC answers: no thread stays behind.
    wait_for(_no_lingering_calls(ipmi_bmc), timeout=30, what="abandoned calls to end")


@pytest.mark.slow
def test_ipmi_session_is_remade_after_pyghmi_gives_up(ipmi_bmc: RunningBmc, ipmi_driver: IpmiDriver) -> None:
    bmc = ipmi_bmc.credential(timeout_s=1.0, retries=0)
    assert ipmi_driver.power_state(_patient(ipmi_bmc)) is NodePower.OFF
    with ipmi_bmc.process.paused():
        _bounded(lambda: ipmi_driver.power_state(bmc), within=1.0 + 1.5)
        # pyghmi gives a silent BMC up by itself (after about 30 s), as it
        # would a dead one: the abandoned call ends, its session broken.
        wait_for(_no_lingering_calls(ipmi_bmc), timeout=60, what="pyghmi to give up")
    # A new session: a login, which a busy machine may take more than a second over.
    assert ipmi_driver.power_state(_patient(ipmi_bmc)) is NodePower.OFF


def test_ipmi_killed_bmc_fails_in_bounded_time(ipmi_bmc: RunningBmc, ipmi_driver: IpmiDriver) -> None:
    bmc = ipmi_bmc.credential(timeout_s=1.0, retries=2)
    assert ipmi_driver.power_state(_patient(ipmi_bmc)) is NodePower.OFF
    ipmi_bmc.process.kill()
    _bounded(lambda: ipmi_driver.power_state(bmc), within=1.0 * 3 + 1.5)
    _bounded(lambda: ipmi_driver.set_boot_device(bmc, BootDevice.NETWORK), within=1.0 * 3 + 1.5)


def test_ipmi_slow_bmc_power_change_is_awaited(
    start_ipmi_bmcs: Callable[..., list[RunningBmc]], ipmi_driver: IpmiDriver, bmc_hypervisor: Any
) -> None:
    (node,) = start_ipmi_bmcs(1, power_delay_s=3.0)
    bmc = node.credential(timeout_s=2.0, retries=1, power_wait_s=20.0)
    start = time.monotonic()
    assert ipmi_driver.set_power(bmc, PowerAction.ON) is NodePower.ON
    assert time.monotonic() - start >= 3.0
    assert _active(bmc_hypervisor, node)
    # A wait shorter than the node's change fails, and is worth retrying.
    with pytest.raises(TransientDriverError):
        ipmi_driver.set_power(node.credential(power_wait_s=1.0), PowerAction.OFF)
    wait_for(lambda: not _active(bmc_hypervisor, node), timeout=10, what="the delayed power off")


def test_ipmi_concurrent_calls_on_one_and_many_bmcs(
    start_ipmi_bmcs: Callable[..., list[RunningBmc]], bmc_hypervisor: Any
) -> None:
    nodes = start_ipmi_bmcs(4)
    # Two drivers in one process share pyghmi's sessions, and so their locks.
    drivers = [IpmiDriver(), IpmiDriver()]
    try:

        def work(index: int) -> tuple[RunningBmc, NodePower]:
            node = nodes[index % len(nodes)]
            driver = drivers[index % 2]
            # pyghmi can miss an answer under concurrency until its retry a
            # second later; the bound here is for correctness, not speed.
            bmc = node.credential(timeout_s=10.0, retries=3)
            for _ in range(3):
                driver.power_state(bmc)
                driver.boot_device(bmc)
            driver.set_boot_device(bmc, BootDevice.NETWORK, persistent=True)
            return node, driver.set_power(bmc, PowerAction.ON)

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(16)))
        assert all(power is NodePower.ON for _, power in results)
        for node in nodes:
            assert _active(bmc_hypervisor, node)
            assert drivers[0].boot_device(node.credential()) is BootDevice.NETWORK
    finally:
        for driver in drivers:
            driver.close()


def test_ipmi_many_bmcs_in_one_simulator(
    start_ipmi_bmcs: Callable[..., list[RunningBmc]], ipmi_driver: IpmiDriver
) -> None:
    nodes = start_ipmi_bmcs(20)
    assert len({node.port for node in nodes}) == 20
    with ThreadPoolExecutor(max_workers=8) as pool:
        # Twenty logins at once to one simulator process: on a busy machine
        # some need pyghmi's second try.
        powers = list(pool.map(lambda node: ipmi_driver.power_state(node.credential(timeout_s=10.0, retries=3)), nodes))
    assert powers == [NodePower.OFF] * 20


def test_closed_ipmi_driver_refuses_calls(ipmi_bmc: RunningBmc) -> None:
    driver = IpmiDriver()
    assert driver.power_state(ipmi_bmc.credential()) is NodePower.OFF
    driver.close()
    with pytest.raises(DriverError):
        driver.power_state(ipmi_bmc.credential())
    # Other drivers are not affected: a new one works at once.
    other = IpmiDriver()
    try:
        assert other.power_state(ipmi_bmc.credential()) is NodePower.OFF
    finally:
        other.close()


# -- Redfish -----------------------------------------------------------------


def _system(bmc: RunningBmc) -> dict[str, Any]:
    """The node's ComputerSystem as the emulator shows it, read without sushy."""
    token = base64.b64encode(f"{bmc.username}:{bmc.password}".encode()).decode()

    def get(path: str) -> dict[str, Any]:
        request = urllib.request.Request(
            f"http://{bmc.address}:{bmc.port}{path}", headers={"Authorization": f"Basic {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body: dict[str, Any] = json.load(response)
            return body

    (member,) = get("/redfish/v1/Systems")["Members"]
    return get(member["@odata.id"])


def test_redfish_power_actions_change_the_domain(
    redfish_bmc: RunningBmc, redfish_driver: RedfishDriver, bmc_hypervisor: Any
) -> None:
    bmc = redfish_bmc.credential()
    assert redfish_driver.power_state(bmc) is NodePower.OFF
    assert _system(redfish_bmc)["PowerState"] == "Off"

    assert redfish_driver.set_power(bmc, PowerAction.ON) is NodePower.ON
    assert _active(bmc_hypervisor, redfish_bmc)
    assert _system(redfish_bmc)["PowerState"] == "On"

    started = bmc_hypervisor.lookupByName(redfish_bmc.domain).ID()
    assert redfish_driver.set_power(bmc, PowerAction.REBOOT) is NodePower.ON
    assert bmc_hypervisor.lookupByName(redfish_bmc.domain).ID() != started
    assert redfish_driver.set_power(bmc, PowerAction.SOFT_REBOOT) is NodePower.ON
    assert _active(bmc_hypervisor, redfish_bmc)

    assert redfish_driver.set_power(bmc, PowerAction.SOFT_OFF) is NodePower.OFF
    assert not _active(bmc_hypervisor, redfish_bmc)
    assert redfish_driver.set_power(bmc, PowerAction.REBOOT) is NodePower.ON
    assert redfish_driver.set_power(bmc, PowerAction.OFF) is NodePower.OFF
    assert not _active(bmc_hypervisor, redfish_bmc)
    assert _system(redfish_bmc)["PowerState"] == "Off"


def test_redfish_boot_device_is_what_the_system_shows(redfish_bmc: RunningBmc, redfish_driver: RedfishDriver) -> None:
    bmc = redfish_bmc.credential()
    for device, target in ((BootDevice.NETWORK, "Pxe"), (BootDevice.CD, "Cd"), (BootDevice.DISK, "Hdd")):
        redfish_driver.set_boot_device(bmc, device, persistent=device is BootDevice.DISK)
        assert _system(redfish_bmc)["Boot"]["BootSourceOverrideTarget"] == target
        assert redfish_driver.boot_device(bmc) is device


def test_redfish_inventory_describes_the_domain(redfish_bmc: RunningBmc, redfish_driver: RedfishDriver) -> None:
    inventory = redfish_driver.inventory(redfish_bmc.credential())
    assert inventory.cpus == redfish_bmc.cpus
    assert inventory.arch == "x86_64"
    assert inventory.memory_mb == redfish_bmc.memory_mb
    assert [nic.mac for nic in inventory.nics] == [redfish_bmc.mac]
    assert [disk.size_gb for disk in inventory.disks] == [redfish_bmc.disk_gb]
    assert inventory.manufacturer == "Sushy Emulator"


def test_redfish_wrong_password_is_refused_without_the_password(
    redfish_bmc: RunningBmc, redfish_driver: RedfishDriver
) -> None:
    wrong = "not-" + redfish_bmc.password
    with pytest.raises(DriverError) as raised:
        redfish_driver.power_state(redfish_bmc.credential(password=wrong.encode()))
    assert not raised.value.transient
    assert "the BMC refused the credentials" in raised.value.message
    assert wrong not in raised.value.message and redfish_bmc.password not in raised.value.message
    assert redfish_driver.power_state(redfish_bmc.credential()) is NodePower.OFF


def test_redfish_paused_bmc_fails_in_bounded_time_and_recovers(
    redfish_bmc: RunningBmc, redfish_driver: RedfishDriver
) -> None:
    bmc = redfish_bmc.credential(timeout_s=1.0, retries=1)
    assert redfish_driver.power_state(_patient(redfish_bmc)) is NodePower.OFF
    with redfish_bmc.process.paused():
        error = _bounded(lambda: redfish_driver.power_state(bmc), within=1.0 * 2 + 1.5)
        assert "no answer" in error.message
    assert redfish_driver.power_state(_patient(redfish_bmc)) is NodePower.OFF
    assert redfish_driver.set_power(_patient(redfish_bmc), PowerAction.ON) is NodePower.ON
    wait_for(_no_lingering_calls(redfish_bmc), timeout=30, what="abandoned calls to end")


def test_redfish_killed_bmc_fails_in_bounded_time(redfish_bmc: RunningBmc, redfish_driver: RedfishDriver) -> None:
    bmc = redfish_bmc.credential(timeout_s=1.0, retries=2)
    assert redfish_driver.power_state(_patient(redfish_bmc)) is NodePower.OFF
    redfish_bmc.process.kill()
    error = _bounded(lambda: redfish_driver.power_state(bmc), within=1.0 * 3 + 1.5)
    assert "cannot connect" in error.message


def test_redfish_concurrent_calls(
    start_redfish_bmc: Callable[..., RunningBmc], redfish_driver: RedfishDriver, bmc_hypervisor: Any
) -> None:
    nodes = [start_redfish_bmc(), start_redfish_bmc()]

    def work(index: int) -> NodePower:
        node = nodes[index % len(nodes)]
        bmc = node.credential()
        redfish_driver.power_state(bmc)
        redfish_driver.boot_device(bmc)
        return redfish_driver.set_power(bmc, PowerAction.ON)

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(work, range(16))) == {NodePower.ON}
    assert all(_active(bmc_hypervisor, node) for node in nodes)


# -- both --------------------------------------------------------------------


def test_driver_for_each_protocol() -> None:
    for protocol, kind in ((BmcProtocol.IPMI, IpmiDriver), (BmcProtocol.REDFISH, RedfishDriver)):
        driver = driver_for(protocol)
        try:
            assert isinstance(driver, kind)
        finally:
            driver.close()
    with pytest.raises(ValueError, match="bogus"):
        driver_for("bogus")
