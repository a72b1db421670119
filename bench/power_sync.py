"""Power sync over many simulated IPMI BMCs.

Starts one BMC simulator process (tools/bmcsim.py) hosting ``--nodes`` BMCs on
127.0.0.1 UDP ports, each driving a domain of the simulator's own libvirt
test driver; starts mulligand in-process on SQLite; enrolls every node
(sizes declared, as IPMI nodes need) and waits until all are inspected; then
runs power sync passes through the control module's Python API:

- ``burst``: no pacing, so the pass takes as long as the BMC calls do with
  ``--concurrency`` of them in flight (what a pass costs);
- ``paced``: calls spread evenly over ``--spread`` seconds, as the daemon
  does over half its interval (what a pass looks like to the network).

Each reports the pass time, how many nodes answered, and the peak number of
BMC calls in flight (never above ``--concurrency``). The goal: 1,000 BMCs in
one pass under 60 s with concurrency bounded by configuration.

    python bench/power_sync.py --nodes 50
    python bench/power_sync.py --nodes 1000 --spread 30
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mulligan import config as config_mod  # noqa: E402
from mulligan import daemon as daemon_mod  # noqa: E402
from mulligan.control import BmcAccess, HostKind, HostState, NodeProperties  # noqa: E402

USER = "admin"
PASSWORD = "bench-bmc-pw"


def free_udp_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def start_simulator(ports: list[int], workdir: Path) -> subprocess.Popen[str]:
    password_file = workdir / "bmc.pw"
    password_file.write_text(PASSWORD + "\n")
    command = [sys.executable, str(REPO / "tools" / "bmcsim.py"), "--libvirt-uri", "test:///default"]
    command += ["--define-domains", "--username", USER, "--password-file", str(password_file)]
    for index, port in enumerate(ports):
        command += ["--bmc", f"{port}:node-{index}"]
    simulator = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert simulator.stdout is not None
    if not simulator.stdout.readline().startswith("ready"):
        simulator.kill()
        raise SystemExit("the BMC simulator did not start")
    return simulator


def peak_rss_mb() -> float:
    # Not the resource module: bench/resource.py shadows it here.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--spread", type=float, default=5.0, help="seconds the paced pass spreads its calls over")
    parser.add_argument("--workers", type=int, default=8, help="executor workers inspecting the nodes")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mulligan-bench-power-"))
    ports = free_udp_ports(args.nodes)
    simulator = start_simulator(ports, workdir)
    config = config_mod.load(
        environ={},
        path=Path(os.devnull),
        overrides={
            "state_dir": str(workdir / "state"),
            "listen": "127.0.0.1:0",
            "executor_workers": args.workers,
            "power_sync_interval_s": 3600,
            "power_sync_concurrency": args.concurrency,
        },
    )
    daemon = daemon_mod.start(config)
    try:
        control = daemon.modules.control
        daemon.modules.resource.create_region("default")
        started = time.monotonic()
        for index, port in enumerate(ports):
            control.hosts.enroll(
                f"node-{index}",
                kind=HostKind.BAREMETAL,
                region="default",
                bmc=BmcAccess(protocol="ipmi", address="127.0.0.1", port=port, username=USER, password=PASSWORD),
                properties=NodeProperties(cpus=16, memory_mb=65536, disk_gb=480, arch="x86_64"),
            )
        deadline = time.monotonic() + 600
        while True:
            hosts, _ = control.hosts.list(page_size=1000)
            states = [host.state for host in hosts]
            if all(state is not HostState.ENROLLING for state in states):
                break
            if time.monotonic() > deadline:
                raise SystemExit("nodes were not inspected within 600 s")
            time.sleep(0.2)
        enrolled_s = time.monotonic() - started
        ready = sum(state is HostState.READY for state in states)
        burst = control.power_sync.run_pass(spread_s=0)
        paced = control.power_sync.run_pass(spread_s=args.spread)
        print(
            json.dumps(
                {
                    "nodes": args.nodes,
                    "ready": ready,
                    "enroll_and_inspect_s": round(enrolled_s, 2),
                    "concurrency": args.concurrency,
                    "burst_pass_s": burst.seconds,
                    "burst_answered": burst.answered,
                    "burst_peak_in_flight": burst.peak_in_flight,
                    "paced_spread_s": args.spread,
                    "paced_pass_s": paced.seconds,
                    "paced_answered": paced.answered,
                    "paced_peak_in_flight": paced.peak_in_flight,
                    "daemon_peak_rss_mb": peak_rss_mb(),
                }
            )
        )
    finally:
        daemon.stop(5)
        simulator.terminate()
        simulator.wait(30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
