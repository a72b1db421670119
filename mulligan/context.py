"""Who is calling: set once per RPC by the authentication interceptor and
read by any module's service code, which must not depend on iam."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field

ROLES = ("reader", "member", "admin")


@dataclass(frozen=True)
class Caller:
    account_id: str
    # The project the token is scoped to; None for a system-scoped token.
    project_id: str | None = None
    # Roles held in project_id, expanded (admin implies member implies reader).
    roles: frozenset[str] = field(default_factory=frozenset)
    system_admin: bool = False
    token_id: str = ""

    def has_role(self, role: str) -> bool:
        return self.system_admin or role in self.roles


# Requests that run outside any RPC (the daemon's own jobs) act as the system.
SYSTEM = Caller(account_id="system", system_admin=True)

_current: contextvars.ContextVar[Caller] = contextvars.ContextVar("mulligan_caller", default=SYSTEM)
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("mulligan_request_id", default="")


def current_caller() -> Caller:
    return _current.get()


def set_caller(caller: Caller) -> contextvars.Token[Caller]:
    return _current.set(caller)


def reset_caller(token: contextvars.Token[Caller]) -> None:
    _current.reset(token)


def request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
