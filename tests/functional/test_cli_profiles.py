"""Profiles, saved credentials, token renewal and the errors of signing in,
with the ``mulligan`` CLI against an in-process daemon."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mulligan import tls
from mulligan.api.iam.v1 import iam_pb2
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import Unauthenticated
from tests.fixtures.cli import Run, run_cli
from tests.fixtures.daemon import wait_for
from tests.fixtures.iam import Identity, bootstrap, login

MULLIGAN = Path(sys.executable).parent / "mulligan"


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "client-config"
    monkeypatch.setenv("MULLIGAN_CONFIG_DIR", str(path))
    for name in ("MULLIGAN_TOKEN", "MULLIGAN_ENDPOINT", "MULLIGAN_PROFILE", "MULLIGAN_CA_FILE"):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], config_dir: Path) -> Callable[..., Run]:
    def run(*args: str) -> Run:
        result = run_cli(capsys, *args)
        assert "Traceback" not in result.err
        return result

    return run


@pytest.fixture
def short_tokens(start_daemon: Callable[..., Daemon]) -> Iterator[tuple[Daemon, Identity]]:
    # Tokens that expire three seconds after they are issued.
    daemon = start_daemon(token_ttl_s=3)
    yield daemon, bootstrap(daemon)


def _credential(daemon: Daemon, admin: Identity) -> tuple[str, str]:
    # A token of its own: the bootstrap one may have expired already.
    with Client(daemon.address, token=login(daemon, admin.name, admin.password, "admin")) as client:
        made = client.iam.CreateApplicationCredential(
            iam_pb2.CreateApplicationCredentialRequest(name="ci", roles=["reader"])
        )
    return made.account.id, made.secret


def _expired(daemon: Daemon, token: str) -> bool:
    with Client(daemon.address, token=token) as client:
        try:
            client.iam.ListProjects(iam_pb2.ListProjectsRequest())
        except Unauthenticated as exc:
            return exc.reason == "TOKEN_EXPIRED"
    return False


def test_an_expired_token_is_renewed_from_the_profiles_application_credential(
    short_tokens: tuple[Daemon, Identity], cli: Callable[..., Run], config_dir: Path
) -> None:
    daemon, admin = short_tokens
    credential_id, secret = _credential(daemon, admin)
    login = cli(
        "--profile", "ci", "--endpoint", daemon.address, "-f", "json", "login",
        "--application-credential", credential_id, "--secret", secret,
    )  # fmt: skip
    assert login.code == 0, login.err
    saved_path = config_dir / "credentials" / "ci.json"
    assert stat.S_IMODE(saved_path.stat().st_mode) == 0o600
    first = json.loads(saved_path.read_text())
    assert first["credential_id"] == credential_id and first["endpoint"] == daemon.address
    # login wrote the profile: later commands need neither --endpoint nor a password.
    assert f'[profiles.ci]\nendpoint = "{daemon.address}"' in (config_dir / "config.toml").read_text()

    wait_for(lambda: _expired(daemon, first["token"]), timeout=10, what="the saved token to expire")
    run = cli("--profile", "ci", "-f", "json", "project", "list")
    assert run.code == 0, run.err
    assert [project["name"] for project in run.json()] == ["admin"]
    second = json.loads(saved_path.read_text())
    assert second["token"] != first["token"] and not _expired(daemon, second["token"])

    # A client whose clock is behind believes an expired token is still good:
    # the call refused for it is renewed and sent once more.
    wait_for(lambda: _expired(daemon, second["token"]), timeout=10, what="the renewed token to expire")
    saved_path.write_text(json.dumps({**second, "expire_time": "2999-01-01T00:00:00+00:00"}))
    run = cli("--profile", "ci", "-f", "value", "-c", "name", "project", "list")
    assert (run.code, run.out) == (0, "admin\n"), run.err
    third = json.loads(saved_path.read_text())
    assert third["token"] not in (first["token"], second["token"])


def test_a_password_login_that_expired_says_how_to_sign_in_again(
    short_tokens: tuple[Daemon, Identity],
    cli: Callable[..., Run],
    config_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    daemon, admin = short_tokens
    monkeypatch.setenv("MULLIGAN_PASSWORD", admin.password)
    assert cli("--endpoint", daemon.address, "login", admin.name).code == 0
    token = json.loads((config_dir / "credentials" / "default.json").read_text())["token"]
    wait_for(lambda: _expired(daemon, token), timeout=10, what="the token to expire")
    run = cli("project", "list")
    assert run.code == 7
    [line] = run.err.splitlines()
    assert "(TOKEN_EXPIRED)" in line and "mulligan --profile default login" in line


def test_a_garbage_token_is_one_line_and_exit_7(
    daemon: Daemon, iam_admin: Identity, config_dir: Path, tmp_path: Path
) -> None:
    env = {"PATH": "/usr/bin:/bin", "MULLIGAN_CONFIG_DIR": str(config_dir), "MULLIGAN_TOKEN": "garbage"}
    for args in (["whoami"], ["project", "list"]):
        run = subprocess.run(
            [str(MULLIGAN), "--endpoint", daemon.address, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert run.returncode == 7, run.stderr
        [line] = run.stderr.splitlines()
        assert line.startswith("error: ") and "(TOKEN_MALFORMED)" in line and "$MULLIGAN_TOKEN" in line


def test_an_unreachable_daemon_names_the_endpoint_and_how_to_set_it(cli: Callable[..., Run]) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        run = cli("--endpoint", f"127.0.0.1:{port}", "--timeout", "5", "machine", "list")
    assert run.code == 3
    [line] = run.err.splitlines()
    assert f"no mulligand answered at 127.0.0.1:{port} (profile default)" in line
    assert "--endpoint" in line and "$MULLIGAN_ENDPOINT" in line and "config.toml" in line


def test_profiles_choose_the_daemon_and_share_credentials_across_spellings(
    start_daemon: Callable[..., Daemon], cli: Callable[..., Run], config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = start_daemon(), start_daemon()
    admins = {daemon.address: bootstrap(daemon) for daemon in (first, second)}
    port = first.address.rpartition(":")[2]
    config_dir.mkdir()
    (config_dir / "config.toml").write_text(
        f'profile = "one"\n\n[profiles.one]\nendpoint = "{first.address}"\n\n'
        f'[profiles.two]\nendpoints = ["{second.address}"]\nformat = "json"\n'
    )
    for name, daemon in (("one", first), ("two", second)):
        admin = admins[daemon.address]
        monkeypatch.setenv("MULLIGAN_PASSWORD", admin.password)
        assert cli("--profile", name, "login", admin.name, "--project", "admin").code == 0

    # The file's default profile, then $MULLIGAN_PROFILE, then --profile.
    assert cli("-f", "json", "whoami").json()["endpoint"] == first.address
    monkeypatch.setenv("MULLIGAN_PROFILE", "two")
    assert cli("whoami").json()["endpoint"] == second.address
    assert cli("--profile", "one", "-f", "json", "whoami").json()["profile"] == "one"
    monkeypatch.delenv("MULLIGAN_PROFILE")
    # localhost is the same daemon as 127.0.0.1: the saved token goes with it.
    me = cli("--endpoint", f"localhost:{port}", "-f", "json", "whoami")
    assert me.code == 0, me.err
    assert me.json()["account"] == admins[first.address].name
    # ...but not to another daemon.
    elsewhere = cli("--endpoint", second.address, "project", "list")
    assert elsewhere.code == 7 and "TOKEN_MISSING" in elsewhere.err
    unknown = cli("--profile", "three", "whoami")
    assert unknown.code == 2 and "no profile three in" in unknown.err
    for name in ("one", "two"):
        assert stat.S_IMODE((config_dir / "credentials" / f"{name}.json").stat().st_mode) == 0o600


def test_a_tls_profile_with_its_ca(
    start_daemon: Callable[..., Daemon], cli: Callable[..., Run], config_dir: Path
) -> None:
    daemon = start_daemon(tls="auto")
    ca_file = tls.auto_ca_file(daemon.config.state_dir)
    config_dir.mkdir()
    (config_dir / "config.toml").write_text(
        f'[profiles.secure]\nendpoint = "{daemon.address}"\nca_file = "{ca_file}"\n'
    )
    plain = cli("--endpoint", daemon.address, "status")
    assert plain.code == 3 and "TLS_REQUIRED" in plain.err
    run = cli("--profile", "secure", "-f", "value", "-c", "status", "status")
    assert run.code == 0, run.err
    assert set(run.out.split()) == {"SERVING"}
