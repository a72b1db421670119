"""Exchanging credentials for tokens.

A failed sign-in says only "invalid credentials", takes as long whether or
not the account exists (an unknown account is checked against a dummy
hash), and counts towards the name's throttle.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from mulligan.iam import passwords, validation
from mulligan.iam.directory import Directory
from mulligan.iam.ids import is_uuid
from mulligan.iam.models import AccountRow, ProjectRow, RoleAssignmentRow
from mulligan.iam.roles import SYSTEM_SCOPE
from mulligan.iam.throttle import LoginThrottle
from mulligan.iam.tokens import TokenIssuer
from mulligan.iam.types import APPLICATION_CREDENTIAL, USER, IssuedToken


def _invalid() -> Unauthenticated:
    return Unauthenticated("invalid credentials: unknown account or wrong password", reason="INVALID_CREDENTIALS")


def held_roles(session: orm.Session, account_id: str, scope: str) -> frozenset[str]:
    return frozenset(
        session.scalars(
            sa.select(RoleAssignmentRow.role).where(
                RoleAssignmentRow.account_id == account_id, RoleAssignmentRow.scope == scope
            )
        )
    )


class Authentication:
    def __init__(self, directory: Directory, issuer: TokenIssuer, throttle: LoginThrottle) -> None:
        self._dir = directory
        self._issuer = issuer
        self._throttle = throttle

    def with_password(self, account: str, password: str, *, project: str = "") -> IssuedToken:
        if not account:
            raise InvalidArgument("account is required", reason="ACCOUNT_REQUIRED")
        if not password:
            raise InvalidArgument("password is required", reason="PASSWORD_REQUIRED")
        if len(account) > validation.MAX_REF or not account.isprintable():
            raise _invalid()
        if project:
            validation.check_ref("project", project)
        self._throttle.check(account)
        row = self._user_row(account)
        if not passwords.verify_password(row.password_hash if row else None, password):
            self._throttle.failed(account)
            raise _invalid()
        assert row is not None
        self._throttle.succeeded(account)
        if row.disabled:
            raise Unauthenticated("the account is disabled", reason="ACCOUNT_DISABLED")
        if passwords.needs_rehash(row.password_hash):
            self._rehash(row.id, password)
        with self._dir.db.read() as session:
            system_admin = "admin" in held_roles(session, row.id, SYSTEM_SCOPE)
            project_id, roles = None, frozenset[str]()
            if project:
                project_id, roles = self._project_roles(session, row.id, project, system_admin)
        return self._issuer.issue(
            account_id=row.id, kind=USER, project_id=project_id, roles=roles, system_admin=system_admin
        )

    def with_application_credential(self, credential_id: str, secret: str) -> IssuedToken:
        if not credential_id:
            raise InvalidArgument("the application credential id is required", reason="ACCOUNT_REQUIRED")
        if not secret:
            raise InvalidArgument("the application credential secret is required", reason="SECRET_REQUIRED")
        row = self._row(credential_id, APPLICATION_CREDENTIAL) if is_uuid(credential_id) else None
        # Secrets are 256 random bits: no throttle needed, and no hash cost to hide.
        if not passwords.secret_matches(row.secret_hash if row else None, secret):
            raise _invalid()
        assert row is not None and row.project_id is not None
        if row.disabled:
            raise Unauthenticated("the application credential is disabled", reason="ACCOUNT_DISABLED")
        if row.expires_at is not None and row.expires_at.timestamp() <= self._dir.clock():
            raise Unauthenticated("the application credential has expired", reason="CREDENTIAL_EXPIRED")
        with self._dir.db.read() as session:
            roles = held_roles(session, row.id, row.project_id)
        if not roles:
            raise PermissionDenied("the application credential holds no role any more", reason="NO_ROLE_IN_PROJECT")
        return self._issuer.issue(
            account_id=row.id,
            kind=APPLICATION_CREDENTIAL,
            project_id=row.project_id,
            roles=roles,
            system_admin=False,
            not_after=row.expires_at,
        )

    def token_for(self, account_id: str, project_id: str) -> IssuedToken:
        """A token for an account just created (bootstrap)."""
        with self._dir.db.read() as session:
            system_admin = "admin" in held_roles(session, account_id, SYSTEM_SCOPE)
            roles = held_roles(session, account_id, project_id)
        return self._issuer.issue(
            account_id=account_id, kind=USER, project_id=project_id, roles=roles, system_admin=system_admin
        )

    def _user_row(self, ref: str) -> AccountRow | None:
        try:
            account_id = ref if is_uuid(ref) else self._dir.names.resolve("account", None, ref)
        except (NotFound, InvalidArgument):
            return None
        return self._row(account_id, USER)

    def _row(self, account_id: str, kind: str) -> AccountRow | None:
        with self._dir.db.read() as session:
            row = session.get(AccountRow, account_id)
            if row is None or row.kind != kind:
                return None
            # Detached before the read session ends, so its attributes stay loaded.
            session.expunge(row)
            return row

    def _project_roles(
        self, session: orm.Session, account_id: str, project: str, system_admin: bool
    ) -> tuple[str, frozenset[str]]:
        refused = PermissionDenied(
            f"the account holds no role in project {project[:80]!r}", reason="NO_ROLE_IN_PROJECT"
        )
        try:
            project_id = self._dir.resolve_project(project)
        except NotFound:
            raise refused from None
        roles = held_roles(session, account_id, project_id)
        if not roles and not (system_admin and self._project_exists(session, project_id)):
            raise refused
        return project_id, roles

    @staticmethod
    def _project_exists(session: orm.Session, project_id: str) -> bool:
        return session.get(ProjectRow, project_id) is not None

    def _rehash(self, account_id: str, password: str) -> None:
        new_hash = passwords.hash_password(password)
        with self._dir.db.write() as session:
            session.execute(sa.update(AccountRow).where(AccountRow.id == account_id).values(password_hash=new_hash))
