"""The smart client: one channel, a stub per service, the caller's token
on every call, and failed calls raised as Mulligan's domain errors."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mulligan.api.control.v1 import control_pb2_grpc
from mulligan.api.iam.v1 import iam_pb2_grpc
from mulligan.api.meta.v1 import meta_pb2_grpc
from mulligan.api.resource.v1 import resource_pb2_grpc
from mulligan.config import DEFAULT_LISTEN
from mulligan.errors import MulliganError
from mulligan.rpc import error_from_rpc
from mulligan.tls import ClientTls, explain_connect_failure

DEFAULT_TIMEOUT_S = 30.0
_DEFAULT = object()


def default_endpoint() -> str:
    return os.environ.get("MULLIGAN_ENDPOINT") or DEFAULT_LISTEN


class _Stub:
    """Calls a generated stub with auth metadata, translating errors."""

    def __init__(self, stub: object, client: Client) -> None:
        self._stub = stub
        self._client = client

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._stub, name)

        def call(request: Any, *, timeout: float | object | None = _DEFAULT) -> Any:
            """``timeout`` None means no deadline (for streams that follow changes)."""
            deadline = self._client.timeout if timeout is _DEFAULT else timeout
            try:
                result = method(request, timeout=deadline, metadata=self._client.metadata())
            except grpc.RpcError as exc:
                raise self._client.error(exc) from None
            if isinstance(result, grpc.Future) and hasattr(result, "__next__"):
                return _Stream(result, self._client)
            return result

        return call


class _Stream:
    """A server stream whose failures arrive as domain errors."""

    def __init__(self, call: Any, client: Client) -> None:
        self._call = call
        self._client = client

    def __iter__(self) -> _Stream:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._call)
        except grpc.RpcError as exc:
            raise self._client.error(exc) from None

    def cancel(self) -> None:
        self._call.cancel()


class Client:
    """``tls`` None speaks plaintext (a daemon on loopback); else TLS with its files."""

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        token: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        tls: ClientTls | None = None,
    ):
        self.endpoint = endpoint or default_endpoint()
        self.token = token
        self.timeout = timeout
        self.tls = tls
        self.channel = (
            grpc.secure_channel(self.endpoint, tls.channel_credentials())
            if tls is not None
            else grpc.insecure_channel(self.endpoint)
        )
        self.iam = _Stub(iam_pb2_grpc.IamServiceStub(self.channel), self)
        self.meta = _Stub(meta_pb2_grpc.MetaServiceStub(self.channel), self)
        self.resource = _Stub(resource_pb2_grpc.ResourceServiceStub(self.channel), self)
        self.control = _Stub(control_pb2_grpc.ControlServiceStub(self.channel), self)
        self._health = health_pb2_grpc.HealthStub(self.channel)

    def error(self, exc: grpc.RpcError) -> MulliganError:
        """The domain error for a failed call; a failed connection says why, when TLS is the cause."""
        error = error_from_rpc(exc)
        # gRPC's words for a connection that never carried a call; the
        # daemon's own UNAVAILABLE errors (etcd down, ...) pass unchanged.
        if error.reason == "UNAVAILABLE" and "failed to connect to all addresses" in error.message:
            return explain_connect_failure(self.endpoint, self.tls, timeout=self.timeout) or error
        return error

    def metadata(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.token}")] if self.token else []

    def health(self, service: str = "", *, timeout: float | None = None) -> str:
        """SERVING, NOT_SERVING, ... for one service ('' is the whole daemon)."""
        try:
            response = self._health.Check(
                health_pb2.HealthCheckRequest(service=service), timeout=timeout or self.timeout
            )
        except grpc.RpcError as exc:
            raise self.error(exc) from None
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))

    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def pages(call: Callable[[str], Any], items: str) -> Iterator[Any]:
    """Every item of a List RPC, page after page: ``call(page_token)`` makes one call."""
    token = ""
    while True:
        response = call(token)
        yield from getattr(response, items)
        token = response.next_page_token
        if not token:
            return
