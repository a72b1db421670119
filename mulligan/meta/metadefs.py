"""Metadef definitions and the values objects hold, in the key/value store.

A definition belongs to a project or to the system. Each value set on an
object counts as one use of its definition (``meta/defcount/...``), so that
deleting a definition in use, or changing its schema, can be refused
atomically: both transactions compare the count key.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, replace
from typing import Any

from mulligan.errors import AlreadyExists, Conflict, FailedPrecondition, InvalidArgument, NotFound
from mulligan.kv import Compare, KeyValue, KeyValueStore, Op
from mulligan.meta import keys
from mulligan.meta.sandbox import Sandbox

MAX_DESCRIPTION = 1024
_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")
_ATTEMPTS = 100


@dataclass(frozen=True)
class Definition:
    id: str
    namespace: str
    name: str
    schema: Any
    description: str
    protected: bool
    project_id: str | None
    created_at: float
    updated_at: float

    @property
    def label(self) -> str:
        return f"{self.namespace}/{self.name}"

    def encode(self) -> bytes:
        return _dump(
            {
                "id": self.id,
                "namespace": self.namespace,
                "name": self.name,
                "schema": self.schema,
                "description": self.description,
                "protected": self.protected,
                "project": self.project_id,
                "created_at": self.created_at,
                "updated_at": self.updated_at,
            }
        )

    @classmethod
    def decode(cls, raw: bytes) -> Definition:
        data = json.loads(raw)
        return cls(
            id=data["id"],
            namespace=data["namespace"],
            name=data["name"],
            schema=data["schema"],
            description=data["description"],
            protected=data["protected"],
            project_id=data["project"],
            created_at=data["created_at"],
            updated_at=data["updated_at"],
        )


@dataclass(frozen=True)
class Value:
    namespace: str
    name: str
    definition_project_id: str | None
    value: Any


def _dump(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode("utf-8")


def check_identifier(text: str, what: str) -> str:
    if not isinstance(text, str) or not _IDENTIFIER.fullmatch(text):
        raise InvalidArgument(
            f"invalid {what} {str(text)[:80]!r}: 1 to 63 characters of a-z, 0-9, '.', '_' and '-', "
            "starting with a letter or digit",
            reason=f"INVALID_{what.upper().replace(' ', '_')}",
        )
    return text


def check_description(text: str) -> str:
    if len(text) > MAX_DESCRIPTION:
        raise InvalidArgument(f"a description is at most {MAX_DESCRIPTION} characters", reason="DESCRIPTION_TOO_LONG")
    return text


def _not_found(namespace: str, name: str) -> NotFound:
    return NotFound(
        f"metadef definition {namespace}/{name} not found",
        reason="METADEF_NOT_FOUND",
        metadata={"namespace": namespace, "name": name},
    )


def _count(item: KeyValue | None) -> int:
    return int(item.value) if item is not None else 0


def _count_update(count_key: str, item: KeyValue | None, delta: int) -> tuple[Compare, Op]:
    compare = Compare.unchanged(count_key, item.mod_revision) if item else Compare.absent(count_key)
    new = _count(item) + delta
    return compare, Op.put(count_key, str(new).encode()) if new > 0 else Op.delete(count_key)


# -- definitions


def read(kv: KeyValueStore, project_id: str | None, namespace: str, name: str) -> tuple[Definition, int] | None:
    """The definition owned by project_id (None: system) and its use count."""
    item = kv.get(keys.def_key(project_id, namespace, name))
    if item is None:
        return None
    return Definition.decode(item.value), _count(kv.get(keys.defcount_key(project_id, namespace, name)))


def find(kv: KeyValueStore, project_id: str | None, namespace: str, name: str) -> Definition:
    """The definition a project sees under namespace/name: its own first, then the system's."""
    for owner in (project_id, None) if project_id else (None,):
        item = kv.get(keys.def_key(owner, namespace, name))
        if item is not None:
            return Definition.decode(item.value)
    raise _not_found(namespace, name)


def list_all(kv: KeyValueStore) -> list[tuple[Definition, int]]:
    counts = {item.key.removeprefix("meta/defcount/"): _count(item) for item in kv.range("meta/defcount/")}
    return [
        (Definition.decode(item.value), counts.get(item.key.removeprefix("meta/defs/"), 0))
        for item in kv.range("meta/defs/")
    ]


def create(
    kv: KeyValueStore,
    *,
    project_id: str | None,
    namespace: str,
    name: str,
    schema: Any,
    description: str,
    protected: bool,
    sandbox: Sandbox,
) -> Definition:
    sandbox.check_schema(schema)
    now = time.time()
    definition = Definition(
        id=str(uuid.uuid4()),
        namespace=namespace,
        name=name,
        schema=schema,
        description=check_description(description),
        protected=protected,
        project_id=project_id,
        created_at=now,
        updated_at=now,
    )
    key = keys.def_key(project_id, namespace, name)
    compares = [Compare.absent(key)]
    if project_id is not None:
        # A project may not hide a system definition behind one of its own.
        compares.append(Compare.absent(keys.def_key(None, namespace, name)))
    if not kv.txn(compares, [Op.put(key, definition.encode())]).succeeded:
        raise AlreadyExists(
            f"metadef definition {namespace}/{name} already exists",
            reason="METADEF_EXISTS",
            metadata={"namespace": namespace, "name": name},
        )
    return definition


def update(
    kv: KeyValueStore,
    project_id: str | None,
    namespace: str,
    name: str,
    *,
    schema: Any | None = None,
    description: str | None = None,
    protected: bool | None = None,
    sandbox: Sandbox,
) -> Definition:
    if schema is not None:
        sandbox.check_schema(schema)
    if description is not None:
        check_description(description)
    key = keys.def_key(project_id, namespace, name)
    count_key = keys.defcount_key(project_id, namespace, name)
    for _ in range(_ATTEMPTS):
        item = kv.get(key)
        if item is None:
            raise _not_found(namespace, name)
        current = Definition.decode(item.value)
        count_item = kv.get(count_key)
        compares = [Compare.unchanged(key, item.mod_revision)]
        if schema is not None and schema != current.schema:
            if _count(count_item) > 0:
                raise FailedPrecondition(
                    f"the schema of {current.label} cannot change while {_count(count_item)} object(s) hold a value",
                    reason="METADEF_IN_USE",
                    metadata={"uses": str(_count(count_item))},
                )
            compares.append(Compare.absent(count_key))
        updated = replace(
            current,
            schema=current.schema if schema is None else schema,
            description=current.description if description is None else description,
            protected=current.protected if protected is None else protected,
            updated_at=time.time(),
        )
        if kv.txn(compares, [Op.put(key, updated.encode())]).succeeded:
            return updated
    raise Conflict(f"metadef {namespace}/{name} keeps changing; try again", reason="CONCURRENT_CHANGE")


def delete(kv: KeyValueStore, project_id: str | None, namespace: str, name: str) -> None:
    key = keys.def_key(project_id, namespace, name)
    count_key = keys.defcount_key(project_id, namespace, name)
    for _ in range(_ATTEMPTS):
        item = kv.get(key)
        if item is None:
            raise _not_found(namespace, name)
        uses = _count(kv.get(count_key))
        if uses:
            raise FailedPrecondition(
                f"metadef {namespace}/{name} is in use by {uses} object(s); unset those values first",
                reason="METADEF_IN_USE",
                metadata={"uses": str(uses)},
            )
        if kv.txn([Compare.unchanged(key, item.mod_revision), Compare.absent(count_key)], [Op.delete(key)]).succeeded:
            return
    raise Conflict(f"metadef {namespace}/{name} keeps changing; try again", reason="CONCURRENT_CHANGE")


# -- values


def set_value(
    kv: KeyValueStore,
    kind: str,
    object_id: str,
    *,
    object_project: str | None,
    definition: Definition,
    value: Any,
    sandbox: Sandbox,
) -> Value:
    """Validate value against the definition's schema and store it on the object."""
    sandbox.check_value(definition.schema, value, definition.label)
    owner, namespace, name = definition.project_id, definition.namespace, definition.name
    def_key = keys.def_key(owner, namespace, name)
    value_key = keys.value_key(kind, object_id, owner, namespace, name)
    count_key = keys.defcount_key(owner, namespace, name)
    record = _dump(
        {"project": object_project, "namespace": namespace, "name": name, "definition_project": owner, "value": value}
    )
    for _ in range(_ATTEMPTS):
        def_item = kv.get(def_key)
        if def_item is None or Definition.decode(def_item.value).id != definition.id:
            raise _not_found(namespace, name)
        if Definition.decode(def_item.value).schema != definition.schema:
            # Validated against a schema that has changed since: validate again.
            definition = Definition.decode(def_item.value)
            sandbox.check_value(definition.schema, value, definition.label)
        current = kv.get(value_key)
        compares = [
            Compare.unchanged(def_key, def_item.mod_revision),
            Compare.unchanged(value_key, current.mod_revision) if current else Compare.absent(value_key),
        ]
        ops = [Op.put(value_key, record)]
        if current is None:
            count_compare, count_op = _count_update(count_key, kv.get(count_key), +1)
            compares.append(count_compare)
            ops.append(count_op)
        if kv.txn(compares, ops).succeeded:
            return Value(namespace, name, owner, value)
    raise Conflict(f"metadef {namespace}/{name} keeps changing; try again", reason="CONCURRENT_CHANGE")


def unset_value(kv: KeyValueStore, kind: str, object_id: str, definition: Definition) -> bool:
    """Remove the object's value of definition; False when it had none."""
    owner, namespace, name = definition.project_id, definition.namespace, definition.name
    return _drop_value(
        kv, keys.value_key(kind, object_id, owner, namespace, name), keys.defcount_key(owner, namespace, name)
    )


def _drop_value(kv: KeyValueStore, value_key: str, count_key: str) -> bool:
    for _ in range(_ATTEMPTS):
        current = kv.get(value_key)
        if current is None:
            return False
        count_compare, count_op = _count_update(count_key, kv.get(count_key), -1)
        if kv.txn(
            [Compare.unchanged(value_key, current.mod_revision), count_compare], [Op.delete(value_key), count_op]
        ).succeeded:
            return True
    raise Conflict("a metadef value keeps changing; try again", reason="CONCURRENT_CHANGE")


def values(kv: KeyValueStore, kind: str, object_id: str) -> list[Value]:
    found = []
    for item in kv.range(keys.values_prefix(kind, object_id)):
        data = json.loads(item.value)
        found.append(Value(data["namespace"], data["name"], data["definition_project"], data["value"]))
    return sorted(found, key=lambda v: (v.namespace, v.name))


def forget_object(kv: KeyValueStore, kind: str, object_id: str) -> None:
    """Drop every metadef value of an object, keeping the use counts right."""
    prefix = keys.values_prefix(kind, object_id)
    for item in kv.range(prefix):
        scope_text, namespace, name = item.key[len(prefix) :].split("/")
        _drop_value(kv, item.key, f"meta/defcount/{scope_text}/{namespace}/{name}")
