"""Printing results in the format chosen by ``-f``: a table, bare values,
or the API objects as JSON or YAML.

Commands hand :func:`emit` rows: mappings of what a table shows (names
beside ids, short texts). A row made by :func:`row` also carries the API
object it shows, and JSON and YAML print that object whole, with the field
names of the .proto files, so that scripts read the same thing whatever
the table shows. Rows without an object (results the CLI puts together
itself) print as they are.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

from mulligan.cli import yaml_text


class Row(dict[str, Any]):
    """A table row, and the API object (or plain data) it was made from."""

    api: Any = None


def row(api: Any, columns: Mapping[str, Any]) -> Row:
    made = Row(columns)
    made.api = api
    return made


def api_data(item: Any) -> Any:
    """What JSON and YAML show of a row: its API object as plain data, else the row itself."""
    source = item.api if isinstance(item, Row) and item.api is not None else item
    if hasattr(source, "DESCRIPTOR"):
        from google.protobuf import json_format

        return json_format.MessageToDict(
            source,
            preserving_proto_field_name=True,
            always_print_fields_with_no_presence=True,
            unquote_int64_if_possible=True,
        )
    if isinstance(source, Mapping):
        return {key: api_data(value) for key, value in source.items()}
    if isinstance(source, list | tuple):
        return [api_data(value) for value in source]
    return source


def emit(
    ctx: click.Context, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any], columns: Sequence[str] = ()
) -> None:
    """Print one object (a mapping) or a list of rows; ``columns`` are the table's, in order."""
    state = ctx.obj
    fmt = state.output if state is not None else "table"
    chosen = list(state.columns) if state is not None else []
    if fmt in ("json", "yaml"):
        data = api_data(rows) if isinstance(rows, Mapping) else [api_data(item) for item in rows]
        if chosen:
            data = _only(data, chosen)
        text = (
            json.dumps(data, indent=2, default=str, sort_keys=True) + "\n" if fmt == "json" else yaml_text.dumps(data)
        )
        click.echo(text, nl=False)
        return
    items = [rows] if isinstance(rows, Mapping) else list(rows)
    available = list(dict.fromkeys(key for item in items for key in item))
    for name in chosen:
        if items and name not in available:
            raise click.UsageError(f"no column {name}; columns: {', '.join(available)}")
    if fmt == "value":
        keys = chosen or list(columns) or available
        for item in items:
            click.echo(" ".join(_cell(item.get(key)) for key in keys))
        return
    if isinstance(rows, Mapping) and not columns and not chosen:
        _details(rows)
    else:
        _table(items, chosen or list(columns) or sorted(available))


def _only(data: Any, columns: Sequence[str]) -> Any:
    if isinstance(data, list):
        return [_only(item, columns) for item in data]
    if isinstance(data, dict):
        return {key: data[key] for key in columns if key in data}
    return data


def _to_terminal() -> bool:
    return sys.stdout.isatty()


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=True)


def _details(values: Mapping[str, Any]) -> None:
    cells = [(str(key), _cell(value)) for key, value in values.items()]
    if not _to_terminal():
        _print_plain(None, cells)
        return
    from rich.table import Table

    table = Table(show_header=False, box=None)
    for row_cells in cells:
        table.add_row(*row_cells)
    _console().print(table)


def _table(items: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> None:
    cells = [[_cell(item.get(key)) for key in keys] for item in items]
    if not _to_terminal():
        _print_plain(keys, cells)
        return
    from rich.table import Table

    table = Table(*keys, box=None, header_style="bold")
    for row_cells in cells:
        table.add_row(*row_cells)
    _console().print(table)


def _print_plain(header: Sequence[str] | None, cells: Sequence[Sequence[str]]) -> None:
    """Piped or redirected: nothing to fit, so no cell is ever cut short."""
    from mulligan.cli import plain

    for line in plain.lines(header, cells):
        click.echo(line)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(str(item) for item in value)
    if isinstance(value, Mapping):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return str(value)
