"""Resource classes and traits: the standard sets plus ``CUSTOM_*`` codes."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from mulligan.resource import models as m
from mulligan.resource import standards
from mulligan.resource.types import ResourceClass, Trait


def _check_custom_code(code: str, what: str) -> None:
    if code in (standards.RESOURCE_CLASSES if what == "resource class" else standards.TRAITS):
        raise AlreadyExists(f"{code} is a standard {what}", reason="STANDARD_CODE")
    if not standards.is_custom(code):
        raise InvalidArgument(
            f"a custom {what} must match CUSTOM_[A-Z0-9_]+ (at most {standards.MAX_CODE} characters), "
            f"got {code[:64]!r}",
            reason="INVALID_CUSTOM_CODE",
        )


def check_classes(session: orm.Session, codes: Iterable[str]) -> None:
    """InvalidArgument naming the first resource class that does not exist."""
    custom = {code for code in codes if code not in standards.RESOURCE_CLASSES}
    if not custom:
        return
    known = set(session.scalars(sa.select(m.resource_classes.c.code).where(m.resource_classes.c.code.in_(custom))))
    for code in sorted(custom - known):
        raise InvalidArgument(
            f"unknown resource class {code[:64]!r}", reason="UNKNOWN_RESOURCE_CLASS", metadata={"class": code[:64]}
        )


def check_traits(session: orm.Session, codes: Iterable[str]) -> None:
    custom = {code for code in codes if code not in standards.TRAITS}
    if not custom:
        return
    known = set(session.scalars(sa.select(m.traits.c.code).where(m.traits.c.code.in_(custom))))
    for code in sorted(custom - known):
        raise InvalidArgument(f"unknown trait {code[:64]!r}", reason="UNKNOWN_TRAIT", metadata={"trait": code[:64]})


def create_class(session: orm.Session, code: str, now: int) -> ResourceClass:
    _check_custom_code(code, "resource class")
    if session.get(m.ResourceClassRow, code) is not None:
        raise AlreadyExists(f"resource class {code} already exists", reason="RESOURCE_CLASS_EXISTS")
    session.execute(sa.insert(m.resource_classes).values(code=code, created_at=now))
    return ResourceClass(code, standard=False)


def delete_class(session: orm.Session, code: str) -> None:
    if code in standards.RESOURCE_CLASSES:
        raise FailedPrecondition(f"{code} is a standard resource class", reason="STANDARD_CODE")
    if session.get(m.ResourceClassRow, code) is None:
        raise NotFound(f"resource class {code} not found", reason="RESOURCE_CLASS_NOT_FOUND")
    for table, what in ((m.inventories, "inventories"), (m.quotas, "quotas")):
        used = session.execute(sa.select(table.c.resource_class).where(table.c.resource_class == code).limit(1))
        if used.first() is not None:
            raise FailedPrecondition(f"resource class {code} is used by {what}", reason="RESOURCE_CLASS_IN_USE")
    session.execute(sa.delete(m.resource_classes).where(m.resource_classes.c.code == code))


def list_classes(session: orm.Session) -> list[ResourceClass]:
    custom = session.scalars(sa.select(m.resource_classes.c.code).order_by(m.resource_classes.c.code))
    items = [ResourceClass(code, True) for code in sorted(standards.RESOURCE_CLASSES)]
    return items + [ResourceClass(code, False) for code in custom]


def create_trait(session: orm.Session, code: str, now: int) -> Trait:
    _check_custom_code(code, "trait")
    if session.get(m.TraitRow, code) is not None:
        raise AlreadyExists(f"trait {code} already exists", reason="TRAIT_EXISTS")
    session.execute(sa.insert(m.traits).values(code=code, created_at=now))
    return Trait(code, standard=False)


def delete_trait(session: orm.Session, code: str) -> None:
    if code in standards.TRAITS:
        raise FailedPrecondition(f"{code} is a standard trait", reason="STANDARD_CODE")
    if session.get(m.TraitRow, code) is None:
        raise NotFound(f"trait {code} not found", reason="TRAIT_NOT_FOUND")
    used = session.execute(sa.select(m.provider_traits.c.trait).where(m.provider_traits.c.trait == code).limit(1))
    if used.first() is not None:
        raise FailedPrecondition(f"trait {code} is set on providers", reason="TRAIT_IN_USE")
    session.execute(sa.delete(m.traits).where(m.traits.c.code == code))


def list_traits(session: orm.Session, prefix: str = "") -> list[Trait]:
    query = sa.select(m.traits.c.code).order_by(m.traits.c.code)
    custom = [code for code in session.scalars(query) if code.startswith(prefix)]
    items = [Trait(code, True) for code in sorted(standards.TRAITS) if code.startswith(prefix)]
    return items + [Trait(code, False) for code in custom]
