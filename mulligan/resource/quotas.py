"""Project quotas: the most of a class a project may hold at one instant.

Enforced when claiming (see :mod:`claims`). Lowering a quota below what a
project already holds releases nothing; it only stops new claims.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import InvalidArgument, NotFound
from mulligan.resource import models as m
from mulligan.resource.types import Quota

MAX_LIMIT = 2**53

q = m.quotas.c


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT:
        raise InvalidArgument(
            f"quota limit must be a whole number from 0 to 2^53, got {limit!r}", reason="INVALID_QUOTA"
        )
    return limit


def set_quota(session: orm.Session, project_id: str, resource_class: str, limit: int) -> Quota:
    updated = session.execute(
        sa.update(m.quotas)
        .where(q.project_id == project_id, q.resource_class == resource_class)
        .values(limit_amount=limit)
    )
    if not updated.rowcount:  # type: ignore[attr-defined]
        session.execute(
            sa.insert(m.quotas).values(project_id=project_id, resource_class=resource_class, limit_amount=limit)
        )
    return Quota(project_id, resource_class, limit)


def delete_quota(session: orm.Session, project_id: str, resource_class: str) -> None:
    deleted = session.execute(sa.delete(m.quotas).where(q.project_id == project_id, q.resource_class == resource_class))
    if not deleted.rowcount:  # type: ignore[attr-defined]
        raise NotFound(f"project {project_id} has no {resource_class} quota", reason="QUOTA_NOT_FOUND")


def list_quotas(session: orm.Session, project_id: str | None) -> list[Quota]:
    query = sa.select(q.project_id, q.resource_class, q.limit_amount).order_by(q.project_id, q.resource_class)
    if project_id is not None:
        query = query.where(q.project_id == project_id)
    return [Quota(row.project_id, row.resource_class, row.limit_amount) for row in session.execute(query)]
