"""Providers: creation (one or many at once), trees, regions, traits,
generations, and reading them back as domain objects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import AlreadyExists, Conflict, FailedPrecondition, InvalidArgument, NotFound
from mulligan.resource import inventory, regions
from mulligan.resource import models as m
from mulligan.resource.refs import chunks
from mulligan.resource.types import Provider
from mulligan.resource.windows import from_us

p = m.providers.c


@dataclass
class NewProvider:
    """A provider to insert, with references already turned into UUIDs."""

    uuid: str
    named: bool
    region_id: str | None
    parent_uuid: str | None
    inventories: list[inventory.ValidInventory] = field(default_factory=list)
    traits: list[str] = field(default_factory=list)
    group_uuids: list[str] = field(default_factory=list)


def check_generation(row_generation: int, expected: int | None, provider_uuid: str) -> None:
    if expected is not None and expected != row_generation:
        raise Conflict(
            f"provider {provider_uuid} changed (generation {row_generation}, expected {expected}): "
            "read it again and retry",
            reason="GENERATION_MISMATCH",
            metadata={"generation": str(row_generation)},
        )


def bump(session: orm.Session, provider_ids: Iterable[int], now: int) -> None:
    ids = sorted(set(provider_ids))
    for chunk in chunks(ids, 500):
        session.execute(
            sa.update(m.providers).where(p.id.in_(chunk)).values(generation=p.generation + 1, updated_at=now)
        )


def get_row(session: orm.Session, provider_uuid: str) -> m.ProviderRow:
    row = session.execute(sa.select(m.ProviderRow).where(m.ProviderRow.uuid == provider_uuid)).scalar_one_or_none()
    visible = regions.visible_ids(session) if row is not None else None
    if row is None or (visible is not None and row.region_id not in visible):
        raise NotFound(f"provider {provider_uuid} not found", reason="PROVIDER_NOT_FOUND")
    return row


def create_many(session: orm.Session, news: Sequence[NewProvider], now: int) -> dict[str, int]:
    """Insert providers (parents listed before their children); UUID -> key."""
    _check_new_ids(session, news)
    known = _outside_parents(session, news)
    region_of = _regions_of(session, news, known)
    rows = [
        {
            "uuid": new.uuid,
            "region_id": region_of[new.uuid],
            "parent_id": None,
            "root_id": None,
            "generation": 1,
            "named": new.named,
            "created_at": now,
            "updated_at": now,
        }
        for new in news
    ]
    ids: dict[str, int] = {}
    for start in range(0, len(rows), 1000):
        result = session.execute(
            sa.insert(m.providers).returning(p.id, p.uuid, sort_by_parameter_order=True), rows[start : start + 1000]
        )
        ids.update({row.uuid: row.id for row in result})
    _link_parents(session, news, ids, known)
    _insert_details(session, news, ids)
    return ids


def _check_new_ids(session: orm.Session, news: Sequence[NewProvider]) -> None:
    batch = [new.uuid for new in news]
    if len(set(batch)) != len(batch):
        raise InvalidArgument("the same provider id is listed twice", reason="DUPLICATE_PROVIDER")
    for chunk in chunks(batch, 500):
        taken = session.execute(sa.select(p.uuid).where(p.uuid.in_(chunk)).limit(1)).first()
        if taken is not None:
            raise AlreadyExists(f"provider {taken.uuid} already exists", reason="PROVIDER_EXISTS")


def _outside_parents(session: orm.Session, news: Sequence[NewProvider]) -> dict[str, tuple[int, int, str]]:
    """Parents that already exist: uuid -> (key, root key, region)."""
    batch = {new.uuid for new in news}
    outside = sorted({n.parent_uuid for n in news if n.parent_uuid and n.parent_uuid not in batch})
    known: dict[str, tuple[int, int, str]] = {}
    for chunk in chunks(outside, 500):
        for row in session.execute(sa.select(p.uuid, p.id, p.root_id, p.region_id).where(p.uuid.in_(chunk))):
            known[row.uuid] = (row.id, row.root_id, row.region_id)
    return known


def _regions_of(
    session: orm.Session, news: Sequence[NewProvider], known: Mapping[str, tuple[int, int, str]]
) -> dict[str, str]:
    """Each new provider's region: its own for a root, its parent's for a child."""
    needed = {n.region_id for n in news if n.region_id}
    existing = set(session.scalars(sa.select(m.regions.c.id).where(m.regions.c.id.in_(needed)))) if needed else set()
    for region_id in sorted(needed - existing):
        raise NotFound(f"region {region_id} not found", reason="REGION_NOT_FOUND")
    batch = {new.uuid for new in news}
    region_of: dict[str, str] = {}
    for new in news:
        if new.parent_uuid is None:
            if new.region_id is None:
                raise InvalidArgument(f"provider {new.uuid} needs a region", reason="REGION_REQUIRED")
            region_of[new.uuid] = new.region_id
            continue
        if new.parent_uuid in region_of:
            parent_region = region_of[new.parent_uuid]
        elif new.parent_uuid in known:
            parent_region = known[new.parent_uuid][2]
        elif new.parent_uuid in batch:
            raise InvalidArgument(
                f"parent {new.parent_uuid} must be listed before its child {new.uuid}", reason="PARENT_ORDER"
            )
        else:
            raise NotFound(f"parent provider {new.parent_uuid} not found", reason="PROVIDER_NOT_FOUND")
        if new.region_id is not None and new.region_id != parent_region:
            raise InvalidArgument(
                f"provider {new.uuid} must live in its parent's region {parent_region}", reason="REGION_MISMATCH"
            )
        region_of[new.uuid] = parent_region
    return region_of


def _link_parents(
    session: orm.Session,
    news: Sequence[NewProvider],
    ids: Mapping[str, int],
    known: Mapping[str, tuple[int, int, str]],
) -> None:
    root_of: dict[str, int] = {}
    child_updates = []
    for new in news:
        if new.parent_uuid is None:
            root_of[new.uuid] = ids[new.uuid]
            continue
        if new.parent_uuid in ids:
            parent_id, root_id = ids[new.parent_uuid], root_of[new.parent_uuid]
        else:
            parent_id, root_id = known[new.parent_uuid][0], known[new.parent_uuid][1]
        root_of[new.uuid] = root_id
        child_updates.append({"b_id": ids[new.uuid], "b_parent": parent_id, "b_root": root_id})
    if child_updates:
        session.execute(
            sa.update(m.providers)
            .where(p.id == sa.bindparam("b_id"))
            .values(parent_id=sa.bindparam("b_parent"), root_id=sa.bindparam("b_root")),
            child_updates,
        )
    # The rest are roots: each is its own tree's root.
    session.execute(sa.update(m.providers).where(p.root_id.is_(None)).values(root_id=p.id))


def _insert_details(session: orm.Session, news: Sequence[NewProvider], ids: Mapping[str, int]) -> None:
    inventory_rows = [inventory.row_values(ids[new.uuid], inv) for new in news for inv in new.inventories]
    if inventory_rows:
        session.execute(sa.insert(m.inventories), inventory_rows)
    trait_rows = [{"provider_id": ids[new.uuid], "trait": trait} for new in news for trait in new.traits]
    if trait_rows:
        session.execute(sa.insert(m.provider_traits), trait_rows)
    group_uuids = {g for new in news for g in new.group_uuids}
    if group_uuids:
        found = dict(
            session.execute(sa.select(m.groups.c.uuid, m.groups.c.id).where(m.groups.c.uuid.in_(group_uuids))).all()
        )
        for missing in sorted(group_uuids - set(found)):
            raise NotFound(f"provider group {missing} not found", reason="GROUP_NOT_FOUND")
        session.execute(
            sa.insert(m.group_members),
            [{"provider_id": ids[new.uuid], "group_id": found[g]} for new in news for g in new.group_uuids],
        )


def tree_of(session: orm.Session, root_id: int) -> dict[int, int | None]:
    """id -> parent id for every provider of one tree."""
    rows = session.execute(sa.select(p.id, p.parent_id).where(p.root_id == root_id))
    return {row.id: row.parent_id for row in rows}


def descendants(tree: Mapping[int, int | None], top: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for child, parent in tree.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, todo = set(), [top]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, ()))
    return found


def reparent(session: orm.Session, row: m.ProviderRow, parent: m.ProviderRow | None, now: int) -> set[int]:
    """Move row (and its subtree) under parent, or make it a root; return the moved ids."""
    assert row.root_id is not None
    subtree = descendants(tree_of(session, row.root_id), row.id)
    if parent is None:
        new_root, region = row.id, row.region_id
    else:
        if parent.id in subtree:
            raise InvalidArgument(
                f"provider {parent.uuid} is {row.uuid} or below it: that parent would make a cycle",
                reason="PROVIDER_CYCLE",
            )
        assert parent.root_id is not None
        new_root, region = parent.root_id, parent.region_id
    row.parent_id = None if parent is None else parent.id
    session.flush()
    for chunk in chunks(sorted(subtree), 500):
        session.execute(sa.update(m.providers).where(p.id.in_(chunk)).values(root_id=new_root, region_id=region))
    bump(session, subtree, now)
    return subtree


def move_region(session: orm.Session, row: m.ProviderRow, region_id: str, now: int) -> None:
    if row.parent_id is not None:
        raise InvalidArgument(
            "a child provider lives in its root's region: change the root's region", reason="REGION_MISMATCH"
        )
    if session.get(m.RegionRow, region_id) is None:
        raise NotFound(f"region {region_id} not found", reason="REGION_NOT_FOUND")
    session.execute(sa.update(m.providers).where(p.root_id == row.id).values(region_id=region_id))
    bump(session, tree_of(session, row.id), now)


def delete(session: orm.Session, row: m.ProviderRow) -> None:
    child = session.execute(sa.select(p.id).where(p.parent_id == row.id).limit(1)).first()
    if child is not None:
        raise FailedPrecondition(f"provider {row.uuid} has child providers", reason="PROVIDER_HAS_CHILDREN")
    claimed = session.execute(
        sa.select(m.allocations.c.consumer_id).where(m.allocations.c.provider_id == row.id).limit(1)
    ).first()
    if claimed is not None:
        raise FailedPrecondition(f"provider {row.uuid} has claims", reason="PROVIDER_IN_USE")
    session.execute(sa.delete(m.providers).where(p.id == row.id))


def set_traits(session: orm.Session, provider_id: int, traits: Iterable[str]) -> None:
    t = m.provider_traits.c
    session.execute(sa.delete(m.provider_traits).where(t.provider_id == provider_id))
    rows = [{"provider_id": provider_id, "trait": trait} for trait in sorted(set(traits))]
    if rows:
        session.execute(sa.insert(m.provider_traits), rows)


def load(session: orm.Session, rows: Sequence[m.ProviderRow], names: Mapping[str, str]) -> list[Provider]:
    """Domain providers for rows, with inventories, traits, groups and sharing."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    uuid_of: dict[int, str] = {row.id: row.uuid for row in rows}
    related = {row.parent_id for row in rows if row.parent_id} | {row.root_id for row in rows if row.root_id}
    missing = sorted(related - set(uuid_of))
    for chunk in chunks(missing, 500):
        uuid_of.update(dict(session.execute(sa.select(p.id, p.uuid).where(p.id.in_(chunk))).all()))
    inventories: dict[int, list[m.InventoryRow]] = {}
    traits: dict[int, set[str]] = {}
    groups: dict[int, set[str]] = {}
    shares: dict[int, set[str]] = {}
    for chunk in chunks(ids, 500):
        for inv in session.scalars(
            sa.select(m.InventoryRow)
            .where(m.InventoryRow.provider_id.in_(chunk))
            .order_by(m.InventoryRow.resource_class)
        ):
            inventories.setdefault(inv.provider_id, []).append(inv)
        t = m.provider_traits.c
        for provider_id, trait in session.execute(sa.select(t.provider_id, t.trait).where(t.provider_id.in_(chunk))):
            traits.setdefault(provider_id, set()).add(trait)
        for table, target in ((m.group_members, groups), (m.sharing, shares)):
            query = (
                sa.select(table.c.provider_id, m.groups.c.uuid)
                .join(m.groups, m.groups.c.id == table.c.group_id)
                .where(table.c.provider_id.in_(chunk))
            )
            for provider_id, group_uuid in session.execute(query):
                target.setdefault(provider_id, set()).add(group_uuid)
    return [
        Provider(
            id=row.uuid,
            name=names.get(row.uuid),
            region_id=row.region_id,
            parent_id=uuid_of[row.parent_id] if row.parent_id else None,
            root_id=uuid_of[row.root_id] if row.root_id else row.uuid,
            generation=row.generation,
            inventories=tuple(inventory.to_domain(inv) for inv in inventories.get(row.id, ())),
            traits=frozenset(traits.get(row.id, ())),
            groups=frozenset(groups.get(row.id, ())),
            shares_with=frozenset(shares.get(row.id, ())),
            created_at=from_us(row.created_at),
            updated_at=from_us(row.updated_at),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ProviderFilter:
    region_ids: frozenset[str] | None = None
    root_id: int | None = None
    parent_id: int | None = None
    roots_only: bool = False
    trait: str | None = None
    group_id: int | None = None
    resource_class: str | None = None


def list_rows(session: orm.Session, where: ProviderFilter, limit: int, after: int) -> list[m.ProviderRow]:
    query = sa.select(m.ProviderRow).where(m.ProviderRow.id > after)
    if where.region_ids is not None:
        query = query.where(m.ProviderRow.region_id.in_(where.region_ids))
    if where.root_id is not None:
        query = query.where(m.ProviderRow.root_id == where.root_id)
    if where.parent_id is not None:
        query = query.where(m.ProviderRow.parent_id == where.parent_id)
    if where.roots_only:
        query = query.where(m.ProviderRow.parent_id.is_(None))
    if where.trait is not None:
        t = m.provider_traits.c
        query = query.where(sa.exists().where(t.provider_id == m.ProviderRow.id, t.trait == where.trait))
    if where.group_id is not None:
        g = m.group_members.c
        query = query.where(sa.exists().where(g.provider_id == m.ProviderRow.id, g.group_id == where.group_id))
    if where.resource_class is not None:
        i = m.inventories.c
        query = query.where(
            sa.exists().where(i.provider_id == m.ProviderRow.id, i.resource_class == where.resource_class)
        )
    return list(session.scalars(query.order_by(m.ProviderRow.id).limit(limit)))
