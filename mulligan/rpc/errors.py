"""The one table from domain errors to gRPC status codes.

The reason code travels to the client in a ``google.rpc.ErrorInfo`` detail
(domain ``mulligan``), so clients branch on ``reason`` rather than on the
message text; an error worth retrying after a wait also carries a
``google.rpc.RetryInfo`` detail with the delay.
"""

from __future__ import annotations

from datetime import timedelta

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from mulligan import errors

ERROR_DOMAIN = "mulligan"

STATUS_BY_ERROR: dict[type[errors.MulliganError], grpc.StatusCode] = {
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    errors.Conflict: grpc.StatusCode.ABORTED,
    errors.ResourceExhausted: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    errors.Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
}
_ERROR_BY_STATUS = {code: error for error, code in STATUS_BY_ERROR.items()}


def code_for(exc: errors.MulliganError) -> grpc.StatusCode:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return grpc.StatusCode.INTERNAL


def status_for(
    code: grpc.StatusCode,
    message: str,
    reason: str,
    metadata: dict[str, str] | None = None,
    *,
    retry_after_s: float | None = None,
) -> grpc.Status:
    details = [error_details_pb2.ErrorInfo(reason=reason, domain=ERROR_DOMAIN, metadata=metadata or {})]
    if retry_after_s is not None:
        retry = error_details_pb2.RetryInfo()
        retry.retry_delay.FromTimedelta(timedelta(seconds=retry_after_s))
        details.append(retry)
    packed = []
    for detail in details:
        any_detail = any_pb2.Any()
        any_detail.Pack(detail)
        packed.append(any_detail)
    status = status_pb2.Status(code=code.value[0], message=message, details=packed)
    converted: grpc.Status = rpc_status.to_status(status)
    return converted


def status_for_error(exc: errors.MulliganError) -> grpc.Status:
    return status_for(code_for(exc), exc.message, exc.reason, exc.metadata, retry_after_s=exc.retry_after_s)


def error_from_rpc(exc: grpc.RpcError) -> errors.MulliganError:
    """The domain error a failed call stands for (client side)."""
    code = exc.code() if isinstance(exc, grpc.Call) else grpc.StatusCode.UNKNOWN
    message = exc.details() if isinstance(exc, grpc.Call) else str(exc)
    reason: str = code.name
    metadata: dict[str, str] = {}
    status = rpc_status.from_call(exc) if isinstance(exc, grpc.Call) else None
    details: list[any_pb2.Any] = list(status.details) if status else []
    for detail in details:
        info = error_details_pb2.ErrorInfo()
        if detail.Is(info.DESCRIPTOR) and detail.Unpack(info) and info.domain == ERROR_DOMAIN:
            reason, metadata = info.reason, dict(info.metadata)
    cls = _ERROR_BY_STATUS.get(code, errors.MulliganError)
    if code in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNAVAILABLE):
        cls = errors.Unavailable
    return cls(message or code.name, reason=reason, metadata=metadata)
