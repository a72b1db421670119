"""qcow2 images made raw for the deploy ramdisk, with the real qemu-img."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from mulligan.executors import DriverError
from mulligan.executors.deploy_images import DeployImage, deploy_image

CONTENT = bytes(range(1, 256)) * 4112  # 1 MiB and a bit, no zero byte


@pytest.fixture
def qcow2(tmp_path: Path) -> Path:
    if shutil.which("qemu-img") is None:
        pytest.skip("needs qemu-img (apt-get install qemu-utils)")
    raw = tmp_path / "source.raw"
    raw.write_bytes(CONTENT[: len(CONTENT) // 512 * 512])
    image = tmp_path / "source.qcow2"
    done = subprocess.run(
        ["qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(raw), str(image)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return image


def test_two_deploys_of_one_image_at_once_share_one_conversion(qcow2: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    results: list[DeployImage] = []
    start = threading.Barrier(2)

    def deploy() -> None:
        start.wait(timeout=30)
        results.append(deploy_image(qcow2, "qcow2", cache_dir=cache))

    threads = [threading.Thread(target=deploy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2 and results[0] == results[1]
    expected = (tmp_path / "source.raw").read_bytes()
    assert results[0].path.read_bytes() == expected
    assert (results[0].sha256, results[0].size) == (hashlib.sha256(expected).hexdigest(), len(expected))
    assert [path.name for path in cache.iterdir()] == [f"{hashlib.sha256(qcow2.read_bytes()).hexdigest()}.raw"]
    assert results[0].path.stat().st_mode & 0o077 == 0


def test_a_partial_file_of_a_dead_conversion_is_never_served_and_goes_away(qcow2: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    source_sha256 = hashlib.sha256(qcow2.read_bytes()).hexdigest()
    # A daemon killed mid-conversion: its process is gone, its partial file stays.
    dead = subprocess.Popen(["true"])
    dead.wait(timeout=30)
    abandoned = cache / f".{source_sha256}.{dead.pid}.abc123.part"
    abandoned.write_bytes(b"half")
    # One of a conversion still running in this process is left alone.
    running = cache / f".{source_sha256}.{os.getpid()}.def456.part"
    running.write_bytes(b"half")

    image = deploy_image(qcow2, "qcow2", cache_dir=cache)
    assert image.path.read_bytes() == (tmp_path / "source.raw").read_bytes()
    assert not abandoned.exists() and running.exists()


def test_a_file_that_is_not_qcow2_is_refused_without_a_trace(tmp_path: Path) -> None:
    if shutil.which("qemu-img") is None:
        pytest.skip("needs qemu-img (apt-get install qemu-utils)")
    raw = tmp_path / "not.qcow2"
    raw.write_bytes(CONTENT)
    cache = tmp_path / "cache"
    with pytest.raises(DriverError, match="is not a usable qcow2 image"):
        deploy_image(raw, "qcow2", cache_dir=cache)
    assert not cache.exists()
