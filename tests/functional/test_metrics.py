"""The metrics endpoint of an in-process daemon, scraped over real HTTP while
real RPCs, tasks and BMC calls move its figures."""

from __future__ import annotations

import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest
from prometheus_client.parser import text_string_to_metric_families

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.executors import BmcProtocol, MeasuredBmcDriver, TransientDriverError, bmc_driver
from mulligan.executors.bmc import BmcCredential
from tests.fixtures.bmc import RunningBmc
from tests.fixtures.daemon import wait_for
from tests.fixtures.fleet import Fleet

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
CONTROL = "mulligan.control.v1.ControlService"


def scrape(daemon: Daemon) -> Samples:
    with urllib.request.urlopen(f"http://{daemon.metrics_address}/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_scrapes_show_rpcs_tasks_and_machines_moving(fleet: Fleet) -> None:
    before = scrape(fleet.daemon)
    with pytest.raises(errors.NotFound):
        fleet.admin.control.GetMachine(pb.GetMachineRequest(machine="no-such-machine"))
    machine = fleet.provision(name="scraped")
    fleet.wait_state(machine.id, pb.MACHINE_STATE_ACTIVE)

    # Figures from the database are kept a few seconds between reads.
    def active_shown() -> Samples | None:
        samples = scrape(fleet.daemon)
        return samples if value(samples, "mulligan_machines", kind="vm", state="active") == 1 else None

    after = wait_for(active_shown, timeout=20, what="the active machine in a scrape")

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("mulligan_rpc_requests_total", service=CONTROL, method="GetMachine", code="NOT_FOUND") == 1
    assert moved("mulligan_rpc_requests_total", service=CONTROL, method="ProvisionMachine", code="OK") == 1
    assert moved("mulligan_rpc_duration_seconds_count", service=CONTROL, method="ProvisionMachine", code="OK") == 1
    assert value(after, "mulligan_rpc_duration_seconds_sum", service=CONTROL, method="ProvisionMachine", code="OK") > 0
    assert moved("mulligan_tasks_finished_total", kind="machine.provision", outcome="succeeded") == 1
    assert value(after, "mulligan_machines", kind="vm", state="requested") == 0
    assert value(after, "mulligan_hosts", kind="hypervisor", state="ready") == 1
    assert value(after, "mulligan_tasks", state="queued", kind="machine.provision") == 0
    assert value(after, "mulligan_task_oldest_queued_seconds") == 0
    assert value(after, "mulligan_db_pool_size") >= 1
    assert ("mulligan_rpc_in_flight", frozenset()) in after


def test_machine_watch_lag_is_observed_for_live_events(fleet: Fleet) -> None:
    before = value(scrape(fleet.daemon), "mulligan_machine_watch_lag_seconds_count")
    stream = fleet.admin.control.WatchMachines(pb.WatchMachinesRequest(), timeout=30)
    machine = fleet.provision(name="watched")
    for event in stream:
        if event.machine.id == machine.id:
            break
    stream.cancel()
    after = scrape(fleet.daemon)
    assert value(after, "mulligan_machine_watch_lag_seconds_count") > before
    assert value(after, "mulligan_machine_watch_lag_seconds_bucket", le="+Inf") > before


def test_only_metrics_path_is_served(daemon: Daemon) -> None:
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"http://{daemon.metrics_address}/other", timeout=10)
    assert missing.value.code == 404


def test_metrics_off_and_a_taken_port_leave_the_daemon_serving(
    start_daemon: Callable[..., Daemon], caplog: pytest.LogCaptureFixture
) -> None:
    off = start_daemon(metrics_listen="off")
    assert off.metrics is None and off.metrics_address == ""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = f"127.0.0.1:{busy.getsockname()[1]}"
        with caplog.at_level(logging.ERROR, logger="mulligan.daemon"):
            daemon = start_daemon(metrics_listen=taken)
    assert daemon.metrics is None
    with Client(daemon.address, timeout=5) as probe:
        assert probe.health() == "SERVING"
    [record] = [r for r in caplog.records if r.getMessage().startswith("metrics are not served")]
    assert record.__dict__["metrics_listen"] == taken


def test_bmc_calls_are_timed_and_failures_counted(ipmi_bmc: RunningBmc) -> None:
    from mulligan.metrics import REGISTRY

    def get(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    driver = MeasuredBmcDriver(bmc_driver(BmcProtocol.IPMI), "ipmi")
    try:
        calls = get("mulligan_bmc_call_duration_seconds_count", protocol="ipmi", operation="power_state")
        assert driver.power_state(ipmi_bmc.credential()) is not None
        assert get("mulligan_bmc_call_duration_seconds_count", protocol="ipmi", operation="power_state") == calls + 1

        failed = {"protocol": "ipmi", "operation": "power_state", "error": "transient"}
        errors_before = get("mulligan_bmc_call_errors_total", **failed)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
            # A bound UDP port that never answers: a BMC that stopped responding.
            silent.bind(("127.0.0.1", 0))
            dead = BmcCredential(
                protocol=BmcProtocol.IPMI,
                address="127.0.0.1",
                port=silent.getsockname()[1],
                username="admin",
                password=b"password",
                timeout_s=0.5,
                retries=0,
            )
            with pytest.raises(TransientDriverError):
                driver.power_state(dead)
        assert get("mulligan_bmc_call_errors_total", **failed) == errors_before + 1
    finally:
        driver.close()
