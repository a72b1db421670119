"""Request bodies that do not decode, sent as raw bytes to a real daemon.

Each gets INVALID_ARGUMENT (or UNAUTHENTICATED when the method needs a
token and none came) and no traceback in the log: the bytes are the
client's mistake, not the server's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import grpc
import pytest

from mulligan import daemon as daemon_mod
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.rpc import error_from_rpc
from tests.fixtures.iam import Identity, bootstrap

# A field 1 of wire type 2 whose length runs past the end of the message.
TRUNCATED = b"\x0a\x10abc"
# Field number 0 is never valid.
FIELD_ZERO = b"\x00\x01"
# Wire type 7 does not exist.
BAD_WIRE_TYPE = b"\x0f"


@pytest.fixture
def served(start_daemon: Callable[..., daemon_mod.Daemon]) -> tuple[daemon_mod.Daemon, Identity]:
    daemon = start_daemon()
    return daemon, bootstrap(daemon)


@pytest.fixture
def channel(served: tuple[daemon_mod.Daemon, Identity]) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(served[0].address) as chan:
        yield chan


def raw_error(channel: grpc.Channel, method: str, body: bytes, token: str = "") -> grpc.RpcError:
    metadata = [("authorization", f"Bearer {token}")] if token else []
    with pytest.raises(grpc.RpcError) as caught:
        call = channel.unary_unary(method)
        call(body, metadata=metadata, timeout=10)
    return caught.value


def raw_stream_error(channel: grpc.Channel, method: str, body: bytes, token: str) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        list(channel.unary_stream(method)(body, metadata=[("authorization", f"Bearer {token}")], timeout=10))
    return caught.value


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    logged = [r for r in caplog.records if r.exc_info is not None or "deserializ" in r.getMessage()]
    assert not logged, [r.getMessage() for r in logged]


def test_undecodable_bodies_are_invalid_argument_without_a_token(
    channel: grpc.Channel, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        for body in (TRUNCATED, FIELD_ZERO, BAD_WIRE_TYPE):
            error = raw_error(channel, "/mulligan.iam.v1.IamService/Authenticate", body)
            assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, body[:8]  # type: ignore[attr-defined]
            assert error_from_rpc(error).reason == "MALFORMED_REQUEST"
    assert_no_traceback(caplog)


def test_undecodable_bodies_are_invalid_argument_on_every_kind_of_method(
    channel: grpc.Channel, served: tuple[daemon_mod.Daemon, Identity], caplog: pytest.LogCaptureFixture
) -> None:
    token = served[1].token
    with caplog.at_level(logging.DEBUG):
        for method in (
            "/mulligan.iam.v1.IamService/ListProjects",
            "/mulligan.meta.v1.MetaService/FindByTags",
            "/mulligan.resource.v1.ResourceService/ListProviders",
            "/mulligan.control.v1.ControlService/ListMachines",
        ):
            error = raw_error(channel, method, TRUNCATED, token)
            assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, method  # type: ignore[attr-defined]
        error = raw_stream_error(channel, "/mulligan.control.v1.ControlService/WatchMachines", TRUNCATED, token)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
    assert_no_traceback(caplog)


def test_an_undecodable_body_without_a_token_is_unauthenticated(channel: grpc.Channel) -> None:
    # Who the caller is comes first: an anonymous caller learns nothing from the parser.
    error = raw_error(channel, "/mulligan.iam.v1.IamService/ListProjects", TRUNCATED)
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED  # type: ignore[attr-defined]


def _with_bad_utf8(message: bytes, placeholder: bytes) -> bytes:
    """The serialized message with a placeholder string swapped for invalid UTF-8 of the same length."""
    assert message.count(placeholder) == 1
    return message.replace(placeholder, b"\xff\xfe" + b"\x80" * (len(placeholder) - 2))


def test_login_names_that_are_not_utf8_are_invalid_argument(
    channel: grpc.Channel, caplog: pytest.LogCaptureFixture
) -> None:
    request = iam_pb2.AuthenticateRequest(
        password=iam_pb2.PasswordCredentials(account="PLACEHOLDER", password="secret")
    ).SerializeToString()
    with caplog.at_level(logging.DEBUG):
        error = raw_error(channel, "/mulligan.iam.v1.IamService/Authenticate", _with_bad_utf8(request, b"PLACEHOLDER"))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
    assert_no_traceback(caplog)


def test_tags_that_are_not_utf8_are_invalid_argument_and_not_stored(
    channel: grpc.Channel, served: tuple[daemon_mod.Daemon, Identity]
) -> None:
    identity = served[1]
    target = meta_pb2.ObjectRef(kind="project", ref=identity.project_id)
    request = meta_pb2.AddTagsRequest(object=target, tags=["good", "PLACEHOLDER"]).SerializeToString()
    error = raw_error(
        channel, "/mulligan.meta.v1.MetaService/AddTags", _with_bad_utf8(request, b"PLACEHOLDER"), identity.token
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
    listed = channel.unary_unary(
        "/mulligan.meta.v1.MetaService/ListTags",
        request_serializer=meta_pb2.ListTagsRequest.SerializeToString,
        response_deserializer=meta_pb2.ListTagsResponse.FromString,
    )(meta_pb2.ListTagsRequest(object=target), metadata=[("authorization", f"Bearer {identity.token}")], timeout=10)
    assert list(listed.tags) == []


def test_an_undecodable_message_in_a_request_stream_is_invalid_argument(
    channel: grpc.Channel, caplog: pytest.LogCaptureFixture
) -> None:
    # Reflection is the one method here whose requests arrive as a stream.
    call = channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
    with caplog.at_level(logging.DEBUG), pytest.raises(grpc.RpcError) as caught:
        list(call(iter([TRUNCATED]), timeout=10))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
    assert_no_traceback(caplog)
