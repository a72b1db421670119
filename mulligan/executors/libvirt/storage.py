"""A machine's volumes: its disk (made from the image) and its cloud-init seed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import libvirt

from mulligan.executors.drivers import DriverError

log = logging.getLogger("mulligan.executors.libvirt")

GIB = 1024**3
IMAGE_FORMATS = ("qcow2", "raw")
_UPLOAD_CHUNK = 256 * 1024
# The size given to a seed on a host that keeps volumes as records only.
_RECORD_ONLY_SEED_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Image:
    volume: Any
    path: str
    capacity: int
    # True: the source names a volume in the machine's pool, which is cloned.
    clone: bool


def find_volume(pool: Any, name: str) -> Any:
    try:
        return pool.storageVolLookupByName(name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_VOL:
            return None
        raise


def find_image(conn: Any, pool: Any, source: str) -> Image:
    """The image a disk is made from: a volume of the pool, or a path the host knows."""
    if not source.startswith("/"):
        volume = find_volume(pool, source)
        if volume is None:
            raise DriverError(f"image volume {source!r} not found in storage pool {pool.name()!r}")
        return Image(volume=volume, path=volume.path(), capacity=volume.info()[1], clone=True)
    volume = _volume_by_path(conn, source)
    if volume is None:
        # Files copied into a pool directory appear only after a refresh.
        _refresh_pools(conn)
        volume = _volume_by_path(conn, source)
    if volume is None:
        raise DriverError(
            f"image path {source!r} not found on the host (it must lie in one of the host's storage pools)"
        )
    return Image(volume=volume, path=source, capacity=volume.info()[1], clone=False)


def ensure_disk(pool: Any, name: str, image: Image, *, image_format: str, disk_gb: int) -> tuple[Any, bool]:
    """The machine's disk volume, created from the image if absent; True when created."""
    existing = find_volume(pool, name)
    if existing is not None:
        return existing, False
    # 0: the disk is as large as the image.
    capacity = disk_gb * GIB or image.capacity
    if capacity < image.capacity:
        raise DriverError(f"a {disk_gb} GiB disk is smaller than the image ({-(-image.capacity // GIB)} GiB)")
    if image.clone:
        xml = _volume_xml(name, capacity, image_format)
        return _create(pool, name, lambda: pool.createXMLFrom(xml, image.volume, 0))
    xml = _volume_xml(name, capacity, "qcow2", backing=(image.path, image_format))
    return _create(pool, name, lambda: pool.createXML(xml, 0))


def ensure_seed(conn: Any, pool: Any, name: str, build: Callable[[], bytes], *, upload: bool) -> tuple[Any, bool]:
    """The seed volume holding what ``build`` makes; True when this call wrote it.

    A volume is created before its content arrives, so a seed found while
    the domain is not yet defined may be empty: the caller then asks for the
    content to be written again.
    """
    volume = find_volume(pool, name)
    if volume is not None and not upload:
        return volume, False
    # Built only for a host that can take the bytes: building costs more
    # than the rest of a provisioning on a simulated host.
    content = build() if _accepts_content(conn) else None
    size = _RECORD_ONLY_SEED_BYTES if content is None else len(content)
    if volume is not None and volume.info()[1] < size:
        delete_volume(pool, name)
        volume = None
    if volume is None:
        volume, _ = _create(pool, name, lambda: pool.createXML(_volume_xml(name, size, "raw"), 0))
    if content is not None:
        _upload(conn, volume, content)
    return volume, True


def delete_volume(pool: Any, name: str) -> bool:
    """Wipe the volume, then delete it; False when there was none.

    Deleting alone frees the blocks with the tenant's data still in them,
    for the next volume carved from the same space (an LVM or disk pool
    hands them out as they are) or anyone reading the device. A wipe that
    fails fails the deletion: better a decommission in error than the data
    left behind.
    """
    volume = find_volume(pool, name)
    if volume is None:
        return False
    try:
        _wipe(pool, volume)
        volume.delete(0)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_VOL:
            return False
        raise
    return True


def _wipe(pool: Any, volume: Any) -> None:
    """Overwrite the volume's content with zeros, where the pool can."""
    try:
        volume.wipe(0)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() not in (libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_ERR_OPERATION_UNSUPPORTED):
            raise
        if not _accepts_content(pool.connect()):
            return  # the test hypervisor's volumes are records only: nothing to wipe
        # libvirt wipes on every pool type but ZFS and Gluster, whose freed
        # blocks a new volume reads as zeros: the data is out of reach of
        # tenants, though not of whoever holds the disks.
        log.warning(
            "storage pool cannot wipe volumes: deleted without a wipe",
            extra={"pool": pool.name(), "pool_type": _pool_type(pool), "volume": volume.name()},
        )


def _pool_type(pool: Any) -> str:
    try:
        # The document comes from the managed host's libvirt, not from tenants.
        return ET.fromstring(pool.XMLDesc(0)).get("type") or "unknown"  # noqa: S314
    except (libvirt.libvirtError, ET.ParseError):
        return "unknown"


def _create(pool: Any, name: str, create: Any) -> tuple[Any, bool]:
    try:
        return create(), True
    except libvirt.libvirtError:
        # Another run of the same task got there first (drivers disagree on
        # the error code for that, so look rather than decode it).
        volume = find_volume(pool, name)
        if volume is not None:
            return volume, False
        raise


def _accepts_content(conn: Any) -> bool:
    # libvirt's test hypervisor keeps volumes as records only and has no
    # upload; there is nothing to write the bytes to.
    return str(conn.getType()).upper() != "TEST"


def _upload(conn: Any, volume: Any, content: bytes) -> None:
    stream = conn.newStream(0)
    try:
        volume.upload(stream, 0, len(content), 0)
        view = memoryview(content)
        offset = 0
        while offset < len(content):
            sent = stream.send(bytes(view[offset : offset + _UPLOAD_CHUNK]))
            if sent <= 0:
                raise DriverError(f"uploading {volume.name()!r}: the host accepted no data")
            offset += sent
        stream.finish()
    except BaseException:
        try:
            stream.abort()
        except libvirt.libvirtError:
            log.debug("aborting an upload stream failed", exc_info=True)
        raise


def _volume_by_path(conn: Any, path: str) -> Any:
    try:
        return conn.storageVolLookupByPath(path)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_VOL:
            return None
        raise


def _refresh_pools(conn: Any) -> None:
    for pool in conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE):
        try:
            pool.refresh(0)
        except libvirt.libvirtError as exc:
            # A pool busy building a volume refuses; its other volumes are known already.
            log.debug("storage pool refresh refused", extra={"pool": pool.name(), "error": str(exc)})


def _volume_xml(name: str, capacity: int, fmt: str, *, backing: tuple[str, str] | None = None) -> str:
    volume = ET.Element("volume")
    ET.SubElement(volume, "name").text = name
    ET.SubElement(volume, "capacity", unit="bytes").text = str(capacity)
    target = ET.SubElement(volume, "target")
    ET.SubElement(target, "format", type=fmt)
    if backing is not None:
        store = ET.SubElement(volume, "backingStore")
        ET.SubElement(store, "path").text = backing[0]
        ET.SubElement(store, "format", type=backing[1])
    return ET.tostring(volume, encoding="unicode")
