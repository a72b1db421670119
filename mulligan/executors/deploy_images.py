"""The bytes a deploy ramdisk writes onto a node's disk, and their checksum.

The ramdisk streams an image raw onto the disk and has no ``qemu-img``, so
what it fetches must already be raw. A raw image file is served as it is. A
qcow2 image is converted here, once, into ``<cache>/<SHA-256 of the qcow2
file>.raw``: a changed source has another name and gets its own conversion,
an unchanged one is reused by every later deploy.

A qcow2 file names other files it reads from (a backing file, an external
data file): an image that does is refused, so that a crafted image never
makes the daemon read, and then serve to a node, files it was not given.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mulligan.executors.drivers import DriverError, TransientDriverError

log = logging.getLogger("mulligan.executors")

QEMU_IMG = "qemu-img"
# qemu-img reads a header for info: a minute means it is stuck.
INFO_TIMEOUT_S = 60.0
# A conversion runs at disk speed; an hour covers images far larger than a
# node's system disk, and ends a conversion stuck on a hung filesystem.
CONVERT_TIMEOUT_S = 3600.0
_HASH_CHUNK = 1 << 20
_MAX_TOOL_MESSAGE = 300
_PARTIAL_SUFFIX = ".part"
_CACHE_SUFFIX = ".raw"

# One conversion of an image at a time in this process: a second deploy of
# the same image waits for the first and reuses its file.
_conversions_lock = threading.Lock()
_conversions: dict[str, threading.Lock] = {}


@dataclass(frozen=True)
class DeployImage:
    # The raw file the boot endpoint serves.
    path: Path
    sha256: str
    size: int


def deploy_image(source: Path, image_format: str, *, cache_dir: Path | None, disk_bytes: int = 0) -> DeployImage:
    """The raw file to serve for the image at ``source``, converting a qcow2
    image into ``cache_dir`` when it is not there yet.

    ``disk_bytes`` is the node's disk size (0: unknown, not checked); a
    qcow2 image whose disk is larger is refused.
    """
    if image_format == "raw":
        sha256, size = checksum(source)
        return DeployImage(source, sha256, size)
    if image_format != "qcow2":
        raise DriverError(f"a {image_format[:32]!r} image cannot be written onto a node: raw or qcow2 only")
    if cache_dir is None:
        raise DriverError("this daemon has no directory to convert qcow2 images in: deploy a raw image")
    if not source.is_absolute():
        # qemu-img reads some relative names ("json:{...}", "nbd:...") as other sources than a file.
        raise DriverError(f"image {str(source)[:255]!r} is not an absolute path")
    before = _identity(source)
    source_sha256, _ = checksum(source)
    cached = cache_dir / f"{source_sha256}{_CACHE_SUFFIX}"
    with _conversion_lock(source_sha256):
        if not cached.exists():
            try:
                _convert(source, cached, before=before, disk_bytes=disk_bytes)
            except OSError as exc:
                raise DriverError(f"converting image {source} to raw failed: {exc.strerror or exc}") from None
    # Checked on a reused file too: this node may be smaller than the last one.
    _check_fits(source, _identity(cached)[2], disk_bytes)
    sha256, size = checksum(cached)
    return DeployImage(cached, sha256, size)


def checksum(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file (read in chunks)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as image:
            while chunk := image.read(_HASH_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise DriverError(f"image {path} cannot be read: {exc.strerror or exc}") from None
    return digest.hexdigest(), size


@contextlib.contextmanager
def _conversion_lock(key: str) -> Iterator[None]:
    with _conversions_lock:
        lock = _conversions.setdefault(key, threading.Lock())
    with lock:
        yield


def _convert(source: Path, target: Path, *, before: tuple[int, int, int, int], disk_bytes: int) -> None:
    info = _qcow2_info(source)
    if info.get("backing-filename") or info.get("full-backing-filename"):
        raise DriverError(f"image {source} has a backing file: only a self-contained qcow2 image is deployed")
    specific = info.get("format-specific")
    data = specific.get("data") if isinstance(specific, dict) else None
    if isinstance(data, dict) and data.get("data-file"):
        raise DriverError(f"image {source} has an external data file: only a self-contained qcow2 image is deployed")
    virtual_size = info.get("virtual-size")
    if not isinstance(virtual_size, int) or isinstance(virtual_size, bool) or virtual_size <= 0:
        raise DriverError(f"image {source}: qemu-img reports no virtual size")
    _check_fits(source, virtual_size, disk_bytes)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_abandoned(target.parent)
    # Beside its final name, so that the rename into place is atomic: the
    # cache never holds a half-converted file under a name that is served.
    fd, partial_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}.{os.getpid()}.", suffix=_PARTIAL_SUFFIX
    )
    os.close(fd)
    partial = Path(partial_name)
    try:
        _run(
            [QEMU_IMG, "convert", "-q", "-f", "qcow2", "-O", "raw", str(source), str(partial)],
            CONVERT_TIMEOUT_S,
            f"converting image {source} to raw",
        )
        if _identity(source) != before:
            raise TransientDriverError(f"image {source} changed while it was converted")
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fchmod(fd, 0o600)
            # qemu-img does not flush what it writes: a crash after the
            # rename must not leave a file that is short of its data.
            os.fsync(fd)
        finally:
            os.close(fd)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)
    log.info(
        "qcow2 image converted for deploys",
        extra={"image": str(source), "raw": str(target), "virtual_size": virtual_size},
    )


def _qcow2_info(source: Path) -> dict[str, object]:
    # The format is given, never probed: a raw file that looks like qcow2
    # must not be read as one.
    out = _run(
        [QEMU_IMG, "info", "--output=json", "-f", "qcow2", str(source)],
        INFO_TIMEOUT_S,
        f"image {source} is not a usable qcow2 image",
    )
    try:
        info = json.loads(out)
    except ValueError:
        info = None
    if not isinstance(info, dict):
        raise DriverError(f"image {source}: qemu-img info gave no JSON object")
    return info


def _run(argv: list[str], timeout_s: float, what: str) -> str:
    try:
        done = subprocess.run(
            argv,
            check=False,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout_s,
        )
    except FileNotFoundError:
        raise DriverError(f"{what}: qcow2 images need qemu-img (Debian package qemu-utils) on the daemon") from None
    except subprocess.TimeoutExpired:
        raise DriverError(f"{what}: qemu-img took longer than {timeout_s:.0f} s") from None
    if done.returncode != 0:
        raise DriverError(f"{what}: {_tool_message(done.stderr) or f'qemu-img exited with {done.returncode}'}")
    return done.stdout


def _check_fits(source: Path, size: int, disk_bytes: int) -> None:
    if disk_bytes > 0 and size > disk_bytes:
        raise DriverError(f"image {source} is a disk of {size} bytes: larger than the node's disk ({disk_bytes} bytes)")


def _identity(path: Path) -> tuple[int, int, int, int]:
    """What changes when a file is rewritten or replaced."""
    try:
        found = path.stat()
    except OSError as exc:
        raise DriverError(f"image {path} cannot be read: {exc.strerror or exc}") from None
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns


def _remove_abandoned(directory: Path) -> None:
    """Partial files of conversions whose process is gone (a daemon killed mid-way)."""
    for partial in directory.glob(f".*{_PARTIAL_SUFFIX}"):
        fields = partial.name.split(".")
        pid = int(fields[2]) if len(fields) > 2 and fields[2].isdigit() else 0
        if pid and not _alive(pid):
            with contextlib.suppress(OSError):
                partial.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _tool_message(stderr: str) -> str:
    text = " ".join(stderr.split())
    return "".join(ch for ch in text[:_MAX_TOOL_MESSAGE] if ch.isprintable())
