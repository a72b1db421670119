"""The iam module's Python API: one object wiring its parts together.

Every method acts as :func:`mulligan.context.current_caller` and checks
what that caller may do, so the API is safe to call in-process as well as
through the gRPC adapter (where the policy table has already let the call
in).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mulligan import pages, runtime
from mulligan.config import Config
from mulligan.context import current_caller
from mulligan.db import Database
from mulligan.errors import PermissionDenied, StartupError
from mulligan.files import read_private
from mulligan.iam import roles as role_defs
from mulligan.iam.accounts import Accounts, require_system_admin
from mulligan.iam.assignments import Assignments
from mulligan.iam.authentication import Authentication
from mulligan.iam.authorizer import Authorizer
from mulligan.iam.bootstrap import Bootstrap
from mulligan.iam.directory import Directory
from mulligan.iam.feed import PrefixFeed
from mulligan.iam.keys import PREFIX as KEYS_PREFIX
from mulligan.iam.keys import KeyRing, jwk
from mulligan.iam.projects import Projects
from mulligan.iam.revocations import PREFIX as REVOKED_PREFIX
from mulligan.iam.revocations import Revocations
from mulligan.iam.throttle import LoginThrottle
from mulligan.iam.tokens import TokenIssuer, TokenVerifier
from mulligan.iam.types import (
    Account,
    AccountKind,
    Bootstrapped,
    IssuedToken,
    NewApplicationCredential,
    Page,
    Project,
    Role,
    RoleAssignment,
    SigningKeyInfo,
)
from mulligan.kv import Event, KeyValue, KeyValueStore
from mulligan.naming import NameRegistry
from mulligan.text import checks_text

FEED_PREFIX = "iam/"
# A passphrase shorter than this protects little; a random one is best.
MIN_PASSPHRASE_BYTES = 16


@checks_text
class IamService:
    def __init__(
        self,
        config: Config,
        database: Database,
        kv: KeyValueStore,
        names: NameRegistry,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        ttl = config.token_ttl_s
        self.revocations = Revocations(kv, max_token_ttl_s=ttl, clock=clock)
        self.revocations.record_token_ttl()
        passphrase = _passphrase(config.signing_key_passphrase_file)
        self.keys = KeyRing(database, kv, max_token_ttl_s=ttl, clock=clock, passphrase=passphrase)
        self.verifier = TokenVerifier(self.keys, self.revocations, clock=clock)
        self._directory = Directory(database, names, self.revocations, clock)
        self._accounts = Accounts(self._directory)
        self._projects = Projects(self._directory)
        self._assignments = Assignments(self._directory)
        self._auth = Authentication(self._directory, TokenIssuer(self.keys, ttl_s=ttl, clock=clock), LoginThrottle(kv))
        self._bootstrap = Bootstrap(self._directory, self._auth, Path(config.state_dir))
        self.keys.ensure_active_key()
        self._feed = PrefixFeed(
            kv, FEED_PREFIX, on_snapshot=self._on_snapshot, on_event=self._on_event, name="mulligan-iam-watch"
        )
        self.bootstrap_secret_path = self._bootstrap.prepare_secret()

    def authorizer(self) -> Authorizer:
        """What the RPC interceptor asks who calls and whether they may."""
        return Authorizer(self.verifier)

    def close(self) -> None:
        self._feed.close()

    # -- the watch

    def _on_snapshot(self, items: Iterable[KeyValue]) -> None:
        self.revocations.load([item for item in items if item.key.startswith(REVOKED_PREFIX)])
        self.keys.reload()

    def _on_event(self, event: Event) -> None:
        if event.kv.key.startswith(REVOKED_PREFIX):
            self.revocations.on_event(event)
        elif event.kv.key.startswith(KEYS_PREFIX):
            self.keys.reload()

    # -- settings

    def configure(self, *, log_level: str | None = None) -> str:
        """Change runtime settings; return the log level in force."""
        return runtime.log_level("iam", log_level)

    # -- bootstrap and sign-in

    def bootstrap(self, secret: str, admin_name: str, admin_password: str, project_name: str) -> Bootstrapped:
        return self._bootstrap.run(secret, admin_name, admin_password, project_name)

    def authenticate_password(self, account: str, password: str, *, project: str = "") -> IssuedToken:
        return self._auth.with_password(account, password, project=project)

    def authenticate_application_credential(self, credential_id: str, secret: str) -> IssuedToken:
        return self._auth.with_application_credential(credential_id, secret)

    # -- accounts

    def get_account(self, ref: str) -> Account:
        return self._accounts.get(ref)

    def list_accounts(
        self, *, page_size: int = 0, page_token: str = "", project: str = "", kind: AccountKind | None = None
    ) -> Page[Account]:
        return self._accounts.list(page_size=page_size, page_token=page_token, project=project, kind=kind)

    def create_account(self, name: str, password: str, *, display_name: str = "", description: str = "") -> Account:
        return self._accounts.create_user(name, password, display_name=display_name, description=description)

    def create_application_credential(
        self,
        name: str,
        *,
        description: str = "",
        project: str = "",
        roles: Iterable[str] = (),
        expires_at: datetime | None = None,
    ) -> NewApplicationCredential:
        return self._accounts.create_application_credential(
            name, description=description, project=project, roles=roles, expires_at=expires_at
        )

    def update_account(
        self, account_id: str, changes: Mapping[str, Any], *, password: str = "", current_password: str = ""
    ) -> Account:
        return self._accounts.update(account_id, changes, password=password, current_password=current_password)

    def delete_account(self, ref: str) -> None:
        self._accounts.delete(ref)

    def visible_accounts(self, account_ids: Sequence[str]) -> set[str]:
        """Which of these accounts the caller may see, as GetAccount decides."""
        return self._directory.visible_account_ids(account_ids, current_caller())

    # -- projects

    def visible_projects(self, project_ids: Sequence[str]) -> set[str]:
        """Which of these projects the caller may see, as GetProject decides."""
        return self._directory.visible_project_ids(project_ids, current_caller())

    def get_project(self, ref: str) -> Project:
        return self._projects.get(ref)

    def list_projects(self, *, page_size: int = 0, page_token: str = "") -> Page[Project]:
        return self._projects.list(page_size=page_size, page_token=page_token)

    def create_project(self, name: str, *, description: str = "") -> Project:
        return self._projects.create(name, description=description)

    def update_project(self, project_id: str, changes: Mapping[str, Any]) -> Project:
        return self._projects.update(project_id, changes)

    def delete_project(self, ref: str) -> None:
        self._projects.delete(ref)

    # -- roles

    def get_role(self, name: str) -> Role:
        return role_defs.get_role(name)

    def list_roles(self, *, page_size: int = 0, page_token: str = "") -> pages.Page[Role]:
        roles = [role_defs.ROLES[name] for name in role_defs.ORDER]
        return pages.page_of(
            "roles", roles, lambda role: (role_defs.ORDER.index(role.name),), page_size=page_size, page_token=page_token
        )

    def list_role_assignments(
        self, *, page_size: int = 0, page_token: str = "", account: str = "", project: str = ""
    ) -> Page[RoleAssignment]:
        return self._assignments.list(page_size=page_size, page_token=page_token, account=account, project=project)

    def create_role_assignment(
        self, account: str, role: str, *, project: str = "", system_scope: bool = False
    ) -> RoleAssignment:
        return self._assignments.create(account, role, project=project, system_scope=system_scope)

    def delete_role_assignment(self, account: str, role: str, *, project: str = "", system_scope: bool = False) -> None:
        self._assignments.delete(account, role, project=project, system_scope=system_scope)

    # -- keys and revocation

    def rotate_signing_key(self) -> SigningKeyInfo:
        require_system_admin(current_caller(), "rotating the signing key")
        return self.keys.rotate()

    def list_signing_keys(self, *, page_size: int = 0, page_token: str = "") -> pages.Page[SigningKeyInfo]:
        """Newest first, as the key ring holds them."""
        return pages.page_of(
            "signing_keys",
            self.keys.infos(),
            lambda info: (-pages.instant(info.created_at), info.key_id),
            page_size=page_size,
            page_token=page_token,
        )

    @staticmethod
    def jwks(keys: Iterable[SigningKeyInfo]) -> dict[str, list[dict[str, str]]]:
        return {"keys": [jwk(info) for info in keys]}

    def revoke_token(self, token: str = "") -> str:
        """Revoke a token (default: the caller's own); return its id."""
        caller = current_caller()
        if not token:
            if not caller.token_id:
                raise PermissionDenied("this call carries no token to revoke", reason="NO_TOKEN")
            # The caller's token cannot outlive the longest token lifetime.
            self.revocations.revoke_token_of_unknown_expiry(caller.token_id)
            return caller.token_id
        verified = self.verifier.check_signature(token)
        if verified.caller.account_id != caller.account_id and not caller.system_admin:
            raise PermissionDenied("you may revoke only your own tokens", reason="TOKEN_NOT_OWNED")
        self.revocations.revoke_token(verified.caller.token_id, verified.expires_at)
        return verified.caller.token_id

    def revoke_account_tokens(self, account: str = "") -> datetime:
        caller = current_caller()
        account_id = caller.account_id
        if account:
            account_id = self._accounts.get(account).id
            if account_id != caller.account_id and not caller.system_admin:
                raise PermissionDenied(
                    "revoking another account's tokens needs a system admin", reason="SYSTEM_ADMIN_REQUIRED"
                )
        return datetime.fromtimestamp(self.revocations.revoke_account(account_id), UTC)


def _passphrase(path: Path | None) -> bytes | None:
    """The first line of the passphrase file (None without one)."""
    if path is None:
        return None
    lines = read_private(path, "signing_key_passphrase_file").splitlines()
    passphrase = lines[0].strip() if lines else b""
    if len(passphrase) < MIN_PASSPHRASE_BYTES:
        raise StartupError(
            f"signing_key_passphrase_file {path}: the passphrase (its first line) must have at least "
            f"{MIN_PASSPHRASE_BYTES} characters"
        )
    return passphrase
