"""The deploy ramdisk: its size, and how long a node takes from power-on to
the agent's report under software emulation (TCG).

Builds the ramdisk (or finds it up to date in build/ramdisk), then boots it
``--runs`` times in a QEMU guest (one vCPU, 512 MiB, a virtio disk and NIC)
with an inspect job, and with a deploy job writing a ``--image-mb`` image,
served by a stand-in boot endpoint on 127.0.0.1 (tests/fixtures/ramdisk.py).
Times run from starting QEMU to the report's arrival, and to power-off.

    python bench/ramdisk.py --runs 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fixtures.ramdisk import blank_disk, boot, build_ramdisk, serving  # noqa: E402

MIB = 1 << 20


def one_boot(ramdisk: Path, job: str, image_mb: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="mulligan-bench-ramdisk-") as tmp, serving() as server:
        if job == "deploy":
            image = bytes(range(256)) * (image_mb * MIB // 256)
            server.files["/image"] = image
            server.job(JOB="deploy", IMAGE_URL=server.url("/image"), IMAGE_SHA256=hashlib.sha256(image).hexdigest())
        else:
            server.job(JOB="inspect")
        disk = blank_disk(Path(tmp) / "disk.img", max(64, 2 * image_mb) * MIB)
        result = boot(ramdisk, server, Path(tmp), [disk])
        if len(server.reports) != 1 or server.reports[0]["status"] != "done":
            raise SystemExit(f"{job}: unexpected reports {server.reports}\n{result.console[-3000:]}")
        return server.report_times[0] - result.started, result.ended - result.started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--image-mb", type=int, default=64)
    args = parser.parse_args()
    ramdisk = build_ramdisk()
    manifest = json.loads((ramdisk / "manifest.json").read_text())
    figures: dict[str, object] = {
        "kernel": manifest["kernel_release"],
        "vmlinuz_mb": round(manifest["files"]["vmlinuz"]["size"] / MIB, 2),
        "initrd_mb": round(manifest["files"]["initrd.img"]["size"] / MIB, 2),
        "modules": len(manifest["modules"]),
    }
    for job in ("inspect", "deploy"):
        runs = [one_boot(ramdisk, job, args.image_mb) for _ in range(args.runs)]
        for report_s, off_s in runs:
            print(json.dumps({"job": job, "to_report_s": round(report_s, 1), "to_poweroff_s": round(off_s, 1)}))
        figures[f"{job}_to_report_s"] = round(statistics.median(run[0] for run in runs), 1)
        figures[f"{job}_to_poweroff_s"] = round(statistics.median(run[1] for run in runs), 1)
    figures["image_mb"] = args.image_mb
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
