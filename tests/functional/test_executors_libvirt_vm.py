"""A real virtual machine: the libvirt driver against qemu:///session.

The session daemon runs as an unprivileged user (``nobody`` when the suite
runs as root: as root the session URI would reach the system daemon), with
software emulation, since /dev/kvm is root-only here. The test talks to it
through the daemon's socket, as an executor talks to a remote hypervisor.

The guest is a one-sector disk image built here: a boot sector that prints
a marker on the serial port about once a second and halts in between, so
reading the marker from the domain's console proves the guest really runs.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pycdlib
import pytest

from tests.fixtures.libvirtd import SessionLibvirtd

libvirt = pytest.importorskip("libvirt")

from mulligan.executors import LibvirtDriver, MachineSpec, PowerState  # noqa: E402
from tests.fixtures.boot_disk import MARKER, boot_sector  # noqa: E402

APT_PACKAGES = "libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86"


@dataclass
class SessionHypervisor:
    uri: str
    workdir: Path


@pytest.fixture
def session_hypervisor(request: pytest.FixtureRequest) -> SessionHypervisor:
    if shutil.which("qemu-system-x86_64") is None:
        pytest.skip(f"needs libvirtd and qemu-system-x86_64 (apt-get install {APT_PACKAGES})")
    daemon: SessionLibvirtd = request.getfixturevalue("session_libvirtd")
    return SessionHypervisor(uri=daemon.qemu_uri, workdir=daemon.workdir)


def read_console_until(conn: Any, domain: Any, marker: bytes, timeout: float) -> bytes:
    stream = conn.newStream(0)
    domain.openConsole(None, stream, 0)
    received = bytearray()
    seen = threading.Event()

    def read() -> None:
        while not seen.is_set():
            try:
                data = stream.recv(4096)
            except libvirt.libvirtError:
                return
            if not isinstance(data, bytes) or not data:
                return
            received.extend(data)
            if marker in received:
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen.wait(timeout)
    with contextlib.suppress(libvirt.libvirtError):
        stream.abort()
    reader.join(timeout=5)
    return bytes(received)


def download(conn: Any, volume: Any) -> bytes:
    stream = conn.newStream(0)
    volume.download(stream, 0, 0, 0)
    chunks = []
    while chunk := stream.recv(256 * 1024):
        if not isinstance(chunk, bytes):
            break
        chunks.append(chunk)
    stream.finish()
    return b"".join(chunks)


def seed_meta_data(image: bytes) -> str:
    iso = pycdlib.PyCdlib()
    iso.open_fp(io.BytesIO(image))
    out = io.BytesIO()
    iso.get_file_from_iso_fp(out, rr_path="/meta-data")
    iso.close()
    return out.getvalue().decode()


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_real_vm_boots_under_qemu_session(session_hypervisor: SessionHypervisor) -> None:
    uri = session_hypervisor.uri
    conn = libvirt.open(uri)
    driver = LibvirtDriver()
    try:
        pool = conn.storagePoolDefineXML(
            f"<pool type='dir'><name>default</name><target><path>{session_hypervisor.workdir / 'pool'}</path>"
            "</target></pool>",
            0,
        )
        pool.build(0)
        pool.create(0)
        disk_image = boot_sector().ljust(1024 * 1024, b"\0")
        image = pool.createXML(
            f"<volume><name>halt.img</name><capacity>{len(disk_image)}</capacity>"
            "<target><format type='raw'/></target></volume>",
            0,
        )
        stream = conn.newStream(0)
        image.upload(stream, 0, len(disk_image), 0)
        stream.send(disk_image)
        stream.finish()

        facts = driver.inspect(uri)
        assert facts.hypervisor == "QEMU"
        assert facts.pool == "default"
        assert facts.arch == "x86_64"
        assert "HW_ARCH_X86_64" in facts.traits
        assert facts.cpus >= 1
        assert facts.memory_mb > 0

        spec = MachineSpec(
            machine_id=str(uuid.uuid4()),
            host_uri=uri,
            vcpus=1,
            memory_mb=64,
            disk_gb=1,
            image_source="halt.img",
            image_format="raw",
            hostname="tiny",
            ssh_keys=("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample tenant@laptop",),
        )
        result = driver.provision(spec)
        assert result.state is PowerState.RUNNING
        domain = conn.lookupByName(result.domain)
        assert ET.fromstring(domain.XMLDesc()).get("type") == "qemu"

        output = read_console_until(conn, domain, MARKER, timeout=60)
        assert MARKER in output, f"the guest printed {output[-200:]!r}"
        assert driver.power_state(spec) is PowerState.RUNNING

        # The seed reached the host intact.
        seed = download(conn, pool.storageVolLookupByName(result.seed_volume))
        assert f'"instance-id": "{spec.machine_id}"' in seed_meta_data(seed)

        assert driver.provision(spec).steps == ()

        driver.decommission(spec)
        assert driver.power_state(spec) is PowerState.ABSENT
        assert {v.name() for v in pool.listAllVolumes()} == {"halt.img"}
    finally:
        for leftover in conn.listAllDomains():
            if leftover.isActive():
                leftover.destroy()
        driver.close()
        conn.close()
