"""Checks every request passes before a servicer sees it.

Three kinds of value would otherwise cost the daemon dearly or reach clients
as INTERNAL, whichever service they are sent to:

- Timestamps out of range. A Timestamp may hold 0001-01-01T00:00:00Z to
  9999-12-31T23:59:59.999999999Z with nanos in [0, 1e9), but the wire takes
  any int64 and int32, and converting anything else to a datetime raises.
- Repeated fields and maps holding more items than a service can afford
  (a search over 20,000 tags runs for seconds). Each servicer declares the
  most items each of its request fields may hold (:func:`declare_caps`),
  the same figures its .proto file documents next to the fields.
- Strings holding a NUL character, which PostgreSQL cannot store
  (:mod:`mulligan.text`); protobuf itself refuses strings that are not UTF-8.

Walking a request visits only the fields that are set and can lead to a
Timestamp, a string or a capped field, and counts a field's items before
looking at any of them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from google.protobuf import timestamp_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from mulligan import text
from mulligan.errors import InvalidArgument

# The largest request the daemon accepts (gRPC refuses larger ones with
# RESOURCE_EXHAUSTED before any servicer runs): room for a bulk load at its
# caps, and still small enough that the RPC threads cannot exhaust memory.
MAX_REQUEST_BYTES = 16 * 1024 * 1024
MIN_SECONDS = -62_135_596_800  # 0001-01-01T00:00:00Z
MAX_SECONDS = 253_402_300_799  # 9999-12-31T23:59:59Z
_NANOS_PER_SECOND = 1_000_000_000
_TIMESTAMP = timestamp_pb2.Timestamp.DESCRIPTOR.full_name

# Field full name (package.Message.field) -> the most items it may hold.
_caps: dict[str, int] = {}
_caps_lock = threading.Lock()


def declare_caps(caps: Mapping[str, int]) -> None:
    """Add the caps of a service's request fields (the same service may declare them again)."""
    with _caps_lock:
        for name, cap in caps.items():
            if _caps.get(name, cap) != cap:
                raise ValueError(f"{name} is already capped at {_caps[name]}, not {cap}")
        _caps.update(caps)
        _relevant_fields.cache_clear()


def declared_caps() -> dict[str, int]:
    with _caps_lock:
        return dict(_caps)


def check_request(message: Message) -> None:
    """InvalidArgument for the first field over its cap, string that is not
    valid text, or Timestamp out of range."""
    for path, stamp in _walk(message, ""):
        if not (MIN_SECONDS <= stamp.seconds <= MAX_SECONDS and 0 <= stamp.nanos < _NANOS_PER_SECOND):
            raise InvalidArgument(
                f"{path} is out of range: a timestamp lies between 0001-01-01 and 9999-12-31 "
                "with nanos from 0 to 999999999",
                reason="INVALID_TIMESTAMP",
                metadata={"field": path},
            )


def _walk(message: Message, prefix: str) -> Iterator[tuple[str, timestamp_pb2.Timestamp]]:
    """The request's Timestamps with their paths; raises on the first field
    over its cap or string that is not valid text."""
    relevant = _relevant_fields(message.DESCRIPTOR)
    if not relevant:
        return
    # ListFields yields only the fields that are set: cheap on wide messages.
    for field, value in message.ListFields():
        if field.name not in relevant:
            continue
        path = f"{prefix}{field.name}"
        if not field.is_repeated:
            if field.type == FieldDescriptor.TYPE_STRING:
                text.check(path, value)
            else:
                yield from _inside(value, path)
            continue
        cap = _caps.get(field.full_name)
        if cap is not None and len(value) > cap:
            raise InvalidArgument(
                f"{path} holds {len(value)} items; at most {cap} are allowed",
                reason="TOO_MANY_ITEMS",
                metadata={"field": path, "max_items": str(cap)},
            )
        if _is_map(field):
            yield from _walk_map(field, value, path, look_inside=relevant[field.name])
        elif field.type == FieldDescriptor.TYPE_STRING:
            for index, item in enumerate(value):
                text.check(f"{path}[{index}]", item)
        elif relevant[field.name]:
            for index, item in enumerate(value):
                yield from _inside(item, f"{path}[{index}]")


def _walk_map(
    field: FieldDescriptor, entries: Any, path: str, *, look_inside: bool
) -> Iterator[tuple[str, timestamp_pb2.Timestamp]]:
    key_field, value_field = _entry(field)
    string_keys = key_field.type == FieldDescriptor.TYPE_STRING
    string_values = value_field.type == FieldDescriptor.TYPE_STRING
    for key, item in entries.items():
        item_path = f"{path}[{key!r}]"
        if string_keys:
            text.check(f"{path} key {key!r}", key)
        if string_values:
            text.check(item_path, item)
        elif look_inside:
            yield from _inside(item, item_path)


def _inside(message: Message, path: str) -> Iterator[tuple[str, timestamp_pb2.Timestamp]]:
    if message.DESCRIPTOR.full_name == _TIMESTAMP:
        yield path, message  # type: ignore[misc]
    else:
        yield from _walk(message, f"{path}.")


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


def _held_name(field: FieldDescriptor) -> str | None:
    held = _value_type(field)
    return held.full_name if held is not None else None


def _holds_text(field: FieldDescriptor) -> bool:
    """A string field, or a map with string keys or values."""
    if field.type == FieldDescriptor.TYPE_STRING:
        return True
    if not _is_map(field):
        return False
    return FieldDescriptor.TYPE_STRING in (entry.type for entry in _entry(field))


def _entry(field: FieldDescriptor) -> tuple[FieldDescriptor, FieldDescriptor]:
    """A map field's key and value fields."""
    entry = field.message_type
    assert entry is not None
    return entry.fields_by_name["key"], entry.fields_by_name["value"]


@cache
def _relevant_fields(descriptor: Descriptor) -> dict[str, bool]:
    """The fields of descriptor worth a look: name -> whether to look inside its values.

    A field is worth a look when it is capped, holds text, or holds
    messages that are or lead to a Timestamp, text or a capped field.

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
    reaching = {_TIMESTAMP} | {
        name
        for name, current in types.items()
        if any(field.full_name in _caps or _holds_text(field) for field in current.fields)
    }
    grown = True
    while grown:
        grown = False
        for name, current in types.items():
            if name not in reaching and any(_held_name(field) in reaching for field in current.fields):
                reaching.add(name)
                grown = True
    return {
        field.name: _held_name(field) in reaching
        for field in descriptor.fields
        if field.full_name in _caps or _holds_text(field) or _held_name(field) in reaching
    }
