"""Tables of the control module, as typed SQLAlchemy models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from mulligan.db import UtcDateTime


class Base(orm.DeclarativeBase):
    pass


class ControlTask(Base):
    """One unit of work for the executors (see :mod:`mulligan.control.tasks`)."""

    __tablename__ = "control_tasks"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    target_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(16))
    attempts: Mapped[int] = mapped_column(sa.Integer)
    max_attempts: Mapped[int] = mapped_column(sa.Integer)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(sa.String(255))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HostRow(Base):
    __tablename__ = "control_hosts"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    region_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    uri: Mapped[str | None] = mapped_column(sa.String(1024))
    bmc_address: Mapped[str | None] = mapped_column(sa.String(255))
    bmc_port: Mapped[int | None] = mapped_column(sa.Integer)
    bmc_username: Mapped[str | None] = mapped_column(sa.String(255))
    bmc_password: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    state: Mapped[str] = mapped_column(sa.String(16))
    enabled: Mapped[bool] = mapped_column(sa.Boolean)
    error: Mapped[str | None] = mapped_column(sa.Text)
    facts: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    inspected_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    bmc_protocol: Mapped[str | None] = mapped_column(sa.String(16))
    bmc_tls: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    bmc_verify_tls: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    bmc_ca_pem: Mapped[str | None] = mapped_column(sa.Text)
    bmc_timeout_s: Mapped[float | None] = mapped_column(sa.Float)
    bmc_retries: Mapped[int | None] = mapped_column(sa.Integer)
    declared: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    power_state: Mapped[str | None] = mapped_column(sa.String(16))
    power_target: Mapped[str | None] = mapped_column(sa.String(16))
    power_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    power_failures: Mapped[int] = mapped_column(sa.Integer, default=0)
    maintenance: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    maintenance_reason: Mapped[str | None] = mapped_column(sa.Text)
    maintenance_auto: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class ImageRow(Base):
    __tablename__ = "control_images"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    project_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    format: Mapped[str] = mapped_column(sa.String(16))
    source: Mapped[str] = mapped_column(sa.String(1024))
    size_gb: Mapped[int] = mapped_column(sa.Integer)
    os_hints: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MachineRow(Base):
    __tablename__ = "control_machines"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    kind: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(16))
    error: Mapped[str | None] = mapped_column(sa.Text)
    vcpus: Mapped[int] = mapped_column(sa.Integer)
    memory_mb: Mapped[int] = mapped_column(sa.Integer)
    disk_gb: Mapped[int] = mapped_column(sa.Integer)
    image_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    host_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    region_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    network: Mapped[str | None] = mapped_column(sa.String(255))
    ssh_keys: Mapped[list[str]] = mapped_column(sa.JSON)
    user_data: Mapped[str] = mapped_column(sa.Text)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime)
    window_end: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    step: Mapped[str | None] = mapped_column(sa.String(32))
    step_deadline: Mapped[datetime | None] = mapped_column(UtcDateTime)


class BootJobRow(Base):
    """What a node's deploy ramdisk is to do, reached with one secret token
    (see :mod:`mulligan.control.boot_jobs`)."""

    __tablename__ = "control_boot_jobs"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    host_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    task_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    # SHA-256 of the token: the token itself is never stored.
    token_digest: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(16))
    macs: Mapped[list[str]] = mapped_column(sa.JSON)
    settings: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    image_path: Mapped[str | None] = mapped_column(sa.String(4096))
    config_drive: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    report: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
