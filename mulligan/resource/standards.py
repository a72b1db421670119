"""The standard resource classes and traits every Mulligan knows.

Operators add their own as ``CUSTOM_*``. Standard codes live here, not in
the database, so a new release can add one without a migration.
"""

from __future__ import annotations

import re

CUSTOM_PATTERN = re.compile(r"CUSTOM_[A-Z0-9_]+")
MAX_CODE = 255

RESOURCE_CLASSES = frozenset(
    {
        "VCPU",
        "PCPU",
        "MEMORY_MB",
        "DISK_GB",
        "SRIOV_NET_VF",
        "PCI_DEVICE",
        "VGPU",
        "VGPU_DISPLAY_HEAD",
        "FPGA",
        "IPV4_ADDRESS",
        "NUMA_SOCKET",
        "NUMA_CORE",
        "NUMA_THREAD",
        "NUMA_MEMORY_MB",
        "NET_BW_EGR_KILOBIT_PER_SEC",
        "NET_BW_IGR_KILOBIT_PER_SEC",
        "MEM_ENCRYPTION_CONTEXT",
        # A whole baremetal node: inventory total 1, min_unit = max_unit = 1.
        # Node kinds (sizes) are custom classes named CUSTOM_NODE_<KIND>.
        "BAREMETAL_NODE",
    }
)

BAREMETAL_NODE_PREFIX = "CUSTOM_NODE_"

TRAITS = frozenset(
    {
        # CPU architecture and features
        "HW_ARCH_X86_64",
        "HW_ARCH_AARCH64",
        "HW_CPU_X86_SSE42",
        "HW_CPU_X86_AVX",
        "HW_CPU_X86_AVX2",
        "HW_CPU_X86_AVX512F",
        "HW_CPU_X86_AESNI",
        "HW_CPU_X86_VMX",
        "HW_CPU_X86_SVM",
        "HW_CPU_X86_SHA",
        "HW_CPU_X86_AMD_SEV",
        "HW_CPU_X86_INTEL_SGX",
        "HW_CPU_AARCH64_SVE",
        "HW_CPU_HYPERTHREADING",
        # Topology and devices
        "HW_NUMA_ROOT",
        "HW_GPU_NVIDIA",
        "HW_GPU_AMD",
        "HW_NIC_SRIOV",
        "HW_NIC_OFFLOAD_TSO",
        "HW_NIC_ACCEL_DPDK",
        "HW_FPGA_XILINX",
        "HW_FPGA_INTEL",
        "HW_TPM_2_0",
        # Storage kind
        "STORAGE_DISK_HDD",
        "STORAGE_DISK_SSD",
        "STORAGE_DISK_NVME",
        "STORAGE_SHARED",
        # What the provider is and what it can do
        "COMPUTE_VM",
        "COMPUTE_BAREMETAL",
        "COMPUTE_SECURE_BOOT",
        "COMPUTE_UEFI",
        "COMPUTE_STATUS_DISABLED",
        "COMPUTE_MAINTENANCE",
        "NET_LINK_10G",
        "NET_LINK_25G",
        "NET_LINK_100G",
    }
)


def is_custom(code: str) -> bool:
    return len(code) <= MAX_CODE and CUSTOM_PATTERN.fullmatch(code) is not None
