"""How soon a change made through one daemon holds on another sharing its store.

Usage: python bench/propagation.py [--etcd http://127.0.0.1:2379] [--trials N]

Two daemons run in this process on one SQLite file; with ``--etcd`` their
key/value store is that etcd, else the embedded store in the shared file.
Each trial changes something through the first daemon and measures until
the second acts on it:

- revocation: a token revoked through the first is refused by the second
  (each check is a real gRPC call to the second daemon);
- rename: a renamed object's new name is what the second daemon's name
  cache answers.

Goal: both under 1 s at p99. Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mulligan import config as config_mod
from mulligan import daemon as daemon_mod
from mulligan.api.iam.v1 import iam_pb2
from mulligan.client import Client
from mulligan.errors import Unauthenticated
from tests.fixtures.iam import bootstrap, create_project, login, member

DEADLINE_S = 30.0
CHECK_EVERY_S = 0.001


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def until(condition: Callable[[], bool]) -> float:
    """Seconds until condition holds, checked every millisecond (a tighter
    loop would take the interpreter from the daemons it is timing)."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > DEADLINE_S:
            raise SystemExit(f"not propagated after {DEADLINE_S} s")
        time.sleep(CHECK_EVERY_S)
    return time.perf_counter() - started


def start(state: Path, database_url: str, etcd: str | None) -> daemon_mod.Daemon:
    options = {"state_dir": str(state), "listen": "127.0.0.1:0", "database_url": database_url, "log_level": "warning"}
    if etcd:
        options["etcd_endpoints"] = etcd
    return daemon_mod.start(config_mod.load(environ={}, overrides=options, path=Path(os.devnull)))


def refused(client: Client) -> bool:
    try:
        client.iam.ListRoles(iam_pb2.ListRolesRequest())
    except Unauthenticated:
        return True
    return False


def summary(name: str, seconds: list[float]) -> dict[str, float]:
    return {
        f"{name}_p50_ms": round(percentile(seconds, 0.5) * 1000, 1),
        f"{name}_p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
        f"{name}_max_ms": round(max(seconds) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--etcd", help="etcd endpoint; default: the embedded store in the shared database")
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mulligan-bench-") as tmp:
        url = f"sqlite:///{tmp}/shared.db"
        first = start(Path(tmp) / "first", url, args.etcd)
        second = start(Path(tmp) / "second", url, args.etcd)
        try:
            admin = bootstrap(first)
            with admin.client(first) as as_admin:
                project = create_project(as_admin, f"bench-{uuid.uuid4().hex[:8]}")
                user = member(first, as_admin, "bench-user", project, "member")
            revocations = []
            for _ in range(args.trials):
                token = login(first, "bench-user", user.password, project)
                with Client(first.address, token=token) as here, Client(second.address, token=token) as there:
                    assert not refused(there)
                    here.iam.RevokeToken(iam_pb2.RevokeTokenRequest())
                    revocations.append(until(lambda: refused(there)))
            names_here, names_there = first.modules.meta.names, second.modules.meta.names
            renames = []
            for trial in range(args.trials):
                object_id = names_there.resolve("project", None, project)
                names_here.rename("project", object_id, name=f"renamed-{trial}")
                wanted = f"renamed-{trial}"
                renames.append(until(lambda: names_there.get("project", object_id).name == wanted))  # noqa: B023
                project = object_id
        finally:
            second.stop(0)
            first.stop(0)
    result = {
        "backend": "etcd" if args.etcd else "embedded-sqlite",
        "trials": args.trials,
        **summary("revocation", revocations),
        **summary("rename", renames),
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
