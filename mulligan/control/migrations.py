"""Schema steps of the control module (tables prefixed `control_`)."""

from __future__ import annotations

import sqlalchemy as sa

from mulligan.migrate import Migrations, Step


def _create_tasks(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "control_tasks",
        metadata,
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        # The host or machine the task works on; by UUID, never a foreign key.
        sa.Column("target_id", sa.Uuid, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(255), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_control_tasks"),
        sa.CheckConstraint(
            "state IN ('queued', 'leased', 'succeeded', 'failed', 'cancelled')", name="ck_control_tasks_state"
        ),
        sa.CheckConstraint("attempts >= 0", name="ck_control_tasks_attempts"),
        sa.CheckConstraint("max_attempts >= 1", name="ck_control_tasks_max_attempts"),
        sa.CheckConstraint(
            "state <> 'leased' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)",
            name="ck_control_tasks_lease",
        ),
        # "Next runnable task": queued ones by due time, and expired leases.
        sa.Index("ix_control_tasks_state_not_before", "state", "not_before", "created_at", "id"),
        sa.Index("ix_control_tasks_state_lease_expires_at", "state", "lease_expires_at", "id"),
        # Tasks of one target run in order; also serves listing a target's tasks.
        sa.Index("ix_control_tasks_target_id_state", "target_id", "state"),
    )
    metadata.create_all(connection)


MIGRATIONS = Migrations("control", [Step(1, "create the task queue table", _create_tasks)])
