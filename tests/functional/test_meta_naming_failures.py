"""Creating a named object is reserve -> create -> confirm: whatever step
fails (or the daemon dies), no name is left without an object and no object
without a name."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa

from mulligan.db import Database
from mulligan.errors import AlreadyExists, Unavailable
from mulligan.kv import Compare, KeyValueStore, Op, TxnResult
from mulligan.meta import Names
from mulligan.meta.records import NameRecord
from tests.fixtures.daemon import daemon_env, wait_for
from tests.functional.test_meta_support import KvBackend

pytest_plugins = ["tests.functional.test_meta_support"]

PROJECT = "p" * 32
STEPS = ("none", "create", "after_create", "confirm_store", "after_confirm", "commit")


class Injected(Exception):
    """A failure the test causes on purpose."""


class FlakyStore:
    """The real store, except that chosen transactions fail as if etcd went away."""

    def __init__(self, store: KeyValueStore) -> None:
        self._store = store
        self.fail_confirm = threading.local()

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def txn(self, compare: Sequence[Compare], success: Sequence[Op], failure: Sequence[Op] = ()) -> TxnResult:
        confirming = bool(success) and all(op.kind == "put" and not op.lease for op in success)
        if confirming and getattr(self.fail_confirm, "on", False):
            raise Unavailable("injected: etcd is unreachable")
        return self._store.txn(compare, success, failure)


widgets = sa.Table("widgets", sa.MetaData(), sa.Column("id", sa.String(36), primary_key=True))


def create_widget(names: Names, store: FlakyStore, db: Database, name: str, fail_at: str) -> str:
    """How another module creates a named object, with one step made to fail."""
    with names.reserve("machine", PROJECT, name) as reservation, db.write() as session:
        if fail_at == "create":
            raise Injected("the insert failed")
        session.execute(widgets.insert().values(id=reservation.object_id))
        if fail_at == "after_create":
            raise Injected("a check after the insert failed")
        store.fail_confirm.on = fail_at == "confirm_store"
        try:
            reservation.confirm()
        finally:
            store.fail_confirm.on = False
        if fail_at == "after_confirm":
            raise Injected("something after confirm failed")
        if fail_at == "commit":
            session.execute(widgets.insert().values(id=reservation.object_id))  # duplicate key: commit fails
    return reservation.object_id


def check_consistent(inspect: KeyValueStore, db: Database) -> set[str]:
    records = [NameRecord.decode(item.value) for item in inspect.range("meta/objects/machine/")]
    assert not [r for r in records if r.pending], "a pending reservation outlived its create"
    with db.read() as session:
        rows = set(session.scalars(sa.select(widgets.c.id)))
    named = {r.object_id for r in records}
    assert named == rows, f"names without objects: {named - rows}; objects without names: {rows - named}"
    # Every name key and slug key belongs to a live record.
    assert len(inspect.range("meta/names/machine/")) == len(inspect.range("meta/slugs/machine/")) == len(records)
    return rows


@pytest.fixture
def widget_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'widgets.db'}")
    with db.write() as session:
        widgets.create(session.connection())
    yield db
    db.dispose()


@pytest.mark.parametrize("fail_at", STEPS)
def test_each_failing_step_releases_the_name(kv_backend: KvBackend, widget_db: Database, fail_at: str) -> None:
    store = FlakyStore(kv_backend.open())
    names = Names(store)  # type: ignore[arg-type]
    try:
        if fail_at == "none":
            create_widget(names, store, widget_db, "w", fail_at)
        else:
            with pytest.raises((Injected, Unavailable, sa.exc.IntegrityError)):
                create_widget(names, store, widget_db, "w", fail_at)
        rows = check_consistent(kv_backend.open(), widget_db)
        assert len(rows) == (1 if fail_at == "none" else 0)
        if fail_at != "none":
            # The name is free again at once.
            create_widget(names, store, widget_db, "w", "none")
    finally:
        names.close()


def test_concurrent_creates_with_random_failures_stay_consistent(kv_backend: KvBackend, widget_db: Database) -> None:
    store = FlakyStore(kv_backend.open())
    names = Names(store)  # type: ignore[arg-type]
    plan = random.Random(4).choices(STEPS, k=48)
    # Few names for many creates, so that creates also race for the same name.
    work = [(f"w{index % 8}", step) for index, step in enumerate(plan)]

    def worker(items: list[tuple[str, str]]) -> None:
        for name, step in items:
            with contextlib.suppress(Injected, Unavailable, AlreadyExists, sa.exc.IntegrityError):
                create_widget(names, store, widget_db, name, step)

    threads = [threading.Thread(target=worker, args=(work[i::4],)) for i in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        rows = check_consistent(kv_backend.open(), widget_db)
        assert 1 <= len(rows) <= 8
    finally:
        names.close()


_CRASHER = """
import os, sys
from mulligan.db import Database
from mulligan.kv.embedded import EmbeddedStore
from mulligan.kv.etcd import EtcdStore
from mulligan.meta import Names

kind, target = sys.argv[1], sys.argv[2]
store = EtcdStore((target,)) if kind == "etcd" else EmbeddedStore(Database(target))
names = Names(store, cache=False, reservation_ttl=2)
reservation = names.reserve("machine", sys.argv[3], "crashing")
print(reservation.object_id, flush=True)
os._exit(9)  # dies between reserve and confirm, as a killed daemon would
"""


@pytest.mark.slow
def test_a_dead_daemons_reservation_expires(kv_backend: KvBackend, tmp_path: Path) -> None:
    script = tmp_path / "crasher.py"
    script.write_text(_CRASHER)
    kind = "etcd" if kv_backend.is_etcd else "embedded"
    done = subprocess.run(
        [sys.executable, str(script), kind, kv_backend.target, PROJECT],
        env=daemon_env(),
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 9, done.stderr
    object_id = str(uuid.UUID(done.stdout.strip()))
    names = kv_backend.names()
    with pytest.raises(AlreadyExists):
        names.reserve("machine", PROJECT, "crashing")

    def free() -> bool:
        try:
            with names.reserve("machine", PROJECT, "crashing") as reservation:
                reservation.confirm()
        except AlreadyExists:
            return False
        return True

    wait_for(free, timeout=10, interval=0.1, what="the dead daemon's reservation to expire")
    assert names.resolve("machine", PROJECT, "crashing") != object_id
