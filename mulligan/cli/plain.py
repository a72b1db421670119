"""Tables for a pipe or a file: the layout a terminal gets (a space either
side of each cell, columns as wide as their widest line), written without
loading the terminal library, which costs a command more time than its call.

Text is printed as it is: nothing in a cell is read as markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """Columns the text takes: East Asian wide characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def _pad(text: str, columns: int) -> str:
    return f" {text}{' ' * (columns - width(text))} "


def lines(header: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> list[str]:
    """The table's lines; a cell with line breaks takes several lines of its row."""
    split = [[cell.split("\n") for cell in cells] for cells in ([header] if header else []) + list(rows)]
    count = max((len(cells) for cells in split), default=0)
    widths = [max((width(part) for cells in split for part in cells[i]), default=0) for i in range(count)]
    out = []
    for cells in split:
        for index in range(max((len(parts) for parts in cells), default=1)):
            out.append(
                "".join(
                    _pad(parts[index] if index < len(parts) else "", widths[column])
                    for column, parts in enumerate(cells)
                )
            )
    return out
