"""Domain types of the resource module: what its Python API takes and returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Visibility = Literal["internal", "public"]
Rank = Literal["pack", "spread", "nearest"]
Ties = Literal["deterministic", "random"]
GroupPolicy = Literal["none", "isolate"]

VISIBILITIES: tuple[Visibility, ...] = ("internal", "public")
RANKS: tuple[Rank, ...] = ("pack", "spread", "nearest")
TIES: tuple[Ties, ...] = ("deterministic", "random")
GROUP_POLICIES: tuple[GroupPolicy, ...] = ("none", "isolate")


@dataclass(frozen=True)
class Window:
    """``[start, end)``; start None means now, end None means until released."""

    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    parent_id: str | None
    attributes: Mapping[str, str]
    visibility: Visibility
    created_at: datetime


@dataclass(frozen=True)
class ResourceClass:
    code: str
    standard: bool


@dataclass(frozen=True)
class Trait:
    code: str
    standard: bool


@dataclass(frozen=True)
class InventorySpec:
    """What an operator sets; ``max_unit`` None means the whole total."""

    resource_class: str
    total: int
    reserved: int = 0
    min_unit: int = 1
    max_unit: int | None = None
    step_size: int = 1
    allocation_ratio: float = 1.0


@dataclass(frozen=True)
class Inventory:
    resource_class: str
    total: int
    reserved: int
    min_unit: int
    max_unit: int
    step_size: int
    allocation_ratio: float
    # floor((total - reserved) * allocation_ratio): what claims may use at one instant.
    capacity: int
    # Sum of every unreleased claim, whatever its window: an upper bound of
    # the usage at any instant from now on.
    claimed: int


@dataclass(frozen=True)
class ProviderSpec:
    """One provider to create; a region is needed unless a parent gives it."""

    region: str | None = None
    name: str | None = None
    id: str | None = None
    parent: str | None = None
    inventories: tuple[InventorySpec, ...] = ()
    traits: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provider:
    id: str
    name: str | None
    region_id: str
    parent_id: str | None
    root_id: str
    generation: int
    inventories: tuple[Inventory, ...]
    traits: frozenset[str]
    groups: frozenset[str]
    shares_with: frozenset[str]
    created_at: datetime
    updated_at: datetime

    def inventory(self, resource_class: str) -> Inventory | None:
        return next((inv for inv in self.inventories if inv.resource_class == resource_class), None)


@dataclass(frozen=True)
class ProviderGroup:
    id: str
    name: str | None
    members: int
    sharing_providers: int


@dataclass(frozen=True)
class Distance:
    provider_id: str
    other_id: str
    distance: int


@dataclass(frozen=True)
class Allocation:
    provider_id: str
    resource_class: str
    amount: int


@dataclass(frozen=True)
class Claim:
    consumer_id: str
    project_id: str
    kind: str
    generation: int
    start: datetime
    end: datetime | None
    allocations: tuple[Allocation, ...]
    created_at: datetime
    # The module that manages the claim ("control" for a machine's), which
    # alone may change or release it; None for a project's own claim.
    owner: str | None = None

    @property
    def is_reservation(self) -> bool:
        """True when the window had not started when this claim was read."""
        from mulligan.resource.windows import utcnow

        return self.start > utcnow()


@dataclass(frozen=True)
class Near:
    """Within ``max_distance`` of a provider (the provider itself is at 0)."""

    provider: str
    max_distance: int


@dataclass(frozen=True)
class RequestGroup:
    """Resources all taken from one provider, plus constraints on it.

    A group without resources only places a constraint (for example the
    anchor of a ``same_subtree``).
    """

    label: str = ""
    resources: Mapping[str, int] = field(default_factory=dict)
    required_traits: frozenset[str] = frozenset()
    forbidden_traits: frozenset[str] = frozenset()
    # Each set needs at least one of its traits.
    any_traits: tuple[frozenset[str], ...] = ()
    # Member of at least one of these provider groups (self or tree root).
    member_of: tuple[str, ...] = ()
    # Member of none of these provider groups (self or tree root).
    not_member_of: tuple[str, ...] = ()
    in_tree: str | None = None
    near: Near | None = None


@dataclass(frozen=True)
class CandidateRequest:
    groups: tuple[RequestGroup, ...]
    # Each tuple of group labels must be placed in one subtree: one of their
    # providers is an ancestor (or the same provider) of all the others.
    same_subtree: tuple[tuple[str, ...], ...] = ()
    group_policy: GroupPolicy = "none"
    region: str | None = None
    window: Window = field(default_factory=Window)
    limit: int = 10
    rank: Rank = "pack"
    ties: Ties = "deterministic"


@dataclass(frozen=True)
class ResourceUsage:
    resource_class: str
    capacity: int
    # Highest usage at any instant of the window asked about.
    used: int

    @property
    def free(self) -> int:
        return self.capacity - self.used


@dataclass(frozen=True)
class ProviderSummary:
    provider_id: str
    root_id: str
    region_id: str
    resources: tuple[ResourceUsage, ...]


@dataclass(frozen=True)
class Candidate:
    # Request group label -> allocations that satisfy it.
    plan: Mapping[str, tuple[Allocation, ...]]
    providers: tuple[ProviderSummary, ...]
    # The free amount of the ranking class on the ranking group's provider.
    rank_key: int

    @property
    def allocations(self) -> tuple[Allocation, ...]:
        """The plan merged into one allocation per (provider, class)."""
        totals: dict[tuple[str, str], int] = {}
        for allocations in self.plan.values():
            for allocation in allocations:
                key = (allocation.provider_id, allocation.resource_class)
                totals[key] = totals.get(key, 0) + allocation.amount
        return tuple(Allocation(p, c, a) for (p, c), a in totals.items())


@dataclass(frozen=True)
class Quota:
    project_id: str
    resource_class: str
    limit: int


@dataclass(frozen=True)
class Usage:
    """Usage of one class at one instant (a provider's or a project's)."""

    resource_class: str
    used: int
    capacity: int | None = None


@dataclass(frozen=True)
class ClaimSpec:
    """One claim of a bulk load: what a single claim call takes."""

    consumer_id: str
    allocations: tuple[Allocation, ...]
    project_id: str = ""
    kind: str = "machine"
    window: Window = field(default_factory=Window)


@dataclass(frozen=True)
class LoadedFleet:
    """What a bulk load created: provider UUIDs in request order, and how many claims."""

    provider_ids: tuple[str, ...]
    claims: int
