"""A baremetal deploy survives mulligand killed with SIGKILL.

mulligand runs as a subprocess on SQLite; every process of the state dir
listens for booting nodes on the same loopback port, as a configured boot
endpoint does. The node is a libvirt test domain behind the IPMI simulator
(tools/bmcsim.py), and the test plays the deploy ramdisk's agent over HTTP
(tests/fixtures/agent.py). The daemon is killed (``kill -9``) at a point
of the deploy and started again on the same state dir: the deploy must go
on from where it was, or end in error with a reason, never hang; and the
node must come back to the pool once decommissioned. A report the agent
sent to a daemon that died before applying it is sent again, and taken.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.api.resource.v1 import resource_pb2
from mulligan.config import env_name
from tests.fixtures.agent import Agent
from tests.fixtures.bmc import RunningBmc, ipmi_boot_flags
from tests.fixtures.daemon import DaemonProcess, DaemonSite, wait_for
from tests.fixtures.iam import bootstrap_at
from tests.fixtures.nodes import DAEMON_OPTIONS, RemoteFleet
from tests.fixtures.ports import stable_port

pytestmark = pytest.mark.slow

# mulligand that hangs as it starts applying an agent's report, for the test to kill it there.
REPORT_STALL_DAEMON = str(Path(__file__).with_name("report_stall_mulligand.py"))

# Short, so that the tasks a killed daemon held are taken again soon.
LEASE_TTL_S = 3
# Larger than what loopback sockets buffer: a daemon killed mid-download
# cannot have sent it all already.
IMAGE_BYTES = 32 << 20
# How much of the image the agent has before the daemon is killed.
FIRST_PART = 1 << 20
# A power change that takes this long keeps a deploy at a power step long
# enough for the test to kill the daemon there.
POWER_DELAY_S = 1.0
# From the restart to a settled deploy: the leases to run out, then power
# steps that take POWER_DELAY_S each, on a busy machine.
SETTLE_S = 90.0
WAITING_FOR_AGENT = "waiting_for_agent"


@dataclass
class CrashSite:
    """A daemon's state dir, one enrolled node and the agent on it."""

    site: DaemonSite
    hypervisor: Any
    node: RunningBmc
    host: pb.Host
    agent: Agent
    image: bytes = field(repr=False)
    _fleet: RemoteFleet | None = field(default=None, init=False, repr=False)

    def fleet(self) -> RemoteFleet:
        """The nodes through the API of the daemon running now."""
        # One client per daemon process: each new one listens on a new port.
        if self._fleet is None or self._fleet.admin.endpoint != self.site.endpoint:
            self._fleet = RemoteFleet(self.site.admin(), self.hypervisor)
        return self._fleet

    def machine(self, machine_id: str) -> pb.Machine:
        return self.fleet().admin.control.GetMachine(pb.GetMachineRequest(machine=machine_id)).machine


@pytest.fixture
def crash_site(
    start_ipmi_bmcs: Callable[..., list[RunningBmc]],
    bmc_hypervisor: Any,
    spawn_daemon: Callable[..., DaemonProcess],
    tmp_path: Path,
) -> Iterator[Callable[..., CrashSite]]:
    """A bootstrapped daemon with a region, a deployable image and one node
    enrolled; ``power_delay_s`` slows the node's power changes, ``script``
    wraps the first daemon's main, ``env`` adds to every daemon's
    environment. The BMCs are stopped only after the daemons (fixtures end
    in reverse order)."""
    sites: list[DaemonSite] = []

    def start(*, power_delay_s: float = 0.0, script: str | None = None, **env: str) -> CrashSite:
        boot_port = stable_port()  # the same for every process of the site
        env.update(
            {
                env_name("boot_listen"): f"127.0.0.1:{boot_port}",
                env_name("lease_ttl_s"): str(LEASE_TTL_S),
                **{env_name(option): str(value) for option, value in DAEMON_OPTIONS.items()},
            }
        )
        site = DaemonSite(spawn_daemon, tmp_path / "state", env)
        sites.append(site)
        site.start(script=script)
        site.token = bootstrap_at(site.endpoint, site.state_dir).token
        admin = site.admin()
        admin.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="default"))
        image = uuid.uuid4().bytes * (IMAGE_BYTES // 16)
        image_path = tmp_path / "disk-image.raw"
        image_path.write_bytes(image)
        admin.control.CreateImage(
            pb.CreateImageRequest(
                name="disk-image", format=pb.IMAGE_FORMAT_RAW, source=str(image_path), size_gb=0, system=True
            )
        )
        (node,) = start_ipmi_bmcs(1, power_delay_s=power_delay_s)
        fleet = RemoteFleet(admin, bmc_hypervisor)
        properties = pb.NodeProperties(cpus=4, memory_mb=4096, disk_gb=20, arch="x86_64", macs=[node.mac])
        host = fleet.enroll(node, properties=properties)
        assert host.state == pb.HOST_STATE_READY, host.error
        return CrashSite(site, bmc_hypervisor, node, host, Agent(boot_port, node.mac), image)

    yield start
    for site in sites:
        site.close()


def _deploy_image(crash: CrashSite, settings: dict[str, str]) -> str:
    """What the agent does with the image: download it whole, check it; its SHA-256."""
    checksum = hashlib.sha256(crash.agent.download(settings["IMAGE_URL"])).hexdigest()
    assert checksum == settings["IMAGE_SHA256"] == hashlib.sha256(crash.image).hexdigest()
    return checksum


def _assert_active_from_disk(crash: CrashSite, machine_id: str) -> None:
    fleet = crash.fleet()
    active = fleet.wait_machine(machine_id, pb.MACHINE_STATE_ACTIVE, timeout=SETTLE_S)
    assert (active.step, active.error) == ("", "")
    assert fleet.active(crash.node)
    flags = ipmi_boot_flags(crash.node)
    assert "Hard-Drive" in flags and "Options apply to all future boots" in flags, flags
    # The job is over: the node's next network boot goes on to its disk.
    assert crash.agent.booted_on()


def test_kill_9_while_the_agent_downloads_the_image(crash_site: Callable[..., CrashSite]) -> None:
    crash = crash_site()
    fleet = crash.fleet()
    machine = fleet.provision(image="disk-image")
    fleet.wait_step(machine.id, WAITING_FOR_AGENT, timeout=SETTLE_S)
    # The node runs the ramdisk, whose agent fetches its job and starts the download.
    assert fleet.active(crash.node)
    settings = crash.agent.boot()
    assert settings["IMAGE_BYTES"] == str(IMAGE_BYTES)
    url = settings["IMAGE_URL"]
    first = crash.agent.download(url, cut_at=FIRST_PART, cut=crash.site.kill)
    assert FIRST_PART <= len(first) < IMAGE_BYTES, "the kill cut the download short"

    crash.site.start()
    # Nothing moved while the daemon was away, and nothing on its start.
    after = crash.machine(machine.id)
    assert (after.state, after.step) == (pb.MACHINE_STATE_PROVISIONING, WAITING_FOR_AGENT)
    # The agent resumes where it was cut, with the token it had.
    rest = crash.agent.download(url, len(first))
    written = first + rest
    assert len(written) == IMAGE_BYTES
    checksum = hashlib.sha256(written).hexdigest()
    assert checksum == settings["IMAGE_SHA256"] == hashlib.sha256(crash.image).hexdigest()
    assert crash.agent.report(settings, status="done", image_sha256=checksum) == 204
    _assert_active_from_disk(crash, machine.id)


def _kill_at_once(crash: CrashSite, machine: pb.Machine) -> None:
    crash.site.kill()


def _kill_at(step: str) -> Callable[[CrashSite, pb.Machine], None]:
    def kill(crash: CrashSite, machine: pb.Machine) -> None:
        crash.fleet().wait_step(machine.id, step, timeout=SETTLE_S)
        crash.site.kill()

    return kill


@pytest.mark.parametrize(
    "kill",
    [_kill_at_once, _kill_at("powering_off"), _kill_at("booting_ramdisk")],
    ids=["right-after-provision", "powering-off", "booting-ramdisk"],
)
def test_kill_9_before_the_agent_boots(
    crash_site: Callable[..., CrashSite], kill: Callable[[CrashSite, pb.Machine], None]
) -> None:
    crash = crash_site(power_delay_s=POWER_DELAY_S)
    # A node that runs takes POWER_DELAY_S to power off: the deploy's first step lasts.
    crash.hypervisor.lookupByName(crash.node.domain).create()
    machine = crash.fleet().provision(image="disk-image")
    kill(crash, machine)
    crash.site.start()

    def settled() -> pb.Machine | None:
        now = crash.machine(machine.id)
        return now if now.step == WAITING_FOR_AGENT or now.state == pb.MACHINE_STATE_ERROR else None

    found: pb.Machine = wait_for(settled, timeout=SETTLE_S, interval=0.2, what="the deploy resumed or failed")
    if found.state == pb.MACHINE_STATE_ERROR:
        assert found.error and found.step == "", found
    else:
        assert found.state == pb.MACHINE_STATE_PROVISIONING
        assert crash.fleet().active(crash.node)
        settings = crash.agent.boot()
        assert settings["JOB"] == "deploy"
        checksum = _deploy_image(crash, settings)
        assert crash.agent.report(settings, status="done", image_sha256=checksum) == 204
        _assert_active_from_disk(crash, machine.id)

    # Decommissioning cleans the node through the same ramdisk, then frees it.
    fleet = crash.fleet()
    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    fleet.wait_step(machine.id, "cleaning", timeout=SETTLE_S)
    wait_for(lambda: fleet.active(crash.node), timeout=SETTLE_S, what="the node to boot the ramdisk to clean")
    settings = crash.agent.boot()
    assert settings["JOB"] == "clean"
    assert crash.agent.report(settings, status="done") == 204
    done = fleet.wait_machine(machine.id, pb.MACHINE_STATE_DECOMMISSIONED, timeout=SETTLE_S)
    assert done.error == ""
    wait_for(lambda: not fleet.active(crash.node), timeout=SETTLE_S, what="the node to be powered off")
    claims = fleet.admin.resource.ListClaims(resource_pb2.ListClaimsRequest(page_size=1000)).claims
    assert machine.id not in {claim.consumer_id for claim in claims}
    assert not fleet.host(crash.host.id).maintenance
    # The node takes the next machine.
    assert fleet.provision(image="disk-image").host_id == crash.host.id


def test_kill_9_while_the_report_is_applied(crash_site: Callable[..., CrashSite], tmp_path: Path) -> None:
    marker = tmp_path / "report-stalled"
    crash = crash_site(script=REPORT_STALL_DAEMON, REPORT_STALL_MARKER=str(marker))
    fleet = crash.fleet()
    machine = fleet.provision(image="disk-image")
    fleet.wait_step(machine.id, WAITING_FOR_AGENT, timeout=SETTLE_S)
    settings = crash.agent.boot()
    checksum = _deploy_image(crash, settings)
    with ThreadPoolExecutor(1) as agent:
        sent = agent.submit(crash.agent.report, settings, status="done", image_sha256=checksum)
        wait_for(marker.exists, timeout=30, what="the daemon to apply the report")
        crash.site.kill()
        # Taken, never answered.
        with pytest.raises(ConnectionError):
            sent.result(timeout=30)

    crash.site.start()
    # The agent sends its report again, as it does until a daemon answers.
    assert crash.agent.report(settings, status="done", image_sha256=checksum) == 204
    _assert_active_from_disk(crash, machine.id)
