"""The iam module's domain types (what its Python API takes and returns)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

AccountKind = Literal["user", "application_credential"]
USER: AccountKind = "user"
APPLICATION_CREDENTIAL: AccountKind = "application_credential"


@dataclass(frozen=True)
class Account:
    id: str
    kind: AccountKind
    name: str
    display_name: str
    description: str
    disabled: bool
    created_at: datetime
    updated_at: datetime
    system_admin: bool = False
    # Application credentials only.
    project_id: str | None = None
    creator_id: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    implies: tuple[str, ...]


@dataclass(frozen=True)
class RoleAssignment:
    account_id: str
    # None for a system-wide assignment.
    project_id: str | None
    role: str
    created_at: datetime


@dataclass(frozen=True)
class SigningKeyInfo:
    key_id: str
    algorithm: str
    curve: str
    # Raw Ed25519 public key.
    public_key: bytes
    created_at: datetime
    retired_at: datetime | None
    verify_until: datetime | None

    @property
    def active(self) -> bool:
        return self.retired_at is None


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: str
    account_id: str
    project_id: str | None
    roles: frozenset[str]
    system_admin: bool
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class NewApplicationCredential:
    account: Account
    # Shown once; only its hash is stored.
    secret: str


@dataclass(frozen=True)
class Bootstrapped:
    account: Account
    project: Project
    token: IssuedToken


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    # Empty on the last page.
    next_page_token: str = ""
