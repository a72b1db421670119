"""Shapes of names, slugs, tags and kinds, and slugs derived from names."""

from __future__ import annotations

import re
import unicodedata
import uuid

from mulligan.errors import InvalidArgument
from mulligan.naming import KINDS

MAX_NAME = 255
MAX_SLUG = 63
MAX_TAG = 255

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_NOT_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def looks_like_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidArgument(
            f"unknown object kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}",
            reason="UNKNOWN_KIND",
            metadata={"kind": str(kind)[:64]},
        )
    return kind


def check_object_id(object_id: str) -> str:
    """Object ids are UUIDs in canonical (lowercase, hyphenated) form."""
    try:
        canonical = str(uuid.UUID(object_id))
    except (ValueError, TypeError, AttributeError):
        raise InvalidArgument(f"{object_id!r} is not a UUID", reason="INVALID_OBJECT_ID") from None
    return canonical


def check_project_id(project_id: str | None) -> str | None:
    if project_id is None:
        return None
    if not project_id or "/" in project_id or len(project_id) > 64 or not project_id.isprintable():
        raise InvalidArgument(f"{project_id!r} is not a project id", reason="INVALID_PROJECT_ID")
    return project_id


def check_name(name: str) -> str:
    """A name is 1 to 255 printable characters, kept in Unicode NFC form.

    Names may not look like UUIDs, so that a reference is never ambiguous,
    nor start or end with spaces, which no one can see in a table.
    """
    if not isinstance(name, str) or not name:
        raise InvalidArgument("a name must not be empty", reason="INVALID_NAME")
    name = unicodedata.normalize("NFC", name)
    if len(name) > MAX_NAME:
        raise InvalidArgument(
            f"a name is at most {MAX_NAME} characters, got {len(name)}",
            reason="NAME_TOO_LONG",
            metadata={"length": str(len(name))},
        )
    if not name.isprintable():
        raise InvalidArgument("a name must contain printable characters only", reason="INVALID_NAME")
    if name != name.strip():
        raise InvalidArgument("a name must not start or end with spaces", reason="INVALID_NAME")
    if looks_like_uuid(name):
        raise InvalidArgument("a name must not look like a UUID", reason="INVALID_NAME")
    return name


def check_slug(slug: str) -> str:
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug) or looks_like_uuid(slug):
        raise InvalidArgument(
            f"invalid slug {slug[:80]!r}: a slug is 1 to {MAX_SLUG} characters of a-z, 0-9 and '-', "
            "neither starting nor ending with '-', and not a UUID",
            reason="INVALID_SLUG",
        )
    return slug


def check_tag(tag: str) -> str:
    if not isinstance(tag, str) or not tag:
        raise InvalidArgument("a tag must not be empty", reason="INVALID_TAG")
    tag = unicodedata.normalize("NFC", tag)
    if len(tag) > MAX_TAG:
        raise InvalidArgument(
            f"a tag is at most {MAX_TAG} characters, got {len(tag)}",
            reason="TAG_TOO_LONG",
            metadata={"length": str(len(tag))},
        )
    if not tag.isprintable():
        raise InvalidArgument("a tag must contain printable characters only", reason="INVALID_TAG")
    return tag


def slugify(name: str) -> str:
    """The slug a name suggests: accents dropped, lowercase, runs of other
    characters turned into one '-'. Empty when nothing Latin is left."""
    ascii_only = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG_CHARS.sub("-", ascii_only.lower()).strip("-")
    slug = slug[:MAX_SLUG].rstrip("-")
    if slug and looks_like_uuid(slug):
        return ""
    return slug


def with_suffix(base: str, number: int) -> str:
    """base-2, base-3, ...: a free variant of a derived slug, still at most 63."""
    suffix = f"-{number}"
    return base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
