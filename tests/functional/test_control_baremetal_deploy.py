"""Baremetal deploys and cleanings step by step, against a simulated IPMI
BMC driving a libvirt domain and the daemon's real boot endpoint; the test
plays the deploy ramdisk's agent over HTTP, as the ramdisk does."""

from __future__ import annotations

import hashlib
import io
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pycdlib
import pytest

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from tests.fixtures.agent import Agent
from tests.fixtures.bmc import RunningBmc, ipmi_boot_flags
from tests.fixtures.daemon import wait_for
from tests.fixtures.iam import bootstrap
from tests.fixtures.nodes import DAEMON_OPTIONS, BareFleet, bmc_message

StartIpmi = Callable[..., list[RunningBmc]]
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeploy tenant@laptop"


@pytest.fixture
def daemon(start_daemon: Callable[..., Daemon], tmp_path: Path) -> Daemon:
    return start_daemon(
        database_url=f"sqlite:///{tmp_path / 'mulligan.db'}",
        boot_listen="127.0.0.1:0",
        deploy_timeout_s=600,
        **DAEMON_OPTIONS,
    )


@dataclass
class Deploy:
    fleet: BareFleet
    node: RunningBmc
    host: pb.Host
    agent: Agent
    image: bytes

    def provision(self, **fields: Any) -> pb.Machine:
        return self.fleet.provision(image="disk-image", ssh_keys=[SSH_KEY], **fields)

    def host_now(self) -> pb.Host:
        return self.fleet.host(self.host.id)


@pytest.fixture
def deploy(bare_fleet: BareFleet, start_ipmi_bmcs: StartIpmi, tmp_path: Path) -> Iterator[Deploy]:
    (node,) = start_ipmi_bmcs(1)
    image = bytes(range(256)) * 8192  # 2 MiB
    image_path = tmp_path / "disk-image.raw"
    image_path.write_bytes(image)
    bare_fleet.admin.control.CreateImage(
        pb.CreateImageRequest(
            name="disk-image", format=pb.IMAGE_FORMAT_RAW, source=str(image_path), size_gb=0, system=True
        )
    )
    properties = pb.NodeProperties(cpus=4, memory_mb=4096, disk_gb=20, arch="x86_64", macs=[node.mac])
    host = bare_fleet.enroll(node, "deploy-node", properties=properties)
    assert host.state == pb.HOST_STATE_READY, host.error
    assert list(host.macs) == [node.mac]
    yield Deploy(bare_fleet, node, host, Agent.of(bare_fleet.daemon, node.mac), image)


def _seed_files(iso: bytes) -> dict[str, str]:
    reader = pycdlib.PyCdlib()
    reader.open_fp(io.BytesIO(iso))
    try:
        found = {}
        for name in ("user-data", "meta-data"):
            out = io.BytesIO()
            reader.get_file_from_iso_fp(out, joliet_path=f"/{name}")
            found[name] = out.getvalue().decode()
        return found
    finally:
        reader.close()


def test_a_node_is_deployed_and_cleaned_step_by_step(deploy: Deploy) -> None:
    fleet = deploy.fleet
    machine = deploy.provision(name="metal-1")
    deploy.fleet.wait_step(machine.id, "waiting_for_agent")
    # The node runs (the ramdisk), booting from the network this once.
    assert fleet.active(deploy.node)
    settings = deploy.agent.boot()
    assert settings["JOB"] == "deploy" and settings["IMAGE_FORMAT"] == "raw"
    written = deploy.agent.fetch(settings["IMAGE_URL"])
    assert written == deploy.image
    checksum = hashlib.sha256(written).hexdigest()
    assert settings["IMAGE_SHA256"] == checksum and settings["IMAGE_BYTES"] == str(len(deploy.image))
    seed = _seed_files(deploy.agent.fetch(settings["CONFIG_DRIVE_URL"]))
    assert SSH_KEY in seed["user-data"] and machine.id in seed["meta-data"]
    assert deploy.agent.report(settings, status="done", image_sha256=checksum) == 204

    active = fleet.wait_machine(machine.id, pb.MACHINE_STATE_ACTIVE)
    assert (active.step, active.error) == ("", "")
    assert fleet.active(deploy.node)
    bootdev = ipmi_boot_flags(deploy.node)
    assert "Hard-Drive" in bootdev and "Options apply to all future boots" in bootdev, bootdev
    # The job is over: the node's next network boot goes on to its disk.
    assert deploy.agent.booted_on()

    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    deploy.fleet.wait_step(machine.id, "cleaning")
    wait_for(lambda: fleet.active(deploy.node), timeout=120, what="the node to boot the ramdisk to clean")
    settings = deploy.agent.boot()
    assert (settings["JOB"], settings["WIPE"]) == ("clean", "metadata")
    # The capacity stays taken until the disks are clean.
    assert fleet.daemon.modules.resource.get_claim(machine.id)
    assert deploy.agent.report(settings, status="done") == 204
    fleet.wait_machine(machine.id, pb.MACHINE_STATE_DECOMMISSIONED)
    wait_for(lambda: not fleet.active(deploy.node), timeout=120, what="the node to be powered off")
    with pytest.raises(errors.NotFound):
        fleet.daemon.modules.resource.get_claim(machine.id)
    assert not deploy.host_now().maintenance
    # And the node takes the next machine.
    assert deploy.provision(name="metal-2").host_id == deploy.host.id


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        ({"status": "done", "image_sha256": "0" * 64}, "does not match its checksum"),
        ({"status": "failed", "reason": "no disk large enough for the image"}, "no disk large enough for the image"),
    ],
)
def test_a_bad_report_fails_the_deploy_and_powers_the_node_off(
    deploy: Deploy, report: dict[str, str], expected: str
) -> None:
    fleet = deploy.fleet
    machine = deploy.provision()
    deploy.fleet.wait_step(machine.id, "waiting_for_agent")
    settings = deploy.agent.boot()
    assert deploy.agent.report(settings, **report) == 204
    failed = fleet.wait_machine(machine.id, pb.MACHINE_STATE_ERROR)
    assert expected in failed.error and failed.step == ""
    wait_for(lambda: not fleet.active(deploy.node), timeout=120, what="the node to be powered off")
    # The claim stays with the machine until it is decommissioned.
    assert fleet.daemon.modules.resource.get_claim(machine.id)
    assert deploy.agent.booted_on()


def test_an_agent_that_never_reports_fails_the_deploy_at_its_deadline(deploy: Deploy) -> None:
    fleet = deploy.fleet
    deploys = fleet.daemon.modules.control.deploys
    assert deploys is not None
    machine = deploy.provision()
    deploy.fleet.wait_step(machine.id, "waiting_for_agent")
    assert deploys.expire() == 0
    # As the sweep would find it once the deadline has passed.
    assert deploys.expire(now=datetime.now(UTC) + deploys.settings.agent_timeout + timedelta(seconds=1)) == 1
    failed = fleet.wait_machine(machine.id, pb.MACHINE_STATE_ERROR)
    assert "no report from the deploy ramdisk within 600 s" in failed.error
    wait_for(lambda: not fleet.active(deploy.node), timeout=120, what="the node to be powered off")
    assert fleet.daemon.modules.resource.get_claim(machine.id)
    # A late report finds nothing to change.
    assert deploy.agent.booted_on()


def test_a_failed_cleaning_puts_the_node_into_maintenance(deploy: Deploy) -> None:
    fleet = deploy.fleet
    machine = deploy.provision()
    deploy.fleet.wait_step(machine.id, "waiting_for_agent")
    settings = deploy.agent.boot()
    deploy.agent.report(settings, status="done", image_sha256=settings["IMAGE_SHA256"])
    fleet.wait_machine(machine.id, pb.MACHINE_STATE_ACTIVE)
    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    deploy.fleet.wait_step(machine.id, "cleaning")
    settings = deploy.agent.boot()
    deploy.agent.report(settings, status="failed", reason="wiping /dev/vda failed: I/O error")
    fleet.wait_machine(machine.id, pb.MACHINE_STATE_DECOMMISSIONED)
    host = deploy.host_now()
    assert host.maintenance and "wiping /dev/vda failed: I/O error" in host.maintenance_reason
    # No machine lands on a node that may still hold the last one's data.
    with pytest.raises(errors.ResourceExhausted):
        deploy.provision()


def test_only_raw_image_files_are_deployable(deploy: Deploy) -> None:
    admin: Client = deploy.fleet.admin
    for name, source, image_format in (
        ("vol-image", "volume:bm-image.raw", pb.IMAGE_FORMAT_RAW),
        ("qcow-image", "/srv/images/disk.qcow2", pb.IMAGE_FORMAT_QCOW2),
    ):
        admin.control.CreateImage(
            pb.CreateImageRequest(name=name, format=image_format, source=source, size_gb=0, system=True)
        )
        with pytest.raises(errors.FailedPrecondition) as refused:
            deploy.fleet.provision(image=name)
        assert refused.value.reason == "IMAGE_NOT_DEPLOYABLE"


def test_a_node_without_a_known_mac_cannot_be_deployed(bare_fleet: BareFleet, start_ipmi_bmcs: StartIpmi) -> None:
    (node,) = start_ipmi_bmcs(1)
    host = bare_fleet.enroll(node, properties=pb.NodeProperties(cpus=4, memory_mb=4096, disk_gb=20))
    assert list(host.macs) == []
    path = Path(bare_fleet.daemon.config.state_dir) / "image.raw"
    path.write_bytes(b"\0" * 4096)
    bare_fleet.admin.control.CreateImage(
        pb.CreateImageRequest(name="disk-image", format=pb.IMAGE_FORMAT_RAW, source=str(path), system=True)
    )
    machine = bare_fleet.provision(image="disk-image")
    failed = bare_fleet.wait_machine(machine.id, pb.MACHINE_STATE_ERROR)
    assert "no known MAC address" in failed.error


def test_declared_macs_are_checked(bare_fleet: BareFleet, start_ipmi_bmcs: StartIpmi) -> None:
    (node,) = start_ipmi_bmcs(1)
    request = pb.EnrollHostRequest(
        name="bad-mac",
        kind=pb.HOST_KIND_BAREMETAL,
        region="default",
        bmc=bmc_message(node),
        properties=pb.NodeProperties(macs=["52:54:00:zz:00:01"]),
    )
    with pytest.raises(errors.InvalidArgument) as refused:
        bare_fleet.admin.control.EnrollHost(request)
    assert refused.value.reason == "INVALID_NODE_PROPERTIES"


def test_a_deploy_survives_a_daemon_restart_while_the_agent_works(
    start_daemon: Callable[..., Daemon], tmp_path: Path, start_ipmi_bmcs: StartIpmi, bmc_hypervisor: Any
) -> None:
    # The endpoint's port must outlive the daemon, as a configured one does.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options: dict[str, Any] = {
        "state_dir": str(tmp_path / "state"),
        "database_url": f"sqlite:///{tmp_path / 'restart.db'}",
        "boot_listen": f"127.0.0.1:{port}",
        **DAEMON_OPTIONS,
    }
    first = start_daemon(**options)
    admin_token = bootstrap(first).token
    with Client(first.address, token=admin_token) as admin:
        fleet = BareFleet(first, admin, bmc_hypervisor, first.modules.resource.create_region("default").id, "")
        (node,) = start_ipmi_bmcs(1)
        image_path = tmp_path / "image.raw"
        image_path.write_bytes(b"\x5a" * 65536)
        admin.control.CreateImage(
            pb.CreateImageRequest(name="disk-image", format=pb.IMAGE_FORMAT_RAW, source=str(image_path), system=True)
        )
        properties = pb.NodeProperties(cpus=4, memory_mb=4096, disk_gb=20, arch="x86_64", macs=[node.mac])
        fleet.enroll(node, properties=properties)
        machine = fleet.provision(image="disk-image")
        fleet.wait_step(machine.id, "waiting_for_agent")
        agent = Agent.of(first, node.mac)
        settings = agent.boot()
        checksum = hashlib.sha256(agent.fetch(settings["IMAGE_URL"])).hexdigest()
    # The daemon goes away while the agent writes, and comes back.
    first.stop(5)
    second = start_daemon(**options)
    assert agent.report(settings, status="done", image_sha256=checksum) == 204
    with Client(second.address, token=admin_token) as admin:
        fleet = BareFleet(second, admin, bmc_hypervisor, "", "")
        fleet.wait_machine(machine.id, pb.MACHINE_STATE_ACTIVE)
        assert fleet.active(node)


def test_in_band_inspection_records_what_the_ramdisk_found(deploy: Deploy) -> None:
    fleet = deploy.fleet
    second_mac = "52:54:00:99:88:77"
    queued = fleet.admin.control.InspectHost(pb.InspectHostRequest(host=deploy.host.id, in_band=True)).host
    assert queued.state == pb.HOST_STATE_ENROLLING
    wait_for(lambda: fleet.active(deploy.node), timeout=120, what="the node to boot the ramdisk")
    settings = deploy.agent.boot()
    assert settings["JOB"] == "inspect"
    inventory = {
        "arch": "x86_64",
        "cpus": 48,
        "cpu_model": "Test CPU \x1b[31m",
        "memory_mb": 196608,
        "disks": [
            {"name": "nvme0n1", "size_bytes": 960 << 30, "serial": "S1", "rotational": False},
            {"name": "sda", "size_bytes": "huge", "serial": 7},
            "not a disk",
        ],
        "nics": [{"mac": deploy.node.mac}, {"mac": second_mac.upper()}, {"mac": "nonsense"}],
    }
    assert deploy.agent.report(settings, status="done", job="inspect", inventory=inventory) == 204
    host = fleet.wait_host(deploy.host.id, lambda h: h.state != pb.HOST_STATE_ENROLLING, "in-band inspection")
    assert host.state == pb.HOST_STATE_READY, host.error
    assert (host.cpus, host.memory_mb, host.disk_gb) == (48, 196608, 960)
    assert list(host.macs) == [deploy.node.mac, second_mac]
    assert {"STORAGE_DISK_SSD", "CUSTOM_NICS_2", "CUSTOM_DISK_512G"} <= set(host.traits)
    provider = fleet.provider(host)
    assert provider.inventory("VCPU").total == 48 and "CUSTOM_NICS_2" in provider.traits
    wait_for(lambda: not fleet.active(deploy.node), timeout=120, what="the node to be powered off")


def test_in_band_inspection_is_refused_where_it_cannot_run(deploy: Deploy) -> None:
    fleet = deploy.fleet
    machine = deploy.provision()
    with pytest.raises(errors.FailedPrecondition) as refused:
        fleet.admin.control.InspectHost(pb.InspectHostRequest(host=deploy.host.id, in_band=True))
    assert refused.value.reason == "HOST_HAS_MACHINES"
    assert fleet.host(deploy.host.id).state == pb.HOST_STATE_READY
    assert machine.host_id == deploy.host.id


def test_an_in_band_inspection_without_a_report_ends_in_error(deploy: Deploy) -> None:
    fleet = deploy.fleet
    deploys = fleet.daemon.modules.control.deploys
    assert deploys is not None
    fleet.admin.control.InspectHost(pb.InspectHostRequest(host=deploy.host.id, in_band=True))
    wait_for(lambda: fleet.active(deploy.node), timeout=120, what="the node to boot the ramdisk")
    wait_for(
        lambda: deploys.expire(now=datetime.now(UTC) + deploys.settings.agent_timeout + timedelta(seconds=1)),
        timeout=30,
        what="the inspection's job to be open and then expire",
    )
    host = fleet.host(deploy.host.id)
    assert host.state == pb.HOST_STATE_ERROR and "no report from the deploy ramdisk" in host.error
    wait_for(lambda: not fleet.active(deploy.node), timeout=120, what="the node to be powered off")


def test_decommissioning_aborts_a_deploy_under_way_and_cleans(deploy: Deploy) -> None:
    fleet = deploy.fleet
    deploys = fleet.daemon.modules.control.deploys
    assert deploys is not None
    machine = deploy.provision()
    deploy.fleet.wait_step(machine.id, "waiting_for_agent")
    deploy_settings = deploy.agent.boot()
    # The operator gives up on this deploy.
    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    deploy.fleet.wait_step(machine.id, "cleaning")
    # The deploy's job is over: its late report is refused, its deadline never fires.
    assert deploy.agent.report(deploy_settings, status="done", image_sha256=deploy_settings["IMAGE_SHA256"]) == 403
    settings = deploy.agent.boot()
    assert settings["JOB"] == "clean"
    assert deploys.expire(now=datetime.now(UTC) + timedelta(seconds=5)) == 0
    assert deploy.agent.report(settings, status="done") == 204
    done = fleet.wait_machine(machine.id, pb.MACHINE_STATE_DECOMMISSIONED)
    assert done.error == ""
    with pytest.raises(errors.NotFound):
        fleet.daemon.modules.resource.get_claim(machine.id)
