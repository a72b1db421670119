"""Candidate search and ClaimBest: filters, trees, sharing, distances,
windows, ranking and ties, bounded search, bad input.

Most tests run under each search strategy (an index scan in small batches,
enumerating seed trees, and a scan that runs out of budget and falls back),
which must all give the same answers.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from mulligan.errors import AlreadyExists, InvalidArgument, NotFound, ResourceExhausted
from mulligan.resource import (
    Allocation,
    CandidateRequest,
    InventorySpec,
    Near,
    RequestGroup,
    Window,
)
from mulligan.resource.candidates import engine
from tests.functional.test_resource_support import Env, env, invariant_violations, resource_url  # noqa: F401

STRATEGIES = {
    "scan": {
        "SEED_SMALL": -1,
        "SEED_CAP": -1,
        "MIN_SCAN_BATCH": 2,
        "MAX_SCAN_BATCH": 4,
        "ENUMERATE_WHEN_POOL_COVERS": False,
    },
    "enumerate": {"SEED_SMALL": 10**9, "SEED_CAP": 10**9},
    "fallback": {
        "SEED_SMALL": -1,
        "SEED_CAP": 10**9,
        "SCAN_BUDGET": 2,
        "MIN_SCAN_BATCH": 2,
        "MAX_SCAN_BATCH": 2,
        "ENUMERATE_WHEN_POOL_COVERS": False,
    },
}


@pytest.fixture(params=sorted(STRATEGIES))
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name, value in STRATEGIES[request.param].items():
        monkeypatch.setattr(engine, name, value)
    used: set[str] = set()
    for method in ("_scan", "_enumerate"):
        original = getattr(engine.CandidateEngine, method)

        def counted(self: object, *args: object, _original: object = original, _name: str = method) -> object:
            used.add(_name)
            return _original(self, *args)  # type: ignore[operator]

        monkeypatch.setattr(engine.CandidateEngine, method, counted)
    yield request.param
    # The strategy really was the one asked for (fallback scans, then enumerates).
    expected = {"scan": {"_scan"}, "enumerate": {"_enumerate"}, "fallback": {"_scan", "_enumerate"}}
    assert used & expected[request.param], used


def _new() -> str:
    return str(uuid.uuid4())


def _find(world: Env, *groups: RequestGroup, **options: object) -> list[list[str]]:
    """Each candidate as the sorted provider ids of its plan."""
    request = CandidateRequest(groups=tuple(groups), **options)  # type: ignore[arg-type]
    return [sorted({a.provider_id for a in c.allocations}) for c in world.service.find_candidates(request)]


def _vcpu_hosts(world: Env, *totals: int, **kwargs: object) -> list[str]:
    region = world.service.list_regions()[0].id if world.service.list_regions() else world.region()
    return [
        world.service.create_provider(region, inventories=[InventorySpec("VCPU", total)], **kwargs).id  # type: ignore[arg-type]
        for total in totals
    ]


def test_pack_fills_the_fullest_and_spread_the_emptiest(env: Env, strategy: str) -> None:  # noqa: F811
    small, medium, large = _vcpu_hosts(env, 4, 8, 16)
    group = RequestGroup(resources={"VCPU": 2})
    assert _find(env, group) == [[small], [medium], [large]]
    assert _find(env, group, rank="spread") == [[large], [medium], [small]]
    assert _find(env, group, limit=2) == [[small], [medium]]
    env.service.claim(_new(), [Allocation(large, "VCPU", 14)], project_id="p")
    found = env.service.find_candidates(CandidateRequest(groups=(group,)))
    assert [c.rank_key for c in found] == [2, 4, 8]
    summary = found[0].providers[0].resources[0]
    assert (summary.resource_class, summary.capacity, summary.used) == ("VCPU", 16, 14)
    assert _find(env, RequestGroup(resources={"VCPU": 5})) == [[medium]]


def test_many_equal_providers_rank_the_same_way_each_time(env: Env, strategy: str) -> None:  # noqa: F811
    hosts = _vcpu_hosts(env, *[8] * 12)
    group = RequestGroup(resources={"VCPU": 1})
    first = _find(env, group, limit=5)
    assert first == [[h] for h in hosts[:5]]
    assert _find(env, group, limit=5) == first
    assert _find(env, group, limit=5, rank="spread") == [[h] for h in reversed(hosts[-5:])]
    chosen = {_find(env, group, limit=1, ties="random")[0][0] for _ in range(30)}
    assert len(chosen) > 1 and chosen <= set(hosts)


def test_required_forbidden_and_any_traits(env: Env, strategy: str) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    service.create_trait("CUSTOM_SLOW")

    def host(*traits: str) -> str:
        return service.create_provider(region, inventories=[InventorySpec("VCPU", 4)], traits=traits).id

    avx = host("HW_CPU_X86_AVX2")
    avx_slow = host("HW_CPU_X86_AVX2", "CUSTOM_SLOW")
    ssd = host("STORAGE_DISK_SSD")
    nvme = host("STORAGE_DISK_NVME", "HW_CPU_X86_AVX2")
    plain = host()

    def find(**traits: object) -> set[str]:
        return {ids[0] for ids in _find(env, RequestGroup(resources={"VCPU": 1}, **traits))}  # type: ignore[arg-type]

    assert find(required_traits=frozenset({"HW_CPU_X86_AVX2"})) == {avx, avx_slow, nvme}
    assert find(required_traits=frozenset({"HW_CPU_X86_AVX2"}), forbidden_traits=frozenset({"CUSTOM_SLOW"})) == {
        avx,
        nvme,
    }
    assert find(any_traits=(frozenset({"STORAGE_DISK_SSD", "STORAGE_DISK_NVME"}),)) == {ssd, nvme}
    assert find(forbidden_traits=frozenset({"HW_CPU_X86_AVX2", "STORAGE_DISK_SSD"})) == {plain}


def test_group_membership_counts_through_the_tree_root(env: Env, strategy: str) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    rack = service.create_group("rack-1")
    quarantine = service.create_group("quarantine")
    in_rack = service.create_provider(region, groups=["rack-1"])
    numa = service.create_provider(parent=in_rack.id, inventories=[InventorySpec("VCPU", 4)])
    outside = _vcpu_hosts(env, 4)[0]
    bad = _vcpu_hosts(env, 4, groups=["rack-1", "quarantine"])[0]
    group = RequestGroup(resources={"VCPU": 1}, member_of=("rack-1",))
    assert {ids[0] for ids in _find(env, group)} == {numa.id, bad}
    group = RequestGroup(resources={"VCPU": 1}, member_of=(rack.id,), not_member_of=(quarantine.id,))
    assert _find(env, group) == [[numa.id]]
    group = RequestGroup(resources={"VCPU": 1}, not_member_of=("rack-1",))
    assert _find(env, group) == [[outside]]
    with pytest.raises(NotFound):
        _find(env, RequestGroup(resources={"VCPU": 1}, member_of=("no-such-group",)))


def test_region_includes_subregions_and_in_tree_limits_to_one_tree(env: Env, strategy: str) -> None:  # noqa: F811
    service = env.service
    service.create_region("europe")
    service.create_region("eu-west", parent="europe")
    service.create_region("asia")
    west = service.create_provider("eu-west", name="west", inventories=[InventorySpec("VCPU", 4)]).id
    top = service.create_provider("europe", name="top", inventories=[InventorySpec("VCPU", 8)]).id
    service.create_provider("asia", inventories=[InventorySpec("VCPU", 4)])
    group = RequestGroup(resources={"VCPU": 1})
    assert _find(env, group, region="europe") == [[west], [top]]
    assert _find(env, group, region="eu-west") == [[west]]
    child = service.create_provider(parent="top", inventories=[InventorySpec("VCPU", 2)]).id
    # One candidate per tree: the best place in it.
    assert _find(env, RequestGroup(resources={"VCPU": 1}, in_tree="top")) == [[child]]
    assert _find(env, RequestGroup(resources={"VCPU": 4}, in_tree="top")) == [[top]]
    assert _find(env, RequestGroup(resources={"VCPU": 1}, in_tree="west")) == [[west]]


def _numa_host(world: Env, region: str, name: str) -> dict[str, str]:
    service = world.service
    root = service.create_provider(region, name=name, inventories=[InventorySpec("DISK_GB", 100)]).id
    numa0 = service.create_provider(
        parent=root, inventories=[InventorySpec("VCPU", 8), InventorySpec("MEMORY_MB", 8192)], traits=["HW_NUMA_ROOT"]
    ).id
    numa1 = service.create_provider(
        parent=root, inventories=[InventorySpec("VCPU", 8), InventorySpec("MEMORY_MB", 8192)], traits=["HW_NUMA_ROOT"]
    ).id
    fpga = service.create_provider(parent=numa0, inventories=[InventorySpec("FPGA", 1)]).id
    return {"root": root, "numa0": numa0, "numa1": numa1, "fpga": fpga}


def test_same_subtree_and_group_policies_in_nested_trees(env: Env, strategy: str) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    host = _numa_host(env, region, "host-a")
    _vcpu_hosts(env, 32, 32)  # flat providers that can never hold the FPGA group
    # numa1 is now the fuller one: pack prefers it.
    service.claim(_new(), [Allocation(host["numa1"], "VCPU", 2)], project_id="p")
    numa = RequestGroup(label="numa", resources={"VCPU": 2, "MEMORY_MB": 1024})
    accel = RequestGroup(label="accel", resources={"FPGA": 1})
    found = service.find_candidates(CandidateRequest(groups=(numa, accel)))
    assert len(found) == 1
    assert found[0].plan["numa"][0].provider_id == host["numa1"]
    found = service.find_candidates(CandidateRequest(groups=(numa, accel), same_subtree=(("numa", "accel"),)))
    assert found[0].plan["numa"][0].provider_id == host["numa0"]
    assert found[0].plan["accel"][0].provider_id == host["fpga"]
    # Two small groups share the fullest NUMA node, unless isolated.
    a = RequestGroup(label="a", resources={"VCPU": 2}, required_traits=frozenset({"HW_NUMA_ROOT"}))
    b = RequestGroup(label="b", resources={"VCPU": 2}, required_traits=frozenset({"HW_NUMA_ROOT"}))
    shared = service.find_candidates(CandidateRequest(groups=(a, b)))[0]
    assert shared.plan["a"][0].provider_id == shared.plan["b"][0].provider_id == host["numa1"]
    assert sorted(shared.allocations, key=lambda x: x.amount) == [Allocation(host["numa1"], "VCPU", 4)]
    isolated = service.find_candidates(CandidateRequest(groups=(a, b), group_policy="isolate"))[0]
    assert {isolated.plan["a"][0].provider_id, isolated.plan["b"][0].provider_id} == {host["numa0"], host["numa1"]}
    # Together they no longer fit on one node: none-policy spreads them too.
    big_a = RequestGroup(label="a", resources={"VCPU": 4}, required_traits=frozenset({"HW_NUMA_ROOT"}))
    big_b = RequestGroup(label="b", resources={"VCPU": 4}, required_traits=frozenset({"HW_NUMA_ROOT"}))
    split = service.find_candidates(CandidateRequest(groups=(big_a, big_b)))[0]
    assert split.plan["a"][0].provider_id != split.plan["b"][0].provider_id
    # A resourceless group anchors a subtree.
    anchor = RequestGroup(label="anchor", required_traits=frozenset({"HW_NUMA_ROOT"}))
    anchored = service.find_candidates(
        CandidateRequest(groups=(anchor, accel, numa), same_subtree=(("anchor", "accel", "numa"),))
    )[0]
    assert anchored.plan["numa"][0].provider_id == host["numa0"] and anchored.plan["anchor"] == ()


def test_claim_best_places_nested_requests(env: Env, strategy: str) -> None:  # noqa: F811
    service = env.service
    host = _numa_host(env, env.region(), "host-b")
    groups = [
        RequestGroup(label="numa", resources={"VCPU": 4, "MEMORY_MB": 2048}),
        RequestGroup(label="accel", resources={"FPGA": 1}),
        RequestGroup(label="disk", resources={"DISK_GB": 50}),
    ]
    claim = service.claim_best(_new(), groups, project_id="p", same_subtree=[("numa", "accel")])
    assert {(a.provider_id, a.resource_class, a.amount) for a in claim.allocations} == {
        (host["numa0"], "VCPU", 4),
        (host["numa0"], "MEMORY_MB", 2048),
        (host["fpga"], "FPGA", 1),
        (host["root"], "DISK_GB", 50),
    }
    with pytest.raises(ResourceExhausted) as none_left:
        service.claim_best(_new(), groups, project_id="p", same_subtree=[("numa", "accel")])
    assert none_left.value.reason == "NO_CANDIDATES"
    with pytest.raises(AlreadyExists):
        service.claim_best(claim.consumer_id, [RequestGroup(resources={"DISK_GB": 1})], project_id="p")
    assert invariant_violations(env.database) == []


def test_shared_inventory_serves_the_members_of_a_group(env: Env, strategy: str) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    service.create_group("rack-1")
    member = service.create_provider(region, inventories=[InventorySpec("VCPU", 8)], groups=["rack-1"]).id
    outsider = service.create_provider(region, inventories=[InventorySpec("VCPU", 8)]).id
    local = service.create_provider(region, inventories=[InventorySpec("VCPU", 2), InventorySpec("DISK_GB", 10)]).id
    storage = service.create_provider(region, inventories=[InventorySpec("DISK_GB", 1000)]).id
    group = RequestGroup(resources={"VCPU": 2, "DISK_GB": 100})
    assert _find(env, group) == []
    service.share(storage, "rack-1")
    found = service.find_candidates(CandidateRequest(groups=(group,)))
    assert [sorted((a.provider_id, a.resource_class) for a in c.allocations) for c in found] == [
        sorted([(member, "VCPU"), (storage, "DISK_GB")])
    ]
    assert outsider not in {s.provider_id for c in found for s in c.providers}
    assert local not in {s.provider_id for c in found for s in c.providers}
    claim = service.claim_best(_new(), [group], project_id="p")
    assert {(a.provider_id, a.amount) for a in claim.allocations} == {(member, 2), (storage, 100)}
    assert service.get_provider(storage).inventory("DISK_GB").claimed == 100  # type: ignore[union-attr]


def test_near_filters_by_distance_and_nearest_ranks_by_it(env: Env, strategy: str) -> None:  # noqa: F811
    service = env.service
    anchor, close, closer, far = _vcpu_hosts(env, 4, 4, 4, 4)
    service.set_distance(anchor, close, 10)
    service.set_distance(anchor, closer, 5)
    service.set_distance(anchor, far, 50)
    group = RequestGroup(resources={"VCPU": 1}, near=Near(anchor, 20))
    assert sorted(_find(env, group)) == sorted([[anchor], [close], [closer]])
    nearest = service.find_candidates(CandidateRequest(groups=(group,), rank="nearest"))
    assert [c.plan[""][0].provider_id for c in nearest] == [anchor, closer, close]
    assert [c.rank_key for c in nearest] == [0, 5, 10]
    with pytest.raises(InvalidArgument) as needs_near:
        _find(env, RequestGroup(resources={"VCPU": 1}), rank="nearest")
    assert needs_near.value.reason == "NEAR_REQUIRED"


def test_windows_find_room_that_exists_only_later(env: Env, strategy: str) -> None:  # noqa: F811
    service = env.service
    busy, reserved = _vcpu_hosts(env, 8, 8)
    start = datetime.now(UTC) + timedelta(days=3)
    service.claim(_new(), [Allocation(busy, "VCPU", 8)], project_id="p", window=Window(None, start))
    service.claim(_new(), [Allocation(reserved, "VCPU", 8)], project_id="p", window=Window(start, None))
    group = RequestGroup(resources={"VCPU": 4})
    assert _find(env, group) == []
    assert _find(env, group, window=Window(start, start + timedelta(hours=1))) == [[busy]]
    assert _find(env, group, window=Window(None, start)) == [[reserved]]
    claim = service.claim_best(_new(), [group], project_id="p", window=Window(start, start + timedelta(hours=1)))
    assert claim.allocations[0].provider_id == busy and claim.is_reservation
    assert invariant_violations(env.database) == []


@pytest.mark.parametrize("groups", ["one", "two"])
def test_windows_decide_every_class_not_only_the_ranking_one(env: Env, strategy: str, groups: str) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    busy, reserved = (
        service.create_provider(region, inventories=[InventorySpec("VCPU", 8), InventorySpec("MEMORY_MB", 1024)]).id
        for _ in range(2)
    )
    start = datetime.now(UTC) + timedelta(days=3)
    service.claim(_new(), [Allocation(busy, "MEMORY_MB", 1024)], project_id="p", window=Window(None, start))
    service.claim(_new(), [Allocation(reserved, "MEMORY_MB", 1024)], project_id="p", window=Window(start, None))
    if groups == "one":
        request: tuple[RequestGroup, ...] = (RequestGroup(resources={"VCPU": 1, "MEMORY_MB": 512}),)
    else:
        request = (
            RequestGroup(label="cpu", resources={"VCPU": 1}),
            RequestGroup(label="mem", resources={"MEMORY_MB": 512}),
        )
    # VCPU ranks; only the memory, short from the day the reservation starts, decides.
    assert _find(env, *request) == []
    assert _find(env, *request, window=Window(start, start + timedelta(hours=1))) == [[busy]]
    assert _find(env, *request, window=Window(None, start)) == [[reserved]]


def test_bad_requests_are_refused(env: Env) -> None:  # noqa: F811
    _vcpu_hosts(env, 4)
    vcpu = {"VCPU": 1}
    cases: list[tuple[dict[str, object], str]] = [
        ({"groups": ()}, "EMPTY_REQUEST"),
        ({"groups": (RequestGroup(required_traits=frozenset({"HW_NUMA_ROOT"})),)}, "EMPTY_REQUEST"),
        ({"groups": (RequestGroup(resources={"VCPU": 0}),)}, "INVALID_AMOUNT"),
        ({"groups": (RequestGroup(resources={"VCPU": -3}),)}, "INVALID_AMOUNT"),
        ({"groups": (RequestGroup(resources={"CUSTOM_NOPE": 1}),)}, "UNKNOWN_RESOURCE_CLASS"),
        ({"groups": (RequestGroup(resources=vcpu, required_traits=frozenset({"CUSTOM_NOPE"})),)}, "UNKNOWN_TRAIT"),
        (
            {
                "groups": (
                    RequestGroup(
                        resources=vcpu,
                        required_traits=frozenset({"HW_NUMA_ROOT"}),
                        forbidden_traits=frozenset({"HW_NUMA_ROOT"}),
                    ),
                )
            },
            "CONFLICTING_TRAITS",
        ),
        ({"groups": (RequestGroup(resources=vcpu, any_traits=(frozenset(),)),)}, "EMPTY_TRAIT_SET"),
        (
            {"groups": (RequestGroup(label="a", resources=vcpu), RequestGroup(label="a", resources=vcpu))},
            "DUPLICATE_LABEL",
        ),
        ({"groups": (RequestGroup(label="a", resources=vcpu),), "same_subtree": (("a", "b"),)}, "INVALID_SAME_SUBTREE"),
        ({"groups": (RequestGroup(resources=vcpu),), "limit": 0}, "INVALID_LIMIT"),
        ({"groups": (RequestGroup(resources=vcpu),), "rank": "best"}, "INVALID_ARGUMENT"),
        (
            {
                "groups": (RequestGroup(resources=vcpu),),
                "window": Window(datetime.now(UTC) + timedelta(hours=2), datetime.now(UTC) + timedelta(hours=1)),
            },
            "INVALID_WINDOW",
        ),
    ]
    for options, reason in cases:
        with pytest.raises(InvalidArgument) as raised:
            env.service.find_candidates(CandidateRequest(**options))  # type: ignore[arg-type]
        assert raised.value.reason == reason, options
    with pytest.raises(NotFound):
        env.service.find_candidates(CandidateRequest(groups=(RequestGroup(resources=vcpu, in_tree=_new()),)))
    with pytest.raises(NotFound):
        env.service.find_candidates(CandidateRequest(groups=(RequestGroup(resources=vcpu),), region="nowhere"))


def test_wide_trees_stay_bounded(env: Env) -> None:  # noqa: F811
    """8 children x 6 isolated groups is 8^6 = 262,144 combinations if built
    before the limit; the search takes the first that works. With one group
    more than there are children, no placement exists and the bounded search
    gives up instead of trying every permutation."""
    service = env.service
    region = env.region()
    for index in range(4):
        root = service.create_provider(region, name=f"wide-{index}")
        for _ in range(8):
            service.create_provider(parent=root.id, inventories=[InventorySpec("VCPU", 4)])
    six = tuple(RequestGroup(label=f"g{n}", resources={"VCPU": 1}) for n in range(6))
    started = time.monotonic()
    found = service.find_candidates(CandidateRequest(groups=six, group_policy="isolate", limit=4))
    assert len(found) == 4
    for candidate in found:
        assert len({candidate.plan[g.label][0].provider_id for g in six}) == 6
    nine = tuple(RequestGroup(label=f"g{n}", resources={"VCPU": 1}) for n in range(9))
    assert service.find_candidates(CandidateRequest(groups=nine, group_policy="isolate")) == []
    assert time.monotonic() - started < 5
