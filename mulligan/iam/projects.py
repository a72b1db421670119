"""Projects: the tenants."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.context import current_caller
from mulligan.errors import AlreadyExists, InvalidArgument, PermissionDenied
from mulligan.iam import pages, validation
from mulligan.iam.accounts import require_system_admin
from mulligan.iam.directory import CREDENTIAL_KIND, PROJECT_KIND, Directory, project_not_found, to_project
from mulligan.iam.ids import new_id
from mulligan.iam.models import AccountRow, ProjectRow, RoleAssignmentRow
from mulligan.iam.types import APPLICATION_CREDENTIAL, Page, Project

UPDATABLE = frozenset({"description"})


class Projects:
    def __init__(self, directory: Directory) -> None:
        self._dir = directory

    def get(self, ref: str) -> Project:
        validation.check_ref("project", ref)
        caller = current_caller()
        project_id = self._dir.resolve_project(ref)
        with self._dir.db.read() as session:
            row = self._dir.visible_project_row(session, project_id, caller, ref)
            return self._dir.projects([row])[0]

    def list(self, *, page_size: int = 0, page_token: str = "") -> Page[Project]:
        size = pages.page_size(page_size)
        after = pages.decode("projects", page_token)
        query = sa.select(ProjectRow).where(self._dir.visible_projects(current_caller()))
        if after is not None:
            query = query.where(ProjectRow.id > str(after))
        with self._dir.db.read() as session:
            rows = list(session.scalars(query.order_by(ProjectRow.id).limit(size + 1)))
            projects = self._dir.projects(rows[:size])
        token = pages.encode("projects", projects[-1].id) if len(rows) > size else ""
        return Page(projects, token)

    def create(self, name: str, *, description: str = "") -> Project:
        require_system_admin(current_caller(), "creating a project")
        validation.check_name("project name", name)
        validation.check_text("description", description, validation.MAX_DESCRIPTION)
        project_id = new_id()
        now = self._dir.now()
        row = ProjectRow(id=project_id, description=description, created_at=now, updated_at=now)
        try:
            reservation = self._dir.names.reserve(PROJECT_KIND, None, name, object_id=project_id)
        except AlreadyExists:
            raise AlreadyExists(f"a project named {name!r} already exists", reason="PROJECT_EXISTS") from None

        def undo(session: orm.Session) -> None:
            session.execute(sa.delete(ProjectRow).where(ProjectRow.id == project_id))

        self._dir.insert_named(reservation, lambda session: session.add(row), undo)
        return to_project(row, name)

    def update(self, project_id: str, changes: Mapping[str, Any]) -> Project:
        caller = current_caller()
        project_id = self._dir.resolve_project(validation.check_ref("project.id", project_id))
        if not changes:
            raise InvalidArgument("update_mask must name at least one field", reason="EMPTY_UPDATE_MASK")
        unknown = set(changes) - UPDATABLE
        if unknown:
            raise InvalidArgument(
                f"cannot change {', '.join(sorted(unknown))}; changeable fields: {', '.join(sorted(UPDATABLE))}",
                reason="FIELD_NOT_UPDATABLE",
            )
        description = validation.check_text("description", str(changes["description"]), validation.MAX_DESCRIPTION)
        with self._dir.db.write() as session:
            row = self._dir.visible_project_row(session, project_id, caller, project_id)
            if not caller.system_admin and caller.project_id != project_id:
                raise PermissionDenied(
                    "a project admin may change only the project of their token", reason="CROSS_PROJECT_DENIED"
                )
            row.description = description
            row.updated_at = self._dir.now()
            session.flush()
            return self._dir.projects([row])[0]

    def delete(self, ref: str) -> None:
        """Delete the project, its role assignments and application credentials."""
        require_system_admin(current_caller(), "deleting a project")
        validation.check_ref("project", ref)
        project_id = self._dir.resolve_project(ref)
        with self._dir.db.write() as session:
            if session.get(ProjectRow, project_id) is None:
                raise project_not_found(ref)
            credentials = list(
                session.scalars(
                    sa.select(AccountRow.id).where(
                        AccountRow.project_id == project_id, AccountRow.kind == APPLICATION_CREDENTIAL
                    )
                )
            )
            session.execute(
                sa.delete(RoleAssignmentRow).where(
                    sa.or_(RoleAssignmentRow.scope == project_id, RoleAssignmentRow.account_id.in_(credentials))
                )
            )
            session.execute(sa.delete(AccountRow).where(AccountRow.id.in_(credentials)))
            session.execute(sa.delete(ProjectRow).where(ProjectRow.id == project_id))
        self._dir.revocations.revoke_project(project_id)
        for credential_id in credentials:
            self._dir.names.forget(CREDENTIAL_KIND, credential_id)
        self._dir.names.forget(PROJECT_KIND, project_id)
