"""FindCandidates and claims on the workload a scheduler sends, over gRPC.

The scenario (fixed seed, bench/fleet_workload.py for the flat part):

* 10,000 flat hosts with VCPU (16/32/64 at ratio 4), MEMORY_MB (64/128/256
  GiB, 2 GiB reserved) and DISK_GB (1/2/4 TB); ``HW_CPU_X86_AVX2`` on about
  20% (half of those also ``STORAGE_DISK_SSD``); one of 5 groups on about
  half. Each is about half full, from 12 or 13 claims taking all three
  classes (126,000 claims), about 5% of them reservations a day or more
  ahead.
* 1,000 nested trees: a root with DISK_GB 2000 (``COMPUTE_STATUS_DISABLED``
  on 1%, ``HW_CPU_X86_AVX2`` on 30%, a group on half), two NUMA children
  (VCPU 16 at ratio 2, MEMORY_MB 64 GiB, ``HW_NUMA_ROOT``) and an FPGA
  child (2 units, ``HW_FPGA_XILINX``) under the first NUMA node.

Both are loaded through LoadFleet into ``mulligand`` running as a
subprocess, on SQLite and on a PostgreSQL cluster the benchmark starts
itself. Then, as a tenant's scheduler would:

* FindCandidates for VCPU 2, MEMORY_MB 4096, DISK_GB 40 at limit 1000 and 1;
* FindCandidates for a nested request at limit 1000: a NUMA group (VCPU 4,
  MEMORY_MB 8192, ``HW_NUMA_ROOT`` required), an FPGA group in the same
  subtree, a root disk group forbidding ``COMPUTE_STATUS_DISABLED``, groups
  isolated;
* 8 writers each looping FindCandidates (limit 50), picking one at random
  and CreateClaim for it, trying again on a conflict; then a check that no
  inventory is over-committed and that usage is exactly what was loaded
  plus what the writers claimed.

The last line printed is one JSON object with the figures per database.

    python bench/candidates.py [--providers 10000] [--trees 1000] [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bulk_load import postgres_cluster
from bench.fleet_workload import (
    Fleet,
    InventoryData,
    ProviderData,
    flat_fleet,
    load_over_grpc,
    provider_message,
)
from bench.provision import bootstrap_response, subprocess_daemon
from bench.resource import percentile
from mulligan.api.resource.v1 import resource_pb2 as rpb
from mulligan.client import Client
from mulligan.db import Database
from mulligan.errors import Conflict, ResourceExhausted
from mulligan.resource.intervals import peak_usage

SEED = 12
WRITERS = 8
CLAIMS_PER_WRITER = 150
QUERIES = 60
TREE_BATCH = 250
# Conflicts a writer tolerates for one claim before giving up on it.
RETRIES = 50

FLAT_GROUP = rpb.RequestGroup(
    resources=[
        rpb.ResourceAmount(resource_class="VCPU", amount=2),
        rpb.ResourceAmount(resource_class="MEMORY_MB", amount=4096),
        rpb.ResourceAmount(resource_class="DISK_GB", amount=40),
    ]
)
NESTED = rpb.FindCandidatesRequest(
    groups=[
        rpb.RequestGroup(
            label="numa",
            resources=[
                rpb.ResourceAmount(resource_class="VCPU", amount=4),
                rpb.ResourceAmount(resource_class="MEMORY_MB", amount=8192),
            ],
            required_traits=["HW_NUMA_ROOT"],
        ),
        rpb.RequestGroup(label="accel", resources=[rpb.ResourceAmount(resource_class="FPGA", amount=1)]),
        rpb.RequestGroup(
            label="disk",
            resources=[rpb.ResourceAmount(resource_class="DISK_GB", amount=100)],
            forbidden_traits=["COMPUTE_STATUS_DISABLED"],
        ),
    ],
    same_subtree=[rpb.SameSubtree(labels=["numa", "accel"])],
    group_policy=rpb.GROUP_POLICY_ISOLATE,
    limit=1000,
)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def nested_trees(seed: int, count: int, region: str, groups: tuple[str, ...]) -> list[ProviderData]:
    """Roots before their children, as a batch must list them."""
    rng = random.Random(seed)
    providers = []
    numa = (InventoryData("VCPU", 16, allocation_ratio=2.0), InventoryData("MEMORY_MB", 65536))
    for _ in range(count):
        root, numa0, numa1, fpga = (str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(4))
        traits = []
        if rng.random() < 0.3:
            traits.append("HW_CPU_X86_AVX2")
        if rng.random() < 0.01:
            traits.append("COMPUTE_STATUS_DISABLED")
        member = (rng.choice(groups),) if rng.random() < 0.5 else ()
        providers += [
            ProviderData(root, region, (InventoryData("DISK_GB", 2000),), tuple(traits), member),
            ProviderData(numa0, "", numa, ("HW_NUMA_ROOT",)),
            ProviderData(numa1, "", numa, ("HW_NUMA_ROOT",)),
            ProviderData(fpga, "", (InventoryData("FPGA", 2),), ("HW_FPGA_XILINX",)),
        ]
    return providers


def load_trees(client: Client, providers: list[ProviderData]) -> None:
    # Each tree is four providers in a row: root, NUMA 0, NUMA 1, FPGA.
    for start in range(0, len(providers), TREE_BATCH * 4):
        messages = []
        for offset, provider in enumerate(providers[start : start + TREE_BATCH * 4]):
            message = provider_message(provider)
            position = (start + offset) % 4
            if position in (1, 2):
                message.parent = providers[start + offset - position].id
            elif position == 3:
                message.parent = providers[start + offset - 2].id
            messages.append(message)
        client.resource.LoadFleet(rpb.LoadFleetRequest(providers=messages), timeout=300)


def timed(call: Callable[[], rpb.FindCandidatesResponse], count: int, expect: int) -> list[float]:
    call()  # warm statements and caches
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - started) * 1000)
        if len(response.candidates) < expect:
            raise SystemExit(f"a query found {len(response.candidates)} candidates, expected {expect}")
    return samples


def figures(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(samples), 2), "p99_ms": round(percentile(samples, 0.99), 2)}


def writers(endpoint: str, token: str, project_id: str) -> dict[str, object]:
    """Candidates-then-claim from WRITERS threads, each with its own channel."""
    claimed: list[rpb.CreateClaimRequest] = []
    conflicts = [0]
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(WRITERS + 1)

    def work(seed: int) -> None:
        rng = random.Random(seed)
        request = rpb.FindCandidatesRequest(groups=[FLAT_GROUP], limit=50)
        with Client(endpoint, token=token) as client:
            barrier.wait()
            for _ in range(CLAIMS_PER_WRITER):
                for _attempt in range(RETRIES):
                    candidates = client.resource.FindCandidates(request).candidates
                    if not candidates:
                        with lock:
                            failures.append("no candidates")
                        return
                    chosen = rng.choice(candidates)
                    claim = rpb.CreateClaimRequest(
                        consumer_id=str(uuid.uuid4()),
                        project_id=project_id,
                        allocations=[a for plan in chosen.plans for a in plan.allocations],
                    )
                    try:
                        client.resource.CreateClaim(claim)
                    except (ResourceExhausted, Conflict):
                        # Another writer took the room first: look again.
                        with lock:
                            conflicts[0] += 1
                        continue
                    except Exception as error:
                        with lock:
                            failures.append(repr(error))
                        return
                    with lock:
                        claimed.append(claim)
                    break

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"a writer failed: {failures[0]}")
    return {"claims_per_s": round(len(claimed) / elapsed, 1), "claims": claimed, "conflicts": conflicts[0]}


_INVENTORIES = sa.text("SELECT provider_id, resource_class, capacity FROM resource_inventories")


def check_usage(url: str, fleet: Fleet, claimed: list[rpb.CreateClaimRequest]) -> dict[str, int]:
    """Over-committed inventories, and stored usage minus what was loaded and claimed."""
    expected = sum(amount for claim in fleet.claims for amount in claim.amounts.values())
    expected += sum(a.amount for claim in claimed for a in claim.allocations)
    database = Database(url)
    try:
        with database.read() as session:
            capacity = {
                (row[0], row[1]): row[2]
                for row in session.execute(
                    sa.text("SELECT provider_id, resource_class, capacity FROM resource_inventories")
                )
            }
            spans: dict[tuple[int, str], list[tuple[int, int | None, int]]] = {}
            stored = 0
            for row in session.execute(
                sa.text("SELECT provider_id, resource_class, start_at, end_at, amount FROM resource_allocations")
            ):
                spans.setdefault((row[0], row[1]), []).append((row[2], row[3], row[4]))
                stored += row[4]
    finally:
        database.dispose()
    over = sum(1 for key, items in spans.items() if peak_usage(items, 0, None) > capacity[key])
    return {"overcommitted_inventories": over, "usage_difference": stored - expected}


def run(database: str, args: argparse.Namespace, fleet: Fleet, trees: list[ProviderData]) -> dict[str, object]:
    with contextlib.ExitStack() as stack:
        state = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mulligan-bench-")))
        sqlite = f"sqlite:///{state}/mulligan.db"
        url = stack.enter_context(postgres_cluster()) if database == "postgresql" else sqlite
        daemon = stack.enter_context(subprocess_daemon(state, workers=1, settings={"MULLIGAN_DATABASE_URL": url}))
        response = bootstrap_response(daemon.endpoint, state)
        token, project_id = response.token, response.project.id
        with Client(daemon.endpoint, token=token) as client:
            started = time.perf_counter()
            load_over_grpc(client, fleet, project_id=project_id)
            load_trees(client, trees)
            load_s = time.perf_counter() - started
            progress(f"{database}: loaded in {load_s:.1f}s")
            flat_1000 = rpb.FindCandidatesRequest(groups=[FLAT_GROUP], limit=1000)
            flat_1 = rpb.FindCandidatesRequest(groups=[FLAT_GROUP], limit=1)
            results = {
                "flat_limit_1000": figures(
                    timed(lambda: client.resource.FindCandidates(flat_1000), args.queries, 1000)
                ),
                "flat_limit_1": figures(timed(lambda: client.resource.FindCandidates(flat_1), args.queries, 1)),
                "nested_limit_1000": figures(
                    timed(lambda: client.resource.FindCandidates(NESTED), args.queries, int(len(trees) // 4 * 0.9))
                ),
            }
            progress(f"{database}: {results}")
        written = writers(daemon.endpoint, token, project_id)
        claimed = written.pop("claims")
        assert isinstance(claimed, list)
        progress(f"{database}: writers {written}")
        usage = check_usage(url, fleet, claimed)
    return {"database": database, "load_s": round(load_s, 1), **results, "writers": written, **usage}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=10000, help="flat providers (default 10000)")
    parser.add_argument("--trees", type=int, default=1000, help="nested trees (default 1000)")
    parser.add_argument("--queries", type=int, default=QUERIES, help="timed queries of each kind")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    fleet = flat_fleet(SEED, args.providers)
    trees = nested_trees(SEED + 1000, args.trees, fleet.region, fleet.groups)
    databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    results = [run(database, args, fleet, trees) for database in databases]
    print(json.dumps({"providers": args.providers, "trees": args.trees, "results": results}))


if __name__ == "__main__":
    main()
