"""Shapes of names, slugs and tags, and slugs derived from names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mulligan.errors import InvalidArgument
from mulligan.meta import keys
from mulligan.meta.validation import check_name, check_slug, check_tag, slugify, with_suffix


@given(st.text(max_size=300))
def test_a_derived_slug_is_always_valid_or_empty(name: str) -> None:
    slug = slugify(name)
    if slug:
        assert check_slug(slug) == slug


@given(st.text(alphabet=st.characters(codec="ascii"), min_size=1, max_size=70), st.integers(2, 10**6))
def test_numbered_variants_stay_valid(base: str, number: int) -> None:
    slug = slugify(base)
    if slug:
        assert check_slug(with_suffix(slug, number)).endswith(f"-{number}")


def test_names_are_normalized_to_nfc() -> None:
    assert check_name("Zu\u0308rich") == "Z\u00fcrich"


@pytest.mark.parametrize("bad", ["", " x", "x ", "a\u200bb\nc", "x" * 256, "0b7c6a52-52ad-4c6e-9c55-0f7d3f4e7a10"])
def test_bad_names(bad: str) -> None:
    with pytest.raises(InvalidArgument):
        check_name(bad)


@pytest.mark.parametrize("bad", ["", "-a", "a-", "A", "a_b", "a" * 64, "é", "0b7c6a52-52ad-4c6e-9c55-0f7d3f4e7a10"])
def test_bad_slugs(bad: str) -> None:
    with pytest.raises(InvalidArgument):
        check_slug(bad)


def test_tags_allow_spaces_but_not_control_characters() -> None:
    assert check_tag("team: core infra") == "team: core infra"
    with pytest.raises(InvalidArgument):
        check_tag("a\tb")


@given(st.text(min_size=1, max_size=50))
def test_free_text_never_splits_a_key(text: str) -> None:
    key = keys.name_key("machine", None, text)
    assert key.count("/") == 4
    assert keys.parse_tagged_key(keys.tagged_key(text, "machine", "id-1")) == ("machine", "id-1")
