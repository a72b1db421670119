#!/usr/bin/env python3
"""Build Mulligan's deploy ramdisk from Debian packages.

    python3 tools/ramdisk/build.py [--output build/ramdisk] [--cache build/cache/debs]

Takes the kernel of ``linux-image-amd64`` (following it to the real
``linux-image-<release>-amd64`` package) and ``busybox-static``, both with
``apt-get download`` from the machine's configured Debian archive, and
writes ``vmlinuz``, ``initrd.img`` (an xz-compressed cpio "newc" archive)
and ``manifest.json`` to the output directory. Nothing else is downloaded.

The result is reproducible: the same packages and sources give the same
bytes (sorted archive entries, owner root, fixed times from
SOURCE_DATE_EPOCH or else the kernel package's own file time). The .deb
files stay in the cache directory, and a build whose inputs (packages,
the files beside this script, SOURCE_DATE_EPOCH) match the manifest in the
output directory is skipped.

Exit status: 0 built or up to date; 2 the Debian packages cannot be had
(no apt, no package lists, no archive); 1 anything else.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import lzma
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
KERNEL_META_PACKAGE = "linux-image-amd64"
BUSYBOX_PACKAGE = "busybox-static"
# The BIOS boot loader of the virtual media ISO mulligand builds per job
# (Redfish nodes): package -> the file it gives, and its name in the output.
LOADER_FILES = {
    "isolinux": ("usr/lib/ISOLINUX/isolinux.bin", "isolinux.bin"),
    "syslinux-common": ("usr/lib/syslinux/modules/bios/ldlinux.c32", "ldlinux.c32"),
}
# Every file here shapes the ramdisk: a change to any of them is a rebuild.
SOURCES = ("build.py", "init", "agent", "udhcpc.script", "modules")
# Bump when the layout of the output changes in a way the sources do not show.
LAYOUT = 1
_DEPENDS = re.compile(r"^(linux-image-[0-9][^ ]*-amd64)(?: \(= ([^)]+)\))?$")


class Unavailable(Exception):
    """The Debian packages cannot be had on this machine."""


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    sha256: str

    @property
    def filename(self) -> str:
        # Our own name: apt's escapes the epoch's colon, which is no use here.
        return f"{self.name}_{self.version.replace(':', '+')}_amd64.deb"


@dataclass(frozen=True)
class Entry:
    """One member of the initramfs archive."""

    mode: int
    data: bytes = b""
    rdev: tuple[int, int] = (0, 0)


def log(message: str) -> None:
    print(f"ramdisk: {message}", file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- Debian packages -------------------------------------------------------------


# Records read so far: each ``apt-cache`` run loads the whole package cache
# (over a second), so the names a build needs are asked for in one run.
_RECORDS: dict[str, dict[str, str]] = {}


def apt_records(*names: str) -> None:
    """Read the candidate versions' records of names into _RECORDS; unknown names are left out."""
    try:
        result = subprocess.run(
            ["apt-cache", "show", "--no-all-versions", *names],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise Unavailable("apt-cache is not installed (a Debian machine is needed)") from None
    for paragraph in result.stdout.split("\n\n"):
        record: dict[str, str] = {}
        key = ""
        for line in paragraph.splitlines():
            if line[:1] in (" ", "\t") and key:
                record[key] += "\n" + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                record[key] = value.strip()
        if record.get("Package") in names:
            _RECORDS.setdefault(record["Package"], record)


def apt_record(name: str) -> dict[str, str]:
    """The candidate version's record from the local package lists."""
    if name not in _RECORDS:
        apt_records(name)
    if name not in _RECORDS:
        raise Unavailable(f"apt knows no package {name} (run apt-get update)")
    return _RECORDS[name]


def package(name: str) -> Package:
    record = apt_record(name)
    if record.get("Architecture") not in ("amd64", "all"):
        raise Unavailable(f"{name} is {record.get('Architecture')}: the ramdisk is built on an amd64 machine")
    return Package(name=name, version=record["Version"], sha256=record["SHA256"])


def kernel_package() -> Package:
    """The real kernel package the meta-package points at, in its version."""
    depends = apt_record(KERNEL_META_PACKAGE).get("Depends", "")
    for alternative in re.split(r"[,|]", depends):
        match = _DEPENDS.match(alternative.strip())
        if match:
            kernel = package(match.group(1))
            if match.group(2) and kernel.version != match.group(2):
                raise Unavailable(
                    f"{KERNEL_META_PACKAGE} wants {match.group(1)} {match.group(2)}, apt offers {kernel.version}"
                )
            return kernel
    raise Unavailable(f"{KERNEL_META_PACKAGE} depends on no linux-image package: {depends!r}")


def fetch(pkg: Package, cache: Path) -> Path:
    """The package's .deb in the cache, downloaded with apt-get if missing."""
    path = cache / pkg.filename
    if path.exists() and sha256_file(path) == pkg.sha256:
        return path
    with tempfile.TemporaryDirectory(dir=cache, prefix="download-") as tmp:
        log(f"downloading {pkg.name} {pkg.version}")
        result = subprocess.run(
            ["apt-get", "download", "-q", f"{pkg.name}={pkg.version}"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        debs = list(Path(tmp).glob("*.deb"))
        if result.returncode != 0 or len(debs) != 1:
            raise Unavailable(f"apt-get download {pkg.name}={pkg.version} failed: {result.stderr.strip()[-500:]}")
        if sha256_file(debs[0]) != pkg.sha256:
            raise RuntimeError(f"{debs[0].name} does not match the SHA256 in the package lists")
        os.replace(debs[0], path)
    return path


def packages(cache: Path, *, may_update: bool) -> tuple[tuple[Package, Path], tuple[Package, Path]]:
    """The kernel and busybox packages with their .deb files.

    As root, lists that are missing or older than the archive (a version
    that is no longer there) are refreshed once with apt-get update.
    """
    _RECORDS.clear()  # lists refreshed by apt-get update are read again
    apt_records(KERNEL_META_PACKAGE, BUSYBOX_PACKAGE, *LOADER_FILES)
    try:
        kernel, busybox = kernel_package(), package(BUSYBOX_PACKAGE)
        return (kernel, fetch(kernel, cache)), (busybox, fetch(busybox, cache))
    except Unavailable as reason:
        if not may_update:
            raise
        log(f"{reason}; refreshing the package lists")
    result = subprocess.run(["apt-get", "update", "-qq"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Unavailable(f"apt-get update failed: {result.stderr.strip()[-500:]}")
    return packages(cache, may_update=False)


def extract(deb: Path, into: Path) -> None:
    # dpkg-deb unpacks without installing: no maintainer scripts, nothing outside ``into``.
    subprocess.run(["dpkg-deb", "--extract", str(deb), str(into)], check=True)


# -- kernel modules -----------------------------------------------------------------


def modinfo(path: Path) -> dict[str, list[str]]:
    """The ``.modinfo`` section of a module (an ELF64 relocatable object)."""
    data = path.read_bytes()
    if data[:5] != b"\x7fELF\x02":
        raise RuntimeError(f"{path} is not a 64-bit ELF module")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)

    def section(index: int) -> tuple[int, int, int]:
        fields = struct.unpack_from("<IIQQQQ", data, shoff + index * shentsize)
        return fields[0], fields[4], fields[5]  # name offset, file offset, size

    names = section(shstrndx)[1]
    info: dict[str, list[str]] = {}
    for index in range(shnum):
        name_at, offset, size = section(index)
        if data[names + name_at : data.index(b"\0", names + name_at)] != b".modinfo":
            continue
        for item in data[offset : offset + size].split(b"\0"):
            key, sep, value = item.decode("utf-8", "replace").partition("=")
            if sep:
                info.setdefault(key, []).append(value)
    return info


def module_name(text: str) -> str:
    # The kernel treats '-' and '_' in module names as the same character.
    return text.replace("-", "_")


def resolve_modules(root: Path, wanted: list[str]) -> list[Path]:
    """The modules' files (relative to ``root``) with their dependencies, in load order."""
    files = {module_name(path.name.removesuffix(".ko")): path for path in sorted(root.rglob("*.ko"))}
    builtin = {
        module_name(Path(line).name.removesuffix(".ko"))
        for line in (root / "modules.builtin").read_text().splitlines()
        if line.strip()
    }
    order: list[Path] = []
    state: dict[str, str] = {}

    def visit(name: str, *, required: bool) -> None:
        name = module_name(name)
        if state.get(name) == "done" or name in builtin:
            return
        if state.get(name) == "visiting":
            raise RuntimeError(f"module dependency cycle through {name}")
        if name not in files:
            if required:
                raise RuntimeError(f"kernel module {name} is neither in the package nor built in")
            return
        state[name] = "visiting"
        info = modinfo(files[name])
        for dependency in ",".join(info.get("depends", [])).split(","):
            if dependency:
                visit(dependency, required=True)
        # "softdep=pre: a b post: c": the pre ones must be there before this
        # module loads (crc checks, say); post ones are loaded just after
        # its dependencies, which is early enough for what they provide.
        for softdep in info.get("softdep", []):
            for word in softdep.split():
                if not word.endswith(":"):
                    visit(word, required=False)
        state[name] = "done"
        order.append(files[name].relative_to(root))

    for name in wanted:
        visit(name, required=True)
    return order


def wanted_modules() -> list[str]:
    lines = (HERE / "modules").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


# -- the archive ---------------------------------------------------------------------


def cpio_newc(entries: dict[str, Entry], mtime: int) -> bytes:
    """A cpio archive in the "newc" format the kernel unpacks, entries sorted by path."""
    out = bytearray()

    def member(ino: int, name: str, entry: Entry, nlink: int) -> None:
        encoded = name.encode() + b"\0"
        fields = (
            ino, entry.mode, 0, 0, nlink, mtime, len(entry.data),
            0, 0, entry.rdev[0], entry.rdev[1], len(encoded), 0,
        )  # fmt: skip
        out.extend(b"070701" + b"".join(b"%08X" % field for field in fields) + encoded)
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(entry.data)
        out.extend(b"\0" * (-len(out) % 4))

    for ino, name in enumerate(sorted(entries), start=1):
        entry = entries[name]
        member(ino, name, entry, 2 if entry.mode & 0o040000 else 1)
    member(0, "TRAILER!!!", Entry(mode=0), 1)
    return bytes(out)


def xz(data: bytes) -> bytes:
    """xz the way the kernel's initramfs unpacker reads it: CRC32 check, x86 BCJ + LZMA2."""
    dictionary = 1 << max(20, (len(data) - 1).bit_length())
    filters = [
        {"id": lzma.FILTER_X86},
        # The fastest preset: a tenth larger than the slowest, in a third of the time.
        {"id": lzma.FILTER_LZMA2, "preset": 1, "dict_size": min(dictionary, 64 << 20)},
    ]
    return lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32, filters=filters)


def ramdisk_entries(
    kernel_root: Path, busybox_root: Path, release: str, modules: list[Path], about: dict[str, str]
) -> dict[str, Entry]:
    directory, executable, regular = 0o040755, 0o100755, 0o100644
    entries: dict[str, Entry] = {}

    def add_dirs(path: str) -> None:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            entries.setdefault("/".join(parts[:depth]), Entry(mode=directory))

    def add_file(path: str, data: bytes, mode: int) -> None:
        if "/" in path:
            add_dirs(path.rpartition("/")[0])
        entries[path] = Entry(mode=mode, data=data)

    entries["."] = Entry(mode=directory)
    for path in ("dev", "proc", "sys", "run", "tmp", "mnt"):
        add_dirs(path)
    entries["tmp"] = Entry(mode=0o041777)
    # The kernel opens /dev/console for init before anything mounts devtmpfs.
    entries["dev/console"] = Entry(mode=0o020600, rdev=(5, 1))
    entries["dev/null"] = Entry(mode=0o020666, rdev=(1, 3))
    add_file("init", (HERE / "init").read_bytes(), executable)
    add_file("bin/busybox", (busybox_root / "bin/busybox").read_bytes(), executable)
    add_file("bin/mulligan-agent", (HERE / "agent").read_bytes(), executable)
    add_file("etc/udhcpc/default.script", (HERE / "udhcpc.script").read_bytes(), executable)
    module_root = kernel_root / "lib/modules" / release
    base = f"lib/modules/{release}"
    dep_lines = []
    by_name = {module_name(path.name.removesuffix(".ko")): path for path in modules}
    for relative in modules:
        add_file(f"{base}/{relative}", (module_root / relative).read_bytes(), regular)
        depends = modinfo(module_root / relative).get("depends", [""])[0]
        needs = [f"{base}/{by_name[module_name(name)]}" for name in depends.split(",") if module_name(name) in by_name]
        dep_lines.append(f"{base}/{relative}: {' '.join(needs)}".rstrip())
    # busybox modprobe reads modules.dep, for an operator on the console; /init uses the ordered list.
    add_file(f"{base}/modules.dep", "".join(line + "\n" for line in sorted(dep_lines)).encode(), regular)
    load_order = "".join(f"{base}/{relative}\n" for relative in modules)
    add_file("etc/mulligan/modules", load_order.encode(), regular)
    add_file("etc/mulligan/release", "".join(f"{k}={v}\n" for k, v in about.items()).encode(), regular)
    return entries


# -- the build ------------------------------------------------------------------------


def loader_packages(cache: Path) -> list[tuple[Package, Path]]:
    return [(pkg, fetch(pkg, cache)) for pkg in (package(name) for name in LOADER_FILES)]


def inputs_digest(kernel: Package, busybox: Package, *loaders: Package) -> str:
    document = {
        "layout": LAYOUT,
        "packages": [[pkg.name, pkg.version, pkg.sha256] for pkg in (kernel, busybox, *loaders)],
        "sources": {name: sha256_file(HERE / name) for name in SOURCES},
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def up_to_date(output: Path, inputs: str) -> bool:
    try:
        manifest = json.loads((output / "manifest.json").read_text())
        return bool(manifest["inputs_sha256"] == inputs) and all(
            sha256_file(output / name) == facts["sha256"] for name, facts in manifest["files"].items()
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def build(output: Path, cache: Path, *, force: bool) -> dict[str, object]:
    (kernel, kernel_deb), (busybox, busybox_deb) = packages(cache, may_update=os.geteuid() == 0)
    loaders = loader_packages(cache)
    inputs = inputs_digest(kernel, busybox, *(pkg for pkg, _ in loaders))
    if not force and up_to_date(output, inputs):
        log(f"up to date in {output}")
        manifest: dict[str, object] = json.loads((output / "manifest.json").read_text())
        return manifest
    with tempfile.TemporaryDirectory(dir=cache, prefix="unpack-") as tmp:
        kernel_root, busybox_root = Path(tmp, "kernel"), Path(tmp, "busybox")
        extract(kernel_deb, kernel_root)
        extract(busybox_deb, busybox_root)
        vmlinuz = next((kernel_root / "boot").glob("vmlinuz-*"))
        release = vmlinuz.name.removeprefix("vmlinuz-")
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or vmlinuz.stat().st_mtime)
        modules = resolve_modules(kernel_root / "lib/modules" / release, wanted_modules())
        about = {
            "KERNEL_RELEASE": release,
            "KERNEL_PACKAGE": f"{kernel.name} {kernel.version}",
            "BUSYBOX_PACKAGE": f"{busybox.name} {busybox.version}",
            "RAMDISK_INPUTS": inputs[:16],
        }
        entries = ramdisk_entries(kernel_root, busybox_root, release, modules, about)
        initrd = xz(cpio_newc(entries, epoch))
        kernel_bytes = vmlinuz.read_bytes()
        loader_bytes = {}
        for pkg, deb in loaders:
            inside, name = LOADER_FILES[pkg.name]
            extract(deb, Path(tmp, pkg.name))
            loader_bytes[name] = Path(tmp, pkg.name, inside).read_bytes()
    output.mkdir(parents=True, exist_ok=True)
    write_atomically(output / "vmlinuz", kernel_bytes)
    write_atomically(output / "initrd.img", initrd)
    for name, data in loader_bytes.items():
        write_atomically(output / name, data)
    manifest = {
        "inputs_sha256": inputs,
        "kernel_release": release,
        "packages": {
            pkg.name: {"version": pkg.version, "sha256": pkg.sha256}
            for pkg in (kernel, busybox, *(loader for loader, _ in loaders))
        },
        "source_date_epoch": epoch,
        "modules": [module_name(path.name.removesuffix(".ko")) for path in modules],
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in (("vmlinuz", kernel_bytes), ("initrd.img", initrd), *loader_bytes.items())
        },
    }
    write_atomically(output / "manifest.json", (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    total = sum(len(data) for data in (kernel_bytes, initrd))
    log(f"built {output}: kernel {release}, {len(modules)} modules, {total / 1e6:.1f} MB")
    return manifest


@contextlib.contextmanager
def locked(cache: Path) -> Iterator[None]:
    """One build at a time per cache (parallel test workers share one)."""
    with (cache / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=REPO / "build/ramdisk", help="default: build/ramdisk")
    parser.add_argument("--cache", type=Path, default=REPO / "build/cache/debs", help="default: build/cache/debs")
    parser.add_argument("--force", action="store_true", help="rebuild even when the inputs are unchanged")
    args = parser.parse_args(argv)
    cache: Path = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    for tool in ("dpkg-deb", "apt-get"):
        if shutil.which(tool) is None:
            log(f"cannot build: {tool} is not installed (a Debian machine is needed)")
            return 2
    try:
        with locked(cache):
            build(args.output.resolve(), cache, force=args.force)
    except Unavailable as reason:
        log(f"cannot build: {reason}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
