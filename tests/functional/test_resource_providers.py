"""Providers, trees, inventories, traits, groups, sharing and distances."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mulligan.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
)
from mulligan.resource import Allocation, InventorySpec, ProviderSpec, Window
from tests.functional.test_resource_support import Env, env, resource_url  # noqa: F401


def test_provider_with_inventories_traits_and_an_optional_name(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    service.create_trait("CUSTOM_GOLD")
    named = service.create_provider(
        region,
        name="host-1",
        inventories=[
            InventorySpec("VCPU", 16, allocation_ratio=4.0),
            InventorySpec("MEMORY_MB", 65536, reserved=4096, min_unit=256, step_size=256),
        ],
        traits=["HW_CPU_X86_AVX2", "CUSTOM_GOLD"],
    )
    assert named.name == "host-1" and named.root_id == named.id and named.generation == 1
    assert service.get_provider("host-1").id == named.id
    vcpu = named.inventory("VCPU")
    memory = named.inventory("MEMORY_MB")
    assert vcpu is not None and vcpu.capacity == 64 and vcpu.max_unit == 16
    assert memory is not None and memory.capacity == 61440
    assert named.traits == {"HW_CPU_X86_AVX2", "CUSTOM_GOLD"}
    anonymous = service.create_provider(region)
    assert anonymous.name is None
    assert service.get_provider(anonymous.id).id == anonymous.id
    fixed = str(uuid.uuid4())
    assert service.create_provider(region, id=fixed).id == fixed
    with pytest.raises(AlreadyExists):
        service.create_provider(region, id=fixed)
    with pytest.raises(AlreadyExists):
        service.create_provider(region, name="host-1")


def test_bad_inventories_are_refused_and_nothing_is_stored(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    bad = [
        InventorySpec("VCPU", 8, min_unit=4, max_unit=2),
        InventorySpec("VCPU", 0),
        InventorySpec("VCPU", -1),
        InventorySpec("VCPU", 8, reserved=9),
        InventorySpec("VCPU", 8, allocation_ratio=0.0),
        InventorySpec("VCPU", 8, allocation_ratio=-1.0),
        InventorySpec("VCPU", 8, step_size=0),
        InventorySpec("CUSTOM_UNKNOWN", 8),
        InventorySpec("NOT_A_CLASS", 8),
    ]
    for spec in bad:
        with pytest.raises(InvalidArgument):
            service.create_provider(region, name="broken", inventories=[spec])
    providers, _ = service.list_providers()
    assert providers == []
    # The name was not kept either.
    service.create_provider(region, name="broken")
    host = service.create_provider(region, inventories=[InventorySpec("VCPU", 8)])
    with pytest.raises(InvalidArgument) as reason:
        service.set_inventory(host.id, [InventorySpec("VCPU", 8, min_unit=4, max_unit=2)])
    assert reason.value.reason == "INVALID_INVENTORY"
    with pytest.raises(InvalidArgument):
        service.set_inventory(host.id, [InventorySpec("VCPU", 4), InventorySpec("VCPU", 5)])
    assert service.get_provider(host.id) == host


def test_inventory_never_shrinks_below_what_claims_use(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    host = service.create_provider(region, inventories=[InventorySpec("VCPU", 8), InventorySpec("DISK_GB", 100)])
    service.claim(str(uuid.uuid4()), [Allocation(host.id, "VCPU", 6)], project_id="p")
    with pytest.raises(FailedPrecondition) as shrink:
        service.set_inventory(host.id, [InventorySpec("VCPU", 5)])
    assert shrink.value.reason == "INVENTORY_IN_USE"
    with pytest.raises(FailedPrecondition):
        service.set_inventory(host.id, [InventorySpec("VCPU", 8, reserved=3)])
    after = service.get_provider(host.id)
    vcpu = after.inventory("VCPU")
    assert vcpu is not None and (vcpu.total, vcpu.reserved, vcpu.capacity, vcpu.claimed) == (8, 0, 8, 6)
    assert after.generation == host.generation
    # Shrinking down to the usage, or growing, is fine.
    shrunk = service.set_inventory(host.id, [InventorySpec("VCPU", 6)]).inventory("VCPU")
    assert shrunk is not None and shrunk.capacity == 6
    with pytest.raises(FailedPrecondition):
        service.delete_inventory(host.id, "VCPU")
    with pytest.raises(FailedPrecondition):
        service.set_inventory(host.id, [InventorySpec("DISK_GB", 100)], replace=True)
    assert service.delete_inventory(host.id, "DISK_GB").inventory("DISK_GB") is None


def test_a_reservation_later_also_holds_capacity_against_shrinking(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    host = service.create_provider(region, inventories=[InventorySpec("VCPU", 8)])
    later = datetime.now(UTC) + timedelta(days=2)
    service.claim(str(uuid.uuid4()), [Allocation(host.id, "VCPU", 7)], project_id="p", window=Window(later, None))
    with pytest.raises(FailedPrecondition):
        service.set_inventory(host.id, [InventorySpec("VCPU", 6)])


def test_trees_root_and_reparenting_without_cycles(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    other_region = service.create_region("other").id
    root = service.create_provider(region, name="root")
    numa0 = service.create_provider(parent="root", name="numa0")
    numa1 = service.create_provider(parent=root.id, name="numa1")
    fpga = service.create_provider(parent="numa0", name="fpga")
    assert (numa0.root_id, fpga.root_id, fpga.parent_id) == (root.id, root.id, numa0.id)
    assert fpga.region_id == region
    with pytest.raises(InvalidArgument) as mismatch:
        service.create_provider(other_region, parent="root")
    assert mismatch.value.reason == "REGION_MISMATCH"
    with pytest.raises(InvalidArgument) as cycle:
        service.update_provider("numa0", parent="fpga")
    assert cycle.value.reason == "PROVIDER_CYCLE"
    with pytest.raises(InvalidArgument):
        service.update_provider("root", parent="root")
    moved = service.update_provider("fpga", parent="numa1")
    assert moved.parent_id == numa1.id and moved.generation == fpga.generation + 1
    detached = service.update_provider("numa1", make_root=True)
    assert detached.root_id == detached.id
    assert service.get_provider("fpga").root_id == numa1.id
    relocated = service.update_provider("numa1", region=other_region)
    assert relocated.region_id == other_region
    assert service.get_provider("fpga").region_id == other_region
    tree, _ = service.list_providers(tree="numa1")
    assert {p.id for p in tree} == {numa1.id, fpga.id}
    with pytest.raises(FailedPrecondition) as children:
        service.delete_provider("numa1")
    assert children.value.reason == "PROVIDER_HAS_CHILDREN"


def test_generations_bump_on_every_change_and_guard_updates(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    host = service.create_provider(region)
    group = service.create_group("rack-1")
    steps = [
        lambda: service.set_inventory(host.id, [InventorySpec("VCPU", 4)]),
        lambda: service.set_traits(host.id, ["HW_CPU_X86_AVX"]),
        lambda: service.add_group_members(group.id, [host.id]),
        lambda: service.share(host.id, group.id),
    ]
    generation = host.generation
    for step in steps:
        step()
        current = service.get_provider(host.id).generation
        assert current == generation + 1
        generation = current
    with pytest.raises(Conflict) as stale:
        service.set_traits(host.id, [], generation=generation - 1)
    assert stale.value.reason == "GENERATION_MISMATCH"
    with pytest.raises(Conflict):
        service.delete_provider(host.id, generation=1)
    service.set_traits(host.id, [], generation=generation)


def test_bulk_creation_of_trees_in_one_call(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    root, child = str(uuid.uuid4()), str(uuid.uuid4())
    created = service.create_providers(
        [
            ProviderSpec(region=region, id=root, inventories=(InventorySpec("DISK_GB", 10),)),
            ProviderSpec(id=child, parent=root, inventories=(InventorySpec("VCPU", 4),), traits=("HW_NUMA_ROOT",)),
            *[ProviderSpec(region=region) for _ in range(50)],
        ]
    )
    assert created[:2] == [root, child] and len(created) == 52
    assert service.get_provider(child).root_id == root
    with pytest.raises(InvalidArgument) as order:
        service.create_providers(
            [ProviderSpec(parent=(late := str(uuid.uuid4()))), ProviderSpec(region=region, id=late)]
        )
    assert order.value.reason == "PARENT_ORDER"
    page, token = service.list_providers(limit=20)
    seen = [p.id for p in page]
    while token:
        page, token = service.list_providers(limit=20, page_token=token)
        seen += [p.id for p in page]
    assert len(seen) == len(set(seen)) == 52
    roots, _ = service.list_providers(roots_only=True, limit=1000)
    assert len(roots) == 51
    numa, _ = service.list_providers(trait="HW_NUMA_ROOT")
    assert [p.id for p in numa] == [child]


def test_a_provider_with_claims_cannot_be_deleted(env: Env) -> None:  # noqa: F811
    service = env.service
    host = service.create_provider(env.region(), name="busy", inventories=[InventorySpec("VCPU", 4)])
    consumer = str(uuid.uuid4())
    service.claim(consumer, [Allocation("busy", "VCPU", 1)], project_id="p")
    with pytest.raises(FailedPrecondition) as busy:
        service.delete_provider("busy")
    assert busy.value.reason == "PROVIDER_IN_USE"
    service.release(consumer)
    service.delete_provider("busy")
    with pytest.raises(NotFound):
        service.get_provider(host.id)
    # Its name went with it.
    service.create_provider(env.service.list_regions()[0].id, name="busy")


def test_groups_membership_and_sharing(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    rack = service.create_group("rack-1")
    hosts = [service.create_provider(region) for _ in range(3)]
    storage = service.create_provider(region, inventories=[InventorySpec("DISK_GB", 1000)])
    assert service.add_group_members("rack-1", [h.id for h in hosts]).members == 3
    assert service.remove_group_members(rack.id, [hosts[2].id]).members == 2
    assert set(service.group_members("rack-1")) == {hosts[0].id, hosts[1].id}
    assert service.get_provider(hosts[0].id).groups == {rack.id}
    shared = service.share(storage.id, "rack-1")
    assert shared.shares_with == {rack.id}
    assert service.get_group("rack-1").sharing_providers == 1
    members, _ = service.list_providers(group="rack-1")
    assert {p.id for p in members} == {hosts[0].id, hosts[1].id}
    service.delete_group("rack-1")
    assert service.get_provider(hosts[0].id).groups == frozenset()
    assert service.get_provider(storage.id).shares_with == frozenset()
    with pytest.raises(NotFound):
        service.add_group_members("rack-1", [hosts[0].id])
    with pytest.raises(NotFound):
        service.add_group_members(service.create_group("rack-2").id, [str(uuid.uuid4())])


def test_distances_are_symmetric(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    a, b, c = (service.create_provider(region).id for _ in range(3))
    service.set_distance(a, b, 10)
    service.set_distance(a, c, 20)
    assert [(d.other_id, d.distance) for d in service.list_distances(a)] == [(b, 10), (c, 20)]
    assert [(d.other_id, d.distance) for d in service.list_distances(b)] == [(a, 10)]
    service.set_distance(b, a, 5)
    assert service.list_distances(a, max_distance=5)[0].distance == 5
    with pytest.raises(InvalidArgument):
        service.set_distance(a, a, 1)
    with pytest.raises(InvalidArgument):
        service.set_distance(a, b, -1)
    service.delete_distance(a, b)
    assert [d.other_id for d in service.list_distances(b)] == []
    with pytest.raises(NotFound):
        service.delete_distance(a, b)
