"""Claims and reservations: the capacity rule over windows, atomicity,
replacement, windows, release, expiry, usage, quotas and tenant isolation."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from mulligan import meta, resource
from mulligan.context import Caller, reset_caller, set_caller
from mulligan.db import Database
from mulligan.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
)
from mulligan.kv import open_store
from mulligan.kv.migrations import MIGRATIONS as KV_MIGRATIONS
from mulligan.migrate import Migrations, migrate
from mulligan.resource import Allocation, InventorySpec, RequestGroup, Window
from tests.fixtures.daemon import wait_for
from tests.functional.test_resource_support import (  # noqa: F401
    Env,
    close_env,
    env,
    invariant_violations,
    resource_url,
    sqlite_env,
    sqlite_url,
)

HOUR = timedelta(hours=1)


def _new() -> str:
    return str(uuid.uuid4())


def _at(hours: float) -> datetime:
    """A moment that many hours from a fixed point well in the future."""
    return BASE + timedelta(hours=hours)


BASE = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


@pytest.fixture
def host(env: Env) -> str:  # noqa: F811
    # Public: tenants claim from it too.
    return env.service.create_provider(
        env.region(visibility="public"),
        name="host",
        inventories=[
            InventorySpec("VCPU", 8),
            InventorySpec("MEMORY_MB", 4096, min_unit=512, max_unit=2048, step_size=512),
        ],
    ).id


def test_claims_fit_within_capacity_and_are_all_or_nothing(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    other = service.create_provider(env.service.list_regions()[0].id, inventories=[InventorySpec("VCPU", 2)]).id
    claim = service.claim(_new(), [Allocation(host, "VCPU", 6), Allocation("host", "MEMORY_MB", 1024)], project_id="p")
    assert claim.generation == 1 and claim.end is None and {a.provider_id for a in claim.allocations} == {host}
    with pytest.raises(ResourceExhausted) as full:
        service.claim(_new(), [Allocation(host, "VCPU", 3)], project_id="p")
    assert full.value.reason == "INSUFFICIENT_CAPACITY"
    assert full.value.metadata["capacity"] == "8" and full.value.metadata["used"] == "6"
    # The second allocation does not fit: the first is not kept either.
    consumer = _new()
    with pytest.raises(ResourceExhausted):
        service.claim(consumer, [Allocation(other, "VCPU", 1), Allocation(host, "VCPU", 3)], project_id="p")
    with pytest.raises(NotFound):
        service.get_claim(consumer)
    assert service.get_provider(other).inventory("VCPU").claimed == 0  # type: ignore[union-attr]
    service.claim(consumer, [Allocation(other, "VCPU", 2), Allocation(host, "VCPU", 2)], project_id="p")
    assert invariant_violations(env.database) == []


def test_bad_claims_are_refused_and_nothing_is_stored(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    consumer = _new()
    cases = [
        ([Allocation(host, "VCPU", 0)], Window(), InvalidArgument, "INVALID_AMOUNT"),
        ([Allocation(host, "VCPU", -2)], Window(), InvalidArgument, "INVALID_AMOUNT"),
        ([], Window(), InvalidArgument, "EMPTY_CLAIM"),
        ([Allocation(host, "VCPU", 1), Allocation(host, "VCPU", 1)], Window(), InvalidArgument, "DUPLICATE_ALLOCATION"),
        ([Allocation(host, "CUSTOM_NOPE", 1)], Window(), InvalidArgument, "UNKNOWN_RESOURCE_CLASS"),
        ([Allocation(host, "MEMORY_MB", 256)], Window(), InvalidArgument, "AMOUNT_OUT_OF_RANGE"),
        ([Allocation(host, "MEMORY_MB", 4096)], Window(), InvalidArgument, "AMOUNT_OUT_OF_RANGE"),
        ([Allocation(host, "MEMORY_MB", 700)], Window(), InvalidArgument, "AMOUNT_NOT_A_STEP"),
        ([Allocation(host, "DISK_GB", 1)], Window(), FailedPrecondition, "NO_INVENTORY"),
        ([Allocation(_new(), "VCPU", 1)], Window(), NotFound, "PROVIDER_NOT_FOUND"),
        ([Allocation(host, "VCPU", 1)], Window(_at(2), _at(1)), InvalidArgument, "INVALID_WINDOW"),
        ([Allocation(host, "VCPU", 1)], Window(_at(2), _at(2)), InvalidArgument, "INVALID_WINDOW"),
        (
            [Allocation(host, "VCPU", 1)],
            Window(None, datetime.now(UTC) - HOUR),
            InvalidArgument,
            "WINDOW_ENDED",
        ),
    ]
    for allocations, window, error, reason in cases:
        with pytest.raises(error) as raised:
            service.claim(consumer, allocations, project_id="p", window=window)
        assert raised.value.reason == reason, (allocations, window)
    with pytest.raises(InvalidArgument):
        service.claim("not-a-uuid", [Allocation(host, "VCPU", 1)], project_id="p")
    with pytest.raises(InvalidArgument):
        service.claim(consumer, [Allocation(host, "VCPU", 1)], project_id="p", kind="Bad Kind")
    with pytest.raises(NotFound):
        service.get_claim(consumer)
    assert service.get_provider(host).inventory("VCPU").claimed == 0  # type: ignore[union-attr]


def test_a_consumer_holds_one_claim(env: Env, host: str) -> None:  # noqa: F811
    consumer = _new()
    env.service.claim(consumer, [Allocation(host, "VCPU", 1)], project_id="p")
    with pytest.raises(AlreadyExists):
        env.service.claim(consumer, [Allocation(host, "VCPU", 1)], project_id="p")


def test_reservations_are_claims_that_start_later(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    # Held now and until released.
    service.claim(_new(), [Allocation(host, "VCPU", 2)], project_id="p")
    first = service.claim(_new(), [Allocation(host, "VCPU", 6)], project_id="p", window=Window(_at(0), _at(4)))
    assert first.is_reservation and first.start == _at(0) and first.end == _at(4)
    # Overlapping at some instant: refused.
    with pytest.raises(ResourceExhausted):
        service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id="p", window=Window(_at(3), _at(5)))
    # Touching windows are half-open: no overlap.
    service.claim(_new(), [Allocation(host, "VCPU", 6)], project_id="p", window=Window(_at(4), _at(6)))
    service.claim(_new(), [Allocation(host, "VCPU", 6)], project_id="p", window=Window(_at(-40), _at(0)))
    # An open-ended claim from now meets every reservation ahead.
    with pytest.raises(ResourceExhausted):
        service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id="p")
    service.claim(_new(), [Allocation(host, "VCPU", 6)], project_id="p", window=Window(_at(6), None))
    assert invariant_violations(env.database) == []
    usage = {u.resource_class: u.used for u in service.provider_usage(host, at=_at(1))}
    assert usage["VCPU"] == 8
    assert {u.resource_class: u.used for u in service.provider_usage(host)}["VCPU"] == 2


def test_windows_change_like_new_claims(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    early = _new()
    service.claim(early, [Allocation(host, "VCPU", 5)], project_id="p", window=Window(_at(0), _at(2)))
    service.claim(_new(), [Allocation(host, "VCPU", 5)], project_id="p", window=Window(_at(3), _at(5)))
    with pytest.raises(ResourceExhausted):
        service.update_claim_window(early, Window(None, _at(4)))
    extended = service.update_claim_window(early, Window(None, _at(3)))
    assert extended.start == _at(0) and extended.end == _at(3) and extended.generation == 2
    shortened = service.update_claim_window(early, Window(_at(1), _at(2)))
    assert shortened.start == _at(1)
    with pytest.raises(Conflict):
        service.update_claim_window(early, Window(None, _at(2.5)), generation=1)
    with pytest.raises(InvalidArgument):
        service.update_claim_window(early, Window(None, _at(0.5)))
    assert service.get_claim(early).end == _at(2)
    assert invariant_violations(env.database) == []


def test_replace_swaps_allocations_atomically(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    region = service.list_regions()[0].id
    spare = service.create_provider(region, inventories=[InventorySpec("VCPU", 8)]).id
    service.claim(_new(), [Allocation(spare, "VCPU", 4)], project_id="p")
    consumer = _new()
    service.claim(consumer, [Allocation(host, "VCPU", 6)], project_id="p")
    # Its own claim does not count against the replacement.
    grown = service.replace_claim(consumer, [Allocation(host, "VCPU", 8)], generation=1)
    assert grown.generation == 2 and [a.amount for a in grown.allocations] == [8]
    with pytest.raises(Conflict):
        service.replace_claim(consumer, [Allocation(host, "VCPU", 1)], generation=1)
    with pytest.raises(ResourceExhausted):
        service.replace_claim(consumer, [Allocation(spare, "VCPU", 5)])
    assert service.get_claim(consumer).allocations == grown.allocations
    moved = service.replace_claim(consumer, [Allocation(spare, "VCPU", 4)])
    assert [a.provider_id for a in moved.allocations] == [spare]
    assert service.get_provider(host).inventory("VCPU").claimed == 0  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        service.replace_claim(_new(), [Allocation(spare, "VCPU", 1)])
    assert invariant_violations(env.database) == []


def test_release_gives_capacity_back(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    consumer = _new()
    service.claim(consumer, [Allocation(host, "VCPU", 8)], project_id="p")
    service.release(consumer)
    with pytest.raises(NotFound):
        service.release(consumer)
    service.claim(_new(), [Allocation(host, "VCPU", 8)], project_id="p")


def test_listing_claims_by_consumer_provider_project_and_time(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    now_claim = service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id="a")
    later = service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id="b", window=Window(_at(1), _at(2)))
    other = service.create_provider(service.list_regions()[0].id, inventories=[InventorySpec("VCPU", 1)]).id
    elsewhere = service.claim(_new(), [Allocation(other, "VCPU", 1)], project_id="a", window=Window(None, _at(-1)))
    by_provider, _ = service.list_claims(provider="host")
    assert {c.consumer_id for c in by_provider} == {now_claim.consumer_id, later.consumer_id}
    by_project, _ = service.list_claims(project="a")
    assert {c.consumer_id for c in by_project} == {now_claim.consumer_id, elsewhere.consumer_id}
    in_window, _ = service.list_claims(start=_at(1.5), end=_at(3))
    assert {c.consumer_id for c in in_window} == {now_claim.consumer_id, later.consumer_id}
    mine, _ = service.list_claims(consumer=later.consumer_id)
    assert [c.project_id for c in mine] == [env.project("b")]
    first, token = service.list_claims(limit=2)
    rest, end = service.list_claims(limit=2, page_token=token)
    assert len(first) == 2 and len(rest) == 1 and end == ""
    with pytest.raises(InvalidArgument):
        service.list_claims(start=_at(2), end=_at(1))


def test_ended_claims_are_released_automatically(sqlite_env: Env) -> None:  # noqa: F811
    service = sqlite_env.service
    host = service.create_provider(sqlite_env.region(), inventories=[InventorySpec("VCPU", 4)]).id
    short = _new()
    soon = datetime.now(UTC) + timedelta(milliseconds=300)
    service.claim(short, [Allocation(host, "VCPU", 4)], project_id="p", window=Window(None, soon))
    kept = _new()
    service.claim(kept, [Allocation(host, "VCPU", 4)], project_id="p", window=Window(soon, None))
    assert service.expire_claims(now=soon - timedelta(milliseconds=1)) == 0
    fast = type(service)(sqlite_env.database, sqlite_env.names, expiry_interval_s=0.05)
    fast.start()
    try:
        wait_for(lambda: not service.list_claims(consumer=short)[0], what="the ended claim to be released")
    finally:
        fast.stop()
    assert service.get_claim(kept).allocations
    wait_for(lambda: invariant_violations(sqlite_env.database) == [], what="counters to settle")
    inv = service.get_provider(host).inventory("VCPU")
    assert inv is not None and inv.claimed == 4


def test_usage_of_a_project_at_an_instant(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    service.claim(_new(), [Allocation(host, "VCPU", 2)], project_id="a")
    service.claim(_new(), [Allocation(host, "VCPU", 3)], project_id="a", window=Window(_at(1), _at(2)))
    service.set_quota("a", "VCPU", 7)
    assert {(u.resource_class, u.used, u.capacity) for u in service.project_usage("a")} == {("VCPU", 2, 7)}
    assert {(u.resource_class, u.used) for u in service.project_usage("a", at=_at(1.5))} == {("VCPU", 5)}
    assert service.project_usage(env.project("nobody")) == []


def test_project_arguments_name_existing_projects(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    quota = service.set_quota("q", "VCPU", 1)
    # Stored against the project, not the text typed: it applies.
    assert quota.project_id == env.project("q")
    assert [q.project_id for q in service.list_quotas(env.project("q"))] == [env.project("q")]
    with pytest.raises(ResourceExhausted):
        service.claim(_new(), [Allocation(host, "VCPU", 2)], project_id=env.project("q"))
    unknown = (
        lambda ref: service.set_quota(ref, "VCPU", 1),
        lambda ref: service.delete_quota(ref, "VCPU"),
        service.list_quotas,
        service.project_usage,
        lambda ref: service.list_claims(project=ref),
        lambda ref: service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id=ref),
        lambda ref: service.claim_best(_new(), [RequestGroup(resources={"VCPU": 1})], project_id=ref),
    )
    for call in unknown:
        for ref in ("no-such-project", _new()):
            with pytest.raises(NotFound) as missing:
                call(ref)
            assert missing.value.reason == "PROJECT_NOT_FOUND"
    assert [(q.project_id, q.limit) for q in service.list_quotas()] == [(env.project("q"), 1)]
    assert service.list_claims()[0] == []


def test_project_quotas_apply_at_every_instant_of_the_window(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    service.set_quota("q", "VCPU", 4)
    service.claim(_new(), [Allocation(host, "VCPU", 3)], project_id="q", window=Window(_at(0), _at(2)))
    with pytest.raises(ResourceExhausted) as over:
        service.claim(_new(), [Allocation(host, "VCPU", 2)], project_id="q", window=Window(_at(1), _at(3)))
    assert over.value.reason == "QUOTA_EXCEEDED"
    # Not overlapping: fits the quota again.
    service.claim(_new(), [Allocation(host, "VCPU", 4)], project_id="q", window=Window(_at(2), _at(3)))
    # Other projects and classes are not limited.
    service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id="other", window=Window(_at(0), _at(1)))
    service.claim(_new(), [Allocation(host, "MEMORY_MB", 2048)], project_id="q")
    assert [(q.resource_class, q.limit) for q in service.list_quotas("q")] == [("VCPU", 4)]
    with pytest.raises(InvalidArgument):
        service.set_quota("q", "VCPU", -1)
    with pytest.raises(InvalidArgument):
        service.set_quota("q", "CUSTOM_NOPE", 1)
    service.delete_quota("q", "VCPU")
    with pytest.raises(NotFound):
        service.delete_quota("q", "VCPU")
    service.claim(_new(), [Allocation(host, "VCPU", 2)], project_id="q", window=Window(_at(1), _at(3)))


def test_quotas_hold_under_concurrent_claims_on_different_providers(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    hosts = [service.create_provider(region, inventories=[InventorySpec("VCPU", 100)]).id for _ in range(4)]
    service.set_quota("q", "VCPU", 10)
    refused: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(index: int) -> None:
        barrier.wait()
        for _ in range(5):
            try:
                service.claim(_new(), [Allocation(hosts[index % 4], "VCPU", 1)], project_id="q")
            except ResourceExhausted as exc:
                refused.append(exc.reason)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(refused) == {"QUOTA_EXCEEDED"} and len(refused) == 30
    assert {u.resource_class: u.used for u in service.project_usage("q")} == {"VCPU": 10}


def test_tenants_claim_in_their_own_project_only(env: Env, host: str) -> None:  # noqa: F811
    service = env.service
    theirs = service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id="project-b")
    alice = Caller(account_id="alice", project_id=env.project("project-a"), roles=frozenset({"member", "reader"}))
    token = set_caller(alice)
    try:
        mine = service.claim(_new(), [Allocation(host, "VCPU", 1)])
        assert mine.project_id == alice.project_id
        best = service.claim_best(_new(), [RequestGroup(resources={"VCPU": 1})])
        assert best.project_id == alice.project_id
        # A project not theirs, existing or not, gets one answer.
        for other in ("project-b", "no-such-project"):
            with pytest.raises(PermissionDenied):
                service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id=other)
            assert service.list_claims(project=other)[0] == []
            with pytest.raises(NotFound) as hidden:
                service.project_usage(other)
            assert hidden.value.reason == "PROJECT_NOT_FOUND"
        with pytest.raises(NotFound):
            service.get_claim(theirs.consumer_id)
        with pytest.raises(NotFound):
            service.release(theirs.consumer_id)
        with pytest.raises(NotFound):
            service.update_claim_window(theirs.consumer_id, Window(None, _at(1)))
        listed, _ = service.list_claims()
        assert {c.consumer_id for c in listed} == {mine.consumer_id, best.consumer_id}
        assert {u.resource_class: u.used for u in service.project_usage("project-a")} == {"VCPU": 2}
        service.release(mine.consumer_id)
    finally:
        reset_caller(token)
    assert service.get_claim(theirs.consumer_id).project_id == env.project("project-b")


@contextlib.contextmanager
def _env_at_step(url: str, step: int) -> Iterator[Env]:
    """A resource service on a database whose resource schema stops at step."""
    database = Database(url)
    migrate(database, [KV_MIGRATIONS, meta.MIGRATIONS, Migrations("resource", resource.MIGRATIONS.steps[:step])])
    kv = open_store((), database)
    names = meta.Names(kv)
    older = Env(database, kv, names, resource.ResourceService(database, names))
    try:
        yield older
    finally:
        close_env(older)


def test_claims_survive_the_move_to_consumer_ids_per_project(resource_url: str) -> None:  # noqa: F811
    with _env_at_step(resource_url, 2) as older:
        database = older.database
        service = older.service
        host = service.create_provider(older.region(visibility="public"), inventories=[InventorySpec("VCPU", 8)]).id
        a, b = older.project("a"), older.project("b")
        held = service.claim(_new(), [Allocation(host, "VCPU", 3)], project_id=a, window=Window(None, _at(2)))
        # Before: one claim per consumer id across all projects.
        with pytest.raises(AlreadyExists):
            service.claim(held.consumer_id, [Allocation(host, "VCPU", 1)], project_id=b)
        migrate(database, [resource.MIGRATIONS])
        kept = service.get_claim(held.consumer_id)
        assert (kept.project_id, kept.allocations, kept.end) == (a, held.allocations, held.end)
        other = service.claim(held.consumer_id, [Allocation(host, "VCPU", 5)], project_id=b)
        # Both count: the host is full.
        with pytest.raises(ResourceExhausted):
            service.claim(_new(), [Allocation(host, "VCPU", 1)], project_id=a)
        with pytest.raises(AlreadyExists):
            service.claim(held.consumer_id, [Allocation(host, "VCPU", 1)], project_id=b)
        assert invariant_violations(database) == []
        service.release(held.consumer_id, project_id="a")
        assert service.get_claim(held.consumer_id).project_id == other.project_id == b
        # Allocations still go with their consumer.
        with database.write() as session:
            session.execute(sa.text("DELETE FROM resource_consumers"))
            assert session.execute(sa.text("SELECT count(*) FROM resource_allocations")).scalar_one() == 0


_INVENTORY_ROWS = sa.text("SELECT * FROM resource_inventories ORDER BY provider_id, resource_class")


def test_inventories_keep_every_row_when_stored_in_key_order(resource_url: str) -> None:  # noqa: F811
    with _env_at_step(resource_url, 3) as older:
        database = older.database
        service = older.service
        region = older.region(visibility="public")
        kept, gone = (
            service.create_provider(region, inventories=[InventorySpec("VCPU", 8), InventorySpec("MEMORY_MB", 4096)]).id
            for _ in range(2)
        )
        service.claim(_new(), [Allocation(kept, "VCPU", 3)], project_id=older.project("a"), window=Window(None, _at(2)))
        with database.read() as session:
            before = session.execute(_INVENTORY_ROWS).all()
        migrate(database, [resource.MIGRATIONS])
        with database.read() as session:
            assert session.execute(_INVENTORY_ROWS).all() == before
            if database.is_sqlite:
                table = session.execute(
                    sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'resource_inventories'")
                ).scalar_one()
                assert "WITHOUT ROWID" in table
                indexes = session.execute(
                    sa.text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'resource_inventories'")
                ).scalars()
                assert set(indexes) == {"ix_resource_inventories_class_free", "ix_resource_inventories_windowed"}
        # Counters, the claim check and the provider's cascade all still work on it.
        with pytest.raises(ResourceExhausted):
            service.claim(_new(), [Allocation(kept, "VCPU", 6)], project_id=older.project("a"))
        service.claim(_new(), [Allocation(kept, "VCPU", 5)], project_id=older.project("a"))
        service.delete_provider(gone)
        with database.read() as session:
            left = {row.provider_id for row in session.execute(_INVENTORY_ROWS)}
        assert invariant_violations(database) == []
        assert len(left) == 1
        assert service.get_provider(kept).inventory("VCPU").claimed == 8  # type: ignore[union-attr]
        with pytest.raises(NotFound):
            service.get_provider(gone)
