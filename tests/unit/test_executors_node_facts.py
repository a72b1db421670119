"""What a node's inspection makes of its BMC's report and the operator's declaration."""

from __future__ import annotations

from mulligan.executors.bmc.types import DiskInfo, NicInfo, NodeInventory, NodePower
from mulligan.executors.node import node_facts


def test_reported_inventory_gives_capacity_and_traits() -> None:
    inventory = NodeInventory(
        arch="x86_64",
        cpus=16,
        memory_mb=65536,
        disks=(DiskInfo("sda", 480, serial="S1", rotational=False), DiskInfo("sdb", 4000, rotational=True)),
        nics=(NicInfo("52:54:00:AA:BB:01"), NicInfo("52:54:00:aa:bb:02")),
        boot_modes=("bios", "uefi"),
    )
    facts = node_facts(inventory, NodePower.ON, {})
    assert (facts["cpus"], facts["memory_mb"], facts["disk_gb"]) == (16, 65536, 4000)
    assert facts["power"] == "on"
    assert facts["macs"] == ["52:54:00:aa:bb:01", "52:54:00:aa:bb:02"]
    assert set(facts["traits"]) == {
        "COMPUTE_BAREMETAL",
        "HW_ARCH_X86_64",
        "CUSTOM_MEMORY_64G",
        "CUSTOM_DISK_2048G",
        "CUSTOM_NICS_2",
        "STORAGE_DISK_SSD",
        "STORAGE_DISK_HDD",
        "COMPUTE_UEFI",
    }


def test_declared_properties_fill_in_what_the_bmc_does_not_say() -> None:
    declared = {"cpus": 8, "memory_mb": 3000, "disk_gb": 100, "arch": "amd64", "traits": ["HW_CPU_X86_AVX2"]}
    facts = node_facts(NodeInventory(cpus=4), NodePower.OFF, declared)
    # The BMC's own figure wins where it has one.
    assert (facts["cpus"], facts["memory_mb"], facts["disk_gb"]) == (4, 3000, 100)
    assert facts["arch"] == "x86_64"
    assert {"HW_ARCH_X86_64", "HW_CPU_X86_AVX2", "CUSTOM_MEMORY_2G", "CUSTOM_DISK_64G"} <= set(facts["traits"])


def test_a_node_that_reports_nothing_is_still_a_node() -> None:
    facts = node_facts(NodeInventory(), NodePower.UNKNOWN, {})
    assert facts["traits"] == ["COMPUTE_BAREMETAL"]
    assert (facts["cpus"], facts["memory_mb"], facts["disk_gb"]) == (0, 0, 0)
