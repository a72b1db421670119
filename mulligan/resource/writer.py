"""Write transactions and row locks that keep claims from over-committing.

SQLite serialises writers with ``BEGIN IMMEDIATE``; inside one process we
also queue writers on a mutex, because SQLite's busy handler makes waiting
writers sleep in growing steps instead of waking them when the lock frees.
PostgreSQL runs writers concurrently, so every change to a provider's
inventories or claims first locks that provider's row (``FOR UPDATE``, in id
order so two transactions never wait on each other in a cycle). Lock order
everywhere: consumer rows, then provider rows, then quota rows.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.db import Database
from mulligan.resource import models as m


class Writer:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.locks_rows = not database.is_sqlite
        self._gate = threading.RLock() if database.is_sqlite else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[orm.Session]:
        with self.serial(), self.database.write() as session:
            yield session

    @contextlib.contextmanager
    def serial(self) -> Iterator[None]:
        """Under SQLite, one writer of this process at a time (reentrant).

        SQLite takes one writer at a time anyway. Holding the gate over a
        search-then-claim keeps threads that would only wait for the write
        lock from competing for the interpreter meanwhile, and lets each
        claim see the one before it. Under PostgreSQL writers run
        concurrently and this does nothing.
        """
        if self._gate is None:
            yield
            return
        with self._gate:
            yield

    def lock_providers(self, session: orm.Session | sa.Connection, provider_ids: Iterable[int]) -> set[int] | None:
        """Lock provider rows in id order; return the ids that exist.

        Under SQLite the transaction already holds the database's write
        lock: nothing to lock, and None (existence is not re-checked).
        """
        if not self.locks_rows:
            return None
        ids = sorted(set(provider_ids))
        if not ids:
            return set()
        query = (
            sa.select(m.providers.c.id).where(m.providers.c.id.in_(ids)).order_by(m.providers.c.id).with_for_update()
        )
        return set(session.scalars(query))

    def lock_consumers(self, session: orm.Session, consumer_ids: Iterable[int]) -> None:
        ids = sorted(set(consumer_ids))
        if ids and self.locks_rows:
            session.execute(
                sa.select(m.consumers.c.id)
                .where(m.consumers.c.id.in_(ids))
                .order_by(m.consumers.c.id)
                .with_for_update()
            ).all()
