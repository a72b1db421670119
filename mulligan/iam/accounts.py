"""Accounts: users and application credentials."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import tenancy
from mulligan.context import Caller, current_caller
from mulligan.errors import AlreadyExists, InvalidArgument, PermissionDenied
from mulligan.iam import pages, passwords, validation
from mulligan.iam import roles as role_defs
from mulligan.iam.directory import (
    ACCOUNT_KIND,
    CREDENTIAL_KIND,
    Directory,
    account_not_found,
    name_kind,
    to_account,
)
from mulligan.iam.guards import keep_a_system_admin
from mulligan.iam.ids import new_id
from mulligan.iam.models import AccountRow, ProjectRow, RoleAssignmentRow
from mulligan.iam.types import APPLICATION_CREDENTIAL, USER, Account, AccountKind, NewApplicationCredential, Page
from mulligan.naming import NameReservation

UPDATABLE = frozenset({"display_name", "description", "disabled", "password"})
_SELF_UPDATABLE = frozenset({"display_name", "description", "password"})
_CREDENTIAL_UPDATABLE = frozenset({"display_name", "description", "disabled"})


def require_system_admin(caller: Caller, what: str) -> None:
    if not caller.system_admin:
        raise PermissionDenied(f"{what} needs a system admin", reason="SYSTEM_ADMIN_REQUIRED")


class Accounts:
    def __init__(self, directory: Directory) -> None:
        self._dir = directory

    # -- reads

    def get(self, ref: str) -> Account:
        validation.check_ref("account", ref)
        caller = current_caller()
        account_id = self._dir.resolve_account(ref, caller)
        with self._dir.db.read() as session:
            return self._dir.account(session, self._dir.visible_account_row(session, account_id, caller, ref))

    def list(
        self, *, page_size: int = 0, page_token: str = "", project: str = "", kind: AccountKind | None = None
    ) -> Page[Account]:
        size = pages.page_size(page_size)
        after = pages.decode("accounts", page_token)
        caller = current_caller()
        query = sa.select(AccountRow).where(self._dir.visible_accounts(caller))
        if project:
            project_id = self._dir.resolve_project(validation.check_ref("project", project))
            if not caller.system_admin:
                with self._dir.db.read() as session:
                    self._dir.visible_project_row(session, project_id, caller, project)
            holders = sa.select(RoleAssignmentRow.account_id).where(RoleAssignmentRow.scope == project_id)
            query = query.where(AccountRow.id.in_(holders))
        if kind is not None:
            query = query.where(AccountRow.kind == kind)
        if after is not None:
            query = query.where(AccountRow.id > str(after))
        with self._dir.db.read() as session:
            rows = list(session.scalars(query.order_by(AccountRow.id).limit(size + 1)))
            accounts = self._dir.accounts(session, rows[:size])
        token = pages.encode("accounts", accounts[-1].id) if len(rows) > size else ""
        return Page(accounts, token)

    # -- users

    def create_user(self, name: str, password: str, *, display_name: str = "", description: str = "") -> Account:
        require_system_admin(current_caller(), "creating a user account")
        validation.check_name("account name", name)
        validation.check_text("display_name", display_name, validation.MAX_DISPLAY_NAME)
        validation.check_text("description", description, validation.MAX_DESCRIPTION)
        passwords.check_password_shape(password)
        password_hash = passwords.hash_password(password)
        account_id = new_id()
        now = self._dir.now()
        row = AccountRow(
            id=account_id,
            kind=USER,
            password_hash=password_hash,
            secret_hash=None,
            project_id=None,
            creator_id=current_caller().account_id or None,
            display_name=display_name,
            description=description,
            disabled=False,
            expires_at=None,
            created_at=now,
            updated_at=now,
        )
        self._dir.insert_named(
            self._reserve(ACCOUNT_KIND, None, name, account_id), lambda session: session.add(row), _remove(account_id)
        )
        return _new(row, name)

    # -- application credentials

    def create_application_credential(
        self,
        name: str,
        *,
        description: str = "",
        project: str = "",
        roles: Iterable[str] = (),
        expires_at: datetime | None = None,
    ) -> NewApplicationCredential:
        caller = current_caller()
        validation.check_name("name", name)
        validation.check_text("description", description, validation.MAX_DESCRIPTION)
        wanted = {role_defs.check_role(role) for role in roles}
        if expires_at is not None and expires_at.timestamp() <= self._dir.clock():
            raise InvalidArgument("expire_time must be in the future", reason="EXPIRY_IN_PAST")
        requested = self._dir.resolve_project(validation.check_ref("project", project)) if project else None
        if requested is not None and not caller.system_admin:
            with self._dir.db.read() as session:
                # A project the caller holds no role in does not exist for them.
                self._dir.visible_project_row(session, requested, caller, project)
        project_id = tenancy.owning_project(requested, caller)
        granted = self._grantable(caller, project_id, wanted)
        secret = passwords.new_secret()
        account_id = new_id()
        now = self._dir.now()
        row = AccountRow(
            id=account_id,
            kind=APPLICATION_CREDENTIAL,
            password_hash=None,
            secret_hash=passwords.hash_secret(secret),
            project_id=project_id,
            creator_id=caller.account_id,
            display_name="",
            description=description,
            disabled=False,
            expires_at=expires_at,
            created_at=now,
            updated_at=now,
        )
        with self._dir.db.read() as session:
            creator = session.get(AccountRow, caller.account_id)
            if creator is not None and creator.kind == APPLICATION_CREDENTIAL:
                raise PermissionDenied(
                    "an application credential cannot create application credentials",
                    reason="APPLICATION_CREDENTIAL_RESTRICTED",
                )
            if session.get(ProjectRow, project_id) is None:
                raise InvalidArgument(f"project {project_id} does not exist", reason="PROJECT_NOT_FOUND")

        def insert(session: orm.Session) -> None:
            session.add(row)
            session.flush()
            for role in sorted(granted):
                session.add(RoleAssignmentRow(account_id=account_id, scope=project_id, role=role, created_at=now))

        self._dir.insert_named(
            self._reserve(CREDENTIAL_KIND, project_id, name, account_id), insert, _remove(account_id)
        )
        return NewApplicationCredential(_new(row, name), secret)

    @staticmethod
    def _grantable(caller: Caller, project_id: str, wanted: set[str]) -> set[str]:
        if caller.system_admin and caller.project_id != project_id:
            if not wanted:
                raise InvalidArgument(
                    "roles are required when creating a credential in another project", reason="ROLES_REQUIRED"
                )
            return wanted
        held = caller.roles | ({"admin", "member", "reader"} if caller.system_admin else set())
        if not wanted:
            strongest = role_defs.strongest(held)
            if strongest is None:
                raise PermissionDenied("you hold no role in this project", reason="ROLE_REQUIRED")
            return {strongest}
        missing = wanted - held
        if missing:
            raise PermissionDenied(
                f"a credential gets only roles its creator holds; you lack {', '.join(sorted(missing))}",
                reason="ROLE_NOT_HELD",
            )
        return wanted

    # -- changes

    def update(
        self,
        account_id: str,
        changes: Mapping[str, Any],
        *,
        password: str = "",
        current_password: str = "",
    ) -> Account:
        """Apply ``changes`` (field -> new value; "password" takes ``password``)."""
        caller = current_caller()
        account_id = self._dir.resolve_account(validation.check_ref("account.id", account_id), caller)
        fields = _check_changes(changes)
        with self._dir.db.read() as session:
            row = self._dir.visible_account_row(session, account_id, caller, account_id)
            self._check_may_update(caller, row, fields)
            stored_hash, kind, was_disabled = row.password_hash, row.kind, row.disabled
        new_hash = None
        if "password" in fields:
            if kind != USER:
                raise InvalidArgument("application credentials have no password", reason="NO_PASSWORD")
            passwords.check_password_shape(password)
            own = account_id == caller.account_id and not caller.system_admin
            if own and not passwords.verify_password(stored_hash, current_password):
                raise PermissionDenied("current_password is not correct", reason="CURRENT_PASSWORD_WRONG")
            new_hash = passwords.hash_password(password)
        disabling = bool(changes.get("disabled")) and not was_disabled
        with self._dir.db.write() as session:
            stored = session.get(AccountRow, account_id)
            if stored is None:
                raise account_not_found(account_id)
            if disabling:
                keep_a_system_admin(session, account_id)
            for field in fields - {"password"}:
                setattr(stored, field, bool(changes[field]) if field == "disabled" else str(changes[field]))
            if new_hash is not None:
                stored.password_hash = new_hash
            stored.updated_at = self._dir.now()
            session.flush()
            account = self._dir.account(session, stored)
        if disabling or new_hash is not None:
            # Whoever learnt the old password may hold tokens made with it.
            self._dir.revocations.revoke_account(account_id)
        return account

    @staticmethod
    def _check_may_update(caller: Caller, row: AccountRow, fields: set[str]) -> None:
        if caller.system_admin:
            return
        if row.id == caller.account_id and fields <= _SELF_UPDATABLE:
            return
        if (
            row.kind == APPLICATION_CREDENTIAL
            and row.project_id == caller.project_id
            and "admin" in caller.roles
            and fields <= _CREDENTIAL_UPDATABLE
        ):
            return
        raise PermissionDenied(
            f"you may not change {', '.join(sorted(fields))} of this account", reason="ACCOUNT_UPDATE_DENIED"
        )

    def delete(self, ref: str) -> None:
        validation.check_ref("account", ref)
        caller = current_caller()
        account_id = self._dir.resolve_account(ref, caller)
        with self._dir.db.write() as session:
            row = self._dir.visible_account_row(session, account_id, caller, ref)
            self._check_may_delete(caller, row)
            keep_a_system_admin(session, account_id)
            kind = row.kind
            session.execute(sa.delete(RoleAssignmentRow).where(RoleAssignmentRow.account_id == account_id))
            session.delete(row)
        self._dir.revocations.revoke_account(account_id)
        self._dir.names.forget(name_kind(kind), account_id)

    @staticmethod
    def _check_may_delete(caller: Caller, row: AccountRow) -> None:
        if caller.system_admin:
            return
        if row.kind == USER:
            raise PermissionDenied("deleting a user account needs a system admin", reason="SYSTEM_ADMIN_REQUIRED")
        if row.project_id == caller.project_id and (row.creator_id == caller.account_id or "admin" in caller.roles):
            return
        raise PermissionDenied(
            "only its creator or a project admin may delete an application credential",
            reason="ACCOUNT_DELETE_DENIED",
        )

    # -- helpers

    def _reserve(self, kind: str, project_id: str | None, name: str, object_id: str) -> NameReservation:
        try:
            return self._dir.names.reserve(kind, project_id, name, object_id=object_id)
        except AlreadyExists:
            what = "an account" if kind == ACCOUNT_KIND else "an application credential in this project"
            raise AlreadyExists(f"{what} named {name!r} already exists", reason="ACCOUNT_EXISTS") from None


def _check_changes(changes: Mapping[str, Any]) -> set[str]:
    fields = set(changes)
    if not fields:
        raise InvalidArgument("update_mask must name at least one field", reason="EMPTY_UPDATE_MASK")
    unknown = fields - UPDATABLE
    if unknown:
        raise InvalidArgument(
            f"cannot change {', '.join(sorted(unknown))}; changeable fields: {', '.join(sorted(UPDATABLE))}",
            reason="FIELD_NOT_UPDATABLE",
        )
    if "display_name" in changes:
        validation.check_text("display_name", str(changes["display_name"]), validation.MAX_DISPLAY_NAME)
    if "description" in changes:
        validation.check_text("description", str(changes["description"]), validation.MAX_DESCRIPTION)
    return fields


def _remove(account_id: str) -> Callable[[orm.Session], None]:
    def remove(session: orm.Session) -> None:
        session.execute(sa.delete(RoleAssignmentRow).where(RoleAssignmentRow.account_id == account_id))
        session.execute(sa.delete(AccountRow).where(AccountRow.id == account_id))

    return remove


def _new(row: AccountRow, name: str) -> Account:
    return to_account(row, name, False)
