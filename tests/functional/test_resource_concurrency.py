"""No over-commit under real concurrency, on SQLite and PostgreSQL.

16 threads make 120 random operations each (claims now and later, claims
through ClaimBest, releases, window changes and replacements) against a
small, tight inventory; afterwards no instant may over-commit any
(provider, class), and the kept counters must match the claim rows.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from mulligan.errors import MulliganError, ResourceExhausted
from mulligan.resource import Allocation, InventorySpec, RequestGroup, Window
from tests.functional.test_resource_support import Env, env, invariant_violations, resource_url  # noqa: F401

THREADS = 16
OPERATIONS = 120


def _window(rng: random.Random) -> Window:
    now = datetime.now(UTC)
    shape = rng.random()
    if shape < 0.3:
        return Window()
    start = now + timedelta(milliseconds=rng.randint(0, 4000))
    if shape < 0.45:
        return Window(start, None)
    return Window(start, start + timedelta(milliseconds=rng.randint(50, 3000)))


def _allocations(rng: random.Random, providers: list[str]) -> list[Allocation]:
    chosen = rng.sample(providers, rng.randint(1, 2))
    allocations = []
    for provider in chosen:
        allocations.append(Allocation(provider, "VCPU", rng.randint(1, 4)))
        if rng.random() < 0.6:
            allocations.append(Allocation(provider, "MEMORY_MB", 512 * rng.randint(1, 4)))
        if rng.random() < 0.3:
            allocations.append(Allocation(provider, "DISK_GB", rng.randint(10, 60)))
    return allocations


@pytest.mark.slow
def test_random_claims_releases_and_reservations_never_over_commit(env: Env) -> None:  # noqa: F811
    region = env.region()
    service = env.service
    providers = [
        service.create_provider(
            region,
            inventories=[
                InventorySpec("VCPU", 8),
                InventorySpec("MEMORY_MB", 4096, min_unit=512, step_size=512),
                InventorySpec("DISK_GB", 100, reserved=20, allocation_ratio=1.5),
            ],
        ).id
        for _ in range(3)
    ]
    counts: Counter[str] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[str] = []
        local: Counter[str] = Counter()
        barrier.wait()
        for _ in range(OPERATIONS):
            roll = rng.random()
            try:
                if roll < 0.4 or not mine:
                    consumer = str(uuid.uuid4())
                    service.claim(consumer, _allocations(rng, providers), project_id="p", window=_window(rng))
                    mine.append(consumer)
                    local["claimed"] += 1
                elif roll < 0.55:
                    consumer = str(uuid.uuid4())
                    group = RequestGroup(resources={"VCPU": rng.randint(1, 3), "MEMORY_MB": 512})
                    service.claim_best(consumer, [group], project_id="p", window=_window(rng))
                    mine.append(consumer)
                    local["claimed_best"] += 1
                elif roll < 0.75:
                    service.release(mine.pop(rng.randrange(len(mine))))
                    local["released"] += 1
                elif roll < 0.88:
                    consumer = rng.choice(mine)
                    later = datetime.now(UTC) + timedelta(milliseconds=rng.randint(100, 5000))
                    service.update_claim_window(consumer, Window(None, later if rng.random() < 0.8 else None))
                    local["window_changed"] += 1
                else:
                    service.replace_claim(rng.choice(mine), _allocations(rng, providers), window=_window(rng))
                    local["replaced"] += 1
            except ResourceExhausted:
                local["exhausted"] += 1
            except MulliganError as exc:
                # A new end before the start, or an end already past, is refused
                # as bad input; anything else is a bug.
                if exc.reason in ("WINDOW_ENDED", "INVALID_WINDOW"):
                    local["window_refused"] += 1
                else:
                    with lock:
                        errors.append(exc)
            except BaseException as exc:
                with lock:
                    errors.append(exc)
        with lock:
            counts.update(local)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts.values()) == THREADS * OPERATIONS
    # The inventory really was tight: many claims succeeded and many were refused.
    assert counts["claimed"] + counts["claimed_best"] > THREADS * OPERATIONS // 12
    assert counts["exhausted"] > THREADS * OPERATIONS // 32
    assert invariant_violations(env.database) == []
