"""JSON Schema checks for metadefs: the schema itself, and values against it.

Schemas and values come from tenants, so they are held to what the daemon
can afford: at most ``MAX_DEPTH`` levels of nesting, since the parser and
the validator recurse.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import referencing.exceptions
from jsonschema import validators

from mulligan.errors import FailedPrecondition, InvalidArgument

MAX_SCHEMA_BYTES = 64 * 1024
MAX_VALUE_BYTES = 64 * 1024
# Levels of nested arrays and objects: real schemas and values rarely pass 10.
MAX_DEPTH = 32


def parse_json(text: str, what: str, limit: int) -> Any:
    if len(text.encode("utf-8")) > limit:
        raise InvalidArgument(f"{what} is larger than {limit // 1024} KiB", reason="TOO_LARGE")
    try:
        data = json.loads(text)
    except RecursionError:
        raise _too_deep(what) from None
    except (ValueError, TypeError) as exc:
        raise InvalidArgument(f"{what} is not valid JSON: {exc}", reason="INVALID_JSON") from None
    check_depth(data, what)
    return data


def _too_deep(what: str) -> InvalidArgument:
    return InvalidArgument(
        f"{what} nests arrays and objects more than {MAX_DEPTH} levels deep",
        reason="JSON_TOO_DEEP",
        metadata={"max_depth": str(MAX_DEPTH)},
    )


def check_depth(data: Any, what: str) -> None:
    """InvalidArgument when data nests arrays and objects deeper than MAX_DEPTH."""
    # Iterative on purpose: recursion is exactly what a deep document breaks.
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep(what)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)


def _too_complex(what: str) -> InvalidArgument:
    return InvalidArgument(
        f"{what} cannot be evaluated: it refers to itself without end, or nests a pattern too deeply",
        reason="SCHEMA_TOO_COMPLEX",
    )


def _validator_class(schema: Any) -> type[Any]:
    # A schema names its draft in "$schema"; without one it is read as 2020-12.
    return validators.validator_for(schema, default=jsonschema.Draft202012Validator)  # type: ignore[no-any-return]


def check_schema(schema: Any) -> None:
    """InvalidArgument unless schema is a valid JSON Schema (object or boolean)."""
    if not isinstance(schema, dict | bool):
        raise InvalidArgument("a schema must be a JSON object (or true/false)", reason="INVALID_SCHEMA")
    check_depth(schema, "the schema")
    try:
        _validator_class(schema).check_schema(schema)
    except RecursionError:
        raise _too_complex("the schema") from None
    except jsonschema.SchemaError as exc:
        path = exc.json_path
        raise InvalidArgument(
            f"the schema is not a valid JSON Schema at {path}: {exc.message}",
            reason="INVALID_SCHEMA",
            metadata={"path": path},
        ) from None


def check_value(schema: Any, value: Any, label: str) -> None:
    """InvalidArgument naming the first failing path when value breaks schema."""
    check_depth(value, f"the value of {label}")
    validator = _validator_class(schema)(schema, format_checker=jsonschema.FormatChecker())
    try:
        error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    except RecursionError:
        # Nesting is bounded, so this is a schema that refers to itself for ever.
        raise _too_complex(f"the schema of {label}") from None
    except referencing.exceptions.Unresolvable as exc:
        raise FailedPrecondition(
            f"the schema of {label} refers to {exc} which cannot be resolved", reason="SCHEMA_UNRESOLVABLE"
        ) from None
    if error is not None:
        path = error.json_path
        raise InvalidArgument(
            f"value of {label} is invalid at {path}: {error.message}",
            reason="METADEF_VALUE_INVALID",
            metadata={"path": path, "definition": label},
        )
