"""Paging of lists that are read whole: short lists (regions, traits, tags,
metadefs, ...) that no query can cut into pages cheaply.

A page token carries the sort key of the last item returned, so a page
starts after that key even when items before it came or went in between.
Tokens are opaque to clients (base64 of JSON) and name the list they belong
to, so a token of one list is refused by another.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from mulligan.errors import InvalidArgument

MAX_PAGE_SIZE = 1000
_MAX_TOKEN = 2048

T = TypeVar("T")
# A sort key: strings and integers, compared in order.
Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T] = field(default_factory=list)
    # Empty on the last page.
    next_page_token: str = ""


def page_length(requested: int, available: int) -> int:
    """How many items a page holds. 0 means all of them: these lists had no
    pages before, and a client that does not know of pages must still get
    every item. More than the maximum is served as the maximum."""
    if requested < 0:
        raise InvalidArgument(f"page_size must not be negative, got {requested}", reason="INVALID_PAGE_SIZE")
    return min(requested, MAX_PAGE_SIZE) if requested else available


def instant(moment: datetime) -> int:
    """A time as a sort key part: microseconds since the epoch (naive times are UTC)."""
    return calendar.timegm(moment.utctimetuple()) * 1_000_000 + moment.microsecond


def encode(kind: str, key: Key) -> str:
    raw = json.dumps({"k": kind, "a": list(key)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, token: str) -> Key | None:
    """The key a token carries, or None for an empty token."""
    if not token:
        return None
    try:
        if len(token) > _MAX_TOKEN:
            raise ValueError
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(data, dict) or data.get("k") != kind or not isinstance(data.get("a"), list):
            raise ValueError
        key = tuple(data["a"])
        if not all(isinstance(part, str | int) and not isinstance(part, bool) for part in key):
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidArgument(
            "page_token is not valid here: pass the next_page_token of the previous response unchanged",
            reason="INVALID_PAGE_TOKEN",
        ) from None
    return key


def page_of(
    kind: str, items: Sequence[T], key: Callable[[T], Key], *, page_size: int = 0, page_token: str = ""
) -> Page[T]:
    """One page of items in key order; key must be unique within the list."""
    after = decode(kind, page_token)
    ordered = sorted(items, key=key)
    if after is not None:
        ordered = [item for item in ordered if _after(key(item), after)]
    size = page_length(page_size, len(ordered))
    if len(ordered) <= size:
        return Page(ordered)
    return Page(ordered[:size], encode(kind, key(ordered[size - 1])))


def _after(item: Key, after: Key) -> bool:
    # A token's parts could be of another type than the list's keys (a forged
    # token): comparing a str with an int must not raise TypeError.
    try:
        return item > after
    except TypeError:
        raise InvalidArgument("page_token is not valid here", reason="INVALID_PAGE_TOKEN") from None
