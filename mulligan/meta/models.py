"""Tables of the meta module, as typed SQLAlchemy models."""

from sqlalchemy import orm


class Base(orm.DeclarativeBase):
    pass
