"""The iam commands of the ``mulligan`` CLI against an in-process daemon."""

from __future__ import annotations

import io
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mulligan.api.resource.v1 import resource_pb2
from mulligan.cli.app import main
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.iam.bootstrap import SECRET_FILE


class Cli:
    def __init__(self, daemon: Daemon, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.daemon = daemon
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        self.capsys.readouterr()
        try:
            main(["--endpoint", self.daemon.address, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str, stdin: str = "") -> Any:
        code, out, err = self("-o", "json", *args, stdin=stdin)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "client-config"
    monkeypatch.setenv("MULLIGAN_CONFIG_DIR", str(path))
    monkeypatch.delenv("MULLIGAN_TOKEN", raising=False)
    monkeypatch.delenv("MULLIGAN_ADMIN_PASSWORD", raising=False)
    return path


@pytest.fixture
def cli(
    start_daemon: Callable[..., Daemon],
    config_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    return Cli(start_daemon(), capsys, monkeypatch)


def test_bootstrap_saves_credentials_and_runs_once(cli: Cli, config_dir: Path) -> None:
    state_dir = cli.daemon.config.state_dir
    assert stat.S_IMODE((state_dir / SECRET_FILE).stat().st_mode) == 0o600
    result = cli.json("bootstrap", "--state-dir", str(state_dir))
    assert result["account"] == "admin"
    assert result["project"] == "admin"
    assert result["region"] == "default"
    assert len(result["password"]) >= 16
    assert not (state_dir / SECRET_FILE).exists()
    credentials = config_dir / "credentials" / "default.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert stat.S_IMODE(credentials.parent.stat().st_mode) == 0o700
    saved = json.loads(credentials.read_text())
    assert saved["token"].count(".") == 2
    assert (saved["account"], saved["endpoint"]) == ("admin", cli.daemon.address)
    assert result["profile"] == "default" and result["credentials"] == str(credentials)

    accounts = cli.json("account", "list")
    assert [(row["name"], row["system_admin"]) for row in accounts] == [("admin", True)]
    with Client(cli.daemon.address, token=saved["token"]) as admin:
        regions = admin.resource.ListRegions(resource_pb2.ListRegionsRequest()).regions
    # Public, so the tenants of a fresh install can have machines there.
    assert [(region.name, region.visibility) for region in regions] == [("default", resource_pb2.VISIBILITY_PUBLIC)]

    code, out, err = cli("bootstrap", "--state-dir", str(state_dir), "--admin-password", "another-password")
    assert code == 0, err
    assert "already bootstrapped" in out
    assert len(cli.json("account", "list")) == 1
    # The generated password works.
    assert cli.json("login", "admin", "--project", "admin", "--password-stdin", stdin=result["password"] + "\n")[
        "system_admin"
    ]


def test_bootstrap_needs_a_secret_source(cli: Cli) -> None:
    code, _, err = cli("bootstrap")
    assert code == 2
    assert "--state-dir" in err
    code, _, err = cli("bootstrap", "--bootstrap-secret", "wrong", "--admin-password", "a-password-1")
    assert code == 7
    assert "INVALID_BOOTSTRAP_SECRET" in err


def test_people_projects_roles_and_login(cli: Cli) -> None:
    cli.json("bootstrap", "--state-dir", str(cli.daemon.config.state_dir), "--admin-password", "admin-password")
    project = cli.json("project", "create", "alpha", "--description", "team alpha")
    assert project["name"] == "alpha"
    bob = cli.json("account", "create", "bob", "--password-stdin", "--display-name", "Bob", stdin="bob-password\n")
    assert bob["kind"] == "ACCOUNT_KIND_USER"
    assignment = cli.json("role", "assign", "bob", "member", "--project", "alpha")
    assert assignment["role"] == "member"
    assert assignment["project_id"] == project["id"]
    assert {row["role"] for row in cli.json("role", "assignments", "--project", "alpha")} == {"member"}
    assert [row["name"] for row in cli.json("role", "list")] == ["admin", "member", "reader"]

    token = cli.json("login", "bob", "--project", "alpha", "--password-stdin", stdin="bob-password\n")
    assert token["roles"] == ["member", "reader"]
    me = cli.json("whoami")
    assert (me["account"], me["project_id"], me["system_admin"]) == ("bob", project["id"], False)
    # bob sees himself; creating projects is for system admins.
    assert [row["name"] for row in cli.json("account", "list")] == ["bob"]
    code, _, err = cli("project", "create", "beta")
    assert code == 7
    assert "SYSTEM_ADMIN_REQUIRED" in err

    credential = cli.json("account", "create-credential", "ci", "--role", "reader")
    assert credential["account"]["kind"] == "ACCOUNT_KIND_APPLICATION_CREDENTIAL"
    app = cli.json("login", "--application-credential", credential["account"]["id"], "--secret", credential["secret"])
    assert app["roles"] == ["reader"]
    assert app["project_id"] == project["id"]

    code, out, _ = cli("logout")
    assert (code, out.strip()) == (0, "signed out")
    code, _, err = cli("project", "list")
    assert code == 7
    assert "TOKEN_MISSING" in err


def test_logout_revokes_the_token(cli: Cli, config_dir: Path) -> None:
    cli.json("bootstrap", "--state-dir", str(cli.daemon.config.state_dir), "--admin-password", "admin-password")
    token = json.loads((config_dir / "credentials" / "default.json").read_text())["token"]
    assert cli("logout")[0] == 0
    cli.monkeypatch.setenv("MULLIGAN_TOKEN", token)
    code, _, err = cli("project", "list")
    assert code == 7
    assert "TOKEN_REVOKED" in err


def test_signing_keys_and_revocation_commands(cli: Cli) -> None:
    cli.json("bootstrap", "--state-dir", str(cli.daemon.config.state_dir), "--admin-password", "admin-password")
    before = cli.json("signing-key", "list")
    rotated = cli.json("signing-key", "rotate")
    after = cli.json("signing-key", "list")
    assert rotated["active"]
    assert [key["key_id"] for key in after] == [rotated["key_id"], before[0]["key_id"]]
    assert [key["active"] for key in after] == [True, False]
    # The saved token was signed by the old key and still works.
    assert cli.json("project", "show", "admin")["name"] == "admin"
    cli.json("account", "revoke-tokens")
    code, _, err = cli("project", "list")
    assert code == 7
    assert "TOKEN_REVOKED" in err
