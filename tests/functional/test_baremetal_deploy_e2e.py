"""One baremetal machine deployed and decommissioned end to end, on a real node.

The node is a QEMU guest (software emulation) of the private libvirtd,
behind the IPMI simulator. Its NIC's iPXE firmware boots from mulligand's
boot endpoint: QEMU's user-mode network hands the guest the boot file
``http://10.0.2.100/boot.ipxe`` and, with ``restrict=on``, no route
anywhere but a ``guestfwd`` relay from 10.0.2.100:80 to the endpoint on
127.0.0.1. The deploy ramdisk (tools/ramdisk) writes the image and its
cloud-init seed; the node then boots the image from its disk, which prints
a marker on the serial console.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

libvirt = pytest.importorskip("libvirt")

from mulligan.api.control.v1 import control_pb2 as pb  # noqa: E402
from mulligan.daemon import Daemon  # noqa: E402
from tests.fixtures.bmc import RunningBmc  # noqa: E402
from tests.fixtures.boot_disk import MARKER, boot_sector  # noqa: E402
from tests.fixtures.daemon import wait_for  # noqa: E402
from tests.fixtures.libvirtd import SessionLibvirtd  # noqa: E402
from tests.fixtures.nodes import BareFleet  # noqa: E402
from tests.fixtures.qemu_nodes import (  # noqa: E402
    STEP_TIMEOUT_S,
    console_tail,
    node_xml,
    start_deploy_daemon,
    wait_step,
)

# Each test boots the ramdisk twice (and the deployed image) under software emulation.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEndToEnd tenant@laptop"
SMALL = pb.Resources(vcpus=1, memory_mb=256)
# bench/deploy.py runs the parallel test with these set: how many nodes, and where the figures go.
BENCH_NODES = "MULLIGAN_BENCH_DEPLOY_NODES"
BENCH_RESULT = "MULLIGAN_BENCH_DEPLOY_RESULT"


@pytest.fixture
def daemon(start_daemon: Callable[..., Daemon], tmp_path: Path) -> Daemon:
    return start_deploy_daemon(start_daemon, tmp_path)


def _marker_image(fleet: BareFleet) -> bytes:
    """Register image "marker": a disk that prints MARKER on its console once booted."""
    image = boot_sector().ljust(1 << 20, b"\0")
    image_path = Path(fleet.daemon.config.state_dir) / "marker-disk.raw"
    image_path.write_bytes(image)
    fleet.admin.control.CreateImage(
        pb.CreateImageRequest(name="marker", format=pb.IMAGE_FORMAT_RAW, source=str(image_path), system=True)
    )
    return image


def test_a_machine_is_deployed_onto_a_qemu_node_and_cleaned(
    bare_fleet: BareFleet, start_ipmi_bmcs: Callable[..., list[RunningBmc]], bmc_libvirtd: SessionLibvirtd
) -> None:
    endpoint = bare_fleet.daemon.modules.control.boot_endpoint
    assert endpoint is not None
    (node,) = start_ipmi_bmcs(1, qemu_xml=node_xml(bmc_libvirtd, endpoint.port))
    disk = bmc_libvirtd.workdir / f"{node.domain}.raw"
    console = bmc_libvirtd.workdir / f"{node.domain}.console"
    image = _marker_image(bare_fleet)
    properties = pb.NodeProperties(cpus=4, memory_mb=4096, disk_gb=0, arch="x86_64", macs=[node.mac])
    host = bare_fleet.enroll(node, "qemu-node", properties=properties)
    assert host.state == pb.HOST_STATE_READY, host.error
    # In-band inspection: the ramdisk reports what the IPMI BMC could not.
    bare_fleet.admin.control.InspectHost(pb.InspectHostRequest(host=host.id, in_band=True))
    host = bare_fleet.wait_host(
        host.id, lambda h: h.state != pb.HOST_STATE_ENROLLING, "in-band inspection", timeout=STEP_TIMEOUT_S
    )
    assert host.state == pb.HOST_STATE_READY, f"{host.error}\nconsole:\n{console_tail(console)}"
    assert host.cpus == 1 and 400 < host.memory_mb <= 512 and list(host.macs) == [node.mac]

    machine = bare_fleet.provision(image="marker", ssh_keys=[SSH_KEY], resources=SMALL)
    wait_step(bare_fleet, machine.id, {"MACHINE_STATE_ACTIVE"}, console)
    # The disk holds the image (its partition table now also lists the seed
    # partition), and the node booted it: the marker is on its console.
    written = disk.read_bytes()
    assert written[:446] == image[:446] and written[510:512] == b"\x55\xaa"
    assert written[512 : len(image)] == image[512:]
    assert SSH_KEY.encode() in written
    wait_for(lambda: MARKER in console.read_bytes(), timeout=STEP_TIMEOUT_S, what="the deployed image to boot")
    bootdev = node.ipmitool("chassis", "bootparam", "get", "5").stdout
    assert "Hard-Drive" in bootdev, bootdev

    bare_fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    wait_step(bare_fleet, machine.id, {"MACHINE_STATE_DECOMMISSIONED"}, console)
    # Cleaning wiped the partition table and the disk's first MiB: the image is gone.
    cleaned = disk.read_bytes()
    assert cleaned[: 1 << 20] == b"\0" * (1 << 20)
    assert hashlib.sha256(cleaned).digest() != hashlib.sha256(written).digest()
    assert not bare_fleet.host(host.id).maintenance
    qemu = libvirt.open(node.libvirt_uri)
    try:
        wait_for(lambda: not qemu.lookupByName(node.domain).isActive(), timeout=120, what="the node powered off")
    finally:
        qemu.close()


def test_a_machine_is_deployed_onto_a_redfish_node_from_virtual_media(
    bare_fleet: BareFleet, start_redfish_bmc: Callable[..., RunningBmc], bmc_libvirtd: SessionLibvirtd
) -> None:
    endpoint = bare_fleet.daemon.modules.control.boot_endpoint
    assert endpoint is not None
    node = start_redfish_bmc(qemu_xml=node_xml(bmc_libvirtd, endpoint.port, pxe=False))
    disk = bmc_libvirtd.workdir / f"{node.domain}.raw"
    console = bmc_libvirtd.workdir / f"{node.domain}.console"
    image = _marker_image(bare_fleet)
    # The NIC is QEMU's, which Redfish does not see: its MAC is declared (and sizes, where the emulator says none).
    properties = pb.NodeProperties(cpus=1, memory_mb=512, arch="x86_64", macs=[node.mac])
    host = bare_fleet.enroll(node, "redfish-node", properties=properties)
    assert host.state == pb.HOST_STATE_READY, host.error

    machine = bare_fleet.provision(image="marker", ssh_keys=[SSH_KEY], resources=SMALL)
    wait_step(bare_fleet, machine.id, {"MACHINE_STATE_ACTIVE"}, console)
    written = disk.read_bytes()
    assert written[:446] == image[:446] and written[512 : len(image)] == image[512:]
    assert SSH_KEY.encode() in written
    wait_for(lambda: MARKER in console.read_bytes(), timeout=STEP_TIMEOUT_S, what="the deployed image to boot")

    bare_fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    wait_step(bare_fleet, machine.id, {"MACHINE_STATE_DECOMMISSIONED"}, console)
    assert disk.read_bytes()[: 1 << 20] == b"\0" * (1 << 20)
    assert not bare_fleet.host(host.id).maintenance


@pytest.mark.skipif(not os.environ.get(BENCH_NODES), reason="a benchmark: bench/deploy.py runs it")
def test_machines_are_deployed_onto_nodes_in_parallel(
    bare_fleet: BareFleet, start_ipmi_bmcs: Callable[..., list[RunningBmc]], bmc_libvirtd: SessionLibvirtd
) -> None:
    count = int(os.environ[BENCH_NODES])
    endpoint = bare_fleet.daemon.modules.control.boot_endpoint
    assert endpoint is not None
    nodes = start_ipmi_bmcs(count, qemu_xml=node_xml(bmc_libvirtd, endpoint.port))
    image = _marker_image(bare_fleet)
    for index, node in enumerate(nodes):
        properties = pb.NodeProperties(cpus=1, memory_mb=512, arch="x86_64", macs=[node.mac])
        host = bare_fleet.enroll(node, f"qemu-node-{index}", properties=properties)
        assert host.state == pb.HOST_STATE_READY, host.error

    def timed(machine_id: str, start: float, until: int) -> dict[str, float]:
        """Seconds from start at which the machine was first seen at each step."""
        seen: dict[str, float] = {}

        def reached() -> bool:
            machine = bare_fleet.admin.control.GetMachine(pb.GetMachineRequest(machine=machine_id)).machine
            assert machine.state != pb.MACHINE_STATE_ERROR, machine.error
            seen.setdefault(machine.step or pb.MachineState.Name(machine.state), round(time.monotonic() - start, 1))
            return machine.state == until

        wait_for(reached, timeout=STEP_TIMEOUT_S, interval=0.5, what=f"machine {machine_id} to settle")
        return seen

    def deploy(_index: int) -> tuple[str, dict[str, float]]:
        start = time.monotonic()
        machine = bare_fleet.provision(image="marker", ssh_keys=[SSH_KEY], resources=SMALL)
        return machine.id, timed(machine.id, start, pb.MACHINE_STATE_ACTIVE)

    def decommission(machine_id: str) -> dict[str, float]:
        start = time.monotonic()
        bare_fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine_id))
        return timed(machine_id, start, pb.MACHINE_STATE_DECOMMISSIONED)

    started = time.monotonic()
    with ThreadPoolExecutor(count) as pool:
        deployed = list(pool.map(deploy, range(count)))
    all_active = time.monotonic() - started
    # One machine per node: every node's disk holds the image, and every node booted it.
    for node in nodes:
        assert (bmc_libvirtd.workdir / f"{node.domain}.raw").read_bytes()[512 : len(image)] == image[512:]
        node_console = bmc_libvirtd.workdir / f"{node.domain}.console"
        wait_for(lambda c=node_console: MARKER in c.read_bytes(), timeout=STEP_TIMEOUT_S, what="the image to boot")
    started = time.monotonic()
    with ThreadPoolExecutor(count) as pool:
        cleaned = list(pool.map(decommission, [machine_id for machine_id, _ in deployed]))
    all_free = time.monotonic() - started
    figures = {
        "nodes": count,
        "request_to_active_s": sorted(steps["MACHINE_STATE_ACTIVE"] for _, steps in deployed),
        "all_active_s": round(all_active, 1),
        "decommission_to_free_s": sorted(steps["MACHINE_STATE_DECOMMISSIONED"] for steps in cleaned),
        "all_free_s": round(all_free, 1),
        # Per machine, when each step was first seen: where the time goes.
        "deploy_steps_s": [steps for _, steps in deployed],
        "cleaning_steps_s": cleaned,
    }
    result = os.environ.get(BENCH_RESULT)
    if result:
        Path(result).write_text(json.dumps(figures))
