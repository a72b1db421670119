"""The interceptor's error translation, over the real gRPC stack."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import grpc
import pytest
from grpc_status import rpc_status

from mulligan import errors
from mulligan.rpc import ServerInterceptor, error_from_rpc
from mulligan.rpc.errors import STATUS_BY_ERROR


def _raise(exc: Exception):  # type: ignore[no-untyped-def]
    def behavior(request: bytes, context: grpc.ServicerContext) -> bytes:
        raise exc

    return behavior


@pytest.fixture
def channel() -> Iterator[grpc.Channel]:
    """A bare server with test methods raising chosen exceptions."""
    from concurrent import futures

    methods = {
        "NotFound": _raise(errors.NotFound("machine m1 not found", reason="MACHINE_NOT_FOUND", metadata={"id": "m1"})),
        "Boom": _raise(RuntimeError("secret detail /etc/shadow")),
        "Stream": grpc.unary_stream_rpc_method_handler(lambda req, ctx: iter(_stream_then_fail())),
    }
    handlers = {
        name: behavior if isinstance(behavior, grpc.RpcMethodHandler) else grpc.unary_unary_rpc_method_handler(behavior)
        for name, behavior in methods.items()
    }
    server = grpc.server(futures.ThreadPoolExecutor(2), interceptors=[ServerInterceptor()])
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("test.Errors", handlers)])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as chan:
        yield chan
    server.stop(0)


def _stream_then_fail() -> Iterator[bytes]:
    yield b"one"
    raise errors.FailedPrecondition("host disabled", reason="HOST_DISABLED")


def _call(channel: grpc.Channel, method: str) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as info:
        channel.unary_unary(f"/test.Errors/{method}")(b"", timeout=5)
    return info.value


def test_domain_error_keeps_code_reason_and_metadata(channel: grpc.Channel) -> None:
    error = _call(channel, "NotFound")
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert error.details() == "machine m1 not found"
    status = rpc_status.from_call(error)
    assert status is not None and len(status.details) == 1
    translated = error_from_rpc(error)
    assert isinstance(translated, errors.NotFound)
    assert translated.reason == "MACHINE_NOT_FOUND"
    assert translated.metadata == {"id": "m1"}


def test_unexpected_error_is_internal_with_request_id_and_no_traceback(
    channel: grpc.Channel, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="mulligan.rpc"):
        error = _call(channel, "Boom")
    assert error.code() == grpc.StatusCode.INTERNAL
    assert "secret detail" not in error.details()
    assert "Traceback" not in error.details()
    request_id = error_from_rpc(error).metadata["request_id"]
    assert request_id in error.details()
    logged = [r for r in caplog.records if r.getMessage() == "unexpected error"]
    assert logged and logged[0].exc_info is not None


def test_error_in_a_stream_after_items_keeps_its_code(channel: grpc.Channel) -> None:
    responses = channel.unary_stream("/test.Errors/Stream")(b"", timeout=5)
    assert next(responses) == b"one"
    with pytest.raises(grpc.RpcError) as info:
        next(responses)
    assert info.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_from_rpc(info.value).reason == "HOST_DISABLED"


def test_every_domain_error_has_a_status_code() -> None:
    def subclasses(cls: type) -> set[type]:
        return {cls} | {s for c in cls.__subclasses__() for s in subclasses(c)}

    for cls in subclasses(errors.MulliganError) - {errors.MulliganError}:
        assert any(base in STATUS_BY_ERROR for base in cls.__mro__), cls
    assert grpc.StatusCode.INTERNAL not in STATUS_BY_ERROR.values()
