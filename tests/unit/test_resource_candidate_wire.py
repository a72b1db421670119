"""The candidates response written as wire bytes equals the one built from
protobuf objects, for every kind of value a page can hold."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.resource import Allocation, Candidate, ProviderSummary, ResourceUsage, candidate_wire, convert
from mulligan.resource.candidate_page import CandidatePage, FlatRow, FlatShape, TreeRow

_INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
_TEXT = st.text(min_size=0, max_size=40)
_CLASS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ_%", min_size=1, max_size=40)


@st.composite
def _pages(draw: st.DrawFn) -> CandidatePage:
    classes = draw(st.lists(_CLASS, min_size=1, max_size=5, unique=True))
    shape = FlatShape(draw(_TEXT), tuple((cls, draw(_INT64)) for cls in classes))
    rows = [
        FlatRow(
            draw(st.one_of(_TEXT, st.just(str(uuid.uuid4())))),
            draw(_TEXT),
            draw(_TEXT),
            draw(_INT64),
            tuple(draw(_INT64) for _ in classes),
            tuple(draw(_INT64) for _ in classes),
        )
        for _ in range(draw(st.integers(0, 4)))
    ]
    tree = Candidate(
        {"a": (Allocation("p1", "VCPU", 2),), "b": (Allocation("p2", "FPGA", 1),)},
        (ProviderSummary("p1", "r", "g", (ResourceUsage("VCPU", 8, 2),)),),
        -3,
    )
    items: list[Candidate | FlatRow | TreeRow] = [*rows]
    if draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), tree)
    if draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), draw(_tree_rows()))
    return CandidatePage(items, shape, draw(_TEXT))


@st.composite
def _tree_rows(draw: st.DrawFn) -> TreeRow:
    providers = st.one_of(_TEXT, st.just(str(uuid.uuid4())))
    labels = draw(st.lists(_TEXT, min_size=1, max_size=4, unique=True))
    plan = tuple((label, tuple(draw(st.lists(st.tuples(providers, _CLASS, _INT64), max_size=3)))) for label in labels)
    usage = st.lists(st.tuples(_CLASS, _INT64, _INT64), max_size=3)
    summaries = tuple(draw(st.lists(st.tuples(providers, _TEXT, _TEXT, usage.map(tuple)), max_size=3)))
    return TreeRow(plan, summaries, draw(_INT64))


@given(st.lists(_tree_rows(), max_size=4), _TEXT)
def test_tree_rows_are_the_bytes_of_the_ordinary_response(rows: list[TreeRow], token: str) -> None:
    page = CandidatePage(rows, None, token)
    expected = pb.FindCandidatesResponse(
        candidates=[convert.candidate(row.candidate()) for row in rows], next_page_token=token
    )
    assert candidate_wire.encoded(page) == expected.SerializeToString()


@given(st.lists(_tree_rows(), min_size=1, max_size=2))
def test_a_tree_row_is_the_candidate_it_stands_for(rows: list[TreeRow]) -> None:
    for row, candidate in zip(rows, CandidatePage(rows).candidates(), strict=True):
        assert list(candidate.plan) == [label for label, _ in row.plan]
        assert [[(a.provider_id, a.resource_class, a.amount) for a in plan] for plan in candidate.plan.values()] == [
            list(allocations) for _, allocations in row.plan
        ]
        assert [
            (s.provider_id, s.root_id, s.region_id, [(u.resource_class, u.capacity, u.used) for u in s.resources])
            for s in candidate.providers
        ] == [(provider, root, region, list(usage)) for provider, root, region, usage in row.providers]
        assert candidate.rank_key == row.rank_key


@given(_pages())
def test_wire_bytes_parse_to_the_ordinary_response(page: CandidatePage) -> None:
    expected = pb.FindCandidatesResponse(
        candidates=[convert.candidate(c) for c in page.candidates()], next_page_token=page.next_page_token
    )
    assert candidate_wire.response(page) == expected


def test_a_page_of_a_thousand_uuid_rows() -> None:
    shape = FlatShape("", (("VCPU", 2), ("MEMORY_MB", 4096), ("DISK_GB", 40)))
    rows = [
        FlatRow(str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4()), n, (128, 131072, 2000), (n, 65536, 20000))
        for n in range(1000)
    ]
    page = CandidatePage(rows, shape, "next")
    response = candidate_wire.response(page)
    assert len(response.candidates) == 1000 and response.next_page_token == "next"
    assert response == pb.FindCandidatesResponse(
        candidates=[convert.candidate(c) for c in page.candidates()], next_page_token="next"
    )
