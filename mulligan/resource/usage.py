"""Usage over a window or at an instant, read from the allocation rows."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.resource import models as m
from mulligan.resource.intervals import Interval, peak_usage
from mulligan.resource.refs import chunks
from mulligan.resource.windows import Span

Key = tuple[int, str]

a = m.allocations.c


def overlapping(span: Span) -> sa.ColumnElement[bool]:
    condition = sa.or_(a.end_at.is_(None), a.end_at > span.start)
    if span.end is not None:
        condition = sa.and_(condition, a.start_at < span.end)
    return condition


def window_peaks(
    session: orm.Session | sa.Connection, keys: Iterable[Key], span: Span, exclude_consumer: int | None = None
) -> dict[Key, int]:
    """Highest usage at any instant of span for each (provider, class)."""
    wanted = set(keys)
    if not wanted:
        return {}
    intervals: dict[Key, list[Interval]] = {key: [] for key in wanted}
    classes = sorted({cls for _, cls in wanted})
    provider_ids = sorted({pid for pid, _ in wanted})
    for chunk in chunks(provider_ids, 500):
        query = sa.select(a.provider_id, a.resource_class, a.start_at, a.end_at, a.amount).where(
            a.provider_id.in_(chunk), a.resource_class.in_(classes), overlapping(span)
        )
        if exclude_consumer is not None:
            query = query.where(a.consumer_id != exclude_consumer)
        for row in session.execute(query):
            key = (row.provider_id, row.resource_class)
            if key in intervals:
                intervals[key].append((row.start_at, row.end_at, row.amount))
    return {key: peak_usage(spans, span.start, span.end) for key, spans in intervals.items()}


def active_at(moment: int) -> sa.ColumnElement[bool]:
    return sa.and_(a.start_at <= moment, sa.or_(a.end_at.is_(None), a.end_at > moment))


def provider_usage(session: orm.Session, provider_id: int, moment: int) -> dict[str, tuple[int, int]]:
    """class -> (used at moment, capacity) for one provider."""
    i = m.inventories.c
    capacity = dict(session.execute(sa.select(i.resource_class, i.capacity).where(i.provider_id == provider_id)).all())
    used = dict(
        session.execute(
            sa.select(a.resource_class, sa.func.sum(a.amount))
            .where(a.provider_id == provider_id, active_at(moment))
            .group_by(a.resource_class)
        ).all()
    )
    return {cls: (int(used.get(cls) or 0), cap) for cls, cap in sorted(capacity.items())}


def project_usage(session: orm.Session, project_id: str, moment: int) -> dict[str, int]:
    rows = session.execute(
        sa.select(a.resource_class, sa.func.sum(a.amount))
        .where(a.project_id == project_id, active_at(moment))
        .group_by(a.resource_class)
        .order_by(a.resource_class)
    )
    return {cls: int(total) for cls, total in rows}
