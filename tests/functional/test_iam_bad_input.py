"""Malformed credentials and requests get a clear status, never INTERNAL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf import field_mask_pb2

from mulligan import config as config_mod
from mulligan import daemon as daemon_mod
from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from tests.fixtures.iam import Identity, bootstrap, create_project, create_user, login, unsigned


def _list_roles(daemon: Daemon, metadata: list[tuple[str, str]]) -> grpc.RpcError:
    with grpc.insecure_channel(daemon.address) as channel:
        call = channel.unary_unary(
            "/mulligan.iam.v1.IamService/ListRoles",
            request_serializer=pb.ListRolesRequest.SerializeToString,
            response_deserializer=pb.ListRolesResponse.FromString,
        )
        with pytest.raises(grpc.RpcError) as caught:
            call(pb.ListRolesRequest(), metadata=metadata, timeout=10)
    return caught.value


MALFORMED = [
    ("Basic YWRtaW46YWRtaW4=", "Bearer <token>"),
    ("Bearer", "Bearer <token>"),
    ("Bearer ", "Bearer <token>"),
    ("Bearer garbage", "not a JWT"),
    ("Bearer a.b.c", "header"),
    ("bearer x.y.z.w", "not a JWT"),
    ("Bearer " + "x" * 5000, "longer than"),
    ("Bearer " + unsigned({}, {"alg": "EdDSA", "kid": 7}), "header"),
    ("Bearer " + unsigned({}, {"alg": "EdDSA", "kid": ["k"]}), "header"),
]


def test_malformed_authorization_is_unauthenticated(client: Client, daemon: Daemon) -> None:
    for value, needle in MALFORMED:
        error = _list_roles(daemon, [("authorization", value)])
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED, value  # type: ignore[attr-defined]
        assert needle in error.details(), value  # type: ignore[attr-defined]


def test_oversize_and_empty_fields(client: Client) -> None:
    project_id = create_project(client, "alpha")
    cases = [
        (lambda: client.iam.CreateProject(pb.CreateProjectRequest(project=pb.Project(name=""))), "NAME_REQUIRED"),
        (
            lambda: client.iam.CreateProject(
                pb.CreateProjectRequest(project=pb.Project(name="p", description="d" * 2000))
            ),
            "FIELD_TOO_LONG",
        ),
        (
            lambda: client.iam.UpdateProject(
                pb.UpdateProjectRequest(
                    project=pb.Project(id=project_id, description="d" * 2000),
                    update_mask=field_mask_pb2.FieldMask(paths=["description"]),
                )
            ),
            "FIELD_TOO_LONG",
        ),
        (lambda: client.iam.GetProject(pb.GetProjectRequest(project="p" * 300)), "INVALID_REFERENCE"),
        (lambda: client.iam.ListProjects(pb.ListProjectsRequest(page_token="!!")), "INVALID_PAGE_TOKEN"),
        (lambda: client.iam.ListRoleAssignments(pb.ListRoleAssignmentsRequest(page_token="e30")), "INVALID_PAGE_TOKEN"),
        (
            lambda: client.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="")),
            "NAME_REQUIRED",
        ),
        (
            lambda: client.iam.CreateApplicationCredential(
                pb.CreateApplicationCredentialRequest(name="c", description="x" * 1025)
            ),
            "FIELD_TOO_LONG",
        ),
    ]
    for call, reason in cases:
        with pytest.raises(InvalidArgument) as caught:
            call()
        assert caught.value.reason == reason
    names = [p.name for p in client.iam.ListProjects(pb.ListProjectsRequest()).projects]
    assert names == ["admin", "alpha"]
    assert client.iam.GetProject(pb.GetProjectRequest(project="alpha")).project.description == ""
    assert len(client.iam.ListAccounts(pb.ListAccountsRequest()).accounts) == 1


def test_revoking_someone_elses_token_is_denied(daemon: Daemon, client: Client, iam_admin: Identity) -> None:
    create_user(client, "lee", "lee-password-1")
    with Client(daemon.address, token=login(daemon, "lee", "lee-password-1")) as as_lee:
        with pytest.raises(PermissionDenied) as caught:
            as_lee.iam.RevokeToken(pb.RevokeTokenRequest(token=iam_admin.token))
        assert caught.value.reason == "TOKEN_NOT_OWNED"
        # An account lee cannot see does not exist for him.
        with pytest.raises(NotFound):
            as_lee.iam.RevokeAccountTokens(pb.RevokeAccountTokensRequest(account="admin"))
        with pytest.raises(Unauthenticated) as malformed:
            as_lee.iam.RevokeToken(pb.RevokeTokenRequest(token="not.a.token"))
        assert malformed.value.reason == "TOKEN_MALFORMED"
    client.iam.ListRoles(pb.ListRolesRequest())
    # An admin may revoke anyone's.
    token = login(daemon, "lee", "lee-password-1")
    assert client.iam.RevokeToken(pb.RevokeTokenRequest(token=token)).token_id
    with Client(daemon.address, token=token) as as_lee, pytest.raises(Unauthenticated):
        as_lee.iam.ListRoles(pb.ListRolesRequest())


class _Unlisted(grpc.GenericRpcHandler):
    """A method that is served but missing from the policy table."""

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler | None:
        if handler_call_details.method != "/test.Unlisted/Call":  # type: ignore[attr-defined]
            return None
        return grpc.unary_unary_rpc_method_handler(lambda request, context: b"served")


@pytest.fixture
def daemon_with_unlisted_method(tmp_path: Path) -> Iterator[Daemon]:
    config = config_mod.load(
        environ={}, overrides={"state_dir": str(tmp_path / "state"), "listen": "127.0.0.1:0"}, path=Path("/dev/null")
    )
    daemon = daemon_mod.start(config, extra_handlers=[_Unlisted()])
    yield daemon
    daemon.stop(0)


def test_a_method_without_a_policy_is_refused(daemon_with_unlisted_method: Daemon) -> None:
    daemon = daemon_with_unlisted_method
    admin = bootstrap(daemon)
    with grpc.insecure_channel(daemon.address) as channel:
        call = channel.unary_unary("/test.Unlisted/Call")
        for metadata in ([], [("authorization", f"Bearer {admin.token}")]):
            with pytest.raises(grpc.RpcError) as caught:
                call(b"", metadata=metadata, timeout=10)
            assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED  # type: ignore[attr-defined]
            assert "no access policy" in caught.value.details()  # type: ignore[attr-defined]
