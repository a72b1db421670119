"""Schema steps of the resource module (tables prefixed ``resource_``).

Times are integer microseconds since the Unix epoch (UTC): cheap to compare
and index on both SQLite and PostgreSQL. An open claim end is NULL.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.schema import SchemaItem

from mulligan.migrate import Migrations, Step

_CODE = 255
_UUID = 36
_PROJECT = 64


def _initial_schema(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "resource_regions",
        metadata,
        sa.Column("id", sa.String(_UUID), nullable=False),
        sa.Column("parent_id", sa.String(_UUID), nullable=True),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_resource_regions"),
        sa.ForeignKeyConstraint(["parent_id"], ["resource_regions.id"], name="fk_resource_regions_parent_id"),
        sa.Index("ix_resource_regions_parent_id", "parent_id"),
    )
    sa.Table(
        "resource_classes",
        metadata,
        sa.Column("code", sa.String(_CODE), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_resource_classes"),
    )
    sa.Table(
        "resource_traits",
        metadata,
        sa.Column("code", sa.String(_CODE), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_resource_traits"),
    )
    sa.Table(
        "resource_providers",
        metadata,
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(_UUID), nullable=False),
        sa.Column("region_id", sa.String(_UUID), nullable=False),
        sa.Column("parent_id", sa.Integer, nullable=True),
        # Set in the same transaction as the insert; NULL only inside it.
        sa.Column("root_id", sa.Integer, nullable=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("named", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_resource_providers"),
        sa.UniqueConstraint("uuid", name="uq_resource_providers_uuid"),
        sa.ForeignKeyConstraint(["region_id"], ["resource_regions.id"], name="fk_resource_providers_region_id"),
        sa.ForeignKeyConstraint(["parent_id"], ["resource_providers.id"], name="fk_resource_providers_parent_id"),
        sa.Index("ix_resource_providers_root_id", "root_id"),
        sa.Index("ix_resource_providers_parent_id", "parent_id"),
        sa.Index("ix_resource_providers_region_id", "region_id"),
    )
    sa.Table(
        "resource_inventories",
        metadata,
        *_inventory_columns(),
        *_inventory_indexes(),
    )
    sa.Table(
        "resource_provider_traits",
        metadata,
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("trait", sa.String(_CODE), nullable=False),
        sa.PrimaryKeyConstraint("provider_id", "trait", name="pk_resource_provider_traits"),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["resource_providers.id"],
            name="fk_resource_provider_traits_provider_id",
            ondelete="CASCADE",
        ),
        sa.Index("ix_resource_provider_traits_trait", "trait", "provider_id"),
    )
    sa.Table(
        "resource_groups",
        metadata,
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(_UUID), nullable=False),
        sa.Column("named", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_resource_groups"),
        sa.UniqueConstraint("uuid", name="uq_resource_groups_uuid"),
    )
    for table, what in (("resource_group_members", "members"), ("resource_sharing", "sharing")):
        sa.Table(
            table,
            metadata,
            sa.Column("provider_id", sa.Integer, nullable=False),
            sa.Column("group_id", sa.Integer, nullable=False),
            sa.PrimaryKeyConstraint("provider_id", "group_id", name=f"pk_{table}"),
            sa.ForeignKeyConstraint(
                ["provider_id"], ["resource_providers.id"], name=f"fk_{table}_provider_id", ondelete="CASCADE"
            ),
            sa.ForeignKeyConstraint(
                ["group_id"], ["resource_groups.id"], name=f"fk_{table}_group_id", ondelete="CASCADE"
            ),
            sa.Index(f"ix_resource_{what}_group_id", "group_id", "provider_id"),
        )
    sa.Table(
        "resource_distances",
        metadata,
        # Stored in both directions so a lookup from either side is one index range.
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("other_id", sa.Integer, nullable=False),
        sa.Column("distance", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("provider_id", "other_id", name="pk_resource_distances"),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["resource_providers.id"], name="fk_resource_distances_provider_id", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["resource_providers.id"], name="fk_resource_distances_other_id", ondelete="CASCADE"
        ),
        sa.Index("ix_resource_distances_provider_distance", "provider_id", "distance"),
    )
    sa.Table(
        "resource_consumers",
        metadata,
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(_UUID), nullable=False),
        sa.Column("project_id", sa.String(_PROJECT), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("start_at", sa.BigInteger, nullable=False),
        sa.Column("end_at", sa.BigInteger, nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_resource_consumers"),
        sa.UniqueConstraint("uuid", name="uq_resource_consumers_uuid"),
        sa.Index("ix_resource_consumers_project_id", "project_id"),
        sa.Index("ix_resource_consumers_end_at", "end_at"),
        sa.Index("ix_resource_consumers_start_at", "start_at"),
    )
    sa.Table(
        "resource_allocations",
        metadata,
        sa.Column("consumer_id", sa.Integer, nullable=False),
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("resource_class", sa.String(_CODE), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        # The consumer's window, copied so interval queries need no join.
        sa.Column("start_at", sa.BigInteger, nullable=False),
        sa.Column("end_at", sa.BigInteger, nullable=True),
        sa.Column("project_id", sa.String(_PROJECT), nullable=False),
        sa.Column("windowed", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("consumer_id", "provider_id", "resource_class", name="pk_resource_allocations"),
        sa.ForeignKeyConstraint(
            ["consumer_id"], ["resource_consumers.id"], name="fk_resource_allocations_consumer_id", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["provider_id"], ["resource_providers.id"], name="fk_resource_allocations_provider_id"),
        sa.Index("ix_resource_allocations_provider_class", "provider_id", "resource_class"),
        sa.Index("ix_resource_allocations_project_class", "project_id", "resource_class"),
    )
    sa.Table(
        "resource_quotas",
        metadata,
        sa.Column("project_id", sa.String(_PROJECT), nullable=False),
        sa.Column("resource_class", sa.String(_CODE), nullable=False),
        sa.Column("limit_amount", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "resource_class", name="pk_resource_quotas"),
    )
    metadata.create_all(connection)


def _inventory_columns() -> list[SchemaItem]:
    return [
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("resource_class", sa.String(_CODE), nullable=False),
        sa.Column("total", sa.BigInteger, nullable=False),
        sa.Column("reserved", sa.BigInteger, nullable=False),
        sa.Column("min_unit", sa.BigInteger, nullable=False),
        sa.Column("max_unit", sa.BigInteger, nullable=False),
        sa.Column("step_size", sa.BigInteger, nullable=False),
        sa.Column("allocation_ratio", sa.Float, nullable=False),
        sa.Column("capacity", sa.BigInteger, nullable=False),
        # Sum of all unreleased allocations, and capacity minus it.
        sa.Column("claimed", sa.BigInteger, nullable=False),
        sa.Column("free", sa.BigInteger, nullable=False),
        # Unreleased allocations that do not cover every instant from now on.
        sa.Column("windowed", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("provider_id", "resource_class", name="pk_resource_inventories"),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["resource_providers.id"],
            name="fk_resource_inventories_provider_id",
            ondelete="CASCADE",
        ),
    ]


def _inventory_indexes() -> list[sa.Index]:
    return [
        sa.Index("ix_resource_inventories_class_free", "resource_class", "free", "provider_id"),
        sa.Index(
            "ix_resource_inventories_windowed",
            "resource_class",
            "provider_id",
            sqlite_where=sa.text("windowed > 0"),
            postgresql_where=sa.text("windowed > 0"),
        ),
    ]


def _claim_owners(connection: sa.Connection) -> None:
    # The module that manages a claim (control, for a machine's); NULL for a
    # project's own claims.
    connection.execute(sa.text("ALTER TABLE resource_consumers ADD COLUMN owner VARCHAR(32)"))


def _consumers_per_project(connection: sa.Connection) -> None:
    """A consumer id is unique within its project only.

    Project-wide uniqueness let one tenant learn, by a create refused or
    not, whether another project held a claim for some consumer id.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("ALTER TABLE resource_consumers DROP CONSTRAINT uq_resource_consumers_uuid"))
        connection.execute(
            sa.text(
                "ALTER TABLE resource_consumers ADD CONSTRAINT uq_resource_consumers_uuid_project "
                "UNIQUE (uuid, project_id)"
            )
        )
        return
    # SQLite changes a constraint only by rebuilding the table. Allocations
    # refer to consumers (ON DELETE CASCADE): they are set aside first, or
    # dropping the old consumers table would delete them.
    metadata = sa.MetaData()
    sa.Table(
        "resource_consumers_new",
        metadata,
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(_UUID), nullable=False),
        sa.Column("project_id", sa.String(_PROJECT), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("start_at", sa.BigInteger, nullable=False),
        sa.Column("end_at", sa.BigInteger, nullable=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("owner", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_resource_consumers"),
        sa.UniqueConstraint("uuid", "project_id", name="uq_resource_consumers_uuid_project"),
    )
    # The tables allocations refer to, as far as their keys go.
    sa.Table("resource_consumers", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("resource_providers", metadata, sa.Column("id", sa.Integer, primary_key=True))
    allocations = sa.Table(
        "resource_allocations",
        metadata,
        sa.Column("consumer_id", sa.Integer, nullable=False),
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("resource_class", sa.String(_CODE), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("start_at", sa.BigInteger, nullable=False),
        sa.Column("end_at", sa.BigInteger, nullable=True),
        sa.Column("project_id", sa.String(_PROJECT), nullable=False),
        sa.Column("windowed", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("consumer_id", "provider_id", "resource_class", name="pk_resource_allocations"),
        sa.ForeignKeyConstraint(
            ["consumer_id"], ["resource_consumers.id"], name="fk_resource_allocations_consumer_id", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["provider_id"], ["resource_providers.id"], name="fk_resource_allocations_provider_id"),
        sa.Index("ix_resource_allocations_provider_class", "provider_id", "resource_class"),
        sa.Index("ix_resource_allocations_project_class", "project_id", "resource_class"),
    )
    consumers = metadata.tables["resource_consumers_new"]
    consumers.create(connection)
    _copy(connection, "resource_consumers", consumers)
    # Allocations without their constraints, while the tables under them change.
    kept = sa.Table("resource_allocations_old", metadata, *(sa.Column(c.name, c.type) for c in allocations.columns))
    kept.create(connection)
    _copy(connection, "resource_allocations", kept)
    for statement in (
        "DROP TABLE resource_allocations",
        "DROP TABLE resource_consumers",
        "ALTER TABLE resource_consumers_new RENAME TO resource_consumers",
        "CREATE INDEX ix_resource_consumers_project_id ON resource_consumers (project_id)",
        "CREATE INDEX ix_resource_consumers_end_at ON resource_consumers (end_at)",
        "CREATE INDEX ix_resource_consumers_start_at ON resource_consumers (start_at)",
    ):
        connection.execute(sa.text(statement))
    allocations.create(connection)
    _copy(connection, "resource_allocations_old", allocations)
    kept.drop(connection)


def _inventories_in_key_order(connection: sa.Connection) -> None:
    """SQLite keeps inventories in (provider, class) order, in the table itself.

    A candidate search reads, for every provider it passes, the inventory of
    each other class it asks for. In a table with row ids that is a search
    of the key's index and then a fetch of the row; in a table stored in key
    order (WITHOUT ROWID) it is one search. PostgreSQL has no such layout.
    No table refers to inventories, so the rebuild moves nothing else.
    """
    if connection.dialect.name != "sqlite":
        return
    metadata = sa.MetaData()
    sa.Table("resource_providers", metadata, sa.Column("id", sa.Integer, primary_key=True))
    rebuilt = sa.Table("resource_inventories_new", metadata, *_inventory_columns(), sqlite_with_rowid=False)
    rebuilt.create(connection)
    _copy(connection, "resource_inventories", rebuilt)
    connection.execute(sa.text("DROP TABLE resource_inventories"))
    connection.execute(sa.text("ALTER TABLE resource_inventories_new RENAME TO resource_inventories"))
    # The indexes went with the old table; they are made again under their names.
    renamed = sa.Table("resource_inventories", metadata, *_inventory_columns(), *_inventory_indexes())
    for index in renamed.indexes:
        index.create(connection)


def _copy(connection: sa.Connection, source: str, target: sa.Table) -> None:
    """Every row of the table named source into target (same column names)."""
    names = [column.name for column in target.columns]
    rows = sa.select(*sa.table(source, *(sa.column(name) for name in names)).c)
    connection.execute(target.insert().from_select(names, rows))


MIGRATIONS = Migrations(
    "resource",
    [
        Step(1, "regions, providers, inventories, claims, quotas", _initial_schema),
        Step(2, "record which module manages a claim", _claim_owners),
        Step(3, "consumer ids unique within a project", _consumers_per_project),
        Step(4, "inventories stored in key order on SQLite", _inventories_in_key_order),
    ],
)
