"""Time windows: conversion to the integer microseconds stored in the
database, and the validation every claim and query shares."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from mulligan.errors import InvalidArgument
from mulligan.resource.types import Window

_MICROS = 1_000_000


def utcnow() -> datetime:
    return datetime.now(UTC)


def now_us() -> int:
    return time.time_ns() // 1000


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * _MICROS + delta.microseconds


def from_us(micros: int) -> datetime:
    return datetime.fromtimestamp(micros // _MICROS, UTC).replace(microsecond=micros % _MICROS)


def optional_from_us(micros: int | None) -> datetime | None:
    return None if micros is None else from_us(micros)


@dataclass(frozen=True)
class Span:
    """A window in microseconds: ``[start, end)``, end None = open."""

    start: int
    end: int | None

    def from_now_on(self, now: int) -> bool:
        """Whether the span holds every instant from now on, so each
        inventory's ``free`` counter answers it exactly (see counters)."""
        return self.end is None and self.start <= now


def resolve(window: Window, now: int) -> Span:
    """The window as stored: a start in the past becomes now.

    Capacity before now can no longer be used, so claims never begin
    earlier than the moment they are made.
    """
    start = to_us(window.start) if window.start is not None else now
    end = to_us(window.end) if window.end is not None else None
    if end is not None and end <= now:
        raise InvalidArgument("the window has already ended", reason="WINDOW_ENDED")
    if end is not None and end <= start:
        raise InvalidArgument("the window must end after it starts", reason="INVALID_WINDOW")
    return Span(max(start, now), end)
