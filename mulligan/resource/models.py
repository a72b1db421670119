"""Tables of the resource module, as typed SQLAlchemy models.

Providers, groups and consumers have an integer key used inside the module
(joins and indexes on small integers are what keep candidate queries fast)
and a UUID that is the only identity shown outside it.
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column


class Base(orm.DeclarativeBase):
    pass


class RegionRow(Base):
    __tablename__ = "resource_regions"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(sa.String(36), sa.ForeignKey("resource_regions.id"))
    visibility: Mapped[str] = mapped_column(sa.String(16))
    attributes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[int] = mapped_column(sa.BigInteger)


class ResourceClassRow(Base):
    __tablename__ = "resource_classes"
    code: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    created_at: Mapped[int] = mapped_column(sa.BigInteger)


class TraitRow(Base):
    __tablename__ = "resource_traits"
    code: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    created_at: Mapped[int] = mapped_column(sa.BigInteger)


class ProviderRow(Base):
    __tablename__ = "resource_providers"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    region_id: Mapped[str] = mapped_column(sa.String(36), sa.ForeignKey("resource_regions.id"))
    parent_id: Mapped[int | None] = mapped_column(sa.Integer, sa.ForeignKey("resource_providers.id"))
    root_id: Mapped[int | None] = mapped_column(sa.Integer)
    generation: Mapped[int] = mapped_column(sa.Integer)
    named: Mapped[bool] = mapped_column(sa.Boolean)
    created_at: Mapped[int] = mapped_column(sa.BigInteger)
    updated_at: Mapped[int] = mapped_column(sa.BigInteger)


class InventoryRow(Base):
    __tablename__ = "resource_inventories"
    # Stored in key order on SQLite (migration step 4).
    __table_args__ = {"sqlite_with_rowid": False}
    provider_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_providers.id", ondelete="CASCADE"), primary_key=True
    )
    resource_class: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    total: Mapped[int] = mapped_column(sa.BigInteger)
    reserved: Mapped[int] = mapped_column(sa.BigInteger)
    min_unit: Mapped[int] = mapped_column(sa.BigInteger)
    max_unit: Mapped[int] = mapped_column(sa.BigInteger)
    step_size: Mapped[int] = mapped_column(sa.BigInteger)
    allocation_ratio: Mapped[float] = mapped_column(sa.Float)
    capacity: Mapped[int] = mapped_column(sa.BigInteger)
    claimed: Mapped[int] = mapped_column(sa.BigInteger)
    free: Mapped[int] = mapped_column(sa.BigInteger)
    windowed: Mapped[int] = mapped_column(sa.Integer)


class ProviderTraitRow(Base):
    __tablename__ = "resource_provider_traits"
    provider_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_providers.id", ondelete="CASCADE"), primary_key=True
    )
    trait: Mapped[str] = mapped_column(sa.String(255), primary_key=True)


class GroupRow(Base):
    __tablename__ = "resource_groups"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    named: Mapped[bool] = mapped_column(sa.Boolean)
    created_at: Mapped[int] = mapped_column(sa.BigInteger)


class GroupMemberRow(Base):
    __tablename__ = "resource_group_members"
    provider_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_providers.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_groups.id", ondelete="CASCADE"), primary_key=True
    )


class SharingRow(Base):
    __tablename__ = "resource_sharing"
    provider_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_providers.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_groups.id", ondelete="CASCADE"), primary_key=True
    )


class DistanceRow(Base):
    __tablename__ = "resource_distances"
    provider_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_providers.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_providers.id", ondelete="CASCADE"), primary_key=True
    )
    distance: Mapped[int] = mapped_column(sa.BigInteger)


class ConsumerRow(Base):
    __tablename__ = "resource_consumers"
    # A consumer id is unique within its project only.
    __table_args__ = (sa.UniqueConstraint("uuid", "project_id", name="uq_resource_consumers_uuid_project"),)
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    project_id: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(64))
    generation: Mapped[int] = mapped_column(sa.Integer)
    start_at: Mapped[int] = mapped_column(sa.BigInteger)
    end_at: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[int] = mapped_column(sa.BigInteger)
    updated_at: Mapped[int] = mapped_column(sa.BigInteger)
    owner: Mapped[str | None] = mapped_column(sa.String(32))


class AllocationRow(Base):
    __tablename__ = "resource_allocations"
    consumer_id: Mapped[int] = mapped_column(
        sa.Integer, sa.ForeignKey("resource_consumers.id", ondelete="CASCADE"), primary_key=True
    )
    provider_id: Mapped[int] = mapped_column(sa.Integer, sa.ForeignKey("resource_providers.id"), primary_key=True)
    resource_class: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    start_at: Mapped[int] = mapped_column(sa.BigInteger)
    end_at: Mapped[int | None] = mapped_column(sa.BigInteger)
    project_id: Mapped[str] = mapped_column(sa.String(64))
    windowed: Mapped[bool] = mapped_column(sa.Boolean)


class QuotaRow(Base):
    __tablename__ = "resource_quotas"
    project_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    resource_class: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    limit_amount: Mapped[int] = mapped_column(sa.BigInteger)


# Core tables for the hot paths, where ORM object overhead would dominate.
regions = cast(sa.Table, RegionRow.__table__)
resource_classes = cast(sa.Table, ResourceClassRow.__table__)
traits = cast(sa.Table, TraitRow.__table__)
providers = cast(sa.Table, ProviderRow.__table__)
inventories = cast(sa.Table, InventoryRow.__table__)
provider_traits = cast(sa.Table, ProviderTraitRow.__table__)
groups = cast(sa.Table, GroupRow.__table__)
group_members = cast(sa.Table, GroupMemberRow.__table__)
sharing = cast(sa.Table, SharingRow.__table__)
distances = cast(sa.Table, DistanceRow.__table__)
consumers = cast(sa.Table, ConsumerRow.__table__)
allocations = cast(sa.Table, AllocationRow.__table__)
quotas = cast(sa.Table, QuotaRow.__table__)
