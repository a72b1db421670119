"""Opaque page tokens for keyset pagination over (created_at, id)."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime

from mulligan.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def page_size(requested: int) -> int:
    """0 means the default; more than the maximum is served as the maximum."""
    if requested < 0:
        raise InvalidArgument(f"page_size must not be negative, got {requested}", reason="INVALID_PAGE_SIZE")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode(created_at: datetime, object_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{object_id}".encode()).decode()


def decode(token: str) -> tuple[datetime, uuid.UUID] | None:
    if not token:
        return None
    try:
        created, _, object_id = base64.urlsafe_b64decode(token.encode()).decode().partition("|")
        return datetime.fromisoformat(created), uuid.UUID(object_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN") from None
