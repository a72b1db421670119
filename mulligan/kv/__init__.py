"""Key/value store with revisions, transactions, leases and watches.

Two implementations share this interface: :class:`EmbeddedStore`, kept in
the relational database (the default, nothing to install), and
:class:`EtcdStore`, backed by an etcd v3 cluster. Keys are ``str``, values
``bytes``. Every change bumps one store-wide revision, as in etcd.
"""

from __future__ import annotations

from pathlib import Path

from mulligan.kv.types import (
    Compacted,
    Compare,
    Event,
    EventType,
    KeyValue,
    KeyValueStore,
    Lease,
    Op,
    TxnResult,
    Watch,
)

__all__ = [
    "Compacted",
    "Compare",
    "Event",
    "EventType",
    "KeyValue",
    "KeyValueStore",
    "Lease",
    "Op",
    "TxnResult",
    "Watch",
    "open_store",
]


def open_store(
    etcd_endpoints: tuple[str, ...],
    database: object,
    *,
    ca_file: Path | None = None,
    cert_file: Path | None = None,
    key_file: Path | None = None,
) -> KeyValueStore:
    """The etcd store when endpoints are configured, else the embedded one.

    ``ca_file`` verifies etcd's certificate (default: the system's CAs);
    ``cert_file`` and ``key_file`` identify this daemon to an etcd that
    checks client certificates. Raises :class:`mulligan.errors.StartupError`
    when etcd cannot be reached.
    """
    if etcd_endpoints:
        from mulligan.kv.etcd import EtcdStore, EtcdTls

        return EtcdStore(etcd_endpoints, tls=EtcdTls(ca_file, cert_file, key_file))
    from mulligan.db import Database
    from mulligan.kv.embedded import EmbeddedStore

    assert isinstance(database, Database)
    return EmbeddedStore(database)
