"""The in-tree search is bounded: it never builds the product of choices.

Placement builds every combination before applying its limit: a host with
8 children and 6 request groups makes 8^6 = 262,144 of them. Mulligan's
search takes the groups one at a time, each trying its providers
best-first, and stops at the first placement that works, or when its
step budget runs out.
"""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from mulligan.resource.candidates.compile import Compiled, Group, Need
from mulligan.resource.candidates.search import TreeSearch, order_key
from mulligan.resource.candidates.trees import Context, Inv, Node, Tree
from mulligan.resource.types import Rank
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
        from_now_on=True,
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


_CLASSES = ("VCPU", "MEMORY_MB", "FPGA")
_TRAITS = ("HW_NUMA_ROOT", "AVX2", "DISABLED")


@st.composite
def _random_tree(draw: st.DrawFn) -> Tree:
    nodes: dict[int, Node] = {}
    for node_id in range(1, draw(st.integers(1, 7)) + 1):
        parent = None if node_id == 1 else draw(st.integers(1, node_id - 1))
        inventories = {}
        for cls in draw(st.lists(st.sampled_from(_CLASSES), unique=True)):
            capacity = draw(st.integers(0, 16))
            free = draw(st.integers(-4, capacity))
            peak = draw(st.integers(0, capacity + 2))
            low = draw(st.integers(1, 3))
            inventories[cls] = Inv(capacity, 0, free, 0, low, draw(st.integers(low, 16)), draw(st.integers(1, 3)), peak)
        traits = frozenset(draw(st.lists(st.sampled_from(_TRAITS), unique=True)))
        region = draw(st.sampled_from(("east", "west")))
        nodes[node_id] = Node(node_id, f"p{node_id}", parent, 1, region, inventories, traits)
    return Tree(1, nodes)


@st.composite
def _random_group(draw: st.DrawFn, index: int) -> Group:
    classes = draw(st.lists(st.sampled_from(_CLASSES), unique=True, min_size=index == 0))
    required = frozenset(draw(st.lists(st.sampled_from(_TRAITS), unique=True, max_size=1)))
    forbidden = frozenset(draw(st.lists(st.sampled_from(_TRAITS), unique=True, max_size=1))) - required
    return Group(
        index=index,
        label=f"g{index}",
        needs=tuple(Need(cls, draw(st.integers(1, 6)), shareable=False) for cls in classes),
        required=required,
        forbidden=forbidden,
        any_of=(),
        member_of=frozenset(),
        not_member_of=frozenset(),
        tree_root=None,
        near=None,
    )


@settings(max_examples=300, deadline=None)
@given(
    _random_tree(),
    st.integers(1, 3).flatmap(lambda n: st.tuples(*(_random_group(i) for i in range(n)))),
    st.sampled_from(("pack", "spread")),
    st.sampled_from((None, frozenset({"east"}))),
    st.booleans(),
    st.booleans(),
)
def test_a_group_asking_only_classes_and_traits_has_the_options_could_serve_finds(
    tree: Tree,
    groups: tuple[Group, ...],
    rank: Rank,
    regions: frozenset[str] | None,
    isolate: bool,
    same_subtree: bool,
) -> None:
    compiled = Compiled(
        groups=groups,
        ranking=0,
        ranking_need=groups[0].needs[0],
        subtrees=((0, len(groups) - 1),) if same_subtree and len(groups) > 1 else (),
        isolate=isolate,
        region_ids=regions,
        span=Span(0, None),
        limit=10,
        rank=rank,
        ties="deterministic",
        shareable=frozenset(),
        from_now_on=True,
    )
    search = TreeSearch(Context(compiled))
    for group in groups:
        expected = sorted(
            (node for node in tree.nodes.values() if search.could_serve(group, node, tree)),
            key=lambda node: order_key(search.context, search.value(group, node), node.id),
        )
        assert search._options(group, tree) == expected
    placement = search.place(tree)
    if placement is not None:
        # What every group took fits where it was taken.
        taken: dict[tuple[int, str], int] = {}
        for group in groups:
            choice = placement.choices[group.index]
            for need in group.needs:
                assert choice.served_by[need.resource_class] is choice.node
                key = (choice.node.id, need.resource_class)
                taken[key] = taken.get(key, 0) + need.amount
        for (node_id, cls), amount in taken.items():
            assert amount <= tree.nodes[node_id].inventories[cls].available


def test_groups_sharing_a_provider_count_what_the_window_already_uses() -> None:
    # Capacity 8 with 4 in use: one group of 3 fits, a second does not.
    nodes = {
        1: Node(1, "root", None, 1, "region"),
        2: Node(2, "child", 1, 1, "region", inventories={"VCPU": Inv(8, 4, 4, 0, 1, 8, 1, 4)}),
    }
    tree = Tree(1, nodes)
    groups = tuple(_group(i, amount=3) for i in range(2))
    compiled = dataclasses.replace(_compiled(2, isolate=False), groups=groups, ranking_need=groups[0].needs[0])
    assert TreeSearch(Context(compiled)).place(tree) is None
    one = dataclasses.replace(compiled, groups=groups[:1])
    placement = TreeSearch(Context(one)).place(tree)
    assert placement is not None and placement.choices[0].node.id == 2
