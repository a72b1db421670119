"""The interface through which modules name their objects.

Only the meta module stores names and slugs; the others keep UUIDs. A
module that creates a named object declares it through this interface
(implemented by meta, wired by the daemon) so it never imports meta:

    with names.reserve("region", None, "eu-west") as reservation:
        create the row with id reservation.object_id
        reservation.confirm()

Leaving the block without ``confirm`` (an error, or no call) releases the
name, so a failed create leaves no orphan name and no nameless object.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from mulligan.errors import NotFound

# Every kind of object that can carry a name, tags or metadef values. A
# kind outside this list is a programming or typing error, refused as such.
KINDS = frozenset(
    {
        "account",
        "application_credential",
        "claim",
        "flavor",
        "group",
        "host",
        "image",
        "key",
        "machine",
        "project",
        "provider",
        "provider_group",
        "region",
        "reservation",
        "resource_class",
        "role",
        "ssh_key",
        "trait",
    }
)


# Which of these objects of one kind the current caller may see: the answer
# of the module that owns the kind, the same as its own Get gives. Meta asks
# it before showing a name, so a name is never seen where the object is not.
VisibleIds = Callable[[Sequence[str]], Collection[str]]


@dataclass(frozen=True)
class Named:
    kind: str
    object_id: str
    name: str
    slug: str
    project_id: str | None


class NameReservation(Protocol):
    object_id: str
    name: str
    slug: str

    def confirm(self) -> None: ...

    def release(self) -> None: ...

    def __enter__(self) -> NameReservation: ...

    def __exit__(self, *exc_info: object) -> None: ...


class NameRegistry(Protocol):
    def reserve(
        self,
        kind: str,
        project_id: str | None,
        name: str,
        *,
        slug: str | None = None,
        object_id: str | None = None,
    ) -> NameReservation:
        """Hold name (and slug) for a new object; AlreadyExists when taken."""
        ...

    def resolve(self, kind: str, project_id: str | None, ref: str) -> str:
        """The UUID for a name, slug or UUID; NotFound when unknown."""
        ...

    def describe(self, kind: str, object_ids: Iterable[str]) -> Mapping[str, Named]:
        """Names of many objects at once; unknown ids are left out."""
        ...

    def forget(self, kind: str, object_id: str) -> None:
        """Drop an object's name, slug, tags and metadef values (object deleted)."""
        ...


def resolve_project(names: NameRegistry, ref: str) -> str:
    """The UUID of the project ref names (its name, slug or UUID).

    A project argument is always resolved: stored as typed, a name would
    match nothing and a quota or claim kept against it would never apply.
    NotFound when no such project exists.
    """
    try:
        return names.resolve("project", None, ref)
    except NotFound:
        raise NotFound(f"project {ref[:80]!r} not found", reason="PROJECT_NOT_FOUND") from None
