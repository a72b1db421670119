"""Checks that keep the system manageable."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import FailedPrecondition
from mulligan.iam.models import AccountRow, RoleAssignmentRow
from mulligan.iam.roles import SYSTEM_SCOPE


def keep_a_system_admin(session: orm.Session, losing: str) -> None:
    """FailedPrecondition when account ``losing`` is the last enabled system admin.

    The admin rows are locked (PostgreSQL) so that two concurrent removals
    of the last two admins cannot both pass; SQLite writers are serial.
    """
    admins = set(
        session.scalars(
            sa.select(RoleAssignmentRow.account_id)
            .join(AccountRow, AccountRow.id == RoleAssignmentRow.account_id)
            .where(
                RoleAssignmentRow.scope == SYSTEM_SCOPE,
                RoleAssignmentRow.role == "admin",
                AccountRow.disabled.is_(False),
            )
            .with_for_update()
        )
    )
    if losing in admins and len(admins) == 1:
        raise FailedPrecondition(
            "this is the last enabled system admin: make another account system admin first",
            reason="LAST_SYSTEM_ADMIN",
        )
