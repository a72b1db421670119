"""Regions: a forest (several roots allowed) with failure-domain attributes
and a visibility. Tenants see public regions only, and only what lives in
them: providers, their inventory and distances, and candidates in internal
regions are not found and cannot be claimed."""

from __future__ import annotations

import re
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import tenancy
from mulligan.errors import FailedPrecondition, InvalidArgument, NotFound
from mulligan.resource import models as m
from mulligan.resource.types import VISIBILITIES, Region, Visibility
from mulligan.resource.windows import from_us

_ATTRIBUTE_KEY = re.compile(r"[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?")
MAX_ATTRIBUTE_VALUE = 255
MAX_ATTRIBUTES = 64


def check_visibility(visibility: str) -> Visibility:
    for known in VISIBILITIES:
        if visibility == known:
            return known
    raise InvalidArgument(
        f"visibility must be internal or public, got {visibility[:32]!r}", reason="INVALID_VISIBILITY"
    )


def check_attributes(attributes: Mapping[str, str]) -> dict[str, str]:
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidArgument(f"at most {MAX_ATTRIBUTES} attributes per region", reason="INVALID_ATTRIBUTE")
    for key, value in attributes.items():
        if not _ATTRIBUTE_KEY.fullmatch(key):
            raise InvalidArgument(
                f"attribute key {key[:64]!r} must be lower-case letters, digits, '_', '.' or '-' (at most 63)",
                reason="INVALID_ATTRIBUTE",
            )
        if len(value) > MAX_ATTRIBUTE_VALUE:
            raise InvalidArgument(
                f"attribute {key} is longer than {MAX_ATTRIBUTE_VALUE} characters", reason="INVALID_ATTRIBUTE"
            )
    return dict(sorted(attributes.items()))


def insert(
    session: orm.Session,
    region_id: str,
    *,
    parent_id: str | None,
    attributes: Mapping[str, str],
    visibility: Visibility,
    now: int,
) -> m.RegionRow:
    if parent_id is not None:
        get_row(session, parent_id)
    row = m.RegionRow(
        id=region_id, parent_id=parent_id, attributes=dict(attributes), visibility=visibility, created_at=now
    )
    session.add(row)
    session.flush()
    return row


def get_row(session: orm.Session, region_id: str) -> m.RegionRow:
    row = session.get(m.RegionRow, region_id)
    if row is None or not visible(row):
        raise NotFound(f"region {region_id} not found", reason="REGION_NOT_FOUND")
    return row


def visible(row: m.RegionRow) -> bool:
    return row.visibility == "public" or tenancy.sees_all()


def visible_ids(session: orm.Session | sa.Connection) -> frozenset[str] | None:
    """The regions the caller may see; None means every one (a system admin)."""
    if tenancy.sees_all():
        return None
    return frozenset(session.scalars(sa.select(m.regions.c.id).where(m.regions.c.visibility == "public")))


def to_domain(row: m.RegionRow, name: str) -> Region:
    return Region(
        id=row.id,
        name=name,
        parent_id=row.parent_id,
        attributes=dict(row.attributes),
        visibility=check_visibility(row.visibility),
        created_at=from_us(row.created_at),
    )


def list_rows(session: orm.Session, parent_id: str | None = None) -> list[m.RegionRow]:
    query = sa.select(m.RegionRow).order_by(m.RegionRow.created_at, m.RegionRow.id)
    if parent_id is not None:
        query = query.where(m.RegionRow.parent_id == parent_id)
    return [row for row in session.scalars(query) if visible(row)]


def subtree(session: orm.Session, region_id: str) -> set[str]:
    """The region and every region below it (regions are few: load them all)."""
    children: dict[str | None, list[str]] = {}
    for row in session.execute(sa.select(m.regions.c.id, m.regions.c.parent_id)):
        children.setdefault(row.parent_id, []).append(row.id)
    found, todo = set(), [region_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, ()))
    return found


def update(
    session: orm.Session,
    row: m.RegionRow,
    *,
    attributes: Mapping[str, str] | None,
    visibility: Visibility | None,
    parent_id: str | None,
    clear_parent: bool,
) -> m.RegionRow:
    if attributes is not None:
        row.attributes = dict(attributes)
    if visibility is not None:
        row.visibility = visibility
    if clear_parent:
        row.parent_id = None
    elif parent_id is not None:
        get_row(session, parent_id)
        if parent_id in subtree(session, row.id):
            raise InvalidArgument(
                f"region {parent_id} is {row.id} or below it: that parent would make a cycle",
                reason="REGION_CYCLE",
            )
        row.parent_id = parent_id
    session.flush()
    return row


def delete(session: orm.Session, row: m.RegionRow) -> None:
    child = session.execute(sa.select(m.regions.c.id).where(m.regions.c.parent_id == row.id).limit(1)).first()
    if child is not None:
        raise FailedPrecondition(f"region {row.id} has subregions", reason="REGION_IN_USE")
    provider = session.execute(sa.select(m.providers.c.id).where(m.providers.c.region_id == row.id).limit(1)).first()
    if provider is not None:
        raise FailedPrecondition(f"region {row.id} has providers", reason="REGION_IN_USE")
    session.delete(row)
    session.flush()
