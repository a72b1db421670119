"""Cold start and idle memory of mulligand.

Starts the daemon on an empty state dir (so every migration runs), times
how long until standard gRPC health answers SERVING, lets it idle, and
reads its resident memory. Prints one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _serving(endpoint: str) -> bool:
    try:
        with grpc.insecure_channel(endpoint) as channel:
            response = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=0.2)
            return bool(response.status == health_pb2.HealthCheckResponse.SERVING)
    except grpc.RpcError:
        return False


def measure(idle_s: float) -> dict[str, float]:
    state = tempfile.mkdtemp(prefix="mulligan-bench-")
    endpoint = f"127.0.0.1:{_free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_")}
    env["PYTHONPATH"] = str(REPO)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "mulligan.daemon", "--listen", endpoint, "--state-dir", state],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = started + 30
        while not _serving(endpoint):
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("mulligand did not become SERVING")
            time.sleep(0.005)
        cold_start_s = time.monotonic() - started
        time.sleep(idle_s)
        rss = _rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
    return {"cold_start_s": round(cold_start_s, 3), "idle_rss_mb": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle-s", type=float, default=3.0)
    args = parser.parse_args()
    runs = [measure(args.idle_s) for _ in range(args.runs)]
    for run in runs:
        print(json.dumps(run))
    print(
        json.dumps(
            {
                "runs": len(runs),
                "cold_start_s": max(r["cold_start_s"] for r in runs),
                "cold_start_best_s": min(r["cold_start_s"] for r in runs),
                "idle_rss_mb": max(r["idle_rss_mb"] for r in runs),
            }
        )
    )


if __name__ == "__main__":
    main()
