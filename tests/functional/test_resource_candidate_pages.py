"""Candidates in pages: every candidate once, in the order one big query
gives, under each search strategy, on both databases; bad tokens refused."""

from __future__ import annotations

import uuid

import pytest

from mulligan.api.resource.v1 import resource_pb2
from mulligan.client import Client
from mulligan.errors import InvalidArgument
from mulligan.resource import Allocation, CandidateRequest, InventorySpec, ProviderSpec, RequestGroup
from mulligan.resource.candidate_page import CandidatePage
from tests.functional.test_resource_candidates import strategy  # noqa: F401
from tests.functional.test_resource_support import Env, env, resource_url  # noqa: F401

FLAT = RequestGroup(resources={"VCPU": 2, "MEMORY_MB": 512})
NUMA = RequestGroup(label="numa", resources={"VCPU": 2})
ACCEL = RequestGroup(label="accel", resources={"FPGA": 1})


def _flat_fleet(world: Env, count: int) -> list[str]:
    """Hosts of several sizes, some with claims, so ranks repeat and differ."""
    region = world.region()
    specs = [
        ProviderSpec(
            region=region,
            inventories=(InventorySpec("VCPU", 8 + 4 * (n % 3)), InventorySpec("MEMORY_MB", 4096)),
        )
        for n in range(count)
    ]
    ids = world.service.create_providers(specs)
    for n, provider in enumerate(ids):
        if n % 4 == 0:
            world.service.claim(str(uuid.uuid4()), [Allocation(provider, "VCPU", 2)], project_id="p")
    return ids


def _trees(world: Env, count: int) -> None:
    """Trees of a root and two NUMA nodes, one holding an FPGA."""
    region = world.region("trees")
    specs = []
    for n in range(count):
        root, numa0, numa1, fpga = (str(uuid.uuid4()) for _ in range(4))
        specs += [
            ProviderSpec(region=region, id=root, inventories=(InventorySpec("DISK_GB", 100),)),
            ProviderSpec(id=numa0, parent=root, inventories=(InventorySpec("VCPU", 8 + n % 5),)),
            ProviderSpec(id=numa1, parent=root, inventories=(InventorySpec("VCPU", 9 + n % 4),)),
            ProviderSpec(id=fpga, parent=numa0, inventories=(InventorySpec("FPGA", 1),)),
        ]
    world.service.create_providers(specs)


def _keys(page: CandidatePage) -> list[tuple[tuple[str, str, int], ...]]:
    return [
        tuple(sorted((a.provider_id, a.resource_class, a.amount) for a in c.allocations)) for c in page.candidates()
    ]


def _all_pages(world: Env, request: CandidateRequest, *, limit: int | None, page_size: int) -> list[CandidatePage]:
    pages = [world.service.find_candidate_page(request, limit=limit, page_size=page_size)]
    while pages[-1].next_page_token:
        assert len(pages) < 100, "paging does not end"
        token = pages[-1].next_page_token
        pages.append(world.service.find_candidate_page(request, limit=limit, page_size=page_size, page_token=token))
    return pages


@pytest.mark.parametrize("rank", ["pack", "spread"])
def test_flat_pages_hold_every_candidate_once_in_order(env: Env, strategy: str, rank: str) -> None:  # noqa: F811
    _flat_fleet(env, 23)
    request = CandidateRequest(groups=(FLAT,), rank=rank)  # type: ignore[arg-type]
    whole = _keys(env.service.find_candidate_page(request, limit=1000))
    assert len(whole) == 23
    pages = _all_pages(env, request, limit=None, page_size=10)
    assert [len(page.items) for page in pages] == [10, 10, 3]
    assert [key for page in pages for key in _keys(page)] == whole
    # A limit counts all pages together.
    limited = _all_pages(env, request, limit=12, page_size=5)
    assert [len(page.items) for page in limited] == [5, 5, 2]
    assert [key for page in limited for key in _keys(page)] == whole[:12]
    # Exactly a page's worth leaves no token behind.
    assert not env.service.find_candidate_page(request, limit=10, page_size=10).next_page_token


def test_tree_pages_show_each_tree_once(env: Env, strategy: str) -> None:  # noqa: F811
    _trees(env, 9)
    request = CandidateRequest(groups=(NUMA, ACCEL), same_subtree=(("numa", "accel"),))
    whole = _keys(env.service.find_candidate_page(request, limit=1000))
    assert len(whole) == 9
    pages = _all_pages(env, request, limit=None, page_size=2)
    assert [key for page in pages for key in _keys(page)] == whole
    # Any NUMA node will do for a lone group, but each tree still shows once.
    lone = CandidateRequest(groups=(NUMA, RequestGroup(label="disk", resources={"DISK_GB": 10})))
    whole = _keys(env.service.find_candidate_page(lone, limit=1000))
    assert len(whole) == 9
    pages = _all_pages(env, lone, limit=None, page_size=4)
    assert [key for page in pages for key in _keys(page)] == whole


def test_pages_read_capacity_as_it_is_when_each_is_asked(env: Env) -> None:  # noqa: F811
    ids = _flat_fleet(env, 12)
    request = CandidateRequest(groups=(FLAT,))
    first = env.service.find_candidate_page(request, limit=None, page_size=6)
    shown = [c.providers[0].provider_id for c in first.candidates()]
    # A host not shown yet that fills up moves ahead of the first page's end:
    # it is not shown at all, and nothing is shown twice.
    unseen = next(p for p in ids if p not in shown)
    env.service.claim(str(uuid.uuid4()), [Allocation(unseen, "VCPU", 6)], project_id="p")
    token = first.next_page_token
    later: list[str] = []
    while token:
        page = env.service.find_candidate_page(request, limit=None, page_size=6, page_token=token)
        later += [c.providers[0].provider_id for c in page.candidates()]
        token = page.next_page_token
    assert len(shown + later) == len(set(shown + later)) == 11
    assert unseen not in later


def test_bad_tokens_and_paged_random_ties_are_refused(env: Env) -> None:  # noqa: F811
    _flat_fleet(env, 5)
    request = CandidateRequest(groups=(FLAT,))
    token = env.service.find_candidate_page(request, limit=None, page_size=2).next_page_token
    assert token
    other = CandidateRequest(groups=(RequestGroup(resources={"VCPU": 1}),))
    for bad_request, bad_token in (
        (other, token),
        (request, "not-a-token"),
        (request, "x" * 5000),
        (request, "eyJ2IjoxfQ"),
        (request, token[:-3]),
        (request, "é"),
    ):
        with pytest.raises(InvalidArgument) as refused:
            env.service.find_candidate_page(bad_request, limit=None, page_size=2, page_token=bad_token)
        assert refused.value.reason == "INVALID_PAGE_TOKEN"
    for limit, page_size, reason in ((0, 0, "INVALID_LIMIT"), (-1, 0, "INVALID_LIMIT"), (5, -1, "INVALID_PAGE_SIZE")):
        with pytest.raises(InvalidArgument) as refused:
            env.service.find_candidate_page(request, limit=limit, page_size=page_size)
        assert refused.value.reason == reason
    random = CandidateRequest(groups=(FLAT,), ties="random")
    assert len(env.service.find_candidate_page(random, limit=5).items) == 5
    with pytest.raises(InvalidArgument) as refused:
        env.service.find_candidate_page(random, limit=None, page_size=2)
    assert refused.value.reason == "RANDOM_TIES_PAGED"


def test_pages_over_grpc(client: Client) -> None:
    client.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="default"))
    for n in range(5):
        client.resource.CreateProvider(
            resource_pb2.CreateProviderRequest(
                region="default",
                name=f"host-{n}",
                inventories=[resource_pb2.InventorySpec(resource_class="VCPU", total=4 + n)],
            )
        )
    group = resource_pb2.RequestGroup(resources=[resource_pb2.ResourceAmount(resource_class="VCPU", amount=1)])
    # Beyond a page's most, the limit is served in pages instead of refused.
    whole = client.resource.FindCandidates(resource_pb2.FindCandidatesRequest(groups=[group], limit=5000))
    assert len(whole.candidates) == 5 and not whole.next_page_token
    request = resource_pb2.FindCandidatesRequest(groups=[group], page_size=2)
    seen = []
    while True:
        page = client.resource.FindCandidates(request)
        seen += [c.providers[0].provider_id for c in page.candidates]
        if not page.next_page_token:
            break
        request.page_token = page.next_page_token
    assert seen == [c.providers[0].provider_id for c in whole.candidates]
    for bad in (
        resource_pb2.FindCandidatesRequest(groups=[group], page_token="bm90IGEgdG9rZW4"),
        resource_pb2.FindCandidatesRequest(groups=[group], limit=-1),
        resource_pb2.FindCandidatesRequest(groups=[group], page_size=-5),
    ):
        with pytest.raises(InvalidArgument):
            client.resource.FindCandidates(bad)
