"""Turning a fresh installation into a working system.

On a start with no accounts, each daemon writes a one-time secret to
``<state dir>/bootstrap-secret`` (mode 0600) and stores its hash. Bootstrap,
given a valid secret, creates the first account (system admin), the admin
project (where that account is admin) and invalidates every secret. Only
one bootstrap can ever succeed: the single ``iam_bootstrap`` row is its
proof, and the database refuses a second one even under a race.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

import sqlalchemy as sa

from mulligan.errors import AlreadyExists, FailedPrecondition, InvalidArgument, Unauthenticated
from mulligan.iam import passwords, validation
from mulligan.iam.authentication import Authentication
from mulligan.iam.directory import ACCOUNT_KIND, PROJECT_KIND, Directory, to_account, to_project
from mulligan.iam.ids import new_id
from mulligan.iam.models import AccountRow, BootstrapRow, BootstrapSecretRow, ProjectRow, RoleAssignmentRow
from mulligan.iam.roles import SYSTEM_SCOPE
from mulligan.iam.types import USER, Bootstrapped
from mulligan.naming import NameReservation

log = logging.getLogger("mulligan.iam")

SECRET_FILE = "bootstrap-secret"  # noqa: S105 (a file name)


def already_bootstrapped() -> FailedPrecondition:
    return FailedPrecondition(
        "the system is already bootstrapped (or another bootstrap is running); nothing was changed",
        reason="ALREADY_BOOTSTRAPPED",
    )


class Bootstrap:
    def __init__(self, directory: Directory, authentication: Authentication, state_dir: Path) -> None:
        self._dir = directory
        self._auth = authentication
        self._secret_path = state_dir / SECRET_FILE

    def is_done(self) -> bool:
        with self._dir.db.read() as session:
            return (
                session.scalar(sa.select(BootstrapRow.id).limit(1)) is not None
                or session.scalar(sa.select(AccountRow.id).limit(1)) is not None
            )

    def prepare_secret(self) -> Path | None:
        """Write this daemon's secret file when bootstrap is still to do."""
        if self.is_done():
            self._remove_secret_file()
            return None
        secret = self._read_secret_file()
        if secret is None:
            secret = passwords.new_secret()
            self._write_secret_file(secret)
        secret_hash = passwords.hash_secret(secret)
        with contextlib.suppress(sa.exc.IntegrityError), self._dir.db.write() as session:
            if session.get(BootstrapSecretRow, secret_hash) is None:
                session.add(BootstrapSecretRow(secret_hash=secret_hash, created_at=self._dir.now()))
        log.warning(
            "not bootstrapped yet: run `mulligan bootstrap --state-dir %s` on this machine",
            self._secret_path.parent,
            extra={"bootstrap_secret_file": str(self._secret_path)},
        )
        return self._secret_path

    def run(self, secret: str, admin_name: str, admin_password: str, project_name: str) -> Bootstrapped:
        if self.is_done():
            raise already_bootstrapped()
        if not secret:
            raise InvalidArgument(
                "the bootstrap secret is required: it is in the daemon's state dir, file " + SECRET_FILE,
                reason="SECRET_REQUIRED",
            )
        validation.check_name("admin_name", admin_name)
        validation.check_name("project_name", project_name)
        passwords.check_password_shape(admin_password, "admin_password")
        with self._dir.db.read() as session:
            known = session.get(BootstrapSecretRow, passwords.hash_secret(secret)) is not None
        if not known:
            raise Unauthenticated("the bootstrap secret is not valid", reason="INVALID_BOOTSTRAP_SECRET")
        password_hash = passwords.hash_password(admin_password)
        account_id, project_id = new_id(), new_id()
        now = self._dir.now()
        account = AccountRow(
            id=account_id,
            kind=USER,
            password_hash=password_hash,
            secret_hash=None,
            project_id=None,
            creator_id=None,
            display_name="",
            description="the first system admin, created by bootstrap",
            disabled=False,
            expires_at=None,
            created_at=now,
            updated_at=now,
        )
        project = ProjectRow(id=project_id, description="the operators' project", created_at=now, updated_at=now)
        with (
            self._reserve(ACCOUNT_KIND, admin_name, account_id) as account_name,
            self._reserve(PROJECT_KIND, project_name, project_id) as project_name_held,
        ):
            try:
                with self._dir.db.write() as session:
                    # Inserted first: a concurrent bootstrap fails here.
                    session.add(BootstrapRow(id=1, account_id=account_id, project_id=project_id, completed_at=now))
                    session.flush()
                    session.add_all([account, project])
                    session.flush()
                    session.add_all(
                        [
                            RoleAssignmentRow(account_id=account_id, scope=SYSTEM_SCOPE, role="admin", created_at=now),
                            RoleAssignmentRow(account_id=account_id, scope=project_id, role="admin", created_at=now),
                        ]
                    )
            except sa.exc.IntegrityError:
                raise already_bootstrapped() from None
            try:
                project_name_held.confirm()
                account_name.confirm()
            except Exception:
                self._undo(account_id, project_id)
                raise
        with self._dir.db.write() as session:
            session.execute(sa.delete(BootstrapSecretRow))
        self._remove_secret_file()
        log.info("bootstrapped", extra={"account_id": account_id, "project_id": project_id})
        return Bootstrapped(
            account=to_account(account, admin_name, True),
            project=to_project(project, project_name),
            token=self._auth.token_for(account_id, project_id),
        )

    def _undo(self, account_id: str, project_id: str) -> None:
        with self._dir.db.write() as session:
            session.execute(sa.delete(RoleAssignmentRow).where(RoleAssignmentRow.account_id == account_id))
            session.execute(sa.delete(AccountRow).where(AccountRow.id == account_id))
            session.execute(sa.delete(ProjectRow).where(ProjectRow.id == project_id))
            session.execute(sa.delete(BootstrapRow))

    def _reserve(self, kind: str, name: str, object_id: str) -> NameReservation:
        try:
            return self._dir.names.reserve(kind, None, name, object_id=object_id)
        except AlreadyExists:
            # Before bootstrap nothing else creates accounts or projects:
            # the name is held by a racing bootstrap.
            raise already_bootstrapped() from None

    # -- the secret file

    def _read_secret_file(self) -> str | None:
        try:
            text = self._secret_path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text or None

    def _write_secret_file(self, secret: str) -> None:
        # mkstemp: mode 0600 from the start, and a name no other writer uses.
        descriptor, temporary = tempfile.mkstemp(dir=self._secret_path.parent, prefix=f".{SECRET_FILE}.")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(secret + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self._secret_path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def _remove_secret_file(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._secret_path.unlink()
