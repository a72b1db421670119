"""The deploy ramdisk and its agent, booted for real in a QEMU guest.

tests/fixtures/ramdisk.py builds the ramdisk (once per checkout), stands
in for the boot endpoint on 127.0.0.1, and boots the guest with its disks as
files read back here. Each test is one boot: about 25 s on an idle machine.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import struct
import subprocess
import sys
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycdlib
import pytest

from mulligan.executors.seed import build_seed_iso, render_seed_files
from tests.fixtures.ramdisk import (
    BUILD_SCRIPT,
    BootServer,
    Disk,
    Nic,
    RamdiskUnavailable,
    blank_disk,
    boot,
    build_ramdisk,
    serving,
)

MIB = 1 << 20
SECTOR = 512
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMulliganRamdiskTestKey test@mulligan"
LINUX_DATA = uuid.UUID("0fc63daf-8483-4772-8e79-3d69d8477de4")
# A boot takes about 25 s on an idle machine; a loaded one (the rest of the
# suite beside it) may take several times that.
BOOT_DEADLINE_S = 420

pytestmark = [pytest.mark.slow, pytest.mark.timeout(BOOT_DEADLINE_S + 120)]


@pytest.fixture(scope="session")
def ramdisk() -> Path:
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip("needs qemu-system-x86_64 (apt-get install qemu-system-x86)")
    try:
        return build_ramdisk()
    except RamdiskUnavailable as reason:
        pytest.skip(f"the deploy ramdisk cannot be built here: {reason}")


@pytest.fixture
def boot_server() -> Iterator[BootServer]:
    with serving() as server:
        yield server


def run_job(ramdisk: Path, server: BootServer, tmp_path: Path, disks: list[Disk], *nics: Nic, **kw: Any) -> str:
    kw.setdefault("deadline_s", BOOT_DEADLINE_S)
    return boot(ramdisk, server, tmp_path, disks, nics or (Nic("52:54:00:6d:6c:01"),), **kw).console


def only_report(server: BootServer, console: str) -> dict[str, Any]:
    assert len(server.reports) == 1, f"reports: {server.reports}\nconsole:\n{console[-4000:]}"
    return server.reports[0]


def test_a_rebuild_gives_the_same_bytes(ramdisk: Path, tmp_path: Path) -> None:
    again = build_ramdisk(tmp_path / "again", "--force")
    for name in ("vmlinuz", "initrd.img", "manifest.json"):
        assert (again / name).read_bytes() == (ramdisk / name).read_bytes(), name
    manifest = json.loads((ramdisk / "manifest.json").read_text())
    assert sum(facts["size"] for facts in manifest["files"].values()) < 40 * MIB
    assert {"virtio_blk", "virtio_net", "ahci", "nvme", "sd_mod", "e1000e"} <= set(manifest["modules"])
    # Unchanged inputs: the second run leaves the files alone.
    before = (again / "initrd.img").stat().st_mtime_ns
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--output", str(again)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "up to date" in result.stderr
    assert (again / "initrd.img").stat().st_mtime_ns == before


# -- disk images --------------------------------------------------------------------------


def _guid_bytes(value: uuid.UUID) -> bytes:
    return value.bytes_le


def gpt_disk(size: int, partitions: list[tuple[int, int]], seed: int) -> bytearray:
    """A disk image of ``size`` bytes with a GPT holding ``partitions`` (first
    and last sector, type Linux data) and random bytes in each partition."""
    sectors = size // SECTOR
    disk = bytearray(size)
    rng = random.Random(seed)
    for first, last in partitions:
        disk[first * SECTOR : (last + 1) * SECTOR] = rng.randbytes((last - first + 1) * SECTOR)
    entries = bytearray(128 * 128)
    for index, (first, last) in enumerate(partitions):
        name = f"part{index + 1}".encode("utf-16-le").ljust(72, b"\0")
        unique = uuid.UUID(int=rng.getrandbits(128))
        entries[index * 128 : (index + 1) * 128] = (
            _guid_bytes(LINUX_DATA) + _guid_bytes(unique) + struct.pack("<QQQ", first, last, 0) + name
        )

    def header(mine: int, other: int, entries_at: int) -> bytes:
        fields = struct.pack(
            "<8sIIIIQQQQ16sQIII",
            b"EFI PART", 0x00010000, 92, 0, 0, mine, other, 34, sectors - 34,
            uuid.UUID(int=rng.getrandbits(128)).bytes_le, entries_at, 128, 128, zlib.crc32(entries),
        )  # fmt: skip
        crc = zlib.crc32(fields)
        return (fields[:16] + struct.pack("<I", crc) + fields[20:]).ljust(SECTOR, b"\0")

    mbr = bytearray(SECTOR)
    mbr[446:462] = b"\x00\x00\x02\x00\xee\xff\xff\xff" + struct.pack("<II", 1, min(sectors - 1, 0xFFFFFFFF))
    mbr[510:512] = b"\x55\xaa"
    disk[0:SECTOR] = mbr
    disk[SECTOR : 2 * SECTOR] = header(1, sectors - 1, 2)
    disk[2 * SECTOR : 34 * SECTOR] = entries
    disk[(sectors - 33) * SECTOR : (sectors - 1) * SECTOR] = entries
    disk[(sectors - 1) * SECTOR :] = header(sectors - 1, 1, sectors - 33)
    return disk


@dataclass(frozen=True)
class Gpt:
    header: dict[str, int]
    partitions: list[tuple[uuid.UUID, int, int, str]]


def read_gpt(disk: bytes, lba: int) -> Gpt:
    """The GPT header at ``lba`` and its used entries; its checksums verified."""
    raw = disk[lba * SECTOR : lba * SECTOR + 92]
    values = struct.unpack("<8sIIIIQQQQ16sQIII", raw)
    assert values[0] == b"EFI PART", f"no GPT header at sector {lba}"
    assert zlib.crc32(raw[:16] + b"\0\0\0\0" + raw[20:]) == values[3], f"bad header checksum at sector {lba}"
    names = ("my_lba", "alternate_lba", "first_usable", "last_usable")
    header = dict(zip(names, values[5:9], strict=True))
    header["entries_lba"], count, size = values[10:13]
    entries = disk[header["entries_lba"] * SECTOR :][: count * size]
    assert zlib.crc32(entries) == values[13], f"bad entries checksum for the header at sector {lba}"
    partitions = []
    for index in range(count):
        entry = entries[index * size : (index + 1) * size]
        kind = uuid.UUID(bytes_le=bytes(entry[:16]))
        if kind.int:
            first, last = struct.unpack_from("<QQ", entry, 32)
            partitions.append((kind, first, last, entry[56:128].decode("utf-16-le").rstrip("\0")))
    return Gpt(header, partitions)


def iso_user_data(image: bytes) -> str:
    iso = pycdlib.PyCdlib()
    iso.open_fp(io.BytesIO(image))
    try:
        out = io.BytesIO()
        iso.get_file_from_iso_fp(out, rr_path="/user-data")
        return out.getvalue().decode()
    finally:
        iso.close()


def seed_iso() -> bytes:
    files = render_seed_files(instance_id=str(uuid.uuid4()), hostname="node-1", ssh_keys=[SSH_KEY])
    return build_seed_iso(files)


# -- inspect ---------------------------------------------------------------------------------


def test_inspect_reports_disks_nics_cpus_and_memory_and_retries_its_report(
    ramdisk: Path, boot_server: BootServer, tmp_path: Path
) -> None:
    boot_server.job(JOB="inspect", AFTER="poweroff")
    boot_server.unavailable_reports = 1
    root = blank_disk(tmp_path / "root.img", 64 * MIB)
    sata = Disk(blank_disk(tmp_path / "sata.img", 32 * MIB).path, serial="MLG-SATA-2", bus="sata")
    nics = (Nic("52:54:00:6d:6c:01"), Nic("52:54:00:6d:6c:02", model="e1000e"))

    console = run_job(ramdisk, boot_server, tmp_path, [root, sata], *nics, memory_mb=512, cpus=2)

    report = only_report(boot_server, console)
    assert report["status"] == "done" and report["job"] == "inspect", report
    assert report["mac"] == "52:54:00:6d:6c:01"
    inventory = report["inventory"]
    assert inventory["arch"] == "x86_64"
    assert inventory["cpus"] == 2
    assert inventory["memory_mb"] == 512
    disks = {disk["name"]: disk for disk in inventory["disks"]}
    assert set(disks) == {"vda", "sda"}, disks
    assert (disks["vda"]["size_bytes"], disks["vda"]["serial"]) == (64 * MIB, root.serial)
    assert (disks["sda"]["size_bytes"], disks["sda"]["serial"]) == (32 * MIB, "MLG-SATA-2")
    assert disks["sda"]["model"] == "QEMU HARDDISK"
    assert all(isinstance(disk["rotational"], bool) for disk in disks.values())
    assert {(nic["mac"], nic["driver"]) for nic in inventory["nics"]} == {
        ("52:54:00:6d:6c:01", "virtio_net"),
        ("52:54:00:6d:6c:02", "e1000e"),
    }
    # The first report met a 503 and was sent again; every request named the node.
    posts = [request for request in boot_server.requests if request.method == "POST"]
    assert len(posts) == 2
    assert {request.headers.get("X-Mulligan-MAC") for request in boot_server.requests} == {"52:54:00:6d:6c:01"}
    assert posts[-1].headers["Content-Type"] == "application/json"


# -- deploy ---------------------------------------------------------------------------------


def test_deploy_streams_a_gpt_image_to_the_largest_disk_and_adds_the_config_drive(
    ramdisk: Path, boot_server: BootServer, tmp_path: Path
) -> None:
    image = bytes(gpt_disk(8 * MIB, [(2048, 12287), (12288, 16000)], seed=1))
    digest = hashlib.sha256(image).hexdigest()
    drive = seed_iso()
    boot_server.files.update({"/image": image, "/config-drive": drive})
    boot_server.job(
        JOB="deploy",
        IMAGE_URL=boot_server.url("/image"),
        IMAGE_SHA256=digest.upper(),
        IMAGE_FORMAT="raw",
        ROOT_DISK="",
        CONFIG_DRIVE_URL=boot_server.url("/config-drive"),
    )
    root = blank_disk(tmp_path / "root.img", 64 * MIB)
    other = blank_disk(tmp_path / "other.img", 16 * MIB)

    console = run_job(ramdisk, boot_server, tmp_path, [other, root])

    report = only_report(boot_server, console)
    assert report["status"] == "done", report
    assert (report["image_sha256"], report["root_disk"]) == (digest, "vdb")
    disk = root.path.read_bytes()
    # The image's bytes are all there except its partition table's copies,
    # which now describe the larger disk.
    assert disk[34 * SECTOR : len(image) - 33 * SECTOR] == image[34 * SECTOR : -33 * SECTOR]
    assert disk[:446] == image[:446]
    sectors = len(disk) // SECTOR
    primary, backup = read_gpt(disk, 1), read_gpt(disk, sectors - 1)
    assert primary.partitions == backup.partitions
    assert (primary.header["alternate_lba"], backup.header["alternate_lba"]) == (sectors - 1, 1)
    assert primary.header["last_usable"] == sectors - 34
    assert primary.partitions[:2] == read_gpt(image, 1).partitions
    kind, first, last, name = primary.partitions[2]
    assert (kind, name) == (LINUX_DATA, "config-drive")
    assert first % 2048 == 0 and primary.header["last_usable"] - 2048 < last <= primary.header["last_usable"]
    written = disk[first * SECTOR : (last + 1) * SECTOR]
    assert written[: len(drive)] == drive
    assert SSH_KEY in iso_user_data(written)
    assert struct.unpack_from("<I", disk, 458)[0] == sectors - 1
    # The smaller disk was not the root disk and stays untouched.
    assert other.path.read_bytes() == bytes(16 * MIB)


def test_deploy_to_the_disk_named_by_serial_with_an_mbr_image(
    ramdisk: Path, boot_server: BootServer, tmp_path: Path
) -> None:
    rng = random.Random(2)
    image = bytearray(rng.randbytes(4 * MIB))
    image[446:512] = bytes(64) + b"\x55\xaa"
    # One partition, from 1 MiB to the image's end.
    image[446:462] = b"\x80\x20\x21\x00\x83\xfe\xff\xff" + struct.pack("<II", 2048, 4 * MIB // SECTOR - 2048)
    digest = hashlib.sha256(image).hexdigest()
    drive = seed_iso()
    boot_server.files.update({"/image": bytes(image), "/config-drive": drive})
    target = blank_disk(tmp_path / "target.img", 24 * MIB)
    larger = blank_disk(tmp_path / "larger.img", 32 * MIB)
    boot_server.job(
        JOB="deploy",
        IMAGE_URL=boot_server.url("/image"),
        IMAGE_SHA256=digest,
        ROOT_DISK=f"serial:{target.serial}",
        CONFIG_DRIVE_URL=boot_server.url("/config-drive"),
    )

    console = run_job(ramdisk, boot_server, tmp_path, [larger, target])

    report = only_report(boot_server, console)
    assert (report["status"], report["root_disk"], report["image_sha256"]) == ("done", "vdb", digest), report
    disk = target.path.read_bytes()
    # Exactly the image, but for the second partition slot, which now holds the config drive.
    slot = disk[462:478]
    assert slot[4] == 0x83
    first, count = struct.unpack_from("<II", slot, 8)
    expected = bytearray(image)
    expected[462:478] = slot
    assert hashlib.sha256(disk[: len(image)]).hexdigest() == hashlib.sha256(expected).hexdigest()
    assert first % 2048 == 0 and first * SECTOR >= len(image) and (first + count) * SECTOR <= len(disk)
    assert disk[first * SECTOR :][: len(drive)] == drive
    assert larger.path.read_bytes() == bytes(32 * MIB)


def test_deploy_reports_a_checksum_mismatch_and_leaves_nothing_bootable(
    ramdisk: Path, boot_server: BootServer, tmp_path: Path
) -> None:
    image = bytearray(gpt_disk(4 * MIB, [(2048, 8000)], seed=3))
    digest = hashlib.sha256(image).hexdigest()
    image[3 * MIB] ^= 0xFF  # corrupted on the way
    boot_server.files["/image"] = bytes(image)
    boot_server.job(JOB="deploy", IMAGE_URL=boot_server.url("/image"), IMAGE_SHA256=digest)
    root = blank_disk(tmp_path / "root.img", 16 * MIB)

    console = run_job(ramdisk, boot_server, tmp_path, [root])

    report = only_report(boot_server, console)
    assert report["status"] == "failed", report
    assert "checksum mismatch" in report["reason"] and digest in report["reason"]
    assert hashlib.sha256(image).hexdigest() in report["reason"]
    assert root.path.read_bytes()[:MIB] == bytes(MIB)


def test_deploy_reports_an_image_larger_than_the_disk(ramdisk: Path, boot_server: BootServer, tmp_path: Path) -> None:
    image = random.Random(4).randbytes(12 * MIB)
    boot_server.files["/image"] = image
    boot_server.job(JOB="deploy", IMAGE_URL=boot_server.url("/image"), IMAGE_SHA256=hashlib.sha256(image).hexdigest())
    root = blank_disk(tmp_path / "root.img", 8 * MIB)

    console = run_job(ramdisk, boot_server, tmp_path, [root])

    report = only_report(boot_server, console)
    assert report["status"] == "failed", report
    assert "writing the image to /dev/vda failed" in report["reason"]
    assert "No space left on device" in report["reason"]


# -- clean ---------------------------------------------------------------------------------


@pytest.mark.parametrize("wipe", ["metadata", "full"])
def test_clean_wipes_the_disks(ramdisk: Path, boot_server: BootServer, tmp_path: Path, wipe: str) -> None:
    size = 24 * MIB
    partitions = [(2048, 20479), (20480, size // SECTOR - 34)]
    disks: list[Disk] = []
    for name in ("first", "second"):
        disk = blank_disk(tmp_path / f"{name}.img", size)
        disk.path.write_bytes(gpt_disk(size, partitions, seed=len(disks)))
        disks.append(disk)
    boot_server.job(JOB="clean", WIPE=wipe)

    console = run_job(ramdisk, boot_server, tmp_path, disks)

    report = only_report(boot_server, console)
    assert (report["status"], report["wipe"], report["disks"]) == ("done", wipe, ["vda", "vdb"]), report
    for disk in disks:
        data = disk.path.read_bytes()
        if wipe == "full":
            assert data == bytes(size)
            continue
        # Both partition tables, and each partition's first and last MiB.
        assert data[:MIB] == bytes(MIB) and data[-MIB:] == bytes(MIB)
        for first, last in partitions:
            start, end = first * SECTOR, (last + 1) * SECTOR
            assert data[start : start + MIB] == bytes(MIB) and data[end - MIB : end] == bytes(MIB)
        # In between, the data is left: a metadata wipe is quick, not thorough.
        original = gpt_disk(size, partitions, seed=disks.index(disk))
        middle = slice(2048 * SECTOR + MIB, 20480 * SECTOR - MIB)
        assert data[middle] == original[middle]
