"""YAML for JSON-like data (mappings, lists, strings, numbers, booleans, null).

Enough for printing API objects; it never reads YAML. Strings that could
be read back as something else (numbers, booleans, null, text with YAML
punctuation) are written double-quoted, in JSON's syntax, which YAML reads
the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./@+-]*")
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"})


def dumps(data: Any) -> str:
    return "\n".join(_lines(data, 0)) + "\n"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _is_block(value: Any) -> bool:
    return (isinstance(value, Mapping) or _is_list(value)) and len(value) > 0


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _lines(data: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(data, Mapping):
        if not data:
            return [pad + "{}"]
        lines: list[str] = []
        for key, value in data.items():
            if _is_block(value):
                lines.append(f"{pad}{_scalar(key)}:")
                lines.extend(_lines(value, indent + 2))
            else:
                lines.append(f"{pad}{_scalar(key)}: {_inline(value)}")
        return lines
    if _is_list(data):
        if not data:
            return [pad + "[]"]
        lines = []
        for item in data:
            if _is_block(item):
                nested = _lines(item, indent + 2)
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{pad}- {_inline(item)}")
        return lines
    return [pad + _scalar(data)]


def _inline(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{}"
    if _is_list(value):
        return "[]"
    return _scalar(value)
