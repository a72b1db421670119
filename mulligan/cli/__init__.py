"""``mulligan``: the command-line client."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from mulligan.cli import app
from mulligan.cli.app import cli

__all__ = ["cli", "main"]


def main() -> NoReturn:
    """The ``mulligan`` command: the CLI, then an exit without interpreter teardown.

    Every command has finished its work (files written, calls ended) when
    the CLI returns; tearing down gRPC's core and every module after that
    costs a command as much as its call to the daemon, and nothing of it is
    needed by a process about to end.
    """
    code: int
    try:
        app.main()
        code = 0
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            code = done.code or 0
        else:
            print(done.code, file=sys.stderr)
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        # A reader that stopped early (``| head``) is not an error of ours.
        pass
    os._exit(code)
