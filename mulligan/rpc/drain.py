"""Turning callers away before the gRPC server stops.

When gRPC's server stops, calls it has received but not yet handed to a
handler are cancelled: the caller sees CANCELLED and cannot tell whether
the call was made. So a stopping daemon first drains: every new call is
refused with UNAVAILABLE, reason SHUTTING_DOWN, which says the call was not
made and may go to another daemon of the fleet (the smart client does
that, and keeps away from this daemon meanwhile). Once no call has come for
a moment, or at the drain's deadline, the server itself stops.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import grpc

from mulligan.rpc.errors import status_for

SHUTTING_DOWN = "SHUTTING_DOWN"


class Drain(grpc.ServerInterceptor):
    """The outermost interceptor: refuses every call once draining."""

    def __init__(self) -> None:
        self._draining = threading.Event()
        self._last_call = time.monotonic()

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        # A float store is atomic: no lock on every call's path.
        self._last_call = time.monotonic()
        handler = continuation(handler_call_details)
        if handler is None or not self._draining.is_set():
            return handler
        return _refusing(handler)

    def drain(self, *, quiet_s: float, max_s: float) -> None:
        """Refuse new calls from now on; return once none came for ``quiet_s``,
        or after ``max_s``."""
        self._draining.set()
        deadline = time.monotonic() + max_s
        while True:
            now = time.monotonic()
            quiet_until = self._last_call + quiet_s
            if now >= quiet_until or now >= deadline:
                return
            time.sleep(min(quiet_until, deadline) - now)


def _refuse(_request: Any, context: grpc.ServicerContext) -> Any:
    context.abort_with_status(
        status_for(
            grpc.StatusCode.UNAVAILABLE, "the daemon is shutting down: call another daemon or again", SHUTTING_DOWN
        )
    )


def _refusing(handler: grpc.RpcMethodHandler[Any, Any]) -> grpc.RpcMethodHandler[Any, Any]:
    """A handler of the same shape that refuses the call without reading it."""
    encode = handler.response_serializer
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(_refuse, None, encode)
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(_refuse, None, encode)
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(_refuse, None, encode)
    return grpc.stream_stream_rpc_method_handler(_refuse, None, encode)
