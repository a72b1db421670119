"""Scale-out: claims/s and machines/s with 1, 2 and 3 daemons on PostgreSQL and etcd.

For each daemon count, a fresh database on one throwaway PostgreSQL cluster
and an emptied etcd (both on 127.0.0.1, started the way the tests start
theirs) are served by that many ``mulligand`` subprocesses. Clients are
spread evenly over the daemons, each pinned to one:

- claims: ClaimBest (1 VCPU, 256 MiB) from every client at once against a
  region of providers made for it, for ``--claims`` calls in total;
- machines: ``--machines`` tiny VMs requested at once on test-driver
  hypervisors (each daemon drives its own copy of them), from the first
  request to the last machine active.

Every daemon count prints one JSON line; the last line holds them all.

    python bench/scaleout.py --claims 2000 --machines 300
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import etcd3gw
import sqlalchemy_utils

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.provision import (  # noqa: E402
    Daemon,
    Requests,
    all_machines,
    bootstrap_response,
    prepare,
    subprocess_daemon,
    wait_settled,
)
from mulligan.api.control.v1 import control_pb2 as pb  # noqa: E402
from mulligan.api.resource.v1 import resource_pb2 as rpb  # noqa: E402
from mulligan.client import Client  # noqa: E402
from tests.fixtures.etcd import _run_etcd  # noqa: E402
from tests.fixtures.postgres import drop_database, run_cluster  # noqa: E402

CLIENTS_PER_DAEMON = 4
CLAIM_PROVIDERS = 50
# Plenty for every claim of a run: capacity never runs out.
PROVIDER_VCPU = 100_000
PROVIDER_MEMORY_MB = 100_000_000


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def backing_services(root: Path) -> Iterator[tuple[str, str]]:
    """A PostgreSQL cluster's base URL and an etcd endpoint, for the whole run."""
    with contextlib.closing(run_cluster()) as postgres, contextlib.closing(_run_etcd(root, "http")) as etcd:
        yield next(postgres), next(etcd)


def _clear_etcd(endpoint: str) -> None:
    host, port = endpoint.removeprefix("http://").split(":")
    client = etcd3gw.Etcd3Client(host=host, port=int(port), timeout=10, api_path="/v3/")
    try:
        client.delete("\0", range_end="\0")
    finally:
        client.session.close()


@contextlib.contextmanager
def fleet(count: int, root: Path, database_url: str, etcd: str, workers: int) -> Iterator[list[Daemon]]:
    """``count`` daemons on one database and one etcd."""
    settings = {
        "MULLIGAN_DATABASE_URL": database_url,
        "MULLIGAN_ETCD_ENDPOINTS": etcd,
        "MULLIGAN_SECRET_KEY_FILE": str(root / "secret.key"),
    }
    with contextlib.ExitStack() as stack:
        daemons = [
            stack.enter_context(subprocess_daemon(root / f"state{n}", workers, settings=settings)) for n in range(count)
        ]
        yield daemons


def claims_per_s(clients: list[Client], project_id: str, total: int) -> float:
    groups = [
        rpb.RequestGroup(
            resources=[
                rpb.ResourceAmount(resource_class="VCPU", amount=1),
                rpb.ResourceAmount(resource_class="MEMORY_MB", amount=256),
            ]
        )
    ]

    def claim(client: Client) -> None:
        for _ in range(total // len(clients)):
            client.resource.ClaimBest(
                rpb.ClaimBestRequest(
                    consumer_id=str(uuid.uuid4()), project_id=project_id, groups=groups, region="claims"
                )
            )

    started = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(claim, clients))
    return (total // len(clients)) * len(clients) / (time.perf_counter() - started)


def run(count: int, base_url: str, etcd: str, args: argparse.Namespace) -> dict[str, Any]:
    database_url = f"{base_url}/scale_{count}_{uuid.uuid4().hex[:6]}"
    sqlalchemy_utils.create_database(database_url)
    _clear_etcd(etcd)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="mulligan-scaleout-") as tmp,
            fleet(count, Path(tmp), database_url, etcd, args.workers) as daemons,
        ):
            root = Path(tmp)
            response = bootstrap_response(daemons[0].endpoint, root / "state0")
            clients = [
                Client(daemons[n % count].endpoint, token=response.token, timeout=120)
                for n in range(CLIENTS_PER_DAEMON * count)
            ]
            try:
                admin = clients[0]
                admin.resource.CreateRegion(rpb.CreateRegionRequest(name="claims"))
                for n in range(CLAIM_PROVIDERS):
                    admin.resource.CreateProvider(
                        rpb.CreateProviderRequest(
                            region="claims",
                            name=f"claims-{n}",
                            inventories=[
                                rpb.InventorySpec(resource_class="VCPU", total=PROVIDER_VCPU),
                                rpb.InventorySpec(resource_class="MEMORY_MB", total=PROVIDER_MEMORY_MB),
                            ],
                        )
                    )
                claims = claims_per_s(clients, response.project.id, args.claims)
                progress(f"{count} daemon(s): {claims:.0f} claims/s")
                prepare(admin, root, args.hosts, args.machines)
                requests = Requests(clients)
                started = time.time()
                requests.run(args.machines)
                wait_settled(admin)
                machines = [m for m in all_machines(admin) if m.id in requests.began]
            finally:
                for client in clients:
                    client.close()
    finally:
        drop_database(database_url)
    failed = [m for m in machines if m.state != pb.MACHINE_STATE_ACTIVE]
    if failed or len(machines) != args.machines:
        raise SystemExit(f"{len(failed)} machines did not become active, e.g. {failed[0].error if failed else ''}")
    total_s = max(m.updated_at.ToDatetime().timestamp() for m in machines) - started
    figures = {
        "daemons": count,
        "claims_per_s": round(claims, 1),
        "machines_per_s": round(len(machines) / total_s, 1),
        "machines": len(machines),
        "machines_total_s": round(total_s, 3),
        "clients": len(clients),
        "executor_workers_per_daemon": args.workers,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(figures), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--daemons", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--claims", type=int, default=2000, help="ClaimBest calls in total")
    parser.add_argument("--machines", type=int, default=300)
    parser.add_argument("--workers", type=int, default=8, help="executor workers per daemon")
    parser.add_argument("--hosts", type=int, default=4)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="mulligan-scaleout-etcd-") as etcd_root,
        backing_services(Path(etcd_root)) as (base_url, etcd),
    ):
        results = [run(count, base_url, etcd, args) for count in args.daemons]
    print(json.dumps({"runs": results, "cpu_count": os.cpu_count()}))


if __name__ == "__main__":
    main()
