"""Decommissioned machines' volumes are wiped before they are deleted.

The volumes live in a directory pool of a private libvirt daemon, as on a
real hypervisor. The test keeps each volume's file open across the
decommission: once the file is deleted, the open descriptor still reads
the bytes its blocks held, which is what the next owner of those blocks
could have read. Wiped, they are zeros.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.libvirtd import SessionLibvirtd

libvirt = pytest.importorskip("libvirt")

from mulligan.executors import LibvirtDriver, MachineRef  # noqa: E402
from mulligan.executors.libvirt import domain_xml  # noqa: E402

POOL = "tenant-disks"
MIB = 1024 * 1024
SECRET = b"tenant data that must not outlive the machine\n"


@pytest.fixture
def dir_pool(session_libvirtd: SessionLibvirtd) -> Iterator[tuple[str, Any]]:
    """(hypervisor URI, a directory pool on it)."""
    path = session_libvirtd.workdir / "pool"
    path.mkdir()
    if os.geteuid() == 0:
        # The session daemon runs as nobody and must write there.
        shutil.chown(path, "nobody", "nogroup")
    uri = session_libvirtd.qemu_uri
    conn = libvirt.open(uri)
    try:
        pool = conn.storagePoolCreateXML(
            f"<pool type='dir'><name>{POOL}</name><target><path>{path}</path></target></pool>", 0
        )
        yield uri, pool
    finally:
        conn.close()


def _volume_with_secret(pool: Any, name: str, fmt: str, capacity: int) -> Any:
    volume = pool.createXML(
        f"<volume><name>{name}</name><capacity>{capacity}</capacity><target><format type='{fmt}'/></target></volume>",
        0,
    )
    with open(volume.path(), "r+b") as content:
        # Past a qcow2 header, where a guest's writes land.
        content.seek(MIB // 2)
        content.write(SECRET * 64)
    return volume


def test_decommission_wipes_the_disk_and_the_seed_before_deleting_them(dir_pool: tuple[str, Any]) -> None:
    uri, pool = dir_pool
    machine_id = str(uuid.uuid4())
    volumes = [
        _volume_with_secret(pool, domain_xml.disk_volume_name(machine_id), "qcow2", 4 * MIB),
        _volume_with_secret(pool, domain_xml.seed_volume_name(machine_id), "raw", MIB),
    ]
    paths = [Path(volume.path()) for volume in volumes]
    held = [os.open(path, os.O_RDONLY) for path in paths]
    try:
        for fd in held:
            assert SECRET in os.pread(fd, 4 * MIB, 0), "the test wrote its data"
        driver = LibvirtDriver()
        try:
            driver.decommission(MachineRef(machine_id=machine_id, host_uri=uri, pool=POOL))
        finally:
            driver.close()
        assert pool.listVolumes() == []
        assert not any(path.exists() for path in paths)
        for path, fd in zip(paths, held, strict=True):
            left = os.pread(fd, 4 * MIB, 0)
            assert SECRET not in left, f"{path.name} was deleted with its data"
            assert left.count(0) == len(left), f"{path.name} still holds non-zero bytes"
    finally:
        for fd in held:
            os.close(fd)
