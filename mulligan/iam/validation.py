"""Shape checks of the iam module's inputs, with messages for people."""

from __future__ import annotations

from mulligan.errors import InvalidArgument
from mulligan.iam.ids import is_uuid

MAX_NAME = 64
MAX_DISPLAY_NAME = 255
MAX_DESCRIPTION = 1024
MAX_REF = 255


def check_name(field: str, value: str) -> str:
    """Login, project and credential names: 1-64 visible characters, no spaces."""
    if not value:
        raise InvalidArgument(f"{field} must not be empty", reason="NAME_REQUIRED", metadata={"field": field})
    if len(value) > MAX_NAME:
        raise InvalidArgument(
            f"{field} must be at most {MAX_NAME} characters, got {len(value)}",
            reason="NAME_TOO_LONG",
            metadata={"field": field},
        )
    if not value.isprintable() or any(char.isspace() for char in value):
        raise InvalidArgument(
            f"{field} must contain visible characters only (no spaces)",
            reason="INVALID_NAME",
            metadata={"field": field},
        )
    if is_uuid(value.lower()):
        raise InvalidArgument(f"{field} must not look like a UUID", reason="INVALID_NAME", metadata={"field": field})
    return value


def check_text(field: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise InvalidArgument(
            f"{field} must be at most {limit} characters, got {len(value)}",
            reason="FIELD_TOO_LONG",
            metadata={"field": field},
        )
    if any(not char.isprintable() and char not in "\n\t" for char in value):
        raise InvalidArgument(
            f"{field} must not contain control characters", reason="INVALID_TEXT", metadata={"field": field}
        )
    return value


def check_ref(field: str, value: str) -> str:
    """A reference to an object: its id or its name."""
    if not value:
        raise InvalidArgument(f"{field} is required", reason="REFERENCE_REQUIRED", metadata={"field": field})
    if len(value) > MAX_REF or not value.isprintable():
        raise InvalidArgument(
            f"{field} is not a valid id or name", reason="INVALID_REFERENCE", metadata={"field": field}
        )
    return value
