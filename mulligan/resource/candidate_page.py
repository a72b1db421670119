"""A page of candidates as the engine finds them.

Schedulers ask for up to a thousand candidates at a time, and one object per
allocation and per usage figure costs more than the query that found them.
Candidates of a one-group request are therefore kept as plain rows sharing
one shape, and those placed in provider trees as tuples of plain values;
:meth:`CandidatePage.candidates` turns them into :class:`Candidate` objects
for callers that want those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from mulligan.resource.types import Allocation, Candidate, ProviderSummary, ResourceUsage


class FlatRow(NamedTuple):
    """A candidate that takes everything from one provider."""

    provider_id: str
    root_id: str
    region_id: str
    rank_key: int
    # Per class of the shape's needs, in the same order.
    capacities: tuple[int, ...]
    used: tuple[int, ...]


class TreeRow(NamedTuple):
    """A candidate placed in a provider tree, in plain values."""

    # Per request group, in the request's order: (label, allocations), each
    # allocation (provider, class, amount).
    plan: tuple[tuple[str, tuple[tuple[str, str, int], ...]], ...]
    # Per provider used, in key order: (provider, root, region, usage), each
    # usage (class, capacity, used), sorted by class.
    providers: tuple[tuple[str, str, str, tuple[tuple[str, int, int], ...]], ...]
    rank_key: int

    def candidate(self) -> Candidate:
        return Candidate(
            {label: tuple(Allocation(*allocation) for allocation in plan) for label, plan in self.plan},
            tuple(
                ProviderSummary(provider, root, region, tuple(ResourceUsage(*figures) for figures in usage))
                for provider, root, region, usage in self.providers
            ),
            self.rank_key,
        )


@dataclass(frozen=True)
class FlatShape:
    """What every row of a one-group page asks for."""

    label: str
    # (class, amount) in the request's order.
    needs: tuple[tuple[str, int], ...]

    @property
    def summary_order(self) -> tuple[int, ...]:
        """Positions of the needs by class name: summaries list classes sorted."""
        return tuple(sorted(range(len(self.needs)), key=lambda k: self.needs[k][0]))

    def candidate(self, row: FlatRow) -> Candidate:
        allocations = tuple(Allocation(row.provider_id, cls, amount) for cls, amount in self.needs)
        usage = tuple(ResourceUsage(self.needs[k][0], row.capacities[k], row.used[k]) for k in self.summary_order)
        summary = ProviderSummary(row.provider_id, row.root_id, row.region_id, usage)
        return Candidate({self.label: allocations}, (summary,), row.rank_key)


@dataclass(frozen=True)
class CandidatePage:
    """Candidates best first; rows are read against ``shape``."""

    items: Sequence[Candidate | FlatRow | TreeRow]
    shape: FlatShape | None = None
    # Empty on the last page.
    next_page_token: str = ""

    def candidates(self) -> list[Candidate]:
        return [
            item
            if isinstance(item, Candidate)
            else item.candidate()
            if isinstance(item, TreeRow)
            else self._shape.candidate(item)
            for item in self.items
        ]

    @property
    def _shape(self) -> FlatShape:
        assert self.shape is not None, "a page holding rows carries their shape"
        return self.shape
