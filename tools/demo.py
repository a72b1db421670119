"""Mulligan on the embedded defaults, start to finish.

Starts mulligand on a fresh state dir (SQLite, embedded key/value store),
waits until it is healthy, and walks through the main job with the real
CLI against the real daemon. Steps whose module is not present in this
build are reported as skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Demo:
    def __init__(self, state_dir: Path, endpoint: str) -> None:
        self.state_dir = state_dir
        self.endpoint = endpoint
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_")}
        self.env["MULLIGAN_ENDPOINT"] = endpoint
        self.env["MULLIGAN_CONFIG_DIR"] = str(state_dir / "client")
        self.daemon: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.state_dir / "mulligand.log", "wb")  # noqa: SIM115 (lives as long as the daemon)
        self.daemon = subprocess.Popen(
            [str(BIN / "mulligand"), "--listen", self.endpoint, "--state-dir", str(self.state_dir / "daemon")],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while self.mulligan("status", quiet=True) != 0:
            if self.daemon.poll() is not None or time.monotonic() > deadline:
                print((self.state_dir / "mulligand.log").read_text(), file=sys.stderr)
                raise SystemExit("mulligand did not start")
            time.sleep(0.05)

    def mulligan(self, *args: str, quiet: bool = False) -> int:
        if not quiet:
            print(f"\n$ mulligan {' '.join(args)}", flush=True)
        result = subprocess.run(
            [str(BIN / "mulligan"), *args],
            env=self.env,
            check=False,
            stdout=subprocess.DEVNULL if quiet else None,
            stderr=subprocess.DEVNULL if quiet else None,
        )
        return result.returncode

    def step(self, *args: str) -> None:
        if self.mulligan(*args) != 0:
            raise SystemExit(f"demo step failed: mulligan {' '.join(args)}")

    def stop(self) -> None:
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            self.daemon.wait(60)


def _has_command(demo: Demo, *path: str) -> bool:
    return demo.mulligan(*path, "--help", quiet=True) == 0


def run(demo: Demo) -> None:
    print(f"mulligand listening on {demo.endpoint}, state in {demo.state_dir}", flush=True)
    demo.step("status")
    if not _has_command(demo, "bootstrap"):
        print("\n(identity is not part of this build: stopping after the health check)")
        return
    demo.step("bootstrap", "--state-dir", str(demo.state_dir / "daemon"))
    for step in _main_job():
        if _has_command(demo, *step[:2]):
            demo.step(*step)


def _main_job() -> Sequence[tuple[str, ...]]:
    return (
        ("host", "enroll", "hv1", "--uri", "test:///default", "--wait"),
        ("image", "create", "tiny", "--format", "raw", "--source", "volume:demo-image", "--size-gb", "1"),
        ("machine", "create", "web-1", "--vcpus", "1", "--memory-mb", "512", "--disk-gb", "2", "--image", "tiny",
         "--wait"),
        ("machine", "create", "web-2", "--vcpus", "1", "--memory-mb", "512", "--disk-gb", "2", "--image", "tiny",
         "--wait"),
        ("machine", "list"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state-dir", type=Path, help="keep state here (default: a temporary dir)")
    parser.add_argument("--keep-running", action="store_true", help="leave mulligand running at the end")
    args = parser.parse_args()
    state_dir = args.state_dir or Path(tempfile.mkdtemp(prefix="mulligan-demo-"))
    state_dir.mkdir(parents=True, exist_ok=True)
    demo = Demo(state_dir, f"127.0.0.1:{_free_port()}")
    demo.start()
    try:
        run(demo)
    finally:
        if args.keep_running:
            print(f"\nmulligand keeps running (pid {demo.daemon.pid if demo.daemon else '?'}); "
                  f"export MULLIGAN_ENDPOINT={demo.endpoint} MULLIGAN_CONFIG_DIR={state_dir / 'client'}")
        else:
            demo.stop()
            if not args.state_dir:
                shutil.rmtree(state_dir, ignore_errors=True)
    print("\ndemo finished")


if __name__ == "__main__":
    main()
