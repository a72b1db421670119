"""Tables of the embedded key/value store (:mod:`mulligan.kv.embedded`).

The daemon applies these with ``migrate(database, [kv.migrations.MIGRATIONS,
...])`` before it opens an :class:`~mulligan.kv.embedded.EmbeddedStore`,
also when etcd is configured (the tables then stay empty): the schema must
not depend on configuration that can change between two starts.
"""

from __future__ import annotations

import sqlalchemy as sa

from mulligan.migrate import Migrations, Step


def _create_tables(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    revision = sa.Table(
        "kv_revision",
        metadata,
        # One row: writers lock it so that they take revisions one at a time.
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("revision", sa.BigInteger, nullable=False),
        sa.Column("compact_revision", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kv_revision"),
        sa.CheckConstraint("id = 1", name="ck_kv_revision_single_row"),
    )
    sa.Table(
        "kv_keys",
        metadata,
        # Keys are UTF-8 bytes so that order and prefix ranges are bytewise, as
        # in etcd, whatever the database's collation.
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.Column("create_revision", sa.BigInteger, nullable=False),
        sa.Column("mod_revision", sa.BigInteger, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("lease", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_kv_keys"),
        sa.Index("ix_kv_keys_lease", "lease"),
    )
    sa.Table(
        "kv_log",
        metadata,
        sa.Column("revision", sa.BigInteger, nullable=False, autoincrement=False),
        # Order of the changes inside one revision (a txn or a prefix delete).
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("event", sa.String(6), nullable=False),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.Column("create_revision", sa.BigInteger, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("lease", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.PrimaryKeyConstraint("revision", "seq", name="pk_kv_log"),
        sa.CheckConstraint("event IN ('put', 'delete')", name="ck_kv_log_event"),
    )
    sa.Table(
        "kv_leases",
        metadata,
        sa.Column("id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("ttl", sa.Integer, nullable=False),
        sa.Column("expires_at", sa.Double, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kv_leases"),
        sa.Index("ix_kv_leases_expires_at", "expires_at"),
    )
    metadata.create_all(connection)
    # etcd starts at revision 1 too; nothing has been compacted yet.
    connection.execute(revision.insert().values(id=1, revision=1, compact_revision=0))


MIGRATIONS = Migrations("kv", [Step(1, "create the embedded key/value tables", _create_tables)])
