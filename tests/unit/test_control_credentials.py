"""BMC passwords at rest: sealed under the secret key, bound to their host."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mulligan.control.credentials import KEY_BYTES, SecretBox, load_or_create_key
from mulligan.errors import FailedPrecondition, StartupError

HOST = "6f1d3c52-3f0e-4c8e-9f57-0d2f5b1a9c11"
OTHER_HOST = "0b5e2a7e-8d51-4a3a-a0b9-0c1f7a1e2d33"


def test_a_sealed_password_opens_only_with_its_key_and_host() -> None:
    box = SecretBox(os.urandom(KEY_BYTES))
    sealed = box.seal(b"hunter2-bmc", bound_to=HOST)
    assert b"hunter2-bmc" not in sealed
    assert box.open(sealed, bound_to=HOST) == b"hunter2-bmc"
    # Two seals of one password differ (fresh nonce): equal passwords do not show.
    assert box.seal(b"hunter2-bmc", bound_to=HOST) != sealed
    with pytest.raises(FailedPrecondition) as moved:
        box.open(sealed, bound_to=OTHER_HOST)
    assert moved.value.reason == "SECRET_UNREADABLE"


def test_another_key_says_so() -> None:
    sealed = SecretBox(os.urandom(KEY_BYTES)).seal(b"pw", bound_to=HOST)
    with pytest.raises(FailedPrecondition) as wrong:
        SecretBox(os.urandom(KEY_BYTES)).open(sealed, bound_to=HOST)
    assert wrong.value.reason == "SECRET_KEY_MISMATCH"
    assert "secret_key_file" in wrong.value.message


def test_a_damaged_value_is_refused() -> None:
    box = SecretBox(os.urandom(KEY_BYTES))
    sealed = bytearray(box.seal(b"pw", bound_to=HOST))
    sealed[-1] ^= 1
    with pytest.raises(FailedPrecondition) as damaged:
        box.open(bytes(sealed), bound_to=HOST)
    assert damaged.value.reason == "SECRET_UNREADABLE"
    with pytest.raises(FailedPrecondition):
        box.open(b"\x01short", bound_to=HOST)


def test_the_key_file_is_made_once_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    key = load_or_create_key(path)
    assert len(key) == KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    assert list(tmp_path.iterdir()) == [path], "no temporary file left behind"


def test_a_key_file_others_can_read_or_of_the_wrong_size_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    load_or_create_key(path)
    path.chmod(0o644)
    with pytest.raises(StartupError, match="readable by others"):
        load_or_create_key(path)
    path.chmod(0o600)
    path.write_bytes(b"short")
    with pytest.raises(StartupError, match="exactly 32 bytes"):
        load_or_create_key(path)
