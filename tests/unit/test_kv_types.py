from __future__ import annotations

import pytest

from mulligan.errors import FailedPrecondition
from mulligan.kv import Compacted, Compare
from mulligan.kv.types import prefix_end


@pytest.mark.parametrize(
    ("prefix", "end"),
    [
        (b"a/", b"a0"),
        (b"a", b"b"),
        (b"a\xff", b"b"),
        (b"a\xfe", b"a\xff"),
        (b"\xff\xff", b""),
        (b"", b""),
    ],
)
def test_prefix_end_is_the_first_key_after_the_prefix(prefix: bytes, end: bytes) -> None:
    assert prefix_end(prefix) == end


def test_prefix_end_bounds_every_key_under_the_prefix() -> None:
    prefix = "a/é".encode()
    end = prefix_end(prefix)
    for key in (prefix, prefix + b"\x00", prefix + b"\xff\xff", prefix + "日本".encode()):
        assert prefix <= key < end
    assert not "a/ê".encode() < end


def test_compare_helpers_match_etcd_conventions() -> None:
    assert Compare.absent("k") == Compare("k", "create_revision", "==", 0)
    assert Compare.unchanged("k", 7) == Compare("k", "mod_revision", "==", 7)


def test_compacted_is_a_failed_precondition_with_both_revisions() -> None:
    error = Compacted(3, 10)
    assert isinstance(error, FailedPrecondition)
    assert error.reason == "KV_COMPACTED"
    assert error.metadata == {"start_revision": "3", "compact_revision": "10"}
    assert "3" in error.message and "10" in error.message
