"""Claims: amounts of classes from providers to a consumer over a window.

The rule, checked under the provider row locks (see :mod:`writer`): at
every instant of the window, the claims overlapping that instant on a
(provider, class) plus the new amount stay within the inventory's capacity,
and each amount respects min_unit, max_unit and step_size.

Each inventory row keeps ``claimed``, the sum of all unreleased claims on
it, whatever their windows. It bounds the usage at any instant from now on,
so when ``claimed + amount <= capacity`` the claim fits without looking at
windows; only when it does not are the overlapping claims read and swept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import tenancy
from mulligan.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound, ResourceExhausted
from mulligan.resource import counters
from mulligan.resource import models as m
from mulligan.resource.intervals import peak_usage
from mulligan.resource.types import Allocation, Claim, Window
from mulligan.resource.usage import overlapping, window_peaks
from mulligan.resource.windows import Span, from_us, now_us, optional_from_us, resolve
from mulligan.resource.writer import Writer

_KIND = re.compile(r"[a-z][a-z0-9_-]{0,63}")
MAX_ALLOCATIONS = 1000

a = m.allocations.c
c = m.consumers.c
i = m.inventories.c


@dataclass(frozen=True)
class Want:
    """One allocation to make, with the provider's key already resolved."""

    provider_id: int
    provider_uuid: str
    resource_class: str
    amount: int


def check_kind(kind: str) -> str:
    if not _KIND.fullmatch(kind):
        raise InvalidArgument(
            f"consumer kind must be lower-case letters, digits, '_' or '-' (at most 64), got {kind[:64]!r}",
            reason="INVALID_KIND",
        )
    return kind


def check_amounts(items: Iterable[tuple[str, str, int]]) -> None:
    """Every amount positive, every (provider, class) once, not too many."""
    seen: set[tuple[str, str]] = set()
    for provider, resource_class, amount in items:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvalidArgument(
                f"amount of {resource_class} must be a positive whole number, got {amount!r}",
                reason="INVALID_AMOUNT",
                metadata={"class": resource_class[:64]},
            )
        if (provider, resource_class) in seen:
            raise InvalidArgument(
                f"{resource_class} from provider {provider} is listed twice", reason="DUPLICATE_ALLOCATION"
            )
        seen.add((provider, resource_class))
    if not seen:
        raise InvalidArgument("a claim needs at least one allocation", reason="EMPTY_CLAIM")
    if len(seen) > MAX_ALLOCATIONS:
        raise InvalidArgument(f"a claim has at most {MAX_ALLOCATIONS} allocations", reason="TOO_MANY_ALLOCATIONS")


@dataclass
class _Current:
    """A consumer's row and allocations as they are before a change."""

    row: sa.Row[tuple[object, ...]]
    allocations: list[sa.Row[tuple[object, ...]]]


@dataclass(frozen=True)
class Key:
    """Which claim a call means: a consumer id is unique within its project
    only, so the project may be needed too (only by a system admin, who sees
    several). An owner names the module managing the claim."""

    consumer_uuid: str
    project_id: str | None = None
    owner: str | None = None


def _load_consumer(session: orm.Session, writer: Writer, key: Key, lock: bool) -> _Current:
    row = _consumer_row(session, key, lock and writer.locks_rows)
    consumer_uuid, owner = key.consumer_uuid, key.owner
    if row.owner != owner:
        # A machine's claim changed behind control's back would leave the
        # machine running on capacity given back, and its project's usage low.
        raise FailedPrecondition(
            f"the claim of consumer {consumer_uuid} is managed by {row.owner}: change it through {row.owner}",
            reason="CLAIM_MANAGED",
            metadata={"owner": row.owner},
        )
    allocations = list(session.execute(sa.select(m.allocations).where(a.consumer_id == row.id)))
    return _Current(row, allocations)


def _consumer_row(session: orm.Session, key: Key, lock: bool) -> sa.Row[tuple[object, ...]]:
    # Another project's claim is looked for nowhere, so it answers as a
    # missing one would, whatever the rest of the request.
    query = sa.select(m.consumers).where(c.uuid == key.consumer_uuid)
    visible = tenancy.visible_projects()
    if visible is not None:
        query = query.where(c.project_id.in_(sorted(visible)))
    if key.project_id is not None:
        query = query.where(c.project_id == key.project_id)
    if key.owner is not None:
        query = query.where(c.owner == key.owner)
    rows = session.execute(query.limit(2).with_for_update() if lock else query.limit(2)).all()
    if not rows:
        raise NotFound(f"claim of consumer {key.consumer_uuid} not found", reason="CLAIM_NOT_FOUND")
    if len(rows) > 1:
        raise FailedPrecondition(
            f"consumer {key.consumer_uuid} holds claims in several projects: name the project",
            reason="CONSUMER_IN_SEVERAL_PROJECTS",
        )
    return rows[0]


def get(session: orm.Session, key: Key) -> Claim:
    """The claim key names, among those the caller may see, whoever manages it."""
    return to_domain(session, [_consumer_row(session, key, lock=False)])[0]


def create(
    session: orm.Session,
    writer: Writer,
    *,
    consumer_uuid: str,
    project_id: str,
    kind: str,
    wants: Sequence[Want],
    span: Span,
    now: int,
    owner: str | None = None,
) -> Claim:
    """A first claim for a consumer; a duplicate raises IntegrityError (the
    caller reports it as AlreadyExists)."""
    connection = session.connection()
    consumer_id = connection.execute(
        _INSERT_CONSUMER,
        {
            "uuid": consumer_uuid,
            "project_id": project_id,
            "kind": kind,
            "generation": 1,
            "start_at": span.start,
            "end_at": span.end,
            "created_at": now,
            "updated_at": now,
            "owner": owner,
        },
    ).scalar_one()
    before = _place(connection, writer, current=None, project_id=project_id, wants=wants, span=span, now=now)
    windowed = _insert(connection, consumer_id, project_id=project_id, wants=wants, span=span, now=now)
    added: dict[tuple[int, str], tuple[int, int]] = {}
    for want in wants:
        added[(want.provider_id, want.resource_class)] = (want.amount, int(windowed))
    counters.after_adding(connection, before, added, now)
    return Claim(
        consumer_id=consumer_uuid,
        project_id=project_id,
        kind=kind,
        generation=1,
        start=from_us(span.start),
        end=optional_from_us(span.end),
        allocations=tuple(Allocation(w.provider_uuid, w.resource_class, w.amount) for w in wants),
        created_at=from_us(now),
        owner=owner,
    )


def replace(
    session: orm.Session,
    writer: Writer,
    *,
    key: Key,
    generation: int | None,
    wants: Sequence[Want] | None,
    window: Window | None,
    now: int,
) -> Claim:
    """New allocations and/or a new window, all checked as one claim.

    A window without a start keeps the claim's.
    """
    current = _load_consumer(session, writer, key, lock=True)
    row = current.row
    consumer_uuid = key.consumer_uuid
    if generation is not None and generation != row.generation:
        raise Conflict(
            f"claim of consumer {consumer_uuid} changed (generation {row.generation}, expected {generation})",
            reason="GENERATION_MISMATCH",
            metadata={"generation": str(row.generation)},
        )
    if wants is None:
        uuids = dict(
            session.execute(
                sa.select(m.providers.c.id, m.providers.c.uuid).where(
                    m.providers.c.id.in_({al.provider_id for al in current.allocations})
                )
            ).all()
        )
        wants = [
            Want(al.provider_id, uuids[al.provider_id], al.resource_class, al.amount) for al in current.allocations
        ]
    if window is None:
        span = Span(max(row.start_at, now), row.end_at)
    else:
        if window.start is None:
            window = Window(from_us(max(row.start_at, now)), window.end)
        span = resolve(window, now)
    connection = session.connection()
    _place(connection, writer, current=current, project_id=row.project_id, wants=wants, span=span, now=now)
    _delete_allocations(connection, row.id, current.allocations)
    session.execute(
        sa.update(m.consumers)
        .where(c.id == row.id)
        .values(generation=row.generation + 1, start_at=span.start, end_at=span.end, updated_at=now)
    )
    _insert(connection, row.id, project_id=row.project_id, wants=wants, span=span, now=now)
    touched = {(w.provider_id, w.resource_class) for w in wants}
    touched |= {(al.provider_id, al.resource_class) for al in current.allocations}
    counters.refresh(connection, touched, now)
    return Claim(
        consumer_id=consumer_uuid,
        project_id=row.project_id,
        kind=row.kind,
        generation=row.generation + 1,
        start=from_us(span.start),
        end=optional_from_us(span.end),
        allocations=tuple(Allocation(w.provider_uuid, w.resource_class, w.amount) for w in wants),
        created_at=from_us(row.created_at),
        owner=row.owner,
    )


def release(session: orm.Session, writer: Writer, key: Key) -> None:
    current = _load_consumer(session, writer, key, lock=True)
    writer.lock_providers(session, (al.provider_id for al in current.allocations))
    _delete_allocations(session.connection(), current.row.id, current.allocations)
    session.execute(sa.delete(m.consumers).where(c.id == current.row.id))
    counters.refresh(session, {(al.provider_id, al.resource_class) for al in current.allocations}, now_us())


def _place(
    connection: sa.Connection,
    writer: Writer,
    *,
    current: _Current | None,
    project_id: str,
    wants: Sequence[Want],
    span: Span,
    now: int,
) -> dict[tuple[int, str], counters.Before]:
    """Check the claim under locks; raise without changing anything if it does not fit.

    Returns the counters of the inventories claimed from, as read under the lock.
    """
    old = current.allocations if current else []
    own_consumer = current.row.id if current else None
    existing = writer.lock_providers(connection, [w.provider_id for w in wants] + [al.provider_id for al in old])
    inventories = {
        (row.provider_id, row.resource_class): row
        for row in connection.execute(_INVENTORIES, {"ids": sorted({w.provider_id for w in wants})})
    }
    own = {(al.provider_id, al.resource_class): al.amount for al in old}
    precise: list[Want] = []
    for want in wants:
        if existing is not None and want.provider_id not in existing:
            raise NotFound(f"provider {want.provider_uuid} not found", reason="PROVIDER_NOT_FOUND")
        key = (want.provider_id, want.resource_class)
        inv = inventories.get(key)
        if inv is None:
            raise FailedPrecondition(
                f"provider {want.provider_uuid} has no {want.resource_class} inventory",
                reason="NO_INVENTORY",
                metadata={"provider": want.provider_uuid, "class": want.resource_class},
            )
        check_units(want, inv.min_unit, inv.max_unit, inv.step_size)
        if inv.free < want.amount and inv.claimed - own.get(key, 0) + want.amount > inv.capacity:
            precise.append(want)
    if precise:
        peaks = window_peaks(connection, {(w.provider_id, w.resource_class) for w in precise}, span, own_consumer)
        for want in precise:
            key = (want.provider_id, want.resource_class)
            capacity, peak = inventories[key].capacity, peaks[key]
            if peak + want.amount > capacity:
                raise ResourceExhausted(
                    f"not enough {want.resource_class} on provider {want.provider_uuid} over the window: "
                    f"capacity {capacity}, up to {peak} already claimed, {want.amount} asked",
                    reason="INSUFFICIENT_CAPACITY",
                    metadata={
                        "provider": want.provider_uuid,
                        "class": want.resource_class,
                        "capacity": str(capacity),
                        "used": str(peak),
                        "amount": str(want.amount),
                    },
                )
    _check_quotas(connection, writer, project_id=project_id, wants=wants, span=span, own_consumer=own_consumer)
    return {key: counters.Before(row.capacity, row.claimed, row.free, row.windowed) for key, row in inventories.items()}


def check_units(want: Want, min_unit: int, max_unit: int, step_size: int) -> None:
    if want.amount < min_unit or want.amount > max_unit:
        raise InvalidArgument(
            f"{want.resource_class} on provider {want.provider_uuid} is claimed in amounts from "
            f"{min_unit} to {max_unit}, got {want.amount}",
            reason="AMOUNT_OUT_OF_RANGE",
            metadata={"class": want.resource_class, "min_unit": str(min_unit), "max_unit": str(max_unit)},
        )
    if want.amount % step_size:
        raise InvalidArgument(
            f"{want.resource_class} on provider {want.provider_uuid} is claimed in steps of {step_size}, "
            f"got {want.amount}",
            reason="AMOUNT_NOT_A_STEP",
            metadata={"class": want.resource_class, "step_size": str(step_size)},
        )


def _check_quotas(
    connection: sa.Connection,
    writer: Writer,
    *,
    project_id: str,
    wants: Sequence[Want],
    span: Span,
    own_consumer: int | None,
) -> None:
    totals: dict[str, int] = {}
    for want in wants:
        totals[want.resource_class] = totals.get(want.resource_class, 0) + want.amount
    # Under PostgreSQL the quota rows are locked: claims of one project on
    # different providers serialise here.
    query = _QUOTAS_LOCKED if writer.locks_rows else _QUOTAS
    for resource_class, limit in connection.execute(query, {"project": project_id, "classes": sorted(totals)}).all():
        others = a.consumer_id != own_consumer if own_consumer is not None else sa.true()
        claimed = connection.execute(
            sa.select(sa.func.coalesce(sa.func.sum(a.amount), 0)).where(
                a.project_id == project_id, a.resource_class == resource_class, others
            )
        ).scalar_one()
        asked = totals[resource_class]
        if int(claimed) + asked <= limit:
            continue
        rows = connection.execute(
            sa.select(a.start_at, a.end_at, a.amount).where(
                a.project_id == project_id, a.resource_class == resource_class, others, overlapping(span)
            )
        )
        peak = peak_usage(((r.start_at, r.end_at, r.amount) for r in rows), span.start, span.end)
        if peak + asked > limit:
            raise ResourceExhausted(
                f"project quota for {resource_class} is {limit}: up to {peak} already claimed, {asked} asked",
                reason="QUOTA_EXCEEDED",
                metadata={"class": resource_class, "limit": str(limit), "used": str(peak), "amount": str(asked)},
            )


def _insert(
    connection: sa.Connection, consumer_id: int, *, project_id: str, wants: Sequence[Want], span: Span, now: int
) -> bool:
    """Insert the allocation rows; return whether they are windowed."""
    windowed = span.end is not None or span.start > now
    connection.execute(
        _INSERT_ALLOCATIONS,
        [
            {
                "consumer_id": consumer_id,
                "provider_id": w.provider_id,
                "resource_class": w.resource_class,
                "amount": w.amount,
                "start_at": span.start,
                "end_at": span.end,
                "project_id": project_id,
                "windowed": windowed,
            }
            for w in wants
        ],
    )
    return windowed


def _delete_allocations(connection: sa.Connection, consumer_id: int, old: Sequence[sa.Row[tuple[object, ...]]]) -> None:
    if not old:
        return
    connection.execute(sa.delete(m.allocations).where(a.consumer_id == consumer_id))


_INSERT_CONSUMER = sa.insert(m.consumers).returning(c.id)
_INSERT_ALLOCATIONS = sa.insert(m.allocations)
_INVENTORIES = sa.select(
    i.provider_id, i.resource_class, i.capacity, i.claimed, i.free, i.windowed, i.min_unit, i.max_unit, i.step_size
).where(i.provider_id.in_(sa.bindparam("ids", expanding=True)))
_QUOTAS = (
    sa.select(m.quotas.c.resource_class, m.quotas.c.limit_amount)
    .where(
        m.quotas.c.project_id == sa.bindparam("project"),
        m.quotas.c.resource_class.in_(sa.bindparam("classes", expanding=True)),
    )
    .order_by(m.quotas.c.resource_class)
)
_QUOTAS_LOCKED = _QUOTAS.with_for_update()


def expire(session: orm.Session, writer: Writer, now: int, batch: int) -> int:
    """Release up to batch claims whose window ended; return how many."""
    ids = list(session.scalars(sa.select(c.id).where(c.end_at <= now).order_by(c.id).limit(batch)))
    if not ids:
        return 0
    writer.lock_consumers(session, ids)
    # Under the lock, a concurrent release may already have removed some.
    ids = list(session.scalars(sa.select(c.id).where(c.id.in_(ids), c.end_at <= now)))
    old = list(session.execute(sa.select(m.allocations).where(a.consumer_id.in_(ids))))
    writer.lock_providers(session, (al.provider_id for al in old))
    session.execute(sa.delete(m.allocations).where(a.consumer_id.in_(ids)))
    session.execute(sa.delete(m.consumers).where(c.id.in_(ids)))
    # Counters look ahead from the real present, whatever moment expiry was asked about.
    counters.refresh(session, {(al.provider_id, al.resource_class) for al in old}, now_us())
    return len(ids)


def settle_started(session: orm.Session, writer: Writer, now: int, batch: int) -> int:
    """Open-ended reservations whose start has come now cover every instant
    from now on, like claims made now: mark them so the quick check applies."""
    started = list(
        session.execute(
            sa.select(a.consumer_id, a.provider_id, a.resource_class)
            .where(a.windowed.is_(True), a.end_at.is_(None), a.start_at <= now)
            .limit(batch)
        )
    )
    if not started:
        return 0
    writer.lock_providers(session, (row.provider_id for row in started))
    changed = 0
    for row in started:
        result = session.execute(
            sa.update(m.allocations)
            .where(
                a.consumer_id == row.consumer_id,
                a.provider_id == row.provider_id,
                a.resource_class == row.resource_class,
                a.windowed.is_(True),
            )
            .values(windowed=False)
        )
        changed += result.rowcount  # type: ignore[attr-defined]
    counters.refresh(session, {(row.provider_id, row.resource_class) for row in started}, now_us())
    return changed


def to_domain(session: orm.Session, rows: Sequence[sa.Row[tuple[object, ...]] | m.ConsumerRow]) -> list[Claim]:
    if not rows:
        return []
    by_consumer: dict[int, list[Allocation]] = {row.id: [] for row in rows}
    query = (
        sa.select(a.consumer_id, m.providers.c.uuid, a.resource_class, a.amount)
        .join(m.providers, m.providers.c.id == a.provider_id)
        .where(a.consumer_id.in_(list(by_consumer)))
        .order_by(a.consumer_id, m.providers.c.id, a.resource_class)
    )
    for consumer_id, provider_uuid, resource_class, amount in session.execute(query):
        by_consumer[consumer_id].append(Allocation(provider_uuid, resource_class, amount))
    return [
        Claim(
            consumer_id=row.uuid,
            project_id=row.project_id,
            kind=row.kind,
            generation=row.generation,
            start=from_us(row.start_at),
            end=optional_from_us(row.end_at),
            allocations=tuple(by_consumer[row.id]),
            created_at=from_us(row.created_at),
            owner=row.owner,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ClaimFilter:
    consumer_uuid: str | None = None
    provider_id: int | None = None
    projects: frozenset[str] | None = None
    # Claims whose window overlaps [start, end).
    span: Span | None = None


def list_rows(session: orm.Session, where: ClaimFilter, limit: int, after: int) -> list[sa.Row[tuple[object, ...]]]:
    query = sa.select(m.consumers).where(c.id > after)
    if where.consumer_uuid is not None:
        query = query.where(c.uuid == where.consumer_uuid)
    if where.projects is not None:
        query = query.where(c.project_id.in_(sorted(where.projects)))
    if where.provider_id is not None:
        query = query.where(sa.exists().where(a.consumer_id == c.id, a.provider_id == where.provider_id))
    if where.span is not None:
        condition = sa.or_(c.end_at.is_(None), c.end_at > where.span.start)
        if where.span.end is not None:
            condition = sa.and_(condition, c.start_at < where.span.end)
        query = query.where(condition)
    return list(session.execute(query.order_by(c.id).limit(limit)))
