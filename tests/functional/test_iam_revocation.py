"""Revocations and key rotations reach every daemon sharing the store.

How soon (well under a second) is measured by bench/propagation.py; the
deadlines here only stop a test that would wait forever.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import jwt
import pytest
import sqlalchemy as sa

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import Unauthenticated
from tests.fixtures.daemon import wait_for
from tests.fixtures.iam import bootstrap, create_project, login, member

PROPAGATION_GUARD_S = 10.0


def _rejected(daemon: Daemon, token: str) -> str | None:
    with Client(daemon.address, token=token) as client:
        try:
            client.iam.ListRoles(pb.ListRolesRequest())
        except Unauthenticated as exc:
            return exc.reason
    return None


def _revocations_travel(first: Daemon, second: Daemon) -> None:
    admin = bootstrap(first)
    with admin.client(first) as as_admin:
        alpha = create_project(as_admin, "alpha")
        kim = member(first, as_admin, "kim", alpha, "member")
        # One token, revoked through the first daemon.
        assert _rejected(second, kim.token) is None
        with kim.client(first) as as_kim:
            as_kim.iam.RevokeToken(pb.RevokeTokenRequest())
        assert wait_for(lambda: _rejected(second, kim.token), timeout=PROPAGATION_GUARD_S) == "TOKEN_REVOKED"
        # Every token of an account.
        tokens = [login(first, "kim", kim.password, alpha) for _ in range(2)]
        assert all(_rejected(second, token) is None for token in tokens)
        as_admin.iam.RevokeAccountTokens(pb.RevokeAccountTokensRequest(account="kim"))
        for token in tokens:
            assert wait_for(lambda t=token: _rejected(second, t), timeout=PROPAGATION_GUARD_S) == "TOKEN_REVOKED"
        # New tokens work again, on both daemons.
        fresh = login(second, "kim", kim.password, alpha)
        assert _rejected(first, fresh) is None
        assert _rejected(second, fresh) is None


def test_two_daemons_on_one_database(database_url: str, start_daemon: Callable[..., Daemon]) -> None:
    first = start_daemon(database_url=database_url)
    second = start_daemon(database_url=database_url)
    _revocations_travel(first, second)


@pytest.mark.etcd
def test_two_daemons_on_etcd(etcd_server: str, tmp_path: object, start_daemon: Callable[..., Daemon]) -> None:
    url = f"sqlite:///{tmp_path}/shared.db"
    first = start_daemon(database_url=url, etcd_endpoints=etcd_server)
    second = start_daemon(database_url=url, etcd_endpoints=etcd_server)
    _revocations_travel(first, second)


def test_key_rotation_reaches_the_other_daemon(database_url: str, start_daemon: Callable[..., Daemon]) -> None:
    first = start_daemon(database_url=database_url)
    second = start_daemon(database_url=database_url)
    admin = bootstrap(first)
    old_token = admin.token
    with admin.client(first) as as_admin:
        rotated = as_admin.iam.RotateSigningKey(pb.RotateSigningKeyRequest()).signing_key
        keys = as_admin.iam.ListSigningKeys(pb.ListSigningKeysRequest())
    assert [key.active for key in keys.signing_keys] == [True, False]
    assert json.loads(keys.jwks)["keys"][0]["kid"] == rotated.key_id
    fresh = login(first, "admin", admin.password, "admin")
    assert jwt.get_unverified_header(fresh)["kid"] == rotated.key_id
    # Verifies on the second daemon at once (an unknown key id makes it reload).
    assert _rejected(second, fresh) is None
    assert _rejected(second, old_token) is None
    wait_for(
        lambda: jwt.get_unverified_header(login(second, "admin", admin.password))["kid"] == rotated.key_id,
        timeout=PROPAGATION_GUARD_S,
        what="the second daemon to sign with the new key",
    )


def test_tokens_verify_with_the_published_jwks(client: Client, daemon: Daemon) -> None:
    """Any JWT library can check Mulligan's tokens with ListSigningKeys."""
    token = client.token
    assert token is not None
    jwks = client.iam.ListSigningKeys(pb.ListSigningKeysRequest()).jwks
    key_set = jwt.PyJWKSet.from_json(jwks)
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(item for item in key_set.keys if item.key_id == kid)
    claims = jwt.decode(token, key.key, algorithms=["EdDSA"], issuer="mulligan")
    assert claims["system_admin"] is True
    assert set(claims["roles"]) == {"admin", "member", "reader"}


def _revocation_lease_ends(daemon: Daemon, key: str) -> float:
    """When the embedded store drops key (its lease's deadline)."""
    stored = daemon.kv.get(key)
    assert stored is not None and stored.lease
    with daemon.database.engine.connect() as connection:
        return float(
            connection.execute(
                sa.text("SELECT expires_at FROM kv_leases WHERE id = :id"), {"id": stored.lease}
            ).scalar_one()
        )


def test_revocations_outlive_tokens_issued_under_a_longer_lifetime(
    database_url: str, start_daemon: Callable[..., Daemon]
) -> None:
    first = start_daemon(database_url=database_url, token_ttl_s=3600)
    admin = bootstrap(first)
    with admin.client(first) as as_admin:
        alpha = create_project(as_admin, "alpha")
        kim = member(first, as_admin, "kim", alpha, "member")
        lee = member(first, as_admin, "lee", alpha, "member")
    first.stop(0)
    # The operator lowers the lifetime and restarts: tokens issued before
    # still run for the hour they were given.
    second = start_daemon(database_url=database_url, token_ttl_s=5)
    with Client(second.address, token=login(second, "admin", admin.password, "admin")) as as_admin:
        as_admin.iam.DeleteAccount(pb.DeleteAccountRequest(account="kim"))
        as_admin.iam.RevokeAccountTokens(pb.RevokeAccountTokensRequest(account="lee"))
    for identity in (kim, lee):
        assert _rejected(second, identity.token) == "TOKEN_REVOKED"
        expires = jwt.decode(identity.token, options={"verify_signature": False})["exp"]
        assert _revocation_lease_ends(second, f"iam/revoked/account/{identity.account_id}") >= expires
    # A token revoked without its expiry known is covered as long.
    fresh = login(second, "lee", lee.password, alpha)
    with Client(second.address, token=fresh) as as_lee:
        token_id = jwt.decode(fresh, options={"verify_signature": False})["jti"]
        as_lee.iam.RevokeToken(pb.RevokeTokenRequest())
    assert _revocation_lease_ends(second, f"iam/revoked/token/{token_id}") >= time.time() + 3600 - 60
