"""Host profiles from capabilities XML, traits, and the domain XML the driver writes."""

from __future__ import annotations

import uuid
from xml.etree import ElementTree as ET

import pytest

pytest.importorskip("libvirt")

from mulligan.executors import DriverError
from mulligan.executors.libvirt import domain_xml, host

KVM_HOST = """
<capabilities>
  <host>
    <cpu>
      <arch>x86_64</arch>
      <model>Skylake-Client-IBRS</model>
      <vendor>Intel</vendor>
      <feature name='vmx'/>
      <feature name='avx512f' policy='disable'/>
      <feature name='ssbd'/>
    </cpu>
  </host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='i686'><domain type='qemu'/></arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch>
  </guest>
</capabilities>
"""

EXPANDED_CPU = """
<cpu mode='custom' match='exact'>
  <model fallback='forbid'>Skylake-Client-IBRS</model>
  <feature policy='require' name='avx2'/>
  <feature policy='require' name='sse4.2'/>
  <feature policy='require' name='aes'/>
  <feature policy='disable' name='sha-ni'/>
</cpu>
"""


def test_kvm_is_preferred_and_features_become_traits() -> None:
    profile = host.parse_capabilities(KVM_HOST, EXPANDED_CPU)
    assert profile.arch == "x86_64"
    assert profile.domain_type == "kvm"
    assert profile.traits == {
        "HW_ARCH_X86_64",
        "HW_CPU_X86_VMX",
        "HW_CPU_X86_AVX2",
        "HW_CPU_X86_SSE42",
        "HW_CPU_X86_AES",
    }


def test_without_kvm_guests_run_under_emulation() -> None:
    profile = host.parse_capabilities(KVM_HOST.replace("<domain type='kvm'/>", ""))
    assert profile.domain_type == "qemu"
    # Without the expanded model only the listed features count.
    assert profile.traits == {"HW_ARCH_X86_64", "HW_CPU_X86_VMX"}


def test_a_host_without_hvm_guests_is_refused() -> None:
    with pytest.raises(DriverError, match="no hardware-virtualised"):
        host.parse_capabilities(KVM_HOST.replace("<os_type>hvm</os_type>", "<os_type>xen</os_type>"))


def test_host_cpu_xml_needs_a_model() -> None:
    cpu = host.host_cpu_xml(KVM_HOST)
    assert cpu is not None
    assert ET.fromstring(cpu).findtext("model") == "Skylake-Client-IBRS"
    assert host.host_cpu_xml(KVM_HOST.replace("<model>Skylake-Client-IBRS</model>", "")) is None


def test_mac_addresses_are_stable_unicast_and_locally_administered() -> None:
    machine = str(uuid.uuid4())
    mac = domain_xml.mac_address(machine)
    assert mac == domain_xml.mac_address(machine)
    assert mac != domain_xml.mac_address(str(uuid.uuid4()))
    first = int(mac.split(":")[0], 16)
    assert first & 0b01 == 0  # unicast
    assert first & 0b10 == 0b10  # locally administered
    assert len(mac.split(":")) == 6


def plan(**overrides: object) -> domain_xml.DomainPlan:
    fields: dict[str, object] = {
        "machine_id": "8a1f3b4e-5d6c-4e7f-8a9b-0c1d2e3f4a5b",
        "hostname": "web-1",
        "domain_type": "kvm",
        "arch": "x86_64",
        "vcpus": 4,
        "memory_mb": 2048,
        "disk_path": "/pool/disk",
        "disk_format": "qcow2",
        "seed_path": "/pool/seed.iso",
        "network": "default",
        "mac": "52:00:00:00:00:01",
    }
    fields.update(overrides)
    return domain_xml.DomainPlan(**fields)  # type: ignore[arg-type]


def test_domain_xml_carries_the_machine() -> None:
    xml = ET.fromstring(domain_xml.render_domain_xml(plan()))
    assert xml.get("type") == "kvm"
    assert xml.findtext("name") == "mulligan-8a1f3b4e-5d6c-4e7f-8a9b-0c1d2e3f4a5b"
    assert xml.findtext("uuid") == "8a1f3b4e-5d6c-4e7f-8a9b-0c1d2e3f4a5b"
    assert xml.findtext("vcpu") == "4"
    assert xml.find("memory").get("unit") == "MiB"
    assert xml.findtext("memory") == "2048"
    assert xml.find("cpu").get("mode") == "host-passthrough"
    meta = xml.find(f"metadata/{{{domain_xml.METADATA_NAMESPACE}}}machine")
    assert meta is not None
    assert meta.get("hostname") == "web-1"
    disk, cdrom = xml.findall("devices/disk")
    assert (disk.get("device"), disk.find("source").get("file")) == ("disk", "/pool/disk")
    assert (cdrom.get("device"), cdrom.find("source").get("file")) == ("cdrom", "/pool/seed.iso")
    nic = xml.find("devices/interface")
    assert nic.find("source").get("network") == "default"
    assert nic.find("mac").get("address") == "52:00:00:00:00:01"


def test_domain_xml_without_network_has_no_nic_and_emulated_guests_no_cpu_passthrough() -> None:
    xml = ET.fromstring(domain_xml.render_domain_xml(plan(network=None, mac=None, domain_type="qemu")))
    assert xml.find("devices/interface") is None
    assert xml.find("cpu") is None
