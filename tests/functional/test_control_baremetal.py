"""Baremetal nodes end to end: enrolled through real simulated BMCs (IPMI
and Redfish, each in its own process, driving libvirt domains), inspected
into providers, claimed whole by machines, powered by operators, kept in
step by power sync, sent to maintenance when their BMC is lost."""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from google.protobuf import timestamp_pb2

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.daemon import Daemon
from mulligan.executors.node import DEPLOY_UNAVAILABLE
from tests.fixtures.bmc import NODE_CPUS, NODE_DISK_GB, NODE_MEMORY_MB, RunningBmc
from tests.fixtures.cli import run_cli
from tests.fixtures.daemon import wait_for
from tests.fixtures.iam import create_project, member
from tests.fixtures.nodes import DAEMON_OPTIONS, BareFleet

StartIpmi = Callable[..., list[RunningBmc]]
StartRedfish = Callable[..., RunningBmc]
DECLARED = pb.NodeProperties(cpus=16, memory_mb=65536, disk_gb=480, arch="x86_64", traits=["HW_CPU_X86_AVX2"])


@pytest.fixture
def daemon(start_daemon: Callable[..., Daemon], tmp_path: Path) -> Daemon:
    # SQLite only: the claims these tests make are the engine's, which its
    # own tests run on both databases (test_control_baremetal_claims.py too).
    return start_daemon(database_url=f"sqlite:///{tmp_path / 'mulligan.db'}", **DAEMON_OPTIONS)


class Cli:
    """``mulligan`` in this process as the fleet's admin: (exit code, stdout, stderr)."""

    def __init__(self, fleet: BareFleet, capsys: pytest.CaptureFixture[str]) -> None:
        self.fleet = fleet
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        run = run_cli(self.capsys, "--endpoint", self.fleet.daemon.address, *args)
        assert "Traceback" not in run.out + run.err
        return run.code, run.out, run.err


@pytest.fixture
def cli(
    bare_fleet: BareFleet, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Cli:
    monkeypatch.setenv("MULLIGAN_CONFIG_DIR", str(tmp_path / "client"))
    assert bare_fleet.admin.token
    monkeypatch.setenv("MULLIGAN_TOKEN", bare_fleet.admin.token)
    return Cli(bare_fleet, capsys)


def _redfish_power(bmc: RunningBmc) -> str:
    """The System's PowerState as the emulator reports it, read without Mulligan."""
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    base = f"http://{bmc.address}:{bmc.port}"
    manager.add_password(None, base, bmc.username, bmc.password)
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager))
    with opener.open(f"{base}/redfish/v1/Systems", timeout=10) as response:
        members = json.load(response)["Members"]
    with opener.open(base + members[0]["@odata.id"], timeout=10) as response:
        return str(json.load(response)["PowerState"])


def _ipmi_power(bmc: RunningBmc) -> str:
    done = bmc.ipmitool("chassis", "power", "status")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().rsplit(" ", 1)[-1]


# -- enrollment and inspection ------------------------------------------------


def test_ipmi_node_is_inspected_into_a_whole_node_provider(bare_fleet: BareFleet, ipmi_bmc: RunningBmc) -> None:
    host = bare_fleet.enroll(ipmi_bmc, "rack1-u1", properties=DECLARED)
    assert host.state == pb.HOST_STATE_READY, host.error
    # IPMI reports no sizes: what the operator declared stands.
    assert (host.cpus, host.memory_mb, host.disk_gb) == (16, 65536, 480)
    assert host.power_state == "off" and not host.maintenance
    assert {"COMPUTE_BAREMETAL", "HW_ARCH_X86_64", "HW_CPU_X86_AVX2", "CUSTOM_MEMORY_64G"} <= set(host.traits)
    provider = bare_fleet.provider(host)
    node = provider.inventory("BAREMETAL_NODE")
    assert (node.total, node.min_unit, node.max_unit) == (1, 1, 1)
    assert provider.inventory("VCPU").total == 16
    assert set(host.traits) <= provider.traits
    assert host.bmc.password == ""


def test_redfish_node_is_inspected_out_of_band(bare_fleet: BareFleet, redfish_bmc: RunningBmc) -> None:
    host = bare_fleet.enroll(redfish_bmc, "rack1-u2")
    assert host.state == pb.HOST_STATE_READY, host.error
    # Everything comes from the emulator, which reads the domain.
    assert (host.cpus, host.memory_mb, host.disk_gb) == (NODE_CPUS, NODE_MEMORY_MB, NODE_DISK_GB)
    assert list(host.macs) == [redfish_bmc.mac]
    assert {"COMPUTE_BAREMETAL", "HW_ARCH_X86_64", "CUSTOM_MEMORY_2G", "CUSTOM_DISK_16G", "CUSTOM_NICS_1"} <= set(
        host.traits
    )
    provider = bare_fleet.provider(host)
    assert provider.inventory("BAREMETAL_NODE").total == 1
    assert provider.inventory("MEMORY_MB").total == NODE_MEMORY_MB


def test_reinspection_updates_the_provider_and_keeps_the_claim(bare_fleet: BareFleet, redfish_bmc: RunningBmc) -> None:
    host = bare_fleet.enroll(redfish_bmc)
    machine = bare_fleet.provision()
    claim_before = bare_fleet.daemon.modules.resource.get_claim(machine.id)
    # The node grows a NIC (as after a repair): re-inspection must see it.
    domain = bare_fleet.hypervisor.lookupByName(redfish_bmc.domain)
    nic = "<interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='default'/></interface>"
    bare_fleet.hypervisor.defineXML(domain.XMLDesc(0).replace("</devices>", nic + "</devices>"))
    before = bare_fleet.host(host.id).inspected_at.ToDatetime()
    bare_fleet.admin.control.InspectHost(pb.InspectHostRequest(host=host.id))
    after = bare_fleet.wait_host(
        host.id, lambda h: h.inspected_at.ToDatetime() > before and h.state != pb.HOST_STATE_ENROLLING, "re-inspected"
    )
    assert after.state == pb.HOST_STATE_READY, after.error
    assert set(after.macs) == {redfish_bmc.mac, "52:54:00:aa:bb:cc"}
    assert "CUSTOM_NICS_2" in bare_fleet.provider(after).traits
    claim_after = bare_fleet.daemon.modules.resource.get_claim(machine.id)
    assert claim_after.allocations == claim_before.allocations


def test_unreachable_or_refusing_bmcs_fail_enrollment_with_a_reason(
    bare_fleet: BareFleet, start_ipmi_bmcs: StartIpmi
) -> None:
    wrong, gone = start_ipmi_bmcs(2)
    refused = bare_fleet.enroll(wrong, password="Not-The-Password-1")
    assert refused.state == pb.HOST_STATE_ERROR
    assert "refused the credentials" in refused.error
    gone.process.kill()
    silent = bare_fleet.enroll(gone)
    assert silent.state == pb.HOST_STATE_ERROR
    assert "no answer" in silent.error
    # Neither offers capacity.
    for host in (refused, silent):
        with pytest.raises(errors.ResourceExhausted):
            bare_fleet.provision()
        assert bare_fleet.host(host.id).state == pb.HOST_STATE_ERROR


# -- machines -------------------------------------------------------------------


def test_provisioning_stops_with_the_node_off_and_booting_from_the_network(
    bare_fleet: BareFleet, ipmi_bmc: RunningBmc
) -> None:
    host = bare_fleet.enroll(ipmi_bmc, properties=DECLARED)
    bare_fleet.hypervisor.lookupByName(ipmi_bmc.domain).create()
    machine = bare_fleet.provision(required_traits=["HW_CPU_X86_AVX2"])
    assert machine.host_id == host.id
    failed = bare_fleet.wait_machine(machine.id, pb.MACHINE_STATE_ERROR)
    assert DEPLOY_UNAVAILABLE in failed.error
    assert not bare_fleet.active(ipmi_bmc)
    assert _ipmi_power(ipmi_bmc) == "off"
    boot = ipmi_bmc.ipmitool("chassis", "bootparam", "get", "5")
    assert "Force PXE" in boot.stdout, boot.stdout
    # The node stays claimed by the machine until it is decommissioned.
    assert bare_fleet.daemon.modules.resource.get_claim(machine.id).allocations
    bare_fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    bare_fleet.wait_machine(machine.id, pb.MACHINE_STATE_DECOMMISSIONED)
    with pytest.raises(errors.NotFound):
        bare_fleet.daemon.modules.resource.get_claim(machine.id)


def test_a_reservation_claims_the_node_for_its_window_only(bare_fleet: BareFleet, ipmi_bmc: RunningBmc) -> None:
    def stamp(value: datetime) -> timestamp_pb2.Timestamp:
        result = timestamp_pb2.Timestamp()
        result.FromDatetime(value)
        return result

    bare_fleet.enroll(ipmi_bmc, properties=DECLARED)
    now = datetime.now(UTC)
    later = bare_fleet.provision(start=stamp(now + timedelta(days=1)), end=stamp(now + timedelta(days=2)))
    assert later.state == pb.MACHINE_STATE_RESERVED
    # The node is free until then, and taken for that window.
    today = bare_fleet.provision(end=stamp(now + timedelta(hours=12)))
    assert today.host_id == later.host_id
    with pytest.raises(errors.ResourceExhausted):
        bare_fleet.provision(start=stamp(now + timedelta(days=1, hours=6)), end=stamp(now + timedelta(days=3)))


def test_manual_maintenance_keeps_new_machines_off_the_node(bare_fleet: BareFleet, ipmi_bmc: RunningBmc) -> None:
    host = bare_fleet.enroll(ipmi_bmc, properties=DECLARED)
    bare_fleet.admin.control.SetHostMaintenance(
        pb.SetHostMaintenanceRequest(host=host.id, maintenance=True, reason="replacing a DIMM")
    )
    with pytest.raises(errors.ResourceExhausted):
        bare_fleet.provision()
    # Power sync neither ends a maintenance an operator started...
    bare_fleet.sync()
    assert bare_fleet.host(host.id).maintenance_reason == "replacing a DIMM"
    bare_fleet.admin.control.SetHostMaintenance(pb.SetHostMaintenanceRequest(host=host.id, maintenance=False))
    assert bare_fleet.provision().host_id == host.id


def test_machine_owners_power_their_node_and_others_cannot(bare_fleet: BareFleet, ipmi_bmc: RunningBmc) -> None:
    bare_fleet.enroll(ipmi_bmc, properties=DECLARED)
    daemon, admin = bare_fleet.daemon, bare_fleet.admin
    project = create_project(admin, "lab")
    other = create_project(admin, "elsewhere")
    owner = member(daemon, admin, "owner", project, "member").client(daemon)
    stranger = member(daemon, admin, "stranger", other, "member").client(daemon)
    machine = bare_fleet.provision(owner)
    bare_fleet.wait_machine(machine.id, pb.MACHINE_STATE_ERROR)
    with pytest.raises(errors.NotFound):
        stranger.control.SetMachinePower(pb.SetMachinePowerRequest(machine=machine.id, action=pb.POWER_ACTION_ON))
    with pytest.raises(errors.PermissionDenied):
        owner.control.SetHostPower(pb.SetHostPowerRequest(host=machine.host_id, action=pb.POWER_ACTION_ON))
    owner.control.SetMachinePower(pb.SetMachinePowerRequest(machine=machine.id, action=pb.POWER_ACTION_ON))
    wait_for(lambda: bare_fleet.active(ipmi_bmc), timeout=120, what="the node to power on")
    assert _ipmi_power(ipmi_bmc) == "on"


# -- power through the CLI ----------------------------------------------------


def test_cli_powers_an_ipmi_node_as_ipmitool_confirms(cli: Cli, ipmi_bmc: RunningBmc, tmp_path: Path) -> None:
    password_file = tmp_path / "bmc-password"
    password_file.write_text(ipmi_bmc.password + "\n")
    url = f"ipmi://{ipmi_bmc.username}@{ipmi_bmc.address}:{ipmi_bmc.port}"
    code, out, err = cli(
        "-o", "json", "host", "enroll", "node-7", "--bmc", url, "--password-file", str(password_file),
        "--bmc-timeout", "2", "--property", "cpus=8", "--property", "memory_mb=16384", "--wait",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["state"] == "HOST_STATE_READY"
    assert ipmi_bmc.password not in out + err

    code, out, err = cli("-o", "json", "host", "power", "on", "node-7", "--wait")
    assert code == 0, err
    assert json.loads(out)["power_state"] == "on"
    assert cli.fleet.active(ipmi_bmc) and _ipmi_power(ipmi_bmc) == "on"

    domain = cli.fleet.hypervisor.lookupByName(ipmi_bmc.domain)
    # A running domain's id is new each time it starts: a reboot shows as a new id.
    first_id = domain.ID()
    code, _, err = cli("host", "power", "reboot", "node-7", "--wait")
    assert code == 0, err
    # (a domain handle keeps the id it was looked up with)
    assert cli.fleet.active(ipmi_bmc) and cli.fleet.hypervisor.lookupByName(ipmi_bmc.domain).ID() != first_id

    code, out, err = cli("-o", "json", "host", "power", "off", "node-7", "--wait")
    assert code == 0, err
    assert json.loads(out)["power_state"] == "off"
    assert not cli.fleet.active(ipmi_bmc) and _ipmi_power(ipmi_bmc) == "off"


def test_cli_powers_a_redfish_node_as_the_emulator_confirms(cli: Cli, redfish_bmc: RunningBmc) -> None:
    host = cli.fleet.enroll(redfish_bmc, "node-8")
    code, out, err = cli("-o", "json", "host", "power", "on", host.name, "--wait")
    assert code == 0, err
    assert json.loads(out)["power_state"] == "on"
    assert _redfish_power(redfish_bmc) == "On" and cli.fleet.active(redfish_bmc)
    code, out, err = cli("-o", "json", "host", "power", "off", host.name, "--soft", "--wait")
    assert code == 0, err
    assert _redfish_power(redfish_bmc) == "Off" and not cli.fleet.active(redfish_bmc)


def test_a_slow_bmc_power_change_is_waited_for(bare_fleet: BareFleet, start_ipmi_bmcs: StartIpmi) -> None:
    (slow,) = start_ipmi_bmcs(1, power_delay_s=8.0)
    host = bare_fleet.enroll(slow, properties=DECLARED)
    # Each BMC call gives up after 5 s; the change itself takes longer than one call.
    bare_fleet.admin.control.SetHostPower(pb.SetHostPowerRequest(host=host.id, action=pb.POWER_ACTION_ON))
    on = bare_fleet.wait_host(host.id, lambda h: h.power_state == "on" or bool(h.error), "powered on")
    assert on.error == "" and bare_fleet.active(slow)


# -- power sync and maintenance -------------------------------------------------


def test_power_sync_corrects_a_node_changed_behind_its_back(bare_fleet: BareFleet, ipmi_bmc: RunningBmc) -> None:
    host = bare_fleet.enroll(ipmi_bmc, properties=DECLARED)
    inspected = host.power_synced_at.ToDatetime()
    bare_fleet.admin.control.SetHostPower(pb.SetHostPowerRequest(host=host.id, action=pb.POWER_ACTION_OFF))
    bare_fleet.wait_host(host.id, lambda h: h.power_synced_at.ToDatetime() > inspected, "power off recorded")
    # Someone starts the node by hand.
    bare_fleet.hypervisor.lookupByName(ipmi_bmc.domain).create()
    report = bare_fleet.sync()
    assert (report.nodes, report.drifted, report.corrected) == (1, 1, 1)
    wait_for(lambda: not bare_fleet.active(ipmi_bmc), timeout=120, what="power sync to turn the node off again")
    assert _ipmi_power(ipmi_bmc) == "off"
    assert bare_fleet.sync().drifted == 0


def test_a_lost_bmc_sends_the_node_to_maintenance_and_back(
    bare_fleet: BareFleet, start_ipmi_bmcs: StartIpmi, start_redfish_bmc: StartRedfish
) -> None:
    ipmi, redfish = start_ipmi_bmcs(1)[0], start_redfish_bmc()
    nodes = [bare_fleet.enroll(ipmi, properties=DECLARED), bare_fleet.enroll(redfish)]
    with ipmi.process.paused(), redfish.process.paused():
        for _ in range(3):
            report = bare_fleet.sync()
            assert report.failed == 2
        assert report.entered_maintenance == 2
        for node in nodes:
            host = bare_fleet.host(node.id)
            assert host.maintenance and "did not answer 3 power checks" in host.maintenance_reason
            assert host.power_state == "unknown"
        with pytest.raises(errors.ResourceExhausted):
            bare_fleet.provision()
    # An IPMI call given up on is answered late once the BMC runs again;
    # the pass after that finds the node back.
    left = 0

    def recovered() -> bool:
        nonlocal left
        left += bare_fleet.sync().left_maintenance
        return left == 2

    wait_for(recovered, timeout=120, interval=0.5, what="both nodes back from maintenance")
    assert not any(bare_fleet.host(node.id).maintenance for node in nodes)
    assert bare_fleet.provision().host_id in {node.id for node in nodes}


def test_a_killed_bmc_fails_power_tasks_in_bounded_time(bare_fleet: BareFleet, ipmi_bmc: RunningBmc) -> None:
    host = bare_fleet.enroll(ipmi_bmc, properties=DECLARED)
    ipmi_bmc.process.kill()
    bare_fleet.admin.control.SetHostPower(pb.SetHostPowerRequest(host=host.id, action=pb.POWER_ACTION_ON))
    # A 5 s call tried twice, twice over: well under the wait.
    failed = bare_fleet.wait_host(host.id, lambda h: h.error.startswith("power "), "the power task to fail")
    assert "no answer" in failed.error
    for _ in range(3):
        bare_fleet.sync()
    assert bare_fleet.host(host.id).maintenance


# -- secrets ----------------------------------------------------------------------


def test_the_bmc_password_is_nowhere_to_be_read(
    cli: Cli, start_ipmi_bmcs: StartIpmi, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    fleet = cli.fleet
    good, wrong = start_ipmi_bmcs(2, password="Sim-Secret-8842")
    typo = "Typo-Secret-5531"
    outputs: list[str] = []
    host = fleet.enroll(good, "secret-ok", properties=DECLARED)
    refused = fleet.enroll(wrong, "secret-typo", password=typo)
    assert refused.state == pb.HOST_STATE_ERROR
    fleet.admin.control.SetHostPower(pb.SetHostPowerRequest(host=host.id, action=pb.POWER_ACTION_ON))
    fleet.wait_host(host.id, lambda h: h.power_state == "on", "powered on")
    for _ in range(3):
        fleet.sync()
    commands = [
        ("host", "show", "secret-ok"),
        ("-o", "json", "host", "list"),
        ("-o", "json", "host", "show", "secret-typo"),
    ]
    for args in commands:
        code, out, err = cli(*args)
        assert code == 0, err
        outputs.append(out + err)
    daemon = fleet.daemon
    stored = [Path(daemon.config.effective_database_url.removeprefix("sqlite:///"))]
    stored += [path for path in Path(daemon.config.state_dir).rglob("*") if path.is_file()]
    state_files = [path.read_bytes() for path in stored if path.exists()]
    assert len(state_files) > 1, "the database and the daemon's state directory"
    for secret in (good.password, typo):
        assert secret not in caplog.text
        assert all(secret not in text for text in outputs)
        assert all(secret.encode() not in data for data in state_files)
        hosts = fleet.admin.control.ListHosts(pb.ListHostsRequest()).hosts
        assert secret not in str(hosts)


# -- a real QEMU guest behind the BMC -------------------------------------------


def test_a_qemu_node_is_powered_through_its_bmc(cli: Cli, start_ipmi_bmcs: StartIpmi) -> None:
    import libvirt

    (node,) = start_ipmi_bmcs(1, qemu=True)
    host = cli.fleet.enroll(node, properties=DECLARED)
    assert host.state == pb.HOST_STATE_READY, host.error
    qemu = libvirt.open(node.libvirt_uri)
    try:
        code, _, err = cli("host", "power", "on", host.name, "--wait")
        assert code == 0, err
        domain = qemu.lookupByName(node.domain)
        assert domain.isActive() and domain.info()[0] == libvirt.VIR_DOMAIN_RUNNING
        assert _ipmi_power(node) == "on"
        code, _, err = cli("host", "power", "off", host.name, "--wait")
        assert code == 0, err
        assert not qemu.lookupByName(node.domain).isActive()
        assert _ipmi_power(node) == "off"
    finally:
        qemu.close()


def test_in_band_inspection_needs_the_boot_endpoint(bare_fleet: BareFleet, ipmi_bmc: RunningBmc) -> None:
    host = bare_fleet.enroll(ipmi_bmc, properties=DECLARED)
    with pytest.raises(errors.FailedPrecondition) as refused:
        bare_fleet.admin.control.InspectHost(pb.InspectHostRequest(host=host.id, in_band=True))
    assert refused.value.reason == "BOOT_ENDPOINT_OFF"
    assert bare_fleet.host(host.id).state == pb.HOST_STATE_READY
