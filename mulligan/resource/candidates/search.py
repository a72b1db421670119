"""Placing every request group inside one provider tree.

A depth-first search over the groups, each trying its providers best-first
(by the ranking policy), so the first complete placement found is the best
one for the ranking group. The search is bounded: a tree that needs more
than ``budget`` steps is given up, so a wide tree with many groups never
costs more than that (the product of all choices is never built).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from mulligan.resource.candidates.compile import Group, Need
from mulligan.resource.candidates.trees import Context, Inv, Node, Sharer, Tree

DEFAULT_BUDGET = 10_000


# Tuples rather than frozen dataclasses: a thousand trees make several each.
class Choice(NamedTuple):
    node: Node
    # class -> the provider serving it: the node itself or a sharing provider
    served_by: dict[str, Node]


class Placement(NamedTuple):
    choices: dict[int, Choice]
    order: tuple[int, int]
    rank_key: int


class _OutOfBudget(Exception):
    pass


def order_key(context: Context, value: int, node_id: int) -> tuple[int, int]:
    """Sort key of a candidate: ascending is best-first for every rank."""
    if context.compiled.rank == "spread":
        return (-value, -node_id)
    return (value, node_id)


class TreeSearch:
    def __init__(self, context: Context, budget: int = DEFAULT_BUDGET) -> None:
        self.context = context
        self.compiled = context.compiled
        self.budget = budget
        compiled = self.compiled
        # (class, amount) of each need, by group.
        needs = {index: group_needs for index, _label, group_needs in compiled.plan_shape}
        self._plain = {group.index: _plain(group, needs[group.index], compiled.region_ids) for group in compiled.groups}
        # The same-subtree sets to check once a group is chosen: those it is in.
        self._subtrees_of = {
            group.index: tuple(members for members in compiled.subtrees if group.index in members)
            for group in compiled.groups
        }
        # What the search looks up for a group at each step; the third is the
        # (class, amount) of a group none of whose classes is shared, else None.
        self._levels = {
            group.index: (
                group,
                compiled.isolate and group.has_resources,
                None if any(need.shareable for need in group.needs) else needs[group.index],
                bool(self._subtrees_of[group.index]),
            )
            for group in compiled.groups
        }

    # --- what one provider can do on its own ---------------------------------

    def distance(self, group: Group, node: Node) -> int | None:
        assert group.near is not None
        near, _ = group.near
        if near in (node.id, node.root_id):
            return 0
        found = [
            self.context.distances[key]
            for key in ((near, node.id), (near, node.root_id))
            if key in self.context.distances
        ]
        return min(found) if found else None

    def static_ok(self, group: Group, node: Node, tree: Tree) -> bool:
        traits = node.traits
        if not group.required <= traits or group.forbidden & traits:
            return False
        if group.any_of and any(not any_of & traits for any_of in group.any_of):
            return False
        if group.member_of or group.not_member_of:
            memberships = node.groups | tree.root.groups
            if group.member_of and not group.member_of & memberships:
                return False
            if group.not_member_of & memberships:
                return False
        if group.tree_root is not None and node.root_id != group.tree_root:
            return False
        if group.near is not None:
            distance = self.distance(group, node)
            if distance is None or distance > group.near[1]:
                return False
        return self.compiled.region_ids is None or node.region_id in self.compiled.region_ids

    def _sharers(self, node: Node, tree: Tree, need: Need) -> list[Sharer]:
        reach = node.groups | tree.root.groups
        found = []
        for sharer in self.context.sharers:
            inv = sharer.node.inventories.get(need.resource_class)
            if inv is not None and sharer.shares_with & reach and inv.units_ok(need.amount):
                found.append(sharer)
        return found

    def could_serve(self, group: Group, node: Node, tree: Tree) -> bool:
        # Inventories first: in a tree most nodes lack a group's classes,
        # and a dictionary look-up rules them out cheapest.
        inventories = node.inventories
        lacking = []
        for need in group.needs:
            inv = inventories.get(need.resource_class)
            if inv is None:
                if not need.shareable:
                    return False
                lacking.append(need)
            elif not inv.units_ok(need.amount) or inv.capacity - inv.peak < need.amount:
                return False
        if not self.static_ok(group, node, tree):
            return False
        return all(
            any(
                s.node.inventories[need.resource_class].available >= need.amount
                for s in self._sharers(node, tree, need)
            )
            for need in lacking
        )

    def value(self, group: Group, node: Node) -> int:
        """The figure a group's providers are ranked by."""
        if self.compiled.rank == "nearest" and group.near is not None:
            return self.distance(group, node) or 0
        for need in group.local_needs:
            inv = node.inventories.get(need.resource_class)
            if inv is not None:
                return inv.rank_value(need.amount)
        return 0

    def _sort_key(self, group: Group) -> Callable[[Node], tuple[int, int]]:
        def key(node: Node) -> tuple[int, int]:
            return order_key(self.context, self.value(group, node), node.id)

        return key

    # --- the search --------------------------------------------------------

    def place(self, tree: Tree, pinned: int | None = None) -> Placement | None:
        """The best placement of every group in tree (ranking group on pinned if given)."""
        compiled = self.compiled
        groups = compiled.groups
        options: dict[int, list[Node]] = {}
        for group in groups:
            if pinned is not None and group.index == compiled.ranking:
                node = tree.nodes.get(pinned)
                found = [node] if node is not None and self.could_serve(group, node, tree) else []
            else:
                found = self._options(group, tree)
            if not found:
                return None
            options[group.index] = found
        others = sorted((g.index for g in groups if g.index != compiled.ranking), key=lambda x: len(options[x]))
        order = [compiled.ranking, *others]
        state = _State()
        try:
            if not self._dfs(tree, order, 0, options, state):
                return None
        except _OutOfBudget:
            return None
        ranking = state.choices[compiled.ranking].node
        value = self.value(groups[compiled.ranking], ranking)
        return Placement(state.choices, order_key(self.context, value, ranking.id), value)

    def _options(self, group: Group, tree: Tree) -> list[Node]:
        """The tree's providers that could serve group, best first."""
        plain = self._plain[group.index]
        if plain is None:
            nodes = [node for node in tree.nodes.values() if self.could_serve(group, node, tree)]
            return sorted(nodes, key=self._sort_key(group)) if len(nodes) > 1 else nodes
        # Every class is the provider's own and only traits are asked about:
        # only the providers holding the first class need a look.
        first_class, first_amount = plain.needs[0]
        needs, required, forbidden, regions = plain.needs, plain.required, plain.forbidden, plain.regions
        keyed: list[tuple[tuple[int, int], Node]] = []
        for node in tree.holding(first_class):
            if not _has_room(node.inventories, needs):
                continue
            if required or forbidden:
                traits = node.traits
                if not required <= traits or not forbidden.isdisjoint(traits):
                    continue
            if regions is not None and node.region_id not in regions:
                continue
            # As value(): the first class is the first local need.
            value = node.inventories[first_class].rank_value(first_amount)
            keyed.append((order_key(self.context, value, node.id), node))
        if len(keyed) == 1:
            return [keyed[0][1]]
        keyed.sort(key=_first)
        return [node for _, node in keyed]

    def _dfs(self, tree: Tree, order: list[int], depth: int, options: dict[int, list[Node]], state: _State) -> bool:
        if depth == len(order):
            return True
        index = order[depth]
        group, isolating, own, check_subtrees = self._levels[index]
        for node in options[index]:
            state.steps += 1
            if state.steps > self.budget:
                raise _OutOfBudget
            if isolating and node.id in state.isolated:
                continue
            served = self._take(group, node, tree, state) if own is None else _take_own(own, node, state)
            if served is None:
                continue
            state.choices[index] = Choice(node, served)
            if group.has_resources:
                state.isolated[node.id] = state.isolated.get(node.id, 0) + 1
            if (not check_subtrees or self._subtrees_ok(tree, state, index)) and self._dfs(
                tree, order, depth + 1, options, state
            ):
                return True
            del state.choices[index]
            if group.has_resources:
                state.isolated[node.id] -= 1
                if not state.isolated[node.id]:
                    del state.isolated[node.id]
            self._give_back(group, served, state)
        return False

    def _take(self, group: Group, node: Node, tree: Tree, state: _State) -> dict[str, Node] | None:
        """Reserve group's amounts on node (and sharers) in the search state."""
        served: dict[str, Node] = {}
        for need in group.needs:
            inv = node.inventories.get(need.resource_class)
            target: Node | None = node if inv is not None and self._room(node, need, inv, state) else None
            if inv is None:
                target = self._best_sharer(node, tree, need, state)
            if target is None:
                self._give_back(group, served, state)
                return None
            key = (target.id, need.resource_class)
            state.used[key] = state.used.get(key, 0) + need.amount
            served[need.resource_class] = target
        return served

    def _room(self, node: Node, need: Need, inv: Inv, state: _State) -> bool:
        return state.used.get((node.id, need.resource_class), 0) + need.amount <= inv.available

    def _best_sharer(self, node: Node, tree: Tree, need: Need, state: _State) -> Node | None:
        fitting = [
            s.node
            for s in self._sharers(node, tree, need)
            if self._room(s.node, need, s.node.inventories[need.resource_class], state)
        ]
        if not fitting:
            return None
        return min(
            fitting,
            key=lambda n: order_key(self.context, n.inventories[need.resource_class].rank_value(need.amount), n.id),
        )

    def _give_back(self, group: Group, served: dict[str, Node], state: _State) -> None:
        for need in group.needs:
            target = served.get(need.resource_class)
            if target is not None:
                state.used[(target.id, need.resource_class)] -= need.amount

    def _subtrees_ok(self, tree: Tree, state: _State, chosen: int) -> bool:
        """Whether the same-subtree sets holding the group just chosen still hold.

        The others were checked when their last group was chosen and have
        not changed since.
        """
        choices = state.choices
        for members in self._subtrees_of[chosen]:
            nodes = []
            for index in members:
                choice = choices.get(index)
                if choice is None:
                    break
                nodes.append(choice.node.id)
            else:
                if not any(all(tree.is_ancestor_or_self(top, other) for other in nodes) for top in nodes):
                    return False
        return True


class _Plain(NamedTuple):
    # (class, amount) of each need.
    needs: tuple[tuple[str, int], ...]
    required: frozenset[str]
    forbidden: frozenset[str]
    regions: frozenset[str] | None


def _has_room(inventories: dict[str, Inv], needs: tuple[tuple[str, int], ...]) -> bool:
    for resource_class, amount in needs:
        inv = inventories.get(resource_class)
        if inv is None or inv.available < amount or not inv.units_ok(amount):
            return False
    return True


def _plain(group: Group, needs: tuple[tuple[str, int], ...], regions: frozenset[str] | None) -> _Plain | None:
    """The group's needs, traits and regions when nothing else is asked of
    its provider (the common case), or None."""
    if (
        not group.needs
        or any(need.shareable for need in group.needs)
        or group.any_of
        or group.member_of
        or group.not_member_of
        or group.tree_root is not None
        or group.near is not None
    ):
        return None
    return _Plain(needs, group.required, group.forbidden, regions)


def _take_own(needs: tuple[tuple[str, int], ...], node: Node, state: _State) -> dict[str, Node] | None:
    """TreeSearch._take for a group served by its provider alone (which
    has every class: could_serve saw to it)."""
    used = state.used
    inventories = node.inventories
    node_id = node.id
    for position, (resource_class, amount) in enumerate(needs):
        inv = inventories[resource_class]
        key = (node_id, resource_class)
        total = used.get(key, 0) + amount
        if total > inv.capacity - inv.peak:
            for taken_class, taken in needs[:position]:
                used[(node_id, taken_class)] -= taken
            return None
        used[key] = total
    return {resource_class: node for resource_class, _ in needs}


def _first(item: tuple[tuple[int, int], Node]) -> tuple[int, int]:
    return item[0]


class _State:
    __slots__ = ("choices", "isolated", "steps", "used")

    def __init__(self) -> None:
        self.choices: dict[int, Choice] = {}
        self.used: dict[tuple[int, str], int] = {}
        self.isolated: dict[int, int] = {}
        self.steps = 0
