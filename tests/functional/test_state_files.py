"""The daemon's state files are private to its user, whatever the umask,
and a state dir other users may look into is reported at start."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mulligan.daemon import Daemon
from mulligan.iam.bootstrap import SECRET_FILE
from tests.fixtures.iam import bootstrap


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The most common umask, which leaves new files readable by everyone."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(directory: Path) -> dict[str, int]:
    return {
        str(path.relative_to(directory)): stat.S_IMODE(path.stat().st_mode)
        for path in directory.rglob("*")
        if path.is_file()
    }


def _state_dir_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING and "state dir" in record.getMessage()
    ]


@pytest.mark.usefixtures("loose_umask")
def test_state_files_are_created_private(start_daemon: Callable[..., Daemon], tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    daemon = start_daemon(state_dir=str(state_dir))
    created = _modes(state_dir)
    # The bootstrap secret exists until bootstrap; writes bring the WAL and its index.
    assert {"mulligan.db", "mulligan.db-wal", "mulligan.db-shm", "secret.key", SECRET_FILE} <= set(created)
    bootstrap(daemon)
    daemon.stop(0)
    after = _modes(state_dir)
    assert "mulligan.db" in after
    loose = {name: f"{mode:04o}" for name, mode in {**created, **after}.items() if mode & 0o077}
    assert loose == {}


@pytest.mark.usefixtures("loose_umask")
def test_a_database_left_readable_by_an_earlier_start_is_made_private(
    start_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    state_dir = tmp_path / "state"
    start_daemon(state_dir=str(state_dir)).stop(0)
    database = state_dir / "mulligan.db"
    database.chmod(0o644)
    start_daemon(state_dir=str(state_dir))
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert not {name: mode for name, mode in _modes(state_dir).items() if mode & 0o077}


@pytest.mark.parametrize("mode", [0o750, 0o755, 0o701], ids=["0750", "0755", "0701"])
def test_a_state_dir_others_may_enter_is_one_warning_at_start(
    start_daemon: Callable[..., Daemon], tmp_path: Path, caplog: pytest.LogCaptureFixture, mode: int
) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    state_dir.chmod(mode)
    with caplog.at_level(logging.INFO, logger="mulligan"):
        start_daemon(state_dir=str(state_dir))
    assert _state_dir_warnings(caplog) == [
        f"state dir {state_dir} is open to group or world (mode {mode:04o}): chmod 700 it"
    ]


def test_a_private_state_dir_starts_without_a_warning(
    start_daemon: Callable[..., Daemon], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mulligan"):
        start_daemon(state_dir=str(tmp_path / "new"))
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert _state_dir_warnings(caplog) == []
