"""Who may call what: every IAM RPC called by every persona, over real gRPC.

Personas: the system admin, a project admin, a member and a reader of
project alpha, a member of project beta ("outsider"), a caller without a
token, and five callers with bad tokens: expired, forged signature,
``alg=none``, signed by a rotated-out key and expired, and revoked.

Each row of the table gives the expected status per persona; the last
column applies to all five bad tokens. Every mutating cell also checks that
the mutation happened exactly when the call succeeded.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from google.protobuf import field_mask_pb2

from mulligan import config as config_mod
from mulligan import daemon as daemon_mod
from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.api.iam.v1 import iam_pb2_grpc as pb_grpc
from mulligan.client import Client
from mulligan.errors import Unauthenticated
from mulligan.policy import POLICIES
from tests.fixtures.iam import (
    Identity,
    bootstrap,
    claims_for,
    create_project,
    create_user,
    grant,
    login,
    member,
    mint,
    signing_key,
    unsigned,
)

SERVICE = "/mulligan.iam.v1.IamService/"
PERSONAS = ("sysadmin", "padmin", "member", "reader", "outsider", "anonymous")
BAD_TOKENS = ("expired", "forged", "alg_none", "rotated_out", "revoked")

OK, UA, PD, NF, FP = "OK", "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND", "FAILED_PRECONDITION"


@dataclass
class World:
    daemon: daemon_mod.Daemon
    admin: Identity
    alpha: str
    beta: str
    tokens: dict[str, str | None]
    identities: dict[str, Identity]
    stubs: dict[str, pb_grpc.IamServiceStub] = field(default_factory=dict)
    channel: grpc.Channel | None = None

    def call(self, method: str, request: Any, token: str | None) -> str:
        assert self.channel is not None
        rpc = self.channel.unary_unary(
            SERVICE + method,
            request_serializer=type(request).SerializeToString,
            response_deserializer=lambda raw: raw,
        )
        metadata = [("authorization", f"Bearer {token}")] if token else []
        try:
            rpc(request, metadata=metadata, timeout=30)
        except grpc.RpcError as exc:
            return str(exc.code().name)  # type: ignore[attr-defined]
        return OK

    def admin_call(self, method: str, request: Any) -> Any:
        return getattr(self.stubs["admin"], method)(
            request, metadata=[("authorization", f"Bearer {self.admin.token}")], timeout=30
        )


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    state = tmp_path_factory.mktemp("matrix")
    config = config_mod.load(
        environ={},
        overrides={"state_dir": str(state), "listen": "127.0.0.1:0", "database_url": f"sqlite:///{state / 'm.db'}"},
        path=Path("/dev/null"),
    )
    daemon = daemon_mod.start(config)
    try:
        admin = bootstrap(daemon)
        with admin.client(daemon) as client:
            alpha = create_project(client, "alpha")
            beta = create_project(client, "beta")
            people = {
                "padmin": member(daemon, client, "pat", alpha, "admin"),
                "member": member(daemon, client, "max", alpha, "member"),
                "reader": member(daemon, client, "rae", alpha, "reader"),
                "outsider": member(daemon, client, "oz", beta, "member"),
            }
            create_user(client, "probe", "probe-password")
            # Signed by a key that is then rotated out, and expired.
            old_kid, old_key = signing_key(daemon)
            now = time.time()
            rotated_out = mint(claims_for(people["member"], iat=now - 700, exp=int(now) - 100), old_key, old_kid)
            client.iam.RotateSigningKey(pb.RotateSigningKeyRequest())
            kid, key = signing_key(daemon)
            assert kid != old_kid
            admin_claims = claims_for(admin, system_admin=True)
            revoked = login(daemon, "max", people["member"].password, alpha)
            with Identity(people["member"].account_id, "max", "", alpha, revoked).client(daemon) as victim:
                victim.iam.RevokeToken(pb.RevokeTokenRequest())
        tokens: dict[str, str | None] = {
            "sysadmin": admin.token,
            **{persona: identity.token for persona, identity in people.items()},
            "anonymous": None,
            "expired": mint(claims_for(people["member"], iat=now - 700, exp=int(now) - 60), key, kid),
            "forged": mint(admin_claims, Ed25519PrivateKey.generate(), kid),
            "alg_none": unsigned(admin_claims, {"alg": "none", "typ": "JWT", "kid": kid}),
            "rotated_out": rotated_out,
            "revoked": revoked,
        }
        channel = grpc.insecure_channel(daemon.address)
        world = World(daemon, admin, alpha, beta, tokens, people, {"admin": pb_grpc.IamServiceStub(channel)}, channel)
        yield world
        channel.close()
    finally:
        daemon.stop(0)


# -- what each operation needs, and how to see that it happened


@dataclass
class Prepared:
    request: Any
    happened: Callable[[], bool] | None = None
    # Use this token instead of the persona's (a fresh one for self-revoking calls).
    token: str | None = None


def _exists(world: World, method: str, request: Any) -> bool:
    try:
        world.admin_call(method, request)
    except grpc.RpcError as exc:
        if exc.code() == grpc.StatusCode.NOT_FOUND:  # type: ignore[attr-defined]
            return False
        raise
    return True


def _fresh_user(world: World, role: str | None = None) -> str:
    with world.admin.client(world.daemon) as client:
        account_id, _ = create_user(client, _name("u"), "a-good-password")
        if role:
            grant(client, account_id, world.alpha, role)
    return account_id


def _assigned(world: World, account_id: str) -> bool:
    response = world.admin_call("ListRoleAssignments", pb.ListRoleAssignmentsRequest(account=account_id))
    return any(item.project_id == world.alpha for item in response.role_assignments)


def prepare_create_account(world: World, persona: str) -> Prepared:
    name = _name("new")
    request = pb.CreateAccountRequest(account=pb.Account(name=name), password="a-good-password")
    return Prepared(request, lambda: _exists(world, "GetAccount", pb.GetAccountRequest(account=name)))


def prepare_create_credential(world: World, persona: str) -> Prepared:
    name = _name("cred")
    request = pb.CreateApplicationCredentialRequest(name=name, project=world.alpha, roles=["member"])

    def happened() -> bool:
        listed = world.admin_call("ListAccounts", pb.ListAccountsRequest(page_size=500))
        return any(account.name == name for account in listed.accounts)

    return Prepared(request, happened)


def prepare_update_account(world: World, persona: str) -> Prepared:
    target = world.identities["reader"].account_id
    marker = _name("note")
    request = pb.UpdateAccountRequest(
        account=pb.Account(id=target, description=marker), update_mask=field_mask_pb2.FieldMask(paths=["description"])
    )

    def happened() -> bool:
        return bool(world.admin_call("GetAccount", pb.GetAccountRequest(account=target)).account.description == marker)

    return Prepared(request, happened)


def prepare_delete_user(world: World, persona: str) -> Prepared:
    target = _fresh_user(world, "reader")
    return Prepared(
        pb.DeleteAccountRequest(account=target),
        lambda: not _exists(world, "GetAccount", pb.GetAccountRequest(account=target)),
    )


def prepare_delete_credential(world: World, persona: str) -> Prepared:
    creator = world.identities["member"]
    with creator.client(world.daemon) as client:
        created = client.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name=_name("cred")))
    target = created.account.id
    return Prepared(
        pb.DeleteAccountRequest(account=target),
        lambda: not _exists(world, "GetAccount", pb.GetAccountRequest(account=target)),
    )


def prepare_update_project(world: World, persona: str) -> Prepared:
    marker = _name("about")
    request = pb.UpdateProjectRequest(
        project=pb.Project(id=world.alpha, description=marker),
        update_mask=field_mask_pb2.FieldMask(paths=["description"]),
    )

    def happened() -> bool:
        found = world.admin_call("GetProject", pb.GetProjectRequest(project=world.alpha))
        return bool(found.project.description == marker)

    return Prepared(request, happened)


def prepare_create_project(world: World, persona: str) -> Prepared:
    name = _name("proj")
    return Prepared(
        pb.CreateProjectRequest(project=pb.Project(name=name)),
        lambda: _exists(world, "GetProject", pb.GetProjectRequest(project=name)),
    )


def prepare_delete_project(world: World, persona: str) -> Prepared:
    with world.admin.client(world.daemon) as client:
        project_id = create_project(client, _name("doomed"))
    return Prepared(
        pb.DeleteProjectRequest(project=project_id),
        lambda: not _exists(world, "GetProject", pb.GetProjectRequest(project=project_id)),
    )


def prepare_create_assignment(world: World, persona: str) -> Prepared:
    target = _fresh_user(world)
    request = pb.CreateRoleAssignmentRequest(account=target, project=world.alpha, role="reader")
    return Prepared(request, lambda: _assigned(world, target))


def prepare_delete_assignment(world: World, persona: str) -> Prepared:
    target = _fresh_user(world, "reader")
    request = pb.DeleteRoleAssignmentRequest(account=target, project=world.alpha, role="reader")
    return Prepared(request, lambda: not _assigned(world, target))


def prepare_rotate(world: World, persona: str) -> Prepared:
    before = signing_key(world.daemon)[0]
    return Prepared(pb.RotateSigningKeyRequest(), lambda: signing_key(world.daemon)[0] != before)


def prepare_revoke_own_token(world: World, persona: str) -> Prepared:
    identity = world.identities.get(persona)
    if persona == "sysadmin":
        identity = world.admin
    if identity is None:
        return Prepared(pb.RevokeTokenRequest())
    token = login(world.daemon, identity.name, identity.password, identity.project_id)

    def happened() -> bool:
        return world.call("ListRoles", pb.ListRolesRequest(), token) == UA

    return Prepared(pb.RevokeTokenRequest(), happened, token)


def prepare_revoke_account_tokens(world: World, persona: str) -> Prepared:
    target = _fresh_user(world, "reader")
    return Prepared(pb.RevokeAccountTokensRequest(account=target))


def fixed(request: Any) -> Callable[[World, str], Prepared]:
    return lambda world, persona: Prepared(request)


def with_world(make: Callable[[World], Any]) -> Callable[[World, str], Prepared]:
    return lambda world, persona: Prepared(make(world))


@dataclass(frozen=True)
class Row:
    method: str
    prepare: Callable[[World, str], Prepared]
    # sysadmin, padmin, member, reader, outsider, anonymous, bad tokens
    expect: tuple[str, str, str, str, str, str, str]
    label: str = ""


ROWS = [
    #                                                                   sys padm mem rdr out anon bad
    Row("Configure", fixed(pb.ConfigureRequest()), (OK, PD, PD, PD, PD, UA, UA)),
    Row(
        "Bootstrap",
        fixed(pb.BootstrapRequest(secret="x", admin_name="a", admin_password="a-password", project_name="p")),
        (FP, FP, FP, FP, FP, FP, FP),
    ),
    Row(
        "Authenticate",
        fixed(pb.AuthenticateRequest(password=pb.PasswordCredentials(account="probe", password="probe-password"))),
        (OK, OK, OK, OK, OK, OK, OK),
    ),
    Row(
        "GetAccount",
        with_world(lambda w: pb.GetAccountRequest(account=w.identities["reader"].account_id)),
        (OK, OK, OK, OK, NF, UA, UA),
    ),
    Row("ListAccounts", fixed(pb.ListAccountsRequest()), (OK, OK, OK, OK, OK, UA, UA)),
    Row("CreateAccount", prepare_create_account, (OK, PD, PD, PD, PD, UA, UA)),
    Row("CreateApplicationCredential", prepare_create_credential, (OK, OK, OK, PD, NF, UA, UA)),
    Row("UpdateAccount", prepare_update_account, (OK, PD, PD, OK, NF, UA, UA)),
    Row("DeleteAccount", prepare_delete_user, (OK, PD, PD, PD, NF, UA, UA), "user"),
    Row("DeleteAccount", prepare_delete_credential, (OK, OK, OK, PD, NF, UA, UA), "credential"),
    Row("GetProject", with_world(lambda w: pb.GetProjectRequest(project=w.alpha)), (OK, OK, OK, OK, NF, UA, UA)),
    Row("ListProjects", fixed(pb.ListProjectsRequest()), (OK, OK, OK, OK, OK, UA, UA)),
    Row("CreateProject", prepare_create_project, (OK, PD, PD, PD, PD, UA, UA)),
    Row("UpdateProject", prepare_update_project, (OK, OK, PD, PD, PD, UA, UA)),
    Row("DeleteProject", prepare_delete_project, (OK, PD, PD, PD, PD, UA, UA)),
    Row("GetRole", fixed(pb.GetRoleRequest(name="member")), (OK, OK, OK, OK, OK, UA, UA)),
    Row("ListRoles", fixed(pb.ListRolesRequest()), (OK, OK, OK, OK, OK, UA, UA)),
    Row(
        "ListRoleAssignments",
        with_world(lambda w: pb.ListRoleAssignmentsRequest(project=w.alpha)),
        (OK, OK, OK, OK, NF, UA, UA),
    ),
    Row("CreateRoleAssignment", prepare_create_assignment, (OK, OK, PD, PD, PD, UA, UA)),
    Row("DeleteRoleAssignment", prepare_delete_assignment, (OK, OK, PD, PD, PD, UA, UA)),
    Row("RotateSigningKey", prepare_rotate, (OK, PD, PD, PD, PD, UA, UA)),
    Row("ListSigningKeys", fixed(pb.ListSigningKeysRequest()), (OK, OK, OK, OK, OK, OK, OK)),
    Row("RevokeToken", prepare_revoke_own_token, (OK, OK, OK, OK, OK, UA, UA)),
    Row("RevokeAccountTokens", prepare_revoke_account_tokens, (OK, PD, PD, PD, NF, UA, UA)),
]


def test_every_iam_rpc_is_in_the_matrix_and_the_policy_table() -> None:
    methods = {method.name for method in pb.DESCRIPTOR.services_by_name["IamService"].methods}
    assert {row.method for row in ROWS} == methods
    assert {name for name in POLICIES if name.startswith(SERVICE)} == {SERVICE + method for method in methods}


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.method}{'-' + row.label if row.label else ''}" for row in ROWS])
def test_persona_matrix(world: World, row: Row) -> None:
    expected = dict(zip(PERSONAS, row.expect[:6], strict=True)) | {bad: row.expect[6] for bad in BAD_TOKENS}
    actual: dict[str, str] = {}
    wrong_effects: list[str] = []
    for persona in (*PERSONAS, *BAD_TOKENS):
        prepared = row.prepare(world, persona)
        token = prepared.token or world.tokens[persona]
        actual[persona] = world.call(row.method, prepared.request, token)
        if prepared.happened is not None and prepared.happened() != (actual[persona] == OK):
            wrong_effects.append(
                f"{persona}: {actual[persona]}, yet the change {'is missing' if actual[persona] == OK else 'happened'}"
            )
    assert actual == expected
    assert wrong_effects == []


def test_bad_tokens_say_why(world: World) -> None:
    """The five bad tokens each fail with their own reason."""
    reasons = {}
    for persona in BAD_TOKENS:
        with Client(world.daemon.address, token=world.tokens[persona]) as client:
            with pytest.raises(Unauthenticated) as caught:
                client.iam.ListRoles(pb.ListRolesRequest())
            reasons[persona] = caught.value.reason
    assert reasons == {
        "expired": "TOKEN_EXPIRED",
        "forged": "TOKEN_SIGNATURE_INVALID",
        "alg_none": "TOKEN_ALGORITHM_REJECTED",
        "rotated_out": "TOKEN_EXPIRED",
        "revoked": "TOKEN_REVOKED",
    }
    with Client(world.daemon.address) as client, pytest.raises(Unauthenticated) as caught:
        client.iam.ListRoles(pb.ListRolesRequest())
    assert caught.value.reason == "TOKEN_MISSING"
    assert "authorization: Bearer" in caught.value.message
