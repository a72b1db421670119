"""JSON Schema checks for metadefs: the schema itself, and values against it."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import referencing.exceptions
from jsonschema import validators

from mulligan.errors import FailedPrecondition, InvalidArgument

MAX_SCHEMA_BYTES = 64 * 1024
MAX_VALUE_BYTES = 64 * 1024


def parse_json(text: str, what: str, limit: int) -> Any:
    if len(text.encode("utf-8")) > limit:
        raise InvalidArgument(f"{what} is larger than {limit // 1024} KiB", reason="TOO_LARGE")
    try:
        return json.loads(text)
    except (ValueError, TypeError) as exc:
        raise InvalidArgument(f"{what} is not valid JSON: {exc}", reason="INVALID_JSON") from None


def _validator_class(schema: Any) -> type[Any]:
    # A schema names its draft in "$schema"; without one it is read as 2020-12.
    return validators.validator_for(schema, default=jsonschema.Draft202012Validator)  # type: ignore[no-any-return]


def check_schema(schema: Any) -> None:
    """InvalidArgument unless schema is a valid JSON Schema (object or boolean)."""
    if not isinstance(schema, dict | bool):
        raise InvalidArgument("a schema must be a JSON object (or true/false)", reason="INVALID_SCHEMA")
    try:
        _validator_class(schema).check_schema(schema)
    except jsonschema.SchemaError as exc:
        path = exc.json_path
        raise InvalidArgument(
            f"the schema is not a valid JSON Schema at {path}: {exc.message}",
            reason="INVALID_SCHEMA",
            metadata={"path": path},
        ) from None


def check_value(schema: Any, value: Any, label: str) -> None:
    """InvalidArgument naming the first failing path when value breaks schema."""
    validator = _validator_class(schema)(schema, format_checker=jsonschema.FormatChecker())
    try:
        error = jsonschema.exceptions.best_match(validator.iter_errors(value))
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
