"""The counters each inventory row keeps so most checks need no sweep.

* ``claimed``: the sum of all unreleased allocations, whatever their windows.
* ``windowed``: how many of them do not simply cover every instant from now
  on (they end, or start later).
* ``free``: capacity minus the highest usage at any instant from the last
  change on. Every window a claim or query can ask about lies inside that
  span, so ``free >= amount`` proves a fit without reading any claim. As
  time passes it only grows more cautious (claims can only end), and every
  change to the inventory's allocations recomputes it under the provider's
  lock.

Without windowed allocations the highest usage is simply ``claimed``; only
inventories with reservations or ending claims pay for a sweep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.resource import models as m
from mulligan.resource.intervals import Interval, peak_usage
from mulligan.resource.refs import chunks
from mulligan.resource.usage import window_peaks
from mulligan.resource.windows import Span

Key = tuple[int, str]

i = m.inventories.c
a = m.allocations.c


@dataclass(frozen=True)
class Before:
    """An inventory's counters read under the lock, before a change."""

    capacity: int
    claimed: int
    free: int
    windowed: int


_SET = (
    sa.update(m.inventories)
    .where(i.provider_id == sa.bindparam("b_provider"), i.resource_class == sa.bindparam("b_class"))
    .values(claimed=sa.bindparam("b_claimed"), windowed=sa.bindparam("b_windowed"), free=sa.bindparam("b_free"))
)


def _write(connection: sa.Connection | orm.Session, values: Mapping[Key, tuple[int, int, int]]) -> None:
    rows = [
        {"b_provider": pid, "b_class": cls, "b_claimed": claimed, "b_windowed": windowed, "b_free": free}
        for (pid, cls), (claimed, windowed, free) in sorted(values.items())
    ]
    if rows:
        connection.execute(_SET, rows)


def after_adding(
    connection: sa.Connection,
    before: Mapping[Key, Before],
    added: Mapping[Key, tuple[int, int]],
    now: int,
    intervals: Mapping[Key, Sequence[Interval]] | None = None,
) -> None:
    """Counters after allocations were added: (amount, windowed count) per key.

    An allocation that covers every instant from now on raises the highest
    usage ahead by exactly its amount; only windowed ones need a sweep. The
    added allocations' intervals, when given, are all there is to sweep on
    an inventory that held none before, without reading them back.
    """
    values: dict[Key, tuple[int, int, int]] = {}
    sweep: dict[Key, tuple[int, int]] = {}
    for key, (amount, windowed) in added.items():
        old = before[key]
        claimed, count = old.claimed + amount, old.windowed + windowed
        if not count:
            values[key] = (claimed, count, old.capacity - claimed)
        elif not windowed:
            values[key] = (claimed, count, old.free - amount)
        else:
            sweep[key] = (claimed, count)
    if sweep:
        fresh = {key for key in sweep if intervals is not None and key in intervals and not before[key].claimed}
        peaks = window_peaks(connection, set(sweep) - fresh, Span(now, None))
        peaks.update({key: peak_usage(intervals[key], now, None) for key in fresh if intervals is not None})
        for key, (claimed, count) in sweep.items():
            values[key] = (claimed, count, before[key].capacity - peaks[key])
    _write(connection, values)


def refresh(connection: sa.Connection | orm.Session, keys: Iterable[Key], now: int) -> None:
    """Recompute the counters of keys from their allocation rows."""
    wanted = set(keys)
    if not wanted:
        return
    capacity: dict[Key, int] = {}
    claimed: dict[Key, int] = dict.fromkeys(wanted, 0)
    windowed: dict[Key, int] = dict.fromkeys(wanted, 0)
    classes = sorted({cls for _, cls in wanted})
    for chunk in chunks(sorted({pid for pid, _ in wanted}), 500):
        for inv in connection.execute(
            sa.select(i.provider_id, i.resource_class, i.capacity).where(
                i.provider_id.in_(chunk), i.resource_class.in_(classes)
            )
        ):
            if (inv.provider_id, inv.resource_class) in wanted:
                capacity[(inv.provider_id, inv.resource_class)] = inv.capacity
        for row in connection.execute(
            sa.select(a.provider_id, a.resource_class, a.amount, a.windowed).where(
                a.provider_id.in_(chunk), a.resource_class.in_(classes)
            )
        ):
            key = (row.provider_id, row.resource_class)
            if key in wanted:
                claimed[key] += row.amount
                windowed[key] += int(bool(row.windowed))
    sweep = {key for key in capacity if windowed[key]}
    peaks = window_peaks(connection, sweep, Span(now, None)) if sweep else {}
    _write(
        connection,
        {key: (claimed[key], windowed[key], capacity[key] - peaks.get(key, claimed[key])) for key in capacity},
    )
