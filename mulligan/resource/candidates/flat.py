"""The flat scan: one request group, nothing shared, so every matching
provider is a candidate by itself.

The scan statement returns each passing provider together with its row and
the inventory row of every requested class, so a candidate is built from
the one row the scan read; no second query per batch. This is the shape
schedulers send most, often asking for a thousand candidates at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.resource.candidate_page import FlatRow, FlatShape
from mulligan.resource.candidates import sql
from mulligan.resource.candidates.compile import Compiled, Need
from mulligan.resource.candidates.trees import uuids
from mulligan.resource.claims import Want
from mulligan.resource.types import Candidate
from mulligan.resource.usage import window_peaks

# Per requested class, in the order of the group's needs.
_INVENTORY = ("capacity", "free", "windowed", "min_unit", "max_unit", "step_size")


def scan_statement(compiled: Compiled) -> sa.Select[tuple[object, ...]]:
    """Index entries of the ranking class in (after, upto] that pass every filter,
    in rank order, with everything a candidate is made of."""
    need = compiled.ranking_need
    assert need is not None
    group = compiled.groups[0]
    desc = compiled.rank == "spread"
    aliases = sql.Aliases()
    i0 = aliases.take("inventories")
    p = aliases.take("providers")
    source: sa.FromClause = i0.join(p, p.c.id == i0.c.provider_id)
    joined = {need: i0}
    # Unit rules (min, max, step) are checked on the rows instead: a planner
    # cannot estimate ``amount % step_size = 0``, takes it for a rare match,
    # and then sorts every provider rather than walk the ranking index.
    fits: list[sql.Condition] = []
    for other in group.needs:
        if other == need:
            continue
        inv = aliases.take("inventories")
        source = source.join(
            inv, sa.and_(inv.c.provider_id == i0.c.provider_id, inv.c.resource_class == other.resource_class)
        )
        joined[other] = inv
        fits.append(sql.has_room(inv, other.amount, compiled.from_now_on))
    columns: list[sa.ColumnElement[Any]] = [
        i0.c.provider_id,
        i0.c.free,
        p.c.root_id,
        p.c.uuid,
        p.c.region_id,
    ]
    for position, item in enumerate(group.needs):
        inv = joined[item]
        columns += [inv.c[name].label(f"n{position}_{name}") for name in _INVENTORY]
    position_ = sa.tuple_(i0.c.free, i0.c.provider_id)
    after = sa.tuple_(sa.bindparam("after_free", type_=sa.BigInteger), sa.bindparam("after_id", type_=sa.BigInteger))
    upto = sa.tuple_(sa.bindparam("upto_free", type_=sa.BigInteger), sa.bindparam("upto_id", type_=sa.BigInteger))
    window = sa.and_(position_ < after, position_ >= upto) if desc else sa.and_(position_ > after, position_ <= upto)
    order = (i0.c.free.desc(), i0.c.provider_id.desc()) if desc else (i0.c.free, i0.c.provider_id)
    return (
        sa.select(*columns)
        .select_from(source)
        .where(
            i0.c.resource_class == sa.bindparam("cls", type_=sa.String),
            i0.c.free >= sa.bindparam("amount", type_=sa.BigInteger),
            window,
            *fits,
            *sql.static(aliases, sql.ProviderColumns.of(p), group, compiled.region_ids),
        )
        .order_by(*order)
        .limit(sa.bindparam("wanted", type_=sa.Integer))
    )


class FlatFound:
    """A flat candidate kept as a row: cheap to make by the thousand. The
    candidate object and what a claim needs (``wants``) are made only when
    asked for."""

    __slots__ = ("_provider_id", "item", "order", "root_id", "shape")

    def __init__(self, item: FlatRow, shape: FlatShape, order: tuple[int, int], provider_id: int, root_id: int) -> None:
        self.item = item
        self.shape = shape
        self.order = order
        self.root_id = root_id
        self._provider_id = provider_id

    @property
    def candidate(self) -> Candidate:
        return self.shape.candidate(self.item)

    @property
    def wants(self) -> tuple[Want, ...]:
        return tuple(Want(self._provider_id, self.item.provider_id, cls, amount) for cls, amount in self.shape.needs)


def shape_of(compiled: Compiled) -> FlatShape:
    _index, label, needs = compiled.plan_shape[0]
    return FlatShape(label, needs)


def build(session: orm.Session, compiled: Compiled, rows: Sequence[Any]) -> list[FlatFound]:
    """Candidates from scan rows, in the order given; rows that do not fit in the window are dropped."""
    if not rows:
        return []
    group = compiled.groups[0]
    needs = group.needs
    shape = shape_of(compiled)
    ranking = needs.index(compiled.ranking_need) if compiled.ranking_need in needs else 0
    ranking_amount = needs[ranking].amount
    peaks = _window_peaks(session, compiled, rows, needs)
    spread = compiled.rank == "spread"
    width = len(_INVENTORY)
    missing_roots = {row[2] for row in rows if row[2] != row[0]}
    root_uuids = uuids(session, missing_roots) if missing_roots else {}
    # Where each need's inventory columns start in a row, with what it asks.
    spots = [(5 + position * width, need.amount, need.resource_class) for position, need in enumerate(needs)]
    found: list[FlatFound] = []
    for row in rows:
        pid = row[0]
        used: list[int] = []
        capacities: list[int] = []
        for base, amount, resource_class in spots:
            capacity, free, _windowed, min_unit, max_unit, step_size = row[base : base + width]
            peak = peaks.get((pid, resource_class), capacity - free) if peaks else capacity - free
            if capacity - peak < amount or not min_unit <= amount <= max_unit or amount % step_size:
                break
            used.append(peak)
            capacities.append(capacity)
        else:
            ranking_free = row[5 + ranking * width + 1]
            value = ranking_free if ranking_free >= ranking_amount else capacities[ranking] - used[ranking]
            provider_uuid = row[3]
            flat_row = FlatRow(
                provider_uuid, root_uuids.get(row[2], provider_uuid), row[4], value, tuple(capacities), tuple(used)
            )
            order = (-value, -pid) if spread else (value, pid)
            found.append(FlatFound(flat_row, shape, order, pid, row[2]))
    return found


def _window_peaks(
    session: orm.Session, compiled: Compiled, rows: Sequence[Any], needs: tuple[Need, ...]
) -> dict[tuple[int, str], int]:
    """Usage peaks in the window where the kept counters do not tell (see counters)."""
    if compiled.from_now_on:
        return {}
    width = len(_INVENTORY)
    windowed = {
        (row[0], item.resource_class)
        for row in rows
        for position, item in enumerate(needs)
        if row[5 + position * width + 2] > 0
    }
    return window_peaks(session, windowed, compiled.span) if windowed else {}
