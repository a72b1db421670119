"""The process a :class:`mulligan.meta.sandbox.Sandbox` runs schema checks in.

One JSON request a line on stdin, one JSON answer a line on stdout; the
first line out says the worker is ready. Domain errors travel back as
their kind, message, reason and metadata; anything else as a crash.
"""

from __future__ import annotations

import json
import signal
import sys
from typing import Any

from mulligan.errors import FailedPrecondition, InvalidArgument, MulliganError
from mulligan.meta import schemas


def _answer(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def _kind(exc: MulliganError) -> str:
    for kind in (FailedPrecondition, InvalidArgument):
        if isinstance(exc, kind):
            return kind.__name__
    return "crash"


def serve() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the daemon decides
    # when its workers stop, by closing their stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _answer({"ready": True})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        error: dict[str, Any] | None = None
        try:
            if request["check"] == "schema":
                schemas.check_schema(request["schema"])
            else:
                schemas.check_value(request["schema"], request["value"], request["label"])
        except MulliganError as exc:
            error = {"type": _kind(exc), "message": exc.message, "reason": exc.reason, "metadata": exc.metadata}
        except Exception as exc:
            error = {"type": "crash", "message": repr(exc)[:500]}
        _answer({"error": error})


if __name__ == "__main__":
    serve()
