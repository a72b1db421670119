"""Files holding secrets (the signing key passphrase, the BMC password key)
follow one rule: a file other users may read stops the start with one line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mulligan.control.credentials import KEY_BYTES
from mulligan.daemon import Daemon
from mulligan.errors import StartupError
from tests.fixtures.daemon import daemon_env

PASSPHRASE = b"a passphrase long enough to count\n"
# Which bits let someone else at the file: group read, world read, and
# also write or execute only, which no secret file needs either.
OPEN_MODES = [0o640, 0o604, 0o660, 0o620, 0o601]


def _secret_file(path: Path, content: bytes, mode: int) -> Path:
    path.write_bytes(content)
    path.chmod(mode)
    return path


SECRET_FILES = {
    "signing_key_passphrase_file": PASSPHRASE,
    "secret_key_file": os.urandom(KEY_BYTES),
}


@pytest.mark.parametrize("option", sorted(SECRET_FILES))
@pytest.mark.parametrize("mode", OPEN_MODES, ids=[f"{m:04o}" for m in OPEN_MODES])
def test_a_secret_file_others_may_use_stops_the_start(
    start_daemon: Callable[..., Daemon], tmp_path: Path, option: str, mode: int
) -> None:
    path = _secret_file(tmp_path / option, SECRET_FILES[option], mode)
    with pytest.raises(StartupError) as caught:
        start_daemon(**{option: str(path)})
    assert str(caught.value) == f"{option} {path} is readable by others (mode {mode:04o}): chmod 600 it"


@pytest.mark.parametrize("mode", [0o600, 0o400], ids=["0600", "0400"])
def test_secret_files_only_their_owner_may_use_are_accepted(
    start_daemon: Callable[..., Daemon], tmp_path: Path, mode: int
) -> None:
    files = {option: str(_secret_file(tmp_path / option, content, mode)) for option, content in SECRET_FILES.items()}
    daemon = start_daemon(**files)
    assert daemon.modules.iam.list_signing_keys().items


def test_mulligand_says_so_in_one_line_and_exits_non_zero(tmp_path: Path) -> None:
    passphrase = _secret_file(tmp_path / "passphrase", PASSPHRASE, 0o644)
    env = daemon_env(MULLIGAN_SIGNING_KEY_PASSPHRASE_FILE=str(passphrase))
    # On a start that goes through, the daemon would serve until killed.
    result = subprocess.run(
        [sys.executable, "-m", "mulligan.daemon", "--listen", "127.0.0.1:0", "--state-dir", str(tmp_path / "s")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"mulligand: signing_key_passphrase_file {passphrase} is readable by others (mode 0644): chmod 600 it"
    )
