"""Fixtures and checks shared by the resource tests (no tests here).

A resource service on a fresh database (SQLite, and PostgreSQL when the
test is parametrised over it), with meta's real name registry on the
embedded key/value store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from mulligan import meta, resource
from mulligan.db import Database
from mulligan.errors import NotFound
from mulligan.kv import KeyValueStore, open_store
from mulligan.kv.migrations import MIGRATIONS as KV_MIGRATIONS
from mulligan.migrate import migrate
from mulligan.resource.intervals import peak_usage
from mulligan.resource.windows import now_us


@dataclass
class Env:
    database: Database
    kv: KeyValueStore
    names: meta.Names
    service: resource.ResourceService

    def region(self, name: str = "region-1", visibility: str = "internal") -> str:
        return self.service.create_region(name, visibility=visibility).id

    def project(self, name: str) -> str:
        """The UUID of the project called name, registered as iam would."""
        try:
            return self.names.resolve("project", None, name)
        except NotFound:
            with self.names.reserve("project", None, name) as reservation:
                reservation.confirm()
            return reservation.object_id


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def resource_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'resource.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'resource.db'}"


# Projects the tests name; project arguments must name existing projects.
PROJECTS = ("p", "q", "a", "b", "other", "project-a", "project-b")


def open_env(url: str) -> Env:
    database = Database(url)
    migrate(database, [KV_MIGRATIONS, meta.MIGRATIONS, resource.MIGRATIONS])
    kv = open_store((), database)
    names = meta.Names(kv)
    env = Env(database, kv, names, resource.ResourceService(database, names))
    for name in PROJECTS:
        env.project(name)
    return env


def close_env(env: Env) -> None:
    env.service.stop()
    env.names.close()
    env.kv.close()
    env.database.dispose()


@pytest.fixture
def env(resource_url: str) -> Iterator[Env]:
    opened = open_env(resource_url)
    yield opened
    close_env(opened)


@pytest.fixture
def sqlite_env(sqlite_url: str) -> Iterator[Env]:
    opened = open_env(sqlite_url)
    yield opened
    close_env(opened)


def invariant_violations(database: Database) -> list[str]:
    """Every way the stored claims break the capacity rule or the counters.

    Checks, for every (provider, class), that at no instant the claims
    overlapping it exceed capacity, and that the kept counters match the
    allocation rows: ``claimed`` is their sum, ``windowed`` counts the
    windowed ones, and ``free`` never promises more than capacity minus the
    highest usage from now on (exactly capacity minus claimed without
    windowed rows).
    """
    problems = []
    now = now_us()
    with database.read() as session:
        inventories = session.execute(
            sa.text("SELECT provider_id, resource_class, capacity, claimed, free, windowed FROM resource_inventories")
        ).all()
        allocations = session.execute(
            sa.text("SELECT provider_id, resource_class, start_at, end_at, amount, windowed FROM resource_allocations")
        ).all()
    spans: dict[tuple[int, str], list[tuple[int, int | None, int]]] = {}
    windowed: dict[tuple[int, str], int] = {}
    for row in allocations:
        key = (row.provider_id, row.resource_class)
        spans.setdefault(key, []).append((row.start_at, row.end_at, row.amount))
        windowed[key] = windowed.get(key, 0) + int(bool(row.windowed))
    for inv in inventories:
        key = (inv.provider_id, inv.resource_class)
        mine = spans.get(key, [])
        peak = peak_usage(mine, 0, None)
        if peak > inv.capacity:
            problems.append(f"{key}: peak {peak} > capacity {inv.capacity}")
        total = sum(amount for _, _, amount in mine)
        if inv.claimed != total:
            problems.append(f"{key}: claimed counter {inv.claimed}, rows sum to {total}")
        if inv.windowed != windowed.get(key, 0):
            problems.append(f"{key}: windowed counter {inv.windowed} != {windowed.get(key, 0)}")
        if inv.free > inv.capacity - peak_usage(mine, now, None):
            problems.append(f"{key}: free {inv.free} promises more than is left ahead")
        if not inv.windowed and inv.free != inv.capacity - total:
            problems.append(f"{key}: free {inv.free} != capacity - claimed without windowed claims")
    return problems


def brute_force_peak(intervals: list[tuple[int, int | None, int]], start: int, end: int | None, horizon: int) -> int:
    """Usage at every whole instant of [start, end) (end None: up to horizon)."""
    stop = horizon if end is None else end
    best = 0
    for instant in range(start, stop):
        total = sum(a for s, e, a in intervals if s <= instant and (e is None or instant < e))
        best = max(best, total)
    return best
