"""JSON Schema checks for metadefs: the schema itself, and values against it.

Schemas come from tenants, so they are held to what the daemon can afford:
at most ``MAX_DEPTH`` levels of nesting (schemas and values alike: the
parser and the validator recurse), and references (``$ref`` and kin) only
to places inside the same schema; nothing is ever fetched from a URL or
read from a file. Checking may still cost unbounded time (a pattern that
backtracks), which is why the service runs these functions in a separate
process with a time limit (:mod:`mulligan.meta.sandbox`).
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import referencing
import referencing.exceptions
from jsonschema import validators

from mulligan.errors import FailedPrecondition, InvalidArgument

MAX_SCHEMA_BYTES = 64 * 1024
MAX_VALUE_BYTES = 64 * 1024
# Levels of nested arrays and objects: real schemas and values rarely pass 10.
MAX_DEPTH = 32

_REFERENCE_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")
# Keywords whose contents are instance data, not subschemas: a "$ref" key in
# them is data, not a reference.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})


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


def _check_references(schema: Any) -> None:
    """InvalidArgument for a reference that leaves the schema's own document.

    Only fragment references ("#", "#/$defs/x", "#anchor") are accepted:
    anything else would make the daemon fetch a URL or read a file, or
    depend on a document it does not hold.
    """
    pending: list[tuple[Any, str]] = [(schema, "$")]
    while pending:
        item, path = pending.pop()
        if isinstance(item, list):
            pending.extend((child, f"{path}[{index}]") for index, child in enumerate(item))
            continue
        if not isinstance(item, dict):
            continue
        for keyword in _REFERENCE_KEYWORDS:
            target = item.get(keyword)
            if isinstance(target, str) and not target.startswith("#"):
                raise InvalidArgument(
                    f"the schema refers to {target[:200]!r} at {path}: references may only point inside "
                    "the schema itself (starting with '#')",
                    reason="SCHEMA_REF_NOT_LOCAL",
                    metadata={"path": path},
                )
        pending.extend((child, f"{path}.{key}") for key, child in item.items() if key not in _DATA_KEYWORDS)


def _validator_class(schema: Any) -> type[Any]:
    # A schema names its draft in "$schema"; without one it is read as 2020-12.
    return validators.validator_for(schema, default=jsonschema.Draft202012Validator)  # type: ignore[no-any-return]


def check_schema(schema: Any) -> None:
    """InvalidArgument unless schema is a valid JSON Schema (object or boolean) Mulligan accepts."""
    if not isinstance(schema, dict | bool):
        raise InvalidArgument("a schema must be a JSON object (or true/false)", reason="INVALID_SCHEMA")
    check_depth(schema, "the schema")
    _check_references(schema)
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
    # An empty registry that cannot retrieve: a reference outside the schema
    # (in a schema stored before such references were refused) fails to
    # resolve instead of reaching the network or the file system.
    validator = _validator_class(schema)(
        schema, format_checker=jsonschema.FormatChecker(), registry=referencing.Registry()
    )
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
