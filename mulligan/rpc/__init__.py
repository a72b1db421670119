"""gRPC plumbing shared by every servicer: the error table, the server
interceptor, and the client-side translation back to domain errors."""

from mulligan.rpc.errors import error_from_rpc, status_for
from mulligan.rpc.interceptor import ServerInterceptor

__all__ = ["ServerInterceptor", "error_from_rpc", "status_for"]
