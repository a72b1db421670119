"""The audit log: one line for every RPC that may change state.

Each line, on the logger ``mulligan.audit`` at info, says who called (the
account and project of the token; none for an anonymous or unauthenticated
caller), what (the full method, and the objects the request and its answer
name), and the outcome (``OK``, or the status code and reason). RPCs that
only read (Get, List, Find, Watch, Resolve, Describe, health, reflection)
are left out: they change nothing, and would drown the rest.

Objects are taken only from fields that name or identify an object, listed
below; no other field is ever read, so passwords, tokens, secrets, keys,
user data and BMC credentials cannot reach the line, whatever a request
holds.
"""

from __future__ import annotations

import logging
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from mulligan.context import Caller

log = logging.getLogger("mulligan.audit")

_READ_ONLY = ("Get", "List", "Find", "Watch", "Resolve", "Describe")
_UNAUDITED_SERVICES = ("/grpc.health.", "/grpc.reflection.")
# Fields that name or identify an object, in requests and one level down
# (``object.ref``, ``account.name``). Nothing else is read.
_OBJECT_FIELDS = frozenset(
    {
        "id",
        "name",
        "slug",
        "kind",
        "ref",
        "code",
        "account",
        "project",
        "project_id",
        "role",
        "roles",
        "region",
        "parent",
        "provider",
        "provider_id",
        "providers",
        "group",
        "other",
        "consumer_id",
        "resource_class",
        "namespace",
        "host",
        "image",
        "machine",
        "admin_name",
        "project_name",
    }
)
_MAX_ITEMS = 10
_MAX_CHARS = 128


def audited(method: str) -> bool:
    """Whether calls of ``method`` (``/package.Service/Method``) are audited."""
    if method.startswith(_UNAUDITED_SERVICES):
        return False
    return not method.rpartition("/")[2].startswith(_READ_ONLY)


def record(method: str, caller: Caller | None, *, request: Any, response: Any, code: str, reason: str) -> None:
    """Write the audit line of one finished call."""
    objects = _objects(request) if isinstance(request, Message) else {}
    if code == "OK" and isinstance(response, Message):
        objects.update(_answered_ids(response))
    log.info(
        f"{method} {code}",
        extra={
            "method": method,
            "account_id": caller.account_id if caller is not None and caller.account_id else None,
            "project_id": caller.project_id if caller is not None else None,
            "objects": objects,
            "code": code,
            "reason": reason,
        },
    )


def _objects(request: Message) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for field, value in request.ListFields():
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            if not field.is_repeated:
                found.update(_named(value, f"{field.name}."))
        elif field.name in _OBJECT_FIELDS and field.type == FieldDescriptor.TYPE_STRING:
            found[field.name] = _shown(value, field.is_repeated)
    return found


def _named(message: Message, prefix: str) -> dict[str, Any]:
    return {
        prefix + field.name: _shown(value, field.is_repeated)
        for field, value in message.ListFields()
        if field.name in _OBJECT_FIELDS and field.type == FieldDescriptor.TYPE_STRING
    }


def _answered_ids(response: Message) -> dict[str, str]:
    """The ids an answer gives: of what a Create made (``machine.id``), or who
    signed in (``account_id``)."""
    ids: dict[str, str] = {}
    for field, value in response.ListFields():
        if field.is_repeated:
            continue
        if field.type == FieldDescriptor.TYPE_STRING and field.name.endswith("_id"):
            ids[field.name] = _text(value)
        elif field.type == FieldDescriptor.TYPE_MESSAGE and "id" in value.DESCRIPTOR.fields_by_name:
            object_id = getattr(value, "id", "")
            if isinstance(object_id, str) and object_id:
                ids[f"{field.name}.id"] = _text(object_id)
    return ids


def _shown(value: Any, repeated: bool) -> Any:
    if not repeated:
        return _text(value)
    items = [_text(item) for item in list(value)[:_MAX_ITEMS]]
    if len(value) > _MAX_ITEMS:
        items.append(f"... {len(value) - _MAX_ITEMS} more")
    return items


def _text(value: str) -> str:
    """At most _MAX_CHARS, with anything unprintable escaped: a name cannot forge a log line."""
    shown = value[:_MAX_CHARS]
    if not shown.isprintable():
        shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in shown)
    return shown + ("..." if len(value) > _MAX_CHARS else "")
