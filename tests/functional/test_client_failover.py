"""The smart client with several endpoints: calls spread over the daemons,
and reads and unsent calls move to another daemon when one stops."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mulligan import errors
from mulligan.api.control.v1 import control_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.client import Client, split_endpoints
from mulligan.daemon import Daemon
from tests.fixtures.daemon import wait_for
from tests.fixtures.iam import bootstrap
from tests.fixtures.ports import free_port


def _two_daemons(start_daemon: Callable[..., Daemon], tmp_path: Path) -> tuple[Daemon, Daemon]:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = start_daemon(database_url=url)
    return first, start_daemon(database_url=url)


def test_endpoints_split_on_commas() -> None:
    assert split_endpoints(" a:1, b:2 ,,") == ("a:1", "b:2")
    assert split_endpoints(["a:1"]) == ("a:1",)
    with pytest.raises(ValueError, match="no endpoint"):
        split_endpoints(" , ")


def test_calls_spread_over_every_endpoint(start_daemon: Callable[..., Daemon], tmp_path: Path) -> None:
    first, second = _two_daemons(start_daemon, tmp_path)
    admin = bootstrap(first)
    with Client(f"{first.address},{second.address}", token=admin.token) as client:
        # Open streams are what a daemon counts of its callers.
        streams = [client.control.WatchMachines(control_pb2.WatchMachinesRequest(), timeout=30) for _ in range(4)]
        try:
            wait_for(
                lambda: [d.modules.control.open_watches for d in (first, second)] == [2, 2],
                what="two streams on each daemon",
            )
        finally:
            for stream in streams:
                stream.cancel()


def test_reads_and_unsent_writes_fail_over_to_a_live_daemon(
    start_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    first, second = _two_daemons(start_daemon, tmp_path)
    admin = bootstrap(first)
    first.stop(5)
    with Client(f"{first.address},{second.address}", token=admin.token) as client:
        for index in range(6):
            # Half of these start at the stopped daemon; none fails.
            client.resource.CreateRegion(resource_pb2.CreateRegionRequest(name=f"r{index}"))
            assert client.resource.GetRegion(resource_pb2.GetRegionRequest(region=f"r{index}")).region.name
        names = {r.name for r in client.resource.ListRegions(resource_pb2.ListRegionsRequest()).regions}
    assert {f"r{index}" for index in range(6)} <= names


def test_every_endpoint_down_is_unavailable() -> None:
    endpoints = [f"127.0.0.1:{free_port()}" for _ in range(2)]
    with Client(",".join(endpoints), timeout=5) as client, pytest.raises(errors.Unavailable):
        client.resource.ListRegions(resource_pb2.ListRegionsRequest())


def test_a_stopping_daemon_turns_calls_away_and_the_fleet_client_sends_them_on(
    start_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    first, second = _two_daemons(start_daemon, tmp_path)
    admin = bootstrap(first)
    # The first step of stopping, without the rest.
    first.drain.drain(quiet_s=0, max_s=0)
    with Client(first.address, token=admin.token) as alone, pytest.raises(errors.Unavailable) as refused:
        alone.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="never"))
    assert refused.value.reason == "SHUTTING_DOWN"
    with Client(f"{first.address},{second.address}", token=admin.token) as client:
        # Writes the first daemon refuses are made by the second, once each.
        for index in range(4):
            client.resource.CreateRegion(resource_pb2.CreateRegionRequest(name=f"r{index}"))
        names = [r.name for r in client.resource.ListRegions(resource_pb2.ListRegionsRequest()).regions]
    assert sorted(name for name in names if name != "default") == [f"r{index}" for index in range(4)]
