"""The RPC fuzz at length: many more examples than CI runs, a new seed each run.

For each service, an in-process daemon with objects of every kind (see
tests/fixtures/fuzz.py), then ``--examples`` hypothesis examples per RPC
from three callers. Problems (INTERNAL, UNKNOWN, a stall, a broken policy
rule, a traceback in the daemon's log) are collected instead of stopping
the run; the exit status is 1 when there was any.

Prints one JSON object as the last line: examples run, counts per status
(and per request form and caller), problems with the request that caused
each, seconds, the seed. Re-run a failing seed with ``--seed``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mulligan import config as config_mod  # noqa: E402
from mulligan import daemon as daemon_mod  # noqa: E402
from tests.fixtures.fuzz import Case, ErrorLog, World, explore, rpcs, services  # noqa: E402

# Problems kept in full; the rest are counted.
KEPT_PROBLEMS = 25


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300, help="examples per RPC (CI runs 20)")
    parser.add_argument("--seed", type=int, help="hypothesis seed (default: a new one, printed)")
    parser.add_argument("--service", action="append", help="only this service (full name; may repeat)")
    parser.add_argument("--rpc", action="append", help="only RPCs with this name (may repeat)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a PostgreSQL server (postgresql+psycopg://user@127.0.0.1:port) to use instead of SQLite; "
        "each service gets a new database on it",
    )
    return parser.parse_args()


def _start(state_dir: Path, database_url: str | None) -> daemon_mod.Daemon:
    overrides: dict[str, object] = {
        "state_dir": str(state_dir),
        "listen": "127.0.0.1:0",
        "log_level": "warning",
        "power_sync_interval_s": 3600,
        "shutdown_grace_s": 5,
    }
    if database_url:
        overrides["database_url"] = database_url
    return daemon_mod.start(config_mod.load(environ={}, overrides=overrides, path=Path(os.devnull)))


def main() -> int:
    args = _arguments()
    chosen_seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    # The daemon's log goes only to the collector of tracebacks: fuzzed
    # Configure calls turn its levels up and down as the run goes.
    errors = ErrorLog()
    logging.getLogger("mulligan").addHandler(errors)
    logging.getLogger("mulligan").propagate = False

    statuses: Counter[str] = Counter()
    by_form: Counter[str] = Counter()
    by_caller: Counter[str] = Counter()
    problems: list[dict[str, str]] = []
    problem_count = 0
    renewals = 0
    succeeded: set[str] = set()
    never_ok: list[str] = []
    per_service: dict[str, dict[str, float]] = {}
    started = time.monotonic()

    def on_problem(case: Case, problem: str) -> None:
        nonlocal problem_count
        problem_count += 1
        if len(problems) < KEPT_PROBLEMS:
            problems.append({"problem": problem[:500], "case": repr(case)})

    for service in args.service or services():
        chosen = [rpc for rpc in rpcs(service) if not args.rpc or rpc.name in args.rpc]
        if not chosen:
            continue
        streams = {rpc.path for rpc in chosen if rpc.streaming}
        service_started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="mulligan-fuzz-") as tmp:
            database = f"{args.postgres.rstrip('/')}/fuzz_{uuid.uuid4().hex[:12]}" if args.postgres else None
            daemon = _start(Path(tmp) / "state", database)
            try:
                world = World(daemon, Path(tmp))
                fuzz_started = time.monotonic()
                for rpc in chosen:
                    explore(world, rpc, max_examples=args.examples, random_seed=chosen_seed, on_problem=on_problem)
                    for line in errors.take():
                        on_problem(Case(rpc, "log", b"", None), f"traceback logged: {line}")
                health = world.serving()
                if set(health.values()) != {"SERVING"}:
                    on_problem(Case(chosen[-1], "health", b"", None), f"not serving after the fuzz: {health}")
                for (path, form, caller, status), count in world.outcomes.items():
                    if status == "OK" or (status == "DEADLINE_EXCEEDED" and path in streams):
                        succeeded.add(path)
                    statuses[status] += count
                    by_form[f"{form} {status}"] += count
                    by_caller[f"{caller} {status}"] += count
                renewals += world.renewals
                never_ok += [rpc.path for rpc in chosen if rpc.path not in succeeded]
                per_service[service] = {
                    "examples": world.examples,
                    "fuzz_s": round(time.monotonic() - fuzz_started, 1),
                    "setup_s": round(fuzz_started - service_started, 1),
                }
                print(f"{service}: {json.dumps(per_service[service])}", flush=True)
                world.close()
            finally:
                daemon.stop(5)

    examples = sum(statuses.values())
    seconds = time.monotonic() - started
    print(
        json.dumps(
            {
                "seed": chosen_seed,
                "examples_per_rpc": args.examples,
                "examples": examples,
                "seconds": round(seconds, 1),
                "examples_per_s": round(examples / seconds, 1) if seconds else 0,
                "statuses": dict(statuses.most_common()),
                "by_form": dict(sorted(by_form.items())),
                "by_caller": dict(sorted(by_caller.items())),
                "caller_renewals": renewals,
                # Methods no request got through: the fuzz reached only their validation.
                "never_ok": never_ok,
                "services": per_service,
                "problem_count": problem_count,
                "problems": problems,
            }
        )
    )
    return 1 if problem_count else 0


if __name__ == "__main__":
    sys.exit(main())
