"""The machine lifecycle survives a crashed or stopped mulligand.

mulligand runs as a subprocess on SQLite; its hypervisor is libvirt's test
driver served by a session libvirtd, so the domains outlive mulligand. The
test holds a connection to that hypervisor for its whole life (the test
driver forgets everything when its last client leaves).

After the daemon is killed (``kill -9``) or stopped (SIGTERM) midway through
provisioning and started again on the same state dir, every machine must
settle, and the hypervisor and the resource module must agree with the
machines: one running domain per active machine and none besides, one claim
per live machine and none besides.
"""

from __future__ import annotations

import signal
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.api.resource.v1 import resource_pb2
from mulligan.client import Client, pages
from mulligan.executors import PROVISION_MACHINE
from tests.fixtures.daemon import DaemonProcess, DaemonSite, wait_for
from tests.fixtures.fleet import IMAGE_VOLUME, enroll
from tests.fixtures.iam import bootstrap_at
from tests.fixtures.libvirtd import SessionLibvirtd

libvirt = pytest.importorskip("libvirt")

pytestmark = pytest.mark.slow

MACHINES = 50
# Active before the hypervisor hangs.
FIRST = 10
WORKERS = 4
GRACE_S = 20
LEASE_TTL_S = 3
SETTLE_TIMEOUT_S = 120.0
DOMAIN_PREFIX = "mulligan-"
SETTLED = (pb.MACHINE_STATE_ACTIVE, pb.MACHINE_STATE_ERROR)
# Machines that hold a claim once they settle.
CLAIM_HOLDERS = (pb.MACHINE_STATE_ACTIVE, pb.MACHINE_STATE_ERROR)


@dataclass(kw_only=True)
class Site(DaemonSite):
    """The daemon's state dir, and the hypervisor its machines run on."""

    hypervisor: Any
    uri: str


@pytest.fixture
def site(
    spawn_daemon: Callable[..., DaemonProcess], session_libvirtd: SessionLibvirtd, tmp_path: Path
) -> Iterator[Site]:
    """A bootstrapped daemon with a region, the hypervisor enrolled and an image."""
    hypervisor = libvirt.open(session_libvirtd.test_uri)
    try:
        pool = hypervisor.storagePoolLookupByName("default-pool")
        pool.createXML(f"<volume><name>{IMAGE_VOLUME}</name><capacity unit='M'>16</capacity></volume>", 0)
        env = {
            "MULLIGAN_LEASE_TTL_S": str(LEASE_TTL_S),
            "MULLIGAN_SHUTDOWN_GRACE_S": str(GRACE_S),
            "MULLIGAN_EXECUTOR_WORKERS": str(WORKERS),
        }
        site = Site(spawn_daemon, tmp_path / "state", env, hypervisor=hypervisor, uri=session_libvirtd.test_uri)
        site.start()
        site.token = bootstrap_at(site.endpoint, site.state_dir).token
        admin = site.admin()
        admin.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="default"))
        enroll(admin, "hv1", site.uri)
        admin.control.CreateImage(
            pb.CreateImageRequest(
                name="tiny", format=pb.IMAGE_FORMAT_RAW, source=f"volume:{IMAGE_VOLUME}", size_gb=0, system=True
            )
        )
        yield site
        site.close()
    finally:
        hypervisor.close()


def _request(admin: Client, count: int, *, offset: int = 0, threads: int = 4) -> list[str]:
    """Ask for ``count`` tiny machines from concurrent clients; their ids."""
    with ThreadPoolExecutor(threads) as requests:
        return list(requests.map(lambda index: _provision(admin, index), range(offset, offset + count)))


def _provision(admin: Client, index: int) -> str:
    request = pb.ProvisionMachineRequest(
        name=f"m-{index:03d}", image="tiny", resources=pb.Resources(vcpus=1, memory_mb=32, disk_gb=0)
    )
    return str(admin.control.ProvisionMachine(request).machine.id)


def _refuses_rpcs(endpoint: str) -> bool:
    try:
        with Client(endpoint, timeout=1) as probe:
            probe.health()
    except errors.MulliganError:
        return True
    return False


def _machines(admin: Client) -> list[pb.Machine]:
    return list(
        pages(lambda t: admin.control.ListMachines(pb.ListMachinesRequest(page_size=1000, page_token=t)), "machines")
    )


def _claims(admin: Client) -> list[resource_pb2.Claim]:
    return list(
        pages(
            lambda t: admin.resource.ListClaims(resource_pb2.ListClaimsRequest(page_size=1000, page_token=t)), "claims"
        )
    )


def _count(admin: Client, state: int) -> int:
    return sum(1 for machine in _machines(admin) if machine.state == state)


def _wait_settled(admin: Client, expected: set[str]) -> list[pb.Machine]:
    """Every machine active or in error; ``expected`` are all the machines there are."""

    def settled() -> list[pb.Machine] | None:
        machines = _machines(admin)
        assert {m.id for m in machines} == expected
        return machines if all(m.state in SETTLED for m in machines) else None

    result: list[pb.Machine] = wait_for(settled, timeout=SETTLE_TIMEOUT_S, interval=0.2, what="every machine settled")
    return result


def _assert_consistent(site: Site, admin: Client, machines: list[pb.Machine]) -> None:
    """The hypervisor and the claims agree with the machines."""
    active = {m.id for m in machines if m.state == pb.MACHINE_STATE_ACTIVE}
    holders = {m.id for m in machines if m.state in CLAIM_HOLDERS}
    domains = [d for d in site.hypervisor.listAllDomains() if d.name().startswith(DOMAIN_PREFIX)]
    by_machine = {d.UUIDString(): d for d in domains}
    assert len(domains) == len(active), "one domain per active machine"
    assert set(by_machine) == active, "no domain without an active machine, none missing"
    assert all(by_machine[machine_id].isActive() for machine_id in active), "every active machine runs"
    pool = site.hypervisor.storagePoolLookupByName("default-pool")
    volumes = [name for name in pool.listVolumes() if name.startswith(DOMAIN_PREFIX)]
    for machine_id in active:
        assert f"{DOMAIN_PREFIX}{machine_id}-disk" in volumes
    assert {name[len(DOMAIN_PREFIX) : len(DOMAIN_PREFIX) + 36] for name in volumes} <= holders
    claims = _claims(admin)
    consumers = [claim.consumer_id for claim in claims]
    assert len(consumers) == len(set(consumers))
    assert set(consumers) == holders, "one claim per live machine, none leaked"


def _wait_count(admin: Client, state: int, count: int) -> None:
    wait_for(
        lambda: _count(admin, state) == count, timeout=30, interval=0.05, what=f"{count} machines in state {state}"
    )


def _stored_tasks(state_dir: Path) -> list[tuple[str, str, int]]:
    """(target machine, state, attempts) of every provisioning task, read
    from the stopped daemon's database (tasks have no API)."""
    database = sqlite3.connect(f"file:{state_dir / 'mulligan.db'}?mode=ro", uri=True)
    try:
        rows = database.execute(
            "SELECT target_id, state, attempts FROM control_tasks WHERE kind = ?", (PROVISION_MACHINE,)
        ).fetchall()
    finally:
        database.close()
    return [(str(uuid.UUID(str(target))), str(state), int(attempts)) for target, state, attempts in rows]


def test_kill_9_midway_then_restart_settles_every_machine(site: Site, session_libvirtd: SessionLibvirtd) -> None:
    admin = site.admin()
    first = _request(admin, FIRST)
    _wait_count(admin, pb.MACHINE_STATE_ACTIVE, FIRST)
    # A hung hypervisor: every worker takes a task and waits inside a driver step.
    with session_libvirtd.frozen():
        rest = _request(admin, MACHINES - FIRST, offset=FIRST)
        _wait_count(admin, pb.MACHINE_STATE_PROVISIONING, WORKERS)
        in_flight = {m.id for m in _machines(admin) if m.state == pb.MACHINE_STATE_PROVISIONING}
        site.kill()
    # Leased tasks stay leased in the dead daemon's name until their leases expire.
    stored = _stored_tasks(site.state_dir)
    assert {target for target, state, _ in stored if state == "leased"} == in_flight

    site.start()
    admin = site.admin()
    machines = _wait_settled(admin, set(first + rest))
    failed = [(m.name, m.error) for m in machines if m.state != pb.MACHINE_STATE_ACTIVE]
    assert not failed, failed
    _assert_consistent(site, admin, machines)
    site.stop(GRACE_S + 5)
    tasks = _stored_tasks(site.state_dir)
    # One provisioning task per machine, each done; the interrupted ones were
    # taken again once their leases expired.
    assert sorted(target for target, _, _ in tasks) == sorted(first + rest)
    assert {state for _, state, _ in tasks} == {"succeeded"}
    assert all(attempts >= 2 for target, _, attempts in tasks if target in in_flight)


def test_sigterm_under_load_finishes_running_tasks_and_keeps_queued_ones(
    site: Site, session_libvirtd: SessionLibvirtd
) -> None:
    admin = site.admin()
    with session_libvirtd.frozen():
        ids = _request(admin, MACHINES)
        _wait_count(admin, pb.MACHINE_STATE_PROVISIONING, WORKERS)
        in_flight = {m.id for m in _machines(admin) if m.state == pb.MACHINE_STATE_PROVISIONING}
        assert site.process is not None
        process = site.process
        process.signal(signal.SIGTERM)
        signalled = time.monotonic()
        # Stopping has begun while every worker is still inside a driver step.
        wait_for(lambda: _refuses_rpcs(site.endpoint), timeout=10, what="new RPCs refused")
        assert process.process.poll() is None
    assert process.wait(GRACE_S + 5) == 0
    assert time.monotonic() - signalled < GRACE_S
    assert '"clean": true' in process.log()
    # The running tasks finished; the rest stayed queued; none was left leased.
    stored = _stored_tasks(site.state_dir)
    assert sorted(target for target, _, _ in stored) == sorted(ids)
    finished = {target for target, state, _ in stored if state == "succeeded"}
    assert finished >= in_flight
    assert {state for _, state, _ in stored} == {"succeeded", "queued"}

    site.start()
    admin = site.admin()
    machines = _wait_settled(admin, set(ids))
    failed = [(m.name, m.error) for m in machines if m.state != pb.MACHINE_STATE_ACTIVE]
    assert not failed, failed
    _assert_consistent(site, admin, machines)
    site.stop(GRACE_S + 5)
    # Nothing lost, nothing run twice: one task per machine, each done once.
    tasks = _stored_tasks(site.state_dir)
    assert sorted(target for target, _, _ in tasks) == sorted(ids)
    assert {(state, attempts) for _, state, attempts in tasks} == {("succeeded", 1)}
