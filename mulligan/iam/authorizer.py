"""Who is calling and whether they may: the interceptor's authorizer.

Every method is looked up in the one policy table; a method missing from it
is refused. Public methods run as an anonymous caller whatever token they
carry. Everything else needs ``authorization: Bearer <token>``, verified
locally (see :mod:`mulligan.iam.tokens`).
"""

from __future__ import annotations

from mulligan.context import Caller
from mulligan.errors import PermissionDenied, Unauthenticated
from mulligan.iam.tokens import TokenVerifier
from mulligan.policy import Policy, policy_for
from mulligan.rpc.interceptor import Metadata

ANONYMOUS = Caller(account_id="")


def bearer_token(metadata: Metadata) -> str:
    for key, value in metadata:
        if key != "authorization":
            continue
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        scheme, _, token = text.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the authorization metadata must be 'Bearer <token>'", reason="TOKEN_MALFORMED")
        return token.strip()
    raise Unauthenticated(
        "this call needs a token: send the metadata 'authorization: Bearer <token>' "
        "(get one with Authenticate, or `mulligan login`)",
        reason="TOKEN_MISSING",
    )


def check_policy(method: str, policy: Policy, caller: Caller) -> None:
    if policy.scope == "system":
        if not caller.system_admin:
            raise PermissionDenied(f"{_short(method)} needs a system admin", reason="SYSTEM_ADMIN_REQUIRED")
        return
    if policy.role == "authenticated" or caller.system_admin:
        return
    if caller.project_id is None:
        raise PermissionDenied(
            f"{_short(method)} needs a token scoped to a project: authenticate with a project",
            reason="PROJECT_SCOPE_REQUIRED",
        )
    if policy.role not in caller.roles:
        raise PermissionDenied(
            f"{_short(method)} needs the {policy.role} role in the project",
            reason="ROLE_REQUIRED",
            metadata={"role": policy.role},
        )


def _short(method: str) -> str:
    return method.rsplit("/", 1)[-1] or method


class Authorizer:
    def __init__(self, verifier: TokenVerifier) -> None:
        self._verifier = verifier

    def authorize(self, method: str, metadata: Metadata) -> Caller:
        policy = policy_for(method)
        if policy is None:
            raise PermissionDenied(f"{method} has no access policy and is refused", reason="NO_POLICY")
        if policy.role == "public":
            return ANONYMOUS
        caller = self._verifier.verify(bearer_token(metadata)).caller
        check_policy(method, policy, caller)
        return caller
