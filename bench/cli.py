"""How long the ``mulligan`` CLI takes, as a user runs it: a new process each time.

Times ``mulligan --help`` and ``mulligan machine list`` (against a local
daemon with an empty state dir, bootstrapped first; plaintext on
loopback), several runs each, wall clock from exec to exit, with the
modules compiled beforehand as an installed package has them; and, as the
floor on a loaded machine, a bare ``python -c pass``. Prints one JSON
object a run, then a summary as the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MULLIGAN = Path(sys.executable).parent / "mulligan"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - started


def _serving(argv: list[str], env: dict[str, str]) -> bool:
    return subprocess.run([*argv, "status"], env=env, capture_output=True, check=False).returncode == 0


def measure(runs: int) -> dict[str, object]:
    state = tempfile.mkdtemp(prefix="mulligan-bench-cli-")
    config = tempfile.mkdtemp(prefix="mulligan-bench-cli-config-")
    endpoint = f"127.0.0.1:{_free_port()}"
    # An installed package comes with its modules compiled: a shell that
    # says not to write bytecode would time compiling them on every run.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(REPO), MULLIGAN_CONFIG_DIR=config)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "mulligan")], env=env, check=True)
    daemon = subprocess.Popen(
        [sys.executable, "-m", "mulligan.daemon", "--listen", endpoint, "--state-dir", state],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    cli = [str(MULLIGAN), "--endpoint", endpoint]
    try:
        deadline = time.monotonic() + 60
        while not _serving(cli, env):
            if time.monotonic() > deadline or daemon.poll() is not None:
                raise SystemExit("mulligand did not start")
        subprocess.run(
            [*cli, "bootstrap", "--state-dir", state, "--admin-password", "bench-password-1"],
            env=env,
            capture_output=True,
            check=True,
        )
        python_s = [_timed([sys.executable, "-c", "pass"], env) for _ in range(runs)]
        help_s = [_timed([str(MULLIGAN), "--help"], env) for _ in range(runs)]
        list_s = [_timed([*cli, "machine", "list"], env) for _ in range(runs)]
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(60)
    return {"python_s": python_s, "help_s": help_s, "list_s": list_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    found = measure(args.runs)
    for name in ("python_s", "help_s", "list_s"):
        for value in found[name]:  # type: ignore[attr-defined]
            print(json.dumps({"command": name.removesuffix("_s"), "seconds": round(value, 3)}))
    summary: dict[str, object] = {"runs": args.runs}
    for name in ("python_s", "help_s", "list_s"):
        values: list[float] = found[name]  # type: ignore[assignment]
        summary[f"{name.removesuffix('_s')}_median_s"] = round(statistics.median(values), 3)
        summary[f"{name.removesuffix('_s')}_best_s"] = round(min(values), 3)
        summary[f"{name.removesuffix('_s')}_worst_s"] = round(max(values), 3)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
