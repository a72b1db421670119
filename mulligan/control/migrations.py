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


def _create_hosts_images_machines(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "control_hosts",
        metadata,
        # Also the UUID of the host's resource provider.
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("region_id", sa.Uuid, nullable=False),
        sa.Column("uri", sa.String(1024), nullable=True),
        sa.Column("bmc_address", sa.String(255), nullable=True),
        sa.Column("bmc_port", sa.Integer, nullable=True),
        sa.Column("bmc_username", sa.String(255), nullable=True),
        sa.Column("bmc_password", sa.LargeBinary, nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_control_hosts"),
        sa.UniqueConstraint("uri", name="uq_control_hosts_uri"),
        sa.CheckConstraint("kind IN ('hypervisor', 'baremetal')", name="ck_control_hosts_kind"),
        sa.CheckConstraint("state IN ('enrolling', 'ready', 'error')", name="ck_control_hosts_state"),
    )
    sa.Table(
        "control_images",
        metadata,
        sa.Column("id", sa.Uuid, nullable=False),
        # NULL: a system image, visible to every project.
        sa.Column("project_id", sa.Uuid, nullable=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("size_gb", sa.Integer, nullable=False),
        sa.Column("os_hints", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_control_images"),
        sa.CheckConstraint("format IN ('qcow2', 'raw')", name="ck_control_images_format"),
        sa.CheckConstraint("size_gb >= 0", name="ck_control_images_size_gb"),
        sa.Index("ix_control_images_project_id", "project_id"),
    )
    sa.Table(
        "control_machines",
        metadata,
        # Also the consumer UUID of the machine's claim.
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("project_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("vcpus", sa.Integer, nullable=False),
        sa.Column("memory_mb", sa.Integer, nullable=False),
        sa.Column("disk_gb", sa.Integer, nullable=False),
        sa.Column("image_id", sa.Uuid, nullable=False),
        sa.Column("host_id", sa.Uuid, nullable=True),
        sa.Column("region_id", sa.Uuid, nullable=True),
        sa.Column("network", sa.String(255), nullable=True),
        sa.Column("ssh_keys", sa.JSON, nullable=False),
        sa.Column("user_data", sa.Text, nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_control_machines"),
        sa.CheckConstraint("kind IN ('vm', 'baremetal')", name="ck_control_machines_kind"),
        sa.CheckConstraint(
            "state IN ('requested', 'scheduled', 'reserved', 'provisioning', 'active', "
            "'decommissioning', 'decommissioned', 'error')",
            name="ck_control_machines_state",
        ),
        sa.CheckConstraint("vcpus > 0 AND memory_mb > 0 AND disk_gb >= 0", name="ck_control_machines_resources"),
        sa.Index("ix_control_machines_project_id_created_at", "project_id", "created_at", "id"),
        sa.Index("ix_control_machines_created_at", "created_at", "id"),
        sa.Index("ix_control_machines_host_id_state", "host_id", "state"),
        sa.Index("ix_control_machines_image_id_state", "image_id", "state"),
    )
    metadata.create_all(connection)


def _index_machines_by_state_and_age(connection: sa.Connection) -> None:
    # The sweep and the purge look for machines in one state, changed before a cut-off.
    table = sa.Table("control_machines", sa.MetaData(), autoload_with=connection)
    sa.Index("ix_control_machines_state_updated_at", table.c.state, table.c.updated_at).create(connection)


def _add_baremetal_columns(connection: sa.Connection) -> None:
    # Baremetal nodes: how to reach the BMC, what the operator declared, the
    # power state power sync last saw, and maintenance.
    columns: list[sa.Column[object]] = [
        sa.Column("bmc_protocol", sa.String(16), nullable=True),
        sa.Column("bmc_tls", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("bmc_verify_tls", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("bmc_ca_pem", sa.Text, nullable=True),
        sa.Column("bmc_timeout_s", sa.Float, nullable=True),
        sa.Column("bmc_retries", sa.Integer, nullable=True),
        sa.Column("declared", sa.JSON, nullable=True),
        sa.Column("power_state", sa.String(16), nullable=True),
        # What Mulligan last asked for: power sync corrects drift towards it.
        sa.Column("power_target", sa.String(16), nullable=True),
        sa.Column("power_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("power_failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("maintenance", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("maintenance_reason", sa.Text, nullable=True),
        # Set by power sync (cleared by it when the BMC answers again), not by an operator.
        sa.Column("maintenance_auto", sa.Boolean, nullable=False, server_default=sa.false()),
    ]
    preparer = connection.dialect.identifier_preparer
    for column in columns:
        ddl = sa.schema.CreateColumn(column).compile(dialect=connection.dialect)
        connection.execute(sa.text(f"ALTER TABLE {preparer.quote('control_hosts')} ADD COLUMN {ddl}"))
    table = sa.Table("control_hosts", sa.MetaData(), autoload_with=connection)
    # Power sync reads baremetal hosts only.
    sa.Index("ix_control_hosts_kind", table.c.kind).create(connection)


def _create_boot_jobs(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "control_boot_jobs",
        metadata,
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("host_id", sa.Uuid, nullable=False),
        sa.Column("task_id", sa.Uuid, nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("macs", sa.JSON, nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("image_path", sa.String(4096), nullable=True),
        sa.Column("config_drive", sa.LargeBinary, nullable=True),
        sa.Column("report", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_control_boot_jobs"),
        sa.UniqueConstraint("token_digest", name="uq_control_boot_jobs_token_digest"),
        sa.CheckConstraint("kind IN ('inspect', 'deploy', 'clean')", name="ck_control_boot_jobs_kind"),
        # A node boots for one job at a time: the open one is found by host.
        sa.Index("ix_control_boot_jobs_host_id_finished_at", "host_id", "finished_at"),
    ).create(connection)


def _add_machine_steps(connection: sa.Connection) -> None:
    # A baremetal deploy's step, and when a step that waits on the node gives up.
    preparer = connection.dialect.identifier_preparer
    for column in (
        sa.Column("step", sa.String(32), nullable=True),
        sa.Column("step_deadline", sa.DateTime(timezone=True), nullable=True),
    ):
        ddl = sa.schema.CreateColumn(column).compile(dialect=connection.dialect)
        connection.execute(sa.text(f"ALTER TABLE {preparer.quote('control_machines')} ADD COLUMN {ddl}"))


MIGRATIONS = Migrations(
    "control",
    [
        Step(1, "create the task queue table", _create_tasks),
        Step(2, "create the host, image and machine tables", _create_hosts_images_machines),
        Step(3, "index machines by state and last change", _index_machines_by_state_and_age),
        Step(4, "add BMC, power and maintenance columns to hosts", _add_baremetal_columns),
        Step(5, "create the boot job table", _create_boot_jobs),
        Step(6, "add deploy steps to machines", _add_machine_steps),
    ],
)
