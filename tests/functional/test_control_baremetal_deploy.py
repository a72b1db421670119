"""Baremetal deploys and cleanings step by step, against a simulated IPMI
BMC driving a libvirt domain and the daemon's real boot endpoint; the test
plays the deploy ramdisk's agent over HTTP, as the ramdisk does."""

from __future__ import annotations

import hashlib
import io
import socket
import subprocess
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


def test_only_raw_and_qcow2_image_files_are_deployable(deploy: Deploy) -> None:
    admin: Client = deploy.fleet.admin
    for name, source, image_format in (
        ("vol-image", "volume:bm-image.raw", pb.IMAGE_FORMAT_RAW),
        ("qcow-vol-image", "volume:bm-image.qcow2", pb.IMAGE_FORMAT_QCOW2),
    ):
        admin.control.CreateImage(
            pb.CreateImageRequest(name=name, format=image_format, source=source, size_gb=0, system=True)
        )
        with pytest.raises(errors.FailedPrecondition) as refused:
            deploy.fleet.provision(image=name)
        assert refused.value.reason == "IMAGE_NOT_DEPLOYABLE"
    admin.control.CreateImage(
        pb.CreateImageRequest(
            name="qcow-image", format=pb.IMAGE_FORMAT_QCOW2, source="/srv/images/disk.qcow2", size_gb=0, system=True
        )
    )
    # Accepted: the file is looked at when the deploy starts, and this one is not there.
    machine = deploy.fleet.provision(image="qcow-image")
    failed = deploy.fleet.wait_machine(machine.id, pb.MACHINE_STATE_ERROR)
    assert "image /srv/images/disk.qcow2 cannot be read" in failed.error


def _qemu_img(*args: str) -> None:
    done = subprocess.run(["qemu-img", *args], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def _qcow2_image(fleet: BareFleet, name: str, path: Path) -> None:
    fleet.admin.control.CreateImage(
        pb.CreateImageRequest(name=name, format=pb.IMAGE_FORMAT_QCOW2, source=str(path), system=True)
    )


def _image_cache(fleet: BareFleet) -> Path:
    return Path(fleet.daemon.config.state_dir) / "image-cache"


def _deploy_to_active(deploy: Deploy, image: str) -> tuple[str, dict[str, str], bytes]:
    """A deploy of ``image`` the test's agent completes: the machine, its job, the bytes fetched."""
    fleet = deploy.fleet
    machine = fleet.provision(image=image, ssh_keys=[SSH_KEY])
    fleet.wait_step(machine.id, "waiting_for_agent")
    settings = deploy.agent.boot()
    written = deploy.agent.fetch(settings["IMAGE_URL"])
    assert deploy.agent.report(settings, status="done", image_sha256=hashlib.sha256(written).hexdigest()) == 204
    fleet.wait_machine(machine.id, pb.MACHINE_STATE_ACTIVE)
    return machine.id, settings, written


def test_a_qcow2_image_is_converted_once_and_deployed_raw(deploy: Deploy, tmp_path: Path) -> None:
    fleet = deploy.fleet
    source = tmp_path / "disk-image.qcow2"
    _qemu_img("convert", "-f", "raw", "-O", "qcow2", str(tmp_path / "disk-image.raw"), str(source))
    assert source.read_bytes() != deploy.image
    _qcow2_image(fleet, "qcow-image", source)

    first_id, settings, written = _deploy_to_active(deploy, "qcow-image")
    # The agent gets raw bytes, the qcow2 image's disk, and the checksum of those.
    assert settings["IMAGE_FORMAT"] == "raw"
    assert written == deploy.image
    assert settings["IMAGE_SHA256"] == hashlib.sha256(deploy.image).hexdigest()
    assert settings["IMAGE_BYTES"] == str(len(deploy.image))
    # One file in the cache, named by the qcow2 file's checksum; no partial file beside it.
    (cached,) = _image_cache(fleet).iterdir()
    assert cached.name == f"{hashlib.sha256(source.read_bytes()).hexdigest()}.raw"
    converted = cached.stat()

    # The node is freed, and the next machine from the same image reuses the conversion.
    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=first_id))
    fleet.wait_step(first_id, "cleaning")
    wait_for(lambda: fleet.active(deploy.node), timeout=120, what="the node to boot the ramdisk to clean")
    assert deploy.agent.report(deploy.agent.boot(), status="done") == 204
    fleet.wait_machine(first_id, pb.MACHINE_STATE_DECOMMISSIONED)
    _, settings, written = _deploy_to_active(deploy, "qcow-image")
    assert written == deploy.image and settings["IMAGE_SHA256"] == hashlib.sha256(deploy.image).hexdigest()
    assert [path.name for path in _image_cache(fleet).iterdir()] == [cached.name]
    again = cached.stat()
    assert (again.st_ino, again.st_mtime_ns) == (converted.st_ino, converted.st_mtime_ns)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (["create", "-f", "qcow2", "-F", "raw", "-b", "{secret}", "{image}"], "has a backing file"),
        (["create", "-f", "qcow2", "-o", "data_file={secret},data_file_raw=on", "{image}", "1M"], "external data file"),
        # The node's declared disk is 20 GB.
        (["create", "-f", "qcow2", "{image}", "21G"], "larger than the node's disk"),
    ],
    ids=["backing-file", "data-file", "too-large"],
)
def test_a_qcow2_image_that_is_not_safe_to_convert_fails_the_deploy(
    deploy: Deploy, tmp_path: Path, make: list[str], expected: str
) -> None:
    fleet = deploy.fleet
    secret = tmp_path / "secret.raw"
    secret.write_bytes(b"not for any node\n" * 4096)
    image = tmp_path / "crafted.qcow2"
    _qemu_img(*(arg.format(secret=secret, image=image) for arg in make))
    _qcow2_image(fleet, "crafted", image)
    # The node runs when the deploy starts; a refused image leaves it off all the same.
    fleet.admin.control.SetHostPower(pb.SetHostPowerRequest(host=deploy.host.id, action=pb.POWER_ACTION_ON))
    wait_for(lambda: fleet.active(deploy.node), timeout=120, what="the node to be powered on")

    machine = fleet.provision(image="crafted")
    failed = fleet.wait_machine(machine.id, pb.MACHINE_STATE_ERROR)
    assert expected in failed.error and str(image) in failed.error
    assert failed.step == ""
    wait_for(lambda: not fleet.active(deploy.node), timeout=120, what="the node to be powered off")
    # Nothing converted, nothing left behind, no job for the node.
    cache = _image_cache(fleet)
    assert not cache.exists() or list(cache.iterdir()) == []
    assert deploy.agent.booted_on()
    # The claim stays with the machine until it is decommissioned.
    assert fleet.daemon.modules.resource.get_claim(machine.id)


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


def test_an_inspection_report_retried_after_a_failure_midway_reaches_the_provider(
    deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet = deploy.fleet
    hosts = fleet.daemon.modules.control.hosts
    apply_facts = hosts.apply_facts
    calls: list[str] = []

    def dies_once(host_id: str, facts: Any) -> None:
        # The host row is committed; the daemon goes away before the provider follows.
        calls.append(host_id)
        if len(calls) == 1:
            raise RuntimeError("the daemon went away")
        apply_facts(host_id, facts)

    monkeypatch.setattr(hosts, "apply_facts", dies_once)
    fleet.admin.control.InspectHost(pb.InspectHostRequest(host=deploy.host.id, in_band=True))
    wait_for(lambda: fleet.active(deploy.node), timeout=120, what="the node to boot the ramdisk")
    settings = deploy.agent.boot()
    inventory = {"arch": "x86_64", "cpus": 24, "memory_mb": 65536, "nics": [{"mac": deploy.node.mac}]}
    # Not applied in full: the agent is asked to send it again, and does.
    assert deploy.agent.report(settings, status="done", job="inspect", inventory=inventory) == 503
    assert deploy.agent.report(settings, status="done", job="inspect", inventory=inventory) == 204
    host = fleet.wait_host(deploy.host.id, lambda h: h.state != pb.HOST_STATE_ENROLLING, "in-band inspection")
    assert host.state == pb.HOST_STATE_READY and host.cpus == 24
    assert fleet.provider(host).inventory("VCPU").total == 24


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


def test_clean_wipe_full_reaches_the_cleaning_job(start_daemon: Callable[..., Daemon], tmp_path: Path) -> None:
    daemon = start_daemon(
        database_url=f"sqlite:///{tmp_path / 'full.db'}", boot_listen="127.0.0.1:0", clean_wipe="full"
    )
    deploys = daemon.modules.control.deploys
    assert deploys is not None and deploys.settings.wipe == "full"
