"""mulligand plus one extra RPC that takes as long as asked.

The SIGTERM test needs an RPC that is reliably in flight when the signal
arrives; no production RPC is slow on purpose, so this wrapper adds one.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import grpc

from mulligan import daemon, policy

METHOD = "/mulligan.test.Slow/Sleep"


def _sleep(request: bytes, context: grpc.ServicerContext) -> bytes:
    marker, seconds = request.decode().split("|")
    Path(marker).write_text("started")
    time.sleep(float(seconds))
    return b"finished"


if __name__ == "__main__":
    policy.POLICIES[METHOD] = policy.PUBLIC
    handler = grpc.method_handlers_generic_handler(
        "mulligan.test.Slow", {"Sleep": grpc.unary_unary_rpc_method_handler(_sleep)}
    )
    sys.exit(daemon.main(sys.argv[1:], extra_handlers=[handler]))
