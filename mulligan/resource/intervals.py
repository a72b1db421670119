"""The capacity rule over time, as a pure function.

A claim fits when, at every instant of its window, the amounts of the
claims overlapping that instant plus its own stay within capacity. Usage is
a step function that only rises where a claim starts, so its highest point
inside a window is at the window's start or at the start of a claim inside
it: sorting start and end events once finds it.
"""

from __future__ import annotations

from collections.abc import Iterable

# (start, end or None for open, amount)
Interval = tuple[int, int | None, int]


def peak_usage(intervals: Iterable[Interval], start: int, end: int | None) -> int:
    """The highest total amount active at any instant of ``[start, end)``."""
    events: list[tuple[int, int]] = []
    for span_start, span_end, amount in intervals:
        if end is not None and span_start >= end:
            continue
        if span_end is not None and span_end <= start:
            continue
        events.append((max(span_start, start), amount))
        if span_end is not None and (end is None or span_end < end):
            # Windows are half-open: at its end instant a claim no longer
            # counts, so at equal times ends (negative) sort before starts.
            events.append((span_end, -amount))
    events.sort()
    running = peak = 0
    for _, delta in events:
        running += delta
        peak = max(peak, running)
    return peak
