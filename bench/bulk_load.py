"""Bulk loading a fleet through LoadFleet.

Builds a flat fleet (bench/fleet_workload.py: 10,000 providers by default,
each about half full of about 12.6 claims, some of them reservations),
starts mulligand as a subprocess on SQLite (or, with ``--postgres``, on a
throwaway PostgreSQL cluster the benchmark starts and removes), bootstraps
it, and loads the fleet through the RPC, ``--batch`` providers and their
claims per call. Then it checks what was stored: as many claims as sent,
and no inventory whose counters differ from a recount of its allocations.
The last line printed is one JSON object with the figures.

    python bench/bulk_load.py --providers 10000 [--postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fleet_workload import flat_fleet, load_over_grpc
from bench.provision import bootstrap_response, subprocess_daemon
from mulligan.client import Client
from mulligan.db import Database
from mulligan.resource import counters
from mulligan.resource.windows import now_us

SEED = 7


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A fresh PostgreSQL cluster on 127.0.0.1, started the way the tests start theirs."""
    from tests.fixtures.ports import free_port
    from tests.fixtures.postgres import _as_postgres_user, _bin_dir

    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="mulligan-bench-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "nobody", "nogroup")
        shutil.chown(sockets, "nobody", "nogroup")
    port = free_port()
    subprocess.run(
        _as_postgres_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-N"]),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off"
    pg_ctl = str(bin_dir / "pg_ctl")
    subprocess.run(
        _as_postgres_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/mulligan"
    finally:
        subprocess.run(
            _as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def stale_counters(database: Database) -> int:
    """Inventories whose counters differ from those recomputed from their allocations."""
    inventories = sa.table(
        "resource_inventories",
        sa.column("provider_id"),
        sa.column("resource_class"),
        sa.column("claimed"),
        sa.column("windowed"),
        sa.column("free"),
    )
    with database.read() as session:
        stored = {(r[0], r[1]): tuple(r[2:]) for r in session.execute(sa.select(inventories))}
    with database.write() as session:
        counters.refresh(session, stored, now_us())
        recounted = {(r[0], r[1]): tuple(r[2:]) for r in session.execute(sa.select(inventories))}
        session.rollback()
    return sum(1 for key, values in stored.items() if recounted[key] != values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=10000, help="flat providers to load (default 10000)")
    parser.add_argument("--batch", type=int, default=1000, help="providers (and their claims) per call")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    fleet = flat_fleet(SEED, args.providers)
    with contextlib.ExitStack() as stack:
        state = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mulligan-bench-")))
        url = stack.enter_context(postgres_cluster()) if args.postgres else f"sqlite:///{state}/mulligan.db"
        daemon = stack.enter_context(subprocess_daemon(state, workers=1, settings={"MULLIGAN_DATABASE_URL": url}))
        response = bootstrap_response(daemon.endpoint, state)
        cpu_before = daemon.cpu_seconds()
        started = time.perf_counter()
        with Client(daemon.endpoint, token=response.token) as client:
            in_calls = load_over_grpc(client, fleet, args.batch, project_id=response.project.id)
        load_s = time.perf_counter() - started
        daemon_cpu_s = daemon.cpu_seconds() - cpu_before
        print(f"loaded in {load_s:.1f}s", file=sys.stderr, flush=True)
        database = Database(url)
        try:
            with database.read() as session:
                stored = session.execute(sa.text("SELECT count(*) FROM resource_consumers")).scalar_one()
            stale = stale_counters(database)
        finally:
            database.dispose()
    print(
        json.dumps(
            {
                "database": "postgresql" if args.postgres else "sqlite",
                "providers": len(fleet.providers),
                "claims": len(fleet.claims),
                "reservations": sum(1 for claim in fleet.claims if claim.start is not None),
                "batch": args.batch,
                "load_s": round(load_s, 2),
                "in_calls_s": round(in_calls, 2),
                "daemon_cpu_s": round(daemon_cpu_s, 2),
                "claims_stored": stored,
                "stale_counters": stale,
            }
        )
    )


if __name__ == "__main__":
    main()
