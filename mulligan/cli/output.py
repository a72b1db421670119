"""Printing results as a table or as JSON, chosen by ``--output``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table


def emit(
    ctx: click.Context, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any], columns: Sequence[str] = ()
) -> None:
    fmt = ctx.obj.output if ctx.obj else "table"
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, default=str, sort_keys=True))
        return
    items = [rows] if isinstance(rows, Mapping) else list(rows)
    if isinstance(rows, Mapping) and not columns:
        table = Table(show_header=False, box=None)
        for key, value in rows.items():
            table.add_row(str(key), _cell(value))
    else:
        keys = list(columns) or sorted({key for item in items for key in item})
        table = Table(*keys, box=None, header_style="bold")
        for item in items:
            table.add_row(*(_cell(item.get(key)) for key in keys))
    Console(soft_wrap=True).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(str(item) for item in value)
    if isinstance(value, Mapping):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return str(value)
