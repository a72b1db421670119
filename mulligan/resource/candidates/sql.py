"""SQL filters for candidate queries: what one provider must have to serve
a request group. Each is a correlated EXISTS on a primary-key or index
prefix, so it costs a few index probes per provider looked at.

Table aliases come from a process-wide pool: building an alias's column
collection costs far more than running the query it appears in, and alias
objects are immutable, so one statement at a time may use each.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.sql.selectable import NamedFromClause

from mulligan.resource import models as m
from mulligan.resource.candidates.compile import Compiled, Group, Need

Condition = sa.ColumnElement[bool]


class _Pool:
    def __init__(self, table: sa.Table, prefix: str) -> None:
        self._table = table
        self._prefix = prefix
        self._items: list[NamedFromClause] = []
        self._lock = threading.Lock()

    def get(self, index: int) -> NamedFromClause:
        if index >= len(self._items):
            with self._lock:
                while index >= len(self._items):
                    alias = self._table.alias(f"{self._prefix}{len(self._items)}")
                    alias.c  # noqa: B018 (build the column collection once, here)
                    self._items.append(alias)
        return self._items[index]


_POOLS = {
    "inventories": _Pool(m.inventories, "inv"),
    "providers": _Pool(m.providers, "prv"),
    "traits": _Pool(m.provider_traits, "trt"),
    "members": _Pool(m.group_members, "mem"),
    "distances": _Pool(m.distances, "dst"),
}


class Aliases:
    """Hands out distinct pooled aliases for one statement."""

    def __init__(self) -> None:
        self._used: defaultdict[str, int] = defaultdict(int)

    def take(self, table: str) -> NamedFromClause:
        index = self._used[table]
        self._used[table] += 1
        return _POOLS[table].get(index)


class ProviderColumns:
    """The provider columns filters use: a providers alias, or only the key
    (an inventory's provider_id) when no filter needs more."""

    def __init__(
        self,
        key: sa.ColumnElement[int],
        root_id: sa.ColumnElement[int] | None = None,
        region_id: sa.ColumnElement[str] | None = None,
    ) -> None:
        self.id = key
        self._root_id = root_id
        self._region_id = region_id

    @classmethod
    def of(cls, p: sa.FromClause) -> ProviderColumns:
        return cls(p.c.id, p.c.root_id, p.c.region_id)

    @property
    def root_id(self) -> sa.ColumnElement[int]:
        assert self._root_id is not None, "this filter needs the providers table joined"
        return self._root_id

    @property
    def region_id(self) -> sa.ColumnElement[str]:
        assert self._region_id is not None, "this filter needs the providers table joined"
        return self._region_id


def needs_provider_row(compiled: Compiled) -> bool:
    """Whether the filters read more of a provider than its key."""
    if len(compiled.groups) > 1 or compiled.region_ids is not None:
        return True
    group = compiled.groups[0]
    return bool(group.member_of or group.not_member_of or group.tree_root is not None or group.near is not None)


def units_ok(inv: sa.FromClause, amount: int) -> Condition:
    # ``step_size = 1`` first: a planner has statistics for that column but
    # none for the remainder, which alone it takes for a one-in-200 match
    # and so misjudges every plan holding it.
    return sa.and_(
        inv.c.min_unit <= amount,
        inv.c.max_unit >= amount,
        sa.or_(inv.c.step_size == 1, sa.literal(amount, sa.BigInteger) % inv.c.step_size == 0),
    )


def has_room(inv: sa.FromClause, amount: int, from_now_on: bool) -> Condition:
    """Room for sure, or, in a window that ends or starts later, maybe
    (decided by the exact check on the claims)."""
    if from_now_on:
        return inv.c.free >= amount
    return sa.or_(inv.c.free >= amount, sa.and_(inv.c.windowed > 0, inv.c.capacity >= amount))


def may_fit(inv: sa.FromClause, amount: int, from_now_on: bool) -> Condition:
    return sa.and_(units_ok(inv, amount), has_room(inv, amount, from_now_on))


def has_class(aliases: Aliases, p: ProviderColumns, need: Need, from_now_on: bool) -> Condition:
    inv = aliases.take("inventories")
    local = sa.exists().where(
        inv.c.provider_id == p.id, inv.c.resource_class == need.resource_class, may_fit(inv, need.amount, from_now_on)
    )
    if not need.shareable:
        return local
    other = aliases.take("inventories")
    lacking = ~sa.exists().where(other.c.provider_id == p.id, other.c.resource_class == need.resource_class)
    return sa.or_(local, lacking)


def _has_trait(aliases: Aliases, p: ProviderColumns, traits: Iterable[str]) -> Condition:
    t = aliases.take("traits")
    wanted = sorted(traits)
    match = t.c.trait == wanted[0] if len(wanted) == 1 else t.c.trait.in_(wanted)
    return sa.exists().where(t.c.provider_id == p.id, match)


def _member(aliases: Aliases, p: ProviderColumns, group_ids: frozenset[int]) -> Condition:
    """In one of the groups, itself or through its tree root."""
    wanted = sorted(group_ids)
    own, root = aliases.take("members"), aliases.take("members")
    return sa.or_(
        sa.exists().where(own.c.provider_id == p.id, own.c.group_id.in_(wanted)),
        sa.exists().where(root.c.provider_id == p.root_id, root.c.group_id.in_(wanted)),
    )


def _near(aliases: Aliases, p: ProviderColumns, provider_id: int, max_distance: int) -> Condition:
    d = aliases.take("distances")
    return sa.or_(
        p.id == provider_id,
        p.root_id == provider_id,
        sa.exists().where(
            d.c.provider_id == provider_id,
            sa.or_(d.c.other_id == p.id, d.c.other_id == p.root_id),
            d.c.distance <= max_distance,
        ),
    )


def static(aliases: Aliases, p: ProviderColumns, group: Group, region_ids: frozenset[str] | None) -> list[Condition]:
    """Everything about the provider itself except its inventories."""
    conditions: list[Condition] = [_has_trait(aliases, p, [trait]) for trait in sorted(group.required)]
    if group.forbidden:
        conditions.append(~_has_trait(aliases, p, group.forbidden))
    conditions += [_has_trait(aliases, p, any_of) for any_of in group.any_of]
    if group.member_of:
        conditions.append(_member(aliases, p, group.member_of))
    if group.not_member_of:
        conditions.append(~_member(aliases, p, group.not_member_of))
    if group.tree_root is not None:
        conditions.append(p.root_id == group.tree_root)
    if group.near is not None:
        conditions.append(_near(aliases, p, *group.near))
    if region_ids is not None:
        conditions.append(p.region_id.in_(sorted(region_ids)))
    return conditions


def serves(
    aliases: Aliases, p: ProviderColumns, compiled: Compiled, group: Group, skip: Need | None = None
) -> list[Condition]:
    """Provider p could serve group on its own (skip: a need checked elsewhere)."""
    return static(aliases, p, group, compiled.region_ids) + [
        has_class(aliases, p, need, compiled.from_now_on) for need in group.needs if need != skip
    ]


def tree_serves(aliases: Aliases, p: ProviderColumns, compiled: Compiled, group: Group) -> Condition:
    """Some provider in p's tree could serve group."""
    q = aliases.take("providers")
    return sa.exists().where(q.c.root_id == p.root_id, *serves(aliases, ProviderColumns.of(q), compiled, group))


def request_filters(
    aliases: Aliases, p: ProviderColumns, compiled: Compiled, group: Group, skip: Need | None = None
) -> list[Condition]:
    """p serves group, and its tree holds a provider for every other group."""
    conditions = serves(aliases, p, compiled, group, skip)
    for other in compiled.groups:
        if other.index != group.index:
            conditions.append(tree_serves(aliases, p, compiled, other))
    return conditions
