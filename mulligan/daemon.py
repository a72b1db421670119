"""``mulligand``: the composition root that wires every module into one
gRPC server, and the process's main loop."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from concurrent import futures
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import FrameType

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

import mulligan
from mulligan import config as config_mod
from mulligan import control, iam, logs, meta, metrics, resource, tls
from mulligan.config import Config, ConfigError
from mulligan.control import SyncSettings, load_or_create_key
from mulligan.control import servicer as control_servicer
from mulligan.db import Database
from mulligan.errors import StartupError
from mulligan.executors import BmcDriver, BmcProtocol, Driver, MeasuredBmcDriver, WorkerPool, bmc_driver
from mulligan.files import warn_if_open
from mulligan.iam import servicer as iam_servicer
from mulligan.kv import KeyValueStore, open_store
from mulligan.kv.migrations import MIGRATIONS as KV_MIGRATIONS
from mulligan.meta import servicer as meta_servicer
from mulligan.migrate import migrate
from mulligan.resource import servicer as resource_servicer
from mulligan.rpc import ServerInterceptor, reflection
from mulligan.rpc.drain import Drain
from mulligan.rpc.requests import MAX_REQUEST_BYTES

log = logging.getLogger("mulligan.daemon")

# Order matters only for readability: modules never share tables.
# Allocations, less deallocations, between two young-generation collections (700 by default).
_YOUNG_GENERATION_THRESHOLD = 20_000
MIGRATIONS = (KV_MIGRATIONS, iam.MIGRATIONS, meta.MIGRATIONS, resource.MIGRATIONS, control.MIGRATIONS)
# A stopping daemon turns callers away (see mulligan.rpc.drain) until none
# came for this long, for at most the other figure (and half the grace).
DRAIN_QUIET_S = 0.1
DRAIN_MAX_S = 2.0


@dataclass
class Daemon:
    """A running mulligand: everything ``stop`` must shut down."""

    config: Config
    database: Database
    kv: KeyValueStore
    server: grpc.Server
    port: int
    health: health.HealthServicer
    modules: Modules
    service_names: list[str] = field(default_factory=list)
    metrics: metrics.MetricsServer | None = None
    drain: Drain = field(default_factory=Drain)
    _stopped: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def address(self) -> str:
        return f"{self.config.listen_host_port[0]}:{self.port}"

    @property
    def pool(self) -> WorkerPool:
        return self.modules.control.pool

    @property
    def metrics_address(self) -> str:
        """HOST:PORT of the metrics endpoint; empty when it does not serve."""
        if self.metrics is None:
            return ""
        return f"{self.config.metrics_host_port[0]}:{self.metrics.port}"

    def stop(self, grace_s: float | None = None) -> bool:
        """Refuse new RPCs, let running ones and tasks finish; True if all did."""
        if self._stopped.is_set():
            return True
        self._stopped.set()
        grace = self.config.shutdown_grace_s if grace_s is None else grace_s
        deadline = time.monotonic() + grace
        log.info("shutting down", extra={"grace_s": grace})
        self.health.enter_graceful_shutdown()
        self.drain.drain(quiet_s=DRAIN_QUIET_S, max_s=min(DRAIN_MAX_S, grace / 2))
        stopped = self.server.stop(max(0.0, deadline - time.monotonic()))
        # Watch streams never end by themselves; end them so they do not hold
        # the shutdown for the whole grace period.
        self.modules.control.cancel_watches()
        tasks_done = self.modules.control.stop(max(0.0, deadline - time.monotonic()))
        rpcs_done = stopped.wait(max(0.0, deadline - time.monotonic()) + 1.0)
        if self.metrics is not None:
            self.metrics.stop()
        self.modules.close()
        self.kv.close()
        self.database.dispose()
        log.info("stopped", extra={"clean": rpcs_done and tasks_done})
        return rpcs_done and tasks_done


@dataclass
class Modules:
    """Every module's service, wired to the others through their public faces."""

    iam: iam.IamService
    meta: meta.MetaService
    resource: resource.ResourceService
    control: control.ControlService

    @classmethod
    def build(cls, config: Config, database: Database, kv: KeyValueStore) -> Modules:
        meta_service = meta.MetaService(kv)
        names = meta_service.names
        resource_service = resource.ResourceService(database, names)
        modules = cls(
            iam=iam.IamService(config, database, kv, names),
            meta=meta_service,
            resource=resource_service,
            control=control.ControlService(
                database,
                kv,
                resource_service,
                names,
                drivers=_drivers(),
                bmc_drivers=_bmc_drivers(),
                workers=config.executor_workers,
                lease_ttl_s=config.lease_ttl_s,
                secret_key=load_or_create_key(config.effective_secret_key_file),
                power_sync=SyncSettings(
                    interval_s=config.power_sync_interval_s,
                    concurrency=config.power_sync_concurrency,
                    correct=config.power_sync_correct,
                ),
                # The other half stays free for calls that return.
                max_watches=max(1, config.rpc_threads // 2),
                boot=_boot_endpoint(config),
                deploy=control.DeploySettings(
                    agent_timeout=timedelta(seconds=config.deploy_timeout_s), wipe=config.clean_wipe
                ),
                # qcow2 images converted to raw for deploys, kept for the next ones.
                image_cache=config.state_dir / "image-cache",
            ),
        )
        # Names show only where the owning module lets the caller see the object.
        meta_service.set_visibility("project", modules.iam.visible_projects)
        meta_service.set_visibility("account", modules.iam.visible_accounts)
        meta_service.set_visibility("host", modules.control.visible_hosts)
        meta_service.set_visibility("region", resource_service.visible_regions)
        meta_service.set_visibility("provider", resource_service.visible_providers)
        resource_service.start()
        return modules

    def register(self, server: grpc.Server) -> list[str]:
        return [
            iam_servicer.register(server, self.iam),
            meta_servicer.register(server, self.meta),
            resource_servicer.register(server, self.resource),
            control_servicer.register(server, self.control),
        ]

    def close(self) -> None:
        self.control.stop(0)
        self.resource.stop()
        self.iam.close()
        self.meta.close()


def _boot_endpoint(config: Config) -> control.BootEndpointConfig | None:
    if not config.boot_listen:
        return None
    # The deploy ramdisk (vmlinuz, initrd.img) lives in the state dir: `make
    # ramdisk` builds it, the packages link it there.
    return control.BootEndpointConfig(
        listen=config.boot_listen, ramdisk_dir=config.state_dir / "ramdisk", advertise_url=config.boot_url
    )


def _drivers() -> dict[str, Driver]:
    try:
        from mulligan.executors import LibvirtDriver
    except ImportError:
        log.warning("libvirt-python is not installed: hypervisors cannot be driven")
        return {}
    return {"libvirt": LibvirtDriver()}


def _bmc_drivers() -> dict[str, BmcDriver]:
    return {str(protocol): MeasuredBmcDriver(bmc_driver(protocol), str(protocol)) for protocol in BmcProtocol}


def start(config: Config, *, extra_handlers: Sequence[grpc.GenericRpcHandler] = ()) -> Daemon:
    """Migrate storage, wire the modules and serve. Raises StartupError."""
    started = time.monotonic()
    # Checked here too, before anything binds, for configs not made by load().
    try:
        config_mod.check_transport(config)
    except ConfigError as exc:
        raise StartupError(str(exc)) from None
    _prepare_state_dir(config.state_dir)
    transport = tls.server_tls(config)
    database = Database(config.effective_database_url)
    # Reach etcd before touching the database, so a wrong endpoint fails fast;
    # the embedded store lives in the database and needs its migrations first.
    etcd = (
        open_store(
            config.etcd_endpoints,
            database,
            ca_file=config.etcd_ca_file,
            cert_file=config.etcd_cert_file,
            key_file=config.etcd_key_file,
        )
        if config.etcd_endpoints
        else None
    )
    applied = migrate(database, MIGRATIONS)
    kv = etcd or open_store((), database)
    try:
        modules = Modules.build(config, database, kv)
    except BaseException:
        kv.close()
        database.dispose()
        raise
    drain = Drain()
    try:
        server, port, health_servicer, names = _serve(config, modules, extra_handlers, transport, drain)
    except BaseException:
        modules.close()
        kv.close()
        database.dispose()
        raise
    daemon = Daemon(
        config,
        database,
        kv,
        server,
        port,
        health_servicer,
        modules,
        names,
        _serve_metrics(config, database, modules),
        drain=drain,
    )
    log.info(
        "serving",
        extra={
            "listen": daemon.address,
            "version": mulligan.__version__,
            "database": database.describe(),
            "kv": "etcd" if config.etcd_endpoints else "embedded",
            "tls": config.tls,
            "client_certificates": config.tls_client_ca_file is not None,
            "migrations_applied": len(applied),
            "metrics": daemon.metrics_address,
            "startup_ms": round((time.monotonic() - started) * 1000),
        },
    )
    return daemon


def _serve(
    config: Config,
    modules: Modules,
    extra_handlers: Sequence[grpc.GenericRpcHandler],
    transport: tls.ServerTls | None,
    drain: Drain,
) -> tuple[grpc.Server, int, health.HealthServicer, list[str]]:
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=config.rpc_threads, thread_name_prefix="rpc"),
        interceptors=[drain, ServerInterceptor(modules.iam.authorizer())],
        handlers=list(extra_handlers),
        options=[("grpc.so_reuseport", 0), ("grpc.max_receive_message_length", MAX_REQUEST_BYTES)],
    )
    names = modules.register(server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable(server, [*names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name])
    try:
        if transport is None:
            port = server.add_insecure_port(config.listen)
        else:
            port = server.add_secure_port(config.listen, transport.credentials())
    except RuntimeError:
        port = 0
    if not port and not config.listen.endswith(":0"):
        raise StartupError(f"cannot listen on {config.listen}: address in use or not local")
    server.start()
    for name in ["", *names]:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return server, port, health_servicer, names


def _serve_metrics(config: Config, database: Database, modules: Modules) -> metrics.MetricsServer | None:
    """The metrics endpoint, or None when it is off or cannot listen.

    An endpoint that cannot listen (its port taken, by another daemon on
    the same machine say) is reported and left out: the daemon's work goes
    on, and the scraper sees the target down.
    """
    if not config.metrics_listen:
        return None
    host, port = config.metrics_host_port
    server = metrics.MetricsServer(
        host,
        port,
        [metrics.CachedCollector("control", modules.control.figures), metrics.PoolCollector(database.engine)],
    )
    try:
        server.start()
    except OSError as exc:
        log.error(
            "metrics are not served: cannot listen on the metrics address",
            extra={"metrics_listen": config.metrics_listen, "error": exc.strerror or str(exc)},
        )
        return None
    return server


def _prepare_state_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StartupError(f"cannot create state dir {path}: {exc.strerror}") from None
    if not os.access(path, os.W_OK):
        raise StartupError(f"state dir {path} is not writable")
    warn_if_open(path)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mulligand", description="The Mulligan daemon.")
    parser.add_argument("--config", type=Path, help=f"config file (default {config_mod.DEFAULT_CONFIG_FILE})")
    parser.add_argument("--listen", help=f"HOST:PORT to serve gRPC on (default {config_mod.DEFAULT_LISTEN})")
    parser.add_argument("--state-dir", help="directory for the SQLite database and keys")
    parser.add_argument("--version", action="version", version=f"mulligand {mulligan.__version__}")
    parser.add_argument("--check-config", action="store_true", help="validate the configuration and exit")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, *, extra_handlers: Sequence[grpc.GenericRpcHandler] = ()) -> int:
    args = _arguments(argv)
    try:
        config = config_mod.load(args.config, overrides={"listen": args.listen, "state_dir": args.state_dir})
    except ConfigError as exc:
        print(f"mulligand: {exc}", file=sys.stderr)
        return 2
    if args.check_config:
        for option in config_mod.options():
            print(f"{option} = {getattr(config, option)!r}")
        return 0
    logs.setup(config.log_level, config.log_format)
    stop_requested = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop_requested.is_set():
            # A second signal means the operator will not wait for the grace period.
            os._exit(1)
        stop_requested.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with _SignalWakeup() as wakeup:
        try:
            daemon = start(config, extra_handlers=extra_handlers)
        except StartupError as exc:
            print(f"mulligand: {exc}", file=sys.stderr)
            return 1
        _settle_garbage_collector()
        while not stop_requested.is_set():
            wakeup.wait()
    daemon.stop()
    return 0


class _SignalWakeup:
    """Wakes the main thread when a signal arrives, whichever thread the
    kernel delivered it to.

    Python runs signal handlers in the main thread only, when it next runs
    Python code; a main thread blocked in a lock wait is woken only if the
    signal was delivered to that very thread. With the gRPC and executor
    threads about, it sometimes is not, and the daemon would go on for as
    long as the wait lasted. The wakeup descriptor is written whatever thread
    takes the signal, and a main thread in ``select`` on it returns at once.
    """

    def __enter__(self) -> _SignalWakeup:
        self._reader, self._writer = socket.socketpair()
        self._writer.setblocking(False)
        self._reader.setblocking(False)
        self._previous = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        return self

    def wait(self) -> None:
        select.select([self._reader], [], [], 3600)
        with contextlib.suppress(BlockingIOError):
            self._reader.recv(4096)

    def __exit__(self, *_exc: object) -> None:
        signal.set_wakeup_fd(self._previous)
        self._reader.close()
        self._writer.close()


def _settle_garbage_collector() -> None:
    """Keep what start-up built out of every later collection, and collect
    the young generation less often.

    Each request allocates many short-lived objects; with the default
    thresholds, collections took several percent of the daemon's CPU under
    load while finding little to free (reference counting frees the rest).
    """
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(_YOUNG_GENERATION_THRESHOLD, middle, old)


if __name__ == "__main__":
    sys.exit(main())
