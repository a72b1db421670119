"""Files that hold secrets or the daemon's state: made private, kept private.

A secret file (a key, a passphrase) that other users may read is no secret:
the daemon refuses to start with it rather than use it. Files the daemon
makes in its state dir are created 0600, and a state dir others may look
into gets a warning at start (the files inside stay private either way).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from mulligan.errors import StartupError

log = logging.getLogger("mulligan.daemon")

PRIVATE_FILE_MODE = 0o600
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def read_private(path: Path, option: str) -> bytes:
    """The content of the secret file ``option`` names; StartupError unless only its owner may use it."""
    try:
        # The mode is read from the file that is opened, not from the path
        # again: a file swapped in between would slip past a separate stat.
        fd = os.open(path, os.O_RDONLY)
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if mode & _OTHERS:
                raise StartupError(
                    f"{option} {path} is readable by others (mode {stat.S_IMODE(mode):04o}): chmod 600 it"
                )
            return handle.read()
    except OSError as exc:
        raise StartupError(f"{option} {path} cannot be read: {exc.strerror}") from None


def keep_private(path: Path, *companions: Path) -> None:
    """Create ``path`` empty with mode 0600 when it is missing, and take the
    group and world bits off it and off those of its companions that exist.

    Files the daemon creates are 0600 from the start; tightening covers
    files an earlier version (or a loose umask) left open.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StartupError(f"cannot create {path}: {exc.strerror}") from None
    else:
        os.close(fd)
    tightened = []
    for candidate in (path, *companions):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & _OTHERS:
                candidate.chmod(mode & ~_OTHERS)
                tightened.append(str(candidate))
        except FileNotFoundError:
            continue
        except OSError as exc:
            # Another user's file: the daemon can use it but not change it.
            log.warning(f"cannot make {candidate} private: {exc.strerror}", extra={"file": str(candidate)})
    if tightened:
        log.info("state files made private to the daemon's user", extra={"files": tightened})


def warn_if_open(state_dir: Path) -> None:
    """One warning line when users other than the owner may list or enter the state dir."""
    mode = stat.S_IMODE(state_dir.stat().st_mode)
    if mode & _OTHERS:
        log.warning(
            f"state dir {state_dir} is open to group or world (mode {mode:04o}): chmod 700 it",
            extra={"state_dir": str(state_dir), "mode": f"{mode:04o}"},
        )
