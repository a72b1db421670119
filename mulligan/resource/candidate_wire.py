"""FindCandidatesResponse from a candidate page, written in the protobuf
wire format directly.

A page of a thousand candidates is seven thousand small messages; making
each as a Python protobuf object costs several times more than finding the
candidates. Rows of one shape differ only in a few strings and integers,
so their bytes are assembled from pieces made once per page, and the RPC
layer sends them without a message in between. Tree rows are written field
by field as the protobuf library would (defaults left out); a candidate
object goes through the ordinary conversion.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.resource import convert
from mulligan.resource.candidate_page import CandidatePage, FlatRow, FlatShape, TreeRow

_LEN = 2
_VARINT = 0


def _tag(field: int, wire_type: int) -> bytes:
    return _varint(field << 3 | wire_type)


def _varint(value: int) -> bytes:
    if 0 <= value < _SMALL_COUNT:
        return _SMALL[value]
    return _large_varint(value)


def _encode_varint(value: int) -> bytes:
    # int64 fields: a negative value is its 64-bit two's complement.
    value &= 0xFFFF_FFFF_FFFF_FFFF
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


# Lengths and most amounts are small: their encodings are looked up.
_SMALL_COUNT = 1 << 14
_SMALL = [_encode_varint(n) for n in range(_SMALL_COUNT)]
# Larger ones (memory in MB, disk in GB) repeat across a fleet's hosts.
_large_varint = functools.lru_cache(maxsize=1 << 13)(_encode_varint)


def _field(field: int, payload: bytes) -> bytes:
    return _tag(field, _LEN) + _varint(len(payload)) + payload


# Field numbers, as in resource.proto.
_RESPONSE_CANDIDATES = 1
_RESPONSE_NEXT_PAGE_TOKEN = 2
_CANDIDATE_PLANS, _CANDIDATE_PROVIDERS, _CANDIDATE_RANK_KEY = 1, 2, 3
_PLAN_LABEL, _PLAN_ALLOCATIONS = 1, 2
_ALLOCATION_PROVIDER, _ALLOCATION_CLASS, _ALLOCATION_AMOUNT = 1, 2, 3
_SUMMARY_PROVIDER, _SUMMARY_ROOT, _SUMMARY_REGION, _SUMMARY_RESOURCES = 1, 2, 3, 4
_USAGE_CLASS, _USAGE_CAPACITY, _USAGE_USED = 1, 2, 3

_RANK_KEY_TAG = _tag(_CANDIDATE_RANK_KEY, _VARINT)
_RESPONSE_CANDIDATES_TAG = _tag(_RESPONSE_CANDIDATES, _LEN)
_CANDIDATE_PROVIDERS_TAG = _tag(_CANDIDATE_PROVIDERS, _LEN)
_SUMMARY_PROVIDER_TAG = _tag(_SUMMARY_PROVIDER, _LEN)
_SUMMARY_ROOT_TAG = _tag(_SUMMARY_ROOT, _LEN)
_SUMMARY_REGION_TAG = _tag(_SUMMARY_REGION, _LEN)
_SUMMARY_RESOURCES_TAG = _tag(_SUMMARY_RESOURCES, _LEN)
_CAPACITY_TAG = _tag(_USAGE_CAPACITY, _VARINT)
_USED_TAG = _tag(_USAGE_USED, _VARINT)
_CANDIDATE_PLANS_TAG = _tag(_CANDIDATE_PLANS, _LEN)
_PLAN_LABEL_TAG = _tag(_PLAN_LABEL, _LEN)
_PLAN_ALLOCATIONS_TAG = _tag(_PLAN_ALLOCATIONS, _LEN)
_ALLOCATION_PROVIDER_TAG = _tag(_ALLOCATION_PROVIDER, _LEN)
_ALLOCATION_CLASS_TAG = _tag(_ALLOCATION_CLASS, _LEN)
_AMOUNT_TAG = _tag(_ALLOCATION_AMOUNT, _VARINT)
_USAGE_CLASS_TAG = _tag(_USAGE_CLASS, _LEN)
# One tag for both: the provider is field 1 of an allocation and of a summary.
assert _ALLOCATION_PROVIDER_TAG == _SUMMARY_PROVIDER_TAG


def _string(tag: bytes, value: str) -> bytes:
    """A string field, left out when empty as proto3 does."""
    if not value:
        return b""
    encoded = value.encode()
    return tag + _varint(len(encoded)) + encoded


def _integer(tag: bytes, value: int) -> bytes:
    """An int64 field, left out when zero as proto3 does."""
    return tag + _varint(value) if value else b""


class _Encoded(dict[Any, bytes]):
    """Encodings by value, each made once, the first time it is asked for."""

    def __init__(self, encode: Callable[[Any], bytes]) -> None:
        super().__init__()
        self._encode = encode

    def __missing__(self, value: Any) -> bytes:
        encoded = self[value] = self._encode(value)
        return encoded


def _usage(figures: tuple[str, int, int]) -> bytes:
    resource_class, capacity, used = figures
    body = _string(_USAGE_CLASS_TAG, resource_class) + _integer(_CAPACITY_TAG, capacity) + _integer(_USED_TAG, used)
    return _SUMMARY_RESOURCES_TAG + _varint(len(body)) + body


def _allocation_tail(need: tuple[str, int]) -> bytes:
    resource_class, amount = need
    return _string(_ALLOCATION_CLASS_TAG, resource_class) + _integer(_AMOUNT_TAG, amount)


class _TreePieces:
    """Writes tree rows. A page names a few classes, amounts, regions and
    usage figures many times, and each provider in two places: their
    fields are encoded once."""

    def __init__(self) -> None:
        self._labels = _Encoded(lambda label: _string(_PLAN_LABEL_TAG, label))
        self._tails = _Encoded(_allocation_tail)
        self._usages = _Encoded(_usage)
        # Field 1 of both an allocation and a summary.
        self._providers = _Encoded(lambda provider: _string(_SUMMARY_PROVIDER_TAG, provider))
        self._roots = _Encoded(lambda root: _string(_SUMMARY_ROOT_TAG, root))
        self._regions = _Encoded(lambda region: _string(_SUMMARY_REGION_TAG, region))

    def candidate(self, row: TreeRow) -> bytes:
        labels, tails, usages = self._labels, self._tails, self._usages
        providers, roots, regions = self._providers, self._roots, self._regions
        parts: list[bytes] = []
        for label, allocations in row.plan:
            plan = [labels[label]]
            for provider, resource_class, amount in allocations:
                head, tail = providers[provider], tails[resource_class, amount]
                plan += (_PLAN_ALLOCATIONS_TAG, _varint(len(head) + len(tail)), head, tail)
            body = b"".join(plan)
            parts += (_CANDIDATE_PLANS_TAG, _varint(len(body)), body)
        for provider, root, region, usage in row.providers:
            summary = [providers[provider], roots[root], regions[region]]
            summary += [usages[figures] for figures in usage]
            body = b"".join(summary)
            parts += (_CANDIDATE_PROVIDERS_TAG, _varint(len(body)), body)
        if row.rank_key:
            parts += (_RANK_KEY_TAG, _varint(row.rank_key))
        body = b"".join(parts)
        return b"".join((_RESPONSE_CANDIDATES_TAG, _varint(len(body)), body))


class _Pieces:
    """What every row of one shape shares, encoded once; a row adds its
    provider's strings and usage figures."""

    def __init__(self, shape: FlatShape) -> None:
        self._tails = [
            _field(_ALLOCATION_CLASS, cls.encode()) + _tag(_ALLOCATION_AMOUNT, _VARINT) + _varint(amount)
            for cls, amount in shape.needs
        ]
        self._label = _field(_PLAN_LABEL, shape.label.encode()) if shape.label else b""
        self._order = shape.summary_order
        self._usage_heads = [_field(_USAGE_CLASS, cls.encode()) + _CAPACITY_TAG for cls, _ in shape.needs]
        self._plans: dict[int, bytes] = {}

    def _plan(self, provider_length: int) -> bytes:
        """The candidate's plan field with a ``%b`` for the provider in each allocation."""
        template = self._plans.get(provider_length)
        if template is None:
            head = _tag(_ALLOCATION_PROVIDER, _LEN) + _varint(provider_length)
            # Literal pieces, and None where the provider goes.
            pieces: list[bytes | None] = [self._label]
            for tail in self._tails:
                pieces += [
                    _tag(_PLAN_ALLOCATIONS, _LEN) + _varint(len(head) + provider_length + len(tail)),
                    head,
                    None,
                    tail,
                ]
            plan_length = sum(provider_length if piece is None else len(piece) for piece in pieces)
            pieces[:0] = [_tag(_CANDIDATE_PLANS, _LEN) + _varint(plan_length)]
            template = b"".join(b"%b" if piece is None else piece.replace(b"%", b"%%") for piece in pieces)
            self._plans[provider_length] = template
        return template

    def candidate(self, row: FlatRow) -> bytes:
        small, count = _SMALL, _SMALL_COUNT
        provider = row.provider_id.encode()
        root = row.root_id.encode()
        region = row.region_id.encode()
        plan = self._plan(len(provider)) % ((provider,) * len(self._tails))
        parts = [
            _SUMMARY_PROVIDER_TAG,
            small[len(provider)],
            provider,
            _SUMMARY_ROOT_TAG,
            small[len(root)],
            root,
            _SUMMARY_REGION_TAG,
            small[len(region)],
            region,
        ]
        heads, capacities, used = self._usage_heads, row.capacities, row.used
        for k in self._order:
            capacity, peak = capacities[k], used[k]
            usage = (
                heads[k]
                + (small[capacity] if 0 <= capacity < count else _large_varint(capacity))
                + _USED_TAG
                + (small[peak] if 0 <= peak < count else _large_varint(peak))
            )
            parts += (_SUMMARY_RESOURCES_TAG, small[len(usage)], usage)
        summary = b"".join(parts)
        body = b"".join(
            (plan, _CANDIDATE_PROVIDERS_TAG, _varint(len(summary)), summary, _RANK_KEY_TAG, _varint(row.rank_key))
        )
        return b"".join((_RESPONSE_CANDIDATES_TAG, _varint(len(body)), body))


def response(page: CandidatePage) -> pb.FindCandidatesResponse:
    return pb.FindCandidatesResponse.FromString(encoded(page))


def encoded(page: CandidatePage) -> bytes:
    """The response's wire bytes, which the RPC layer sends as they are."""
    pieces = _Pieces(page.shape) if page.shape is not None else None
    trees = _TreePieces()
    parts = []
    for item in page.items:
        if isinstance(item, FlatRow):
            assert pieces is not None, "a page holding rows carries their shape"
            parts.append(pieces.candidate(item))
        elif isinstance(item, TreeRow):
            parts.append(trees.candidate(item))
        else:
            parts.append(_field(_RESPONSE_CANDIDATES, convert.candidate(item).SerializeToString()))
    if page.next_page_token:
        parts.append(_field(_RESPONSE_NEXT_PAGE_TOKEN, page.next_page_token.encode()))
    return b"".join(parts)
