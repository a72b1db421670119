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
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

libvirt = pytest.importorskip("libvirt")

from mulligan.api.control.v1 import control_pb2 as pb  # noqa: E402
from mulligan.daemon import Daemon  # noqa: E402
from tests.fixtures.bmc import RunningBmc  # noqa: E402
from tests.fixtures.daemon import wait_for  # noqa: E402
from tests.fixtures.libvirtd import SessionLibvirtd  # noqa: E402
from tests.fixtures.nodes import DAEMON_OPTIONS, BareFleet  # noqa: E402
from tests.fixtures.ramdisk import ENDPOINT, RELAY, RamdiskUnavailable, build_ramdisk  # noqa: E402
from tests.functional.test_executors_libvirt_vm import MARKER, boot_sector  # noqa: E402

# Each test boots the ramdisk twice (and the deployed image) under software emulation.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEndToEnd tenant@laptop"
DISK_BYTES = 128 << 20
# Booting the ramdisk under software emulation takes tens of seconds; a
# machine busy with the rest of the suite takes several times that.
STEP_TIMEOUT_S = 420


@pytest.fixture
def daemon(start_daemon: Callable[..., Daemon], tmp_path: Path) -> Daemon:
    try:
        ramdisk = build_ramdisk()
    except RamdiskUnavailable as exc:
        pytest.skip(f"the deploy ramdisk cannot be built here: {exc}")
    state_dir = tmp_path / "state"
    (state_dir / "ramdisk").mkdir(parents=True)
    for name in ("vmlinuz", "initrd.img"):
        shutil.copyfile(ramdisk / name, state_dir / "ramdisk" / name)
    for name in ("isolinux.bin", "ldlinux.c32"):
        shutil.copyfile(ramdisk / name, state_dir / "ramdisk" / name)
    return start_daemon(
        state_dir=str(state_dir),
        database_url=f"sqlite:///{tmp_path / 'mulligan.db'}",
        boot_listen="127.0.0.1:0",
        # How the nodes reach the endpoint: the guestfwd relay (the virtual media's command line says so).
        boot_url=f"http://{ENDPOINT}",
        deploy_timeout_s=STEP_TIMEOUT_S,
        **DAEMON_OPTIONS,
    )


def _owned_by_libvirtd(path: Path) -> Path:
    # The session libvirtd (and the QEMU it starts) runs as nobody.
    shutil.chown(path, "nobody", "nogroup")
    return path


def _node_xml(libvirtd: SessionLibvirtd, endpoint_port: int, *, pxe: bool = True) -> Callable[[str, str], str]:
    relay = libvirtd.workdir / "relay.py"
    relay.write_text(RELAY)
    _owned_by_libvirtd(relay)

    def xml(name: str, mac: str) -> str:
        disk = libvirtd.workdir / f"{name}.raw"
        with disk.open("wb") as out:
            out.truncate(DISK_BYTES)
        _owned_by_libvirtd(disk)
        # Network boot needs the DHCP boot file; a virtual media boot only the route.
        bootfile = f"bootfile=http://{ENDPOINT}/boot.ipxe," if pxe else ""
        netdev = (
            f"user,id=boot,restrict=on,{bootfile}"
            f"guestfwd=tcp:{ENDPOINT}:80-cmd:/usr/bin/python3 {relay} {endpoint_port}"
        )
        # The NIC is QEMU's, not libvirt's (libvirt cannot restrict user
        # networking): it boots last, so a disk set first boots first.
        device = f"virtio-net-pci,netdev=boot,mac={mac},bus=pci.0,addr=0x9,bootindex=9"
        return f"""<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>{name}</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/><source file='{disk}'/><target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'><source path='{libvirtd.workdir / (name + ".console")}'/></serial>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-netdev'/><qemu:arg value='{netdev}'/>
    <qemu:arg value='-device'/><qemu:arg value='{device}'/>
  </qemu:commandline>
</domain>"""

    return xml


def _step(fleet: BareFleet, machine_id: str, wanted: set[str], console: Path) -> pb.Machine:
    def reached() -> pb.Machine | None:
        machine = fleet.admin.control.GetMachine(pb.GetMachineRequest(machine=machine_id)).machine
        if machine.state == pb.MACHINE_STATE_ERROR:
            raise AssertionError(f"{machine.error}\nconsole:\n{_tail(console)}")
        return machine if machine.step in wanted or pb.MachineState.Name(machine.state) in wanted else None

    return wait_for(reached, timeout=STEP_TIMEOUT_S, interval=0.5, what=f"machine {machine_id} in {wanted}")


def _tail(console: Path) -> str:
    return "\n".join(console.read_text(errors="replace").splitlines()[-40:]) if console.exists() else "(none)"


def test_a_machine_is_deployed_onto_a_qemu_node_and_cleaned(
    bare_fleet: BareFleet, start_ipmi_bmcs: Callable[..., list[RunningBmc]], bmc_libvirtd: SessionLibvirtd
) -> None:
    endpoint = bare_fleet.daemon.modules.control.boot_endpoint
    assert endpoint is not None
    (node,) = start_ipmi_bmcs(1, qemu_xml=_node_xml(bmc_libvirtd, endpoint.port))
    disk = bmc_libvirtd.workdir / f"{node.domain}.raw"
    console = bmc_libvirtd.workdir / f"{node.domain}.console"
    image = boot_sector().ljust(1 << 20, b"\0")
    image_path = Path(bare_fleet.daemon.config.state_dir) / "marker-disk.raw"
    image_path.write_bytes(image)
    bare_fleet.admin.control.CreateImage(
        pb.CreateImageRequest(name="marker", format=pb.IMAGE_FORMAT_RAW, source=str(image_path), system=True)
    )
    properties = pb.NodeProperties(cpus=4, memory_mb=4096, disk_gb=0, arch="x86_64", macs=[node.mac])
    host = bare_fleet.enroll(node, "qemu-node", properties=properties)
    assert host.state == pb.HOST_STATE_READY, host.error
    # In-band inspection: the ramdisk reports what the IPMI BMC could not.
    bare_fleet.admin.control.InspectHost(pb.InspectHostRequest(host=host.id, in_band=True))
    host = bare_fleet.wait_host(
        host.id, lambda h: h.state != pb.HOST_STATE_ENROLLING, "in-band inspection", timeout=STEP_TIMEOUT_S
    )
    assert host.state == pb.HOST_STATE_READY, f"{host.error}\nconsole:\n{_tail(console)}"
    assert host.cpus == 1 and 400 < host.memory_mb <= 512 and list(host.macs) == [node.mac]

    machine = bare_fleet.provision(image="marker", ssh_keys=[SSH_KEY], resources=pb.Resources(vcpus=1, memory_mb=256))
    _step(bare_fleet, machine.id, {"MACHINE_STATE_ACTIVE"}, console)
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
    _step(bare_fleet, machine.id, {"MACHINE_STATE_DECOMMISSIONED"}, console)
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
    node = start_redfish_bmc(qemu_xml=_node_xml(bmc_libvirtd, endpoint.port, pxe=False))
    disk = bmc_libvirtd.workdir / f"{node.domain}.raw"
    console = bmc_libvirtd.workdir / f"{node.domain}.console"
    image = boot_sector().ljust(1 << 20, b"\0")
    image_path = Path(bare_fleet.daemon.config.state_dir) / "marker-disk.raw"
    image_path.write_bytes(image)
    bare_fleet.admin.control.CreateImage(
        pb.CreateImageRequest(name="marker", format=pb.IMAGE_FORMAT_RAW, source=str(image_path), system=True)
    )
    # The NIC is QEMU's, which Redfish does not see: its MAC is declared (and sizes, where the emulator says none).
    properties = pb.NodeProperties(cpus=1, memory_mb=512, arch="x86_64", macs=[node.mac])
    host = bare_fleet.enroll(node, "redfish-node", properties=properties)
    assert host.state == pb.HOST_STATE_READY, host.error

    machine = bare_fleet.provision(image="marker", ssh_keys=[SSH_KEY], resources=pb.Resources(vcpus=1, memory_mb=256))
    _step(bare_fleet, machine.id, {"MACHINE_STATE_ACTIVE"}, console)
    written = disk.read_bytes()
    assert written[:446] == image[:446] and written[512 : len(image)] == image[512:]
    assert SSH_KEY.encode() in written
    wait_for(lambda: MARKER in console.read_bytes(), timeout=STEP_TIMEOUT_S, what="the deployed image to boot")

    bare_fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    _step(bare_fleet, machine.id, {"MACHINE_STATE_DECOMMISSIONED"}, console)
    assert disk.read_bytes()[: 1 << 20] == b"\0" * (1 << 20)
    assert not bare_fleet.host(host.id).maintenance
