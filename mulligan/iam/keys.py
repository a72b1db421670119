"""Token signing keys: stored once for every daemon, cached in each.

The private keys live in the database (``iam_signing_keys``), so every
daemon sharing it signs with the same key. Each daemon keeps the public
keys in memory and verifies tokens from there; a rotation announces itself
under ``iam/keys/`` in the key/value store and every daemon's watch reloads
its cache. A token whose key id is not in the cache (signed a moment ago by
another daemon's new key) causes a reload too, but at most one per second,
so forged key ids cannot hammer the database.

A retired key stops signing at once but keeps verifying until every token
it signed has expired (the token lifetime plus a margin for clock skew);
rows past that are deleted at the next rotation.

With a passphrase the private keys are stored encrypted (PKCS#8, the best
encryption the cryptography library offers), so a copy of the database
alone cannot sign tokens. Keys stored in the clear before a passphrase was
configured are encrypted at the next start.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mulligan.db import Database
from mulligan.errors import StartupError, Unavailable
from mulligan.iam.models import SigningKeyRow
from mulligan.iam.types import SigningKeyInfo
from mulligan.kv import KeyValueStore

log = logging.getLogger("mulligan.iam")

ALGORITHM = "EdDSA"
CURVE = "Ed25519"
PREFIX = "iam/keys/"
SKEW_MARGIN_S = 60
_REFRESH_EVERY_S = 1.0
_CLEAR_PEM = b"-----BEGIN PRIVATE KEY-----"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def key_id_of(public_raw: bytes) -> str:
    """The RFC 7638 thumbprint of the key's JWK."""
    canonical = json.dumps({"crv": CURVE, "kty": "OKP", "x": b64url(public_raw)}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def jwk(info: SigningKeyInfo) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": info.curve,
        "x": b64url(info.public_key),
        "kid": info.key_id,
        "alg": ALGORITHM,
        "use": "sig",
    }


@dataclass(frozen=True)
class _VerifyingKey:
    key: Ed25519PublicKey
    # Epoch seconds after which the key no longer verifies; None while active.
    verify_until: float | None


class KeyRing:
    def __init__(
        self,
        database: Database,
        kv: KeyValueStore,
        *,
        max_token_ttl_s: int,
        clock: Callable[[], float] = time.time,
        passphrase: bytes | None = None,
    ) -> None:
        self._db = database
        self._kv = kv
        self._passphrase = passphrase
        self._max_token_ttl_s = max_token_ttl_s
        self._clock = clock
        self._verifying: dict[str, _VerifyingKey] = {}
        self._signing: tuple[str, Ed25519PrivateKey] | None = None
        # Why the active key cannot be opened here (another passphrase), if so.
        self._locked: Unavailable | None = None
        self._reload_lock = threading.Lock()
        self._last_miss_reload = 0.0
        self._listeners: list[Callable[[], None]] = []

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    # -- start, rotation

    def ensure_active_key(self) -> None:
        """Create the first signing key when there is none; encrypt keys
        stored in the clear when a passphrase is set. Raises StartupError
        when the keys cannot be opened."""
        with self._db.write() as session:
            if self._passphrase:
                self._encrypt_clear_keys(session)
            active = session.scalar(sa.select(SigningKeyRow.key_id).where(SigningKeyRow.retired_at.is_(None)).limit(1))
            created = None if active else self._new_row(session)
        if created is not None:
            self._announce(created)
            log.info("created a token signing key", extra={"key_id": created.key_id})
        self.reload()
        if self._locked is not None:
            raise StartupError(self._locked.message)

    def _encrypt_clear_keys(self, session: Any) -> None:
        encrypted = 0
        # A handful of rows: the keys that still verify.
        for row in session.scalars(sa.select(SigningKeyRow)):
            if not bytes(row.private_key).startswith(_CLEAR_PEM):
                continue
            private = serialization.load_pem_private_key(bytes(row.private_key), password=None)
            assert isinstance(private, Ed25519PrivateKey)
            row.private_key = self._pem(private)
            encrypted += 1
        if encrypted:
            log.info("encrypted the token signing keys stored in the clear", extra={"keys": encrypted})

    def rotate(self) -> SigningKeyInfo:
        now = datetime.fromtimestamp(self._clock(), UTC)
        verify_until = now + timedelta(seconds=self._max_token_ttl_s + SKEW_MARGIN_S)
        with self._db.write() as session:
            expired = list(session.scalars(sa.select(SigningKeyRow.key_id).where(SigningKeyRow.verify_until < now)))
            session.execute(sa.delete(SigningKeyRow).where(SigningKeyRow.verify_until < now))
            session.execute(
                sa.update(SigningKeyRow)
                .where(SigningKeyRow.retired_at.is_(None))
                .values(retired_at=now, verify_until=verify_until)
            )
            row = self._new_row(session)
        for key_id in expired:
            self._kv.delete(PREFIX + key_id)
        self._announce(row)
        log.info("rotated the token signing key", extra={"key_id": row.key_id, "purged": len(expired)})
        self.reload()
        return _info(row)

    def _new_row(self, session: Any) -> SigningKeyRow:
        private = Ed25519PrivateKey.generate()
        public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        row = SigningKeyRow(
            key_id=key_id_of(public_raw),
            algorithm=ALGORITHM,
            private_key=self._pem(private),
            public_key=public_raw,
            created_at=datetime.fromtimestamp(self._clock(), UTC),
            retired_at=None,
            verify_until=None,
        )
        session.add(row)
        session.flush()
        return row

    def _pem(self, private: Ed25519PrivateKey) -> bytes:
        protection: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(self._passphrase)
            if self._passphrase
            else serialization.NoEncryption()
        )
        return private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection)

    def _open(self, key_id: str, pem: bytes) -> Ed25519PrivateKey:
        """The private key; Unavailable when this daemon cannot open it."""
        if pem.startswith(_CLEAR_PEM):
            # Written by a daemon without a passphrase; encrypted at the next start of one with it.
            private = serialization.load_pem_private_key(pem, password=None)
        elif not self._passphrase:
            raise Unavailable(
                f"token signing key {key_id} is encrypted: set signing_key_passphrase_file "
                "to the passphrase file the other daemons use",
                reason="SIGNING_KEY_LOCKED",
            )
        else:
            try:
                private = serialization.load_pem_private_key(pem, password=self._passphrase)
            except ValueError:
                raise Unavailable(
                    f"signing_key_passphrase_file does not open token signing key {key_id}: "
                    "it was encrypted with another passphrase",
                    reason="SIGNING_KEY_LOCKED",
                ) from None
        assert isinstance(private, Ed25519PrivateKey)
        return private

    def _announce(self, row: SigningKeyRow) -> None:
        self._kv.put(PREFIX + row.key_id, json.dumps(jwk(_info(row))).encode())

    # -- cache

    def reload(self) -> None:
        with self._reload_lock:
            with self._db.read() as session:
                rows = [
                    (row.key_id, bytes(row.public_key), bytes(row.private_key), row.retired_at, row.verify_until)
                    for row in session.scalars(sa.select(SigningKeyRow).order_by(SigningKeyRow.created_at))
                ]
            verifying: dict[str, _VerifyingKey] = {}
            signing: tuple[str, Ed25519PrivateKey] | None = None
            locked: Unavailable | None = None
            for key_id, public_raw, private_pem, retired_at, verify_until in rows:
                until = verify_until.timestamp() if verify_until else None
                verifying[key_id] = _VerifyingKey(Ed25519PublicKey.from_public_bytes(public_raw), until)
                if retired_at is None:
                    # Rows come oldest first: the newest active key signs.
                    try:
                        signing, locked = (key_id, self._open(key_id, private_pem)), None
                    except Unavailable as exc:
                        # Tokens still verify here; issuing them fails with this reason.
                        signing, locked = None, exc
            if locked is not None and (self._locked is None or self._locked.message != locked.message):
                log.error("cannot open the token signing key: %s", locked.message)
            self._verifying = verifying
            self._signing = signing
            self._locked = locked
        for listener in self._listeners:
            listener()

    def _reload_for_unknown_key(self) -> None:
        """Reload, at most once a second for unknown key ids (forged ids must not load the database)."""
        now = time.monotonic()
        if now - self._last_miss_reload < _REFRESH_EVERY_S:
            return
        self._last_miss_reload = now
        try:
            self.reload()
        except Exception as exc:
            log.warning("cannot reload signing keys: %s", exc)

    def verifying_key(self, key_id: str) -> Ed25519PublicKey | None:
        """The public key for key_id while its tokens may still verify."""
        entry = self._verifying.get(key_id)
        if entry is None:
            self._reload_for_unknown_key()
            entry = self._verifying.get(key_id)
        if entry is None or not self.still_verifies(key_id):
            return None
        return entry.key

    def still_verifies(self, key_id: str) -> bool:
        entry = self._verifying.get(key_id)
        return entry is not None and (entry.verify_until is None or self._clock() < entry.verify_until)

    def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        if self._signing is None:
            self.reload()
        if self._signing is None:
            locked = self._locked
            if locked is not None:
                raise Unavailable(locked.message, reason=locked.reason)
            raise Unavailable("no token signing key is active", reason="NO_SIGNING_KEY")
        return self._signing

    # -- listing

    def infos(self) -> list[SigningKeyInfo]:
        now = datetime.fromtimestamp(self._clock(), UTC)
        with self._db.read() as session:
            rows = session.scalars(
                sa.select(SigningKeyRow)
                .where(sa.or_(SigningKeyRow.verify_until.is_(None), SigningKeyRow.verify_until > now))
                .order_by(SigningKeyRow.created_at.desc())
            )
            return [_info(row) for row in rows]


def _info(row: SigningKeyRow) -> SigningKeyInfo:
    return SigningKeyInfo(
        key_id=row.key_id,
        algorithm=row.algorithm,
        curve=CURVE,
        public_key=bytes(row.public_key),
        created_at=row.created_at,
        retired_at=row.retired_at,
        verify_until=row.verify_until,
    )
