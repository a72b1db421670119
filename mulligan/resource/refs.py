"""Identifiers: UUID checks and turning a name-or-UUID reference into a row.

Name lookups go through the injected :class:`~mulligan.naming.NameRegistry`
and happen before any write transaction opens: the embedded key/value store
shares the SQLite database, so a registry call inside a write would wait on
our own lock.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import FailedPrecondition, InvalidArgument, NotFound
from mulligan.naming import NameRegistry
from mulligan.resource import models as m
from mulligan.resource.regions import visible_ids

REGION = "region"
PROVIDER = "provider"
GROUP = "provider_group"


def looks_like_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def check_uuid(value: str, what: str) -> str:
    """The canonical (lower-case, hyphenated) form of a UUID, or InvalidArgument."""
    # Most ids arrive canonical already; parsing them costs ten times more.
    if isinstance(value, str) and _CANONICAL.fullmatch(value):
        return value
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise InvalidArgument(
            f"{what} must be a UUID, got {str(value)[:64]!r}", reason="INVALID_ID", metadata={"field": what}
        ) from None


def new_uuid() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Ref:
    """A resolved object: its integer key inside the module and its UUID."""

    id: int
    uuid: str


class Resolver:
    """Name-or-UUID references -> UUIDs, with the registry when one is wired."""

    def __init__(self, names: NameRegistry | None) -> None:
        self.names = names

    def to_uuid(self, kind: str, ref: str, what: str) -> str:
        if not ref:
            raise InvalidArgument(f"{what} is required", reason="MISSING_ARGUMENT", metadata={"field": what})
        if looks_like_uuid(ref):
            return ref.lower()
        if self.names is None:
            raise InvalidArgument(
                f"{what} {ref!r} is not a UUID and names are not available here",
                reason="INVALID_ID",
                metadata={"field": what},
            )
        try:
            return self.names.resolve(kind, None, ref)
        except NotFound:
            raise NotFound(f"{what} {ref!r} not found", reason=f"{_reason(kind)}_NOT_FOUND") from None

    def require_names(self, kind: str) -> NameRegistry:
        if self.names is None:
            raise FailedPrecondition(f"naming a {kind} needs the meta service", reason="NAMES_UNAVAILABLE")
        return self.names


def _reason(kind: str) -> str:
    return {GROUP: "GROUP"}.get(kind, kind.upper())


def provider_ref(session: orm.Session, provider_uuid: str, what: str = "provider") -> Ref:
    """A provider the caller may see (one in an internal region is not found for tenants)."""
    p = m.providers.c
    row = session.execute(sa.select(p.id, p.region_id).where(p.uuid == provider_uuid)).first()
    visible = visible_ids(session) if row is not None else None
    if row is None or (visible is not None and row.region_id not in visible):
        raise NotFound(f"{what} {provider_uuid} not found", reason="PROVIDER_NOT_FOUND")
    return Ref(row.id, provider_uuid)


def provider_refs(session: orm.Session, provider_uuids: set[str]) -> dict[str, int]:
    """UUID -> integer key for every provider the caller may see; NotFound names the first missing one."""
    p = m.providers.c
    visible = visible_ids(session)
    found: dict[str, int] = {}
    wanted = sorted(provider_uuids)
    for chunk in chunks(wanted, 500):
        rows = session.execute(sa.select(p.uuid, p.id, p.region_id).where(p.uuid.in_(chunk)))
        found.update({row.uuid: row.id for row in rows if visible is None or row.region_id in visible})
    missing = [u for u in wanted if u not in found]
    if missing:
        raise NotFound(f"provider {missing[0]} not found", reason="PROVIDER_NOT_FOUND")
    return found


def group_ref(session: orm.Session, group_uuid: str) -> Ref:
    row = session.execute(sa.select(m.groups.c.id).where(m.groups.c.uuid == group_uuid)).first()
    if row is None:
        raise NotFound(f"provider group {group_uuid} not found", reason="GROUP_NOT_FOUND")
    return Ref(row.id, group_uuid)


def chunks(items: list[str] | list[int], size: int) -> list[list[str] | list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
