"""Bulk loading: many claims checked and stored at once, by the rules of
single claims (see :mod:`claims`).

A batch is refused when a sequence of single claims, made in the batch's
order at the same instant, would refuse one of its claims; the error names
that claim's index. Checking a claim against the batch's earlier claims plus
what is stored is exactly the single-claim rule, so the counters written
once per (provider, class) are those single claims would leave.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects.postgresql import ARRAY

from mulligan.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    MulliganError,
    NotFound,
    ResourceExhausted,
)
from mulligan.resource import catalog, counters, providers
from mulligan.resource import models as m
from mulligan.resource.claims import Want, check_units
from mulligan.resource.intervals import Interval, peak_usage
from mulligan.resource.refs import chunks, provider_refs
from mulligan.resource.windows import Span
from mulligan.resource.writer import Writer

MAX_PROVIDERS = 5000
MAX_CLAIMS = 50000
_CHUNK = 500

Key = tuple[int, str]
# An inventory row as read under the lock.
_Inventory = Any
a = m.allocations.c
c = m.consumers.c
i = m.inventories.c


@dataclass(frozen=True)
class NewClaim:
    """One claim of a batch, checked on its own, with references turned into UUIDs."""

    index: int
    consumer_uuid: str
    project_id: str
    kind: str
    span: Span
    # (provider UUID, class, amount)
    allocations: tuple[tuple[str, str, int], ...]


def naming_item(error: MulliganError, kind: str, index: int) -> MulliganError:
    """The same error, naming the batch item it is about."""
    if "index" in error.metadata:
        return error
    return type(error)(
        f"{kind} {index}: {error.message}",
        reason=error.reason,
        metadata={**error.metadata, "item": kind, "index": str(index)},
    )


@contextlib.contextmanager
def item(kind: str, index: int) -> Iterator[None]:
    """Errors raised inside name the batch item they are about."""
    try:
        yield
    except MulliganError as error:
        raise naming_item(error, kind, index) from None


def check_sizes(providers: int, claims: int) -> None:
    if providers > MAX_PROVIDERS or claims > MAX_CLAIMS:
        raise InvalidArgument(
            f"a batch holds at most {MAX_PROVIDERS} providers and {MAX_CLAIMS} claims", reason="TOO_MANY_ITEMS"
        )


def check_unique(news: Sequence[NewClaim]) -> None:
    seen: set[tuple[str, str]] = set()
    for new in news:
        key = (new.project_id, new.consumer_uuid)
        if key in seen:
            with item("claim", new.index):
                raise AlreadyExists(f"consumer {new.consumer_uuid} is listed twice", reason="CLAIM_EXISTS")
        seen.add(key)


def check_new_providers(session: orm.Session, news: Sequence[providers.NewProvider]) -> None:
    """The checks of a provider's creation that concern it alone, naming its index."""
    try:
        catalog.check_classes(session, {inv.resource_class for new in news for inv in new.inventories})
        catalog.check_traits(session, {trait for new in news for trait in new.traits})
    except InvalidArgument as error:
        bad = error.metadata.get("class") or error.metadata.get("trait")
        for index, new in enumerate(news):
            if bad in new.traits or any(inv.resource_class == bad for inv in new.inventories):
                raise naming_item(error, "provider", index) from None
        raise
    index_of = {new.uuid: index for index, new in enumerate(news)}
    p = m.providers.c
    for chunk in chunks(sorted(index_of), _CHUNK):
        taken = session.execute(sa.select(p.uuid).where(p.uuid.in_(chunk))).scalars().all()
        if taken:
            with item("provider", min(index_of[uuid] for uuid in taken)):
                raise AlreadyExists(
                    f"provider {min(taken, key=index_of.__getitem__)} already exists", reason="PROVIDER_EXISTS"
                )
    outside = {new.parent_uuid for new in news if new.parent_uuid and new.parent_uuid not in index_of}
    found: set[str] = set()
    for chunk in chunks(sorted(outside), _CHUNK):
        found.update(session.execute(sa.select(p.uuid).where(p.uuid.in_(chunk))).scalars())
    for index, new in enumerate(news):
        if new.parent_uuid is None and new.region_id is None:
            with item("provider", index):
                raise InvalidArgument(f"provider {new.uuid} needs a region", reason="REGION_REQUIRED")
        if new.parent_uuid in outside and new.parent_uuid not in found:
            with item("provider", index):
                raise NotFound(f"parent provider {new.parent_uuid} not found", reason="PROVIDER_NOT_FOUND")
        if new.parent_uuid in index_of and index_of[new.parent_uuid] > index:
            with item("provider", index):
                raise InvalidArgument(
                    f"parent {new.parent_uuid} must be listed before its child", reason="PARENT_ORDER"
                )


def create(session: orm.Session, writer: Writer, news: Sequence[NewClaim], created: Mapping[str, int], now: int) -> int:
    """Check and insert the claims, then set the counters; return how many.

    created maps the UUIDs of providers made in the same transaction to their keys.
    """
    if not news:
        return 0
    connection = session.connection()
    _check_classes(session, news)
    ids = dict(created)
    outside = {uuid for new in news for uuid, _, _ in new.allocations if uuid not in ids}
    if outside:
        ids.update(_existing_providers(session, news, outside))
    _check_new_consumers(connection, news)
    writer.lock_providers(connection, ids.values())
    inventories = _inventories(connection, sorted({ids[u] for new in news for u, _, _ in new.allocations}))
    placed = _placements(news, ids, inventories)
    _check_capacity(connection, placed, inventories, now)
    _check_quotas(connection, writer, news)
    _insert(connection, news, ids, now)
    added: dict[Key, tuple[int, int]] = {}
    for key, items in placed.items():
        added[key] = (sum(amount for _, _, amount in items), sum(_windowed(span, now) for _, span, amount in items))
    before = {
        key: counters.Before(row.capacity, row.claimed, row.free, row.windowed) for key, row in inventories.items()
    }
    intervals = {key: [(span.start, span.end, amount) for _, span, amount in items] for key, items in placed.items()}
    counters.after_adding(connection, before, added, now, intervals)
    return len(news)


def _windowed(span: Span, now: int) -> int:
    return int(span.end is not None or span.start > now)


def _check_classes(session: orm.Session, news: Sequence[NewClaim]) -> None:
    classes = {cls for new in news for _, cls, _ in new.allocations}
    try:
        catalog.check_classes(session, classes)
    except InvalidArgument as error:
        bad = error.metadata.get("class")
        for new in news:
            if any(cls == bad for _, cls, _ in new.allocations):
                with item("claim", new.index):
                    raise
        raise


def _existing_providers(session: orm.Session, news: Sequence[NewClaim], uuids: set[str]) -> dict[str, int]:
    """Keys of existing providers; NotFound names the first claim using a missing one."""
    try:
        return provider_refs(session, uuids)
    except NotFound as error:
        for new in news:
            if any(uuid in error.message for uuid, _, _ in new.allocations if uuid in uuids):
                with item("claim", new.index):
                    raise
        raise


def _check_new_consumers(connection: sa.Connection, news: Sequence[NewClaim]) -> None:
    wanted = {(new.project_id, new.consumer_uuid): new.index for new in news}
    for row in _consumers_named(connection, {new.consumer_uuid for new in news}):
        index = wanted.get((row.project_id, row.uuid))
        if index is not None:
            with item("claim", index):
                raise AlreadyExists(f"consumer {row.uuid} already holds a claim", reason="CLAIM_EXISTS")


def _consumers_named(connection: sa.Connection, uuids: set[str]) -> Iterator[Any]:
    """Consumer rows with these UUIDs, in whichever project."""
    query = sa.select(c.id, c.uuid, c.project_id)
    if connection.dialect.name == "postgresql":
        # One array parameter: a list of thousands of parameters costs more
        # to render and parse than to run.
        yield from connection.execute(
            query.where(c.uuid == sa.any_(sa.bindparam("uuids", type_=ARRAY(sa.String)))), {"uuids": sorted(uuids)}
        )
        return
    for chunk in chunks(sorted(uuids), _CHUNK):
        yield from connection.execute(query.where(c.uuid.in_(chunk)))


def _inventories(connection: sa.Connection, provider_ids: list[int]) -> dict[Key, _Inventory]:
    found: dict[Key, _Inventory] = {}
    for chunk in chunks(provider_ids, _CHUNK):
        for row in connection.execute(
            sa.select(
                i.provider_id,
                i.resource_class,
                i.capacity,
                i.claimed,
                i.free,
                i.windowed,
                i.min_unit,
                i.max_unit,
                i.step_size,
            ).where(i.provider_id.in_(chunk))
        ):
            found[(row.provider_id, row.resource_class)] = row
    return found


def _placements(
    news: Sequence[NewClaim], ids: Mapping[str, int], inventories: Mapping[Key, _Inventory]
) -> dict[Key, list[tuple[int, Span, int]]]:
    """Each amount within its inventory's units; (index, span, amount) per inventory, in batch order."""
    placed: dict[Key, list[tuple[int, Span, int]]] = {}
    for new in news:
        for uuid, cls, amount in new.allocations:
            key = (ids[uuid], cls)
            inv = inventories.get(key)
            if inv is None:
                with item("claim", new.index):
                    raise FailedPrecondition(
                        f"provider {uuid} has no {cls} inventory",
                        reason="NO_INVENTORY",
                        metadata={"provider": uuid, "class": cls},
                    )
            if amount < inv.min_unit or amount > inv.max_unit or amount % inv.step_size:
                with item("claim", new.index):
                    check_units(Want(key[0], uuid, cls, amount), inv.min_unit, inv.max_unit, inv.step_size)
            found = placed.get(key)
            if found is None:
                placed[key] = [(new.index, new.span, amount)]
            else:
                found.append((new.index, new.span, amount))
    return placed


def _check_capacity(
    connection: sa.Connection,
    placed: Mapping[Key, list[tuple[int, Span, int]]],
    inventories: Mapping[Key, _Inventory],
    now: int,
) -> None:
    # The quick test of single claims, for the batch's total: when it passes,
    # each claim in turn would have passed it too.
    precise = []
    for key, items in placed.items():
        inv, total = inventories[key], sum(amount for _, _, amount in items)
        if inv.free < total and inv.claimed + total > inv.capacity:
            precise.append(key)
    if not precise:
        return
    stored = _stored_intervals(connection, precise, now)
    refused: tuple[int, Key, int, int] | None = None
    for key in precise:
        capacity = inventories[key].capacity
        intervals = list(stored.get(key, []))
        for index, span, amount in placed[key]:
            peak = peak_usage(intervals, span.start, span.end)
            if peak + amount > capacity:
                if refused is None or index < refused[0]:
                    refused = (index, key, peak, amount)
                break
            intervals.append((span.start, span.end, amount))
    if refused is not None:
        index, (provider_id, cls), peak, amount = refused
        capacity = inventories[(provider_id, cls)].capacity
        with item("claim", index):
            raise ResourceExhausted(
                f"not enough {cls} over the window: capacity {capacity}, up to {peak} already claimed, {amount} asked",
                reason="INSUFFICIENT_CAPACITY",
                metadata={"class": cls, "capacity": str(capacity), "used": str(peak), "amount": str(amount)},
            )


def _stored_intervals(connection: sa.Connection, keys: Sequence[Key], now: int) -> dict[Key, list[Interval]]:
    wanted = set(keys)
    classes = sorted({cls for _, cls in wanted})
    found: dict[Key, list[Interval]] = {}
    for chunk in chunks(sorted({pid for pid, _ in wanted}), _CHUNK):
        rows = connection.execute(
            sa.select(a.provider_id, a.resource_class, a.start_at, a.end_at, a.amount).where(
                a.provider_id.in_(chunk), a.resource_class.in_(classes), sa.or_(a.end_at.is_(None), a.end_at > now)
            )
        )
        for row in rows:
            key = (row.provider_id, row.resource_class)
            if key in wanted:
                found.setdefault(key, []).append((row.start_at, row.end_at, row.amount))
    return found


def _check_quotas(connection: sa.Connection, writer: Writer, news: Sequence[NewClaim]) -> None:
    """Each project's quotas, by the rule of single claims, claim after claim."""
    by_project: dict[str, list[NewClaim]] = {}
    for new in news:
        by_project.setdefault(new.project_id, []).append(new)
    q = m.quotas.c
    for project_id, claims in sorted(by_project.items()):
        classes = sorted({cls for new in claims for _, cls, _ in new.allocations})
        query = sa.select(q.resource_class, q.limit_amount).where(
            q.project_id == project_id, q.resource_class.in_(classes)
        )
        if writer.locks_rows:
            query = query.order_by(q.resource_class).with_for_update()
        for cls, limit in connection.execute(query).all():
            asked = [(new, sum(n for _, k, n in new.allocations if k == cls)) for new in claims]
            asked = [(new, amount) for new, amount in asked if amount]
            mine = sa.and_(a.project_id == project_id, a.resource_class == cls)
            claimed = connection.execute(sa.select(sa.func.coalesce(sa.func.sum(a.amount), 0)).where(mine)).scalar_one()
            if int(claimed) + sum(amount for _, amount in asked) <= limit:
                continue
            intervals: list[Interval] = [
                (row.start_at, row.end_at, row.amount)
                for row in connection.execute(sa.select(a.start_at, a.end_at, a.amount).where(mine))
            ]
            for new, amount in asked:
                peak = peak_usage(intervals, new.span.start, new.span.end)
                if peak + amount > limit:
                    with item("claim", new.index):
                        raise ResourceExhausted(
                            f"project quota for {cls} is {limit}: up to {peak} already claimed, {amount} asked",
                            reason="QUOTA_EXCEEDED",
                            metadata={"class": cls, "limit": str(limit), "used": str(peak), "amount": str(amount)},
                        )
                intervals.append((new.span.start, new.span.end, amount))


def _insert(connection: sa.Connection, news: Sequence[NewClaim], ids: Mapping[str, int], now: int) -> None:
    _insert_rows(
        connection,
        m.consumers,
        ("uuid", "project_id", "kind", "generation", "start_at", "end_at", "created_at", "updated_at"),
        [(new.consumer_uuid, new.project_id, new.kind, 1, new.span.start, new.span.end, now, now) for new in news],
    )
    wanted = {(new.project_id, new.consumer_uuid) for new in news}
    consumer_ids = {
        (row.project_id, row.uuid): row.id
        for row in _consumers_named(connection, {new.consumer_uuid for new in news})
        if (row.project_id, row.uuid) in wanted
    }
    _insert_rows(
        connection,
        m.allocations,
        ("consumer_id", "provider_id", "resource_class", "amount", "start_at", "end_at", "project_id", "windowed"),
        [
            (
                consumer_ids[(new.project_id, new.consumer_uuid)],
                ids[uuid],
                cls,
                amount,
                new.span.start,
                new.span.end,
                new.project_id,
                bool(_windowed(new.span, now)),
            )
            for new in news
            for uuid, cls, amount in new.allocations
        ],
    )


def _insert_rows(
    connection: sa.Connection, table: sa.Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Rows straight to the driver: for a batch's hundreds of thousands of
    values, SQLAlchemy's per-row parameter handling costs more than the
    database's work, and so do psycopg's per-row statements, which COPY
    replaces. Every value is a plain int, str, bool or None, which both
    drivers take as they are."""
    if not rows:
        return
    names = ", ".join(columns)
    if connection.dialect.driver == "psycopg":
        statement = f"COPY {table.name} ({names}) FROM STDIN"
        driver = connection.connection.driver_connection
        try:
            with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
        except connection.dialect.loaded_dbapi.IntegrityError as error:
            # As SQLAlchemy reports it for its own statements: callers turn it into AlreadyExists.
            raise sa.exc.IntegrityError(statement, None, error) from error
        return
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)  # noqa: S608
