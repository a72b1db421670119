"""Whole-node claims under concurrency, on SQLite and PostgreSQL: parallel
baremetal requests never put two machines on one node."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.daemon import Daemon
from tests.fixtures.bmc import RunningBmc
from tests.fixtures.nodes import DAEMON_OPTIONS, BareFleet

NODES = 3
REQUESTS = 8


@pytest.fixture
def daemon(database_url: str, start_daemon: Callable[..., Daemon]) -> Daemon:
    return start_daemon(database_url=database_url, **DAEMON_OPTIONS)


def test_parallel_requests_never_share_a_node(
    bare_fleet: BareFleet, start_ipmi_bmcs: Callable[..., list[RunningBmc]]
) -> None:
    properties = pb.NodeProperties(cpus=8, memory_mb=8192, disk_gb=100, arch="x86_64")
    nodes = {bare_fleet.enroll(bmc, properties=properties).id for bmc in start_ipmi_bmcs(NODES)}
    barrier = threading.Barrier(REQUESTS)
    placed: list[pb.Machine] = []
    refused: list[errors.MulliganError] = []
    lock = threading.Lock()

    def request(index: int) -> None:
        barrier.wait(timeout=30)
        try:
            machine = bare_fleet.provision(name=f"race-{index}")
        except errors.ResourceExhausted as exc:
            with lock:
                refused.append(exc)
        else:
            with lock:
                placed.append(machine)

    threads = [threading.Thread(target=request, args=(index,)) for index in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert (len(placed), len(refused)) == (NODES, REQUESTS - NODES)
    assert {machine.host_id for machine in placed} == nodes
    # What the engine holds agrees: one node unit per node, one claim per machine.
    claims, _ = bare_fleet.daemon.modules.resource.list_claims(limit=100)
    units = Counter(
        allocation.provider_id
        for claim in claims
        for allocation in claim.allocations
        if allocation.resource_class == "BAREMETAL_NODE"
    )
    assert sorted(units.values()) == [1] * NODES
    assert {claim.consumer_id for claim in claims} == {machine.id for machine in placed}
