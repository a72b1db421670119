"""Range checks for every Timestamp a request carries.

A Timestamp may hold 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z
with nanos in [0, 1e9), but the wire takes any int64 and int32: converting
anything else to a datetime raises, which would reach the client as
INTERNAL. Checking every request once here, before any servicer runs, covers
each Timestamp field of each service, those added later included.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from google.protobuf import timestamp_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from mulligan.errors import InvalidArgument

MIN_SECONDS = -62_135_596_800  # 0001-01-01T00:00:00Z
MAX_SECONDS = 253_402_300_799  # 9999-12-31T23:59:59Z
_NANOS_PER_SECOND = 1_000_000_000
_TIMESTAMP = timestamp_pb2.Timestamp.DESCRIPTOR.full_name


def check_timestamps(message: Message) -> None:
    """InvalidArgument (INVALID_TIMESTAMP, naming the field) for the first Timestamp out of range."""
    for path, stamp in _timestamps(message, ""):
        if not (MIN_SECONDS <= stamp.seconds <= MAX_SECONDS and 0 <= stamp.nanos < _NANOS_PER_SECOND):
            raise InvalidArgument(
                f"{path} is out of range: a timestamp lies between 0001-01-01 and 9999-12-31 "
                "with nanos from 0 to 999999999",
                reason="INVALID_TIMESTAMP",
                metadata={"field": path},
            )


def _timestamps(message: Message, prefix: str) -> Iterator[tuple[str, timestamp_pb2.Timestamp]]:
    leading = _leading_fields(message.DESCRIPTOR)
    if not leading:
        return
    # ListFields yields only the fields that are set: cheap on wide messages.
    for field, value in message.ListFields():
        if field.name not in leading:
            continue
        path = f"{prefix}{field.name}"
        if _is_map(field):
            for key, item in value.items():
                yield from _inside(item, f"{path}[{key!r}]")
        elif field.is_repeated:
            for index, item in enumerate(value):
                yield from _inside(item, f"{path}[{index}]")
        else:
            yield from _inside(value, path)


def _inside(message: Message, path: str) -> Iterator[tuple[str, timestamp_pb2.Timestamp]]:
    if message.DESCRIPTOR.full_name == _TIMESTAMP:
        yield path, message  # type: ignore[misc]
    else:
        yield from _timestamps(message, f"{path}.")


def _is_map(field: FieldDescriptor) -> bool:
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def _value_type(field: FieldDescriptor) -> Descriptor | None:
    """The message type a field holds (a map's value type for a map), or None."""
    if field.message_type is None:
        return None
    if _is_map(field):
        value: Descriptor | None = field.message_type.fields_by_name["value"].message_type
        return value
    held: Descriptor = field.message_type
    return held


@cache
def _leading_fields(descriptor: Descriptor) -> frozenset[str]:
    """Names of the fields of descriptor through which a Timestamp can be reached.

    Message types may be recursive (Struct holds Values holding Structs), so
    reachability is found over the whole graph of types at once, not by
    recursion.
    """
    types: dict[str, Descriptor] = {}
    pending = [descriptor]
    while pending:
        current = pending.pop()
        if current.full_name in types:
            continue
        types[current.full_name] = current
        pending.extend(held for field in current.fields if (held := _value_type(field)) is not None)
    reaching = {_TIMESTAMP}
    grown = True
    while grown:
        grown = False
        for name, current in types.items():
            if name not in reaching and any(_held_name(field) in reaching for field in current.fields):
                reaching.add(name)
                grown = True
    return frozenset(field.name for field in descriptor.fields if _held_name(field) in reaching)


def _held_name(field: FieldDescriptor) -> str | None:
    held = _value_type(field)
    return held.full_name if held is not None else None
