"""Names and domain XML of a machine's libvirt objects.

Every name derives from the machine UUID, so any step can find what an
earlier, interrupted run created.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from xml.etree import ElementTree as ET

METADATA_NAMESPACE = "urn:mulligan:machine:1"
ET.register_namespace("mulligan", METADATA_NAMESPACE)

_X86 = frozenset({"x86_64", "i686"})


def domain_name(machine_id: str) -> str:
    return f"mulligan-{machine_id}"


def disk_volume_name(machine_id: str) -> str:
    return f"mulligan-{machine_id}-disk"


def seed_volume_name(machine_id: str) -> str:
    return f"mulligan-{machine_id}-seed.iso"


def mac_address(machine_id: str) -> str:
    """A stable, locally administered unicast MAC for the machine's NIC."""
    digest = hashlib.sha256(machine_id.encode()).digest()
    # 0x52 is locally administered and unicast, like libvirt's own 52:54:00.
    return ":".join(f"{b:02x}" for b in (0x52, *digest[:5]))


@dataclass(frozen=True)
class DomainPlan:
    machine_id: str
    hostname: str
    domain_type: str
    arch: str
    vcpus: int
    memory_mb: int
    disk_path: str
    disk_format: str
    seed_path: str
    network: str | None
    mac: str | None


def render_domain_xml(plan: DomainPlan) -> str:
    domain = ET.Element("domain", type=plan.domain_type)
    _text(domain, "name", domain_name(plan.machine_id))
    _text(domain, "uuid", plan.machine_id)
    _text(domain, "title", plan.hostname)
    metadata = ET.SubElement(domain, "metadata")
    ET.SubElement(metadata, f"{{{METADATA_NAMESPACE}}}machine", id=plan.machine_id, hostname=plan.hostname)
    _text(domain, "memory", str(plan.memory_mb), unit="MiB")
    _text(domain, "vcpu", str(plan.vcpus))
    os_element = ET.SubElement(domain, "os")
    _text(os_element, "type", "hvm", arch=plan.arch)
    ET.SubElement(os_element, "boot", dev="hd")
    if plan.arch in _X86:
        features = ET.SubElement(domain, "features")
        ET.SubElement(features, "acpi")
        ET.SubElement(features, "apic")
    if plan.domain_type == "kvm":
        # Guests see the host's CPU, so the CPU traits the host advertises hold inside them.
        ET.SubElement(domain, "cpu", mode="host-passthrough")
    devices = ET.SubElement(domain, "devices")
    _disk(devices, "disk", plan.disk_path, plan.disk_format, dev="vda", bus="virtio")
    cdrom = _disk(devices, "cdrom", plan.seed_path, "raw", dev="sda", bus="sata")
    ET.SubElement(cdrom, "readonly")
    if plan.network is not None and plan.mac is not None:
        nic = ET.SubElement(devices, "interface", type="network")
        ET.SubElement(nic, "mac", address=plan.mac)
        ET.SubElement(nic, "source", network=plan.network)
        ET.SubElement(nic, "model", type="virtio")
    serial = ET.SubElement(devices, "serial", type="pty")
    ET.SubElement(serial, "target", port="0")
    console = ET.SubElement(devices, "console", type="pty")
    ET.SubElement(console, "target", type="serial", port="0")
    return ET.tostring(domain, encoding="unicode")


def _disk(devices: ET.Element, device: str, path: str, fmt: str, *, dev: str, bus: str) -> ET.Element:
    disk = ET.SubElement(devices, "disk", type="file", device=device)
    ET.SubElement(disk, "driver", name="qemu", type=fmt)
    ET.SubElement(disk, "source", file=path)
    ET.SubElement(disk, "target", dev=dev, bus=bus)
    return disk


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element
