"""Token signing keys encrypted in the database with a passphrase file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.daemon import Daemon
from mulligan.errors import StartupError, Unavailable
from mulligan.iam.models import SigningKeyRow
from tests.fixtures.daemon import wait_for
from tests.fixtures.iam import bootstrap, login

ENCRYPTED = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


def _passphrase_file(path: Path, passphrase: str) -> str:
    path.write_text(passphrase + "\n")
    path.chmod(0o600)
    return str(path)


def _stored_keys(daemon: Daemon) -> list[bytes]:
    with daemon.database.read() as session:
        return [bytes(key) for key in session.scalars(sa.select(SigningKeyRow.private_key))]


def test_keys_are_encrypted_and_only_the_passphrase_opens_them(
    database_url: str, start_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    right = _passphrase_file(tmp_path / "right", "correct horse battery staple")
    first = start_daemon(database_url=database_url, signing_key_passphrase_file=right)
    admin = bootstrap(first)
    with admin.client(first) as client:
        client.iam.RotateSigningKey(pb.RotateSigningKeyRequest())
    stored = _stored_keys(first)
    assert len(stored) == 2 and all(key.startswith(ENCRYPTED) for key in stored)

    # A second daemon with the same passphrase signs and verifies with the same keys.
    second = start_daemon(database_url=database_url, signing_key_passphrase_file=right)
    token = login(second, "admin", admin.password, "admin")
    with admin.client(first) as client:
        client.token = token
        assert client.iam.ListRoles(pb.ListRolesRequest()).roles

    with pytest.raises(StartupError, match="set signing_key_passphrase_file"):
        start_daemon(database_url=database_url)
    wrong = _passphrase_file(tmp_path / "wrong", "not the passphrase at all")
    with pytest.raises(StartupError, match="encrypted with another passphrase"):
        start_daemon(database_url=database_url, signing_key_passphrase_file=wrong)
    short = _passphrase_file(tmp_path / "short", "hunter2")
    with pytest.raises(StartupError, match="at least 16 characters"):
        start_daemon(database_url=database_url, signing_key_passphrase_file=short)


def test_keys_stored_in_the_clear_are_encrypted_once_a_passphrase_is_set(
    database_url: str, start_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    plain = start_daemon(database_url=database_url)
    admin = bootstrap(plain)
    assert not _stored_keys(plain)[0].startswith(ENCRYPTED)
    plain.stop(0)

    passphrase = _passphrase_file(tmp_path / "passphrase", "a long enough passphrase")
    protected = start_daemon(database_url=database_url, signing_key_passphrase_file=passphrase)
    assert all(key.startswith(ENCRYPTED) for key in _stored_keys(protected))
    # The token signed before the change still verifies; new ones are signed with the same key.
    with admin.client(protected) as client:
        assert client.iam.ListRoles(pb.ListRolesRequest()).roles
    assert login(protected, "admin", admin.password, "admin")


def test_a_daemon_that_cannot_open_a_new_key_still_verifies_but_issues_nothing(
    database_url: str, start_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    """A daemon started before the keys were encrypted learns of it at the next rotation."""
    unaware = start_daemon(database_url=database_url)
    admin = bootstrap(unaware)
    passphrase = _passphrase_file(tmp_path / "passphrase", "a long enough passphrase")
    protected = start_daemon(database_url=database_url, signing_key_passphrase_file=passphrase)
    with admin.client(protected) as client:
        client.iam.RotateSigningKey(pb.RotateSigningKeyRequest())

    def refused_to_sign() -> str | None:
        try:
            login(unaware, "admin", admin.password, "admin")
        except Unavailable as exc:
            return exc.reason
        return None

    assert wait_for(refused_to_sign, timeout=10, what="the rotation to reach the other daemon") == "SIGNING_KEY_LOCKED"
    # Tokens signed with the new key still verify there.
    with admin.client(unaware) as client:
        client.token = login(protected, "admin", admin.password, "admin")
        assert client.iam.ListRoles(pb.ListRolesRequest()).roles
