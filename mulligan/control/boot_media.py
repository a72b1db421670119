"""The virtual media a Redfish node boots a job from: a small ISO image.

It holds the deploy ramdisk (kernel and initramfs) behind ISOLINUX, the
BIOS boot loader taken from Debian by the ramdisk build, with the job's
kernel command line (the URL of its settings, token included). A BMC
inserts it from the boot endpoint, and the node boots it once: no DHCP
boot file, no iPXE. It is built when the BMC asks for it, from the files
on disk and the job, so nothing is stored per job.
"""

from __future__ import annotations

import io
from pathlib import Path

import pycdlib

# Files of the ramdisk directory the image needs (the build puts them there).
MEDIA_FILES = ("vmlinuz", "initrd.img", "isolinux.bin", "ldlinux.c32")
_ISO_NAMES = {
    "vmlinuz": "/VMLINUZ.;1",
    "initrd.img": "/INITRD.IMG;1",
    "isolinux.bin": "/ISOLINUX/ISOLINUX.BIN;1",
    "ldlinux.c32": "/ISOLINUX/LDLINUX.C32;1",
}


class MediaUnavailable(Exception):
    """The ramdisk directory lacks a file the image needs."""


def media_iso(ramdisk_dir: Path, kernel_args: str) -> bytes:
    """An El Torito (no emulation) ISO that boots the ramdisk with ``kernel_args``."""
    missing = [name for name in MEDIA_FILES if not (ramdisk_dir / name).is_file()]
    if missing:
        raise MediaUnavailable(f"{ramdisk_dir} lacks {', '.join(missing)} (make ramdisk builds them)")
    config = (
        "DEFAULT mulligan\nPROMPT 0\nTIMEOUT 0\n"
        f"LABEL mulligan\n  KERNEL /vmlinuz\n  INITRD /initrd.img\n  APPEND {kernel_args}\n"
    ).encode()
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, rock_ridge="1.09", vol_ident="MULLIGAN_BOOT")
    try:
        iso.add_directory("/ISOLINUX", rr_name="isolinux")
        for name in MEDIA_FILES:
            # Opened here and closed once the image is written (pycdlib reads them then).
            data = (ramdisk_dir / name).read_bytes()
            iso.add_fp(io.BytesIO(data), len(data), _ISO_NAMES[name], rr_name=name)
        iso.add_fp(io.BytesIO(config), len(config), "/ISOLINUX/ISOLINUX.CFG;1", rr_name="isolinux.cfg")
        iso.add_eltorito("/ISOLINUX/ISOLINUX.BIN;1", "/ISOLINUX/BOOT.CAT;1", boot_load_size=4, boot_info_table=True)
        out = io.BytesIO()
        iso.write_fp(out)
    finally:
        iso.close()
    return out.getvalue()
