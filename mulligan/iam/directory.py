"""Shared lookups of accounts and projects: rows, names, visibility.

Names live in the name registry (``account`` names system-wide,
``application_credential`` names per project, ``project`` names
system-wide); rows here hold everything else. Who sees what:

- a system admin sees everything;
- an account sees itself, the accounts holding a role in its token's
  project, and that project's application credentials;
- an account sees the projects it holds a role in.

Whatever a caller may not see is reported as not found.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.context import Caller
from mulligan.db import Database
from mulligan.errors import NotFound
from mulligan.iam.ids import is_uuid
from mulligan.iam.models import AccountRow, ProjectRow, RoleAssignmentRow
from mulligan.iam.revocations import Revocations
from mulligan.iam.roles import SYSTEM_SCOPE
from mulligan.iam.types import USER, Account, Project
from mulligan.naming import Named, NameRegistry, NameReservation

ACCOUNT_KIND = "account"
CREDENTIAL_KIND = "application_credential"
PROJECT_KIND = "project"


def account_not_found(ref: str) -> NotFound:
    return NotFound(f"account {ref[:80]!r} not found", reason="ACCOUNT_NOT_FOUND")


def project_not_found(ref: str) -> NotFound:
    return NotFound(f"project {ref[:80]!r} not found", reason="PROJECT_NOT_FOUND")


def name_kind(account_kind: str) -> str:
    return ACCOUNT_KIND if account_kind == USER else CREDENTIAL_KIND


@dataclass
class Directory:
    db: Database
    names: NameRegistry
    revocations: Revocations
    clock: Callable[[], float] = time.time

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    # -- references

    def resolve_account(self, ref: str, caller: Caller | None = None) -> str:
        """An account id from an id, a login name, or a credential name in the caller's project."""
        if is_uuid(ref):
            return ref
        try:
            return self.names.resolve(ACCOUNT_KIND, None, ref)
        except NotFound:
            pass
        if caller is not None and caller.project_id:
            try:
                return self.names.resolve(CREDENTIAL_KIND, caller.project_id, ref)
            except NotFound:
                pass
        raise account_not_found(ref)

    def resolve_project(self, ref: str) -> str:
        if is_uuid(ref):
            return ref
        try:
            return self.names.resolve(PROJECT_KIND, None, ref)
        except NotFound:
            raise project_not_found(ref) from None

    def insert_named(
        self,
        reservation: NameReservation,
        insert: Callable[[orm.Session], None],
        undo: Callable[[orm.Session], None],
    ) -> None:
        """Commit the rows, then confirm the name; remove the rows if the name is lost.

        The name is confirmed after the commit, not inside the transaction:
        the embedded key/value store writes to the same SQLite database, which
        a write transaction holds locked.
        """
        with reservation:
            with self.db.write() as session:
                insert(session)
            try:
                reservation.confirm()
            except Exception:
                with self.db.write() as session:
                    undo(session)
                raise

    # -- visibility

    @staticmethod
    def visible_accounts(caller: Caller) -> sa.ColumnElement[bool]:
        if caller.system_admin:
            return sa.true()
        clauses: list[sa.ColumnElement[bool]] = [AccountRow.id == caller.account_id]
        if caller.project_id:
            members = sa.select(RoleAssignmentRow.account_id).where(RoleAssignmentRow.scope == caller.project_id)
            clauses += [AccountRow.id.in_(members), AccountRow.project_id == caller.project_id]
        return sa.or_(*clauses)

    @staticmethod
    def visible_projects(caller: Caller) -> sa.ColumnElement[bool]:
        if caller.system_admin:
            return sa.true()
        held = sa.select(RoleAssignmentRow.scope).where(RoleAssignmentRow.account_id == caller.account_id)
        return ProjectRow.id.in_(held)

    def visible_account_ids(self, account_ids: Sequence[str], caller: Caller) -> set[str]:
        with self.db.read() as session:
            query = sa.select(AccountRow.id).where(AccountRow.id.in_(list(account_ids)), self.visible_accounts(caller))
            return set(session.scalars(query))

    def visible_project_ids(self, project_ids: Sequence[str], caller: Caller) -> set[str]:
        with self.db.read() as session:
            query = sa.select(ProjectRow.id).where(ProjectRow.id.in_(list(project_ids)), self.visible_projects(caller))
            return set(session.scalars(query))

    def visible_account_row(self, session: orm.Session, account_id: str, caller: Caller, ref: str) -> AccountRow:
        row = session.scalar(sa.select(AccountRow).where(AccountRow.id == account_id, self.visible_accounts(caller)))
        if row is None:
            raise account_not_found(ref)
        return row

    def visible_project_row(self, session: orm.Session, project_id: str, caller: Caller, ref: str) -> ProjectRow:
        row = session.scalar(sa.select(ProjectRow).where(ProjectRow.id == project_id, self.visible_projects(caller)))
        if row is None:
            raise project_not_found(ref)
        return row

    # -- building domain objects

    def system_admins(self, session: orm.Session, account_ids: Iterable[str]) -> set[str]:
        ids = list(account_ids)
        if not ids:
            return set()
        return set(
            session.scalars(
                sa.select(RoleAssignmentRow.account_id).where(
                    RoleAssignmentRow.scope == SYSTEM_SCOPE,
                    RoleAssignmentRow.role == "admin",
                    RoleAssignmentRow.account_id.in_(ids),
                )
            )
        )

    def account_names(self, rows: Iterable[AccountRow]) -> dict[str, str]:
        by_kind: dict[str, list[str]] = {}
        for row in rows:
            by_kind.setdefault(name_kind(row.kind), []).append(row.id)
        names: dict[str, str] = {}
        for kind, ids in by_kind.items():
            names.update(_names(self.names.describe(kind, ids)))
        return names

    def accounts(self, session: orm.Session, rows: list[AccountRow]) -> list[Account]:
        names = self.account_names(rows)
        admins = self.system_admins(session, [row.id for row in rows])
        return [to_account(row, names.get(row.id, ""), row.id in admins) for row in rows]

    def account(self, session: orm.Session, row: AccountRow) -> Account:
        return self.accounts(session, [row])[0]

    def projects(self, rows: list[ProjectRow]) -> list[Project]:
        names = _names(self.names.describe(PROJECT_KIND, [row.id for row in rows]))
        return [to_project(row, names.get(row.id, "")) for row in rows]


def _names(described: Mapping[str, Named]) -> dict[str, str]:
    return {object_id: named.name for object_id, named in described.items()}


def to_account(row: AccountRow, name: str, system_admin: bool) -> Account:
    return Account(
        id=row.id,
        kind=USER if row.kind == USER else "application_credential",
        name=name,
        display_name=row.display_name,
        description=row.description,
        disabled=row.disabled,
        created_at=row.created_at,
        updated_at=row.updated_at,
        system_admin=system_admin,
        project_id=row.project_id,
        creator_id=row.creator_id,
        expires_at=row.expires_at,
    )


def to_project(row: ProjectRow, name: str) -> Project:
    return Project(
        id=row.id, name=name, description=row.description, created_at=row.created_at, updated_at=row.updated_at
    )
