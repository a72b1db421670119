"""Object references on the command line: a name, a slug or a UUID.

Every command that takes an object passes what the user typed through
:func:`resolve` to get the UUID the services expect::

    machine_id = refs.resolve(state.client(), "machine", ref, project_id=project)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from mulligan.errors import NotFound

if TYPE_CHECKING:
    from mulligan.api.meta.v1 import meta_pb2
    from mulligan.client import Client

# The lookup RPC takes at most this many references per call.
BATCH = 1000


def _as_uuid(ref: str) -> str | None:
    try:
        return str(uuid.UUID(ref))
    except ValueError:
        return None


def resolve(client: Client, kind: str, ref: str, *, project_id: str | None = None) -> str:
    """The UUID of the object ref names; NotFound when there is none.

    A UUID is returned as is (canonical form) without a call: the service
    that owns the object says whether it exists.
    """
    return resolve_many(client, kind, [ref], project_id=project_id)[0]


def resolve_many(client: Client, kind: str, refs: Sequence[str], *, project_id: str | None = None) -> list[str]:
    """UUIDs for many references, in order; NotFound naming the first unknown one."""
    from mulligan.api.meta.v1 import meta_pb2

    resolved: list[str | None] = [_as_uuid(ref) for ref in refs]
    pending = [index for index, value in enumerate(resolved) if value is None]
    for start in range(0, len(pending), BATCH):
        chunk = pending[start : start + BATCH]
        response = client.meta.ResolveNames(
            meta_pb2.ResolveNamesRequest(kind=kind, refs=[refs[i] for i in chunk], project_id=project_id or "")
        )
        for index, result in zip(chunk, response.results, strict=True):
            if not result.found:
                raise NotFound(f"{kind} {refs[index]} not found", reason=f"{kind.upper()}_NOT_FOUND")
            resolved[index] = result.object.object_id
    return [value for value in resolved if value is not None]


def names_of(client: Client, kind: str, object_ids: Iterable[str]) -> Mapping[str, meta_pb2.ObjectName]:
    """Names and slugs of objects, for showing them in tables; unknown ids are left out."""
    from mulligan.api.meta.v1 import meta_pb2

    ids = list(dict.fromkeys(object_ids))
    named: dict[str, meta_pb2.ObjectName] = {}
    for start in range(0, len(ids), BATCH):
        response = client.meta.DescribeObjects(
            meta_pb2.DescribeObjectsRequest(kind=kind, object_ids=ids[start : start + BATCH])
        )
        named.update({obj.object_id: obj for obj in response.objects})
    return named
