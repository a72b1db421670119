"""Domain errors shared by every module.

Each error carries a stable, machine-readable ``reason`` (UPPER_SNAKE_CASE)
that clients may branch on, a human message, and optional string metadata.
The error *class* decides the gRPC status code through the one table in
``mulligan.rpc.errors``; domain code never imports grpc.
"""

from __future__ import annotations

from collections.abc import Mapping


class MulliganError(Exception):
    """Base of every error that is meant to reach a client."""

    default_reason = "ERROR"

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        metadata: Mapping[str, str] | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason or self.default_reason
        self.metadata: dict[str, str] = dict(metadata or {})
        # When the same call can succeed after a wait (throttling): clients
        # get it as a google.rpc.RetryInfo detail.
        self.retry_after_s = retry_after_s


class InvalidArgument(MulliganError):
    """The request itself is wrong, whatever the state of the system."""

    default_reason = "INVALID_ARGUMENT"


class NotFound(MulliganError):
    """The object does not exist, or the caller may not know it exists."""

    default_reason = "NOT_FOUND"


class AlreadyExists(MulliganError):
    default_reason = "ALREADY_EXISTS"


class FailedPrecondition(MulliganError):
    """The request is valid but the current state forbids it."""

    default_reason = "FAILED_PRECONDITION"


class Conflict(MulliganError):
    """A concurrent change won (generation or revision mismatch); retry."""

    default_reason = "CONFLICT"


class ResourceExhausted(MulliganError):
    """Not enough capacity or quota."""

    default_reason = "RESOURCE_EXHAUSTED"


class PermissionDenied(MulliganError):
    default_reason = "PERMISSION_DENIED"


class Unauthenticated(MulliganError):
    default_reason = "UNAUTHENTICATED"


class Unavailable(MulliganError):
    """A dependency (database, etcd, hypervisor) cannot be reached now."""

    default_reason = "UNAVAILABLE"


class StartupError(Exception):
    """Stops the daemon at start with one line for the operator."""
