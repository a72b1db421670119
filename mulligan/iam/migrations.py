"""Schema steps of the iam module (tables prefixed `iam_`)."""

from __future__ import annotations

import sqlalchemy as sa

from mulligan.migrate import Migrations, Step


def _initial_schema(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "iam_accounts",
        metadata,
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("secret_hash", sa.String(64), nullable=True),
        sa.Column("project_id", sa.String(36), nullable=True),
        sa.Column("creator_id", sa.String(36), nullable=True),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("description", sa.String(1024), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_iam_accounts"),
        sa.CheckConstraint("kind IN ('user', 'application_credential')", name="ck_iam_accounts_kind"),
        sa.Index("ix_iam_accounts_project_id", "project_id"),
    )
    sa.Table(
        "iam_projects",
        metadata,
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("description", sa.String(1024), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_iam_projects"),
    )
    sa.Table(
        "iam_role_assignments",
        metadata,
        sa.Column("account_id", sa.String(36), nullable=False),
        # A project id, or "system" for a system-wide assignment.
        sa.Column("scope", sa.String(36), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "scope", "role", name="pk_iam_role_assignments"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["iam_accounts.id"], name="fk_iam_role_assignments_account_id", ondelete="CASCADE"
        ),
        sa.CheckConstraint("role IN ('admin', 'member', 'reader')", name="ck_iam_role_assignments_role"),
        sa.Index("ix_iam_role_assignments_scope", "scope"),
    )
    sa.Table(
        "iam_signing_keys",
        metadata,
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("algorithm", sa.String(16), nullable=False),
        sa.Column("private_key", sa.LargeBinary, nullable=False),
        sa.Column("public_key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verify_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_iam_signing_keys"),
    )
    # One row once bootstrap has happened: its primary key makes a second,
    # racing bootstrap fail inside the database.
    sa.Table(
        "iam_bootstrap",
        metadata,
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_iam_bootstrap"),
        sa.CheckConstraint("id = 1", name="ck_iam_bootstrap_single_row"),
    )
    sa.Table(
        "iam_bootstrap_secrets",
        metadata,
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("secret_hash", name="pk_iam_bootstrap_secrets"),
    )
    metadata.create_all(connection)


MIGRATIONS = Migrations("iam", [Step(1, "accounts, projects, roles, signing keys, bootstrap", _initial_schema)])
