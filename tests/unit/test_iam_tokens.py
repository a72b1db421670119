"""Token issuing and verification against a real key ring (SQLite + embedded kv)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mulligan import iam
from mulligan.db import Database
from mulligan.errors import Unauthenticated
from mulligan.iam.keys import KeyRing
from mulligan.iam.revocations import Revocations
from mulligan.iam.tokens import TokenIssuer, TokenVerifier
from mulligan.kv.embedded import EmbeddedStore
from mulligan.kv.migrations import MIGRATIONS as KV_MIGRATIONS
from mulligan.migrate import migrate


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


class Parts:
    def __init__(self, database: Database, kv: EmbeddedStore, clock: Clock) -> None:
        self.clock = clock
        self.keys = KeyRing(database, kv, max_token_ttl_s=600, clock=clock)
        self.keys.ensure_active_key()
        self.revocations = Revocations(kv, max_token_ttl_s=600, clock=clock)
        self.issuer = TokenIssuer(self.keys, ttl_s=600, clock=clock)
        self.verifier = TokenVerifier(self.keys, self.revocations, clock=clock)

    def issue(self, **overrides: Any) -> str:
        arguments: dict[str, Any] = {
            "account_id": "a1",
            "kind": "user",
            "project_id": "p1",
            "roles": frozenset({"member"}),
            "system_admin": False,
        }
        arguments.update(overrides)
        return self.issuer.issue(**arguments).token


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[Parts]:
    database = Database(f"sqlite:///{tmp_path / 'iam.db'}")
    migrate(database, [KV_MIGRATIONS, iam.MIGRATIONS])
    kv = EmbeddedStore(database)
    yield Parts(database, kv, Clock())
    kv.close()
    database.dispose()


def _rejected(parts: Parts, token: str) -> str:
    with pytest.raises(Unauthenticated) as caught:
        parts.verifier.verify(token)
    return caught.value.reason


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _segments(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    return (
        json.loads(base64.urlsafe_b64decode(header + "==")),
        json.loads(base64.urlsafe_b64decode(payload + "==")),
    )


def test_a_fresh_token_verifies_into_its_caller(parts: Parts) -> None:
    token = parts.issue(roles=frozenset({"admin"}))
    caller = parts.verifier.verify(token).caller
    assert caller.account_id == "a1"
    assert caller.project_id == "p1"
    assert caller.roles == {"admin", "member", "reader"}
    assert not caller.system_admin
    header, claims = _segments(token)
    assert header["alg"] == "EdDSA"
    assert header["kid"]
    assert set(claims) >= {"iss", "sub", "iat", "exp", "jti", "project", "roles"}
    assert claims["exp"] - claims["iat"] == pytest.approx(600, abs=1)


def test_expired_token_is_rejected(parts: Parts) -> None:
    token = parts.issue()
    parts.verifier.verify(token)
    parts.clock.now += 601
    assert _rejected(parts, token) == "TOKEN_EXPIRED"


@pytest.mark.parametrize(
    "mangle",
    [
        "",
        "not-a-token",
        "a.b",
        "a.b.c.d",
        "!!!.???.***",
        "x" * 5000,
    ],
)
def test_malformed_tokens_are_rejected(parts: Parts, mangle: str) -> None:
    assert _rejected(parts, mangle) == "TOKEN_MALFORMED"


def test_alg_none_is_rejected(parts: Parts) -> None:
    header, claims = _segments(parts.issue())
    header["alg"] = "none"
    token = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."
    assert _rejected(parts, token) == "TOKEN_ALGORITHM_REJECTED"


def test_hmac_signed_with_the_public_key_is_rejected(parts: Parts) -> None:
    """The classic key-confusion attack: HS256 keyed with the public key."""
    header, claims = _segments(parts.issue())
    header["alg"] = "HS256"
    public = parts.keys.verifying_key(header["kid"])
    assert public is not None
    secret = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    assert _rejected(parts, f"{signing_input}.{_b64(signature)}") == "TOKEN_ALGORITHM_REJECTED"


def test_forged_signature_is_rejected(parts: Parts) -> None:
    header, claims = _segments(parts.issue())
    claims["system_admin"] = True
    forged = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": header["kid"]})
    assert _rejected(parts, forged) == "TOKEN_SIGNATURE_INVALID"


def test_tampered_payload_is_rejected(parts: Parts) -> None:
    token = parts.issue()
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["admin"]
    assert _rejected(parts, f"{header}.{_b64(json.dumps(claims).encode())}.{signature}") == "TOKEN_SIGNATURE_INVALID"


def test_unknown_key_id_is_rejected(parts: Parts) -> None:
    _, claims = _segments(parts.issue())
    key = Ed25519PrivateKey.generate()
    assert _rejected(parts, jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": "nope"})) == "TOKEN_KEY_UNKNOWN"
    assert _rejected(parts, jwt.encode(claims, key, algorithm="EdDSA")) == "TOKEN_KEY_UNKNOWN"


@pytest.mark.parametrize("kid", [5, ["k"], {"k": "v"}, None, True])
def test_a_key_id_that_is_not_a_string_is_rejected(parts: Parts, kid: object) -> None:
    token = parts.issue()
    header, _ = _segments(token)
    header["kid"] = kid
    signed_rest = token.split(".", 1)[1]
    assert _rejected(parts, f"{_b64(json.dumps(header).encode())}.{signed_rest}") == "TOKEN_MALFORMED"


def test_wrong_issuer_and_missing_claims_are_rejected(parts: Parts) -> None:
    key_id, key = parts.keys.signing_key()
    now = parts.clock.now
    base = {"iss": "mulligan", "sub": "a1", "iat": now, "exp": int(now) + 60, "jti": uuid.uuid4().hex}
    assert _rejected(parts, jwt.encode({**base, "iss": "evil"}, key, algorithm="EdDSA", headers={"kid": key_id})) == (
        "TOKEN_CLAIMS_INVALID"
    )
    for missing in ("sub", "exp", "jti", "iat"):
        claims = {name: value for name, value in base.items() if name != missing}
        token = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": key_id})
        assert _rejected(parts, token) in {"TOKEN_CLAIMS_INVALID", "TOKEN_MALFORMED"}, missing
    future = jwt.encode({**base, "iat": now + 3600}, key, algorithm="EdDSA", headers={"kid": key_id})
    assert _rejected(parts, future) == "TOKEN_CLAIMS_INVALID"
    wrong_roles = jwt.encode({**base, "roles": "admin"}, key, algorithm="EdDSA", headers={"kid": key_id})
    assert _rejected(parts, wrong_roles) == "TOKEN_CLAIMS_INVALID"


def test_rotated_key_verifies_until_its_window_ends(parts: Parts) -> None:
    old_kid, old_key = parts.keys.signing_key()
    old_token = parts.issue()
    new_key = parts.keys.rotate()
    assert new_key.key_id != old_kid
    assert _segments(parts.issue())[0]["kid"] == new_key.key_id
    parts.verifier.verify(old_token)
    # Past the window (token lifetime + skew margin) the old key is gone:
    # even a token it signs with a far expiry is refused.
    parts.clock.now += 600 + 61
    assert parts.keys.signing_key()[0] == new_key.key_id
    assert _rejected(parts, old_token) in {"TOKEN_EXPIRED", "TOKEN_KEY_UNKNOWN"}
    _, claims = _segments(old_token)
    claims.update(iat=parts.clock.now, exp=int(parts.clock.now) + 3600, jti=uuid.uuid4().hex)
    late = jwt.encode(claims, old_key, algorithm="EdDSA", headers={"kid": old_kid})
    assert _rejected(parts, late) == "TOKEN_KEY_UNKNOWN"
    assert parts.keys.verifying_key(old_kid) is None


def test_revocations_apply_in_memory(parts: Parts) -> None:
    token = parts.issue()
    verified = parts.verifier.verify(token)
    parts.revocations.revoke_token(verified.caller.token_id, verified.expires_at)
    assert _rejected(parts, token) == "TOKEN_REVOKED"
    other = parts.issue(account_id="a2")
    parts.verifier.verify(other)
    parts.revocations.revoke_account("a2")
    assert _rejected(parts, other) == "TOKEN_REVOKED"
    # Issued after the cut-off: fine.
    parts.clock.now += 0.001
    parts.verifier.verify(parts.issue(account_id="a2"))
    scoped = parts.issue(account_id="a3", project_id="p9")
    parts.revocations.revoke_membership("a3", "p9")
    assert _rejected(parts, scoped) == "TOKEN_REVOKED"
    in_project = parts.issue(account_id="a4", project_id="p8")
    parts.revocations.revoke_project("p8")
    assert _rejected(parts, in_project) == "TOKEN_REVOKED"


def test_verification_of_a_cached_token_needs_no_key_reload(parts: Parts) -> None:
    token = parts.issue()
    parts.verifier.verify(token)
    reloads = []
    parts.keys.on_change(lambda: reloads.append(1))
    for _ in range(100):
        parts.verifier.verify(token)
    assert reloads == []
