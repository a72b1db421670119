"""Three mulligand processes serve one fleet: one PostgreSQL, one etcd.

The hypervisor is libvirt's test driver served by a session libvirtd, so
every daemon (and the test, which holds a connection for its whole life)
sees the same domains: a machine provisioned twice would show as a second
domain, or as a provisioning task run twice.

Machines are requested through all three daemons at once while the
hypervisor hangs; one daemon is killed (``kill -9``) while its workers hold
leased tasks; the other two take those tasks over once the leases expire,
and every machine ends active once, with one domain, one claim and one name.
Then each daemon in turn is stopped (SIGTERM) and started again while a
client that knows all three keeps calling: not one of its calls fails.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import etcd3gw
import pytest
import sqlalchemy as sa

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

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.etcd]

DAEMONS = 3
# Requested through each daemon while the hypervisor hangs.
MACHINES_EACH = 5
# Machines the load asks for during the rolling restart: a slow restart must
# not run the hypervisor out of room.
ROLLING_MACHINES = 6
WORKERS = 2
LEASE_TTL_S = 3
GRACE_S = 20
SETTLE_TIMEOUT_S = 120.0
DOMAIN_PREFIX = "mulligan-"
SETTLED = (pb.MACHINE_STATE_ACTIVE, pb.MACHINE_STATE_ERROR)
SOURCE = "volume:tenant-"
# Callers of the fleet client during the rolling restart.
LOAD_THREADS = 3


@dataclass
class Fleet:
    sites: list[DaemonSite]
    hypervisor: Any
    database: sa.Engine
    etcd: Any
    token: str = ""
    # Open only while its daemon lives; closed at the end.
    clients: list[Client] = field(default_factory=list)

    def client(self, *endpoints: str) -> Client:
        client = Client(",".join(endpoints), token=self.token)
        self.clients.append(client)
        return client

    def endpoints(self) -> list[str]:
        return [site.endpoint for site in self.sites]


@pytest.fixture
def fleet(
    spawn_daemon: Callable[..., DaemonProcess],
    session_libvirtd: SessionLibvirtd,
    postgres_url: str,
    etcd_endpoint: str,
    tmp_path: Path,
) -> Iterator[Fleet]:
    """Three daemons started at once on one database and one etcd, bootstrapped,
    with a region, the hypervisor enrolled and an image."""
    hypervisor = libvirt.open(session_libvirtd.test_uri)
    host, port = etcd_endpoint.removeprefix("http://").split(":")
    etcd = etcd3gw.Etcd3Client(host=host, port=int(port), timeout=10, api_path="/v3/")
    database = sa.create_engine(postgres_url, poolclass=sa.NullPool)
    try:
        pool = hypervisor.storagePoolLookupByName("default-pool")
        pool.createXML(f"<volume><name>{IMAGE_VOLUME}</name><capacity unit='M'>16</capacity></volume>", 0)
        env = {
            "MULLIGAN_DATABASE_URL": postgres_url,
            "MULLIGAN_ETCD_ENDPOINTS": etcd_endpoint,
            "MULLIGAN_LEASE_TTL_S": str(LEASE_TTL_S),
            "MULLIGAN_SHUTDOWN_GRACE_S": str(GRACE_S),
            "MULLIGAN_EXECUTOR_WORKERS": str(WORKERS),
            # Daemons sharing a database share the key of its secrets.
            "MULLIGAN_SECRET_KEY_FILE": str(tmp_path / "secret.key"),
        }
        sites = [DaemonSite(spawn_daemon, tmp_path / f"state{index}", env) for index in range(DAEMONS)]
        # At once: their migrations and first writes race on the empty database.
        with ThreadPoolExecutor(DAEMONS) as starting:
            list(starting.map(lambda site: site.start(same_endpoint=True), sites))
        fleet = Fleet(sites, hypervisor, database, etcd)
        fleet.token = bootstrap_at(sites[-1].endpoint, sites[-1].state_dir).token
        admin = fleet.client(sites[0].endpoint)
        admin.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="default"))
        enroll(admin, "hv1", session_libvirtd.test_uri)
        admin.control.CreateImage(
            pb.CreateImageRequest(
                name="tiny", format=pb.IMAGE_FORMAT_RAW, source=f"volume:{IMAGE_VOLUME}", size_gb=0, system=True
            )
        )
        yield fleet
        for client in fleet.clients:
            client.close()
    finally:
        etcd.session.close()
        database.dispose()
        hypervisor.close()


def _provision(client: Client, name: str) -> str:
    request = pb.ProvisionMachineRequest(
        name=name, image="tiny", resources=pb.Resources(vcpus=1, memory_mb=32, disk_gb=0)
    )
    return str(client.control.ProvisionMachine(request).machine.id)


def _machines(client: Client) -> list[pb.Machine]:
    return list(
        pages(lambda t: client.control.ListMachines(pb.ListMachinesRequest(page_size=1000, page_token=t)), "machines")
    )


def _wait_settled(client: Client, expected: set[str]) -> list[pb.Machine]:
    def settled() -> list[pb.Machine] | None:
        machines = _machines(client)
        assert {m.id for m in machines} == expected
        return machines if all(m.state in SETTLED for m in machines) else None

    result: list[pb.Machine] = wait_for(settled, timeout=SETTLE_TIMEOUT_S, interval=0.2, what="every machine settled")
    failed = [(m.name, m.error) for m in result if m.state != pb.MACHINE_STATE_ACTIVE]
    assert not failed, failed
    return result


def _tasks(fleet: Fleet) -> list[tuple[str, str, int, str]]:
    """(target machine, state, attempts, lease owner) of every provisioning task."""
    with fleet.database.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT target_id, state, attempts, lease_owner FROM control_tasks WHERE kind = :kind"),
            {"kind": PROVISION_MACHINE},
        ).all()
    return [
        (str(uuid.UUID(str(target))), str(state), int(attempts), owner or "") for target, state, attempts, owner in rows
    ]


def _leased_by(fleet: Fleet, site: DaemonSite) -> set[str]:
    """The machines whose provisioning the site's daemon holds a lease on."""
    assert site.process is not None
    # Lease owners are "host:pid:nonce/worker".
    marker = f":{site.process.process.pid}:"
    return {target for target, state, _, owner in _tasks(fleet) if state == "leased" and marker in owner}


def _etcd_keys(fleet: Fleet, prefix: str) -> list[str]:
    items = fleet.etcd.get_prefix(prefix)
    return [meta["key"].decode() if isinstance(meta["key"], bytes) else str(meta["key"]) for _, meta in items]


def _assert_consistent(fleet: Fleet, client: Client, machines: list[pb.Machine]) -> None:
    """Hypervisor, claims, names and tasks agree with the machines: one of each per machine."""
    ids = {m.id for m in machines}
    domains = [d for d in fleet.hypervisor.listAllDomains() if d.name().startswith(DOMAIN_PREFIX)]
    assert len(domains) == len(ids), "one domain per machine, no duplicate"
    assert {d.UUIDString() for d in domains} == ids
    assert all(d.isActive() for d in domains)
    claims = list(
        pages(
            lambda t: client.resource.ListClaims(resource_pb2.ListClaimsRequest(page_size=1000, page_token=t)),
            "claims",
        )
    )
    consumers = [claim.consumer_id for claim in claims]
    assert sorted(consumers) == sorted(ids), "one claim per machine, none leaked"
    named = [key.rsplit("/", 1)[1] for key in _etcd_keys(fleet, "meta/objects/machine/")]
    assert sorted(named) == sorted(ids), "one name per machine, none leaked"
    assert len(_etcd_keys(fleet, "meta/names/machine/")) == len(ids)
    tasks = _tasks(fleet)
    assert sorted(target for target, _, _, _ in tasks) == sorted(ids), "one provisioning task per machine"
    assert {state for _, state, _, _ in tasks} == {"succeeded"}


def _settings(clients: list[Client]) -> list[tuple[list[str], int]]:
    """Each daemon's image sources and pool size, as its Configure reports them."""
    settings = [client.control.Configure(pb.ConfigureRequest()) for client in clients]
    return [(list(s.image_sources), s.executor_workers) for s in settings]


def _active_transitions(events: list[pb.Machine]) -> dict[str, int]:
    """How many times each machine was seen to become active."""
    last: dict[str, int] = {}
    counts: dict[str, int] = {}
    for machine in events:
        if machine.state == pb.MACHINE_STATE_ACTIVE and last.get(machine.id) != pb.MACHINE_STATE_ACTIVE:
            counts[machine.id] = counts.get(machine.id, 0) + 1
        last[machine.id] = machine.state
    return counts


class _Watcher:
    """Collects every machine snapshot a daemon streams, in a thread."""

    def __init__(self, client: Client) -> None:
        self.events: list[pb.Machine] = []
        self._stream = client.control.WatchMachines(pb.WatchMachinesRequest(), timeout=SETTLE_TIMEOUT_S * 2)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # The stream ends with an error when cancelled.
        with contextlib.suppress(errors.MulliganError):
            for response in self._stream:
                self.events.append(response.machine)

    def stop(self) -> list[pb.Machine]:
        self._stream.cancel()
        self._thread.join(10)
        return list(self.events)


class _Load:
    """Callers of one client that knows every daemon, reading and writing
    until stopped; any failed call is kept."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.failures: list[str] = []
        self.calls = 0
        self.provisioned: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._names = itertools.count()
        self._threads = [
            threading.Thread(target=self._run, args=(index,), daemon=True) for index in range(LOAD_THREADS)
        ]
        for thread in self._threads:
            thread.start()

    def _run(self, index: int) -> None:
        rounds = itertools.count()
        while not self._stop.is_set():
            round_ = next(rounds)
            try:
                if index == 0 and round_ % 5 == 0 and len(self.provisioned) < ROLLING_MACHINES:
                    machine_id = _provision(self.client, f"rolling-{next(self._names):03d}")
                    with self._lock:
                        self.provisioned.append(machine_id)
                elif round_ % 2:
                    self.client.control.ListMachines(pb.ListMachinesRequest(page_size=50))
                else:
                    self.client.control.ListHosts(pb.ListHostsRequest())
                    self.client.resource.ListClaims(resource_pb2.ListClaimsRequest(page_size=50))
            except Exception as exc:
                with self._lock:
                    self.failures.append(f"{type(exc).__name__}: {exc}")
            with self._lock:
                self.calls += 1

    def count(self) -> int:
        with self._lock:
            return self.calls

    def wait_calls(self, more: int, what: str) -> None:
        """Until ``more`` further calls were made (each failed or not)."""
        before = self.count()
        wait_for(lambda: self.count() >= before + more, timeout=30, what=what)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)


def test_takeover_after_kill_9_and_rolling_restart_under_load(fleet: Fleet, session_libvirtd: SessionLibvirtd) -> None:
    victim, *survivors = fleet.sites
    watch_client = fleet.client(survivors[0].endpoint)
    watcher = _Watcher(watch_client)
    wait_for(lambda: _machines(watch_client) == [], what="the watch to be open")
    pinned = [fleet.client(site.endpoint) for site in fleet.sites]

    # A hung hypervisor: every worker of every daemon takes a task and waits
    # inside a driver step.
    with session_libvirtd.frozen():
        with ThreadPoolExecutor(DAEMONS * 2) as requests:
            ids = list(
                requests.map(
                    lambda job: _provision(pinned[job[0]], f"m-{job[0]}-{job[1]}"),
                    [(daemon, index) for index in range(MACHINES_EACH) for daemon in range(DAEMONS)],
                )
            )
        in_flight = wait_for(
            lambda: held if len(held := _leased_by(fleet, victim)) == WORKERS else None,
            timeout=30,
            what="the victim to hold a lease for each of its workers",
        )
        victim.kill()
    # Its tasks stay leased in the dead daemon's name until the leases expire.
    assert _leased_by(fleet, victim) == in_flight

    machines = _wait_settled(pinned[1], set(ids))
    _assert_consistent(fleet, pinned[2], machines)
    # The survivors took the dead daemon's tasks over: a second lease each.
    attempts = {target: count for target, _, count, _ in _tasks(fleet)}
    assert all(attempts[target] >= 2 for target in in_flight), attempts
    # Each machine's snapshots, as a survivor streamed them: active once.
    wait_for(lambda: set(_active_transitions(watcher.events)) == set(ids), timeout=30, what="every activation streamed")
    transitions = _active_transitions(watcher.stop())
    assert set(transitions.values()) == {1}, transitions

    victim.start(same_endpoint=True)
    # Runtime settings: image sources are the fleet's, the pool size one daemon's.
    pinned[1].control.Configure(
        pb.ConfigureRequest(executor_workers=WORKERS + 1, image_sources=pb.ImageSources(sources=[SOURCE]))
    )
    assert _settings(pinned) == [([SOURCE], WORKERS), ([SOURCE], WORKERS + 1), ([SOURCE], WORKERS)]

    # Rolling restart of all three under a client of the whole fleet.
    load = _Load(fleet.client(*fleet.endpoints()))
    try:
        for site in fleet.sites:
            load.wait_calls(10, "calls before the stop")
            site.stop(GRACE_S + 10)
            load.wait_calls(10, "calls while a daemon is down")
            site.start(same_endpoint=True)
        load.wait_calls(10, "calls after the last restart")
    finally:
        load.stop()
    assert not load.failures, load.failures[:10]
    assert load.provisioned

    client = fleet.client(*fleet.endpoints())
    machines = _wait_settled(client, set(ids) | set(load.provisioned))
    _assert_consistent(fleet, client, machines)
    # Stored settings outlive the restarts; a daemon's own go back to its config.
    assert _settings(pinned) == [([SOURCE], WORKERS)] * DAEMONS
