"""Tenant isolation, the same in every module.

Every tenant object belongs to a project. A caller sees the objects of the
project its token is scoped to; a system admin sees every project. An
object of another project is reported as not found, so its existence is
not revealed.
"""

from __future__ import annotations

from collections.abc import Callable

from mulligan.context import Caller, current_caller
from mulligan.errors import InvalidArgument, NotFound, PermissionDenied


def sees_all(caller: Caller | None = None) -> bool:
    return (caller or current_caller()).system_admin


def visible_projects(caller: Caller | None = None) -> frozenset[str] | None:
    """Projects whose objects the caller may see; None means all of them."""
    caller = caller or current_caller()
    if caller.system_admin:
        return None
    return frozenset({caller.project_id}) if caller.project_id else frozenset()


def check_visible(project_id: str | None, kind: str, object_id: str, caller: Caller | None = None) -> None:
    """NotFound unless the caller may see an object of project_id.

    ``project_id`` None marks a system object (regions, resource classes, ...),
    visible to every authenticated caller.
    """
    caller = caller or current_caller()
    if project_id is None or caller.system_admin or project_id == caller.project_id:
        return
    raise NotFound(f"{kind} {object_id} not found", reason=f"{kind.upper()}_NOT_FOUND")


def project_argument(ref: str, resolve: Callable[[str], str], caller: Caller | None = None) -> str:
    """The UUID of the project a request names (name, slug or UUID).

    ``resolve`` raises NotFound for a project that does not exist; a system
    admin gets that error. For anyone else the reference is returned as
    typed, to be refused by the visibility checks that follow like any
    project not theirs: which projects exist stays hidden.
    """
    try:
        return resolve(ref)
    except NotFound:
        if sees_all(caller):
            raise
        return ref


def owning_project(requested: str | None, caller: Caller | None = None) -> str:
    """The project a new tenant object goes into.

    Callers create in their token's project; only a system admin may name
    another one.
    """
    caller = caller or current_caller()
    if requested and requested != caller.project_id:
        if not caller.system_admin:
            raise PermissionDenied("only a system admin may act in another project", reason="CROSS_PROJECT_DENIED")
        return requested
    if caller.project_id:
        return caller.project_id
    if requested:
        return requested
    raise InvalidArgument("project is required for a system-scoped caller", reason="PROJECT_REQUIRED")


def require_role(role: str, caller: Caller | None = None) -> None:
    caller = caller or current_caller()
    if not caller.has_role(role):
        raise PermissionDenied(f"this needs the {role} role", reason="ROLE_REQUIRED", metadata={"role": role})
