"""The boot endpoint streaming a large image: throughput and mulligand's memory.

Starts mulligand in-process with its boot endpoint on 127.0.0.1, opens a
deploy job for an image file of ``--gib`` GiB (sparse, so it costs no disk),
and lets ``--clients`` separate processes download it at once, as nodes
being deployed do, reading and discarding. Meanwhile it samples the
daemon's resident memory. Goal: the daemon's memory stays flat however
large the image (it is sent from the file to the socket, never held).

    python bench/boot_stream.py --gib 2 --clients 4
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mulligan import config as config_mod  # noqa: E402
from mulligan import daemon as daemon_mod  # noqa: E402

MAC = "52:54:00:be:ec:01"
DOWNLOAD = """
import http.client, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=600)
connection.request("GET", sys.argv[2], headers={"X-Mulligan-MAC": sys.argv[3]})
response = connection.getresponse()
total = 0
while chunk := response.read(1 << 20):
    total += len(chunk)
print(total)
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gib", type=float, default=1.5)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mulligan-bench-boot-"))
    image = workdir / "image.raw"
    with image.open("wb") as out:
        out.truncate(int(args.gib * (1 << 30)))
    config = config_mod.load(
        environ={},
        path=Path(os.devnull),
        overrides={"state_dir": str(workdir / "state"), "listen": "127.0.0.1:0", "boot_listen": "127.0.0.1:0"},
    )
    daemon = daemon_mod.start(config)
    try:
        control = daemon.modules.control
        assert control.boot_endpoint is not None
        with daemon.database.write() as session:
            token = control.boot_jobs.issue(
                session,
                host_id=str(uuid.uuid4()),
                task_id=str(uuid.uuid4()),
                kind="deploy",
                macs=[MAC],
                settings={},
                image_path=str(image),
            )
        # Warm: the first request loads what serving needs.
        connection = http.client.HTTPConnection("127.0.0.1", control.boot_endpoint.port)
        connection.request("HEAD", f"/d/{token}/image", headers={"X-Mulligan-MAC": MAC})
        connection.getresponse().read()
        connection.close()
        before = rss_mb()
        peak = before
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.1):
                peak = max(peak, rss_mb())

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.monotonic()
        clients = [
            subprocess.Popen(
                [sys.executable, "-c", DOWNLOAD, str(control.boot_endpoint.port), f"/d/{token}/image", MAC],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(args.clients)
        ]
        received = [int(client.communicate(timeout=3600)[0].strip() or 0) for client in clients]
        seconds = time.monotonic() - started
        done.set()
        sampler.join()
        size = image.stat().st_size
        print(
            json.dumps(
                {
                    "image_gib": args.gib,
                    "clients": args.clients,
                    "complete": sum(got == size for got in received),
                    "seconds": round(seconds, 2),
                    "mib_per_s": round(size * args.clients / (1 << 20) / seconds, 1),
                    "daemon_rss_before_mb": round(before, 1),
                    "daemon_rss_peak_mb": round(peak, 1),
                    "rss_growth_mb": round(peak - before, 1),
                }
            )
        )
    finally:
        daemon.stop(5)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
