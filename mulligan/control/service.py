"""The control module's Python API: hosts, images, machines, runtime settings."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client.metrics_core import Metric

from mulligan import resource, runtime, tenancy
from mulligan.control.boot_endpoint import BootEndpoint, BootEndpointConfig
from mulligan.control.boot_jobs import BootJobs, BootTokenRefused
from mulligan.control.credentials import SecretBox
from mulligan.control.deploys import DEFAULT_DEPLOY, Deploys, DeploySettings
from mulligan.control.events import MachineEvents, MachineWatch
from mulligan.control.hosts import Hosts
from mulligan.control.images import Images, check_sources
from mulligan.control.machines import Machines
from mulligan.control.metrics import read_figures
from mulligan.control.power import PowerControl
from mulligan.control.power_sync import DEFAULT_SYNC, PowerSync, SyncSettings
from mulligan.control.runner import ControlRunner
from mulligan.control.tasks import TaskQueue
from mulligan.control.types import Host, PowerAction
from mulligan.db import Database
from mulligan.errors import FailedPrecondition, InvalidArgument
from mulligan.executors import BmcDriver, Dispatcher, Driver, WorkerPool
from mulligan.kv import KeyValueStore
from mulligan.naming import NameRegistry
from mulligan.text import checks_text

MAX_EXECUTOR_WORKERS = 256
SWEEP_INTERVAL_S = 60.0
# Old records are purged this often (the first time at start).
PURGE_INTERVAL_S = 3600.0
# How long a finished task is kept, for operators looking into what happened.
FINISHED_TASK_RETENTION = timedelta(days=7)
log = logging.getLogger("mulligan.control")


@dataclass(frozen=True)
class RuntimeSettings:
    log_level: str
    executor_workers: int
    # The image sources tenants may name (see Images.allowed_sources).
    image_sources: tuple[str, ...] = ()


@checks_text
class ControlService:
    """Hosts, images and machines, and the executor pool that works on them."""

    def __init__(
        self,
        database: Database,
        kv: KeyValueStore,
        resources: resource.ResourceService,
        names: NameRegistry,
        *,
        drivers: dict[str, Driver],
        workers: int,
        lease_ttl_s: float,
        secret_key: bytes,
        bmc_drivers: dict[str, BmcDriver] | None = None,
        power_sync: SyncSettings = DEFAULT_SYNC,
        max_watches: int = 0,
        boot: BootEndpointConfig | None = None,
        deploy: DeploySettings = DEFAULT_DEPLOY,
        image_cache: Path | None = None,
    ) -> None:
        self._database = database
        self.tasks = TaskQueue(database, lease_ttl_s)
        self.boot_jobs = BootJobs(database)
        # Off unless configured: only a daemon that boots nodes listens for them.
        self.boot_endpoint = BootEndpoint(boot, self.boot_jobs) if boot is not None else None
        self.hosts = Hosts(database, self.tasks, resources, names, secrets=SecretBox(secret_key))
        self.images = Images(database, names, kv)
        self._events = MachineEvents(kv, names, max_watches=max_watches)
        self.machines = Machines(
            database, self.tasks, resources, names, hosts=self.hosts, images=self.images, events=self._events
        )
        self.power = PowerControl(database, self.tasks, resources, self.hosts)
        # Baremetal machines are deployed only where nodes can boot the ramdisk from this daemon.
        self.deploys = (
            Deploys(database, self.tasks, self.boot_jobs, self.power, self.machines, hosts=self.hosts, settings=deploy)
            if boot is not None
            else None
        )
        self.machines.deploys = self.deploys
        self.power_sync = PowerSync(
            database, kv, self.tasks, self.hosts, self.power, drivers=bmc_drivers or {}, settings=power_sync
        )
        self._dispatcher = Dispatcher(drivers, bmc_drivers, image_cache=image_cache)
        self._stopping = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep_loop, name="control-sweep", daemon=True)
        self._sweeper.start()
        self._pool = WorkerPool(
            self.tasks,
            ControlRunner(self._dispatcher, self.hosts, self.machines, media_url=self._media_url),
            workers,
            name="executor",
        )
        self.power_sync.start()
        if self.boot_endpoint is not None:
            self.boot_endpoint.start()

    @staticmethod
    def visible_hosts(host_ids: Sequence[str]) -> set[str]:
        """Which of these hosts the caller may see: all for a system admin, else none."""
        return set(host_ids) if tenancy.sees_all() else set()

    def set_machine_power(self, ref: str, action: PowerAction) -> None:
        """Power a machine the caller may see (its owner's members, admins)."""
        self.power.set_machine_power(self.machines.get(ref).id, action)

    def _media_url(self, host_id: str) -> str:
        if self.boot_endpoint is None:
            raise FailedPrecondition("this daemon runs no boot endpoint (boot_listen)", reason="BOOT_ENDPOINT_OFF")
        try:
            return self.boot_endpoint.media_url(self.boot_jobs.reissue(host_id))
        except BootTokenRefused:
            raise FailedPrecondition("the node has no open boot job", reason="NO_BOOT_JOB") from None

    def inspect_host(self, ref: str, *, in_band: bool = False) -> Host:
        if not in_band:
            return self.hosts.inspect(ref)
        if self.deploys is None:
            raise FailedPrecondition(
                "in-band inspection boots the node from the boot endpoint, which this daemon does not run "
                "(boot_listen)",
                reason="BOOT_ENDPOINT_OFF",
            )
        host_id = self.hosts.resolve(ref)
        self.deploys.inspect_in_band(host_id)
        return self.hosts.get(host_id)

    def set_host_power(self, ref: str, action: PowerAction) -> Host:
        return self.power.set_host_power(ref, action)

    def configure(
        self,
        *,
        log_level: str | None = None,
        executor_workers: int | None = None,
        image_sources: Sequence[str] | None = None,
    ) -> RuntimeSettings:
        """Change runtime settings; return those in force.

        ``image_sources`` replaces the list of sources tenants may name (an
        empty list allows none); None leaves it as it is.
        """
        if executor_workers is not None and not 1 <= executor_workers <= MAX_EXECUTOR_WORKERS:
            raise InvalidArgument(
                f"executor_workers must be between 1 and {MAX_EXECUTOR_WORKERS}, got {executor_workers}",
                reason="INVALID_EXECUTOR_WORKERS",
            )
        sources = check_sources(image_sources) if image_sources is not None else None
        level = runtime.log_level("control", log_level)
        if executor_workers is not None:
            self._pool.resize(executor_workers)
        if sources is not None:
            self.images.set_allowed_sources(sources)
        return RuntimeSettings(
            log_level=level, executor_workers=self._pool.size, image_sources=self.images.allowed_sources()
        )

    def figures(self) -> Iterator[Metric]:
        """The fleet's gauges (machines and hosts per state, the task queue),
        read from the database now; for the metrics endpoint."""
        return read_figures(self._database)

    @property
    def pool(self) -> WorkerPool:
        return self._pool

    def watch_machines(self, start_revision: int = 0) -> MachineWatch:
        if start_revision < 0:
            raise InvalidArgument("start_revision must not be negative", reason="INVALID_REVISION")
        return self._events.watch(start_revision)

    @property
    def open_watches(self) -> int:
        """How many WatchMachines streams are open."""
        return self._events.open_watches

    def cancel_watches(self) -> None:
        self._events.cancel_watches()

    def _sweep_loop(self) -> None:
        next_purge = 0.0
        while True:
            try:
                self.machines.sweep_abandoned()
            except Exception:
                log.exception("sweeping abandoned machine requests failed")
            try:
                if self.deploys is not None:
                    self.deploys.expire()
            except Exception:
                log.exception("failing baremetal steps past their deadline failed")
            if time.monotonic() >= next_purge:
                next_purge = time.monotonic() + PURGE_INTERVAL_S
                self.purge_old_records()
            if self._stopping.wait(SWEEP_INTERVAL_S):
                return

    def purge_old_records(self) -> None:
        """Drop machines decommissioned and tasks finished long ago."""
        try:
            machines = self.machines.purge_decommissioned()
            tasks = self.tasks.purge_finished(datetime.now(UTC) - FINISHED_TASK_RETENTION)
        except Exception:
            log.exception("purging old machines and tasks failed")
            return
        if machines or tasks:
            log.info("purged old records", extra={"machines": machines, "tasks": tasks})

    def stop(self, grace_s: float) -> bool:
        """Stop taking tasks; True when running tasks ended within grace."""
        self._stopping.set()
        self.power_sync.stop()
        if self.boot_endpoint is not None:
            self.boot_endpoint.stop()
        finished = self._pool.stop(grace_s)
        self._dispatcher.close()
        self._events.close()
        return finished
