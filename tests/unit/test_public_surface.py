"""Each module's public face, pinned.

Other modules may use only what a package's ``__all__`` exports; a change
here is a change of a module's interface and deserves a second look (and,
for anything the daemon would later serve over the network, a plan for
staying compatible).
"""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "mulligan.iam": {
        "APPLICATION_CREDENTIAL", "Account", "AccountKind", "Authorizer", "Bootstrapped", "IamService",
        "IssuedToken", "MIGRATIONS", "NewApplicationCredential", "Page", "Project", "Role", "RoleAssignment",
        "SigningKeyInfo", "USER",
    },
    "mulligan.meta": {
        "Definition", "DefinitionInfo", "FoundObject", "KINDS", "MIGRATIONS", "MetaService", "Names",
        "Reservation", "Value", "as_registry",
    },
    "mulligan.resource": {
        "Allocation", "Candidate", "CandidatePage", "CandidateRequest", "Claim", "ClaimSpec", "Distance",
        "GroupPolicy", "Inventory", "LoadedFleet",
        "InventorySpec", "MIGRATIONS", "Near", "Provider", "ProviderGroup", "ProviderSpec", "ProviderSummary",
        "Quota", "Rank", "Region", "RequestGroup", "ResourceClass", "ResourceService", "ResourceUsage", "Ties",
        "Trait", "Usage", "Window", "standards",
    },
    "mulligan.control": {
        "BmcAccess", "BootEndpointConfig", "ControlService", "DeploySettings", "Host", "HostKind", "HostState",
        "Image", "ImageFormat", "MIGRATIONS", "Machine", "MachineEvent", "MachineFilter", "MachineKind",
        "MachineRequest", "MachineState", "MachineWatch", "NodeProperties", "PowerAction", "Resources", "ResultHandler",
        "RuntimeSettings", "SHAPES", "SyncSettings", "Task", "TaskQueue", "TaskState", "load_or_create_key",
    },
    "mulligan.executors": {
        "Assignment", "BOOT_DISK", "BOOT_RAMDISK", "BmcCredential", "BmcDriver", "BmcProtocol", "BootDevice",
        "DECOMMISSION_MACHINE", "Dispatcher", "Driver", "DriverError", "HOST_POWER", "HostFacts", "INSPECT_HOST",
        "LibvirtDriver", "MACHINE_POWER", "MachineRef", "MachineSpec", "MeasuredBmcDriver", "NodeInventory",
        "NodePower", "Outcome",
        "PREPARE_BOOT", "PROVISION_MACHINE", "PowerAction", "PowerState", "ProvisionResult", "TaskRunner", "TaskSource",
        "TransientDriverError", "WorkerPool", "bmc_credential", "bmc_driver", "inband_facts", "node_config_drive",
    },
    "mulligan.kv": {
        "Compacted", "Compare", "Event", "EventType", "KeyValue", "KeyValueStore", "Lease", "Op", "TxnResult",
        "Watch", "open_store",
    },
    "mulligan.metrics": {
        "BMC_DURATION", "BMC_ERRORS", "CLAIM_CONFLICTS", "CachedCollector", "MACHINE_WATCH_LAG", "MetricsServer",
        "PoolCollector", "REGISTRY", "RPC_IN_FLIGHT", "TASKS_FINISHED", "observe_rpc",
    },
}  # fmt: skip


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_public_face_is_exactly_as_pinned(package: str) -> None:
    module = importlib.import_module(package)
    assert set(module.__all__) == PUBLIC[package]
    for name in module.__all__:
        assert getattr(module, name) is not None
