"""A candidate request checked and turned into integer keys and plain sets,
ready for the SQL filters and the in-tree search."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import InvalidArgument, NotFound
from mulligan.resource import catalog, regions
from mulligan.resource import models as m
from mulligan.resource.refs import provider_refs
from mulligan.resource.types import GROUP_POLICIES, RANKS, TIES, CandidateRequest, Rank, RequestGroup, Ties
from mulligan.resource.windows import Span, resolve

MAX_GROUPS = 16
MAX_CLASSES_PER_GROUP = 32
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Need:
    resource_class: str
    amount: int
    # A sharing provider offers this class: the group's provider may lack it.
    shareable: bool


@dataclass(frozen=True)
class Group:
    index: int
    label: str
    needs: tuple[Need, ...]
    required: frozenset[str]
    forbidden: frozenset[str]
    any_of: tuple[frozenset[str], ...]
    member_of: frozenset[int]
    not_member_of: frozenset[int]
    tree_root: int | None
    near: tuple[int, int] | None  # (provider key, max distance)

    @property
    def has_resources(self) -> bool:
        return bool(self.needs)

    @functools.cached_property
    def local_needs(self) -> tuple[Need, ...]:
        return tuple(need for need in self.needs if not need.shareable)


@dataclass(frozen=True)
class Compiled:
    groups: tuple[Group, ...]
    # The ranking group and class: candidates are ordered by the free amount
    # of this class on the provider chosen for this group.
    ranking: int
    ranking_need: Need | None
    subtrees: tuple[tuple[int, ...], ...]
    isolate: bool
    region_ids: frozenset[str] | None
    span: Span
    limit: int
    rank: Rank
    ties: Ties
    shareable: frozenset[str]
    # The window holds every instant from now on: each inventory's ``free``
    # answers it exactly, so a row with less free than asked is out in SQL
    # already, not only after reading its claims.
    from_now_on: bool

    @functools.cached_property
    def plan_shape(self) -> tuple[tuple[int, str, tuple[tuple[str, int], ...]], ...]:
        """(index, label, ((class, amount), ...)) of every group, in order."""
        return tuple(
            (group.index, group.label, tuple((need.resource_class, need.amount) for need in group.needs))
            for group in self.groups
        )

    @property
    def ranking_group(self) -> Group:
        return self.groups[self.ranking]

    @property
    def flat(self) -> bool:
        """One group, nothing shared: each matching provider is a candidate by itself."""
        return len(self.groups) == 1 and not self.shareable

    @property
    def classes(self) -> frozenset[str]:
        return frozenset(need.resource_class for group in self.groups for need in group.needs)

    @property
    def traits(self) -> frozenset[str]:
        found: set[str] = set()
        for group in self.groups:
            found |= group.required | group.forbidden
            for any_of in group.any_of:
                found |= any_of
        return frozenset(found)

    @property
    def group_ids(self) -> frozenset[int]:
        return frozenset(gid for group in self.groups for gid in group.member_of | group.not_member_of)

    @property
    def near_ids(self) -> frozenset[int]:
        return frozenset(group.near[0] for group in self.groups if group.near)


@dataclass(frozen=True)
class Refs:
    """References resolved to UUIDs before the read transaction opens."""

    region: str | None
    trees: dict[int, str]
    near: dict[int, str]
    member_of: dict[int, tuple[str, ...]]
    not_member_of: dict[int, tuple[str, ...]]


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise InvalidArgument(
            f"{what} must be one of {', '.join(allowed)}, got {value[:32]!r}", reason="INVALID_ARGUMENT"
        )
    return value


def check_shape(request: CandidateRequest) -> None:
    """Everything that needs no database."""
    if not request.groups:
        raise InvalidArgument("a request needs at least one group", reason="EMPTY_REQUEST")
    if len(request.groups) > MAX_GROUPS:
        raise InvalidArgument(f"at most {MAX_GROUPS} request groups", reason="TOO_MANY_GROUPS")
    labels = [group.label for group in request.groups]
    if len(set(labels)) != len(labels):
        raise InvalidArgument("request group labels must be unique", reason="DUPLICATE_LABEL")
    if not any(group.resources for group in request.groups):
        raise InvalidArgument("at least one request group must ask for resources", reason="EMPTY_REQUEST")
    for group in request.groups:
        _check_group(group)
    for labels_set in request.same_subtree:
        if len(labels_set) < 2:
            raise InvalidArgument("same_subtree needs at least two group labels", reason="INVALID_SAME_SUBTREE")
        for label in labels_set:
            if label not in labels:
                raise InvalidArgument(f"same_subtree names unknown group {label[:64]!r}", reason="INVALID_SAME_SUBTREE")
    _choice(request.group_policy, GROUP_POLICIES, "group_policy")
    _choice(request.rank, RANKS, "rank")
    _choice(request.ties, TIES, "ties")
    if isinstance(request.limit, bool) or not 1 <= request.limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit must be from 1 to {MAX_LIMIT}", reason="INVALID_LIMIT")


def _check_group(group: RequestGroup) -> None:
    if len(group.resources) > MAX_CLASSES_PER_GROUP:
        raise InvalidArgument(f"at most {MAX_CLASSES_PER_GROUP} classes per group", reason="TOO_MANY_CLASSES")
    for resource_class, amount in group.resources.items():
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvalidArgument(
                f"amount of {resource_class[:64]} must be a positive whole number, got {amount!r}",
                reason="INVALID_AMOUNT",
            )
    clash = group.required_traits & group.forbidden_traits
    if clash:
        raise InvalidArgument(f"trait {sorted(clash)[0]} is both required and forbidden", reason="CONFLICTING_TRAITS")
    if any(not any_of for any_of in group.any_traits):
        raise InvalidArgument("an any-of trait set cannot be empty", reason="EMPTY_TRAIT_SET")
    if group.near is not None and (isinstance(group.near.max_distance, bool) or group.near.max_distance < 0):
        raise InvalidArgument("max_distance cannot be negative", reason="INVALID_DISTANCE")


def compile_request(session: orm.Session, request: CandidateRequest, refs: Refs, now: int) -> Compiled:
    span = resolve(request.window, now)
    classes = {cls for group in request.groups for cls in group.resources}
    catalog.check_classes(session, classes)
    traits: set[str] = set()
    for group in request.groups:
        traits |= group.required_traits | group.forbidden_traits
        for any_of in group.any_traits:
            traits |= any_of
    catalog.check_traits(session, traits)
    region_ids = regions.visible_ids(session)
    if refs.region is not None:
        regions.get_row(session, refs.region)
        below = frozenset(regions.subtree(session, refs.region))
        region_ids = below if region_ids is None else below & region_ids
    provider_uuids = set(refs.trees.values()) | set(refs.near.values())
    provider_ids = provider_refs(session, provider_uuids) if provider_uuids else {}
    group_uuids = {g for refs_ in (refs.member_of, refs.not_member_of) for uuids in refs_.values() for g in uuids}
    group_ids = _group_ids(session, group_uuids)
    roots: dict[int, int] = {}
    for index, tree_uuid in refs.trees.items():
        root = session.execute(sa.select(m.providers.c.root_id).where(m.providers.c.id == provider_ids[tree_uuid]))
        roots[index] = int(root.scalar_one())
    shareable = _shareable(session, classes)
    groups = []
    for index, group in enumerate(request.groups):
        near = None
        if group.near is not None:
            near = (provider_ids[refs.near[index]], group.near.max_distance)
        groups.append(
            Group(
                index=index,
                label=group.label,
                needs=tuple(Need(cls, amount, cls in shareable) for cls, amount in group.resources.items()),
                required=frozenset(group.required_traits),
                forbidden=frozenset(group.forbidden_traits),
                any_of=tuple(frozenset(s) for s in group.any_traits),
                member_of=frozenset(group_ids[g] for g in refs.member_of.get(index, ())),
                not_member_of=frozenset(group_ids[g] for g in refs.not_member_of.get(index, ())),
                tree_root=roots.get(index),
                near=near,
            )
        )
    ranking, ranking_need = _ranking(groups)
    if request.rank == "nearest" and groups[ranking].near is None:
        raise InvalidArgument(
            f"rank nearest needs 'near' on the ranking group {groups[ranking].label!r}", reason="NEAR_REQUIRED"
        )
    label_index = {group.label: group.index for group in groups}
    return Compiled(
        groups=tuple(groups),
        ranking=ranking,
        ranking_need=ranking_need,
        subtrees=tuple(tuple(label_index[label] for label in labels) for labels in request.same_subtree),
        isolate=request.group_policy == "isolate",
        region_ids=region_ids,
        span=span,
        limit=request.limit,
        rank=request.rank,
        ties=request.ties,
        shareable=frozenset(shareable),
        from_now_on=span.from_now_on(now),
    )


def _ranking(groups: list[Group]) -> tuple[int, Need | None]:
    for group in groups:
        if group.local_needs:
            return group.index, group.local_needs[0]
    first = next(group for group in groups if group.has_resources)
    return first.index, None


def _group_ids(session: orm.Session, group_uuids: set[str]) -> dict[str, int]:
    if not group_uuids:
        return {}
    g = m.groups.c
    found = dict(session.execute(sa.select(g.uuid, g.id).where(g.uuid.in_(group_uuids))).all())
    for missing in sorted(group_uuids - set(found)):
        raise NotFound(f"provider group {missing} not found", reason="GROUP_NOT_FOUND")
    return found


def _shareable(session: orm.Session, classes: set[str]) -> set[str]:
    """Classes that some provider shares with a group."""
    i, s = m.inventories.c, m.sharing.c
    sharers = sorted(set(session.scalars(sa.select(s.provider_id).distinct())))
    if not sharers:
        return set()
    query = (
        sa.select(i.resource_class).distinct().where(i.provider_id.in_(sharers), i.resource_class.in_(sorted(classes)))
    )
    return set(session.scalars(query))
