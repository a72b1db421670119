"""Tables for a pipe, written without rich, look as rich would write them."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.table import Table

from mulligan.cli import plain

ROWS = [
    ["web-1", "active", ""],
    ["wébé-ü漢字", "two\nlines", "1"],
    ["", "x" * 40, "\uff46\uff55\uff4c\uff4c"],
    ["e\u0301", "", "z"],
]


def _rich(header: list[str] | None, rows: list[list[str]]) -> str:
    out = io.StringIO()
    table = Table(*(header or []), show_header=header is not None, box=None, header_style="bold")
    for cells in rows:
        table.add_row(*cells)
    Console(soft_wrap=True, width=100_000, file=out).print(table)
    return out.getvalue()


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        (["name", "state", "x"], ROWS),
        (["name", "state", "x"], []),
        (None, [["id", "123"], ["longer key", ""], ["error", "cut\noff"]]),
    ],
)
def test_plain_tables_match_rich(header: list[str] | None, rows: list[list[str]]) -> None:
    assert "".join(line + "\n" for line in plain.lines(header, rows)) == _rich(header, rows)


def test_text_is_not_read_as_markup() -> None:
    # rich would drop "[bold]" and turn ":smile:" into an emoji.
    assert plain.lines(["a"], [["[bold]x :smile:"]])[1] == " [bold]x :smile: "
