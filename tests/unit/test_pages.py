"""Paging of whole-read lists (mulligan.pages)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from mulligan import pages
from mulligan.errors import InvalidArgument


def _key(item: tuple[str, int]) -> pages.Key:
    return (item[0], item[1])


def test_pages_cover_every_item_once_in_key_order() -> None:
    items = [("b", 2), ("a", 1), ("c", 3), ("a", 2), ("b", 1)]
    seen, token = [], ""
    while True:
        page = pages.page_of("things", items, _key, page_size=2, page_token=token)
        assert len(page.items) <= 2
        seen.extend(page.items)
        token = page.next_page_token
        if not token:
            break
    assert seen == sorted(items)


def test_a_full_last_page_has_no_next_token() -> None:
    page = pages.page_of("things", [("a", 1), ("b", 2)], _key, page_size=2)
    assert (len(page.items), page.next_page_token) == (2, "")


def test_no_page_size_means_every_item_and_a_large_one_the_maximum() -> None:
    many = [(f"k{i:04}", i) for i in range(2500)]
    assert pages.page_of("things", many, _key).items == many
    page = pages.page_of("things", many, _key, page_size=10**9)
    assert len(page.items) == pages.MAX_PAGE_SIZE and page.next_page_token
    rest = pages.page_of("things", many, _key, page_token=page.next_page_token)
    assert rest.items == many[pages.MAX_PAGE_SIZE :] and not rest.next_page_token
    with pytest.raises(InvalidArgument) as caught:
        pages.page_of("things", many, _key, page_size=-1)
    assert caught.value.reason == "INVALID_PAGE_SIZE"


def _forged(body: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        "%%%",
        "x" * 5000,
        _forged([1, 2]),
        _forged({"k": "other", "a": ["a", 1]}),
        _forged({"k": "things", "a": "a"}),
        _forged({"k": "things", "a": [True]}),
        _forged({"k": "things", "a": [{"x": 1}]}),
        # Parts of another type than the list's keys cannot be compared.
        _forged({"k": "things", "a": [1, "a"]}),
    ],
)
def test_bad_tokens_are_invalid_arguments(token: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        pages.page_of("things", [("a", 1), ("b", 2)], _key, page_token=token)
    assert caught.value.reason == "INVALID_PAGE_TOKEN"


def test_instant_orders_times_and_reads_naive_ones_as_utc() -> None:
    early = datetime(2026, 1, 1, 0, 0, 0, 5, tzinfo=UTC)
    late = datetime(2026, 1, 1, 0, 0, 0, 6, tzinfo=UTC)
    assert pages.instant(early) < pages.instant(late)
    assert pages.instant(early.replace(tzinfo=None)) == pages.instant(early)
