"""Tables of the iam module, as typed SQLAlchemy models."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from mulligan.db import UtcDateTime


class Base(orm.DeclarativeBase):
    pass


class AccountRow(Base):
    __tablename__ = "iam_accounts"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    secret_hash: Mapped[str | None] = mapped_column(sa.String(64))
    project_id: Mapped[str | None] = mapped_column(sa.String(36))
    creator_id: Mapped[str | None] = mapped_column(sa.String(36))
    display_name: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str] = mapped_column(sa.String(1024))
    disabled: Mapped[bool] = mapped_column(sa.Boolean)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProjectRow(Base):
    __tablename__ = "iam_projects"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    description: Mapped[str] = mapped_column(sa.String(1024))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RoleAssignmentRow(Base):
    __tablename__ = "iam_role_assignments"

    account_id: Mapped[str] = mapped_column(sa.String(36), sa.ForeignKey("iam_accounts.id"), primary_key=True)
    # A project id, or SYSTEM_SCOPE.
    scope: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SigningKeyRow(Base):
    __tablename__ = "iam_signing_keys"

    key_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(sa.String(16))
    private_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    public_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    verify_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


class BootstrapRow(Base):
    __tablename__ = "iam_bootstrap"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    account_id: Mapped[str] = mapped_column(sa.String(36))
    project_id: Mapped[str] = mapped_column(sa.String(36))
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class BootstrapSecretRow(Base):
    __tablename__ = "iam_bootstrap_secrets"

    secret_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
