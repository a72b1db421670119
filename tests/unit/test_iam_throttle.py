"""Login throttling on a real key/value store, with a clock the test moves."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from mulligan.db import Database
from mulligan.errors import ResourceExhausted
from mulligan.iam.throttle import PREFIX, LoginThrottle
from mulligan.kv import Compare, KeyValue, Op, TxnResult
from mulligan.kv.embedded import EmbeddedStore
from mulligan.kv.migrations import MIGRATIONS as KV_MIGRATIONS
from mulligan.migrate import migrate


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def kv(tmp_path: Path) -> Iterator[EmbeddedStore]:
    database = Database(f"sqlite:///{tmp_path / 'kv.db'}")
    migrate(database, [KV_MIGRATIONS])
    store = EmbeddedStore(database)
    yield store
    store.close()
    database.dispose()


def test_delay_doubles_after_the_free_failures_up_to_a_cap() -> None:
    throttle = LoginThrottle(None, free_failures=3, base_delay_s=1, max_delay_s=10)  # type: ignore[arg-type]
    assert [throttle.delay_after(n) for n in range(8)] == [0, 0, 0, 1, 2, 4, 8, 10]


def test_failures_slow_down_a_name_until_its_delay_passes(kv: EmbeddedStore) -> None:
    clock = Clock()
    throttle = LoginThrottle(kv, free_failures=3, base_delay_s=2, clock=clock)
    for _ in range(3):
        throttle.check("alice")
        throttle.failed("alice")
    with pytest.raises(ResourceExhausted) as caught:
        throttle.check("alice")
    assert caught.value.reason == "LOGIN_THROTTLED"
    assert caught.value.metadata["retry_after_s"] == "2"
    # Other names are not affected.
    throttle.check("bob")
    clock.now += 2.1
    throttle.check("alice")
    throttle.failed("alice")
    clock.now += 2.1
    with pytest.raises(ResourceExhausted):
        throttle.check("alice")
    clock.now += 2
    throttle.check("alice")
    throttle.succeeded("alice")
    throttle.failed("alice")
    throttle.check("alice")


class RivalStore(EmbeddedStore):
    """A store where another daemon counts a failure just before each of our writes.

    Each rival write moves the key's revision, so the compare-and-swap that
    follows it must fail: the test decides how many times, not the scheduler.
    """

    def __init__(self, database: Database, rival_writes: int) -> None:
        super().__init__(database)
        self.rival_writes = rival_writes
        self.rival_store = EmbeddedStore(database)
        self.rival = LoginThrottle(self.rival_store)

    def txn(self, compare: Sequence[Compare], success: Sequence[Op], failure: Sequence[Op] = ()) -> TxnResult:
        if self.rival_writes and any(op.key.startswith(PREFIX) for op in success):
            self.rival_writes -= 1
            self.rival.failed("dave")
        return super().txn(compare, success, failure)


def assert_failures(kv: EmbeddedStore, name: str, expected: int, clock: Clock) -> None:
    """Exactly ``expected`` failures are recorded: one fewer would not throttle."""
    with pytest.raises(ResourceExhausted):
        LoginThrottle(kv, free_failures=expected, clock=clock).check(name)
    LoginThrottle(kv, free_failures=expected + 1, clock=clock).check(name)


def test_a_failure_is_counted_however_often_another_daemon_wins(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'kv.db'}")
    migrate(database, [KV_MIGRATIONS])
    store = RivalStore(database, rival_writes=40)
    try:
        clock = Clock()
        LoginThrottle(store, clock=clock).failed("dave")
        assert store.rival_writes == 0
        assert_failures(store, "dave", 41, clock)
    finally:
        store.rival_store.close()
        store.close()
        database.dispose()


class LockstepStore(EmbeddedStore):
    """The first read of each of ``callers`` threads waits for the others'.

    They all read the key before any of them writes it, so all but one of
    their first compare-and-swaps fail, every time the test runs.
    """

    def __init__(self, database: Database, callers: int) -> None:
        super().__init__(database)
        self._first_reads = threading.Barrier(callers, timeout=30)
        self._lock = threading.Lock()
        self._waiting: set[int] = set()
        self._callers = callers

    def get(self, key: str) -> KeyValue | None:
        item = super().get(key)
        with self._lock:
            me = threading.get_ident()
            hold = me not in self._waiting and len(self._waiting) < self._callers
            self._waiting.add(me)
        if hold:
            self._first_reads.wait()
        return item


def test_concurrent_failures_are_all_counted(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'kv.db'}")
    migrate(database, [KV_MIGRATIONS])
    store = LockstepStore(database, callers=8)
    try:
        clock = Clock()
        throttle = LoginThrottle(store, clock=clock)
        threads = [threading.Thread(target=throttle.failed, args=("carol",)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert_failures(store, "carol", 8, clock)
    finally:
        store.close()
        database.dispose()
