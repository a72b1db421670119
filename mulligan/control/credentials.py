"""BMC passwords, encrypted at rest.

Each password is sealed with AES-256-GCM under the daemon's secret key,
bound to its host's UUID (a sealed password copied onto another host's row
does not open). The key lives in a file outside the database
(``secret_key_file``), so a database dump or backup alone reveals no
password; daemons sharing a database share the file. A sealed value
starts with a short fingerprint of the key that sealed it, so a daemon
given the wrong file says so instead of failing obscurely.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mulligan.errors import FailedPrecondition, StartupError
from mulligan.files import read_private

_VERSION = b"\x01"
_FINGERPRINT_BYTES = 8
_NONCE_BYTES = 12
KEY_BYTES = 32


class SecretBox:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"the secret key must be {KEY_BYTES} bytes")
        self._aead = AESGCM(key)
        self._fingerprint = hashlib.sha256(b"mulligan-secret-key" + key).digest()[:_FINGERPRINT_BYTES]

    def seal(self, secret: bytes, *, bound_to: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + self._fingerprint + nonce + self._aead.encrypt(nonce, secret, bound_to.encode())

    def open(self, sealed: bytes, *, bound_to: str) -> bytes:
        head = len(_VERSION) + _FINGERPRINT_BYTES
        if sealed[:1] != _VERSION or len(sealed) < head + _NONCE_BYTES:
            raise FailedPrecondition("a stored BMC password is damaged", reason="SECRET_UNREADABLE")
        if sealed[1:head] != self._fingerprint:
            raise FailedPrecondition(
                "a stored BMC password was encrypted with another secret_key_file: give this daemon "
                "the same file as the daemon that enrolled the host",
                reason="SECRET_KEY_MISMATCH",
            )
        nonce = sealed[head : head + _NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[head + _NONCE_BYTES :], bound_to.encode())
        except InvalidTag:
            raise FailedPrecondition("a stored BMC password is damaged", reason="SECRET_UNREADABLE") from None


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``, made (0600) when the file does not exist yet."""
    if not path.exists():
        # Written aside and linked into place: a daemon starting at the same
        # moment sees either no file or a whole one, and one key wins.
        # A name of its own per attempt: daemons in one process share a pid.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(8).hex()}")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(os.urandom(KEY_BYTES))
                out.flush()
                os.fsync(out.fileno())
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError as exc:
            raise StartupError(f"secret_key_file {path} cannot be created: {exc.strerror}") from None
        finally:
            temporary.unlink(missing_ok=True)
    key = read_private(path, "secret_key_file")
    if len(key) != KEY_BYTES:
        raise StartupError(f"secret_key_file {path} must hold exactly {KEY_BYTES} bytes, it holds {len(key)}")
    return key
