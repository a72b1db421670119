"""Regions, resource classes and traits through the service API."""

from __future__ import annotations

import pytest

from mulligan.context import Caller, reset_caller, set_caller
from mulligan.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from mulligan.resource import CandidateRequest, InventorySpec, RequestGroup
from tests.functional.test_resource_support import Env, env, resource_url  # noqa: F401


def test_regions_nest_carry_attributes_and_resolve_by_name(env: Env) -> None:  # noqa: F811
    service = env.service
    europe = service.create_region("europe")
    west = service.create_region("eu-west", parent="europe", attributes={"power": "feed-a"}, visibility="public")
    assert west.parent_id == europe.id and west.attributes == {"power": "feed-a"} and west.visibility == "public"
    assert service.get_region("eu-west").id == west.id
    assert service.get_region(west.id).name == "eu-west"
    assert {r.name for r in service.list_regions()} == {"europe", "eu-west"}
    assert [r.name for r in service.list_regions(parent="europe")] == ["eu-west"]
    # Several roots are allowed.
    assert service.create_region("asia").parent_id is None
    updated = service.update_region("eu-west", attributes={"power": "feed-b", "network": "spine-2"})
    assert updated.attributes == {"network": "spine-2", "power": "feed-b"}


def test_region_cycles_and_bad_input_are_refused(env: Env) -> None:  # noqa: F811
    service = env.service
    top = service.create_region("top")
    service.create_region("middle", parent="top")
    service.create_region("bottom", parent="middle")
    with pytest.raises(InvalidArgument) as cycle:
        service.update_region("top", parent="bottom")
    assert cycle.value.reason == "REGION_CYCLE"
    assert service.get_region("top").parent_id is None
    with pytest.raises(InvalidArgument):
        service.create_region("odd", attributes={"Bad Key": "x"})
    with pytest.raises(InvalidArgument):
        service.create_region("odd", visibility="secret")
    with pytest.raises(NotFound):
        service.create_region("orphan", parent="nowhere")
    with pytest.raises(AlreadyExists):
        service.create_region("top")
    assert service.update_region("middle", clear_parent=True).parent_id is None
    assert top.id != ""


def test_a_region_in_use_cannot_be_deleted(env: Env) -> None:  # noqa: F811
    service = env.service
    service.create_region("parent")
    service.create_region("child", parent="parent")
    with pytest.raises(FailedPrecondition) as in_use:
        service.delete_region("parent")
    assert in_use.value.reason == "REGION_IN_USE"
    provider = service.create_provider("child", inventories=[InventorySpec("VCPU", 4)])
    with pytest.raises(FailedPrecondition):
        service.delete_region("child")
    service.delete_provider(provider.id)
    service.delete_region("child")
    service.delete_region("parent")
    assert service.list_regions() == []
    # The name is free again.
    service.create_region("parent")


def test_tenants_see_only_public_regions(env: Env) -> None:  # noqa: F811
    service = env.service
    service.create_region("ops-only")
    public = service.create_region("open", visibility="public")
    token = set_caller(Caller(account_id="a", project_id="p", roles=frozenset({"reader"})))
    try:
        assert [r.id for r in service.list_regions()] == [public.id]
        with pytest.raises(NotFound):
            service.get_region("ops-only")
    finally:
        reset_caller(token)


def test_standard_and_custom_resource_classes(env: Env) -> None:  # noqa: F811
    service = env.service
    codes = {c.code: c.standard for c in service.list_resource_classes()}
    for standard in ("VCPU", "PCPU", "MEMORY_MB", "DISK_GB", "SRIOV_NET_VF", "BAREMETAL_NODE"):
        assert codes[standard] is True
    created = service.create_resource_class("CUSTOM_NODE_GOLD")
    assert created.standard is False
    assert "CUSTOM_NODE_GOLD" in {c.code for c in service.list_resource_classes()}
    with pytest.raises(AlreadyExists):
        service.create_resource_class("CUSTOM_NODE_GOLD")
    with pytest.raises(AlreadyExists):
        service.create_resource_class("VCPU")
    for bad in ("custom_lower", "NOT_CUSTOM", "CUSTOM_", "CUSTOM_" + "X" * 300):
        with pytest.raises(InvalidArgument):
            service.create_resource_class(bad)
    region = env.region()
    provider = service.create_provider(region, inventories=[InventorySpec("CUSTOM_NODE_GOLD", 1)])
    with pytest.raises(FailedPrecondition):
        service.delete_resource_class("CUSTOM_NODE_GOLD")
    service.delete_provider(provider.id)
    service.delete_resource_class("CUSTOM_NODE_GOLD")
    with pytest.raises(NotFound):
        service.delete_resource_class("CUSTOM_NODE_GOLD")
    with pytest.raises(FailedPrecondition):
        service.delete_resource_class("VCPU")


def test_standard_and_custom_traits(env: Env) -> None:  # noqa: F811
    service = env.service
    assert {"HW_CPU_X86_AVX2", "STORAGE_DISK_SSD", "COMPUTE_STATUS_DISABLED"} <= {t.code for t in service.list_traits()}
    service.create_trait("CUSTOM_FAST_NET")
    assert [t.code for t in service.list_traits(prefix="CUSTOM_")] == ["CUSTOM_FAST_NET"]
    region = env.region()
    provider = service.create_provider(region, traits=["CUSTOM_FAST_NET"])
    with pytest.raises(FailedPrecondition) as in_use:
        service.delete_trait("CUSTOM_FAST_NET")
    assert in_use.value.reason == "TRAIT_IN_USE"
    service.set_traits(provider.id, [])
    service.delete_trait("CUSTOM_FAST_NET")
    with pytest.raises(InvalidArgument) as unknown:
        service.set_traits(provider.id, ["CUSTOM_FAST_NET"])
    assert unknown.value.reason == "UNKNOWN_TRAIT"


OS_TRAITS_NAMES = (
    "COMPUTE_IMAGE_TYPE_QCOW2",
    "COMPUTE_NET_ATTACH_INTERFACE",
    "COMPUTE_STATUS_DISABLED",
    "HW_CPU_X86_AVX512VNNI",
    "STORAGE_DISK_SSD",
)


def test_os_traits_names_are_standard_and_others_unknown(env: Env) -> None:  # noqa: F811
    service = env.service
    region = env.region()
    listed = {t.code: t.standard for t in service.list_traits()}
    assert all(listed[code] is True for code in OS_TRAITS_NAMES)
    # Mulligan's own names stay standard beside os-traits'.
    assert listed["COMPUTE_BAREMETAL"] is True
    tagged = service.create_provider(region, inventories=[InventorySpec("VCPU", 4)], traits=OS_TRAITS_NAMES)
    service.create_provider(region, inventories=[InventorySpec("VCPU", 4)], traits=["STORAGE_DISK_SSD"])
    group = RequestGroup(resources={"VCPU": 1}, required_traits=frozenset(OS_TRAITS_NAMES))
    found = service.find_candidates(CandidateRequest(groups=(group,)))
    assert [{a.provider_id for a in c.allocations} for c in found] == [{tagged.id}]
    with pytest.raises(FailedPrecondition) as standard:
        service.delete_trait("COMPUTE_IMAGE_TYPE_QCOW2")
    assert standard.value.reason == "STANDARD_CODE"

    made_up = "HW_CPU_X86_MADE_UP"
    assert made_up not in listed
    with pytest.raises(InvalidArgument) as on_provider:
        service.set_traits(tagged.id, [made_up])
    assert on_provider.value.reason == "UNKNOWN_TRAIT"
    unknown = RequestGroup(resources={"VCPU": 1}, required_traits=frozenset({made_up}))
    with pytest.raises(InvalidArgument) as in_request:
        service.find_candidates(CandidateRequest(groups=(unknown,)))
    assert in_request.value.reason == "UNKNOWN_TRAIT"
