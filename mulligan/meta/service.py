"""The meta module's Python API: names, tags and metadefs as the caller
(``mulligan.context``) may see and change them.

Isolation follows :mod:`mulligan.tenancy`: an object of another project is
reported as not found; a system admin sees every project. System objects
(no project) are changed only by system admins. Which of them a tenant may
see is up to the module owning the kind (other projects, accounts outside
the caller's project, hosts, internal regions are hidden): that module
registers its rule with :meth:`MetaService.set_visibility`, and every name,
tag and value shown follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mulligan import pages, runtime, tenancy
from mulligan.context import current_caller
from mulligan.errors import InvalidArgument, NotFound, PermissionDenied
from mulligan.kv import KeyValueStore
from mulligan.meta import metadefs, tags
from mulligan.meta.metadefs import Definition, Value
from mulligan.meta.names import DEFAULT_RESERVATION_TTL_S, Names
from mulligan.meta.sandbox import Sandbox, shared
from mulligan.meta.validation import check_kind, check_object_id, check_project_id
from mulligan.naming import Named, VisibleIds, resolve_project
from mulligan.text import checks_text

MAX_BATCH = 1000
DEFAULT_FIND_LIMIT = 1000
MAX_FIND_LIMIT = 10_000


@dataclass(frozen=True)
class FoundObject:
    kind: str
    object_id: str
    project_id: str | None
    name: str
    slug: str


@dataclass(frozen=True)
class DefinitionInfo:
    definition: Definition
    uses: int


def _check_batch(items: Sequence[str], what: str) -> None:
    if len(items) > MAX_BATCH:
        raise InvalidArgument(f"at most {MAX_BATCH} {what} per call, got {len(items)}", reason="BATCH_TOO_LARGE")


def _require_system_admin(action: str) -> None:
    if not current_caller().system_admin:
        raise PermissionDenied(f"only a system admin may {action}", reason="SYSTEM_ADMIN_REQUIRED")


@checks_text
class MetaService:
    def __init__(
        self,
        kv: KeyValueStore,
        *,
        cache: bool = True,
        reservation_ttl: int = DEFAULT_RESERVATION_TTL_S,
        sandbox: Sandbox | None = None,
    ) -> None:
        self.kv = kv
        self.names = Names(kv, cache=cache, reservation_ttl=reservation_ttl)
        self._visibility: dict[str, VisibleIds] = {}
        # Shared by default: its workers hold no state, and each costs a process.
        self._sandbox = sandbox or shared()

    def close(self) -> None:
        self.names.close()

    def configure(self, *, log_level: str | None = None) -> str:
        """Change runtime settings; return the log level in force."""
        return runtime.log_level("meta", log_level)

    # -- scope and visibility

    def set_visibility(self, kind: str, visible: VisibleIds) -> None:
        """Show names (tags, values) of kind only where visible says the caller sees the object."""
        self._visibility[check_kind(kind)] = visible

    def _only_visible(self, found: Sequence[Named | None]) -> list[Named | None]:
        """found, with None in place of what the caller may not see."""
        caller = current_caller()
        if caller.system_admin:
            return list(found)
        shown = [n if n is not None and n.project_id in (None, caller.project_id) else None for n in found]
        asked: dict[str, list[str]] = {}
        for named in shown:
            if named is not None and named.kind in self._visibility:
                asked.setdefault(named.kind, []).append(named.object_id)
        allowed = {kind: set(self._visibility[kind](ids)) for kind, ids in asked.items()}
        return [n if n is None or n.kind not in allowed or n.object_id in allowed[n.kind] else None for n in shown]

    def _project_argument(self, project_id: str | None) -> str | None:
        """The UUID of the project a request names (its name, slug or UUID)."""
        project_id = check_project_id(project_id or None)
        if project_id is None:
            return None
        return tenancy.project_argument(project_id, lambda typed: resolve_project(self.names, typed))

    def _lookup_project(self, project_id: str | None) -> str | None:
        """The project whose names a lookup searches (then the system's)."""
        project_id = self._project_argument(project_id)
        caller = current_caller()
        if caller.system_admin:
            return project_id
        if project_id and project_id != caller.project_id:
            raise NotFound(f"project {project_id} not found", reason="PROJECT_NOT_FOUND")
        return caller.project_id

    def _object(self, kind: str, ref: str, project_id: str | None) -> Named:
        project = self._lookup_project(project_id)
        named = self.names.lookup(kind, project, ref, any_project=project is None and current_caller().system_admin)
        if self._only_visible([named])[0] is None:
            raise NotFound(f"{kind} {ref!r} not found", reason=f"{kind.upper()}_NOT_FOUND", metadata={"kind": kind})
        return named

    @staticmethod
    def _check_can_change(named: Named) -> None:
        if named.project_id is None:
            _require_system_admin(f"change the system {named.kind} {named.name!r}")
        else:
            tenancy.require_role("member")

    # -- names

    def resolve_names(self, kind: str, refs: Sequence[str], *, project_id: str | None = None) -> list[Named | None]:
        """Each name, slug or UUID to its object, in order; None where nothing visible matches."""
        _check_batch(refs, "references")
        project = self._lookup_project(project_id)
        caller = current_caller()
        found = self.names.lookup_many(kind, project, refs, any_project=project is None and caller.system_admin)
        return self._only_visible(found)

    def describe_objects(self, kind: str, object_ids: Sequence[str]) -> list[Named]:
        """Names of the visible objects among object_ids, in order; others are left out."""
        _check_batch(object_ids, "object ids")
        described = self.names.describe(kind, object_ids)
        wanted = [described.get(object_id) for object_id in dict.fromkeys(check_object_id(i) for i in object_ids)]
        return [named for named in self._only_visible(wanted) if named is not None]

    def rename(
        self,
        kind: str,
        ref: str,
        *,
        name: str | None = None,
        slug: str | None = None,
        project_id: str | None = None,
    ) -> Named:
        if not name and not slug:
            raise InvalidArgument("give a new name, a new slug or both", reason="NOTHING_TO_CHANGE")
        named = self._object(kind, ref, project_id)
        self._check_can_change(named)
        return self.names.rename(kind, named.object_id, name=name or None, slug=slug or None)

    # -- tags

    def list_tags(
        self, kind: str, ref: str, *, project_id: str | None = None, page_size: int = 0, page_token: str = ""
    ) -> pages.Page[str]:
        named = self._object(kind, ref, project_id)
        # Tags keep the order they were added in, so pages go by position
        # (an object holds at most 50 tags: most lists are one page).
        found = list(enumerate(tags.read(self.kv, kind, named.object_id)))
        page = pages.page_of("tags", found, lambda item: (item[0],), page_size=page_size, page_token=page_token)
        return pages.Page([tag for _, tag in page.items], page.next_page_token)

    def add_tags(self, kind: str, ref: str, values: Sequence[str], *, project_id: str | None = None) -> list[str]:
        return self._change_tags(kind, ref, project_id, add=tags.check_tags(values))

    def remove_tags(self, kind: str, ref: str, values: Sequence[str], *, project_id: str | None = None) -> list[str]:
        return self._change_tags(kind, ref, project_id, remove=tags.check_tags(values))

    def replace_tags(self, kind: str, ref: str, values: Sequence[str], *, project_id: str | None = None) -> list[str]:
        return self._change_tags(kind, ref, project_id, replace=tags.check_tags(values))

    def _change_tags(self, kind: str, ref: str, project_id: str | None, **change: Any) -> list[str]:
        check_kind(kind)
        named = self._object(kind, ref, project_id)
        self._check_can_change(named)
        return tags.change(self.kv, kind, named.object_id, named.project_id, **change)

    def find_by_tags(
        self,
        values: Sequence[str],
        *,
        match_all: bool = True,
        kind: str | None = None,
        project_id: str | None = None,
        limit: int = 0,
    ) -> tuple[list[FoundObject], bool]:
        """Visible objects carrying all (or any) of the tags; and whether the list was cut at limit."""
        wanted = tags.check_tags(values)
        if not wanted:
            raise InvalidArgument("give at least one tag to find", reason="NO_TAGS")
        if kind:
            check_kind(kind)
        if limit < 0 or limit > MAX_FIND_LIMIT:
            raise InvalidArgument(f"limit is 0 to {MAX_FIND_LIMIT}", reason="INVALID_LIMIT")
        limit = limit or DEFAULT_FIND_LIMIT
        caller = current_caller()
        only = self._project_argument(project_id)
        if only and not caller.system_admin and only != caller.project_id:
            raise NotFound(f"project {only} not found", reason="PROJECT_NOT_FOUND")
        visible = tenancy.visible_projects(caller)
        matches = [
            m
            for m in tags.find(self.kv, wanted, match_all=match_all, kind=kind or None)
            if (visible is None or m.project_id is None or m.project_id in visible)
            and (only is None or m.project_id == only)
        ]
        truncated = len(matches) > limit
        matches = matches[:limit]
        by_kind: dict[str, list[str]] = {}
        for match in matches:
            by_kind.setdefault(match.kind, []).append(match.object_id)
        described = {k: self.names.describe(k, ids) for k, ids in by_kind.items()}
        shown = self._only_visible([described[match.kind].get(match.object_id) for match in matches])
        found = [
            FoundObject(match.kind, match.object_id, match.project_id, named.name, named.slug)
            for match, named in zip(matches, shown, strict=True)
            if named is not None
        ]
        return found, truncated

    # -- metadef definitions

    def _definition_scope(self, project_id: str | None) -> str | None:
        return self._lookup_project(project_id)

    @staticmethod
    def _check_can_change_definition(definition: Definition, *, protected: bool) -> None:
        if definition.project_id is None:
            _require_system_admin(f"change the system metadef {definition.label}")
            return
        tenancy.check_visible(definition.project_id, "metadef", definition.label)
        tenancy.require_role("admin" if protected else "member")

    def create_definition(
        self,
        namespace: str,
        name: str,
        schema: Any,
        *,
        description: str = "",
        protected: bool = False,
        project_id: str | None = None,
        system: bool = False,
    ) -> DefinitionInfo:
        metadefs.check_identifier(namespace, "namespace")
        metadefs.check_identifier(name, "name")
        if system:
            if project_id:
                raise InvalidArgument("a definition is either system-wide or a project's", reason="CONFLICTING_OWNER")
            _require_system_admin("define system metadefs")
            owner = None
        else:
            owner = tenancy.owning_project(self._project_argument(project_id))
            tenancy.require_role("admin" if protected else "member")
        definition = metadefs.create(
            self.kv,
            project_id=owner,
            namespace=namespace,
            name=name,
            schema=schema,
            description=description,
            protected=protected,
            sandbox=self._sandbox,
        )
        return DefinitionInfo(definition, 0)

    def get_definition(self, namespace: str, name: str, *, project_id: str | None = None) -> DefinitionInfo:
        definition = metadefs.find(self.kv, self._definition_scope(project_id), namespace, name)
        found = metadefs.read(self.kv, definition.project_id, namespace, name)
        return DefinitionInfo(definition, found[1] if found else 0)

    def list_definitions(
        self,
        *,
        namespace: str | None = None,
        project_id: str | None = None,
        page_size: int = 0,
        page_token: str = "",
    ) -> pages.Page[DefinitionInfo]:
        caller = current_caller()
        only = self._project_argument(project_id)
        if only and not caller.system_admin and only != caller.project_id:
            raise NotFound(f"project {only} not found", reason="PROJECT_NOT_FOUND")
        visible = tenancy.visible_projects(caller)
        listed = []
        for definition, uses in metadefs.list_all(self.kv):
            owner = definition.project_id
            if visible is not None and owner is not None and owner not in visible:
                continue
            if only is not None and owner not in (None, only):
                continue
            if namespace and definition.namespace != namespace:
                continue
            listed.append(DefinitionInfo(definition, uses))
        return pages.page_of(
            "definitions",
            listed,
            lambda i: (i.definition.namespace, i.definition.name, i.definition.project_id or ""),
            page_size=page_size,
            page_token=page_token,
        )

    def update_definition(
        self,
        namespace: str,
        name: str,
        *,
        project_id: str | None = None,
        schema: Any | None = None,
        description: str | None = None,
        protected: bool | None = None,
    ) -> DefinitionInfo:
        current = metadefs.find(self.kv, self._definition_scope(project_id), namespace, name)
        self._check_can_change_definition(current, protected=current.protected or bool(protected))
        updated = metadefs.update(
            self.kv,
            current.project_id,
            namespace,
            name,
            schema=schema,
            description=description,
            protected=protected,
            sandbox=self._sandbox,
        )
        found = metadefs.read(self.kv, updated.project_id, namespace, name)
        return DefinitionInfo(updated, found[1] if found else 0)

    def delete_definition(self, namespace: str, name: str, *, project_id: str | None = None) -> None:
        current = metadefs.find(self.kv, self._definition_scope(project_id), namespace, name)
        self._check_can_change_definition(current, protected=current.protected)
        metadefs.delete(self.kv, current.project_id, namespace, name)

    # -- metadef values

    def _value_target(
        self, kind: str, ref: str, namespace: str, name: str, project_id: str | None
    ) -> tuple[Named, Definition]:
        check_kind(kind)
        metadefs.check_identifier(namespace, "namespace")
        metadefs.check_identifier(name, "name")
        named = self._object(kind, ref, project_id)
        self._check_can_change(named)
        definition = metadefs.find(self.kv, named.project_id, namespace, name)
        if definition.protected:
            if definition.project_id is None:
                _require_system_admin(f"change values of the protected metadef {definition.label}")
            else:
                tenancy.require_role("admin")
        return named, definition

    def set_value(
        self, kind: str, ref: str, namespace: str, name: str, value: Any, *, project_id: str | None = None
    ) -> Value:
        named, definition = self._value_target(kind, ref, namespace, name, project_id)
        return metadefs.set_value(
            self.kv,
            kind,
            named.object_id,
            object_project=named.project_id,
            definition=definition,
            value=value,
            sandbox=self._sandbox,
        )

    def unset_value(self, kind: str, ref: str, namespace: str, name: str, *, project_id: str | None = None) -> None:
        named, definition = self._value_target(kind, ref, namespace, name, project_id)
        if not metadefs.unset_value(self.kv, kind, named.object_id, definition):
            raise NotFound(
                f"{kind} {ref} has no value of {definition.label}",
                reason="METADEF_VALUE_NOT_FOUND",
            )

    def list_values(
        self, kind: str, ref: str, *, project_id: str | None = None, page_size: int = 0, page_token: str = ""
    ) -> pages.Page[Value]:
        named = self._object(kind, ref, project_id)
        return pages.page_of(
            "values",
            metadefs.values(self.kv, kind, named.object_id),
            lambda v: (v.namespace, v.name, v.definition_project_id or ""),
            page_size=page_size,
            page_token=page_token,
        )
