"""The CLI's exit codes, one table for every command (docs/cli.md lists them)."""

from __future__ import annotations

from mulligan.errors import MulliganError, NotFound, PermissionDenied, Unauthenticated, Unavailable

OK = 0
# Any failure without a code of its own: a request the daemon refused as
# invalid, a conflict, a precondition not met, a local file unreadable.
ERROR = 1
# Click's own code for a bad command line.
USAGE = 2
# No daemon answered at the endpoint (or TLS settings disagree with it).
UNAVAILABLE = 3
# --wait: the work was not done when --timeout ran out; it carries on.
TIMED_OUT = 4
# --wait: the work ended, in error.
FAILED = 5
NOT_FOUND = 6
# Not signed in, a token the daemon refused, or not allowed.
DENIED = 7
# Ctrl-C during --wait or watch: the work carries on without the CLI.
INTERRUPTED = 130


def for_error(exc: MulliganError) -> int:
    if isinstance(exc, NotFound):
        return NOT_FOUND
    if isinstance(exc, PermissionDenied | Unauthenticated):
        return DENIED
    if isinstance(exc, Unavailable):
        return UNAVAILABLE
    return ERROR
