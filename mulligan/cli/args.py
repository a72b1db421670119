"""Parsing shared by the command modules: points in time and KEY=VALUE pairs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import click
from google.protobuf import timestamp_pb2

_RELATIVE = re.compile(r"\+(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def moment(text: str | None, option: str) -> timestamp_pb2.Timestamp | None:
    """ISO 8601 (UTC when no zone is given) or relative to now: +30m, +2h, +1d."""
    if not text:
        return None
    relative = _RELATIVE.fullmatch(text)
    if relative:
        when = datetime.now(UTC) + timedelta(**{_UNITS[relative.group(2)]: int(relative.group(1))})
    else:
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            raise click.BadParameter("use ISO 8601 (2030-01-31T08:00Z) or +30m, +2h, +1d", param_hint=option) from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(when)
    return stamp


def pairs(items: Sequence[str], option: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint=option)
        found[key] = value
    return found
