"""Inventories: validation of what operators set, and changes that never
take capacity away from claims already made."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import FailedPrecondition, InvalidArgument
from mulligan.resource import models as m
from mulligan.resource.intervals import peak_usage
from mulligan.resource.types import Inventory, InventorySpec

MAX_AMOUNT = 2**53
MAX_RATIO = 1_000_000.0


@dataclass(frozen=True)
class ValidInventory:
    resource_class: str
    total: int
    reserved: int
    min_unit: int
    max_unit: int
    step_size: int
    allocation_ratio: float

    @property
    def capacity(self) -> int:
        return capacity_of(self.total, self.reserved, self.allocation_ratio)


def capacity_of(total: int, reserved: int, allocation_ratio: float) -> int:
    # The epsilon keeps e.g. 10 x 1.1 from landing just below 11.
    return max(0, math.floor((total - reserved) * allocation_ratio + 1e-9))


def _bad(message: str, spec: InventorySpec) -> InvalidArgument:
    return InvalidArgument(
        f"{spec.resource_class} inventory: {message}",
        reason="INVALID_INVENTORY",
        metadata={"class": spec.resource_class[:64]},
    )


def validate(spec: InventorySpec) -> ValidInventory:
    max_unit = spec.total if spec.max_unit is None else spec.max_unit
    for field, value in (
        ("total", spec.total),
        ("reserved", spec.reserved),
        ("min_unit", spec.min_unit),
        ("max_unit", max_unit),
        ("step_size", spec.step_size),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT:
            raise _bad(f"{field} must be a whole number from 0 to 2^53, got {value!r}", spec)
    if spec.total < 1:
        raise _bad("total must be at least 1", spec)
    if spec.reserved > spec.total:
        raise _bad(f"reserved ({spec.reserved}) exceeds total ({spec.total})", spec)
    if spec.min_unit < 1 or max_unit < 1 or spec.step_size < 1:
        raise _bad("min_unit, max_unit and step_size must be at least 1", spec)
    if spec.min_unit > max_unit:
        raise _bad(f"min_unit ({spec.min_unit}) exceeds max_unit ({max_unit})", spec)
    ratio = spec.allocation_ratio
    if not isinstance(ratio, int | float) or not math.isfinite(ratio) or not 0 < ratio <= MAX_RATIO:
        raise _bad(f"allocation_ratio must be above 0 and at most {MAX_RATIO:g}, got {ratio!r}", spec)
    return ValidInventory(
        spec.resource_class, spec.total, spec.reserved, spec.min_unit, max_unit, spec.step_size, float(ratio)
    )


def validate_all(specs: Sequence[InventorySpec]) -> list[ValidInventory]:
    seen: set[str] = set()
    valid = []
    for spec in specs:
        if spec.resource_class in seen:
            raise _bad("listed twice", spec)
        seen.add(spec.resource_class)
        valid.append(validate(spec))
    return valid


def row_values(provider_id: int, inv: ValidInventory, claimed: int = 0) -> dict[str, object]:
    capacity = inv.capacity
    return {
        "provider_id": provider_id,
        "resource_class": inv.resource_class,
        "total": inv.total,
        "reserved": inv.reserved,
        "min_unit": inv.min_unit,
        "max_unit": inv.max_unit,
        "step_size": inv.step_size,
        "allocation_ratio": inv.allocation_ratio,
        "capacity": capacity,
        "claimed": claimed,
        "free": capacity - claimed,
        "windowed": 0,
    }


def peak_from(session: orm.Session, provider_id: int, resource_class: str, now: int) -> int:
    """The highest usage of (provider, class) at any instant from now on."""
    a = m.allocations.c
    rows = session.execute(
        sa.select(a.start_at, a.end_at, a.amount).where(
            a.provider_id == provider_id,
            a.resource_class == resource_class,
            sa.or_(a.end_at.is_(None), a.end_at > now),
        )
    )
    return peak_usage(((row.start_at, row.end_at, row.amount) for row in rows), now, None)


def apply(session: orm.Session, provider_id: int, specs: Sequence[ValidInventory], *, replace: bool, now: int) -> None:
    """Upsert specs (and with replace, drop unlisted classes); provider row locked by the caller."""
    i = m.inventories.c
    existing = {
        row.resource_class: row for row in session.execute(sa.select(m.inventories).where(i.provider_id == provider_id))
    }
    for spec in specs:
        row = existing.get(spec.resource_class)
        if row is None:
            session.execute(sa.insert(m.inventories).values(row_values(provider_id, spec)))
            continue
        if row.claimed > 0 and spec.capacity < row.capacity:
            peak = peak_from(session, provider_id, spec.resource_class, now)
            if spec.capacity < peak:
                raise FailedPrecondition(
                    f"{spec.resource_class} capacity would drop to {spec.capacity} but claims use up to {peak}",
                    reason="INVENTORY_IN_USE",
                    metadata={"class": spec.resource_class, "capacity": str(spec.capacity), "used": str(peak)},
                )
        values = row_values(provider_id, spec, row.claimed)
        values["windowed"] = row.windowed
        # free is capacity minus the highest usage ahead; that usage is unchanged.
        values["free"] = spec.capacity - (row.capacity - row.free)
        session.execute(
            sa.update(m.inventories)
            .where(i.provider_id == provider_id, i.resource_class == spec.resource_class)
            .values(values)
        )
    if replace:
        listed = {spec.resource_class for spec in specs}
        for resource_class in sorted(set(existing) - listed):
            delete(session, provider_id, resource_class)


def delete(session: orm.Session, provider_id: int, resource_class: str) -> None:
    a = m.allocations.c
    used = session.execute(
        sa.select(a.consumer_id).where(a.provider_id == provider_id, a.resource_class == resource_class).limit(1)
    ).first()
    if used is not None:
        raise FailedPrecondition(
            f"{resource_class} inventory has claims: release them first",
            reason="INVENTORY_IN_USE",
            metadata={"class": resource_class},
        )
    i = m.inventories.c
    session.execute(sa.delete(m.inventories).where(i.provider_id == provider_id, i.resource_class == resource_class))


def to_domain(row: sa.Row[tuple[object, ...]] | m.InventoryRow) -> Inventory:
    return Inventory(
        resource_class=row.resource_class,
        total=row.total,
        reserved=row.reserved,
        min_unit=row.min_unit,
        max_unit=row.max_unit,
        step_size=row.step_size,
        allocation_ratio=row.allocation_ratio,
        capacity=row.capacity,
        claimed=row.claimed,
    )
