"""A Mulligan 0.1.0 client keeps working against today's daemon.

The client is 0.1.0's own generated code (tests/compat/v0_1_0/api), with
its messages in a descriptor pool of their own: every request is encoded and
every answer decoded exactly as 0.1.0 would. Every method of every service
0.1.0 declared is called at least once with a request that made sense to
0.1.0. An answer that is a domain error (NOT_FOUND, FAILED_PRECONDITION, ...)
is fine; UNIMPLEMENTED, INTERNAL, UNKNOWN, INVALID_ARGUMENT (0.1.0's request
no longer accepted) or an answer 0.1.0 cannot decode is not.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf.message import Message

from tests.compat.v0_1_0.api.control.v1 import control_pb2, control_pb2_grpc
from tests.compat.v0_1_0.api.iam.v1 import iam_pb2, iam_pb2_grpc
from tests.compat.v0_1_0.api.meta.v1 import meta_pb2, meta_pb2_grpc
from tests.compat.v0_1_0.api.resource.v1 import resource_pb2, resource_pb2_grpc
from tests.fixtures.daemon import wait_for
from tests.fixtures.fleet import IMAGE_VOLUME, Fleet, write_test_hypervisor
from tests.fixtures.iam import Identity

SERVICES = {
    "iam": (iam_pb2, iam_pb2_grpc.IamServiceStub),
    "meta": (meta_pb2, meta_pb2_grpc.MetaServiceStub),
    "resource": (resource_pb2, resource_pb2_grpc.ResourceServiceStub),
    "control": (control_pb2, control_pb2_grpc.ControlServiceStub),
}
Code = grpc.StatusCode
DOMAIN_ERRORS = frozenset({Code.NOT_FOUND, Code.FAILED_PRECONDITION, Code.ALREADY_EXISTS})


def declared_methods() -> set[str]:
    """Service/Method for every method 0.1.0's descriptors declare."""
    return {
        f"{service.name}/{method.name}"
        for module, _ in SERVICES.values()
        for service in module.DESCRIPTOR.services_by_name.values()
        for method in service.methods
    }


@dataclass
class OldClient:
    """0.1.0's stubs on one channel, recording how every call ended."""

    channel: grpc.Channel
    token: str = ""
    outcomes: dict[str, list[Code]] = field(default_factory=dict)
    last_error: str = ""

    def __post_init__(self) -> None:
        self.stubs = {name: stub(self.channel) for name, (_, stub) in SERVICES.items()}

    def call(self, service: str, method: str, request: Message, *, token: str | None = None) -> Any:
        """The response, or None when the daemon answered an error (recorded either way)."""
        stub = self.stubs[service]
        key = f"{type(stub).__name__.removesuffix('Stub')}/{method}"
        caller = self.token if token is None else token
        metadata = [("authorization", f"Bearer {caller}")] if caller else []
        try:
            response = getattr(stub, method)(request, timeout=30, metadata=metadata)
        except grpc.RpcError as exc:
            self.outcomes.setdefault(key, []).append(exc.code())
            self.last_error = f"{exc.code().name}: {exc.details()}"
            assert exc.code() in DOMAIN_ERRORS, f"{key}: {exc.code().name} {exc.details()}"
            return None
        self.outcomes.setdefault(key, []).append(Code.OK)
        return response

    def ok(self, service: str, method: str, request: Message, *, token: str | None = None) -> Any:
        response = self.call(service, method, request, token=token)
        assert response is not None, f"{service}.{method} failed: {self.last_error}"
        return response


@pytest.fixture
def old(fleet: Fleet) -> Iterator[OldClient]:
    channel = grpc.insecure_channel(fleet.daemon.address)
    try:
        yield OldClient(channel)
    finally:
        channel.close()


def iam_calls(old: OldClient, admin: Identity) -> dict[str, str]:
    """Every iam method; what later steps need."""
    pb = iam_pb2
    response = old.ok(
        "iam",
        "Authenticate",
        pb.AuthenticateRequest(
            password=pb.PasswordCredentials(account=admin.name, password=admin.password, project=admin.project_id)
        ),
    )
    assert response.account_id == admin.account_id and response.system_admin and response.token
    old.token = response.token
    old.call(
        "iam",
        "Bootstrap",
        pb.BootstrapRequest(secret="x" * 32, admin_name="again", admin_password="p" * 12, project_name="again"),
    )
    assert old.ok("iam", "Configure", pb.ConfigureRequest()).log_level
    project = old.ok("iam", "CreateProject", pb.CreateProjectRequest(project=pb.Project(name="old-tenant"))).project
    assert old.ok("iam", "GetProject", pb.GetProjectRequest(project="old-tenant")).project.id == project.id
    assert project.id in {p.id for p in old.ok("iam", "ListProjects", pb.ListProjectsRequest(page_size=50)).projects}
    update = pb.UpdateProjectRequest(project=pb.Project(id=project.id, description="kept by 0.1.0 clients"))
    update.update_mask.paths.append("description")
    assert old.ok("iam", "UpdateProject", update).project.description == "kept by 0.1.0 clients"
    password = "old-user-password"
    account = old.ok(
        "iam", "CreateAccount", pb.CreateAccountRequest(account=pb.Account(name="old-user"), password=password)
    ).account
    assert account.kind == pb.ACCOUNT_KIND_USER
    assert old.ok("iam", "GetAccount", pb.GetAccountRequest(account="old-user")).account.id == account.id
    listed = old.ok("iam", "ListAccounts", pb.ListAccountsRequest(page_size=50)).accounts
    assert {"old-user", admin.name} <= {a.name for a in listed}
    rename = pb.UpdateAccountRequest(account=pb.Account(id=account.id, display_name="Old User"))
    rename.update_mask.paths.append("display_name")
    assert old.ok("iam", "UpdateAccount", rename).account.display_name == "Old User"
    assert old.ok("iam", "GetRole", pb.GetRoleRequest(name="member")).role.name == "member"
    assert {"admin", "member", "reader"} <= {r.name for r in old.ok("iam", "ListRoles", pb.ListRolesRequest()).roles}
    old.ok(
        "iam",
        "CreateRoleAssignment",
        pb.CreateRoleAssignmentRequest(account=account.id, project=project.id, role="member"),
    )
    held = old.ok("iam", "ListRoleAssignments", pb.ListRoleAssignmentsRequest(project=project.id)).role_assignments
    assert [(a.account_id, a.role) for a in held] == [(account.id, "member")]
    tenant_token = old.ok(
        "iam",
        "Authenticate",
        pb.AuthenticateRequest(
            password=pb.PasswordCredentials(account="old-user", password=password, project="old-tenant")
        ),
    ).token
    credential = old.ok(
        "iam", "CreateApplicationCredential", pb.CreateApplicationCredentialRequest(name="old-app"), token=tenant_token
    )
    assert credential.secret and credential.account.kind == pb.ACCOUNT_KIND_APPLICATION_CREDENTIAL
    app_token = old.ok(
        "iam",
        "Authenticate",
        pb.AuthenticateRequest(
            application_credential=pb.ApplicationCredentialSecret(id=credential.account.id, secret=credential.secret)
        ),
    ).token
    key = old.ok("iam", "RotateSigningKey", pb.RotateSigningKeyRequest()).signing_key
    keys = old.ok("iam", "ListSigningKeys", pb.ListSigningKeysRequest())
    assert key.key_id == keys.signing_keys[0].key_id and key.key_id in keys.jwks
    assert old.ok("iam", "RevokeToken", pb.RevokeTokenRequest(token=app_token)).token_id
    old.ok("iam", "RevokeAccountTokens", pb.RevokeAccountTokensRequest(account=credential.account.id))
    return {
        "project": project.id,
        "account": account.id,
        "credential": credential.account.id,
        "tenant_token": tenant_token,
    }


def iam_cleanup(old: OldClient, made: dict[str, str]) -> None:
    pb = iam_pb2
    old.ok(
        "iam",
        "DeleteRoleAssignment",
        pb.DeleteRoleAssignmentRequest(account=made["account"], project=made["project"], role="member"),
    )
    old.ok("iam", "DeleteAccount", pb.DeleteAccountRequest(account=made["credential"]))
    old.ok("iam", "DeleteAccount", pb.DeleteAccountRequest(account=made["account"]))
    # Still owning a machine record and the like is a precondition, not a failure.
    old.call("iam", "DeleteProject", pb.DeleteProjectRequest(project=made["project"]))


def resource_calls(old: OldClient, project: str) -> None:
    pb = resource_pb2
    assert old.ok("resource", "Configure", pb.ConfigureRequest()).log_level
    region = old.ok(
        "resource",
        "CreateRegion",
        pb.CreateRegionRequest(name="old-region", parent="default", visibility=pb.VISIBILITY_INTERNAL),
    ).region
    assert old.ok("resource", "GetRegion", pb.GetRegionRequest(region="old-region")).region.id == region.id
    assert region.id in {r.id for r in old.ok("resource", "ListRegions", pb.ListRegionsRequest()).regions}
    updated = old.ok(
        "resource",
        "UpdateRegion",
        pb.UpdateRegionRequest(region=region.id, attributes={"power": "a"}, update_attributes=True),
    ).region
    assert dict(updated.attributes) == {"power": "a"}
    old.ok("resource", "CreateResourceClass", pb.CreateResourceClassRequest(code="CUSTOM_OLD"))
    classes = old.ok("resource", "ListResourceClasses", pb.ListResourceClassesRequest()).resource_classes
    assert "CUSTOM_OLD" in {c.code for c in classes}
    old.ok("resource", "CreateTrait", pb.CreateTraitRequest(code="CUSTOM_OLD_TRAIT"))
    traits = old.ok("resource", "ListTraits", pb.ListTraitsRequest(prefix="CUSTOM_OLD")).traits
    assert [t.code for t in traits] == ["CUSTOM_OLD_TRAIT"]
    provider = old.ok(
        "resource",
        "CreateProvider",
        pb.CreateProviderRequest(
            name="old-p", region="old-region", inventories=[pb.InventorySpec(resource_class="CUSTOM_OLD", total=10)]
        ),
    ).provider
    other = old.ok("resource", "CreateProvider", pb.CreateProviderRequest(name="old-q", region="old-region")).provider
    assert old.ok("resource", "GetProvider", pb.GetProviderRequest(provider="old-p")).provider.id == provider.id
    listed = old.ok("resource", "ListProviders", pb.ListProvidersRequest(region="old-region")).providers
    assert {p.name for p in listed} == {"old-p", "old-q"}
    old.ok("resource", "UpdateProvider", pb.UpdateProviderRequest(provider=other.id, parent=provider.id))
    inventories = old.ok(
        "resource",
        "SetInventories",
        pb.SetInventoriesRequest(
            provider=provider.id,
            inventories=[
                pb.InventorySpec(resource_class="CUSTOM_OLD", total=12),
                pb.InventorySpec(resource_class="DISK_GB", total=100),
            ],
            replace=True,
        ),
    ).provider.inventories
    assert {i.resource_class: i.total for i in inventories} == {"CUSTOM_OLD": 12, "DISK_GB": 100}
    old.ok("resource", "DeleteInventory", pb.DeleteInventoryRequest(provider=provider.id, resource_class="DISK_GB"))
    assert old.ok(
        "resource", "SetTraits", pb.SetTraitsRequest(provider=provider.id, traits=["CUSTOM_OLD_TRAIT"])
    ).provider.traits == ["CUSTOM_OLD_TRAIT"]
    group = old.ok("resource", "CreateGroup", pb.CreateGroupRequest(name="old-g")).group
    assert old.ok("resource", "GetGroup", pb.GetGroupRequest(group="old-g")).group.id == group.id
    assert group.id in {g.id for g in old.ok("resource", "ListGroups", pb.ListGroupsRequest()).groups}
    old.ok("resource", "AddGroupMembers", pb.AddGroupMembersRequest(group=group.id, providers=[provider.id, other.id]))
    members = old.ok("resource", "ListGroupMembers", pb.ListGroupMembersRequest(group=group.id)).provider_ids
    assert sorted(members) == sorted([provider.id, other.id])
    old.ok("resource", "RemoveGroupMembers", pb.RemoveGroupMembersRequest(group=group.id, providers=[other.id]))
    old.ok("resource", "ShareInventory", pb.ShareInventoryRequest(provider=provider.id, group=group.id))
    old.ok("resource", "UnshareInventory", pb.UnshareInventoryRequest(provider=provider.id, group=group.id))
    old.ok("resource", "SetDistance", pb.SetDistanceRequest(provider=provider.id, other=other.id, distance=4))
    distances = old.ok("resource", "ListDistances", pb.ListDistancesRequest(provider=provider.id)).distances
    assert [(d.other_id, d.distance) for d in distances] == [(other.id, 4)]
    old.ok("resource", "DeleteDistance", pb.DeleteDistanceRequest(provider=provider.id, other=other.id))
    old.ok("resource", "SetQuota", pb.SetQuotaRequest(project_id=project, resource_class="CUSTOM_OLD", limit=8))
    quotas = old.ok("resource", "ListQuotas", pb.ListQuotasRequest(project_id=project)).quotas
    assert [(q.resource_class, q.limit) for q in quotas] == [("CUSTOM_OLD", 8)]

    consumer = str(uuid.uuid4())
    allocation = pb.Allocation(provider_id=provider.id, resource_class="CUSTOM_OLD", amount=2)
    claim = old.ok(
        "resource",
        "CreateClaim",
        pb.CreateClaimRequest(consumer_id=consumer, project_id=project, kind="old", allocations=[allocation]),
    ).claim
    assert (claim.consumer_id, claim.project_id) == (consumer, project)
    got = old.ok("resource", "GetClaim", pb.GetClaimRequest(consumer_id=consumer, project_id=project)).claim
    assert [(a.provider_id, a.amount) for a in got.allocations] == [(provider.id, 2)]
    claims = old.ok("resource", "ListClaims", pb.ListClaimsRequest(provider=provider.id)).claims
    assert [c.consumer_id for c in claims] == [consumer]
    allocation.amount = 3
    replaced = old.ok(
        "resource",
        "ReplaceClaim",
        pb.ReplaceClaimRequest(consumer_id=consumer, project_id=project, allocations=[allocation]),
    ).claim
    assert replaced.allocations[0].amount == 3
    window = pb.Window()
    window.start_time.FromDatetime(datetime.now(UTC))
    window.end_time.FromDatetime(datetime.now(UTC) + timedelta(days=1))
    old.ok(
        "resource",
        "UpdateClaimWindow",
        pb.UpdateClaimWindowRequest(consumer_id=consumer, project_id=project, window=window),
    )
    usage = old.ok("resource", "GetProviderUsage", pb.GetProviderUsageRequest(provider=provider.id)).usages
    assert {u.resource_class: u.used for u in usage}["CUSTOM_OLD"] == 3
    usage = old.ok("resource", "GetProjectUsage", pb.GetProjectUsageRequest(project_id=project)).usages
    assert {u.resource_class: u.used for u in usage}["CUSTOM_OLD"] == 3
    wanted = pb.RequestGroup(resources=[pb.ResourceAmount(resource_class="CUSTOM_OLD", amount=1)])
    candidates = old.ok(
        "resource", "FindCandidates", pb.FindCandidatesRequest(groups=[wanted], region="old-region")
    ).candidates
    assert [c.providers[0].provider_id for c in candidates] == [provider.id]
    best = old.ok(
        "resource",
        "ClaimBest",
        pb.ClaimBestRequest(consumer_id=str(uuid.uuid4()), project_id=project, groups=[wanted], region="old-region"),
    ).claim
    assert best.allocations[0].provider_id == provider.id
    old.ok("resource", "ReleaseClaim", pb.ReleaseClaimRequest(consumer_id=consumer, project_id=project))
    old.ok("resource", "ReleaseClaim", pb.ReleaseClaimRequest(consumer_id=best.consumer_id, project_id=project))
    old.ok("resource", "DeleteQuota", pb.DeleteQuotaRequest(project_id=project, resource_class="CUSTOM_OLD"))
    old.ok("resource", "DeleteGroup", pb.DeleteGroupRequest(group=group.id))
    old.ok("resource", "DeleteProvider", pb.DeleteProviderRequest(provider=other.id))
    old.ok("resource", "DeleteProvider", pb.DeleteProviderRequest(provider=provider.id))
    old.ok("resource", "DeleteTrait", pb.DeleteTraitRequest(code="CUSTOM_OLD_TRAIT"))
    old.ok("resource", "DeleteResourceClass", pb.DeleteResourceClassRequest(code="CUSTOM_OLD"))
    old.ok("resource", "DeleteRegion", pb.DeleteRegionRequest(region=region.id))


def machine_state(old: OldClient, machine: str) -> int:
    return int(old.ok("control", "GetMachine", control_pb2.GetMachineRequest(machine=machine)).machine.state)


def control_calls(old: OldClient, fleet: Fleet, spare_uri: str) -> str:
    """Every control method but the machine's end; the machine made."""
    pb = control_pb2
    assert old.ok("control", "Configure", pb.ConfigureRequest()).executor_workers > 0
    host = old.ok("control", "GetHost", pb.GetHostRequest(host="hv1")).host
    assert (host.id, host.state, host.kind) == (fleet.host_id, pb.HOST_STATE_READY, pb.HOST_KIND_HYPERVISOR)
    assert host.cpus > 0 and host.memory_mb > 0
    assert [h.id for h in old.ok("control", "ListHosts", pb.ListHostsRequest()).hosts] == [fleet.host_id]
    update = pb.UpdateHostRequest(host=pb.Host(id=host.id, enabled=True))
    update.update_mask.paths.append("enabled")
    assert old.ok("control", "UpdateHost", update).host.enabled
    # A hypervisor has no BMC: a precondition, answered as such.
    old.call("control", "SetHostPower", pb.SetHostPowerRequest(host=host.id, action=pb.POWER_ACTION_ON))
    old.call("control", "SetHostMaintenance", pb.SetHostMaintenanceRequest(host=host.id, maintenance=False))
    old.ok("control", "InspectHost", pb.InspectHostRequest(host=host.id))
    wait_for(
        lambda: (
            old.ok("control", "GetHost", pb.GetHostRequest(host=host.id)).host.inspected_at.ToNanoseconds()
            > host.inspected_at.ToNanoseconds()
        ),
        timeout=30,
        what="hv1 inspected again",
    )
    enrolled = old.ok(
        "control",
        "EnrollHost",
        pb.EnrollHostRequest(name="hv-old", kind=pb.HOST_KIND_HYPERVISOR, region="default", uri=spare_uri),
    ).host
    wait_for(
        lambda: old.ok("control", "GetHost", pb.GetHostRequest(host=enrolled.id)).host.state != pb.HOST_STATE_ENROLLING,
        timeout=30,
        what="hv-old inspected",
    )
    old.ok("control", "DeleteHost", pb.DeleteHostRequest(host=enrolled.id))

    image = old.ok(
        "control",
        "CreateImage",
        pb.CreateImageRequest(name="old-image", format=pb.IMAGE_FORMAT_RAW, source=f"volume:{IMAGE_VOLUME}"),
    ).image
    assert old.ok("control", "GetImage", pb.GetImageRequest(image="old-image")).image.id == image.id
    assert {"tiny", "old-image"} <= {i.name for i in old.ok("control", "ListImages", pb.ListImagesRequest()).images}
    old.ok("control", "DeleteImage", pb.DeleteImageRequest(image=image.id))

    # The main flow: request a machine, follow it to active, find it listed.
    request = pb.ProvisionMachineRequest(
        name="old-vm", image="tiny", resources=pb.Resources(vcpus=1, memory_mb=64, disk_gb=1), ssh_keys=[]
    )
    machine = old.ok("control", "ProvisionMachine", request).machine
    assert machine.name == "old-vm" and machine.kind == pb.MACHINE_KIND_VM
    assert (machine.resources.vcpus, machine.resources.memory_mb) == (1, 64)
    wait_for(lambda: machine_state(old, machine.id) == pb.MACHINE_STATE_ACTIVE, timeout=60, what="old-vm active")
    got = old.ok("control", "GetMachine", pb.GetMachineRequest(machine="old-vm")).machine
    assert (got.id, got.host_id, got.image_id) == (machine.id, fleet.host_id, fleet.image_id)
    assert got.HasField("created_at") and not got.error
    listed = old.ok("control", "ListMachines", pb.ListMachinesRequest(states=[pb.MACHINE_STATE_ACTIVE])).machines
    assert [(m.id, m.name) for m in listed] == [(machine.id, "old-vm")]
    # Power control of VMs is a baremetal-only feature: a precondition.
    old.call("control", "SetMachinePower", pb.SetMachinePowerRequest(machine=machine.id, action=pb.POWER_ACTION_ON))

    # A reservation, its window moved, then given up.
    start = datetime.now(UTC) + timedelta(days=30)
    reserved = pb.ProvisionMachineRequest(name="old-later", image="tiny", resources=request.resources)
    reserved.start.FromDatetime(start)
    reserved.end.FromDatetime(start + timedelta(hours=2))
    later = old.ok("control", "ProvisionMachine", reserved).machine
    assert later.state == pb.MACHINE_STATE_RESERVED
    window = pb.UpdateMachineWindowRequest(machine=later.id)
    window.end.FromDatetime(start + timedelta(hours=4))
    moved = old.ok("control", "UpdateMachineWindow", window).machine
    assert moved.end.ToDatetime(UTC) == start + timedelta(hours=4)
    old.ok("control", "DecommissionMachine", pb.DecommissionMachineRequest(machine=later.id))
    return str(machine.id)


def watch_decommission(old: OldClient, machine: str) -> None:
    """WatchMachines reports the machine's decommissioning as it happens."""
    pb = control_pb2
    stream = old.stubs["control"].WatchMachines(
        pb.WatchMachinesRequest(), timeout=60, metadata=[("authorization", f"Bearer {old.token}")]
    )
    seen: list[Any] = []

    def follow() -> None:
        try:
            for event in stream:
                seen.append(event)
                if event.machine.id == machine and event.machine.state == pb.MACHINE_STATE_DECOMMISSIONED:
                    return
        except grpc.RpcError as exc:
            seen.append(exc)

    follower = threading.Thread(target=follow)
    follower.start()
    try:
        old.ok("control", "DecommissionMachine", pb.DecommissionMachineRequest(machine=machine))
        wait_for(
            lambda: machine_state(old, machine) == pb.MACHINE_STATE_DECOMMISSIONED,
            timeout=60,
            what="old-vm decommissioned",
        )
        follower.join(30)
    finally:
        stream.cancel()
        follower.join(10)
    errors = [item for item in seen if isinstance(item, grpc.RpcError)]
    assert not errors, errors
    assert seen and seen[-1].machine.state == pb.MACHINE_STATE_DECOMMISSIONED
    assert all(event.revision > 0 for event in seen)
    old.outcomes.setdefault("ControlService/WatchMachines", []).append(Code.OK)


def meta_calls(old: OldClient, machine: str, project: str) -> None:
    pb = meta_pb2
    assert old.ok("meta", "Configure", pb.ConfigureRequest()).log_level
    target = pb.ObjectRef(kind="machine", ref=machine)
    resolved = old.ok("meta", "ResolveNames", pb.ResolveNamesRequest(kind="machine", refs=["old-vm"])).results
    assert [(r.found, r.object.object_id) for r in resolved] == [(True, machine)]
    described = old.ok("meta", "DescribeObjects", pb.DescribeObjectsRequest(kind="machine", object_ids=[machine]))
    assert [(o.name, o.project_id) for o in described.objects] == [("old-vm", project)]
    renamed = old.ok("meta", "RenameObject", pb.RenameObjectRequest(object=target, name="old-vm-2")).object
    assert renamed.name == "old-vm-2"
    assert sorted(old.ok("meta", "AddTags", pb.AddTagsRequest(object=target, tags=["a", "b"])).tags) == ["a", "b"]
    assert list(old.ok("meta", "RemoveTags", pb.RemoveTagsRequest(object=target, tags=["a"])).tags) == ["b"]
    assert list(old.ok("meta", "ReplaceTags", pb.ReplaceTagsRequest(object=target, tags=["c"])).tags) == ["c"]
    assert list(old.ok("meta", "ListTags", pb.ListTagsRequest(object=target)).tags) == ["c"]
    found = old.ok("meta", "FindByTags", pb.FindByTagsRequest(tags=["c"], match=pb.TAG_MATCH_ALL)).objects
    assert [o.object_id for o in found] == [machine]
    definition = old.ok(
        "meta",
        "CreateDefinition",
        pb.CreateDefinitionRequest(namespace="old", name="size", schema_json='{"type": "integer"}', project_id=project),
    ).definition
    # A system admin names the project: without one, lookups see only system definitions.
    ref = pb.DefinitionRef(namespace="old", name="size", project_id=project)
    assert old.ok("meta", "GetDefinition", pb.GetDefinitionRequest(definition=ref)).definition.id == definition.id
    listed = old.ok(
        "meta", "ListDefinitions", pb.ListDefinitionsRequest(namespace="old", project_id=project)
    ).definitions
    assert [d.id for d in listed] == [definition.id]
    updated = old.ok(
        "meta", "UpdateDefinition", pb.UpdateDefinitionRequest(definition=ref, description="how big")
    ).definition
    assert updated.description == "how big"
    old.ok("meta", "SetValue", pb.SetValueRequest(object=target, namespace="old", name="size", value_json="3"))
    values = old.ok("meta", "ListValues", pb.ListValuesRequest(object=target)).values
    assert [(v.namespace, v.name, v.value_json) for v in values] == [("old", "size", "3")]
    old.ok("meta", "UnsetValue", pb.UnsetValueRequest(object=target, namespace="old", name="size"))
    old.ok("meta", "DeleteDefinition", pb.DeleteDefinitionRequest(definition=ref))


def test_every_v0_1_0_rpc_works_against_this_daemon(
    fleet: Fleet, iam_admin: Identity, old: OldClient, tmp_path: Path
) -> None:
    made = iam_calls(old, iam_admin)
    resource_calls(old, made["project"])
    machine = control_calls(old, fleet, write_test_hypervisor(tmp_path / "hv-old.xml"))
    meta_calls(old, machine, iam_admin.project_id)
    watch_decommission(old, machine)
    iam_cleanup(old, made)

    assert set(old.outcomes) == declared_methods()
    # Every method answered OK at least once, but for Bootstrap (done
    # already), power and maintenance (for baremetal only) and deleting a
    # project that still owns records.
    refused = {name for name, codes in old.outcomes.items() if Code.OK not in codes}
    assert refused <= {
        "IamService/Bootstrap",
        "ControlService/SetHostPower",
        "ControlService/SetHostMaintenance",
        "ControlService/SetMachinePower",
        "IamService/DeleteProject",
    }, refused
