"""Role assignments: (account, project or system, role)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.context import Caller, current_caller
from mulligan.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from mulligan.iam import pages, validation
from mulligan.iam import roles as role_defs
from mulligan.iam.directory import Directory, account_not_found, project_not_found
from mulligan.iam.guards import keep_a_system_admin
from mulligan.iam.models import AccountRow, ProjectRow, RoleAssignmentRow
from mulligan.iam.roles import SYSTEM_SCOPE
from mulligan.iam.types import USER, Page, RoleAssignment


def to_assignment(row: RoleAssignmentRow) -> RoleAssignment:
    project_id = None if row.scope == SYSTEM_SCOPE else row.scope
    return RoleAssignment(account_id=row.account_id, project_id=project_id, role=row.role, created_at=row.created_at)


class Assignments:
    def __init__(self, directory: Directory) -> None:
        self._dir = directory

    def list(
        self, *, page_size: int = 0, page_token: str = "", account: str = "", project: str = ""
    ) -> Page[RoleAssignment]:
        size = pages.page_size(page_size)
        after = pages.decode("assignments", page_token)
        caller = current_caller()
        query = sa.select(RoleAssignmentRow)
        if not caller.system_admin:
            visible = [RoleAssignmentRow.account_id == caller.account_id]
            if caller.project_id:
                visible.append(RoleAssignmentRow.scope == caller.project_id)
            query = query.where(sa.or_(*visible))
        with self._dir.db.read() as session:
            if account:
                account_id = self._dir.resolve_account(validation.check_ref("account", account), caller)
                self._dir.visible_account_row(session, account_id, caller, account)
                query = query.where(RoleAssignmentRow.account_id == account_id)
            if project:
                project_id = self._dir.resolve_project(validation.check_ref("project", project))
                self._dir.visible_project_row(session, project_id, caller, project)
                query = query.where(RoleAssignmentRow.scope == project_id)
        if after is not None:
            if not (isinstance(after, list) and len(after) == 3 and all(isinstance(part, str) for part in after)):
                raise InvalidArgument("page_token is not valid here", reason="INVALID_PAGE_TOKEN")
            key = sa.tuple_(RoleAssignmentRow.account_id, RoleAssignmentRow.scope, RoleAssignmentRow.role)
            query = query.where(key > sa.tuple_(*(sa.literal(part) for part in after)))
        order = (RoleAssignmentRow.account_id, RoleAssignmentRow.scope, RoleAssignmentRow.role)
        with self._dir.db.read() as session:
            rows = list(session.scalars(query.order_by(*order).limit(size + 1)))
            items = [to_assignment(row) for row in rows[:size]]
            last = [rows[size - 1].account_id, rows[size - 1].scope, rows[size - 1].role] if len(rows) > size else None
        return Page(items, pages.encode("assignments", last) if last else "")

    def create(self, account: str, role: str, *, project: str = "", system_scope: bool = False) -> RoleAssignment:
        caller = current_caller()
        account_id, scope = self._target(caller, account, role, project, system_scope)
        with self._dir.db.write() as session:
            row = session.get(AccountRow, account_id)
            if row is None:
                raise account_not_found(account)
            if row.kind != USER:
                raise FailedPrecondition(
                    "an application credential's roles are set when it is created", reason="CREDENTIAL_ROLES_FIXED"
                )
            if session.get(RoleAssignmentRow, (account_id, scope, role)) is not None:
                raise AlreadyExists("the account already holds this role there", reason="ROLE_ASSIGNMENT_EXISTS")
            assignment = RoleAssignmentRow(account_id=account_id, scope=scope, role=role, created_at=self._dir.now())
            session.add(assignment)
            session.flush()
            return to_assignment(assignment)

    def delete(self, account: str, role: str, *, project: str = "", system_scope: bool = False) -> None:
        caller = current_caller()
        account_id, scope = self._target(caller, account, role, project, system_scope)
        with self._dir.db.write() as session:
            row = session.get(RoleAssignmentRow, (account_id, scope, role))
            if row is None:
                raise NotFound("the account does not hold this role there", reason="ROLE_ASSIGNMENT_NOT_FOUND")
            if scope == SYSTEM_SCOPE:
                keep_a_system_admin(session, account_id)
            session.delete(row)
        # Tokens carry their roles: those issued with this one must go.
        if scope == SYSTEM_SCOPE:
            self._dir.revocations.revoke_account(account_id)
        else:
            self._dir.revocations.revoke_membership(account_id, scope)

    def _target(self, caller: Caller, account: str, role: str, project: str, system_scope: bool) -> tuple[str, str]:
        """(account id, scope), once the caller may manage roles there."""
        validation.check_ref("account", account)
        role_defs.check_role(role)
        if system_scope:
            if project:
                raise InvalidArgument("give either a project or system_scope, not both", reason="SCOPE_AMBIGUOUS")
            if role != "admin":
                raise InvalidArgument("only the admin role exists system-wide", reason="UNKNOWN_SYSTEM_ROLE")
            if not caller.system_admin:
                raise PermissionDenied("managing system admins needs a system admin", reason="SYSTEM_ADMIN_REQUIRED")
            return self._dir.resolve_account(account, caller), SYSTEM_SCOPE
        if not project:
            raise InvalidArgument("project is required (or system_scope)", reason="PROJECT_REQUIRED")
        project_id = self._dir.resolve_project(validation.check_ref("project", project))
        with self._dir.db.read() as session:
            self._check_project(session, caller, project_id, project)
        return self._dir.resolve_account(account, caller), project_id

    def _check_project(self, session: orm.Session, caller: Caller, project_id: str, ref: str) -> None:
        if caller.system_admin:
            if session.get(ProjectRow, project_id) is None:
                raise project_not_found(ref)
            return
        self._dir.visible_project_row(session, project_id, caller, ref)
        if caller.project_id != project_id or "admin" not in caller.roles:
            raise PermissionDenied(
                "managing roles in a project needs the admin role in a token scoped to it",
                reason="CROSS_PROJECT_DENIED",
            )
