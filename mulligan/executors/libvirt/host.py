"""What a libvirt host offers: architecture, guest type, CPU features, storage pool."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import libvirt

from mulligan.executors.drivers import DriverError

log = logging.getLogger("mulligan.executors.libvirt")

# Pools tried, in order, when none is named: libvirt's usual default, then
# the name libvirt's test driver gives its only pool.
DEFAULT_POOL_NAMES = ("default", "default-pool")

# Guest domain types from fastest to slowest; "test" is libvirt's fake one.
_DOMAIN_TYPE_PREFERENCE = ("kvm", "qemu", "test")

ARCH_TRAITS = {
    "x86_64": "HW_ARCH_X86_64",
    "i686": "HW_ARCH_I686",
    "aarch64": "HW_ARCH_AARCH64",
    "ppc64le": "HW_ARCH_PPC64LE",
    "s390x": "HW_ARCH_S390X",
}

# Host CPU features (libvirt's names) that tenants commonly ask for, as
# standard trait names. Deliberately short: a feature missing here is simply
# not advertised.
CPU_FEATURE_TRAITS = {
    "sse4.1": "HW_CPU_X86_SSE41",
    "sse4.2": "HW_CPU_X86_SSE42",
    "ssse3": "HW_CPU_X86_SSSE3",
    "avx": "HW_CPU_X86_AVX",
    "avx2": "HW_CPU_X86_AVX2",
    "avx512f": "HW_CPU_X86_AVX512F",
    "fma": "HW_CPU_X86_FMA3",
    "aes": "HW_CPU_X86_AES",
    "sha-ni": "HW_CPU_X86_SHA",
    "bmi1": "HW_CPU_X86_BMI",
    "bmi2": "HW_CPU_X86_BMI2",
    "vmx": "HW_CPU_X86_VMX",
    "svm": "HW_CPU_X86_SVM",
}


@dataclass(frozen=True)
class HostProfile:
    arch: str
    domain_type: str
    cpu_features: frozenset[str]

    @property
    def traits(self) -> frozenset[str]:
        traits = {CPU_FEATURE_TRAITS[f] for f in self.cpu_features if f in CPU_FEATURE_TRAITS}
        if self.arch in ARCH_TRAITS:
            traits.add(ARCH_TRAITS[self.arch])
        return frozenset(traits)


def parse_capabilities(capabilities_xml: str, expanded_cpu_xml: str | None = None) -> HostProfile:
    """The host profile from ``virConnectGetCapabilities`` output.

    ``expanded_cpu_xml`` is the host CPU with its model expanded into
    features (``virConnectBaselineCPU`` with EXPAND_FEATURES), when the host
    could provide it; the capabilities list only features beyond the model.
    """
    root = _xml(capabilities_xml)
    arch = root.findtext("host/cpu/arch", default="").strip()
    features = _features(root.find("host/cpu"))
    if expanded_cpu_xml:
        features |= _features(_xml(expanded_cpu_xml))
    return HostProfile(arch=arch, domain_type=_guest_domain_type(root, arch), cpu_features=frozenset(features))


def host_cpu_xml(capabilities_xml: str) -> str | None:
    """The host's ``<cpu>`` element when it names a model (only then can it be expanded)."""
    cpu = _xml(capabilities_xml).find("host/cpu")
    if cpu is None or cpu.find("model") is None:
        return None
    return ET.tostring(cpu, encoding="unicode")


def expand_cpu(conn: Any, cpu_xml: str) -> str | None:
    try:
        expanded: str = conn.baselineCPU([cpu_xml], libvirt.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES)
    except libvirt.libvirtError as exc:
        # Traits then come from the explicitly listed features only.
        log.info("cannot expand the host CPU model", extra={"error": str(exc)})
        return None
    return expanded


def find_pool(conn: Any, name: str | None) -> Any:
    """The named storage pool, or the host's default one; it must be active."""
    if name is not None:
        pool = _lookup_pool(conn, name)
        if pool is None:
            raise DriverError(f"storage pool {name!r} not found on the host")
    else:
        pool = None
        for candidate in DEFAULT_POOL_NAMES:
            pool = _lookup_pool(conn, candidate)
            if pool is not None:
                break
        if pool is None:
            active = conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE)
            if len(active) != 1:
                raise DriverError(
                    "no storage pool named: the host has no pool called "
                    f"{' or '.join(DEFAULT_POOL_NAMES)} and {len(active)} active pools"
                )
            pool = active[0]
    if not pool.isActive():
        raise DriverError(f"storage pool {pool.name()!r} is not active")
    return pool


def _lookup_pool(conn: Any, name: str) -> Any:
    try:
        return conn.storagePoolLookupByName(name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_POOL:
            return None
        raise


def _guest_domain_type(root: ET.Element, arch: str) -> str:
    offered: list[str] = []
    hvm_guests = [g for g in root.findall("guest") if g.findtext("os_type") == "hvm"]
    for guest in hvm_guests:
        guest_arch = guest.find("arch")
        if guest_arch is not None and guest_arch.get("name") == arch:
            offered.extend(d.get("type", "") for d in guest_arch.findall("domain"))
    for kind in _DOMAIN_TYPE_PREFERENCE:
        if kind in offered:
            return kind
    kinds = "/".join(_DOMAIN_TYPE_PREFERENCE)
    raise DriverError(f"the host offers no hardware-virtualised ({kinds}) guests for {arch!r}")


def _features(cpu: ET.Element | None) -> set[str]:
    if cpu is None:
        return set()
    return {f.get("name", "") for f in cpu.findall("feature") if f.get("policy", "require") in ("require", "force")} - {
        ""
    }


def _xml(text: str) -> ET.Element:
    # The document comes from the managed host's libvirt, not from tenants.
    return ET.fromstring(text)  # noqa: S314
