"""The three roles and how they include one another."""

from __future__ import annotations

from collections.abc import Iterable

from mulligan.errors import InvalidArgument, NotFound
from mulligan.iam.types import Role

# Scope value of a system-wide role assignment in iam_role_assignments.
SYSTEM_SCOPE = "system"

ROLES: dict[str, Role] = {
    "admin": Role(
        "admin",
        "Manages a project: its members, roles and everything in it. System-wide: operates Mulligan.",
        ("member", "reader"),
    ),
    "member": Role("member", "Requests, claims and uses machines in a project.", ("reader",)),
    "reader": Role("reader", "Sees what is in a project, changes nothing.", ()),
}
# Strongest first.
ORDER = ("admin", "member", "reader")


def get_role(name: str) -> Role:
    try:
        return ROLES[name]
    except KeyError:
        raise NotFound(f"role {name!r} not found; roles are {', '.join(ORDER)}", reason="ROLE_NOT_FOUND") from None


def check_role(name: str) -> str:
    if name not in ROLES:
        raise InvalidArgument(
            f"unknown role {name!r}; roles are {', '.join(ORDER)}", reason="UNKNOWN_ROLE", metadata={"role": name[:32]}
        )
    return name


def expand(roles: Iterable[str]) -> frozenset[str]:
    """Each role with every role it includes."""
    expanded: set[str] = set()
    for role in roles:
        if role in ROLES:
            expanded.add(role)
            expanded.update(ROLES[role].implies)
    return frozenset(expanded)


def strongest(roles: Iterable[str]) -> str | None:
    held = set(roles)
    return next((role for role in ORDER if role in held), None)
