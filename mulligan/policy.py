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
    # --- mulligan.meta.v1 ---
    "/mulligan.meta.v1.MetaService/Configure": SYSTEM_ADMIN,
    # --- mulligan.resource.v1 ---
    "/mulligan.resource.v1.ResourceService/Configure": SYSTEM_ADMIN,
    # --- mulligan.control.v1 ---
    "/mulligan.control.v1.ControlService/Configure": SYSTEM_ADMIN,
}


def policy_for(method: str) -> Policy | None:
    return POLICIES.get(method)
