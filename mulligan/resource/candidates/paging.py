"""Page tokens for candidates.

A page token carries where the last page ended (the last candidate's sort
key), how many candidates the caller still wants, and a fingerprint of the
request, so a token is refused when sent with another request. Candidates
are sorted by a key unique to each (rank figure, provider key), so the next
page starts strictly after that key. Each page reads capacity as it is
when asked: a provider whose usage changed in between may move past the
point where the last page ended (and not show) or behind it (and show
again), as it would move in a new query.

A token is not secret: it only positions a query the caller may make
anyway. It is checked as hostile input all the same.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import TypeGuard

from mulligan.errors import InvalidArgument
from mulligan.resource.candidate_page import CandidatePage
from mulligan.resource.candidates.compile import MAX_LIMIT
from mulligan.resource.candidates.engine import CandidateEngine
from mulligan.resource.candidates.flat import FlatFound
from mulligan.resource.types import CandidateRequest

_VERSION = 1
_MAX_TOKEN = 256
_INT64 = 2**63


@dataclass(frozen=True)
class Position:
    """Where a page starts: after ``after`` (None: at the best), with
    ``remaining`` candidates still wanted (None: all there are)."""

    after: tuple[int, int] | None
    remaining: int | None


def find_page(
    engine: CandidateEngine, request: CandidateRequest, *, limit: int | None, page_size: int, page_token: str
) -> CandidatePage:
    """One page: at most page_size candidates (at most MAX_LIMIT), and at
    most limit over all pages (None: every candidate there is)."""
    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise InvalidArgument("limit must be at least 1", reason="INVALID_LIMIT")
    if page_size < 0:
        raise InvalidArgument("page_size cannot be negative", reason="INVALID_PAGE_SIZE")
    position = decode(page_token, request, limit)
    size = min(page_size or MAX_LIMIT, MAX_LIMIT)
    count = size if position.remaining is None else min(size, position.remaining)
    last_page = position.remaining is not None and position.remaining <= count
    if request.ties == "random" and (page_token or not last_page):
        raise InvalidArgument(
            f"random ties cannot be paged: ask for at most {MAX_LIMIT} candidates in one page",
            reason="RANDOM_TIES_PAGED",
        )
    found = engine.find(dataclasses.replace(request, limit=count), after=position.after, extra=1)
    token = ""
    if len(found) > count and not last_page:
        remaining = None if position.remaining is None else position.remaining - count
        token = encode(request, found[count - 1].order, remaining)
    found = found[:count]
    shape = next((item.shape for item in found if isinstance(item, FlatFound)), None)
    return CandidatePage([item.item for item in found], shape, token)


def fingerprint(request: CandidateRequest) -> str:
    """The same for the same request in any process; the limit is left out
    (the token carries what remains of it)."""
    groups = [
        {
            "label": group.label,
            "resources": sorted(group.resources.items()),
            "required": sorted(group.required_traits),
            "forbidden": sorted(group.forbidden_traits),
            "any": sorted(sorted(s) for s in group.any_traits),
            "member_of": list(group.member_of),
            "not_member_of": list(group.not_member_of),
            "in_tree": group.in_tree,
            "near": [group.near.provider, group.near.max_distance] if group.near else None,
        }
        for group in request.groups
    ]
    window = request.window
    canonical = {
        "groups": groups,
        "same_subtree": [list(labels) for labels in request.same_subtree],
        "group_policy": request.group_policy,
        "region": request.region,
        "window": [
            window.start.isoformat() if window.start else None,
            window.end.isoformat() if window.end else None,
        ],
        "rank": request.rank,
        "ties": request.ties,
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(request: CandidateRequest, after: tuple[int, int], remaining: int | None) -> str:
    payload = {"v": _VERSION, "f": fingerprint(request), "a": list(after), "r": remaining}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str, request: CandidateRequest, limit: int | None) -> Position:
    """The position a token names, or the first page's when there is none."""
    if not token:
        return Position(None, limit)
    payload = _payload(token)
    if payload.get("f") != fingerprint(request):
        raise InvalidArgument(
            "page_token belongs to another request: send the same request with it", reason="INVALID_PAGE_TOKEN"
        )
    after, remaining = payload.get("a"), payload.get("r")
    if not (isinstance(after, list) and len(after) == 2 and all(_is_int64(x) for x in after)):
        raise _invalid()
    if remaining is not None and not (_is_int64(remaining) and remaining > 0):
        raise _invalid()
    return Position((after[0], after[1]), remaining)


def _payload(token: str) -> dict[str, object]:
    if len(token) > _MAX_TOKEN or not token.isascii():
        raise _invalid()
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        raise _invalid() from None
    if not isinstance(payload, dict) or payload.get("v") != _VERSION:
        raise _invalid()
    return payload


def _is_int64(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and -_INT64 <= value < _INT64


def _invalid() -> InvalidArgument:
    return InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN")
