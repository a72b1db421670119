"""Bootstrap: once, with the secret from the state dir, race-safe."""

from __future__ import annotations

import stat
import threading
from collections.abc import Callable
from typing import Any

import pytest

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import FailedPrecondition, InvalidArgument, MulliganError, Unauthenticated
from mulligan.iam.bootstrap import SECRET_FILE
from tests.fixtures.iam import bootstrap, bootstrap_secret, login


def _request(secret: str, name: str = "admin", password: str = "admin-password", project: str = "admin") -> Any:
    return pb.BootstrapRequest(secret=secret, admin_name=name, admin_password=password, project_name=project)


def _accounts(daemon: Daemon, token: str) -> list[str]:
    with Client(daemon.address, token=token) as client:
        return [a.name for a in client.iam.ListAccounts(pb.ListAccountsRequest()).accounts]


def test_secret_file_is_private_and_bootstrap_invalidates_it(daemon: Daemon) -> None:
    path = daemon.config.state_dir / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = bootstrap_secret(daemon)
    assert len(secret) >= 43
    with Client(daemon.address) as anonymous:
        response = anonymous.iam.Bootstrap(_request(secret))
        assert response.account.system_admin
        assert response.account.name == "admin"
        assert response.project.name == "admin"
        assert not path.exists()
        # Again, even with the right secret: refused, nothing changed.
        with pytest.raises(FailedPrecondition) as caught:
            anonymous.iam.Bootstrap(_request(secret, name="second", project="other"))
        assert caught.value.reason == "ALREADY_BOOTSTRAPPED"
        assert "already bootstrapped" in caught.value.message
    assert _accounts(daemon, response.token) == ["admin"]
    token = login(daemon, "admin", "admin-password", "admin")
    with Client(daemon.address, token=token) as admin:
        projects = admin.iam.ListProjects(pb.ListProjectsRequest()).projects
        assert [p.name for p in projects] == ["admin"]
        roles = admin.iam.ListRoleAssignments(pb.ListRoleAssignmentsRequest()).role_assignments
        assert sorted((r.project_id != "", r.role) for r in roles) == [(False, "admin"), (True, "admin")]


BAD_REQUESTS: list[tuple[dict[str, str], type[MulliganError], str]] = [
    ({"secret": ""}, InvalidArgument, "SECRET_REQUIRED"),
    ({"secret": "not-the-secret"}, Unauthenticated, "INVALID_BOOTSTRAP_SECRET"),
    ({"name": ""}, InvalidArgument, "NAME_REQUIRED"),
    ({"name": "has space"}, InvalidArgument, "INVALID_NAME"),
    ({"name": "x" * 65}, InvalidArgument, "NAME_TOO_LONG"),
    ({"project": ""}, InvalidArgument, "NAME_REQUIRED"),
    ({"password": "short"}, InvalidArgument, "PASSWORD_TOO_SHORT"),
    ({"password": "x" * 1025}, InvalidArgument, "PASSWORD_TOO_LONG"),
]


def test_bad_bootstrap_requests_change_nothing(daemon: Daemon) -> None:
    secret = bootstrap_secret(daemon)
    with Client(daemon.address) as anonymous:
        for request_args, error, reason in BAD_REQUESTS:
            with pytest.raises(error) as caught:
                anonymous.iam.Bootstrap(_request(**{"secret": secret, **request_args}))
            assert caught.value.reason == reason, request_args
    # Still not bootstrapped; the secret still works and the names are free.
    admin = bootstrap(daemon)
    assert _accounts(daemon, admin.token) == ["admin"]


def test_concurrent_bootstraps_exactly_one_wins(daemon: Daemon) -> None:
    secret = bootstrap_secret(daemon)
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def attempt(index: int) -> None:
        with Client(daemon.address) as anonymous:
            barrier.wait()
            try:
                anonymous.iam.Bootstrap(_request(secret, name=f"admin{index % 2}", project=f"ops{index % 3}"))
            except MulliganError as exc:
                outcomes.append(exc.reason)
            else:
                outcomes.append("OK")

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ALREADY_BOOTSTRAPPED"] * 5 + ["OK"]
    winner = next(name for name in ("admin0", "admin1") if _can_login(daemon, name))
    token = login(daemon, winner, "admin-password")
    assert _accounts(daemon, token) == [winner]
    with Client(daemon.address, token=token) as admin:
        assert len(admin.iam.ListProjects(pb.ListProjectsRequest()).projects) == 1


def _can_login(daemon: Daemon, name: str) -> bool:
    try:
        login(daemon, name, "admin-password")
    except Unauthenticated:
        return False
    return True


def test_two_daemons_race_to_bootstrap_one_database(start_daemon: Callable[..., Daemon], database_url: str) -> None:
    first = start_daemon(database_url=database_url)
    second = start_daemon(database_url=database_url)
    secrets = [bootstrap_secret(first), bootstrap_secret(second)]
    assert secrets[0] != secrets[1]
    outcomes: dict[int, str] = {}
    barrier = threading.Barrier(2)

    def attempt(index: int, daemon: Daemon) -> None:
        with Client(daemon.address) as anonymous:
            barrier.wait()
            try:
                anonymous.iam.Bootstrap(_request(secrets[index], name=f"admin{index}", project=f"ops{index}"))
            except MulliganError as exc:
                outcomes[index] = exc.reason
            else:
                outcomes[index] = "OK"

    threads = [threading.Thread(target=attempt, args=item) for item in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["ALREADY_BOOTSTRAPPED", "OK"]
    winner = next(index for index, outcome in outcomes.items() if outcome == "OK")
    token = login(first, f"admin{winner}", "admin-password")
    assert _accounts(second, token) == [f"admin{winner}"]
    # The loser's secret is void too.
    with Client(second.address) as anonymous, pytest.raises(FailedPrecondition):
        anonymous.iam.Bootstrap(_request(secrets[1 - winner], name="late", project="late"))


def test_restart_keeps_an_unused_secret_and_drops_a_used_one(
    start_daemon: Callable[..., Daemon], tmp_path: Any
) -> None:
    state_dir = str(tmp_path / "state")
    url = f"sqlite:///{tmp_path / 'restart.db'}"
    daemon = start_daemon(state_dir=state_dir, database_url=url)
    secret = bootstrap_secret(daemon)
    daemon.stop(0)
    daemon = start_daemon(state_dir=state_dir, database_url=url)
    assert bootstrap_secret(daemon) == secret
    bootstrap(daemon)
    daemon.stop(0)
    daemon = start_daemon(state_dir=state_dir, database_url=url)
    assert not (daemon.config.state_dir / SECRET_FILE).exists()
