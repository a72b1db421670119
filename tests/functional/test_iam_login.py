"""Signing in: passwords, application credentials, failures and throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import argon2
import pytest
from google.protobuf import timestamp_pb2

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import (
    InvalidArgument,
    MulliganError,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
)
from mulligan.iam import passwords
from tests.fixtures.daemon import wait_for
from tests.fixtures.iam import create_project, create_user, login, member


def _failure(daemon: Daemon, account: str, password: str) -> MulliganError:
    with pytest.raises(MulliganError) as caught:
        login(daemon, account, password)
    return caught.value


def test_a_failed_login_does_not_reveal_whether_the_account_exists(
    daemon: Daemon, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_user(client, "gina", "gina-password")
    wrong_password = _failure(daemon, "gina", "not-her-password")
    unknown_account = _failure(daemon, "ghost", "not-her-password")
    unknown_id = _failure(daemon, "01a2008c-584d-707a-9555-7ccea3b47c92", "not-her-password")
    for failure in (wrong_password, unknown_account, unknown_id):
        assert isinstance(failure, Unauthenticated)
        assert (failure.reason, failure.message) == (wrong_password.reason, wrong_password.message)
    assert wrong_password.reason == "INVALID_CREDENTIALS"
    # Both do the work of a password check (an unknown name is checked
    # against a dummy hash), so neither answers measurably sooner. Counted,
    # not timed: a timing assertion would depend on the machine's load.
    checked: list[str] = []

    class CountingHasher(argon2.PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checked.append(str(hash))
            return bool(super().verify(hash, password))

    monkeypatch.setattr(passwords, "_hasher", CountingHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1))
    _failure(daemon, "gina", "not-her-password")
    _failure(daemon, "nobody-here", "not-her-password")
    assert len(checked) == 2
    # The unknown name's check is a full argon2id verification too.
    assert all(h.startswith("$argon2id$") for h in checked)


def test_repeated_failures_slow_down_that_name_only(daemon: Daemon, client: Client) -> None:
    create_user(client, "hank", "hank-password")
    create_user(client, "ivy", "ivy-password")
    for _ in range(5):
        assert _failure(daemon, "hank", "guess").reason == "INVALID_CREDENTIALS"
        assert _failure(daemon, "no-such-user", "guess").reason == "INVALID_CREDENTIALS"
    throttled = [_failure(daemon, "hank", "hank-password"), _failure(daemon, "no-such-user", "guess")]
    for failure in throttled:
        assert isinstance(failure, ResourceExhausted)
        assert failure.reason == "LOGIN_THROTTLED"
        assert int(failure.metadata["retry_after_s"]) >= 1
    # Same answer whether the account exists.
    assert throttled[0].message == throttled[1].message
    # Other names sign in as usual.
    assert login(daemon, "ivy", "ivy-password")


def test_bad_login_requests(daemon: Daemon) -> None:
    with Client(daemon.address) as anonymous:
        for request, error, reason in [
            (pb.AuthenticateRequest(), InvalidArgument, "CREDENTIALS_REQUIRED"),
            (
                pb.AuthenticateRequest(password=pb.PasswordCredentials(password="x")),
                InvalidArgument,
                "ACCOUNT_REQUIRED",
            ),
            (
                pb.AuthenticateRequest(password=pb.PasswordCredentials(account="x")),
                InvalidArgument,
                "PASSWORD_REQUIRED",
            ),
            (
                pb.AuthenticateRequest(password=pb.PasswordCredentials(account="a" * 5000, password="x")),
                Unauthenticated,
                "INVALID_CREDENTIALS",
            ),
            (
                pb.AuthenticateRequest(application_credential=pb.ApplicationCredentialSecret(id="x")),
                InvalidArgument,
                "SECRET_REQUIRED",
            ),
            (
                pb.AuthenticateRequest(application_credential=pb.ApplicationCredentialSecret(id="x", secret="y")),
                Unauthenticated,
                "INVALID_CREDENTIALS",
            ),
        ]:
            with pytest.raises(error) as caught:
                anonymous.iam.Authenticate(request)
            assert caught.value.reason == reason


def _credential_login(daemon: Daemon, credential_id: str, secret: str) -> pb.AuthenticateResponse:
    with Client(daemon.address) as anonymous:
        return anonymous.iam.Authenticate(
            pb.AuthenticateRequest(
                application_credential=pb.ApplicationCredentialSecret(id=credential_id, secret=secret)
            )
        )


def test_application_credentials(daemon: Daemon, client: Client) -> None:
    alpha = create_project(client, "alpha")
    jane = member(daemon, client, "jane", alpha, "member")
    with jane.client(daemon) as as_jane:
        created = as_jane.iam.CreateApplicationCredential(
            pb.CreateApplicationCredentialRequest(name="deployer", description="CI", roles=["reader"])
        )
        account = created.account
        assert account.kind == pb.ACCOUNT_KIND_APPLICATION_CREDENTIAL
        assert (account.name, account.project_id, account.creator_id) == ("deployer", alpha, jane.account_id)
        assert len(created.secret) >= 43
        # The secret is not shown again.
        again = as_jane.iam.GetAccount(pb.GetAccountRequest(account=account.id))
        assert created.secret not in str(again)
        # By name within the project, too.
        assert as_jane.iam.GetAccount(pb.GetAccountRequest(account="deployer")).account.id == account.id
        # Only roles the creator holds.
        with pytest.raises(PermissionDenied) as caught:
            as_jane.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="x", roles=["admin"]))
        assert caught.value.reason == "ROLE_NOT_HELD"
        with pytest.raises(InvalidArgument):
            as_jane.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="y", roles=["owner"]))
        with pytest.raises(NotFound):
            as_jane.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="z", project="admin"))

    response = _credential_login(daemon, account.id, created.secret)
    assert (response.account_id, response.project_id, list(response.roles)) == (account.id, alpha, ["reader"])
    assert not response.system_admin
    with Client(daemon.address, token=response.token) as as_app:
        assert as_app.iam.GetProject(pb.GetProjectRequest(project="alpha")).project.id == alpha
        with pytest.raises(PermissionDenied):
            as_app.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="child"))
    with pytest.raises(Unauthenticated) as caught:
        _credential_login(daemon, account.id, created.secret + "x")
    assert caught.value.reason == "INVALID_CREDENTIALS"
    # Application credentials have no roles to be given later, and no password.
    with pytest.raises(MulliganError) as failed:
        client.iam.CreateRoleAssignment(
            pb.CreateRoleAssignmentRequest(account=account.id, project=alpha, role="member")
        )
    assert failed.value.reason == "CREDENTIAL_ROLES_FIXED"
    with pytest.raises(Unauthenticated):
        login(daemon, account.id, created.secret)
    # Its creator deletes it; its tokens go with it.
    with jane.client(daemon) as as_jane:
        as_jane.iam.DeleteAccount(pb.DeleteAccountRequest(account=account.id))
    with Client(daemon.address, token=response.token) as as_app, pytest.raises(Unauthenticated):
        as_app.iam.ListRoles(pb.ListRolesRequest())


def test_application_credential_expiry(daemon: Daemon, client: Client) -> None:
    expires = datetime.now(UTC) + timedelta(seconds=2)
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(expires)
    created = client.iam.CreateApplicationCredential(
        pb.CreateApplicationCredentialRequest(name="short-lived", expire_time=stamp)
    )
    response = _credential_login(daemon, created.account.id, created.secret)
    # Its token never outlives it.
    assert response.expire_time.seconds <= int(expires.timestamp())
    failure = wait_for(
        lambda: _expired(daemon, created.account.id, created.secret), timeout=5, what="the credential to expire"
    )
    assert failure == "CREDENTIAL_EXPIRED"
    past = timestamp_pb2.Timestamp()
    past.FromDatetime(datetime.now(UTC) - timedelta(seconds=5))
    with pytest.raises(InvalidArgument) as caught:
        client.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="dead", expire_time=past))
    assert caught.value.reason == "EXPIRY_IN_PAST"


def _expired(daemon: Daemon, credential_id: str, secret: str) -> str | None:
    try:
        _credential_login(daemon, credential_id, secret)
    except Unauthenticated as exc:
        return exc.reason
    return None
