"""Files that hold secrets: kept private.

A secret file (a key, a passphrase) that other users may read is no secret:
the daemon refuses to start with it rather than use it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mulligan.errors import StartupError

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
