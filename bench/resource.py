"""Resource engine benchmark on SQLite.

Loads N flat providers (VCPU/MEMORY_MB/DISK_GB, about 20% with traits, a
few groups) and 1,000 nested trees (root + 2 NUMA children, an FPGA child
under the first NUMA node), then measures candidate queries, ClaimBest
throughput with 8 concurrent clients, and checks that nothing over-commits.

Two passes over the same data: first through the Python API in this
process (the engine alone), then as a tenant sees it, through gRPC to
mulligand running as a subprocess on the same database (authentication,
serialization and the RPC threads included; figures prefixed ``grpc_``).
The last line printed is one JSON object with the figures.

    python bench/resource.py --providers 10000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.provision import bootstrap_response, subprocess_daemon
from mulligan import config as config_mod
from mulligan import meta, resource
from mulligan.api.resource.v1 import resource_pb2 as rpb
from mulligan.client import Client
from mulligan.db import Database
from mulligan.kv import open_store
from mulligan.kv.migrations import MIGRATIONS as KV_MIGRATIONS
from mulligan.migrate import migrate
from mulligan.resource import (
    CandidateRequest,
    InventorySpec,
    ProviderSpec,
    RequestGroup,
    Window,
)
from mulligan.resource.intervals import peak_usage

NESTED_TREES = 1000
CLIENTS = 8
CLAIMS = 5000
QUERIES = 300
CHUNK = 5000
GROUPS = 5
FLAVOURS = (
    (32, 131072, 2000),
    (64, 262144, 4000),
    (16, 65536, 1000),
)


def flat_spec(rng: random.Random, region: str, groups: list[str]) -> ProviderSpec:
    vcpu, memory, disk = rng.choice(FLAVOURS)
    traits: list[str] = []
    if rng.random() < 0.2:
        traits = ["HW_CPU_X86_AVX2"] + (["STORAGE_DISK_SSD"] if rng.random() < 0.5 else [])
    if rng.random() < 0.01:
        traits.append("COMPUTE_STATUS_DISABLED")
    member = [rng.choice(groups)] if rng.random() < 0.5 else []
    return ProviderSpec(
        region=region,
        inventories=(
            InventorySpec("VCPU", vcpu, allocation_ratio=4.0),
            InventorySpec("MEMORY_MB", memory, reserved=2048),
            InventorySpec("DISK_GB", disk),
        ),
        traits=tuple(traits),
        groups=tuple(member),
    )


def tree_specs(region: str) -> list[ProviderSpec]:
    root, numa0, numa1, fpga = (str(uuid.uuid4()) for _ in range(4))
    numa = (InventorySpec("VCPU", 16, allocation_ratio=2.0), InventorySpec("MEMORY_MB", 65536))
    return [
        ProviderSpec(region=region, id=root, inventories=(InventorySpec("DISK_GB", 2000),), traits=("COMPUTE_VM",)),
        ProviderSpec(id=numa0, parent=root, inventories=numa, traits=("HW_NUMA_ROOT",)),
        ProviderSpec(id=numa1, parent=root, inventories=numa, traits=("HW_NUMA_ROOT",)),
        ProviderSpec(id=fpga, parent=numa0, inventories=(InventorySpec("FPGA", 2),), traits=("HW_FPGA_XILINX",)),
    ]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def timed(call: Callable[[], object], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        found = call()
        samples.append((time.perf_counter() - started) * 1000)
        assert found, "a benchmark query found no candidates"
    return samples


def peak_rss_mb() -> float:
    # This file is named resource.py, which hides the standard module of that name.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def violations(database: Database) -> int:
    with database.read() as session:
        capacity = {
            (row.provider_id, row.resource_class): row.capacity
            for row in session.execute(
                sa.text("SELECT provider_id, resource_class, capacity FROM resource_inventories")
            )
        }
        spans: dict[tuple[int, str], list[tuple[int, int | None, int]]] = {}
        for row in session.execute(
            sa.text("SELECT provider_id, resource_class, start_at, end_at, amount FROM resource_allocations")
        ):
            spans.setdefault((row.provider_id, row.resource_class), []).append((row.start_at, row.end_at, row.amount))
    return sum(1 for key, items in spans.items() if peak_usage(items, 0, None) > capacity[key])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=10000, help="flat providers to load (default 10000)")
    parser.add_argument("--queries", type=int, default=QUERIES, help="timed queries of each kind")
    parser.add_argument("--claims", type=int, default=CLAIMS, help="ClaimBest calls in total")
    parser.add_argument("--rpc-threads", type=int, default=None, help="mulligand's rpc_threads (default: its own)")
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory(prefix="mulligan-bench-") as state:
        # Where mulligand, started on this state dir, finds its database.
        database = Database(f"sqlite:///{state}/mulligan.db")
        migrate(database, [KV_MIGRATIONS, meta.MIGRATIONS, resource.MIGRATIONS])
        kv = open_store((), database)
        names = meta.Names(kv)
        service = resource.ResourceService(database, names)
        # Claims name their project, which must exist (as iam would register it).
        with names.reserve("project", None, "bench") as reservation:
            reservation.confirm()
        try:
            figures = run(service, database, rng, args)
        finally:
            names.close()
            kv.close()
        figures.update(over_grpc(Path(state), args))
        figures["overcommit_violations"] = violations(database)
        database.dispose()
    print(json.dumps(figures))


def concurrent_claims(clients: list[Callable[[], object]], per_client: int) -> float:
    """Claims per second with each client making per_client claims, all at once, each on its own thread."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(clients) + 1)

    def work(claim: Callable[[], object]) -> None:
        barrier.wait()
        for _ in range(per_client):
            try:
                claim()
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(claim,)) for claim in clients]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return per_client * len(clients) / elapsed


def over_grpc(state_dir: Path, args: argparse.Namespace) -> dict[str, object]:
    """Candidates and ClaimBest through gRPC, against mulligand on the loaded database."""
    with subprocess_daemon(state_dir, workers=1, rpc_threads=args.rpc_threads) as daemon:
        response = bootstrap_response(daemon.endpoint, state_dir)
        project_id = response.project.id
        groups = [
            rpb.RequestGroup(
                resources=[
                    rpb.ResourceAmount(resource_class="VCPU", amount=1),
                    rpb.ResourceAmount(resource_class="MEMORY_MB", amount=1024),
                ]
            )
        ]
        plain = rpb.FindCandidatesRequest(
            groups=[
                rpb.RequestGroup(
                    resources=[
                        rpb.ResourceAmount(resource_class=c, amount=a)
                        for c, a in (("VCPU", 2), ("MEMORY_MB", 4096), ("DISK_GB", 40))
                    ]
                )
            ]
        )
        with Client(daemon.endpoint, token=response.token) as client:
            client.resource.FindCandidates(plain)
            latencies = timed(lambda: client.resource.FindCandidates(plain), args.queries)
        progress(f"grpc plain: p50 {statistics.median(latencies):.2f} ms, p99 {percentile(latencies, 0.99):.2f} ms")
        clients = [Client(daemon.endpoint, token=response.token) for _ in range(CLIENTS)]

        def claim_through(client: Client) -> Callable[[], object]:
            return lambda: client.resource.ClaimBest(
                rpb.ClaimBestRequest(consumer_id=str(uuid.uuid4()), project_id=project_id, groups=groups)
            )

        try:
            claims_per_s = concurrent_claims([claim_through(client) for client in clients], args.claims // CLIENTS)
        finally:
            for client in clients:
                client.close()
    progress(f"grpc claims: {claims_per_s:.0f}/s")
    return {
        "grpc_candidates_p50_ms": round(statistics.median(latencies), 2),
        "grpc_candidates_p99_ms": round(percentile(latencies, 0.99), 2),
        "grpc_claims_per_s": round(claims_per_s, 1),
        "rpc_threads": args.rpc_threads or config_mod.Config().rpc_threads,
    }


def run(
    service: resource.ResourceService, database: Database, rng: random.Random, args: argparse.Namespace
) -> dict[str, object]:
    region = service.create_region("bench").id
    groups = [service.create_group(f"rack-{n}").id for n in range(GROUPS)]
    started = time.perf_counter()
    flat = [flat_spec(rng, region, groups) for _ in range(args.providers)]
    for start in range(0, len(flat), CHUNK):
        service.create_providers(flat[start : start + CHUNK])
    nested = [spec for _ in range(NESTED_TREES) for spec in tree_specs(region)]
    for start in range(0, len(nested), CHUNK):
        service.create_providers(nested[start : start + CHUNK])
    load_s = time.perf_counter() - started
    progress(f"loaded in {load_s:.1f}s")
    with database.write() as session:
        session.execute(sa.text("ANALYZE"))

    plain = CandidateRequest(groups=(RequestGroup(resources={"VCPU": 2, "MEMORY_MB": 4096, "DISK_GB": 40}),))
    traits = CandidateRequest(
        groups=(
            RequestGroup(
                resources={"VCPU": 2, "MEMORY_MB": 4096},
                required_traits=frozenset({"HW_CPU_X86_AVX2"}),
                forbidden_traits=frozenset({"COMPUTE_STATUS_DISABLED"}),
            ),
        )
    )
    nested_request = CandidateRequest(
        groups=(
            RequestGroup(label="numa", resources={"VCPU": 4, "MEMORY_MB": 8192}),
            RequestGroup(label="accel", resources={"FPGA": 1}),
        ),
        same_subtree=(("numa", "accel"),),
        group_policy="isolate",
    )
    # Reservations in the future window make some providers fit only then.
    soon = datetime.now(UTC) + timedelta(days=1)
    window = Window(soon, soon + timedelta(hours=4))
    for n in range(200):
        service.claim_best(
            str(uuid.uuid4()),
            [RequestGroup(resources={"VCPU": 2, "MEMORY_MB": 2048})],
            project_id="bench",
            window=Window(soon + timedelta(hours=n % 8), soon + timedelta(hours=n % 8 + 2)),
        )
    window_request = CandidateRequest(groups=plain.groups, window=window)
    progress("reservations made")

    results: dict[str, list[float]] = {}
    for label, request in (
        ("plain", plain),
        ("traits", traits),
        ("nested", nested_request),
        ("window", window_request),
    ):
        service.find_candidates(request)  # warm caches and the statement cache
        results[label] = timed(lambda r=request: service.find_candidates(r), args.queries)
        progress(
            f"{label}: p50 {statistics.median(results[label]):.2f} ms, p99 {percentile(results[label], 0.99):.2f} ms"
        )

    def claim() -> object:
        return service.claim_best(
            str(uuid.uuid4()), [RequestGroup(resources={"VCPU": 1, "MEMORY_MB": 1024})], project_id="bench"
        )

    claims_per_s = concurrent_claims([claim] * CLIENTS, args.claims // CLIENTS)
    return {
        "providers": args.providers,
        "nested_trees": NESTED_TREES,
        "load_s": round(load_s, 2),
        "candidates_p50_ms": round(statistics.median(results["plain"]), 2),
        "candidates_p99_ms": round(percentile(results["plain"], 0.99), 2),
        "traits_p99_ms": round(percentile(results["traits"], 0.99), 2),
        "nested_p99_ms": round(percentile(results["nested"], 0.99), 2),
        "window_p99_ms": round(percentile(results["window"], 0.99), 2),
        "claims_per_s": round(claims_per_s, 1),
        "rss_mb": peak_rss_mb(),
    }


if __name__ == "__main__":
    main()
