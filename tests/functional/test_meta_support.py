"""Fixtures shared by the meta tests (no tests here).

``kv_backend`` runs a test against the embedded store on SQLite, the
embedded store on PostgreSQL and a real etcd server. ``backend.open()``
gives one more client of the same data, as another daemon would have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mulligan.db import Database
from mulligan.kv import KeyValueStore
from mulligan.kv.embedded import EmbeddedStore
from mulligan.kv.etcd import EtcdStore
from mulligan.kv.migrations import MIGRATIONS as KV_MIGRATIONS
from mulligan.meta import MetaService, Names
from mulligan.migrate import migrate


@dataclass
class KvBackend:
    name: str
    target: str
    _stores: list[tuple[KeyValueStore, Database | None]] = field(default_factory=list)
    _closers: list[Callable[[], Any]] = field(default_factory=list)

    @property
    def is_etcd(self) -> bool:
        return self.name == "etcd"

    def open(self) -> KeyValueStore:
        store: KeyValueStore
        database = None
        if self.is_etcd:
            store = EtcdStore((self.target,))
        else:
            database = Database(self.target)
            store = EmbeddedStore(database)
        self._stores.append((store, database))
        return store

    def names(self, **options: Any) -> Names:
        registry = Names(self.open(), **options)
        self._closers.append(registry.close)
        assert registry.wait_ready(10)
        return registry

    def service(self, **options: Any) -> MetaService:
        service = MetaService(self.open(), **options)
        self._closers.append(service.close)
        assert service.names.wait_ready(10)
        return service

    def close(self) -> None:
        for close in reversed(self._closers):
            close()
        for store, database in reversed(self._stores):
            store.close()
            if database is not None:
                database.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("etcd", marks=pytest.mark.etcd),
    ]
)
def kv_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KvBackend]:
    name: str = request.param
    if name == "etcd":
        target = request.getfixturevalue("etcd_endpoint")
    else:
        target = f"sqlite:///{tmp_path / 'kv.db'}" if name == "sqlite" else request.getfixturevalue("postgres_url")
        database = Database(target)
        migrate(database, [KV_MIGRATIONS])
        database.dispose()
    backend = KvBackend(name, target)
    try:
        yield backend
    finally:
        backend.close()


@pytest.fixture
def names(kv_backend: KvBackend) -> Names:
    return kv_backend.names()


def meta_keys(store: KeyValueStore) -> list[str]:
    return [item.key for item in store.range("meta/")]
