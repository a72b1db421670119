"""Loading what the in-tree search needs: providers with the requested
classes (usage over the window), traits, memberships, distances, and the
providers that share inventory with groups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.resource import models as m
from mulligan.resource.candidates.compile import Compiled
from mulligan.resource.refs import chunks
from mulligan.resource.usage import window_peaks

i = m.inventories.c
p = m.providers.c
# What a placement needs of an inventory row (see Inv).
_INVENTORY_COLUMNS = (i.resource_class, i.capacity, i.claimed, i.free, i.windowed, i.min_unit, i.max_unit, i.step_size)


class Inv(NamedTuple):
    # A tuple: trees are loaded a thousand at a time, with several of these each.
    capacity: int
    claimed: int
    free: int
    windowed: int
    min_unit: int
    max_unit: int
    step_size: int
    # Highest usage at any instant of the window.
    peak: int

    @property
    def available(self) -> int:
        return self.capacity - self.peak

    def units_ok(self, amount: int) -> bool:
        return self.min_unit <= amount <= self.max_unit and amount % self.step_size == 0

    def rank_value(self, amount: int) -> int:
        """The ranking figure: free after every unreleased claim, or, when
        only the window makes room, the room in the window."""
        return self.free if self.free >= amount else self.available


@dataclass(slots=True)
class Node:
    id: int
    uuid: str
    parent_id: int | None
    root_id: int
    region_id: str
    inventories: dict[str, Inv] = field(default_factory=dict)
    traits: frozenset[str] = frozenset()
    groups: frozenset[int] = frozenset()


@dataclass
class Tree:
    root_id: int
    nodes: dict[int, Node]
    # class -> the providers holding it, made when first asked for.
    _holding: dict[str, list[Node]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def root(self) -> Node:
        return self.nodes[self.root_id]

    def holding(self, resource_class: str) -> list[Node]:
        """The tree's providers with an inventory of resource_class (of those loaded)."""
        holding = self._holding
        if holding is None:
            holding = self._holding = {}
            for node in self.nodes.values():
                for cls in node.inventories:
                    found = holding.get(cls)
                    if found is None:
                        holding[cls] = [node]
                    else:
                        found.append(node)
        return holding.get(resource_class, _NO_NODES)

    def is_ancestor_or_self(self, ancestor: int, node: int) -> bool:
        current: int | None = node
        while current is not None:
            if current == ancestor:
                return True
            current = self.nodes[current].parent_id
        return False


_NO_NODES: list[Node] = []


@dataclass(frozen=True)
class Sharer:
    node: Node
    root_uuid: str
    shares_with: frozenset[int]


@dataclass
class Context:
    """Per-request data used by every tree."""

    compiled: Compiled
    sharers: list[Sharer] = field(default_factory=list)
    # (near provider, provider) -> distance
    distances: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def sharing_groups(self) -> frozenset[int]:
        found: set[int] = set()
        for sharer in self.sharers:
            found |= sharer.shares_with
        return frozenset(found)


def load_inventories(
    session: orm.Session, provider_ids: Iterable[int], classes: frozenset[str], compiled: Compiled
) -> dict[int, dict[str, Inv]]:
    ids = sorted(set(provider_ids))
    rows: list[Any] = []
    for chunk in chunks(ids, 500):
        rows += session.execute(_INVENTORIES, {"ids": chunk, "classes": sorted(classes)}).all()
    peaks = _peaks(session, rows, compiled, "provider_id")
    found: dict[int, dict[str, Inv]] = {}
    for provider_id, resource_class, capacity, claimed, free, windowed, min_unit, max_unit, step_size in rows:
        peak = peaks.get((provider_id, resource_class), capacity - free) if peaks else capacity - free
        found.setdefault(provider_id, {})[resource_class] = Inv(
            capacity, claimed, free, windowed, min_unit, max_unit, step_size, peak
        )
    return found


def _peaks(session: orm.Session, rows: list[Any], compiled: Compiled, id_column: str) -> dict[tuple[int, str], int]:
    """Highest usage in the window for inventories where the kept counters do not tell.

    From now on with no end, capacity minus ``free`` is that usage (see
    counters); without windowed claims, so is ``claimed``. Other windows
    sweep the claims of inventories that have windowed ones.
    """
    if compiled.from_now_on:
        return {}
    # A provider read without an inventory (an outer join) has no ``windowed``.
    windowed = {(getattr(row, id_column), row.resource_class) for row in rows if row.windowed}
    return window_peaks(session, windowed, compiled.span) if windowed else {}


def _fill(session: orm.Session, nodes: dict[int, Node], context: Context, roots: list[int]) -> None:
    """Traits, memberships and distances of the trees' providers (their inventories are loaded with them)."""
    compiled = context.compiled
    traits, group_ids = compiled.traits, compiled.group_ids | context.sharing_groups
    if traits:
        # Providers of one kind have the same traits: they share one set.
        trait_sets: dict[frozenset[str], frozenset[str]] = {}
        for node, codes in _per_node(session, _TREE_TRAITS, {"traits": sorted(traits)}, nodes, roots):
            node.traits = trait_sets.setdefault(codes, codes)
    if group_ids:
        for node, gids in _per_node(session, _TREE_MEMBERS, {"groups": sorted(group_ids)}, nodes, roots):
            node.groups = gids
    if compiled.near_ids:
        d = m.distances.c
        for chunk in chunks(sorted(nodes), 500):
            for near, other, distance in session.execute(
                sa.select(d.provider_id, d.other_id, d.distance).where(
                    d.provider_id.in_(sorted(compiled.near_ids)), d.other_id.in_(chunk)
                )
            ):
                context.distances[(near, other)] = distance


def _per_node(
    session: orm.Session,
    statement: sa.Select[Any],
    params: dict[str, Any],
    nodes: dict[int, Node],
    roots: list[int],
) -> Iterator[tuple[Node, frozenset[Any]]]:
    """The values a statement finds for each of the trees' providers (by roots)."""
    found: dict[int, set[Any]] = {}
    for chunk in chunks(roots, 500):
        for pid, value in session.execute(statement, {"roots": chunk, **params}).all():
            found.setdefault(pid, set()).add(value)
    for pid, values in found.items():
        # A provider created since the trees were read is not among them.
        node = nodes.get(pid)
        if node is not None:
            yield node, frozenset(values)


def _nodes(rows: Iterable[Any]) -> dict[int, Node]:
    return {pid: Node(pid, uuid, parent_id, root_id, region_id) for pid, uuid, parent_id, root_id, region_id in rows}


_NODE_COLUMNS = (p.id, p.uuid, p.parent_id, p.root_id, p.region_id)
# Built once: building a statement costs more than running it on a few hundred keys.
_IDS: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
_ROOTS: sa.BindParameter[list[int]] = sa.bindparam("roots", expanding=True)
_CLASSES: sa.BindParameter[list[str]] = sa.bindparam("classes", expanding=True)
_INVENTORIES = sa.select(i.provider_id, *_INVENTORY_COLUMNS).where(
    i.provider_id.in_(_IDS), i.resource_class.in_(_CLASSES)
)
# Every provider of the trees, once per requested class it has (once with
# no inventory columns if it has none): the trees in one round trip.
_TREE_ROWS = (
    sa.select(*_NODE_COLUMNS, *_INVENTORY_COLUMNS)
    .select_from(m.providers.outerjoin(m.inventories, sa.and_(i.provider_id == p.id, i.resource_class.in_(_CLASSES))))
    .where(p.root_id.in_(_ROOTS))
)
_TREE_TRAITS = (
    sa.select(m.provider_traits.c.provider_id, m.provider_traits.c.trait)
    .select_from(m.provider_traits.join(m.providers, p.id == m.provider_traits.c.provider_id))
    .where(p.root_id.in_(_ROOTS), m.provider_traits.c.trait.in_(sa.bindparam("traits", expanding=True)))
)
_TREE_MEMBERS = (
    sa.select(m.group_members.c.provider_id, m.group_members.c.group_id)
    .select_from(m.group_members.join(m.providers, p.id == m.group_members.c.provider_id))
    .where(p.root_id.in_(_ROOTS), m.group_members.c.group_id.in_(sa.bindparam("groups", expanding=True)))
)


def load_trees(session: orm.Session, root_ids: Iterable[int], context: Context) -> dict[int, Tree]:
    roots = sorted(set(root_ids))
    compiled = context.compiled
    classes = sorted(compiled.classes)
    rows: list[Any] = []
    for chunk in chunks(roots, 500):
        rows += session.execute(_TREE_ROWS, {"roots": chunk, "classes": classes}).all()
    peaks = _peaks(session, rows, compiled, "id")
    nodes: dict[int, Node] = {}
    trees: dict[int, Tree] = {}
    for pid, uuid, parent_id, root_id, region_id, cls, capacity, claimed, free, windowed, low, high, step in rows:
        node = nodes.get(pid)
        if node is None:
            node = nodes[pid] = Node(pid, uuid, parent_id, root_id, region_id, {})
            tree = trees.get(root_id)
            if tree is None:
                tree = trees[root_id] = Tree(root_id, {})
            tree.nodes[pid] = node
        if cls is not None:
            peak = peaks.get((pid, cls), capacity - free) if peaks else capacity - free
            node.inventories[cls] = Inv(capacity, claimed, free, windowed, low, high, step, peak)
    _fill(session, nodes, context, roots)
    return {root: trees[root] for root in roots if root in trees and root in trees[root].nodes}


def load_nodes(session: orm.Session, provider_ids: Iterable[int], context: Context) -> dict[int, Node]:
    """Single providers (no trees) with their requested inventories, in one query."""
    compiled = context.compiled
    nodes: dict[int, Node] = {}
    rows: list[Any] = []
    for chunk in chunks(sorted(set(provider_ids)), 500):
        rows += session.execute(_NODES_WITH_INVENTORIES, {"ids": chunk, "classes": sorted(compiled.classes)}).all()
    peaks = _peaks(session, rows, compiled, "id")
    for row in rows:
        node = nodes.get(row.id)
        if node is None:
            node = nodes[row.id] = Node(row.id, row.uuid, row.parent_id, row.root_id, row.region_id)
        node.inventories[row.resource_class] = Inv(
            capacity=row.capacity,
            claimed=row.claimed,
            free=row.free,
            windowed=row.windowed,
            min_unit=row.min_unit,
            max_unit=row.max_unit,
            step_size=row.step_size,
            peak=peaks.get((row.id, row.resource_class), row.capacity - row.free),
        )
    return nodes


_NODES_WITH_INVENTORIES = (
    sa.select(
        *_NODE_COLUMNS,
        *_INVENTORY_COLUMNS,
    )
    .join(m.inventories, i.provider_id == p.id)
    .where(p.id.in_(sa.bindparam("ids", expanding=True)), i.resource_class.in_(sa.bindparam("classes", expanding=True)))
)


def uuids(session: orm.Session, provider_ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in chunks(sorted(set(provider_ids)), 500):
        found.update(dict(session.execute(sa.select(p.id, p.uuid).where(p.id.in_(chunk))).all()))
    return found


def load_sharers(session: orm.Session, context: Context) -> None:
    compiled = context.compiled
    if not compiled.shareable:
        return
    s = m.sharing.c
    shares: dict[int, set[int]] = {}
    for pid, gid in session.execute(sa.select(s.provider_id, s.group_id)):
        shares.setdefault(pid, set()).add(gid)
    nodes: dict[int, Node] = {}
    for chunk in chunks(sorted(shares), 500):
        nodes.update(_nodes(session.execute(sa.select(*_NODE_COLUMNS).where(p.id.in_(chunk)))))
    invs = load_inventories(session, nodes, compiled.shareable, compiled)
    root_uuids = uuids(session, {node.root_id for node in nodes.values()})
    for pid, node in sorted(nodes.items()):
        node.inventories = invs.get(pid, {})
        if compiled.region_ids is not None and node.region_id not in compiled.region_ids:
            continue
        context.sharers.append(Sharer(node, root_uuids[node.root_id], frozenset(shares[pid])))
