"""Provider groups (a provider may be in many), inventory sharing with a
group's members, and distances between providers."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import InvalidArgument
from mulligan.resource import models as m
from mulligan.resource.types import Distance, ProviderGroup

MAX_DISTANCE = 2**53


def insert_group(session: orm.Session, group_uuid: str, named: bool, now: int) -> int:
    result = session.execute(
        sa.insert(m.groups).values(uuid=group_uuid, named=named, created_at=now).returning(m.groups.c.id)
    )
    return int(result.scalar_one())


def describe(session: orm.Session, group_ids: dict[str, int], names: dict[str, str]) -> list[ProviderGroup]:
    counts: dict[int, list[int]] = {gid: [0, 0] for gid in group_ids.values()}
    for slot, table in enumerate((m.group_members, m.sharing)):
        query = (
            sa.select(table.c.group_id, sa.func.count())
            .where(table.c.group_id.in_(list(counts)))
            .group_by(table.c.group_id)
        )
        for group_id, count in session.execute(query):
            counts[group_id][slot] = count
    return [
        ProviderGroup(id=uuid, name=names.get(uuid), members=counts[gid][0], sharing_providers=counts[gid][1])
        for uuid, gid in group_ids.items()
    ]


def all_groups(session: orm.Session) -> dict[str, int]:
    g = m.groups.c
    return dict(session.execute(sa.select(g.uuid, g.id).order_by(g.created_at, g.id)).all())


def affected_by_group(session: orm.Session, group_id: int) -> set[int]:
    """Providers whose memberships or sharing change when the group goes."""
    found: set[int] = set()
    for table in (m.group_members, m.sharing):
        found.update(session.scalars(sa.select(table.c.provider_id).where(table.c.group_id == group_id)))
    return found


def delete_group(session: orm.Session, group_id: int) -> None:
    session.execute(sa.delete(m.groups).where(m.groups.c.id == group_id))


def add(session: orm.Session, table: sa.Table, group_id: int, provider_ids: Iterable[int]) -> set[int]:
    """Add rows not there yet; return the providers that changed."""
    wanted = set(provider_ids)
    present = set(
        session.scalars(
            sa.select(table.c.provider_id).where(table.c.group_id == group_id, table.c.provider_id.in_(wanted))
        )
    )
    new = sorted(wanted - present)
    if new:
        session.execute(sa.insert(table), [{"provider_id": pid, "group_id": group_id} for pid in new])
    return set(new)


def remove(session: orm.Session, table: sa.Table, group_id: int, provider_ids: Iterable[int]) -> set[int]:
    wanted = set(provider_ids)
    present = set(
        session.scalars(
            sa.select(table.c.provider_id).where(table.c.group_id == group_id, table.c.provider_id.in_(wanted))
        )
    )
    if present:
        session.execute(sa.delete(table).where(table.c.group_id == group_id, table.c.provider_id.in_(present)))
    return present


def members(session: orm.Session, group_id: int) -> list[str]:
    g = m.group_members.c
    query = (
        sa.select(m.providers.c.uuid)
        .join(m.group_members, g.provider_id == m.providers.c.id)
        .where(g.group_id == group_id)
        .order_by(m.providers.c.id)
    )
    return list(session.scalars(query))


def check_distance(distance: int) -> int:
    if isinstance(distance, bool) or not isinstance(distance, int) or not 0 <= distance <= MAX_DISTANCE:
        raise InvalidArgument(
            f"distance must be a whole number from 0 to 2^53, got {distance!r}", reason="INVALID_DISTANCE"
        )
    return distance


def set_distance(session: orm.Session, a: int, b: int, distance: int) -> None:
    if a == b:
        raise InvalidArgument("a provider's distance to itself is always 0", reason="INVALID_DISTANCE")
    d = m.distances.c
    for left, right in ((a, b), (b, a)):
        updated = session.execute(
            sa.update(m.distances).where(d.provider_id == left, d.other_id == right).values(distance=distance)
        )
        if updated.rowcount == 0:  # type: ignore[attr-defined]
            session.execute(sa.insert(m.distances).values(provider_id=left, other_id=right, distance=distance))


def delete_distance(session: orm.Session, a: int, b: int) -> bool:
    d = m.distances.c
    result = session.execute(
        sa.delete(m.distances).where(
            sa.or_(sa.and_(d.provider_id == a, d.other_id == b), sa.and_(d.provider_id == b, d.other_id == a))
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def distances_of(
    session: orm.Session, provider_id: int, provider_uuid: str, max_distance: int | None
) -> list[Distance]:
    d = m.distances.c
    query = (
        sa.select(m.providers.c.uuid, d.distance)
        .join(m.providers, m.providers.c.id == d.other_id)
        .where(d.provider_id == provider_id)
        .order_by(d.distance, m.providers.c.id)
    )
    if max_distance is not None:
        query = query.where(d.distance <= max_distance)
    return [Distance(provider_uuid, other, distance) for other, distance in session.execute(query)]
