"""The claims engine decides exactly like a brute-force model of the rule.

Random sequences of claims, window changes and releases on one provider:
each claim must be accepted exactly when, at every whole instant of its
window, the model's accepted claims plus its amount fit the capacity.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mulligan.errors import ResourceExhausted
from mulligan.resource import Allocation, InventorySpec, Window
from tests.functional.test_resource_support import (  # noqa: F401
    Env,
    brute_force_peak,
    env,
    invariant_violations,
    resource_url,
)

SLOTS = 16
# Far enough ahead that "now" never clips a window while the test runs.
BASE = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)


def moment(slot: int) -> datetime:
    return BASE + timedelta(seconds=slot)


@st.composite
def slot_windows(draw: st.DrawFn) -> tuple[int, int | None]:
    start = draw(st.integers(0, SLOTS - 2))
    if draw(st.integers(0, 3)) == 0:
        return start, None
    return start, draw(st.integers(start + 1, SLOTS - 1))


operations = st.lists(
    st.one_of(
        st.tuples(st.just("claim"), slot_windows(), st.integers(1, 6)),
        st.tuples(st.just("release"), st.integers(0, 30), st.just(0)),
        st.tuples(st.just("window"), st.integers(0, 30), slot_windows()),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    total=st.integers(1, 12),
    reserved=st.integers(0, 3),
    ratio=st.sampled_from([1.0, 1.5, 0.5]),
    steps=operations,
)
def test_claims_follow_the_interval_rule(
    env: Env,  # noqa: F811
    total: int,
    reserved: int,
    ratio: float,
    steps: list[tuple[object, ...]],
) -> None:
    reserved = min(reserved, total)
    service = env.service
    region = service.list_regions()[0].id if service.list_regions() else env.region()
    provider = service.create_provider(
        region, inventories=[InventorySpec("VCPU", total, reserved=reserved, allocation_ratio=ratio)]
    )
    capacity = provider.inventories[0].capacity
    accepted: dict[str, tuple[int, int | None, int]] = {}
    for op in steps:
        if op[0] == "claim":
            (start, end), amount = op[1], op[2]
            assert isinstance(amount, int)
            fits = brute_force_peak(list(accepted.values()), start, end, SLOTS) + amount <= capacity
            fits = fits and amount <= total  # max_unit defaults to total
            consumer = str(uuid.uuid4())
            window = Window(moment(start), None if end is None else moment(end))
            try:
                service.claim(consumer, [Allocation(provider.id, "VCPU", amount)], project_id="p", window=window)
            except ResourceExhausted:
                assert not fits, f"refused a claim of {amount} over {start}..{end} that fits {accepted}"
            except Exception as exc:
                assert amount > total, exc
            else:
                assert fits, f"accepted a claim of {amount} over {start}..{end} that over-commits {accepted}"
                accepted[consumer] = (start, end, amount)
        elif accepted:
            consumer = sorted(accepted)[int(op[1]) % len(accepted)]  # type: ignore[call-overload]
            if op[0] == "release":
                service.release(consumer)
                del accepted[consumer]
                continue
            (start, end) = op[2]  # type: ignore[misc]
            amount = accepted[consumer][2]
            others = [span for key, span in accepted.items() if key != consumer]
            fits = brute_force_peak(others, start, end, SLOTS) + amount <= capacity
            try:
                service.update_claim_window(consumer, Window(moment(start), None if end is None else moment(end)))
            except ResourceExhausted:
                assert not fits
            else:
                assert fits
                accepted[consumer] = (start, end, amount)
    assert invariant_violations(env.database) == []
    for consumer in accepted:
        service.release(consumer)
