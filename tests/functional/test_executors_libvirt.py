"""The libvirt driver against libvirt's in-process test hypervisor."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from xml.etree import ElementTree as ET

import pytest

libvirt = pytest.importorskip("libvirt")

from mulligan.executors import (  # noqa: E402
    DriverError,
    LibvirtDriver,
    MachineRef,
    MachineSpec,
    PowerState,
    TransientDriverError,
)
from mulligan.executors.libvirt.connections import Connections  # noqa: E402

URI = "test:///default"
POOL = "default-pool"
GIB = 1024**3


@pytest.fixture
def hypervisor() -> Iterator[Any]:
    """A connection held for the test's life, so the test hypervisor keeps its state."""
    conn = libvirt.open(URI)
    yield conn
    conn.close()


@pytest.fixture
def image(hypervisor: Any) -> Iterator[str]:
    """A 2 GiB qcow2 image volume in the pool."""
    name = f"image-{uuid.uuid4().hex[:8]}.qcow2"
    pool = hypervisor.storagePoolLookupByName(POOL)
    volume = pool.createXML(
        f"<volume><name>{name}</name><capacity unit='G'>2</capacity><target><format type='qcow2'/></target></volume>",
        0,
    )
    yield name
    volume.delete(0)


@pytest.fixture
def driver() -> Iterator[LibvirtDriver]:
    d = LibvirtDriver()
    yield d
    d.close()


def spec_for(image: str, **overrides: Any) -> MachineSpec:
    fields: dict[str, Any] = {
        "machine_id": str(uuid.uuid4()),
        "host_uri": URI,
        "vcpus": 2,
        "memory_mb": 512,
        "disk_gb": 10,
        "image_source": image,
        "image_format": "qcow2",
        "hostname": "web-1",
        "ssh_keys": ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample tenant@laptop",),
        "network": "default",
    }
    fields.update(overrides)
    return MachineSpec(**fields)


def domains_of(conn: Any, machine_id: str) -> list[Any]:
    return [d for d in conn.listAllDomains() if d.UUIDString() == machine_id or machine_id in d.name()]


def volume_names(conn: Any) -> set[str]:
    return {v.name() for v in conn.storagePoolLookupByName(POOL).listAllVolumes()}


def our_volumes(conn: Any, machine_id: str) -> set[str]:
    return {name for name in volume_names(conn) if machine_id in name}


def test_inspect_reports_capacity_pool_and_traits(hypervisor: Any, driver: LibvirtDriver, image: str) -> None:
    facts = driver.inspect(URI)
    _arch, memory_mb, cpus, *_ = hypervisor.getInfo()
    capacity = hypervisor.storagePoolLookupByName(POOL).info()[1]
    assert facts.cpus == cpus == 16
    assert facts.memory_mb == memory_mb
    assert facts.disk_gb == capacity // GIB
    assert facts.pool == POOL
    assert facts.hypervisor.upper() == "TEST"
    assert facts.arch == "i686"
    assert "HW_ARCH_I686" in facts.traits

    # Disks made for machines do not shrink the capacity offered.
    driver.provision(spec_for(image, disk_gb=10))
    assert driver.inspect(URI).disk_gb == facts.disk_gb


def test_inspect_of_a_named_pool_that_does_not_exist(hypervisor: Any, driver: LibvirtDriver) -> None:
    with pytest.raises(DriverError, match="storage pool 'nope' not found") as caught:
        driver.inspect(URI, pool="nope")
    assert not isinstance(caught.value, TransientDriverError)


def test_provision_creates_a_running_domain_with_disk_seed_and_nic(
    hypervisor: Any, driver: LibvirtDriver, image: str
) -> None:
    spec = spec_for(image)
    result = driver.provision(spec)

    assert result.steps == ("disk", "seed", "define", "start")
    assert result.state is PowerState.RUNNING
    assert result.domain == f"mulligan-{spec.machine_id}"
    domain = hypervisor.lookupByName(result.domain)
    assert domain.UUIDString() == spec.machine_id
    assert domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING

    xml = ET.fromstring(domain.XMLDesc())
    assert xml.findtext("vcpu") == "2"
    assert int(xml.findtext("memory") or 0) == 512 * 1024  # KiB
    disks = {d.get("device"): d for d in xml.findall("devices/disk")}
    pool = hypervisor.storagePoolLookupByName(POOL)
    disk_volume = pool.storageVolLookupByName(result.disk_volume)
    seed_volume = pool.storageVolLookupByName(result.seed_volume)
    assert disks["disk"].find("source").get("file") == disk_volume.path()
    assert disks["disk"].find("driver").get("type") == "qcow2"
    assert disks["cdrom"].find("source").get("file") == seed_volume.path()
    assert disks["cdrom"].find("readonly") is not None
    nic = xml.find("devices/interface")
    assert nic is not None
    assert nic.find("source").get("network") == "default"
    assert nic.find("mac").get("address") == result.mac_address
    assert disk_volume.info()[1] == 10 * GIB
    assert seed_volume.info()[1] > 0
    assert driver.power_state(spec) is PowerState.RUNNING


def test_provision_from_a_path_makes_a_qcow2_overlay(hypervisor: Any, driver: LibvirtDriver, image: str) -> None:
    path = hypervisor.storagePoolLookupByName(POOL).storageVolLookupByName(image).path()
    result = driver.provision(spec_for(path, image_format="qcow2"))
    volume = hypervisor.storagePoolLookupByName(POOL).storageVolLookupByName(result.disk_volume)
    backing = ET.fromstring(volume.XMLDesc()).find("backingStore")
    assert backing is not None
    assert backing.findtext("path") == path
    assert backing.find("format").get("type") == "qcow2"


def test_a_zero_disk_size_means_the_image_size(hypervisor: Any, driver: LibvirtDriver, image: str) -> None:
    result = driver.provision(spec_for(image, disk_gb=0))
    pool = hypervisor.storagePoolLookupByName(POOL)
    assert pool.storageVolLookupByName(result.disk_volume).info()[1] == 2 * GIB


def test_provision_twice_changes_nothing_the_second_time(hypervisor: Any, driver: LibvirtDriver, image: str) -> None:
    spec = spec_for(image)
    first = driver.provision(spec)
    volumes = our_volumes(hypervisor, spec.machine_id)
    second = driver.provision(spec)

    assert second.steps == ()
    assert second == first.__class__(**{**first.__dict__, "steps": ()})
    assert len(domains_of(hypervisor, spec.machine_id)) == 1
    assert our_volumes(hypervisor, spec.machine_id) == volumes
    assert len(volumes) == 2


def test_decommission_twice_removes_everything_and_then_succeeds(
    hypervisor: Any, driver: LibvirtDriver, image: str
) -> None:
    spec = spec_for(image)
    driver.provision(spec)
    other = spec_for(image)
    driver.provision(other)

    driver.decommission(spec.ref)
    driver.decommission(spec.ref)

    assert domains_of(hypervisor, spec.machine_id) == []
    assert our_volumes(hypervisor, spec.machine_id) == set()
    assert driver.power_state(spec) is PowerState.ABSENT
    # The neighbour is untouched.
    assert driver.power_state(other) is PowerState.RUNNING
    assert len(our_volumes(hypervisor, other.machine_id)) == 2


def test_decommission_of_a_machine_never_provisioned_succeeds(driver: LibvirtDriver, hypervisor: Any) -> None:
    domains_before = {d.name() for d in hypervisor.listAllDomains()}
    volumes_before = volume_names(hypervisor)
    driver.decommission(MachineRef(machine_id=str(uuid.uuid4()), host_uri=URI))
    # Nothing else on the host was touched.
    assert {d.name() for d in hypervisor.listAllDomains()} == domains_before
    assert volume_names(hypervisor) == volumes_before


def test_decommission_after_a_half_done_decommission(hypervisor: Any, driver: LibvirtDriver, image: str) -> None:
    spec = spec_for(image)
    result = driver.provision(spec)
    domain = hypervisor.lookupByName(result.domain)
    domain.destroy()
    domain.undefine()

    driver.decommission(spec)

    assert our_volumes(hypervisor, spec.machine_id) == set()


def test_rerun_finishes_a_provision_that_stopped_after_the_volumes(
    hypervisor: Any, driver: LibvirtDriver, image: str
) -> None:
    spec = spec_for(image)
    first = driver.provision(spec)
    disk_key = hypervisor.storagePoolLookupByName(POOL).storageVolLookupByName(first.disk_volume).key()
    domain = hypervisor.lookupByName(first.domain)
    domain.destroy()
    domain.undefine()

    rerun = driver.provision(spec)

    # The seed is written again: it may have been created but left empty.
    assert rerun.steps == ("seed", "define", "start")
    assert len(domains_of(hypervisor, spec.machine_id)) == 1
    assert hypervisor.storagePoolLookupByName(POOL).storageVolLookupByName(rerun.disk_volume).key() == disk_key
    assert len(our_volumes(hypervisor, spec.machine_id)) == 2


def test_rerun_finishes_a_provision_that_stopped_after_the_disk(
    hypervisor: Any, driver: LibvirtDriver, image: str
) -> None:
    spec = spec_for(image)
    first = driver.provision(spec)
    domain = hypervisor.lookupByName(first.domain)
    domain.destroy()
    domain.undefine()
    hypervisor.storagePoolLookupByName(POOL).storageVolLookupByName(first.seed_volume).delete(0)

    assert driver.provision(spec).steps == ("seed", "define", "start")
    assert len(our_volumes(hypervisor, spec.machine_id)) == 2


def test_rerun_starts_a_defined_domain_that_is_not_running(hypervisor: Any, driver: LibvirtDriver, image: str) -> None:
    spec = spec_for(image)
    first = driver.provision(spec)
    hypervisor.lookupByName(first.domain).destroy()
    assert driver.power_state(spec) is PowerState.SHUTOFF

    rerun = driver.provision(spec)

    assert rerun.steps == ("start",)
    assert rerun.state is PowerState.RUNNING


def test_rerun_resumes_a_paused_domain(hypervisor: Any, driver: LibvirtDriver, image: str) -> None:
    spec = spec_for(image)
    first = driver.provision(spec)
    hypervisor.lookupByName(first.domain).suspend()
    assert driver.power_state(spec) is PowerState.PAUSED

    assert driver.provision(spec).steps == ("start",)
    assert driver.power_state(spec) is PowerState.RUNNING


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"network": "no-such-net"}, "network 'no-such-net' not found"),
        ({"image_source": "no-such-image.qcow2"}, "image volume 'no-such-image.qcow2' not found"),
        ({"image_source": "/nowhere/image.qcow2"}, "image path '/nowhere/image.qcow2' not found"),
        ({"pool": "no-such-pool"}, "storage pool 'no-such-pool' not found"),
        ({"disk_gb": 1}, "smaller than the image"),
        ({"image_format": "vmdk"}, "image format 'vmdk'"),
        ({"vcpus": 0}, "vcpus must be at least 1"),
        ({"disk_gb": -1}, "disk_gb must not be negative"),
        ({"hostname": "Not_A_Host"}, "not a valid host name"),
    ],
)
def test_bad_requests_fail_permanently_and_leave_nothing(
    hypervisor: Any, driver: LibvirtDriver, image: str, overrides: dict[str, Any], message: str
) -> None:
    spec = spec_for(image, **overrides)
    with pytest.raises(DriverError, match=message) as caught:
        driver.provision(spec)
    assert not isinstance(caught.value, TransientDriverError)
    assert domains_of(hypervisor, spec.machine_id) == []
    assert our_volumes(hypervisor, spec.machine_id) == set()


def test_a_machine_id_must_be_a_uuid() -> None:
    with pytest.raises(DriverError, match="not a UUID"):
        MachineRef(machine_id="web-1", host_uri=URI)


def test_an_unreachable_host_is_a_transient_error(driver: LibvirtDriver) -> None:
    with pytest.raises(TransientDriverError, match="cannot connect"):
        driver.inspect("qemu+tcp://127.0.0.1:1/system")
    with pytest.raises(TransientDriverError):
        driver.power_state(MachineRef(machine_id=str(uuid.uuid4()), host_uri="qemu+tcp://127.0.0.1:1/system"))


def test_a_dead_connection_is_replaced(hypervisor: Any, driver: LibvirtDriver, image: str) -> None:
    spec = spec_for(image)
    driver.provision(spec)
    # Close the driver's shared connection behind its back, as a dropped link would.
    driver._connections.get(URI).close()

    assert driver.power_state(spec) is PowerState.RUNNING
    assert driver.provision(spec).steps == ()


def test_a_connection_lost_mid_call_is_transient_and_replaced(hypervisor: Any) -> None:
    connections = Connections()
    conn = connections.get(URI)
    conn.close()
    with pytest.raises(TransientDriverError, match="listing domains"), connections.translated(URI, "listing domains"):
        conn.listAllDomains()
    replacement = connections.get(URI)
    assert replacement is not conn
    assert replacement.isAlive()
    connections.close()


def test_concurrent_provisions_of_many_machines_and_of_one_machine(
    hypervisor: Any, driver: LibvirtDriver, image: str
) -> None:
    # 2 GiB disks: the test hypervisor's pool holds 100 GiB.
    many = [spec_for(image, hostname=f"m{i}", disk_gb=2) for i in range(24)]
    same = spec_for(image, disk_gb=2)
    barrier = threading.Barrier(8)

    def provision(spec: MachineSpec) -> PowerState:
        if spec is same:
            barrier.wait(timeout=10)
        return driver.provision(spec).state

    with ThreadPoolExecutor(max_workers=8) as pool:
        states = list(pool.map(provision, [*many[:16], *([same] * 8), *many[16:]]))

    assert set(states) == {PowerState.RUNNING}
    for spec in [*many, same]:
        assert len(domains_of(hypervisor, spec.machine_id)) == 1
        assert len(our_volumes(hypervisor, spec.machine_id)) == 2

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(driver.decommission, [*many, same, same, same]))
    for spec in [*many, same]:
        assert domains_of(hypervisor, spec.machine_id) == []
        assert our_volumes(hypervisor, spec.machine_id) == set()
