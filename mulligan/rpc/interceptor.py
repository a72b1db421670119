"""The server interceptor every RPC passes through.

It gives each call a request id, asks the authorizer who the caller is,
translates domain errors through the error table, and turns anything
unexpected into INTERNAL with the request id — the traceback goes to the
log, never to the client. Request bytes that do not decode, timestamps
out of range and lists over their caps are the client's mistake:
INVALID_ARGUMENT, once the caller is known. Every call that may change
state leaves a line in the audit log (:mod:`mulligan.rpc.audit`), whatever
its outcome, and every call is counted and timed by method and status code
(:mod:`mulligan.metrics`). A client that goes away mid-call ends it as
CANCELLED, not as an error of the server.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import grpc
from google.protobuf.message import Message

from mulligan import context, errors, metrics
from mulligan.rpc import audit
from mulligan.rpc.errors import code_for, status_for, status_for_error
from mulligan.rpc.requests import check_request

log = logging.getLogger("mulligan.rpc")

Metadata = Sequence[tuple[str, str | bytes]]


class Authorizer(Protocol):
    """Decides who the caller is and whether it may call ``method``.

    Raises Unauthenticated or PermissionDenied.
    """

    def authorize(self, method: str, metadata: Metadata) -> context.Caller: ...


class OpenAuthorizer:
    """Every caller acts as the system (used before identity is wired)."""

    def authorize(self, method: str, metadata: Metadata) -> context.Caller:
        return context.SYSTEM


class ServerInterceptor(grpc.ServerInterceptor):
    def __init__(self, authorizer: Authorizer | None = None) -> None:
        self._authorizer: Authorizer = authorizer or OpenAuthorizer()

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        method: str = handler_call_details.method  # type: ignore[attr-defined]
        metadata: Metadata = tuple(handler_call_details.invocation_metadata or ())  # type: ignore[attr-defined]
        deserializer = _tolerant(handler.request_deserializer)
        serializer = _encoded_or(handler.response_serializer)
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                self._unary(handler.unary_unary, method, metadata, streamed=False),
                deserializer,
                serializer,
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                self._streaming(handler.unary_stream, method, metadata, streamed=False),
                deserializer,
                serializer,
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                self._unary(handler.stream_unary, method, metadata, streamed=True),
                deserializer,
                serializer,
            )
        assert handler.stream_stream is not None
        return grpc.stream_stream_rpc_method_handler(
            self._streaming(handler.stream_stream, method, metadata, streamed=True),
            deserializer,
            serializer,
        )

    def _unary(
        self, behavior: Callable[..., Any], method: str, metadata: Metadata, *, streamed: bool
    ) -> Callable[..., Any]:
        def call(request: Any, ctx: grpc.ServicerContext) -> Any:
            # A streamed request is an iterator: nothing to read object ids from.
            with _CallScope(self._authorizer, method, metadata, ctx, None if streamed else request) as scope:
                response = scope.run(lambda: behavior(_decoded(request, streamed), ctx))
                scope.response = response
                return response
            return None  # reached only when the scope aborted the call

        return call

    def _streaming(
        self, behavior: Callable[..., Iterator[Any]], method: str, metadata: Metadata, *, streamed: bool
    ) -> Callable[..., Iterator[Any]]:
        def call(request: Any, ctx: grpc.ServicerContext) -> Iterator[Any]:
            with _CallScope(self._authorizer, method, metadata, ctx, None if streamed else request) as scope:
                responses = scope.run(lambda: iter(behavior(_decoded(request, streamed), ctx)))
                while responses is not None:
                    item = scope.run(lambda: next(responses, _END))
                    if item is _END or item is None:
                        return
                    yield item

        return call


_END = object()


class _Undecodable:
    """Stands in for a request whose bytes did not parse.

    gRPC itself would answer INTERNAL and log a traceback; holding the
    failure until the call runs lets the caller be authorized first and
    the answer go through the error table like any other.
    """


def _tolerant(deserializer: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    if deserializer is None:
        return None

    def deserialize(data: bytes) -> Any:
        try:
            return deserializer(data)
        except Exception:
            # Whatever the parser raises, the bytes came from the client.
            return _Undecodable()

    return deserialize


def _encoded_or(serializer: Callable[[Any], bytes] | None) -> Callable[[Any], bytes] | None:
    """The method's serializer, except for a response a servicer wrote as
    wire bytes itself (a page of a thousand candidates): sent as it is."""
    if serializer is None:
        return None

    def serialize(response: Any) -> bytes:
        return response if type(response) is bytes else serializer(response)

    return serialize


def _malformed() -> errors.InvalidArgument:
    return errors.InvalidArgument(
        "the request does not decode as this method's request message", reason="MALFORMED_REQUEST"
    )


def _decoded(request: Any, streamed: bool) -> Any:
    if streamed:
        return _checked_stream(request)
    return _checked(request)


def _checked_stream(requests: Iterator[Any]) -> Iterator[Any]:
    for request in requests:
        yield _checked(request)


def _checked(request: Any) -> Any:
    """The request, once it is known to have decoded into values the servicers can convert."""
    if isinstance(request, _Undecodable):
        raise _malformed()
    if isinstance(request, Message):
        check_request(request)
    return request


def _request_id(metadata: Metadata) -> str:
    for key, value in metadata:
        if key == "x-request-id" and isinstance(value, str) and 0 < len(value) <= 64:
            return value
    return uuid.uuid4().hex[:16]


class _CallScope:
    """Context and error handling for one call, around each step of it."""

    def __init__(
        self, authorizer: Authorizer, method: str, metadata: Metadata, ctx: grpc.ServicerContext, request: Any
    ) -> None:
        self._authorizer = authorizer
        self._method = method
        self._metadata = metadata
        self._ctx = ctx
        self._request = request
        self._caller: context.Caller | None = None
        self._outcome = "OK"
        self._code = "OK"
        self.response: Any = None

    def __enter__(self) -> _CallScope:
        self._started = time.monotonic()
        metrics.RPC_IN_FLIGHT.inc()
        self._request_token = context.set_request_id(_request_id(self._metadata))
        try:
            caller = self.run(lambda: self._authorizer.authorize(self._method, self._metadata))
        except BaseException:
            self._log()
            context.reset_request_id(self._request_token)
            raise
        self._caller = caller or context.SYSTEM
        self._caller_token = context.set_caller(self._caller)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_exc: object) -> None:
        if exc_type is GeneratorExit and self._code == "OK":
            # gRPC closes a stream's generator when the client went away mid-stream.
            self._outcome = self._code = "CANCELLED"
        self._log()
        context.reset_caller(self._caller_token)
        context.reset_request_id(self._request_token)

    def _log(self) -> None:
        seconds = time.monotonic() - self._started
        metrics.RPC_IN_FLIGHT.dec()
        metrics.observe_rpc(self._method, self._code, seconds)
        log.debug("rpc", extra={"method": self._method, "outcome": self._outcome, "ms": round(seconds * 1000, 3)})
        if audit.audited(self._method):
            audit.record(
                self._method,
                self._caller,
                request=self._request,
                response=self.response,
                code=self._code,
                reason="" if self._code == "OK" else self._outcome,
            )

    def run(self, step: Callable[[], Any]) -> Any:
        try:
            return step()
        except errors.MulliganError as exc:
            self._outcome = exc.reason
            self._code = code_for(exc).name
            self._ctx.abort_with_status(status_for_error(exc))
        except Exception as exc:
            if _already_aborted(self._ctx):
                raise
            if isinstance(exc, grpc.RpcError) and not self._ctx.is_active():
                # Reading the next request of a stream whose client went away
                # (cancelled, or past its deadline): nobody is left to answer,
                # and nothing went wrong here. gRPC ends the call quietly on
                # its own error.
                self._outcome = self._code = "CANCELLED"
                raise
            self._outcome = self._code = "INTERNAL"
            request_id = context.request_id()
            log.exception("unexpected error", extra={"method": self._method})
            self._ctx.abort_with_status(
                status_for(
                    grpc.StatusCode.INTERNAL,
                    f"internal error; request id {request_id}",
                    "INTERNAL",
                    {"request_id": request_id},
                )
            )
        return None


def _already_aborted(ctx: grpc.ServicerContext) -> bool:
    code = getattr(ctx, "code", None)
    return bool(code and code() is not None)
