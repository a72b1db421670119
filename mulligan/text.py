"""Text every store can hold: no NUL character, no lone surrogate.

Both reach a service more easily than they seem. A gRPC string may carry
NUL, which PostgreSQL refuses in text columns (an error deep in a query,
INTERNAL to the client). Through the Python API, bytes that were not valid
UTF-8 arrive as lone surrogates (Python's ``surrogateescape``), which no
UTF-8 encoder takes: SQLite, the key/value store and password hashing all
fail on them. Refusing both where a request enters keeps every service
from meeting them: request messages in :mod:`mulligan.rpc.requests`, and
the arguments of each module's service class through :func:`checks_text`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ParamSpec, TypeVar

from mulligan.errors import InvalidArgument

_BAD = re.compile("[\x00\ud800-\udfff]")
# Arguments nest (metadef values, request dataclasses); deeper ones are
# refused by their own checks long before this.
_MAX_DEPTH = 64

_REPORTED = "_mulligan_reported_text"

P = ParamSpec("P")
R = TypeVar("R")
C = TypeVar("C", bound=type)


def check(field: str, value: str) -> None:
    """InvalidArgument naming ``field`` when ``value`` holds text no store can keep."""
    found = _BAD.search(value)
    if found is None:
        return
    what = "a NUL character" if found.group() == "\x00" else "a lone surrogate (bytes that were not UTF-8)"
    raise InvalidArgument(
        f"{field} is not valid text: it holds {what} at position {found.start()}",
        reason="INVALID_TEXT",
        metadata={"field": field},
    )


def checks_text(cls: C) -> C:
    """Check every str in the arguments of the public methods ``cls`` defines
    (but those marked :func:`reported_text`)."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member) and not getattr(member, _REPORTED, False):
            setattr(cls, name, _checking(member))
    return cls


def reported_text(method: Callable[P, R]) -> Callable[P, R]:
    """Leave a method's arguments as they come: what a hypervisor or a BMC
    reports (FRU strings padded with NUL, say) is kept, not refused as a
    client's request would be."""
    setattr(method, _REPORTED, True)
    return method


def _checking(method: Callable[P, R]) -> Callable[P, R]:
    names = list(inspect.signature(method).parameters)

    @functools.wraps(method)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        # args[0] is self.
        for position, value in enumerate(args[1:], start=1):
            _check_value(names[position] if position < len(names) else f"argument {position}", value)
        for name, value in kwargs.items():
            _check_value(name, value)
        return method(*args, **kwargs)

    return checked


def _check_value(field: str, value: Any) -> None:
    # Paths are spelled out only to name a bad string: a bulk call's
    # arguments hold hundreds of thousands of good ones.
    if not _holds_bad(value, 0):
        return
    for path, text in _texts(field, value, 0):
        check(path, text)


_SCALARS = frozenset({bytes, bytearray, int, float, bool, type(None)})


def _holds_bad(value: Any, depth: int) -> bool:
    texts: list[str] = []
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        kind = type(item)
        if kind is str:
            texts.append(item)
        elif kind in _SCALARS or level >= _MAX_DEPTH:
            continue
        # Lists, tuples and dataclasses make the bulk of a large argument.
        elif kind is list or kind is tuple:
            _spread(item, level + 1, texts, stack)
        elif hasattr(kind, "__dataclass_fields__") and not isinstance(item, type):
            _spread([getattr(item, name) for name in kind.__dataclass_fields__], level + 1, texts, stack)
        elif isinstance(item, str):
            texts.append(item)
        elif isinstance(item, bytes | bytearray | int | float | bool):
            continue
        elif isinstance(item, Mapping):
            _spread([part for pair in item.items() for part in pair], level + 1, texts, stack)
        elif isinstance(item, list | tuple | set | frozenset):
            _spread(item, level + 1, texts, stack)
    # Joining cannot make or hide a NUL or a lone surrogate: each is one code point.
    return _BAD.search("".join(texts)) is not None


def _spread(parts: Iterable[Any], level: int, texts: list[str], stack: list[tuple[Any, int]]) -> None:
    """Keep the strings among parts; stack the rest to be looked into."""
    for part in parts:
        kind = type(part)
        if kind is str:
            texts.append(part)
        elif kind not in _SCALARS:
            stack.append((part, level))


def _texts(path: str, value: Any, depth: int) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif depth >= _MAX_DEPTH or isinstance(value, bytes | bytearray | int | float | bool) or value is None:
        return
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(f"{path} key", key, depth + 1)
            yield from _texts(f"{path}[{key!r}]", item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _texts(f"{path}[{index}]", item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(f"{path}.{field.name}", getattr(value, field.name), depth + 1)
