"""Baremetal machines deployed onto real QEMU nodes at once: time from request to active.

Runs ``test_machines_are_deployed_onto_nodes_in_parallel`` of
tests/functional/test_baremetal_deploy_e2e.py with ``--nodes`` nodes: an
in-process mulligand with its boot endpoint, the nodes behind one IPMI
simulator, each a QEMU guest under software emulation that network-boots
the deploy ramdisk, writes a 1 MiB image and boots it from disk. All
machines are requested at once; then all are decommissioned at once (the
ramdisk boots again to clean each disk). Prints the figures as JSON.

    python bench/deploy.py --nodes 1
    python bench/deploy.py --nodes 4
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST = "tests/functional/test_baremetal_deploy_e2e.py::test_machines_are_deployed_onto_nodes_in_parallel"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mulligan-bench-deploy-") as tmp:
        result = Path(tmp) / "figures.json"
        env = {
            **os.environ,
            "MULLIGAN_BENCH_DEPLOY_NODES": str(args.nodes),
            "MULLIGAN_BENCH_DEPLOY_RESULT": str(result),
        }
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-o", "timeout=3600", TEST],
            check=False,
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        if run.returncode != 0 or not result.exists():
            sys.stderr.write(run.stdout[-4000:] + run.stderr[-2000:])
            return 1
        figures = json.loads(result.read_text())
    figures["load_average"] = [round(value, 1) for value in os.getloadavg()]
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
