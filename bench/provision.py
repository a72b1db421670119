"""Provisioning throughput: 1,000 VMs requested at once, on libvirt's test driver.

Starts mulligand on SQLite (a subprocess by default, so that the clients do
not share its interpreter; ``--in-process`` to profile it with the clients),
bootstraps it over gRPC, enrolls test-driver hypervisors
(``test:///<tmp>/hvN.xml``, each with enough CPUs and memory), registers an
image, then asks for all machines at once from concurrent clients and waits
until every one is active.

A machine's latency runs from the start of its ProvisionMachine call to the
moment it became active, the ``updated_at`` of its active state (the
daemon's wall clock; the daemon runs on this machine).

Each run prints one JSON object; with ``--runs N`` (on a shared, noisy
machine) the last line is the median run by ``total_s``, with every run's
``total_s`` beside it.

    python bench/provision.py --machines 1000 --clients 8 --workers 8 --runs 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mulligan import config as config_mod  # noqa: E402
from mulligan import daemon as daemon_mod  # noqa: E402
from mulligan.api.control.v1 import control_pb2 as pb  # noqa: E402
from mulligan.api.iam.v1 import iam_pb2  # noqa: E402
from mulligan.api.resource.v1 import resource_pb2  # noqa: E402
from mulligan.client import Client, pages  # noqa: E402
from mulligan.iam.bootstrap import SECRET_FILE  # noqa: E402
from tests.fixtures.fleet import IMAGE_VOLUME, enroll, write_test_hypervisor  # noqa: E402
from tests.fixtures.ports import free_port  # noqa: E402

VCPUS_PER_MACHINE = 1
MEMORY_MB_PER_MACHINE = 32
CPUS_PER_HOST = 128
# How far control lets VCPU be overcommitted on a hypervisor.
VCPU_OVERCOMMIT = 4
DEADLINE_S = 600.0
POLL_S = 0.05
UNSETTLED = [pb.MACHINE_STATE_SCHEDULED, pb.MACHINE_STATE_PROVISIONING]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


class Daemon:
    """The daemon under test: its endpoint, the CPU time it has used, and its memory."""

    def __init__(self, endpoint: str, cpu_seconds: Any, pid: int | None = None) -> None:
        self.endpoint = endpoint
        self.cpu_seconds = cpu_seconds
        self._status = Path(f"/proc/{pid}/status" if pid else "/proc/self/status")

    def memory_mb(self, field: str) -> float:
        """VmRSS (now) or VmHWM (peak) of the daemon's process, in MiB."""
        for line in self._status.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0


@contextlib.contextmanager
def subprocess_daemon(
    state_dir: Path, workers: int, *, rpc_threads: int | None = None, settings: dict[str, str] | None = None
) -> Iterator[Daemon]:
    """mulligand on state_dir; settings are more MULLIGAN_* variables (a database URL, say)."""
    endpoint = f"127.0.0.1:{free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_")}
    env.update(PYTHONPATH=str(REPO), MULLIGAN_EXECUTOR_WORKERS=str(workers), MULLIGAN_LOG_LEVEL="warning")
    env.update(settings or {})
    if rpc_threads is not None:
        env["MULLIGAN_RPC_THREADS"] = str(rpc_threads)
    process = subprocess.Popen(
        [sys.executable, "-m", "mulligan.daemon", "--listen", endpoint, "--state-dir", str(state_dir)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds() -> float:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    try:
        deadline = time.monotonic() + 60
        while not _serving(endpoint):
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("mulligand did not start")
            time.sleep(0.02)
        yield Daemon(endpoint, cpu_seconds, process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@contextlib.contextmanager
def in_process_daemon(state_dir: Path, workers: int) -> Iterator[Daemon]:
    config = config_mod.load(
        environ={},
        path=Path(os.devnull),
        overrides={
            "state_dir": str(state_dir),
            "listen": "127.0.0.1:0",
            "executor_workers": workers,
            "log_level": "warning",
            "shutdown_grace_s": 5,
        },
    )
    daemon = daemon_mod.start(config)
    try:
        # The clients share the process, and their time is counted too.
        yield Daemon(daemon.address, time.process_time)
    finally:
        daemon.stop(5)


def _serving(endpoint: str) -> bool:
    try:
        with Client(endpoint, timeout=1) as probe:
            return probe.health() == "SERVING"
    except Exception:
        return False


def bootstrap_response(endpoint: str, state_dir: Path) -> iam_pb2.BootstrapResponse:
    """Bootstrap with the secret the daemon wrote."""
    secret = (state_dir / SECRET_FILE).read_text().strip()
    with Client(endpoint) as anonymous:
        response: iam_pb2.BootstrapResponse = anonymous.iam.Bootstrap(
            iam_pb2.BootstrapRequest(
                secret=secret, admin_name="admin", admin_password=uuid.uuid4().hex, project_name="admin"
            )
        )
    return response


def bootstrap(endpoint: str, state_dir: Path) -> str:
    """Bootstrap with the secret the daemon wrote; the admin's token."""
    return str(bootstrap_response(endpoint, state_dir).token)


def prepare(admin: Client, tmp: Path, hosts: int, machines: int) -> None:
    """A region, ``hosts`` test-driver hypervisors with room for the machines, an image."""
    admin.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="default"))
    memory_mb = max(4096, machines * MEMORY_MB_PER_MACHINE * 2 // hosts)
    for n in range(hosts):
        uri = write_test_hypervisor(tmp / f"hv{n}.xml", cpus=CPUS_PER_HOST, memory_mb=memory_mb)
        enroll(admin, f"hv{n}", uri)
    admin.control.CreateImage(
        pb.CreateImageRequest(
            name="tiny", format=pb.IMAGE_FORMAT_RAW, source=f"volume:{IMAGE_VOLUME}", size_gb=0, system=True
        )
    )


class Requests:
    """Provision requests from concurrent clients, with when each began."""

    def __init__(self, clients: list[Client]) -> None:
        self._clients = clients
        self._lock = threading.Lock()
        self.began: dict[str, float] = {}

    def provision(self, index: int) -> None:
        request = pb.ProvisionMachineRequest(
            name=f"bench-{index:05d}",
            image="tiny",
            resources=pb.Resources(vcpus=VCPUS_PER_MACHINE, memory_mb=MEMORY_MB_PER_MACHINE, disk_gb=0),
        )
        began = time.time()
        machine = self._clients[index % len(self._clients)].control.ProvisionMachine(request).machine
        with self._lock:
            self.began[machine.id] = began

    def run(self, machines: int) -> None:
        with ThreadPoolExecutor(len(self._clients)) as pool:
            list(pool.map(self.provision, range(machines)))


def wait_settled(admin: Client) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while admin.control.ListMachines(pb.ListMachinesRequest(states=UNSETTLED, page_size=1)).machines:
        if time.monotonic() > deadline:
            raise SystemExit(f"machines still unsettled after {DEADLINE_S} s")
        time.sleep(POLL_S)


def all_machines(admin: Client) -> list[pb.Machine]:
    return list(
        pages(
            lambda token: admin.control.ListMachines(pb.ListMachinesRequest(page_size=1000, page_token=token)),
            "machines",
        )
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    capacity = CPUS_PER_HOST * VCPU_OVERCOMMIT * 0.9
    hosts = max(args.hosts, math.ceil(args.machines * VCPUS_PER_MACHINE / capacity))
    start_daemon = in_process_daemon if args.in_process else subprocess_daemon
    with (
        tempfile.TemporaryDirectory(prefix="mulligan-bench-") as tmp_dir,
        start_daemon(Path(tmp_dir) / "state", args.workers) as daemon,
    ):
        token = bootstrap(daemon.endpoint, Path(tmp_dir) / "state")
        clients = [Client(daemon.endpoint, token=token, timeout=120) for _ in range(args.clients)]
        try:
            admin = clients[0]
            prepare(admin, Path(tmp_dir), hosts, args.machines)
            requests = Requests(clients)
            cpu_started = daemon.cpu_seconds()
            started = time.time()
            requests.run(args.machines)
            requests_s = time.time() - started
            wait_settled(admin)
            cpu_s = daemon.cpu_seconds() - cpu_started
            machines = [m for m in all_machines(admin) if m.id in requests.began]
            rss_mb, peak_rss_mb = daemon.memory_mb("VmRSS"), daemon.memory_mb("VmHWM")
        finally:
            for client in clients:
                client.close()
    failed = [m for m in machines if m.state != pb.MACHINE_STATE_ACTIVE]
    if failed or len(machines) != args.machines:
        raise SystemExit(f"{len(failed)} machines did not become active, e.g. {failed[0].error if failed else ''}")
    active_at = {m.id: m.updated_at.ToDatetime().timestamp() for m in machines}
    latencies = [active_at[machine_id] - began for machine_id, began in requests.began.items()]
    total_s = max(active_at.values()) - started
    return {
        "machines": len(machines),
        "total_s": round(total_s, 3),
        "machines_per_s": round(len(machines) / total_s, 1),
        "p99_request_to_active_s": round(percentile(latencies, 0.99), 3),
        "p50_request_to_active_s": round(percentile(latencies, 0.50), 3),
        "requests_s": round(requests_s, 3),
        "daemon_cpu_s": round(cpu_s, 3),
        "daemon_cpu_ms_per_machine": round(cpu_s * 1000 / len(machines), 2),
        "daemon_rss_mb": rss_mb,
        "daemon_peak_rss_mb": peak_rss_mb,
        "daemon": "in-process" if args.in_process else "subprocess",
        "clients": args.clients,
        "executor_workers": args.workers,
        "hosts": hosts,
        "cpu_count": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--machines", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--in-process", action="store_true", help="run mulligand in this process (for profiling)")
    parser.add_argument("--runs", type=int, default=1, help="repeat on fresh state; the last line is the median run")
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        runs.append(run(args))
        print(json.dumps(runs[-1]), flush=True)
    if len(runs) > 1:
        median = sorted(runs, key=lambda figures: figures["total_s"])[len(runs) // 2]
        print(json.dumps({**median, "runs": len(runs), "total_s_of_runs": [r["total_s"] for r in runs]}))


if __name__ == "__main__":
    main()
