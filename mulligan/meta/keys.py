"""Where meta keeps things in the key/value store.

Every key starts with ``meta/``. Free text (names, tags, namespaces) is
percent-encoded in keys so that ``/`` inside it never splits a key. The
*scope* of a name is the owning project id, or ``_system`` for system
objects (project ids never start with ``_``). Values are compact JSON.

Names (a record is stored three times, so that a lookup in any direction is
one read; all three change in one transaction)::

    meta/objects/<kind>/<object_id>          the record
    meta/names/<kind>/<scope>/<name>         the record (uniqueness of the name)
    meta/slugs/<kind>/<scope>/<slug>         the record (uniqueness of the slug)

    record = {"id", "kind", "name", "slug", "project", "pending"}

A pending record (reserved, not confirmed) is attached to the registry's
session lease, so a daemon that dies mid-create frees the name when the
lease expires. Confirming rewrites the three keys without a lease.

Tags::

    meta/tags/<kind>/<object_id>             {"project", "tags": [...]}
    meta/tagged/<tag>/<kind>/<object_id>     "<project>" (index for finding by tag)

Metadefs::

    meta/defs/<scope>/<namespace>/<name>     the definition
    meta/defcount/<scope>/<namespace>/<name> how many objects hold a value of it
    meta/values/<kind>/<object_id>/<scope>/<namespace>/<name>
                                             {"project", "value"}
"""

from __future__ import annotations

from urllib.parse import quote

ROOT = "meta/"
OBJECTS = "meta/objects/"
SYSTEM_SCOPE = "_system"


def _enc(text: str) -> str:
    return quote(text, safe="")


def scope(project_id: str | None) -> str:
    return _enc(project_id) if project_id else SYSTEM_SCOPE


def object_key(kind: str, object_id: str) -> str:
    return f"{OBJECTS}{kind}/{object_id}"


def name_key(kind: str, project_id: str | None, name: str) -> str:
    return f"meta/names/{kind}/{scope(project_id)}/{_enc(name)}"


def slug_key(kind: str, project_id: str | None, slug: str) -> str:
    return f"meta/slugs/{kind}/{scope(project_id)}/{slug}"


def tags_key(kind: str, object_id: str) -> str:
    return f"meta/tags/{kind}/{object_id}"


def tagged_prefix(tag: str, kind: str | None = None) -> str:
    return f"meta/tagged/{_enc(tag)}/" + (f"{kind}/" if kind else "")


def tagged_key(tag: str, kind: str, object_id: str) -> str:
    return f"{tagged_prefix(tag, kind)}{object_id}"


def parse_tagged_key(key: str) -> tuple[str, str]:
    """(kind, object_id) of an index key."""
    kind, object_id = key.rsplit("/", 2)[-2:]
    return kind, object_id


def defs_prefix(project_id: str | None) -> str:
    return f"meta/defs/{scope(project_id)}/"


def def_key(project_id: str | None, namespace: str, name: str) -> str:
    return f"{defs_prefix(project_id)}{_enc(namespace)}/{_enc(name)}"


def defcount_key(project_id: str | None, namespace: str, name: str) -> str:
    return f"meta/defcount/{scope(project_id)}/{_enc(namespace)}/{_enc(name)}"


def values_prefix(kind: str, object_id: str) -> str:
    return f"meta/values/{kind}/{object_id}/"


def value_key(kind: str, object_id: str, def_project: str | None, namespace: str, name: str) -> str:
    return f"{values_prefix(kind, object_id)}{scope(def_project)}/{_enc(namespace)}/{_enc(name)}"
