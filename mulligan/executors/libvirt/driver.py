"""The libvirt driver: virtual machines on hypervisors reached by libvirt URIs."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import libvirt

from mulligan.executors.drivers import DriverError, HostFacts, MachineRef, MachineSpec, PowerState, ProvisionResult
from mulligan.executors.libvirt import domain_xml, host, storage
from mulligan.executors.libvirt.connections import Connections
from mulligan.executors.seed import build_seed_iso, check_hostname, render_seed_files

log = logging.getLogger("mulligan.executors.libvirt")

_POWER_STATES = {
    libvirt.VIR_DOMAIN_RUNNING: PowerState.RUNNING,
    # Blocked: running but waiting on a resource.
    libvirt.VIR_DOMAIN_BLOCKED: PowerState.RUNNING,
    libvirt.VIR_DOMAIN_PAUSED: PowerState.PAUSED,
    libvirt.VIR_DOMAIN_PMSUSPENDED: PowerState.PAUSED,
    libvirt.VIR_DOMAIN_SHUTDOWN: PowerState.SHUTOFF,
    libvirt.VIR_DOMAIN_SHUTOFF: PowerState.SHUTOFF,
    libvirt.VIR_DOMAIN_CRASHED: PowerState.CRASHED,
}
_UNDEFINE_FLAGS = libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA


class LibvirtDriver:
    """Implements :class:`mulligan.executors.Driver` over libvirt.

    ``pool`` names the storage pool for machine volumes on every host; by
    default each host's ``default`` pool is used (``default-pool`` on
    libvirt's test driver, or the only active pool).
    """

    def __init__(self, *, pool: str | None = None, start_timeout_s: float = 10.0) -> None:
        self._pool = pool
        self._start_timeout_s = start_timeout_s
        self._connections = Connections()
        self._profiles_lock = threading.Lock()
        self._profiles: dict[str, tuple[Any, host.HostProfile]] = {}

    def close(self) -> None:
        self._connections.close()
        with self._profiles_lock:
            self._profiles.clear()

    def inspect(self, host_uri: str, *, pool: str | None = None) -> HostFacts:
        conn = self._connections.get(host_uri)
        with self._connections.translated(host_uri, "inspecting the host"):
            profile = self._profile(host_uri, conn)
            storage_pool = host.find_pool(conn, pool or self._pool)
            _refresh(storage_pool)
            _state, capacity, _allocation, _available = storage_pool.info()
            _arch, memory_mb, cpus, *_ = conn.getInfo()
            return HostFacts(
                hostname=conn.getHostname(),
                hypervisor=conn.getType(),
                arch=profile.arch,
                cpus=cpus,
                memory_mb=memory_mb,
                disk_gb=capacity // storage.GIB,
                pool=storage_pool.name(),
                traits=profile.traits,
                networks=tuple(sorted(conn.listNetworks())),
            )

    def provision(self, spec: MachineSpec) -> ProvisionResult:
        _validate(spec)
        uri, machine_id = spec.host_uri, spec.machine_id
        name = domain_xml.domain_name(machine_id)
        conn = self._connections.get(uri)
        steps: list[str] = []
        with self._connections.translated(uri, f"provisioning {name}"):
            profile = self._profile(uri, conn)
            pool = host.find_pool(conn, spec.pool or self._pool)
            if spec.network is not None:
                _check_network(conn, spec.network)
            mac = domain_xml.mac_address(machine_id) if spec.network is not None else None
            # Resolved before anything is created, so a bad image leaves nothing behind.
            image = storage.find_image(conn, pool, spec.image_source)
            domain = _find_domain(conn, name)

            disk, created = storage.ensure_disk(
                pool,
                domain_xml.disk_volume_name(machine_id),
                image,
                image_format=spec.image_format,
                disk_gb=spec.disk_gb,
            )
            if created:
                steps.append("disk")
            seed_files = render_seed_files(
                instance_id=machine_id,
                hostname=_hostname(spec),
                ssh_keys=spec.ssh_keys,
                user_data=spec.user_data,
                mac_address=mac,
            )
            seed, written = storage.ensure_seed(
                conn,
                pool,
                domain_xml.seed_volume_name(machine_id),
                lambda: build_seed_iso(seed_files),
                upload=domain is None,
            )
            if written:
                steps.append("seed")
            if domain is None:
                plan = domain_xml.DomainPlan(
                    machine_id=machine_id,
                    hostname=_hostname(spec),
                    domain_type=profile.domain_type,
                    arch=profile.arch,
                    vcpus=spec.vcpus,
                    memory_mb=spec.memory_mb,
                    disk_path=disk.path(),
                    disk_format="qcow2" if not image.clone else spec.image_format,
                    seed_path=seed.path(),
                    network=spec.network,
                    mac=mac,
                )
                domain = conn.defineXML(domain_xml.render_domain_xml(plan))
                steps.append("define")
            if _start(domain):
                steps.append("start")
            state = self._confirm_running(domain)
        log.info("machine provisioned", extra={"machine": machine_id, "host": uri, "steps": steps})
        return ProvisionResult(
            domain=name,
            pool=pool.name(),
            disk_volume=disk.name(),
            seed_volume=seed.name(),
            mac_address=mac,
            state=state,
            steps=tuple(steps),
        )

    def decommission(self, ref: MachineRef) -> None:
        uri, machine_id = ref.host_uri, ref.machine_id
        name = domain_xml.domain_name(machine_id)
        conn = self._connections.get(uri)
        with self._connections.translated(uri, f"decommissioning {name}"):
            domain = _find_domain(conn, name)
            if domain is not None:
                _destroy(domain)
                _undefine(domain)
            pool = host.find_pool(conn, ref.pool or self._pool)
            storage.delete_volume(pool, domain_xml.disk_volume_name(machine_id))
            storage.delete_volume(pool, domain_xml.seed_volume_name(machine_id))
        log.info("machine decommissioned", extra={"machine": machine_id, "host": uri})

    def power_state(self, ref: MachineRef) -> PowerState:
        conn = self._connections.get(ref.host_uri)
        with self._connections.translated(ref.host_uri, "reading the power state"):
            domain = _find_domain(conn, domain_xml.domain_name(ref.machine_id))
            if domain is None:
                return PowerState.ABSENT
            return _power_state(domain)

    def _profile(self, uri: str, conn: Any) -> host.HostProfile:
        with self._profiles_lock:
            cached = self._profiles.get(uri)
        if cached is not None and cached[0] is conn:
            return cached[1]
        capabilities = conn.getCapabilities()
        cpu_xml = host.host_cpu_xml(capabilities)
        expanded = host.expand_cpu(conn, cpu_xml) if cpu_xml is not None else None
        profile = host.parse_capabilities(capabilities, expanded)
        with self._profiles_lock:
            self._profiles[uri] = (conn, profile)
        return profile

    def _confirm_running(self, domain: Any) -> PowerState:
        deadline = time.monotonic() + self._start_timeout_s
        while True:
            state = _power_state(domain)
            if state is PowerState.RUNNING:
                return state
            if time.monotonic() >= deadline:
                raise DriverError(f"domain {domain.name()} did not stay running (it is {state})")
            time.sleep(0.1)


def _validate(spec: MachineSpec) -> None:
    for field_name in ("vcpus", "memory_mb"):
        if getattr(spec, field_name) < 1:
            raise DriverError(f"{field_name} must be at least 1")
    if spec.disk_gb < 0:
        raise DriverError("disk_gb must not be negative")
    if spec.image_format not in storage.IMAGE_FORMATS:
        raise DriverError(f"image format {spec.image_format!r} is not one of {', '.join(storage.IMAGE_FORMATS)}")
    if not spec.image_source:
        raise DriverError("an image source is required")
    check_hostname(_hostname(spec))


def _hostname(spec: MachineSpec) -> str:
    return spec.hostname or f"m-{spec.machine_id[:8]}"


def _check_network(conn: Any, name: str) -> None:
    try:
        network = conn.networkLookupByName(name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_NETWORK:
            raise DriverError(f"network {name!r} not found on the host") from None
        raise
    if not network.isActive():
        raise DriverError(f"network {name!r} is not active on the host")


def _find_domain(conn: Any, name: str) -> Any:
    try:
        return conn.lookupByName(name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return None
        raise


def _power_state(domain: Any) -> PowerState:
    state, _reason = domain.state()
    return _POWER_STATES.get(state, PowerState.UNKNOWN)


def _start(domain: Any) -> bool:
    """Start or resume the domain unless it runs; True when it had to."""
    state = _power_state(domain)
    if state is PowerState.RUNNING:
        return False
    try:
        if state is PowerState.PAUSED:
            domain.resume()
        else:
            domain.create()
    except libvirt.libvirtError:
        # A concurrent run of the same task may have started it meanwhile.
        if _power_state(domain) is PowerState.RUNNING:
            return False
        raise
    return True


def _destroy(domain: Any) -> None:
    try:
        if domain.isActive():
            domain.destroy()
    except libvirt.libvirtError as exc:
        if exc.get_error_code() not in (libvirt.VIR_ERR_NO_DOMAIN, libvirt.VIR_ERR_OPERATION_INVALID):
            raise


def _undefine(domain: Any) -> None:
    try:
        domain.undefineFlags(_UNDEFINE_FLAGS)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
            raise


def _refresh(pool: Any) -> None:
    try:
        pool.refresh(0)
    except libvirt.libvirtError as exc:
        # A pool busy building a volume refuses; its figures are then a little stale.
        log.debug("storage pool refresh refused", extra={"pool": pool.name(), "error": str(exc)})
