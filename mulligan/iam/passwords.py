"""Password and secret hashing.

Passwords are hashed with argon2id at OWASP's recommended cost (19 MiB,
two passes, one lane). Generated secrets (application credentials,
bootstrap) carry 256 random bits, so a plain SHA-256 of them is enough and
keeps their check cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mulligan.errors import InvalidArgument

MIN_PASSWORD = 8
MAX_PASSWORD = 1024

_hasher = argon2.PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=argon2.Type.ID)
# Checked against when the account does not exist, so that an unknown name
# takes as long to refuse as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def check_password_shape(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidArgument(f"{field} must have at least {MIN_PASSWORD} characters", reason="PASSWORD_TOO_SHORT")
    if len(password.encode("utf-8")) > MAX_PASSWORD:
        raise InvalidArgument(f"{field} must be at most {MAX_PASSWORD} bytes", reason="PASSWORD_TOO_LONG")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def needs_rehash(password_hash: str | None) -> bool:
    """Whether a stored hash was made with other parameters than today's."""
    try:
        return password_hash is not None and _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether password matches; a missing hash costs the same and fails."""
    try:
        if len(password.encode("utf-8")) > MAX_PASSWORD:
            return False
        matched = _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret_hash: str | None, secret: str) -> bool:
    return hmac.compare_digest(secret_hash or "0" * 64, hash_secret(secret)) and secret_hash is not None
