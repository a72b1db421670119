"""The one policy table: every RPC with the least role and the scope it needs.

``scope="system"`` RPCs need a system admin. ``scope="project"`` RPCs need
the role in the token's project (a system admin passes any check); which
objects the caller then sees is decided by :mod:`mulligan.tenancy`.
``PUBLIC`` RPCs need no token. An RPC missing from the table is refused:
forgetting a policy must never open a method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["public", "authenticated", "reader", "member", "admin"]


@dataclass(frozen=True)
class Policy:
    role: Role
    scope: Literal["system", "project"] = "project"


PUBLIC = Policy("public")
SYSTEM_ADMIN = Policy("admin", "system")
AUTHENTICATED = Policy("authenticated")
READER = Policy("reader")
MEMBER = Policy("member")
PROJECT_ADMIN = Policy("admin")

POLICIES: dict[str, Policy] = {
    # Standard services any gRPC tool uses.
    "/grpc.health.v1.Health/Check": PUBLIC,
    "/grpc.health.v1.Health/Watch": PUBLIC,
    "/grpc.health.v1.Health/List": PUBLIC,
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": PUBLIC,
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo": PUBLIC,
    # --- mulligan.iam.v1 ---
    "/mulligan.iam.v1.IamService/Configure": SYSTEM_ADMIN,
    # The bootstrap secret is the credential.
    "/mulligan.iam.v1.IamService/Bootstrap": PUBLIC,
    "/mulligan.iam.v1.IamService/Authenticate": PUBLIC,
    # Everyone sees themselves; more as the token's project allows.
    "/mulligan.iam.v1.IamService/GetAccount": AUTHENTICATED,
    "/mulligan.iam.v1.IamService/ListAccounts": AUTHENTICATED,
    "/mulligan.iam.v1.IamService/CreateAccount": SYSTEM_ADMIN,
    "/mulligan.iam.v1.IamService/CreateApplicationCredential": MEMBER,
    # Oneself (name, description, password); project admins their project's
    # credentials; system admins anyone.
    "/mulligan.iam.v1.IamService/UpdateAccount": AUTHENTICATED,
    # Users: system admins only; credentials: their creator or a project admin.
    "/mulligan.iam.v1.IamService/DeleteAccount": MEMBER,
    # The projects the caller holds a role in.
    "/mulligan.iam.v1.IamService/GetProject": AUTHENTICATED,
    "/mulligan.iam.v1.IamService/ListProjects": AUTHENTICATED,
    "/mulligan.iam.v1.IamService/CreateProject": SYSTEM_ADMIN,
    "/mulligan.iam.v1.IamService/UpdateProject": PROJECT_ADMIN,
    "/mulligan.iam.v1.IamService/DeleteProject": SYSTEM_ADMIN,
    "/mulligan.iam.v1.IamService/GetRole": AUTHENTICATED,
    "/mulligan.iam.v1.IamService/ListRoles": AUTHENTICATED,
    # One's own assignments, and those of the token's project.
    "/mulligan.iam.v1.IamService/ListRoleAssignments": AUTHENTICATED,
    "/mulligan.iam.v1.IamService/CreateRoleAssignment": PROJECT_ADMIN,
    "/mulligan.iam.v1.IamService/DeleteRoleAssignment": PROJECT_ADMIN,
    "/mulligan.iam.v1.IamService/RotateSigningKey": SYSTEM_ADMIN,
    # Public keys, as any JWKS endpoint.
    "/mulligan.iam.v1.IamService/ListSigningKeys": PUBLIC,
    # One's own tokens; system admins anyone's.
    "/mulligan.iam.v1.IamService/RevokeToken": AUTHENTICATED,
    "/mulligan.iam.v1.IamService/RevokeAccountTokens": AUTHENTICATED,
    # --- mulligan.meta.v1 ---
    "/mulligan.meta.v1.MetaService/Configure": SYSTEM_ADMIN,
    # Reads see the caller's project and system objects; changes to system
    # objects and protected metadefs are further limited by the service.
    "/mulligan.meta.v1.MetaService/ResolveNames": READER,
    "/mulligan.meta.v1.MetaService/DescribeObjects": READER,
    "/mulligan.meta.v1.MetaService/RenameObject": MEMBER,
    "/mulligan.meta.v1.MetaService/AddTags": MEMBER,
    "/mulligan.meta.v1.MetaService/RemoveTags": MEMBER,
    "/mulligan.meta.v1.MetaService/ReplaceTags": MEMBER,
    "/mulligan.meta.v1.MetaService/ListTags": READER,
    "/mulligan.meta.v1.MetaService/FindByTags": READER,
    "/mulligan.meta.v1.MetaService/CreateDefinition": MEMBER,
    "/mulligan.meta.v1.MetaService/GetDefinition": READER,
    "/mulligan.meta.v1.MetaService/ListDefinitions": READER,
    "/mulligan.meta.v1.MetaService/UpdateDefinition": MEMBER,
    "/mulligan.meta.v1.MetaService/DeleteDefinition": MEMBER,
    "/mulligan.meta.v1.MetaService/SetValue": MEMBER,
    "/mulligan.meta.v1.MetaService/UnsetValue": MEMBER,
    "/mulligan.meta.v1.MetaService/ListValues": READER,
    # --- mulligan.resource.v1 ---
    "/mulligan.resource.v1.ResourceService/Configure": SYSTEM_ADMIN,
    # Operator objects (regions, classes, traits, providers, groups, quotas):
    # any reader may look, only a system admin may change them. Claims are
    # tenant objects: members make and release them in their own project.
    "/mulligan.resource.v1.ResourceService/CreateRegion": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/GetRegion": READER,
    "/mulligan.resource.v1.ResourceService/ListRegions": READER,
    "/mulligan.resource.v1.ResourceService/UpdateRegion": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/DeleteRegion": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/CreateResourceClass": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/ListResourceClasses": READER,
    "/mulligan.resource.v1.ResourceService/DeleteResourceClass": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/CreateTrait": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/ListTraits": READER,
    "/mulligan.resource.v1.ResourceService/DeleteTrait": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/CreateProvider": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/GetProvider": READER,
    "/mulligan.resource.v1.ResourceService/ListProviders": READER,
    "/mulligan.resource.v1.ResourceService/UpdateProvider": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/DeleteProvider": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/SetInventories": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/DeleteInventory": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/SetTraits": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/CreateGroup": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/GetGroup": READER,
    "/mulligan.resource.v1.ResourceService/ListGroups": READER,
    "/mulligan.resource.v1.ResourceService/DeleteGroup": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/AddGroupMembers": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/RemoveGroupMembers": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/ListGroupMembers": READER,
    "/mulligan.resource.v1.ResourceService/ShareInventory": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/UnshareInventory": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/SetDistance": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/DeleteDistance": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/ListDistances": READER,
    "/mulligan.resource.v1.ResourceService/CreateClaim": MEMBER,
    "/mulligan.resource.v1.ResourceService/GetClaim": READER,
    "/mulligan.resource.v1.ResourceService/ListClaims": READER,
    "/mulligan.resource.v1.ResourceService/ReplaceClaim": MEMBER,
    "/mulligan.resource.v1.ResourceService/UpdateClaimWindow": MEMBER,
    "/mulligan.resource.v1.ResourceService/ReleaseClaim": MEMBER,
    "/mulligan.resource.v1.ResourceService/ClaimBest": MEMBER,
    "/mulligan.resource.v1.ResourceService/FindCandidates": READER,
    "/mulligan.resource.v1.ResourceService/GetProviderUsage": READER,
    "/mulligan.resource.v1.ResourceService/GetProjectUsage": READER,
    "/mulligan.resource.v1.ResourceService/SetQuota": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/DeleteQuota": SYSTEM_ADMIN,
    "/mulligan.resource.v1.ResourceService/ListQuotas": READER,
    "/mulligan.resource.v1.ResourceService/LoadFleet": SYSTEM_ADMIN,
    # --- mulligan.control.v1 ---
    "/mulligan.control.v1.ControlService/Configure": SYSTEM_ADMIN,
    # Hosts are the operator's: tenants neither see nor touch them.
    "/mulligan.control.v1.ControlService/EnrollHost": SYSTEM_ADMIN,
    "/mulligan.control.v1.ControlService/GetHost": SYSTEM_ADMIN,
    "/mulligan.control.v1.ControlService/ListHosts": SYSTEM_ADMIN,
    "/mulligan.control.v1.ControlService/UpdateHost": SYSTEM_ADMIN,
    "/mulligan.control.v1.ControlService/InspectHost": SYSTEM_ADMIN,
    "/mulligan.control.v1.ControlService/DeleteHost": SYSTEM_ADMIN,
    "/mulligan.control.v1.ControlService/SetHostPower": SYSTEM_ADMIN,
    "/mulligan.control.v1.ControlService/SetHostMaintenance": SYSTEM_ADMIN,
    # Images: system images need a system admin, checked in the service.
    "/mulligan.control.v1.ControlService/CreateImage": MEMBER,
    "/mulligan.control.v1.ControlService/GetImage": READER,
    "/mulligan.control.v1.ControlService/ListImages": READER,
    "/mulligan.control.v1.ControlService/DeleteImage": MEMBER,
    "/mulligan.control.v1.ControlService/ProvisionMachine": MEMBER,
    "/mulligan.control.v1.ControlService/GetMachine": READER,
    "/mulligan.control.v1.ControlService/ListMachines": READER,
    "/mulligan.control.v1.ControlService/DecommissionMachine": MEMBER,
    "/mulligan.control.v1.ControlService/UpdateMachineWindow": MEMBER,
    "/mulligan.control.v1.ControlService/SetMachinePower": MEMBER,
    "/mulligan.control.v1.ControlService/WatchMachines": READER,
}


def policy_for(method: str) -> Policy | None:
    return POLICIES.get(method)
