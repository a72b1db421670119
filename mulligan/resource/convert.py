"""Protobuf messages <-> resource domain types, for the gRPC adapter only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TypeVar

from google.protobuf import timestamp_pb2

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.errors import InvalidArgument
from mulligan.resource.types import (
    Allocation,
    Candidate,
    Claim,
    Distance,
    GroupPolicy,
    Inventory,
    InventorySpec,
    Near,
    Provider,
    ProviderGroup,
    Quota,
    Rank,
    Region,
    RequestGroup,
    ResourceClass,
    Ties,
    Trait,
    Usage,
    Visibility,
    Window,
)

_T = TypeVar("_T")

_VISIBILITY: dict[int, Visibility] = {pb.VISIBILITY_INTERNAL: "internal", pb.VISIBILITY_PUBLIC: "public"}
_VISIBILITY_PB: dict[str, pb.Visibility] = {
    "internal": pb.VISIBILITY_INTERNAL,
    "public": pb.VISIBILITY_PUBLIC,
}
_RANK: dict[int, Rank] = {
    pb.RANK_UNSPECIFIED: "pack",
    pb.RANK_PACK: "pack",
    pb.RANK_SPREAD: "spread",
    pb.RANK_NEAREST: "nearest",
}
_TIES: dict[int, Ties] = {
    pb.TIES_UNSPECIFIED: "deterministic",
    pb.TIES_DETERMINISTIC: "deterministic",
    pb.TIES_RANDOM: "random",
}
_POLICY: dict[int, GroupPolicy] = {
    pb.GROUP_POLICY_UNSPECIFIED: "none",
    pb.GROUP_POLICY_NONE: "none",
    pb.GROUP_POLICY_ISOLATE: "isolate",
}


def _enum(value: int, table: Mapping[int, _T], what: str) -> _T:
    if value not in table:
        raise InvalidArgument(f"unknown {what} {value}", reason="INVALID_ARGUMENT")
    return table[value]


def visibility(value: int) -> Visibility | None:
    """None for unspecified (the caller decides the default)."""
    return None if value == pb.VISIBILITY_UNSPECIFIED else _enum(value, _VISIBILITY, "visibility")


def rank(value: int) -> Rank:
    return _enum(value, _RANK, "rank")


def ties(value: int) -> Ties:
    return _enum(value, _TIES, "ties")


def group_policy(value: int) -> GroupPolicy:
    return _enum(value, _POLICY, "group_policy")


def timestamp(moment: datetime | None) -> timestamp_pb2.Timestamp | None:
    if moment is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def moment(message: object, field: str) -> datetime | None:
    if not message.HasField(field):  # type: ignore[attr-defined]
        return None
    stamp: timestamp_pb2.Timestamp = getattr(message, field)
    return stamp.ToDatetime(tzinfo=UTC)


def window(message: pb.Window | None) -> Window:
    if message is None:
        return Window()
    return Window(moment(message, "start_time"), moment(message, "end_time"))


def optional(message: object, field: str) -> int | None:
    return getattr(message, field) if message.HasField(field) else None  # type: ignore[attr-defined]


def region(item: Region) -> pb.Region:
    return pb.Region(
        id=item.id,
        name=item.name,
        parent_id=item.parent_id or "",
        attributes=dict(item.attributes),
        visibility=_VISIBILITY_PB[item.visibility],
        create_time=timestamp(item.created_at),
    )


def resource_class(item: ResourceClass) -> pb.ResourceClass:
    return pb.ResourceClass(code=item.code, standard=item.standard)


def trait(item: Trait) -> pb.Trait:
    return pb.Trait(code=item.code, standard=item.standard)


def inventory_spec(message: pb.InventorySpec) -> InventorySpec:
    ratio = message.allocation_ratio if message.HasField("allocation_ratio") else 1.0
    return InventorySpec(
        resource_class=message.resource_class,
        total=message.total,
        reserved=message.reserved,
        min_unit=message.min_unit if message.HasField("min_unit") else 1,
        max_unit=message.max_unit if message.HasField("max_unit") else None,
        step_size=message.step_size if message.HasField("step_size") else 1,
        allocation_ratio=ratio,
    )


def inventory(item: Inventory) -> pb.Inventory:
    return pb.Inventory(
        resource_class=item.resource_class,
        total=item.total,
        reserved=item.reserved,
        min_unit=item.min_unit,
        max_unit=item.max_unit,
        step_size=item.step_size,
        allocation_ratio=item.allocation_ratio,
        capacity=item.capacity,
        claimed=item.claimed,
    )


def provider(item: Provider) -> pb.Provider:
    return pb.Provider(
        id=item.id,
        name=item.name or "",
        region_id=item.region_id,
        parent_id=item.parent_id or "",
        root_id=item.root_id,
        generation=item.generation,
        inventories=[inventory(inv) for inv in item.inventories],
        traits=sorted(item.traits),
        group_ids=sorted(item.groups),
        shares_with_group_ids=sorted(item.shares_with),
        create_time=timestamp(item.created_at),
        update_time=timestamp(item.updated_at),
    )


def group(item: ProviderGroup) -> pb.ProviderGroup:
    return pb.ProviderGroup(
        id=item.id, name=item.name or "", members=item.members, sharing_providers=item.sharing_providers
    )


def distance(item: Distance) -> pb.Distance:
    return pb.Distance(provider_id=item.provider_id, other_id=item.other_id, distance=item.distance)


def allocations_in(messages: Iterable[pb.Allocation]) -> list[Allocation]:
    return [Allocation(m.provider_id, m.resource_class, m.amount) for m in messages]


def allocation(item: Allocation) -> pb.Allocation:
    return pb.Allocation(provider_id=item.provider_id, resource_class=item.resource_class, amount=item.amount)


def claim(item: Claim) -> pb.Claim:
    return pb.Claim(
        consumer_id=item.consumer_id,
        project_id=item.project_id,
        kind=item.kind,
        generation=item.generation,
        start_time=timestamp(item.start),
        end_time=timestamp(item.end),
        allocations=[allocation(a) for a in item.allocations],
        create_time=timestamp(item.created_at),
        managed_by=item.owner or "",
    )


def request_group(message: pb.RequestGroup) -> RequestGroup:
    resources: dict[str, int] = {}
    for amount in message.resources:
        if amount.resource_class in resources:
            raise InvalidArgument(
                f"{amount.resource_class} is listed twice in group {message.label!r}", reason="DUPLICATE_CLASS"
            )
        resources[amount.resource_class] = amount.amount
    near = None
    if message.HasField("near"):
        near = Near(message.near.provider, message.near.max_distance)
    return RequestGroup(
        label=message.label,
        resources=resources,
        required_traits=frozenset(message.required_traits),
        forbidden_traits=frozenset(message.forbidden_traits),
        any_traits=tuple(frozenset(s.traits) for s in message.any_traits),
        member_of=tuple(message.member_of),
        not_member_of=tuple(message.not_member_of),
        in_tree=message.in_tree or None,
        near=near,
    )


def candidate(item: Candidate) -> pb.Candidate:
    return pb.Candidate(
        plans=[pb.Plan(label=label, allocations=[allocation(a) for a in plan]) for label, plan in item.plan.items()],
        providers=[
            pb.ProviderSummary(
                provider_id=summary.provider_id,
                root_id=summary.root_id,
                region_id=summary.region_id,
                resources=[
                    pb.ResourceUsage(resource_class=r.resource_class, capacity=r.capacity, used=r.used)
                    for r in summary.resources
                ],
            )
            for summary in item.providers
        ],
        rank_key=item.rank_key,
    )


def usage(item: Usage) -> pb.Usage:
    message = pb.Usage(resource_class=item.resource_class, used=item.used)
    if item.capacity is not None:
        message.capacity = item.capacity
    return message


def quota(item: Quota) -> pb.Quota:
    return pb.Quota(project_id=item.project_id, resource_class=item.resource_class, limit=item.limit)
