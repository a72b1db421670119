"""Authenticated call throughput and token verification cost.

Starts mulligand as a subprocess (SQLite, embedded key/value store),
bootstraps it, then:

- ``rpc_per_s``: 8 client threads (one channel each) call a cheap
  authenticated unary RPC (IamService.GetRole) for ``--seconds``; every
  call goes through the full interceptor: token verification, revocation
  check, policy lookup. Goal on the standard 2-core machine: >= 3000.
- ``verify_us``: the cost of verifying a token never seen before (header,
  key lookup, Ed25519 signature, claims), measured in this process with
  the daemon's own keys; ``verify_cached_us``: the cost for a token
  already verified once (expiry, key window and revocation checks only),
  which is what every call after a client's first pays.

Prints one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mulligan.api.iam.v1 import iam_pb2, iam_pb2_grpc  # noqa: E402
from mulligan.db import Database  # noqa: E402
from mulligan.iam.bootstrap import SECRET_FILE  # noqa: E402
from mulligan.iam.keys import KeyRing  # noqa: E402
from mulligan.iam.revocations import Revocations  # noqa: E402
from mulligan.iam.tokens import TokenVerifier  # noqa: E402
from mulligan.kv.embedded import EmbeddedStore  # noqa: E402
from tests.fixtures.ports import free_port  # noqa: E402

THREADS = 8


def _serving(endpoint: str) -> bool:
    try:
        with grpc.insecure_channel(endpoint) as channel:
            response = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=0.2)
            return bool(response.status == health_pb2.HealthCheckResponse.SERVING)
    except grpc.RpcError:
        return False


def _start(state: str, endpoint: str, rpc_threads: int | None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_")}
    env["PYTHONPATH"] = str(REPO)
    env["MULLIGAN_LOG_LEVEL"] = "warning"
    if rpc_threads:
        env["MULLIGAN_RPC_THREADS"] = str(rpc_threads)
    process = subprocess.Popen(
        [sys.executable, "-m", "mulligan.daemon", "--listen", endpoint, "--state-dir", state],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not _serving(endpoint):
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit("mulligand did not become SERVING")
        time.sleep(0.01)
    return process


def _bootstrap(state: str, endpoint: str) -> str:
    secret = (Path(state) / SECRET_FILE).read_text().strip()
    with grpc.insecure_channel(endpoint) as channel:
        response = iam_pb2_grpc.IamServiceStub(channel).Bootstrap(
            iam_pb2.BootstrapRequest(
                secret=secret, admin_name="admin", admin_password="bench-password", project_name="admin"
            ),
            timeout=30,
        )
    return str(response.token)


def _throughput(endpoint: str, token: str, seconds: float) -> dict[str, float]:
    metadata = [("authorization", f"Bearer {token}")]
    request = iam_pb2.GetRoleRequest(name="reader")
    stop = threading.Event()
    start = threading.Barrier(THREADS + 1)
    counts = [0] * THREADS
    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    failures: list[BaseException] = []

    def client(index: int) -> None:
        with grpc.insecure_channel(endpoint) as channel:
            get_role = iam_pb2_grpc.IamServiceStub(channel).GetRole
            get_role(request, metadata=metadata, timeout=10)
            start.wait()
            try:
                while not stop.is_set():
                    began = time.perf_counter()
                    get_role(request, metadata=metadata, timeout=10)
                    latencies[index].append(time.perf_counter() - began)
                    counts[index] += 1
            except grpc.RpcError as exc:
                failures.append(exc)

    threads = [threading.Thread(target=client, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise SystemExit(f"calls failed: {failures[0]}")
    every = sorted(latency for per_thread in latencies for latency in per_thread)
    return {
        "rpc_per_s": round(sum(counts) / elapsed),
        "p50_ms": round(statistics.median(every) * 1000, 2),
        "p99_ms": round(every[int(len(every) * 0.99)] * 1000, 2),
    }


def _verification(state: str, token: str, rounds: int) -> dict[str, float]:
    database = Database(f"sqlite:///{Path(state) / 'mulligan.db'}")
    kv = EmbeddedStore(database)
    try:
        keys = KeyRing(database, kv, max_token_ttl_s=3600)
        keys.reload()
        verifier = TokenVerifier(keys, Revocations(kv, max_token_ttl_s=3600))
        verifier.verify(token)
        began = time.perf_counter()
        for _ in range(rounds):
            verifier.check_signature(token)
        cold = (time.perf_counter() - began) / rounds
        began = time.perf_counter()
        for _ in range(rounds):
            verifier.verify(token)
        cached = (time.perf_counter() - began) / rounds
    finally:
        kv.close()
        database.dispose()
    return {"verify_us": round(cold * 1e6, 1), "verify_cached_us": round(cached * 1e6, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="How long the clients call.")
    parser.add_argument("--rounds", type=int, default=2000, help="Verifications to time.")
    parser.add_argument("--rpc-threads", type=int, help="The daemon's rpc_threads (default: its own default).")
    args = parser.parse_args()
    state = tempfile.mkdtemp(prefix="mulligan-bench-auth-")
    endpoint = f"127.0.0.1:{free_port()}"
    process = _start(state, endpoint, args.rpc_threads)
    try:
        token = _bootstrap(state, endpoint)
        result: dict[str, object] = {
            "threads": THREADS,
            "seconds": args.seconds,
            "rpc_threads": args.rpc_threads or "default",
        }
        result.update(_verification(state, token, args.rounds))
        result.update(_throughput(endpoint, token, args.seconds))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
        shutil.rmtree(state, ignore_errors=True)
    result["goal_rpc_per_s"] = 3000
    print(json.dumps(result))


if __name__ == "__main__":
    main()
