"""Page sizes and opaque page tokens for List RPCs.

A page token carries the sort key of the last item returned; it is opaque
to clients (base64 of JSON) and checked on the way back in.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from mulligan.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
_MAX_TOKEN = 1024


def page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument(f"page_size must not be negative, got {requested}", reason="INVALID_PAGE_SIZE")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode(kind: str, after: Any) -> str:
    raw = json.dumps({"k": kind, "a": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, token: str) -> Any:
    """The sort key a token carries, or None for an empty token."""
    if not token:
        return None
    try:
        if len(token) > _MAX_TOKEN:
            raise ValueError
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(data, dict) or data.get("k") != kind or "a" not in data:
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidArgument(
            "page_token is not valid here: pass the next_page_token of the previous response unchanged",
            reason="INVALID_PAGE_TOKEN",
        ) from None
    return data["a"]
