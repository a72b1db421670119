"""Issuing and verifying tokens: JWTs signed with EdDSA (Ed25519).

Claims: ``iss`` (always "mulligan"), ``sub`` (account id), ``iat`` (epoch
seconds, fractional so that a revocation cut-off never catches a token
issued after it), ``exp``, ``jti`` (unique token id), ``project`` (absent
for a token without a project), ``roles`` (expanded roles in the project),
``system_admin`` and ``kind`` (user or application_credential).

Verification needs no database: the key comes from the in-memory key ring,
and a token already verified once is remembered, so later calls with it
cost a dictionary lookup plus the expiry, key and revocation checks, which
run on every call.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt

from mulligan.context import Caller
from mulligan.errors import Unauthenticated
from mulligan.iam import roles as role_defs
from mulligan.iam.keys import ALGORITHM, KeyRing
from mulligan.iam.revocations import Revocations
from mulligan.iam.types import IssuedToken

ISSUER = "mulligan"
MAX_TOKEN_LENGTH = 4096
# How far in the future "iat" may be: daemons' clocks differ a little.
CLOCK_SKEW_S = 60
_CACHE_LIMIT = 20_000
_REQUIRED = ["iss", "sub", "iat", "exp", "jti"]


@dataclass(frozen=True)
class VerifiedToken:
    caller: Caller
    key_id: str
    issued_at: float
    expires_at: float
    kind: str


def _reject(message: str, reason: str) -> Unauthenticated:
    return Unauthenticated(message, reason=reason)


class TokenIssuer:
    def __init__(self, keys: KeyRing, *, ttl_s: int, clock: Callable[[], float] = time.time) -> None:
        self._keys = keys
        self._ttl_s = ttl_s
        self._clock = clock

    def issue(
        self,
        *,
        account_id: str,
        kind: str,
        project_id: str | None,
        roles: frozenset[str],
        system_admin: bool,
        not_after: datetime | None = None,
    ) -> IssuedToken:
        key_id, key = self._keys.signing_key()
        now = self._clock()
        expires = int(now) + self._ttl_s
        if not_after is not None:
            expires = min(expires, int(not_after.timestamp()))
        expanded = role_defs.expand(roles)
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "sub": account_id,
            "iat": now,
            "exp": expires,
            "jti": uuid.uuid4().hex,
            "roles": sorted(expanded),
            "system_admin": system_admin,
            "kind": kind,
        }
        if project_id:
            claims["project"] = project_id
        token = jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": key_id, "typ": "JWT"})
        return IssuedToken(
            token=token,
            token_id=claims["jti"],
            account_id=account_id,
            project_id=project_id,
            roles=expanded,
            system_admin=system_admin,
            issued_at=datetime.fromtimestamp(now, UTC),
            expires_at=datetime.fromtimestamp(expires, UTC),
        )


class TokenVerifier:
    def __init__(self, keys: KeyRing, revocations: Revocations, *, clock: Callable[[], float] = time.time) -> None:
        self._keys = keys
        self._revocations = revocations
        self._clock = clock
        self._cache: dict[str, VerifiedToken] = {}
        keys.on_change(self.forget_all)

    def forget_all(self) -> None:
        self._cache = {}

    def verify(self, token: str) -> VerifiedToken:
        """The token's claims; Unauthenticated when it must not be accepted."""
        now = self._clock()
        verified = self._cache.get(token)
        if verified is None:
            verified = self.check_signature(token)
            if len(self._cache) >= _CACHE_LIMIT:
                self._prune(now)
            self._cache[token] = verified
        if verified.expires_at <= now:
            expired = datetime.fromtimestamp(verified.expires_at, UTC).isoformat(timespec="seconds")
            raise _reject(f"the token expired at {expired}; authenticate again", "TOKEN_EXPIRED")
        if not self._keys.still_verifies(verified.key_id):
            raise _reject("the token was signed by an unknown or retired key", "TOKEN_KEY_UNKNOWN")
        caller = verified.caller
        if self._revocations.is_revoked(caller.token_id, caller.account_id, caller.project_id, verified.issued_at):
            raise _reject("the token has been revoked; authenticate again", "TOKEN_REVOKED")
        return verified

    def _prune(self, now: float) -> None:
        live = {token: item for token, item in self._cache.items() if item.expires_at > now}
        self._cache = live if len(live) < _CACHE_LIMIT // 2 else {}

    def check_signature(self, token: str) -> VerifiedToken:
        """Signature, issuer and claim shapes, not expiry nor revocation."""
        if len(token) > MAX_TOKEN_LENGTH:
            raise _reject(f"the token is longer than {MAX_TOKEN_LENGTH} characters", "TOKEN_MALFORMED")
        if token.count(".") != 2:
            raise _reject("the token is not a JWT (header.payload.signature)", "TOKEN_MALFORMED")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            # Not only undecodable JSON: the library also refuses header values
            # of the wrong type (a "kid" that is not a string) with its base error.
            raise _reject("the token's header cannot be decoded", "TOKEN_MALFORMED") from None
        algorithm = header.get("alg")
        if algorithm != ALGORITHM:
            raise _reject(
                f"token algorithm {str(algorithm)[:20]!r} is not accepted: tokens must be signed with {ALGORITHM}",
                "TOKEN_ALGORITHM_REJECTED",
            )
        kid = header.get("kid")
        key_id = kid if isinstance(kid, str) else ""
        key = self._keys.verifying_key(key_id) if key_id else None
        if key is None:
            raise _reject("the token was signed by an unknown or retired key", "TOKEN_KEY_UNKNOWN")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": _REQUIRED, "verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.InvalidSignatureError:
            raise _reject("the token's signature is not valid", "TOKEN_SIGNATURE_INVALID") from None
        except (jwt.MissingRequiredClaimError, jwt.InvalidIssuerError) as exc:
            raise _reject(f"the token's claims are not valid: {exc}", "TOKEN_CLAIMS_INVALID") from None
        except jwt.PyJWTError:
            raise _reject("the token cannot be decoded", "TOKEN_MALFORMED") from None
        return VerifiedToken(
            caller=self._caller(claims),
            key_id=key_id,
            issued_at=float(claims["iat"]),
            expires_at=float(claims["exp"]),
            kind=str(claims.get("kind", "")),
        )

    def _caller(self, claims: dict[str, Any]) -> Caller:
        subject, token_id, project = claims["sub"], claims["jti"], claims.get("project")
        roles, system_admin = claims.get("roles", []), claims.get("system_admin", False)
        well_formed = (
            isinstance(subject, str)
            and subject
            and isinstance(token_id, str)
            and token_id
            and isinstance(claims["iat"], int | float)
            and isinstance(claims["exp"], int | float)
            and (project is None or (isinstance(project, str) and project))
            and isinstance(roles, list)
            and all(isinstance(role, str) for role in roles)
            and isinstance(system_admin, bool)
        )
        if not well_formed:
            raise _reject("the token's claims are not valid", "TOKEN_CLAIMS_INVALID")
        if claims["iat"] > self._clock() + CLOCK_SKEW_S:
            raise _reject("the token was issued in the future", "TOKEN_CLAIMS_INVALID")
        return Caller(
            account_id=subject,
            project_id=project,
            roles=role_defs.expand(roles),
            system_admin=system_admin,
            token_id=token_id,
        )
