"""The smart client: a stub per service, the caller's token on every call,
and failed calls raised as Mulligan's domain errors.

A client may know several daemons of one fleet (``"host1:7411,host2:7411"``):
calls are spread over them in turn, and a failed call goes to the next
daemon when sending it again cannot do anything twice: reads (Get, List,
...) refused with UNAVAILABLE or cut off (CANCELLED), and any call the daemon
never made (no connection could be made, or a stopping daemon turned it
away: reason SHUTTING_DOWN). A daemon that failed a call so is tried last
for a few seconds. A write cut off after it was sent is not sent again,
since the daemon may have made it; its caller decides.
"""

from __future__ import annotations

import functools
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import grpc

from mulligan.config import DEFAULT_LISTEN
from mulligan.errors import MulliganError

if TYPE_CHECKING:
    from mulligan.tls_client import ClientTls

DEFAULT_TIMEOUT_S = 30.0
_DEFAULT = object()
# Calls that change nothing, sent again to another daemon after UNAVAILABLE.
# Authenticate issues one more token, which harms nothing.
_READ_PREFIXES = ("Get", "List", "Resolve", "Describe", "Find", "Check", "Authenticate")
# gRPC's words for a call that never left the client: no connection was made.
_NOT_SENT = ("failed to connect to all addresses", "Connection refused")
# A stopping daemon's answer to a call it did not make (mulligan.rpc.drain).
_SHUTTING_DOWN = "SHUTTING_DOWN"
# How long a daemon that failed a call is tried after the others.
_SET_ASIDE_S = 5.0
# A daemon that comes back is tried again within this (gRPC's default waits up to 120 s).
_MAX_RECONNECT_BACKOFF_MS = 2000


def default_endpoint() -> str:
    return os.environ.get("MULLIGAN_ENDPOINT") or DEFAULT_LISTEN


def split_endpoints(endpoint: str | Sequence[str]) -> tuple[str, ...]:
    """The daemons named by ``"a:1,b:2"`` (or a list of them), in order."""
    items = endpoint.split(",") if isinstance(endpoint, str) else endpoint
    endpoints = tuple(item.strip() for item in items if item.strip())
    if not endpoints:
        raise ValueError("no endpoint given")
    return endpoints


def _safe_to_resend(method: str, exc: grpc.RpcError) -> bool:
    """Whether a failed call may go to another daemon."""
    if not isinstance(exc, grpc.Call):
        return False
    code = exc.code()
    if code == grpc.StatusCode.CANCELLED:
        # Not cancelled here (that raises no error): the daemon cut it off.
        return method.startswith(_READ_PREFIXES)
    if code != grpc.StatusCode.UNAVAILABLE:
        return False
    from mulligan.rpc import error_from_rpc

    if method.startswith(_READ_PREFIXES) or any(words in (exc.details() or "") for words in _NOT_SENT):
        return True
    return error_from_rpc(exc).reason == _SHUTTING_DOWN


class _Stub:
    """Calls a generated stub with auth metadata, translating errors."""

    def __init__(self, stubs: Sequence[object], client: Client) -> None:
        self._stubs = stubs
        self._client = client

    def __getattr__(self, name: str) -> Callable[..., Any]:
        methods = [getattr(stub, name) for stub in self._stubs]

        def call(request: Any, *, timeout: float | object | None = _DEFAULT) -> Any:
            """``timeout`` None means no deadline (for streams that follow changes)."""
            deadline = self._client.timeout if timeout is _DEFAULT else timeout
            order = self._client.order()
            for position, index in enumerate(order):
                try:
                    result = methods[index](request, timeout=deadline, metadata=self._client.metadata())
                except grpc.RpcError as exc:
                    if position + 1 < len(order) and _safe_to_resend(name, exc):
                        self._client.set_aside(index)
                        continue
                    raise self._client.error(exc, index) from None
                if isinstance(result, grpc.Future) and hasattr(result, "__next__"):
                    return _Stream(result, self._client)
                return result
            raise AssertionError("a client has at least one endpoint")

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
    """``tls`` None speaks plaintext (a daemon on loopback); else TLS with its files.

    ``endpoint`` names one daemon, or several of one fleet separated by commas.
    ``wrap``, when given, is applied to each service's stub (the CLI renews
    expired tokens there).

    A service's stub, and the generated modules behind it, are loaded the
    first time the service is used: a command that calls one service does
    not pay for importing the other three.
    """

    def __init__(
        self,
        endpoint: str | Sequence[str] | None = None,
        *,
        token: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        tls: ClientTls | None = None,
        wrap: Callable[[_Stub], Any] | None = None,
    ):
        self.endpoints = split_endpoints(endpoint or default_endpoint())
        self.endpoint = ",".join(self.endpoints)
        self.token = token
        self.timeout = timeout
        self.tls = tls
        options = [("grpc.max_reconnect_backoff_ms", _MAX_RECONNECT_BACKOFF_MS)] if len(self.endpoints) > 1 else []
        self.channels = [
            grpc.secure_channel(target, tls.channel_credentials(), options)
            if tls is not None
            else grpc.insecure_channel(target, options)
            for target in self.endpoints
        ]
        self.channel = self.channels[0]
        self._turn = itertools.count()
        self._turn_lock = threading.Lock()
        # Endpoint index -> monotonic time until which it is tried last.
        self._aside: dict[int, float] = {}
        self._wrap = wrap

    def _service(self, stub_class: Callable[[grpc.Channel], object]) -> Any:
        stub = _Stub([stub_class(channel) for channel in self.channels], self)
        return self._wrap(stub) if self._wrap is not None else stub

    @functools.cached_property
    def iam(self) -> Any:
        from mulligan.api.iam.v1 import iam_pb2_grpc

        return self._service(iam_pb2_grpc.IamServiceStub)

    @functools.cached_property
    def meta(self) -> Any:
        from mulligan.api.meta.v1 import meta_pb2_grpc

        return self._service(meta_pb2_grpc.MetaServiceStub)

    @functools.cached_property
    def resource(self) -> Any:
        from mulligan.api.resource.v1 import resource_pb2_grpc

        return self._service(resource_pb2_grpc.ResourceServiceStub)

    @functools.cached_property
    def control(self) -> Any:
        from mulligan.api.control.v1 import control_pb2_grpc

        return self._service(control_pb2_grpc.ControlServiceStub)

    @functools.cached_property
    def _health(self) -> Any:
        from grpc_health.v1 import health_pb2_grpc

        return health_pb2_grpc.HealthStub(self.channel)

    def order(self) -> list[int]:
        """The endpoints to try for the next call: each call starts at the
        next one; those set aside come last."""
        now = time.monotonic()
        with self._turn_lock:
            first = next(self._turn) % len(self.endpoints)
            aside = {index for index, until in self._aside.items() if until > now}
        turn = [(first + step) % len(self.endpoints) for step in range(len(self.endpoints))]
        return [index for index in turn if index not in aside] + [index for index in turn if index in aside]

    def set_aside(self, index: int) -> None:
        """Try this endpoint after the others for a while: it just failed a call."""
        with self._turn_lock:
            self._aside[index] = time.monotonic() + _SET_ASIDE_S

    def error(self, exc: grpc.RpcError, index: int = 0) -> MulliganError:
        """The domain error for a failed call; a failed connection says why, when TLS is the cause."""
        from mulligan.rpc import error_from_rpc
        from mulligan.tls_client import explain_connect_failure

        error = error_from_rpc(exc)
        # gRPC's words for a connection that never carried a call; the
        # daemon's own UNAVAILABLE errors (etcd down, ...) pass unchanged.
        if error.reason == "UNAVAILABLE" and "failed to connect to all addresses" in error.message:
            return explain_connect_failure(self.endpoints[index], self.tls, timeout=self.timeout) or error
        return error

    def metadata(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.token}")] if self.token else []

    def health(self, service: str = "", *, timeout: float | None = None) -> str:
        """SERVING, NOT_SERVING, ... for one service ('' is the whole daemon);
        of the first endpoint only, since a fleet has no single answer."""
        from grpc_health.v1 import health_pb2

        try:
            response = self._health.Check(
                health_pb2.HealthCheckRequest(service=service), timeout=timeout or self.timeout
            )
        except grpc.RpcError as exc:
            raise self.error(exc) from None
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))

    def close(self) -> None:
        for channel in self.channels:
            channel.close()

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
