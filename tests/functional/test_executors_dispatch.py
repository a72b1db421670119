"""The dispatcher runs task payloads with the real libvirt driver."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

libvirt = pytest.importorskip("libvirt")

from mulligan.executors import (  # noqa: E402
    DECOMMISSION_MACHINE,
    INSPECT_HOST,
    PROVISION_MACHINE,
    Assignment,
    Dispatcher,
    LibvirtDriver,
)

URI = "test:///default"


@pytest.fixture
def hypervisor() -> Iterator[Any]:
    conn = libvirt.open(URI)
    yield conn
    conn.close()


@pytest.fixture
def dispatcher(hypervisor: Any) -> Iterator[Dispatcher]:
    d = Dispatcher({"libvirt": LibvirtDriver()})
    yield d
    d.close()


@pytest.fixture
def image(hypervisor: Any) -> Iterator[str]:
    name = f"img-{uuid.uuid4().hex[:8]}"
    pool = hypervisor.storagePoolLookupByName("default-pool")
    volume = pool.createXML(f"<volume><name>{name}</name><capacity unit='M'>16</capacity></volume>", 0)
    yield name
    volume.delete(0)


def _task(kind: str, payload: dict[str, Any]) -> Assignment:
    return Assignment(task_id=str(uuid.uuid4()), kind=kind, payload=payload)


def test_inspect_reports_facts_as_plain_data(dispatcher: Dispatcher) -> None:
    outcome = dispatcher.run(_task(INSPECT_HOST, {"driver": "libvirt", "host_uri": URI}))
    assert outcome.ok, outcome.detail
    facts = outcome.data["facts"]
    assert facts["cpus"] == 16 and facts["memory_mb"] == 3072
    assert isinstance(facts["traits"], list) and "HW_ARCH_I686" in facts["traits"]


def test_provision_then_decommission(dispatcher: Dispatcher, hypervisor: Any, image: str) -> None:
    machine_id = str(uuid.uuid4())
    spec = {
        "machine_id": machine_id,
        "host_uri": URI,
        "vcpus": 1,
        "memory_mb": 128,
        "disk_gb": 0,
        "image_source": image,
        "image_format": "raw",
        "hostname": "web-1",
        "ssh_keys": ["ssh-ed25519 AAAA tenant"],
        "network": "default",
    }
    outcome = dispatcher.run(_task(PROVISION_MACHINE, {"driver": "libvirt", "spec": spec}))
    assert outcome.ok, outcome.detail
    assert outcome.data["result"]["state"] == "running"
    assert hypervisor.lookupByUUIDString(machine_id).isActive()
    ref = {"machine_id": machine_id, "host_uri": URI}
    assert dispatcher.run(_task(DECOMMISSION_MACHINE, {"driver": "libvirt", "ref": ref})).ok
    assert machine_id not in [d.UUIDString() for d in hypervisor.listAllDomains()]


def test_permanent_and_unknown_failures_are_not_transient(dispatcher: Dispatcher, image: str) -> None:
    bad_network = {
        "machine_id": str(uuid.uuid4()),
        "host_uri": URI,
        "vcpus": 1,
        "memory_mb": 128,
        "disk_gb": 0,
        "image_source": image,
        "network": "no-such-network",
    }
    outcome = dispatcher.run(_task(PROVISION_MACHINE, {"driver": "libvirt", "spec": bad_network}))
    assert not outcome.ok and not outcome.transient
    assert "no-such-network" in outcome.detail
    unknown_kind = dispatcher.run(_task("machine.reboot", {"driver": "libvirt"}))
    assert not unknown_kind.ok and "machine.reboot" in unknown_kind.detail
    unknown_driver = dispatcher.run(_task(INSPECT_HOST, {"driver": "ipmi", "host_uri": URI}))
    assert not unknown_driver.ok and "'ipmi'" in unknown_driver.detail
    malformed = dispatcher.run(_task(PROVISION_MACHINE, {"driver": "libvirt", "spec": {"machine_id": "x"}}))
    assert not malformed.ok and not malformed.transient


def test_unreachable_host_is_transient(dispatcher: Dispatcher) -> None:
    outcome = dispatcher.run(
        _task(INSPECT_HOST, {"driver": "libvirt", "host_uri": "test+unix:///default?socket=/nonexistent/sock"})
    )
    assert not outcome.ok and outcome.transient
