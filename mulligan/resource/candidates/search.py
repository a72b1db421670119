"""Placing every request group inside one provider tree.

A depth-first search over the groups, each trying its providers best-first
(by the ranking policy), so the first complete placement found is the best
one for the ranking group. The search is bounded: a tree that needs more
than ``budget`` steps is given up, so a wide tree with many groups never
costs more than that (the product of all choices is never built).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mulligan.resource.candidates.compile import Group, Need
from mulligan.resource.candidates.trees import Context, Inv, Node, Sharer, Tree

DEFAULT_BUDGET = 10_000


@dataclass(frozen=True)
class Choice:
    node: Node
    # class -> the provider serving it: the node itself or a sharing provider
    served_by: dict[str, Node]


@dataclass(frozen=True)
class Placement:
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
        groups = self.compiled.groups
        options: dict[int, list[Node]] = {}
        for group in groups:
            if pinned is not None and group.index == self.compiled.ranking:
                node = tree.nodes.get(pinned)
                options[group.index] = [node] if node is not None and self.could_serve(group, node, tree) else []
            else:
                nodes = [node for node in tree.nodes.values() if self.could_serve(group, node, tree)]
                options[group.index] = sorted(nodes, key=self._sort_key(group))
            if not options[group.index]:
                return None
        others = sorted((g.index for g in groups if g.index != self.compiled.ranking), key=lambda x: len(options[x]))
        order = [self.compiled.ranking, *others]
        state = _State()
        try:
            if not self._dfs(tree, order, 0, options, state):
                return None
        except _OutOfBudget:
            return None
        ranking = state.choices[self.compiled.ranking].node
        value = self.value(groups[self.compiled.ranking], ranking)
        return Placement(dict(state.choices), order_key(self.context, value, ranking.id), value)

    def _dfs(self, tree: Tree, order: list[int], depth: int, options: dict[int, list[Node]], state: _State) -> bool:
        if depth == len(order):
            return True
        group = self.compiled.groups[order[depth]]
        for node in options[group.index]:
            state.steps += 1
            if state.steps > self.budget:
                raise _OutOfBudget
            if self.compiled.isolate and group.has_resources and node.id in state.isolated:
                continue
            served = self._take(group, node, tree, state)
            if served is None:
                continue
            state.choices[group.index] = Choice(node, served)
            if group.has_resources:
                state.isolated[node.id] = state.isolated.get(node.id, 0) + 1
            if self._subtrees_ok(tree, state) and self._dfs(tree, order, depth + 1, options, state):
                return True
            del state.choices[group.index]
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

    def _subtrees_ok(self, tree: Tree, state: _State) -> bool:
        for members in self.compiled.subtrees:
            if not all(index in state.choices for index in members):
                continue
            nodes = {state.choices[index].node.id for index in members}
            if not any(all(tree.is_ancestor_or_self(top, other) for other in nodes) for top in nodes):
                return False
        return True


class _State:
    def __init__(self) -> None:
        self.choices: dict[int, Choice] = {}
        self.used: dict[tuple[int, str], int] = {}
        self.isolated: dict[int, int] = {}
        self.steps = 0
