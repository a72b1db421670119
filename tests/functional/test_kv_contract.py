"""One contract for every key/value store.

Each test runs against the embedded store on SQLite, the embedded store on
PostgreSQL, and a real etcd server. A few tests at the end cover what only
one implementation has (opening errors, the embedded log's retention).
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pytest
import sqlalchemy as sa
import sqlalchemy_utils

from mulligan.db import Database
from mulligan.errors import FailedPrecondition, InvalidArgument, NotFound, StartupError
from mulligan.kv import Compacted, Compare, Event, EventType, KeyValue, KeyValueStore, Op, Watch
from mulligan.kv.embedded import EmbeddedStore
from mulligan.kv.etcd import EtcdStore
from mulligan.kv.migrations import MIGRATIONS
from mulligan.migrate import migrate

REPO = Path(__file__).resolve().parents[2]
# Paces polling loops; nothing waits on it for a fixed time.
_PAUSE = threading.Event()


class Store(KeyValueStore, Protocol):
    def compact(self, revision: int) -> None: ...


def open_store(kind: str, target: str) -> tuple[Store, Database | None]:
    if kind == "etcd":
        return EtcdStore((target,)), None
    database = Database(target)
    return EmbeddedStore(database), database


@dataclass
class Backend:
    name: str
    kind: str
    target: str
    _opened: list[tuple[Store, Database | None]] = field(default_factory=list)

    def open(self) -> Store:
        """A new client of the same data, as a second daemon would have."""
        store, database = open_store(self.kind, self.target)
        self._opened.append((store, database))
        return store

    def close_all(self) -> None:
        for store, database in reversed(self._opened):
            store.close()
            if database is not None:
                database.dispose()


@pytest.fixture(scope="module")
def kv_postgres_url(postgres_server: str) -> Iterator[str]:
    """One migrated database for the module; ``backend`` empties it before each test.

    Creating a database per test costs more than the tests themselves.
    """
    url = f"{postgres_server}/kv_{uuid.uuid4().hex[:12]}"
    database = Database(url)
    migrate(database, [MIGRATIONS])
    database.dispose()
    try:
        yield url
    finally:
        sqlalchemy_utils.drop_database(url)


def _empty_kv_tables(url: str) -> None:
    database = Database(url)
    try:
        with database.write() as session:
            for table in ("kv_keys", "kv_log", "kv_leases"):
                session.execute(sa.text(f"DELETE FROM {table}"))
            session.execute(sa.text("UPDATE kv_revision SET revision = 1, compact_revision = 0"))
    finally:
        database.dispose()


@pytest.fixture(
    params=[
        "embedded-sqlite",
        pytest.param("embedded-postgresql", marks=pytest.mark.postgres),
        pytest.param("etcd", marks=pytest.mark.etcd),
    ]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    name: str = request.param
    if name == "etcd":
        kind, target = "etcd", request.getfixturevalue("etcd_endpoint")
    elif name == "embedded-postgresql":
        kind, target = "embedded", request.getfixturevalue("kv_postgres_url")
        _empty_kv_tables(target)
    else:
        kind, target = "embedded", f"sqlite:///{tmp_path / 'kv.db'}"
        database = Database(target)
        migrate(database, [MIGRATIONS])
        database.dispose()
    backend = Backend(name, kind, target)
    try:
        yield backend
    finally:
        backend.close_all()


@pytest.fixture
def store(backend: Backend) -> Store:
    return backend.open()


def wait_for(predicate: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {timeout} s for {what}")
        _PAUSE.wait(0.05)


class Collector:
    """Iterates a watch in a thread so that the test can wait with a deadline."""

    def __init__(self, watch: Watch) -> None:
        self.watch = watch
        self.events: queue.Queue[Event] = queue.Queue()
        self.error: BaseException | None = None
        self.finished = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        try:
            for event in self.watch:
                self.events.put(event)
        except BaseException as exc:
            self.error = exc
        finally:
            self.finished.set()

    def take(self, count: int, *, timeout: float = 5.0) -> list[Event]:
        deadline = time.monotonic() + timeout
        taken: list[Event] = []
        while len(taken) < count:
            try:
                taken.append(self.events.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                pytest.fail(f"got {len(taken)} of {count} events within {timeout} s: {taken} (error: {self.error})")
        return taken


@pytest.fixture
def collect() -> Iterator[Callable[[Watch], Collector]]:
    collectors: list[Collector] = []

    def start(watch: Watch) -> Collector:
        collector = Collector(watch)
        collectors.append(collector)
        return collector

    yield start
    for collector in collectors:
        collector.watch.cancel()
        collector.finished.wait(5)


def put_event(key: str, value: bytes, revision: int, *, created: int, version: int) -> Event:
    return Event(EventType.PUT, KeyValue(key, value, created, revision, version))


def delete_event(key: str, revision: int) -> Event:
    return Event(EventType.DELETE, KeyValue(key, b"", 0, revision, 0))


def increment(store: KeyValueStore, key: str) -> int:
    """Add one to a decimal counter with compare-and-swap; return the CAS failures."""
    conflicts = 0
    current = store.get(key)
    while True:
        if current is None:
            guard, value = Compare.absent(key), 1
        else:
            guard, value = Compare.unchanged(key, current.mod_revision), int(current.value) + 1
        result = store.txn([guard], [Op.put(key, str(value).encode())], [Op.get(key)])
        if result.succeeded:
            return conflicts
        conflicts += 1
        current = result.gets[0]


# -- keys and values


def test_get_of_a_missing_key_is_none(store: Store) -> None:
    assert store.get("nothing/here") is None


def test_values_are_bytes_and_keys_are_unicode(store: Store) -> None:
    binary = bytes(range(256))
    store.put("näme/日本", binary)
    store.put("empty", b"")
    got = store.get("näme/日本")
    assert got is not None and got.value == binary and got.key == "näme/日本"
    empty = store.get("empty")
    assert empty is not None and empty.value == b""
    assert [kv.key for kv in store.range("näme/")] == ["näme/日本"]


def test_empty_key_is_invalid(store: Store) -> None:
    with pytest.raises(InvalidArgument):
        store.put("", b"x")
    with pytest.raises(InvalidArgument):
        store.get("")


def test_create_and_mod_revision_and_version_follow_etcd(store: Store) -> None:
    first = store.put("k", b"1")
    assert store.get("k") == KeyValue("k", b"1", first, first, 1)
    second = store.put("k", b"2")
    assert second == first + 1
    assert store.get("k") == KeyValue("k", b"2", first, second, 2)
    assert store.delete("k") is True
    third = store.put("k", b"3")
    # A key created again starts a new life: new create_revision, version 1.
    assert store.get("k") == KeyValue("k", b"3", third, third, 1)


def test_revision_is_store_wide_and_moves_only_on_changes(store: Store) -> None:
    start = store.revision()
    assert store.put("a", b"") == start + 1
    assert store.put("b", b"") == start + 2
    assert store.revision() == start + 2
    assert store.delete("missing") is False
    assert store.revision() == start + 2
    assert store.delete("a") is True
    assert store.revision() == start + 3
    for key in ("p/1", "p/2", "p/3"):
        store.put(key, b"")
    assert store.delete_prefix("p/") == 3
    # One prefix delete is one revision, however many keys it removes.
    assert store.revision() == start + 7
    assert store.delete_prefix("p/") == 0
    assert store.revision() == start + 7


def test_range_is_sorted_bytewise_and_respects_prefix_boundaries(store: Store) -> None:
    keys = ["ab", "a/c", "a", "a/b/c", "a/b", "b", "a/", "a/z", "a/é", "a/B", "a_x", "a%y"]
    for key in keys:
        store.put(key, key.encode())

    def listed(prefix: str, limit: int = 0) -> list[str]:
        return [kv.key for kv in store.range(prefix, limit=limit)]

    assert listed("a/") == ["a/", "a/B", "a/b", "a/b/c", "a/c", "a/z", "a/é"]
    assert listed("a/b") == ["a/b", "a/b/c"]
    assert listed("ab") == ["ab"]
    # "_" and "%" are plain characters, not patterns.
    assert listed("a_") == ["a_x"]
    assert listed("a%") == ["a%y"]
    assert listed("a") == ["a", "a%y", "a/", "a/B", "a/b", "a/b/c", "a/c", "a/z", "a/é", "a_x", "ab"]
    assert listed("") == sorted(keys, key=lambda key: key.encode())
    assert listed("a/", limit=2) == ["a/", "a/B"]
    assert listed("zzz") == []
    assert all(kv.value == kv.key.encode() for kv in store.range("a/"))


def test_delete_prefix_removes_only_keys_under_the_prefix(store: Store) -> None:
    for key in ("a/1", "a/2/x", "ab", "a"):
        store.put(key, b"")
    assert store.delete_prefix("a/") == 2
    assert [kv.key for kv in store.range("")] == ["a", "ab"]


# -- transactions


def test_txn_creates_only_an_absent_key(store: Store) -> None:
    created = store.txn([Compare.absent("lock")], [Op.put("lock", b"me")], [Op.get("lock")])
    assert created.succeeded and created.gets == ()
    assert created.revision == store.revision()
    again = store.txn([Compare.absent("lock")], [Op.put("lock", b"you")], [Op.get("lock")])
    assert not again.succeeded
    assert again.revision == created.revision
    [holder] = again.gets
    assert holder is not None and holder.value == b"me"
    kv = store.get("lock")
    assert kv is not None and kv.value == b"me"


def test_txn_swaps_only_an_unchanged_key(store: Store) -> None:
    seen = store.put("k", b"1")
    store.put("k", b"2")
    stale = store.txn([Compare.unchanged("k", seen)], [Op.put("k", b"stale")])
    assert not stale.succeeded
    kv = store.get("k")
    assert kv is not None and kv.value == b"2"
    fresh = store.txn([Compare.unchanged("k", kv.mod_revision)], [Op.put("k", b"3")])
    assert fresh.succeeded
    assert store.get("k") == KeyValue("k", b"3", seen, fresh.revision, 3)


@pytest.mark.parametrize(
    ("compare", "holds"),
    [
        (Compare("k", "value", "==", b"m"), True),
        (Compare("k", "value", "==", b"n"), False),
        (Compare("k", "value", "!=", b"n"), True),
        (Compare("k", "value", "!=", b"m"), False),
        (Compare("k", "value", "<", b"n"), True),
        (Compare("k", "value", "<", b"m"), False),
        (Compare("k", "value", ">", b"l"), True),
        (Compare("k", "value", ">", b"mm"), False),
        (Compare("k", "version", "==", 2), True),
        (Compare("k", "version", ">", 2), False),
        (Compare("k", "version", "<", 3), True),
        (Compare("k", "create_revision", "!=", 0), True),
        (Compare("missing", "version", "==", 0), True),
        (Compare("missing", "mod_revision", "<", 1), True),
        # A missing key has no value: every value compare fails, even "!=".
        (Compare("missing", "value", "==", b""), False),
        (Compare("missing", "value", "!=", b"x"), False),
    ],
)
def test_txn_compares(store: Store, compare: Compare, holds: bool) -> None:
    store.put("k", b"x")
    store.put("k", b"m")
    result = store.txn([compare], [Op.put("branch", b"success")], [Op.put("branch", b"failure")])
    assert result.succeeded is holds
    kv = store.get("branch")
    assert kv is not None and kv.value == (b"success" if holds else b"failure")


def test_txn_needs_every_compare_to_hold(store: Store) -> None:
    store.put("a", b"1")
    store.put("b", b"2")
    both = [Compare("a", "value", "==", b"1"), Compare("b", "value", "==", b"2")]
    one = [Compare("a", "value", "==", b"1"), Compare("b", "value", "==", b"9")]
    assert store.txn(both, [Op.get("a")]).succeeded
    assert not store.txn(one, [Op.get("a")]).succeeded


def test_txn_is_one_revision_and_its_gets_see_its_own_writes(
    store: Store, collect: Callable[[Watch], Collector]
) -> None:
    store.put("t/gone", b"old")
    start = store.revision()
    events = collect(store.watch_prefix("t/"))
    result = store.txn(
        [Compare.absent("t/a")],
        [Op.put("t/a", b"1"), Op.get("t/a"), Op.put("t/b", b"2"), Op.delete("t/gone"), Op.get("t/gone")],
    )
    assert result.succeeded
    assert result.revision == start + 1 == store.revision()
    assert result.gets == (KeyValue("t/a", b"1", result.revision, result.revision, 1), None)
    assert events.take(3) == [
        put_event("t/a", b"1", result.revision, created=result.revision, version=1),
        put_event("t/b", b"2", result.revision, created=result.revision, version=1),
        delete_event("t/gone", result.revision),
    ]


def test_txn_that_writes_nothing_keeps_the_revision(store: Store) -> None:
    store.put("k", b"v")
    start = store.revision()
    assert not store.txn([Compare.absent("k")], [Op.put("k", b"w")]).succeeded
    read = store.txn([], [Op.get("k"), Op.get("missing")])
    assert read.succeeded and read.revision == start
    assert [kv.value if kv else None for kv in read.gets] == [b"v", None]
    assert store.txn([], [Op.delete("missing")]).revision == start
    assert store.revision() == start


def test_txn_refuses_to_write_a_key_twice(store: Store) -> None:
    with pytest.raises(InvalidArgument):
        store.txn([], [Op.put("k", b"1"), Op.delete("k")])
    assert store.get("k") is None


def test_compare_and_swap_counter_under_thread_contention(backend: Backend) -> None:
    threads, rounds = 16, 8
    # Several clients, as several daemons would be: their only common lock is the store's.
    stores = [backend.open() for _ in range(4)]
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            start.wait()
            for _ in range(rounds):
                increment(stores[number % len(stores)], "counter")
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert not errors
    kv = stores[0].get("counter")
    assert kv is not None and int(kv.value) == threads * rounds
    assert kv.version == threads * rounds


def test_exactly_one_of_many_racing_creators_wins(backend: Backend) -> None:
    racers = 16
    stores = [backend.open() for _ in range(4)]
    start = threading.Barrier(racers)
    outcomes: list[tuple[int, bool, bytes | None]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def race(number: int) -> None:
        store = stores[number % len(stores)]
        start.wait()
        try:
            result = store.txn([Compare.absent("leader")], [Op.put("leader", str(number).encode())], [Op.get("leader")])
        except BaseException as exc:
            errors.append(exc)
            return
        holder = result.gets[0].value if result.gets and result.gets[0] else None
        with lock:
            outcomes.append((number, result.succeeded, holder))

    workers = [threading.Thread(target=race, args=(number,)) for number in range(racers)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert not errors
    winners = [number for number, succeeded, _ in outcomes if succeeded]
    assert len(outcomes) == racers and len(winners) == 1
    winner = str(winners[0]).encode()
    assert all(holder == winner for _, succeeded, holder in outcomes if not succeeded)
    kv = stores[0].get("leader")
    assert kv is not None and kv.value == winner and kv.version == 1


def _worker_main() -> None:
    """Entry point of the processes of the test below: increment when told to."""
    kind, target, key, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store, database = open_store(kind, target)
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(rounds):
        increment(store, key)
    store.close()
    if database is not None:
        database.dispose()


def test_compare_and_swap_counter_across_processes(backend: Backend) -> None:
    processes, rounds = 3, 15
    command = [
        sys.executable,
        "-c",
        "from tests.functional.test_kv_contract import _worker_main; _worker_main()",
        backend.kind,
        backend.target,
        "counter",
        str(rounds),
    ]
    workers = [
        subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        # Released together, so that their transactions really overlap.
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in workers:
            assert worker.wait(timeout=60) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    kv = backend.open().get("counter")
    assert kv is not None and int(kv.value) == processes * rounds


# -- leases


def test_revoking_a_lease_deletes_its_keys(store: Store, collect: Callable[[Watch], Collector]) -> None:
    lease = store.grant_lease(30)
    assert lease.ttl >= 30
    store.put("l/a", b"1", lease=lease.id)
    store.put("l/b", b"2", lease=lease.id)
    store.put("l/kept", b"3")
    kv = store.get("l/a")
    assert kv is not None and kv.lease == lease.id
    events = collect(store.watch_prefix("l/"))
    store.revoke_lease(lease.id)
    revision = store.revision()
    assert [kv.key for kv in store.range("l/")] == ["l/kept"]
    assert events.take(2) == [delete_event("l/a", revision), delete_event("l/b", revision)]
    # Ending a lease that is already over is not an error; using it is.
    store.revoke_lease(lease.id)
    with pytest.raises(NotFound):
        store.refresh_lease(lease.id)
    with pytest.raises(NotFound):
        store.put("l/c", b"", lease=lease.id)
    assert store.get("l/c") is None


def test_putting_without_the_lease_detaches_the_key(store: Store) -> None:
    lease = store.grant_lease(30)
    store.put("k", b"1", lease=lease.id)
    store.put("k", b"2")
    store.revoke_lease(lease.id)
    kv = store.get("k")
    assert kv is not None and kv.value == b"2" and kv.lease == 0


def test_leases_expire_unless_refreshed(store: Store, collect: Callable[[Watch], Collector]) -> None:
    kept = store.grant_lease(1)
    lapsed = store.grant_lease(1)
    granted = time.monotonic()
    store.put("e/kept", b"", lease=kept.id)
    store.put("e/lapsed", b"", lease=lapsed.id)
    events = collect(store.watch_prefix("e/lapsed"))

    def lapsed_is_gone() -> bool:
        store.refresh_lease(kept.id)
        return store.get("e/lapsed") is None

    wait_for(lapsed_is_gone, timeout=10, what="the unrefreshed lease to expire")
    # Both leases had the same TTL: only the refreshes kept this one alive.
    assert time.monotonic() - granted >= lapsed.ttl
    assert store.get("e/kept") is not None
    [event] = events.take(1)
    assert event.type is EventType.DELETE and event.kv.key == "e/lapsed"
    with pytest.raises(NotFound):
        store.refresh_lease(lapsed.id)
    with pytest.raises(NotFound):
        store.put("e/late", b"", lease=lapsed.id)


# -- watches


def test_watch_from_now_sees_later_changes_in_order(store: Store, collect: Callable[[Watch], Collector]) -> None:
    store.put("w/before", b"0")
    events = collect(store.watch_prefix("w/"))
    first = store.put("w/a", b"1")
    second = store.put("w/a", b"2")
    store.delete("w/a")
    third = store.revision()
    assert events.take(3) == [
        put_event("w/a", b"1", first, created=first, version=1),
        put_event("w/a", b"2", second, created=first, version=2),
        delete_event("w/a", third),
    ]


def test_watch_from_a_past_revision_replays_history(store: Store, collect: Callable[[Watch], Collector]) -> None:
    store.put("h/1", b"a")
    second = store.put("h/2", b"b")
    store.put("other", b"x")
    third = store.put("h/3", b"c")
    events = collect(store.watch_prefix("h/", start_revision=second))
    fourth = store.put("h/4", b"d")
    assert events.take(3) == [
        put_event("h/2", b"b", second, created=second, version=1),
        put_event("h/3", b"c", third, created=third, version=1),
        put_event("h/4", b"d", fourth, created=fourth, version=1),
    ]


def test_watch_sees_only_its_prefix(store: Store, collect: Callable[[Watch], Collector]) -> None:
    events = collect(store.watch_prefix("w/"))
    for key in ("w", "wx", "x/w/", "v/z"):
        store.put(key, b"")
    inside = store.put("w/in", b"")
    # Events arrive in revision order, so nothing outside came before this one.
    assert events.take(1) == [put_event("w/in", b"", inside, created=inside, version=1)]


def test_watch_of_an_empty_prefix_sees_everything(store: Store, collect: Callable[[Watch], Collector]) -> None:
    events = collect(store.watch_prefix(""))
    first = store.put("x", b"")
    second = store.put("ÿ", b"")
    assert [event.kv.mod_revision for event in events.take(2)] == [first, second]


def test_delete_prefix_events_share_one_revision(store: Store, collect: Callable[[Watch], Collector]) -> None:
    for key in ("d/b", "d/a", "d/c"):
        store.put(key, b"")
    events = collect(store.watch_prefix("d/"))
    store.delete_prefix("d/")
    revision = store.revision()
    assert events.take(3) == [delete_event(key, revision) for key in ("d/a", "d/b", "d/c")]


def test_cancel_unblocks_an_iterating_watch(store: Store) -> None:
    watch = store.watch_prefix("c/")
    collector = Collector(watch)
    watch.cancel()
    assert collector.finished.wait(2), "the iteration did not end after cancel()"
    assert collector.error is None
    assert list(watch) == []


def test_close_ends_the_store_watches(backend: Backend) -> None:
    store = backend.open()
    collector = Collector(store.watch_prefix("c/"))
    store.close()
    assert collector.finished.wait(2), "the iteration did not end after close()"


def test_a_second_client_sees_the_first_ones_writes_within_a_second(
    backend: Backend, store: Store, collect: Callable[[Watch], Collector]
) -> None:
    other = backend.open()
    events = collect(other.watch_prefix("s/"))
    revision = store.put("s/1", b"hello")
    assert events.take(1, timeout=1.0) == [put_event("s/1", b"hello", revision, created=revision, version=1)]
    assert other.get("s/1") == store.get("s/1")
    assert other.revision() == store.revision()


def test_watch_from_before_the_compaction_fails_clearly(store: Store, collect: Callable[[Watch], Collector]) -> None:
    first = store.put("h/1", b"")
    kept = store.put("h/2", b"")
    store.compact(kept)
    with pytest.raises(Compacted) as failure:
        store.watch_prefix("h/", start_revision=first)
    assert isinstance(failure.value, FailedPrecondition)
    assert failure.value.compact_revision == kept
    events = collect(store.watch_prefix("h/", start_revision=kept))
    assert events.take(1) == [put_event("h/2", b"", kept, created=kept, version=1)]


def test_watch_from_a_future_revision_waits_for_it(store: Store, collect: Callable[[Watch], Collector]) -> None:
    now = store.revision()
    events = collect(store.watch_prefix("f/", start_revision=now + 2))
    store.put("f/skipped", b"")
    revision = store.put("f/seen", b"")
    assert events.take(1) == [put_event("f/seen", b"", revision, created=revision, version=1)]


# -- what only one implementation has


def test_an_unreachable_etcd_stops_the_start_with_one_line() -> None:
    from tests.fixtures.ports import free_port

    endpoint = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StartupError) as failure:
        EtcdStore((endpoint,), timeout=2)
    message = str(failure.value)
    assert message.startswith(f"cannot reach etcd at {endpoint}: ")
    assert "\n" not in message and len(message) < 200


@pytest.mark.etcd
def test_etcd_fails_over_to_the_next_endpoint(etcd_endpoint: str) -> None:
    from tests.fixtures.ports import free_port

    store = EtcdStore((f"http://127.0.0.1:{free_port()}", etcd_endpoint), timeout=2)
    try:
        revision = store.put("k", b"v")
        assert store.get("k") == KeyValue("k", b"v", revision, revision, 1)
    finally:
        store.close()


def test_the_embedded_store_expires_leases_with_nobody_asking(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'kv.db'}")
    migrate(database, [MIGRATIONS])
    store = EmbeddedStore(database)
    try:
        lease = store.grant_lease(1)
        store.put("k", b"", lease=lease.id)
        collector = Collector(store.watch_prefix("k"))
        # Only the housekeeping thread can produce this: nothing reads or writes meanwhile.
        [event] = collector.take(1, timeout=5)
        assert event.type is EventType.DELETE and event.kv.key == "k"
    finally:
        store.close()
        database.dispose()


def test_the_embedded_watch_delivers_a_revision_larger_than_one_batch(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'kv.db'}")
    migrate(database, [MIGRATIONS])
    store = EmbeddedStore(database)
    try:
        keys = [f"k/{number:04}" for number in range(1200)]
        for key in keys:
            store.put(key, b"")
        start = store.revision() + 1
        store.delete_prefix("k/")
        # The watch reads the log in batches of 500; this revision spans three.
        events = _take(store.watch_prefix("k/", start_revision=start), len(keys))
        assert [event.kv.key for event in events] == keys
        assert {(event.type, event.kv.mod_revision) for event in events} == {(EventType.DELETE, start)}
    finally:
        store.close()
        database.dispose()


def test_the_embedded_store_needs_its_tables(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'bare.db'}")
    try:
        with pytest.raises(StartupError, match="MIGRATIONS"):
            EmbeddedStore(database)
    finally:
        database.dispose()


def test_the_embedded_log_is_compacted_by_age_and_count(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'kv.db'}")
    migrate(database, [MIGRATIONS])
    store = EmbeddedStore(database, compact_interval=0.05, log_retention_revisions=3, log_retention_seconds=0.0)
    try:
        first = store.put("k", b"0")
        for value in range(1, 10):
            store.put("k", str(value).encode())
        last = store.revision()

        def compacted() -> bool:
            try:
                store.watch_prefix("k", start_revision=last - 3).cancel()
            except Compacted:
                return True
            return False

        wait_for(compacted, timeout=5, what="the housekeeping thread to compact the log")
        with pytest.raises(Compacted):
            store.watch_prefix("k", start_revision=first)
        # The last three revisions stay.
        watch = store.watch_prefix("k", start_revision=last - 2)
        assert [event.kv.value for event in _take(watch, 3)] == [b"7", b"8", b"9"]
    finally:
        store.close()
        database.dispose()


def test_the_embedded_log_keeps_young_entries(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'kv.db'}")
    migrate(database, [MIGRATIONS])
    threads_before = set(threading.enumerate())
    store = EmbeddedStore(database, compact_interval=0.05, log_retention_revisions=1)
    try:
        first = store.put("k", b"0")
        store.put("k", b"1")
        wait_for(lambda: store.compaction_rounds > 0, timeout=5, what="a compaction round")
        assert [event.kv.value for event in _take(store.watch_prefix("k", start_revision=first), 2)] == [b"0", b"1"]
    finally:
        store.close()
        database.dispose()
    # close() stops the housekeeping thread, not just tells it to stop.
    assert not [thread for thread in set(threading.enumerate()) - threads_before if thread.is_alive()]


def _take(watch: Watch, count: int) -> list[Event]:
    taken: list[Event] = []
    for event in watch:
        taken.append(event)
        if len(taken) == count:
            break
    watch.cancel()
    return taken
