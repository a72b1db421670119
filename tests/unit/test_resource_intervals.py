"""The interval capacity rule (peak usage over a window) against brute force."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mulligan.resource.intervals import peak_usage

HORIZON = 30


def brute_force(intervals: list[tuple[int, int | None, int]], start: int, end: int | None) -> int:
    stop = HORIZON if end is None else end
    return max(
        (sum(a for s, e, a in intervals if s <= t and (e is None or t < e)) for t in range(start, stop)), default=0
    )


@st.composite
def windows(draw: st.DrawFn) -> tuple[int, int | None]:
    start = draw(st.integers(0, HORIZON - 2))
    if draw(st.booleans()):
        return start, None
    return start, draw(st.integers(start + 1, HORIZON - 1))


@st.composite
def intervals(draw: st.DrawFn) -> tuple[int, int | None, int]:
    start, end = draw(windows())
    return start, end, draw(st.integers(1, 9))


@given(st.lists(intervals(), max_size=12), windows())
def test_peak_usage_matches_brute_force(
    spans: list[tuple[int, int | None, int]], window: tuple[int, int | None]
) -> None:
    assert peak_usage(spans, *window) == brute_force(spans, *window)


def test_half_open_windows_touching_do_not_overlap() -> None:
    assert peak_usage([(0, 5, 3), (5, 9, 4)], 0, None) == 4
    assert peak_usage([(0, 5, 3), (4, 9, 4)], 0, None) == 7


def test_only_the_window_counts() -> None:
    spans = [(0, 5, 3), (10, None, 8)]
    assert peak_usage(spans, 5, 10) == 0
    assert peak_usage(spans, 4, 10) == 3
    assert peak_usage(spans, 6, None) == 8
