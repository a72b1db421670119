"""The in-tree search is bounded: it never builds the product of choices.

Placement builds every combination before applying its limit: a host with
8 children and 6 request groups makes 8^6 = 262,144 of them. Mulligan's
search takes the groups one at a time, each trying its providers
best-first, and stops at the first placement that works, or when its
step budget runs out.
"""

from __future__ import annotations

from mulligan.resource.candidates.compile import Compiled, Group, Need
from mulligan.resource.candidates.search import TreeSearch
from mulligan.resource.candidates.trees import Context, Inv, Node, Tree
from mulligan.resource.windows import Span


def _group(index: int, amount: int = 1) -> Group:
    return Group(
        index=index,
        label=f"g{index}",
        needs=(Need("VCPU", amount, shareable=False),),
        required=frozenset(),
        forbidden=frozenset(),
        any_of=(),
        member_of=frozenset(),
        not_member_of=frozenset(),
        tree_root=None,
        near=None,
    )


def _compiled(groups: int, *, isolate: bool = True) -> Compiled:
    members = tuple(_group(i) for i in range(groups))
    return Compiled(
        groups=members,
        ranking=0,
        ranking_need=members[0].needs[0],
        subtrees=(),
        isolate=isolate,
        region_ids=None,
        span=Span(0, None),
        limit=10,
        rank="pack",
        ties="deterministic",
        shareable=frozenset(),
    )


def _wide_tree(children: int, capacity: int = 1) -> Tree:
    nodes = {1: Node(1, "root", None, 1, "region")}
    for child in range(2, children + 2):
        inv = Inv(capacity, 0, capacity, 0, 1, capacity, 1, 0)
        nodes[child] = Node(child, f"child-{child}", 1, 1, "region", inventories={"VCPU": inv})
    return Tree(1, nodes)


def test_eight_children_six_isolated_groups_take_21_steps_not_262144_combinations() -> None:
    tree = _wide_tree(8)
    context = Context(_compiled(6))
    # Group k tries k children before it finds one the others have not taken.
    placement = TreeSearch(context, budget=21).place(tree)
    assert placement is not None
    assert len({choice.node.id for choice in placement.choices.values()}) == 6
    assert TreeSearch(context, budget=20).place(tree) is None


def test_a_hopeless_tree_costs_at_most_the_budget() -> None:
    tree = _wide_tree(8)
    # Nine isolated groups cannot fit eight children; exhausting every
    # permutation would take millions of steps.
    search = TreeSearch(Context(_compiled(9)), budget=1000)
    assert search.place(tree) is None


def test_groups_share_a_provider_only_within_its_capacity() -> None:
    tree = _wide_tree(2, capacity=2)
    placement = TreeSearch(Context(_compiled(2, isolate=False))).place(tree)
    assert placement is not None
    assert {choice.node.id for choice in placement.choices.values()} == {2}
    placement = TreeSearch(Context(_compiled(3, isolate=False))).place(tree)
    assert placement is not None
    assert sorted(choice.node.id for choice in placement.choices.values()) == [2, 2, 3]
    assert TreeSearch(Context(_compiled(5, isolate=False))).place(tree) is None


def test_pinning_the_ranking_group() -> None:
    tree = _wide_tree(3)
    search = TreeSearch(Context(_compiled(2)))
    placement = search.place(tree, pinned=4)
    assert placement is not None and placement.choices[0].node.id == 4
    assert search.place(tree, pinned=1) is None  # the root has no VCPU
