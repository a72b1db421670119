"""gRPC plumbing shared by every servicer: the error table, the server
interceptor, and the client-side translation back to domain errors.

The interceptor is loaded only when asked for: clients (the CLI) need the
error table alone, not the server's auditing and token checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mulligan.rpc.errors import error_from_rpc, status_for

if TYPE_CHECKING:
    from mulligan.rpc.interceptor import ServerInterceptor

__all__ = ["ServerInterceptor", "error_from_rpc", "status_for"]


def __getattr__(name: str) -> Any:
    if name == "ServerInterceptor":
        from mulligan.rpc.interceptor import ServerInterceptor

        return ServerInterceptor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
