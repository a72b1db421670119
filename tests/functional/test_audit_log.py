"""The audit log over real gRPC: every call that may change state leaves one
line on ``mulligan.audit`` with who, what and the outcome; reads leave none;
and no secret a request or answer carries ever reaches any log line."""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import field_mask_pb2

from mulligan import errors, logs
from mulligan.api.control.v1 import control_pb2
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.iam.bootstrap import SECRET_FILE
from tests.fixtures.iam import Identity, create_user, login

IAM = "/mulligan.iam.v1.IamService/"


class Captured:
    """Every record the daemon logs during a test, at every level."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog

    def audit(self) -> list[logging.LogRecord]:
        return [r for r in self._caplog.records if r.name == "mulligan.audit"]

    def audited(self, method: str) -> list[dict[str, Any]]:
        return [
            {key: getattr(r, key) for key in ("method", "account_id", "project_id", "objects", "code", "reason")}
            for r in self.audit()
            if r.method == method
        ]

    def formatted(self) -> str:
        """Every record as the daemon writes it, extras included, in both formats."""
        json_format, text_format = logs.JsonFormatter(), logs.TextFormatter()
        return "\n".join(f(r) for r in self._caplog.records for f in (json_format.format, text_format.format))


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[Captured]:
    with caplog.at_level(logging.DEBUG, logger="mulligan"):
        yield Captured(caplog)


def test_a_change_is_audited_with_who_what_and_outcome(client: Client, iam_admin: Identity, captured: Captured) -> None:
    created = client.iam.CreateProject(iam_pb2.CreateProjectRequest(project=iam_pb2.Project(name="alpha"))).project
    with pytest.raises(errors.NotFound):
        client.iam.DeleteProject(iam_pb2.DeleteProjectRequest(project="no-such-project"))
    who = {"account_id": iam_admin.account_id, "project_id": iam_admin.project_id}
    assert captured.audited(IAM + "CreateProject") == [
        {
            "method": IAM + "CreateProject",
            **who,
            "objects": {"project.name": "alpha", "project.id": created.id},
            "code": "OK",
            "reason": "",
        }
    ]
    assert captured.audited(IAM + "DeleteProject") == [
        {
            "method": IAM + "DeleteProject",
            **who,
            "objects": {"project": "no-such-project"},
            "code": "NOT_FOUND",
            "reason": "PROJECT_NOT_FOUND",
        }
    ]
    [line] = [r for r in captured.audit() if r.method == IAM + "CreateProject"]
    assert line.levelno == logging.INFO
    assert line.getMessage() == f"{IAM}CreateProject OK"


def test_reads_are_not_audited(client: Client, iam_admin: Identity, captured: Captured) -> None:
    client.iam.GetProject(iam_pb2.GetProjectRequest(project=iam_admin.project_id))
    client.iam.ListProjects(iam_pb2.ListProjectsRequest())
    client.meta.ResolveNames(meta_pb2.ResolveNamesRequest(kind="project", refs=["admin"]))
    client.meta.DescribeObjects(meta_pb2.DescribeObjectsRequest(kind="project", object_ids=[iam_admin.project_id]))
    client.meta.FindByTags(meta_pb2.FindByTagsRequest(tags=["x"]))
    client.control.ListMachines(control_pb2.ListMachinesRequest())
    stream = client.control.WatchMachines(control_pb2.WatchMachinesRequest(), timeout=0.5)
    with pytest.raises(errors.Unavailable):
        next(stream)
    assert client.health() == "SERVING"
    assert captured.audit() == []


def test_who_is_unknown_when_the_token_is_not_good(daemon: Daemon, iam_admin: Identity, captured: Captured) -> None:
    with Client(daemon.address, token=iam_admin.token + "x") as forged, pytest.raises(errors.Unauthenticated):
        forged.iam.CreateProject(iam_pb2.CreateProjectRequest(project=iam_pb2.Project(name="beta")))
    [line] = captured.audited(IAM + "CreateProject")
    assert (line["account_id"], line["project_id"], line["code"]) == (None, None, "UNAUTHENTICATED")


def test_logins_are_audited_with_the_login_name_and_who_signed_in(
    daemon: Daemon, iam_admin: Identity, captured: Captured
) -> None:
    login(daemon, "admin", iam_admin.password)
    with pytest.raises(errors.Unauthenticated):
        login(daemon, "admin", "not the password")
    good, bad = captured.audited(IAM + "Authenticate")
    # The token's id (not the token) ties later calls and a revocation to the login.
    assert good["objects"].keys() == {"password.account", "account_id", "token_id"}
    assert (good["objects"]["password.account"], good["objects"]["account_id"]) == ("admin", iam_admin.account_id)
    assert (good["code"], bad["code"], bad["reason"]) == ("OK", "UNAUTHENTICATED", "INVALID_CREDENTIALS")
    assert bad["objects"] == {"password.account": "admin"}
    # The caller of a login is nobody yet.
    assert good["account_id"] is None and bad["account_id"] is None


def test_names_cannot_forge_log_lines(client: Client, captured: Captured) -> None:
    with pytest.raises(errors.InvalidArgument):
        client.iam.CreateProject(iam_pb2.CreateProjectRequest(project=iam_pb2.Project(name="x\nlevel=info forged")))
    [line] = captured.audited(IAM + "CreateProject")
    assert line["objects"] == {"project.name": "x\\nlevel=info forged"}
    [record] = [r for r in captured.audit() if r.method == IAM + "CreateProject"]
    assert "\n" not in logs.TextFormatter().format(record)


def test_no_secret_reaches_any_log_line(daemon: Daemon, captured: Captured) -> None:
    bootstrap_secret = (daemon.config.state_dir / SECRET_FILE).read_text().strip()
    admin_password = "admin-" + secrets.token_hex(12)
    with Client(daemon.address) as anonymous:
        booted = anonymous.iam.Bootstrap(
            iam_pb2.BootstrapRequest(
                secret=bootstrap_secret, admin_name="admin", admin_password=admin_password, project_name="admin"
            )
        )
    used: list[str] = [bootstrap_secret, admin_password, booted.token]
    with Client(daemon.address, token=booted.token) as admin:
        account_id, user_password = create_user(admin, "carol", "carol-" + secrets.token_hex(12))
        used.append(user_password)
        user_token = login(daemon, "carol", user_password)
        used.append(user_token)
        new_password = "carol-new-" + secrets.token_hex(12)
        with Client(daemon.address, token=user_token) as carol:
            carol.iam.UpdateAccount(
                iam_pb2.UpdateAccountRequest(
                    account=iam_pb2.Account(id=account_id),
                    update_mask=field_mask_pb2.FieldMask(paths=["password"]),
                    password=new_password,
                    current_password=user_password,
                )
            )
        used.append(new_password)
        credential = admin.iam.CreateApplicationCredential(
            iam_pb2.CreateApplicationCredentialRequest(name="ci", project=booted.project.id, roles=["reader"])
        )
        used.append(credential.secret)
        with Client(daemon.address) as anonymous:
            signed_in = anonymous.iam.Authenticate(
                iam_pb2.AuthenticateRequest(
                    application_credential=iam_pb2.ApplicationCredentialSecret(
                        id=credential.account.id, secret=credential.secret
                    )
                )
            )
        used.append(signed_in.token)
        with pytest.raises(errors.Unauthenticated):
            login(daemon, "carol", "wrong-" + secrets.token_hex(12))
        bmc_password = "bmc-" + secrets.token_hex(12)
        used.append(bmc_password)
        # Refused or accepted, the request held the password.
        with contextlib.suppress(errors.MulliganError):
            admin.control.EnrollHost(
                control_pb2.EnrollHostRequest(
                    name="node-1",
                    kind=control_pb2.HOST_KIND_BAREMETAL,
                    bmc=control_pb2.Bmc(address="127.0.0.1", port=1, username="root", password=bmc_password),
                )
            )
        admin.iam.RevokeToken(iam_pb2.RevokeTokenRequest(token=user_token))
    assert {r.method for r in captured.audit()} >= {
        IAM + "Bootstrap",
        IAM + "CreateAccount",
        IAM + "Authenticate",
        IAM + "UpdateAccount",
        IAM + "CreateApplicationCredential",
        IAM + "RevokeToken",
        "/mulligan.control.v1.ControlService/EnrollHost",
    }
    written = captured.formatted()
    leaked = [value[:12] + "..." for value in used if value in written]
    assert leaked == []


def test_the_audit_log_stays_on_at_any_log_level() -> None:
    root, mulligan, audit = logging.getLogger(), logging.getLogger("mulligan"), logging.getLogger("mulligan.audit")
    handlers, levels = root.handlers[:], [logger.level for logger in (root, mulligan, audit)]
    try:
        logs.setup("error", "json")
        assert audit.isEnabledFor(logging.INFO)
        assert not logging.getLogger("mulligan.iam").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:] = handlers
        for logger, level in zip((root, mulligan, audit), levels, strict=True):
            logger.setLevel(level)


def test_a_failed_call_with_a_grpc_status_only_is_still_audited(
    daemon: Daemon, iam_admin: Identity, captured: Captured
) -> None:
    # Bytes that do not decode: the request holds no readable object.
    with grpc.insecure_channel(daemon.address) as channel, pytest.raises(grpc.RpcError):
        channel.unary_unary(IAM + "CreateProject")(
            b"\x0a\x10abc", metadata=[("authorization", f"Bearer {iam_admin.token}")], timeout=10
        )
    [line] = captured.audited(IAM + "CreateProject")
    assert (line["code"], line["reason"], line["objects"]) == ("INVALID_ARGUMENT", "MALFORMED_REQUEST", {})
