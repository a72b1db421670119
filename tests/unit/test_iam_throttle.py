"""Login throttling on a real key/value store, with a clock the test moves."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mulligan.db import Database
from mulligan.errors import ResourceExhausted
from mulligan.iam.throttle import LoginThrottle
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


def test_concurrent_failures_are_all_counted(kv: EmbeddedStore) -> None:
    clock = Clock()
    throttle = LoginThrottle(kv, free_failures=8, clock=clock)
    threads = [threading.Thread(target=throttle.failed, args=("carol",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with pytest.raises(ResourceExhausted):
        throttle.check("carol")
