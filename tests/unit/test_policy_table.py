"""The one policy table covers every RPC the daemon serves, and nothing else."""

from __future__ import annotations

from mulligan.api.control.v1 import control_pb2
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.policy import POLICIES, PUBLIC, SYSTEM_ADMIN

SERVICES = [
    (iam_pb2, "IamService"),
    (meta_pb2, "MetaService"),
    (resource_pb2, "ResourceService"),
    (control_pb2, "ControlService"),
]


def _served() -> set[str]:
    methods = set()
    for module, name in SERVICES:
        service = module.DESCRIPTOR.services_by_name[name]
        methods |= {f"/{service.full_name}/{method.name}" for method in service.methods}
    return methods


def test_every_mulligan_rpc_has_a_policy_and_no_policy_is_stale() -> None:
    declared = {name for name in POLICIES if name.startswith("/mulligan.")}
    assert _served() - declared == set(), "RPCs without a policy are refused: declare one"
    assert declared - _served() == set(), "policies for RPCs that do not exist"


def test_runtime_configuration_is_for_system_admins_only() -> None:
    for _, name in SERVICES:
        configure = next(m for m in _served() if m.endswith(f"{name}/Configure"))
        assert POLICIES[configure] == SYSTEM_ADMIN


def test_only_login_bootstrap_keys_and_standard_services_are_public() -> None:
    public = {name for name, policy in POLICIES.items() if policy == PUBLIC}
    assert {name for name in public if name.startswith("/mulligan.")} <= {
        "/mulligan.iam.v1.IamService/Authenticate",
        "/mulligan.iam.v1.IamService/Bootstrap",
        "/mulligan.iam.v1.IamService/ListSigningKeys",
    }
