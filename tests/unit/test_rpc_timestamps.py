"""The request Timestamp check walks nested, repeated and recursive message types."""

from __future__ import annotations

import pytest
from google.protobuf import struct_pb2, timestamp_pb2

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.errors import InvalidArgument
from mulligan.rpc.requests import MAX_SECONDS, MIN_SECONDS, check_request


def test_a_bad_timestamp_in_a_repeated_message_is_named_by_its_index() -> None:
    message = pb.ListClaimsResponse(
        claims=[pb.Claim(end_time=timestamp_pb2.Timestamp(seconds=1)), pb.Claim(end_time={"nanos": -5})]
    )
    with pytest.raises(InvalidArgument) as caught:
        check_request(message)
    assert caught.value.metadata == {"field": "claims[1].end_time"}


def test_the_bounds_are_inclusive() -> None:
    check_request(
        pb.Window(start_time={"seconds": MIN_SECONDS}, end_time={"seconds": MAX_SECONDS, "nanos": 999_999_999})
    )
    for bad in ({"seconds": MIN_SECONDS - 1}, {"seconds": MAX_SECONDS + 1}, {"nanos": 1_000_000_000}):
        with pytest.raises(InvalidArgument):
            check_request(pb.Window(start_time=bad))


def test_recursive_types_without_timestamps_are_not_walked() -> None:
    value = struct_pb2.Value(string_value="leaf")
    for _ in range(20):
        value = struct_pb2.Value(struct_value=struct_pb2.Struct(fields={"x": value}))
    check_request(value)
    check_request(struct_pb2.Struct(fields={"x": value}))
