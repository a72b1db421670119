"""Task steps for baremetal nodes, driven through their BMC.

Payloads carry ``host_id`` and, added in memory by control just before the
step runs (never stored with the task), ``bmc``: the credential fields of
:class:`~mulligan.executors.bmc.types.BmcCredential`, password included.

- ``host.inspect``: ``{"driver", "bmc", "declared"?}`` -> ``{"facts": {...}}``
- ``machine.provision``: ``{"driver", "bmc", "spec", "image_path"?,
  "image_format"?, "disk_gb"?}``: power off and a one-time network boot;
  then, with an image path (a deploy), the raw file the ramdisk is to write
  (a qcow2 image converted into the image cache, see
  :mod:`~mulligan.executors.deploy_images`), its SHA-256 and size
  (``{"image_path", "sha256", "image_bytes"}``); control then opens the boot
  job and queues ``machine.boot_ramdisk``. Without (no boot endpoint in this
  daemon): a permanent failure saying so (the claim stays with the machine)
- ``host.prepare_boot``: ``{"driver", "bmc"}``: power off and a one-time
  network boot, for an in-band inspection (``{"power"}``)
- ``machine.boot_ramdisk``: ``{"driver", "bmc", "media_url"?}``: power on,
  into the deploy ramdisk the node is set to boot once; with ``media_url``
  (added in memory by control: it holds the job's token), from that ISO
  in the BMC's virtual CD drive instead of the network (``{"power"}``)
- ``machine.boot_disk``: ``{"driver", "bmc"}``: boot from disk from now on,
  and restart the node into its new system (``{"power"}``)
- ``machine.decommission``: ``{"driver", "bmc", "ref", "clean"?}``: with
  ``clean``, power off and a one-time network boot, for the ramdisk to wipe
  the disks (``{"clean": "ready"}``); without, power off
- ``host.power`` / ``machine.power``: ``{"driver", "bmc", "action"}`` -> ``{"power"}``
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mulligan.executors.bmc.types import (
    BmcCredential,
    BmcDriver,
    BmcProtocol,
    BootDevice,
    DiskInfo,
    NicInfo,
    NodeInventory,
    NodePower,
    PowerAction,
)
from mulligan.executors.deploy_images import deploy_image
from mulligan.executors.drivers import DriverError
from mulligan.executors.seed import build_seed_iso, render_seed_files

HOST_POWER = "host.power"
MACHINE_POWER = "machine.power"
BOOT_DISK = "machine.boot_disk"
BOOT_RAMDISK = "machine.boot_ramdisk"
PREPARE_BOOT = "host.prepare_boot"
# What a node's own report may hold: more is cut off, not trusted.
_MAX_REPORTED_DEVICES = 64
_MAX_REPORTED_TEXT = 128
DEPLOY_UNAVAILABLE = (
    "deploying an image onto a baremetal node needs the boot endpoint (boot_listen), "
    "which this daemon does not run: the node is claimed, powered off and set to boot from the network once"
)
_MAC_TEXT = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
_ARCH_TRAITS = {"x86_64": "HW_ARCH_X86_64", "aarch64": "HW_ARCH_AARCH64"}
_ARCH_ALIASES = {"x86": "x86_64", "x86-64": "x86_64", "amd64": "x86_64", "arm64": "aarch64", "arm": "aarch64"}


def credential(payload: Mapping[str, Any]) -> BmcCredential:
    return bmc_credential(payload["bmc"])


def bmc_credential(stored: Mapping[str, Any]) -> BmcCredential:
    """A credential from its plain fields (``ca_pem`` instead of a CA file)."""
    fields = dict(stored)
    fields["protocol"] = BmcProtocol(fields["protocol"])
    password = fields["password"]
    fields["password"] = password.encode() if isinstance(password, str) else bytes(password)
    ca_pem = fields.pop("ca_pem", "")
    if ca_pem:
        fields["ca_file"] = str(_ca_file(ca_pem))
    return BmcCredential(**fields)


def _ca_file(pem: str) -> Path:
    """A file holding ``pem`` (TLS libraries read CAs from files), one per CA."""
    directory = Path(tempfile.gettempdir()) / f"mulligan-bmc-ca-{os.getuid()}"
    directory.mkdir(mode=0o700, exist_ok=True)
    path = directory / f"{hashlib.sha256(pem.encode()).hexdigest()}.pem"
    if not path.exists():
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(pem)
        temporary.replace(path)
    return path


def inspect(driver: BmcDriver, payload: Mapping[str, Any]) -> dict[str, Any]:
    bmc = credential(payload)
    power = driver.power_state(bmc)
    inventory = driver.inventory(bmc)
    return {"facts": node_facts(inventory, power, payload.get("declared") or {})}


def provision(driver: BmcDriver, payload: Mapping[str, Any], *, image_cache: Path | None = None) -> dict[str, Any]:
    # The node is off before the image is looked at: an image refused here
    # ends the deploy with the node off, as every failed deploy leaves it.
    _prepare_boot(driver, credential(payload), payload)
    image_path = payload.get("image_path")
    if not image_path:
        raise DriverError(DEPLOY_UNAVAILABLE)
    image = deploy_image(
        Path(image_path),
        # Tasks queued before formats were told apart held raw images only.
        str(payload.get("image_format") or "raw"),
        cache_dir=image_cache,
        disk_bytes=int(payload.get("disk_gb") or 0) << 30,
    )
    return {"image_path": str(image.path), "sha256": image.sha256, "image_bytes": image.size}


def prepare_boot(driver: BmcDriver, payload: Mapping[str, Any]) -> dict[str, Any]:
    _prepare_boot(driver, credential(payload), payload)
    return {"power": str(NodePower.OFF)}


def inband_facts(inventory: Any, declared: Mapping[str, Any]) -> dict[str, Any]:
    """Facts from what the deploy ramdisk reported (untrusted JSON from the
    node: every field is checked, anything odd is left out)."""
    found = inventory if isinstance(inventory, Mapping) else {}
    disks = []
    for disk in _reported_list(found.get("disks")):
        size = _reported_int(disk.get("size_bytes"))
        if size > 0:
            rotational = disk.get("rotational")
            disks.append(
                DiskInfo(
                    name=_reported_text(disk.get("name")),
                    size_gb=size // (1 << 30),
                    serial=_reported_text(disk.get("serial")),
                    rotational=rotational if isinstance(rotational, bool) else None,
                )
            )
    nics = [
        NicInfo(mac=mac)
        for nic in _reported_list(found.get("nics"))
        if _MAC_TEXT.match(mac := _reported_text(nic.get("mac")).lower())
    ]
    reported = NodeInventory(
        arch=_reported_text(found.get("arch")),
        cpus=_reported_int(found.get("cpus")),
        cpu_model=_reported_text(found.get("cpu_model")),
        memory_mb=_reported_int(found.get("memory_mb")),
        disks=tuple(disks),
        nics=tuple(nics),
    )
    return node_facts(reported, NodePower.OFF, declared)


def _reported_list(value: Any) -> list[Mapping[str, Any]]:
    items = value if isinstance(value, list) else []
    return [item for item in items[:_MAX_REPORTED_DEVICES] if isinstance(item, Mapping)]


def _reported_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 62 else 0


def _reported_text(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    return "".join(ch for ch in text[:_MAX_REPORTED_TEXT] if ch.isprintable()).strip()


def boot_ramdisk(driver: BmcDriver, payload: Mapping[str, Any]) -> dict[str, Any]:
    bmc = credential(payload)
    media_url = payload.get("media_url")
    if media_url:
        # Virtual media instead of the network: the CD the BMC fetched, once.
        driver.insert_media(bmc, str(media_url))
        driver.set_boot_device(bmc, BootDevice.CD, persistent=False)
    return {"power": str(driver.set_power(bmc, PowerAction.ON))}


def boot_disk(driver: BmcDriver, payload: Mapping[str, Any]) -> dict[str, Any]:
    bmc = credential(payload)
    driver.set_boot_device(bmc, BootDevice.DISK, persistent=True)
    # A reboot, not a power on: the ramdisk may still be running (it powers
    # off when done, but a node is not trusted to), and a node that is off starts.
    return {"power": str(driver.set_power(bmc, PowerAction.REBOOT))}


def decommission(driver: BmcDriver, payload: Mapping[str, Any]) -> dict[str, Any]:
    if payload.get("clean"):
        _prepare_boot(driver, credential(payload), payload)
        return {"clean": "ready"}
    driver.set_power(credential(payload), PowerAction.OFF)
    return {"power": str(NodePower.OFF)}


def node_config_drive(
    *, machine_id: str, hostname: str, ssh_keys: Sequence[str], user_data: str, macs: Sequence[str]
) -> bytes:
    """The cloud-init NoCloud seed the deploy agent writes beside the image.

    The node's NICs are cabled, not chosen: its first NIC takes DHCP.
    """
    files = render_seed_files(
        instance_id=machine_id,
        hostname=hostname,
        ssh_keys=ssh_keys,
        user_data=user_data,
        mac_address=macs[0] if macs else None,
    )
    return build_seed_iso(files)


def _prepare_boot(driver: BmcDriver, bmc: BmcCredential, payload: Mapping[str, Any]) -> None:
    """Off, and set to boot from the network once: the next start is the
    ramdisk. A node booting virtual media (``media``) gets its boot device
    when the media goes in."""
    driver.set_power(bmc, PowerAction.OFF)
    if not payload.get("media"):
        driver.set_boot_device(bmc, BootDevice.NETWORK, persistent=False)


def power(driver: BmcDriver, payload: Mapping[str, Any]) -> dict[str, Any]:
    try:
        action = PowerAction(payload["action"])
    except ValueError:
        raise DriverError(f"unknown power action {payload['action']!r}") from None
    return {"power": str(driver.set_power(credential(payload), action))}


def node_facts(inventory: NodeInventory, power: NodePower, declared: Mapping[str, Any]) -> dict[str, Any]:
    """Capacity and traits of a node: what its BMC reported, completed by what
    the operator declared (a BMC that reports nothing leaves declared values)."""
    arch = _arch(inventory.arch or str(declared.get("arch", "")))
    cpus = inventory.cpus or int(declared.get("cpus", 0))
    memory_mb = inventory.memory_mb or int(declared.get("memory_mb", 0))
    # The node's root disk is its largest.
    disk_gb = max((disk.size_gb for disk in inventory.disks), default=0) or int(declared.get("disk_gb", 0))
    traits = {"COMPUTE_BAREMETAL", *declared.get("traits", ())}
    if arch in _ARCH_TRAITS:
        traits.add(_ARCH_TRAITS[arch])
    if memory_mb:
        traits.add(f"CUSTOM_MEMORY_{_size_class(memory_mb // 1024)}G")
    if disk_gb:
        traits.add(f"CUSTOM_DISK_{_size_class(disk_gb)}G")
    if inventory.nics:
        traits.add(f"CUSTOM_NICS_{len(inventory.nics)}")
    if any(disk.rotational is False for disk in inventory.disks):
        traits.add("STORAGE_DISK_SSD")
    if any(disk.rotational is True for disk in inventory.disks):
        traits.add("STORAGE_DISK_HDD")
    if any(mode.lower() == "uefi" for mode in inventory.boot_modes):
        traits.add("COMPUTE_UEFI")
    return {
        "hostname": "",
        "hypervisor": "baremetal",
        "arch": arch,
        "cpus": cpus,
        "memory_mb": memory_mb,
        "disk_gb": disk_gb,
        "pool": "",
        "traits": sorted(traits),
        "networks": [],
        "power": str(power),
        # The BMC's word first; declared MACs where it says nothing (IPMI).
        "macs": [nic.mac.lower() for nic in inventory.nics] or list(declared.get("macs", ())),
        "disks": [
            {"name": disk.name, "size_gb": disk.size_gb, "serial": disk.serial, "rotational": disk.rotational}
            for disk in inventory.disks
        ],
        "boot_modes": list(inventory.boot_modes),
        "manufacturer": inventory.manufacturer,
        "model": inventory.model,
        "serial": inventory.serial,
    }


def _arch(value: str) -> str:
    value = value.strip().lower()
    return _ARCH_ALIASES.get(value, value)


def _size_class(amount: int) -> int:
    """The largest power of two not above ``amount`` (at least 1): nodes of
    nearly one size share a class, and a class is a coarse, stable trait."""
    return 1 << max(amount, 1).bit_length() - 1
