"""The embedded key/value store, kept in the relational database.

It behaves like etcd where the interface can tell: one store-wide revision
(a put, an effective delete, a writing txn and each lease expiry take one),
create/mod revisions and versions per key, leases whose expiry deletes their
keys, and watches that replay a change log from a revision.

Concurrency: every write transaction first locks the single ``kv_revision``
row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite ``BEGIN IMMEDIATE``
already serializes writers), so writes are applied one revision at a time
even by several daemons sharing the database. Inside a process writers also
queue on a lock first, which spares SQLite's busy-wait backoff.

Change log retention (compaction): a log entry is kept while it is among the
last ``log_retention_revisions`` revisions *or* younger than
``log_retention_seconds``; the housekeeping thread drops the rest every
``compact_interval`` seconds. A watch that needs a dropped entry fails with
:class:`~mulligan.kv.types.Compacted`.

Lease deadlines use each daemon's wall clock: daemons sharing a database
must keep their clocks in sync (NTP), as any fleet does.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import logging
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa

from mulligan.db import Database
from mulligan.errors import InvalidArgument, NotFound, StartupError, Unavailable
from mulligan.kv.types import (
    Compacted,
    Compare,
    Event,
    EventType,
    KeyValue,
    Lease,
    Op,
    TxnResult,
    Watch,
    prefix_end,
)

log = logging.getLogger("mulligan.kv")

T = TypeVar("T")

# Today's shape of the tables that mulligan.kv.migrations creates.
_metadata = sa.MetaData()
kv_revision = sa.Table(
    "kv_revision",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("revision", sa.BigInteger, nullable=False),
    sa.Column("compact_revision", sa.BigInteger, nullable=False),
)
kv_keys = sa.Table(
    "kv_keys",
    _metadata,
    sa.Column("key", sa.LargeBinary, primary_key=True),
    sa.Column("value", sa.LargeBinary, nullable=False),
    sa.Column("create_revision", sa.BigInteger, nullable=False),
    sa.Column("mod_revision", sa.BigInteger, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("lease", sa.BigInteger, nullable=False),
)
kv_log = sa.Table(
    "kv_log",
    _metadata,
    sa.Column("revision", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("key", sa.LargeBinary, nullable=False),
    sa.Column("event", sa.String(6), nullable=False),
    sa.Column("value", sa.LargeBinary, nullable=False),
    sa.Column("create_revision", sa.BigInteger, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("lease", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
)
kv_leases = sa.Table(
    "kv_leases",
    _metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("ttl", sa.Integer, nullable=False),
    sa.Column("expires_at", sa.Double, nullable=False),
)

# A cursor (revision, seq) with this seq stands after every entry of its revision.
_WHOLE_REVISION = 2**31 - 1
_WATCH_BATCH = 500


def _encode_key(key: str) -> bytes:
    if not key:
        raise InvalidArgument("a key must not be empty")
    return key.encode("utf-8")


def _in_prefix(column: sa.ColumnElement[bytes], prefix: str) -> sa.ColumnElement[bool]:
    start = prefix.encode("utf-8")
    end = prefix_end(start)
    # Comparisons rather than LIKE: bytewise like etcd, and "%" or "_" in a
    # prefix mean nothing special.
    bounds = [column >= start] if start else []
    if end:
        bounds.append(column < end)
    return sa.and_(sa.true(), *bounds)


# Statements built once: the hot paths run them thousands of times a second.
_SELECT_REVISION = sa.select(kv_revision.c.revision).where(kv_revision.c.id == 1)
_LOCK_REVISION = _SELECT_REVISION.with_for_update()
_SELECT_COMPACT_REVISION = sa.select(kv_revision.c.compact_revision).where(kv_revision.c.id == 1)
_SET_REVISION = kv_revision.update().where(kv_revision.c.id == 1).values(revision=sa.bindparam("new_revision"))
_SELECT_KEYS = sa.select(kv_keys).where(kv_keys.c.key.in_(sa.bindparam("keys", expanding=True)))
_INSERT_KEY = kv_keys.insert()
_UPDATE_KEY = (
    kv_keys.update()
    .where(kv_keys.c.key == sa.bindparam("old_key"))
    .values(
        value=sa.bindparam("new_value"),
        mod_revision=sa.bindparam("new_mod_revision"),
        version=sa.bindparam("new_version"),
        lease=sa.bindparam("new_lease"),
    )
)
_INSERT_LOG = kv_log.insert()
_LEASE_EXISTS = sa.select(kv_leases.c.id).where(kv_leases.c.id == sa.bindparam("lease"))
_EXPIRED_LEASES = (
    sa.select(kv_leases.c.id).where(kv_leases.c.expires_at <= sa.bindparam("now")).order_by(kv_leases.c.expires_at)
)
_ANY_LEASE_DUE = sa.select(kv_leases.c.id).where(kv_leases.c.expires_at <= sa.bindparam("now")).limit(1)


@functools.lru_cache(maxsize=256)
def _log_after(prefix: str) -> sa.Select[Any]:
    """The next batch of log entries under prefix, one statement per prefix watched."""
    revision = sa.bindparam("after_revision", type_=sa.BigInteger)
    seq = sa.bindparam("after_seq", type_=sa.Integer)
    return (
        sa.select(kv_log)
        .where(
            sa.or_(kv_log.c.revision > revision, sa.and_(kv_log.c.revision == revision, kv_log.c.seq > seq)),
            kv_log.c.revision <= sa.bindparam("up_to"),
            _in_prefix(kv_log.c.key, prefix),
        )
        .order_by(kv_log.c.revision, kv_log.c.seq)
        .limit(_WATCH_BATCH)
    )


def _key_value(row: sa.Row[Any]) -> KeyValue:
    return KeyValue(
        key=row.key.decode("utf-8"),
        value=bytes(row.value),
        create_revision=row.create_revision,
        mod_revision=row.mod_revision,
        version=row.version,
        lease=row.lease,
    )


def _holds(compare: Compare, current: KeyValue | None) -> bool:
    actual: bytes | int
    if compare.target == "value":
        if current is None:
            # As in etcd: a missing key has no value to compare, whatever the operator.
            return False
        actual = current.value
    elif compare.target == "version":
        actual = current.version if current else 0
    elif compare.target == "create_revision":
        actual = current.create_revision if current else 0
    else:
        actual = current.mod_revision if current else 0
    operand: Any = compare.operand
    if compare.op == "==":
        return bool(actual == operand)
    if compare.op == "!=":
        return bool(actual != operand)
    if compare.op == "<":
        return bool(actual < operand)
    return bool(actual > operand)


def _check_compares(compares: Sequence[Compare]) -> None:
    for compare in compares:
        _encode_key(compare.key)
        if compare.op not in ("==", "!=", "<", ">"):
            raise InvalidArgument(f"unknown compare operator {compare.op!r}")
        if compare.target == "value":
            if not isinstance(compare.operand, bytes):
                raise InvalidArgument(f"compare on the value of {compare.key!r} needs a bytes operand")
        elif compare.target in ("version", "create_revision", "mod_revision"):
            if isinstance(compare.operand, bytes | bool) or not isinstance(compare.operand, int):
                raise InvalidArgument(f"compare on the {compare.target} of {compare.key!r} needs an int")
        else:
            raise InvalidArgument(f"unknown compare target {compare.target!r}")


def _check_ops(ops: Sequence[Op]) -> None:
    written: set[str] = set()
    for op in ops:
        _encode_key(op.key)
        if op.kind not in ("put", "delete", "get"):
            raise InvalidArgument(f"unknown txn operation {op.kind!r}")
        if op.kind != "get":
            # etcd refuses this too; the result would depend on op order.
            if op.key in written:
                raise InvalidArgument(f"key {op.key!r} is written twice in one txn branch")
            written.add(op.key)


class _Writer:
    """One write transaction, holding the revision lock.

    Changes are grouped in steps; each step that changes something takes the
    next revision (a txn is one step; each expired lease is one step).

    Keys read are remembered and puts are buffered, then written with one
    statement per table: a txn over a few keys costs a handful of statements
    however many compares and ops it has.
    """

    def __init__(self, connection: sa.Connection, revision: int, now: float) -> None:
        self.connection = connection
        self.revision = revision
        self.now = now
        self.changed = False
        self._seq = 0
        # Keys this transaction wrote, so that local watches of other
        # prefixes need not re-read the log when it commits.
        self.keys: set[bytes] = set()
        # What each key holds as this transaction sees it (None: absent).
        self._current: dict[bytes, KeyValue | None] = {}
        self._live_leases: set[int] = set()
        self._new_keys: dict[bytes, KeyValue] = {}
        self._changed_keys: dict[bytes, KeyValue] = {}
        self._log_rows: list[dict[str, Any]] = []

    def finish_step(self) -> None:
        self._flush()
        if self._seq:
            self.revision += 1
            self._seq = 0
            self.changed = True

    def load(self, keys: Iterable[str]) -> None:
        """Read the keys not yet known to this transaction, in one statement."""
        wanted = {_encode_key(key) for key in keys} - self._current.keys()
        if not wanted:
            return
        found = {row.key: _key_value(row) for row in self.connection.execute(_SELECT_KEYS, {"keys": list(wanted)})}
        for key in wanted:
            self._current[key] = found.get(key)

    def get(self, key: str) -> KeyValue | None:
        self.load((key,))
        return self._current[_encode_key(key)]

    def put(self, key: str, value: bytes, lease: int) -> None:
        if lease and lease not in self._live_leases:
            if self.connection.execute(_LEASE_EXISTS, {"lease": lease}).first() is None:
                raise NotFound(f"lease {lease} not found: it expired or was revoked", reason="KV_LEASE_NOT_FOUND")
            self._live_leases.add(lease)
        encoded = _encode_key(key)
        revision = self.revision + 1
        current = self.get(key)
        if current is None:
            create_revision, version = revision, 1
        else:
            create_revision, version = current.create_revision, current.version + 1
        written = KeyValue(key, value, create_revision, revision, version, lease)
        self._current[encoded] = written
        if encoded in self._new_keys or current is None:
            self._new_keys[encoded] = written
        else:
            self._changed_keys[encoded] = written
        self._log([(encoded, EventType.PUT, value, create_revision, version, lease)])

    def delete(self, where: sa.ColumnElement[bool]) -> int:
        self._flush()
        keys = list(self.connection.scalars(sa.select(kv_keys.c.key).where(where).order_by(kv_keys.c.key)))
        if keys:
            self.connection.execute(kv_keys.delete().where(where))
            self._log([(key, EventType.DELETE, b"", 0, 0, 0) for key in keys])
            self._current.update(dict.fromkeys(keys))
        return len(keys)

    def revoke(self, lease: int) -> bool:
        self.delete(kv_keys.c.lease == lease)
        found = self.connection.execute(kv_leases.delete().where(kv_leases.c.id == lease)).rowcount > 0
        self._live_leases.discard(lease)
        self.finish_step()
        return found

    def reap_expired(self) -> None:
        for lease in self.connection.scalars(_EXPIRED_LEASES, {"now": self.now}).all():
            self.revoke(lease)

    def _log(self, changes: list[tuple[bytes, EventType, bytes, int, int, int]]) -> None:
        self.keys.update(change[0] for change in changes)
        revision = self.revision + 1
        self._log_rows.extend(
            {
                "revision": revision,
                "seq": self._seq + index,
                "key": key,
                "event": event.value,
                "value": value,
                "create_revision": create_revision,
                "version": version,
                "lease": lease,
                "created_at": self.now,
            }
            for index, (key, event, value, create_revision, version, lease) in enumerate(changes)
        )
        self._seq += len(changes)

    def _flush(self) -> None:
        """Write the buffered puts and log entries."""
        if self._new_keys:
            self.connection.execute(
                _INSERT_KEY,
                [
                    {
                        "key": key,
                        "value": kv.value,
                        "create_revision": kv.create_revision,
                        "mod_revision": kv.mod_revision,
                        "version": kv.version,
                        "lease": kv.lease,
                    }
                    for key, kv in self._new_keys.items()
                ],
            )
            self._new_keys.clear()
        if self._changed_keys:
            self.connection.execute(
                _UPDATE_KEY,
                [
                    {
                        "old_key": key,
                        "new_value": kv.value,
                        "new_mod_revision": kv.mod_revision,
                        "new_version": kv.version,
                        "new_lease": kv.lease,
                    }
                    for key, kv in self._changed_keys.items()
                ],
            )
            self._changed_keys.clear()
        if self._log_rows:
            self.connection.execute(_INSERT_LOG, self._log_rows)
            self._log_rows = []


class EmbeddedStore:
    """A :class:`~mulligan.kv.types.KeyValueStore` in the ``kv_*`` tables.

    The tables must exist: apply :data:`mulligan.kv.migrations.MIGRATIONS`
    first. The store does not own the database; ``close()`` leaves it open.
    """

    def __init__(
        self,
        database: Database,
        *,
        poll_interval: float = 0.25,
        reap_interval: float = 0.5,
        compact_interval: float = 60.0,
        log_retention_revisions: int = 10_000,
        log_retention_seconds: float = 600.0,
    ) -> None:
        self._db = database
        self._poll_interval = poll_interval
        self._reap_interval = reap_interval
        self._compact_interval = compact_interval
        self._retention_revisions = log_retention_revisions
        self._retention_seconds = log_retention_seconds
        self._check_tables()
        self._write_lock = threading.Lock()
        # Watches of this process wait on it; every local commit bumps _commits.
        self._changed = threading.Condition()
        self._commits = 0
        self._recent_commits: collections.deque[tuple[int, frozenset[bytes] | None]] = collections.deque(maxlen=1024)
        self._watches: weakref.WeakSet[_EmbeddedWatch] = weakref.WeakSet()
        self._closed = threading.Event()
        # How many times the retention policy ran; lets tests wait for it.
        self.compaction_rounds = 0
        self._housekeeper = threading.Thread(target=self._housekeeping, name="mulligan-kv-housekeeping", daemon=True)
        self._housekeeper.start()

    # -- reads

    def get(self, key: str) -> KeyValue | None:
        encoded = _encode_key(key)

        def read(connection: sa.Connection) -> KeyValue | None:
            row = connection.execute(sa.select(kv_keys).where(kv_keys.c.key == encoded)).first()
            return None if row is None else _key_value(row)

        return self._read(read)

    def range(self, prefix: str, *, limit: int = 0) -> list[KeyValue]:
        if limit < 0:
            raise InvalidArgument("limit must not be negative")
        query = sa.select(kv_keys).where(_in_prefix(kv_keys.c.key, prefix)).order_by(kv_keys.c.key)
        if limit:
            query = query.limit(limit)
        return self._read(lambda connection: [_key_value(row) for row in connection.execute(query)])

    def revision(self) -> int:
        return self._read(self._current_revision)

    # -- writes

    def put(self, key: str, value: bytes, *, lease: int = 0) -> int:
        _encode_key(key)
        with self._writing() as writer:
            writer.put(key, value, lease)
            writer.finish_step()
        return writer.revision

    def delete(self, key: str) -> bool:
        encoded = _encode_key(key)
        with self._writing() as writer:
            deleted = writer.delete(kv_keys.c.key == encoded)
        return deleted > 0

    def delete_prefix(self, prefix: str) -> int:
        with self._writing() as writer:
            return writer.delete(_in_prefix(kv_keys.c.key, prefix))

    def txn(self, compare: Sequence[Compare], success: Sequence[Op], failure: Sequence[Op] = ()) -> TxnResult:
        _check_compares(compare)
        _check_ops(success)
        _check_ops(failure)
        with self._writing() as writer:
            writer.load([condition.key for condition in compare] + [op.key for op in (*success, *failure)])
            succeeded = all(_holds(condition, writer.get(condition.key)) for condition in compare)
            gets: list[KeyValue | None] = []
            for op in success if succeeded else failure:
                if op.kind == "put":
                    writer.put(op.key, op.value, op.lease)
                elif op.kind == "delete":
                    writer.delete(kv_keys.c.key == _encode_key(op.key))
                else:
                    gets.append(writer.get(op.key))
            writer.finish_step()
        return TxnResult(succeeded=succeeded, revision=writer.revision, gets=tuple(gets))

    # -- leases

    def grant_lease(self, ttl: int) -> Lease:
        if ttl <= 0:
            raise InvalidArgument("a lease TTL must be at least one second")
        lease = secrets.randbits(62) or 1
        with self._db.write() as session:
            session.execute(kv_leases.insert().values(id=lease, ttl=ttl, expires_at=time.time() + ttl))
        return Lease(id=lease, ttl=ttl)

    def refresh_lease(self, lease_id: int) -> None:
        # The write transaction reaps expired leases first, so an expired
        # lease is gone (with its keys) by the time it is looked up.
        with self._writing() as writer:
            refreshed = writer.connection.execute(
                kv_leases.update().where(kv_leases.c.id == lease_id).values(expires_at=writer.now + kv_leases.c.ttl)
            ).rowcount
        if not refreshed:
            raise NotFound(f"lease {lease_id} not found: it expired or was revoked", reason="KV_LEASE_NOT_FOUND")

    def revoke_lease(self, lease_id: int) -> None:
        with self._writing() as writer:
            writer.revoke(lease_id)

    # -- watches and compaction

    def watch_prefix(self, prefix: str, *, start_revision: int = 0) -> Watch:
        if start_revision < 0:
            raise InvalidArgument("start_revision must not be negative")
        with self._db.read() as session:
            current, compacted = session.execute(
                sa.select(kv_revision.c.revision, kv_revision.c.compact_revision).where(kv_revision.c.id == 1)
            ).one()
        if start_revision == 0:
            start_revision = current + 1
        elif start_revision < compacted:
            raise Compacted(start_revision, compacted)
        watch = _EmbeddedWatch(self, prefix, start_revision)
        self._watches.add(watch)
        if self._closed.is_set():
            watch.cancel()
        return watch

    def compact(self, revision: int) -> None:
        """Drop change-log entries older than revision; watches may start from it on."""
        with self._writing() as writer:
            if revision > writer.revision:
                raise InvalidArgument(f"cannot compact at {revision}: the store is at revision {writer.revision}")
            self._compact(writer.connection, revision)

    def close(self) -> None:
        self._closed.set()
        for watch in list(self._watches):
            watch.cancel()
        if self._housekeeper is not threading.current_thread():
            self._housekeeper.join()

    # -- internals

    def _check_tables(self) -> None:
        try:
            present = sa.inspect(self._db.engine).has_table("kv_revision")
        except sa.exc.OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise StartupError(f"cannot reach database {self._db.describe()}: {reason}") from None
        if not present:
            raise StartupError(
                f"the key/value tables are missing in {self._db.describe()}: "
                "apply mulligan.kv.migrations.MIGRATIONS before opening the store"
            )

    @staticmethod
    def _current_revision(connection: sa.Connection) -> int:
        return int(connection.scalar(_SELECT_REVISION) or 0)

    def _read(self, read: Callable[[sa.Connection], T]) -> T:
        with self._db.read() as session:
            connection = session.connection()
            due = connection.execute(_ANY_LEASE_DUE, {"now": time.time()}).first()
            if due is None:
                return read(connection)
        # Expire lazily so that a read never shows a key whose lease is over;
        # every write transaction reaps before it does anything else.
        with self._writing():
            pass
        with self._db.read() as session:
            return read(session.connection())

    @contextlib.contextmanager
    def _writing(self) -> Iterator[_Writer]:
        with self._write_lock, self._db.write() as session:
            connection = session.connection()
            revision = connection.scalar(_LOCK_REVISION)
            writer = _Writer(connection, int(revision or 0), time.time())
            writer.reap_expired()
            yield writer
            writer.finish_step()
            if writer.changed:
                connection.execute(_SET_REVISION, {"new_revision": writer.revision})
        if writer.changed:
            self._wake(frozenset(writer.keys))

    def _wake(self, keys: frozenset[bytes] | None = None) -> None:
        """Wake local watches; ``keys`` None means "look anyway"."""
        with self._changed:
            self._commits += 1
            self._recent_commits.append((self._commits, keys))
            self._changed.notify_all()

    def _touched_since(self, commits_seen: int, prefix: bytes) -> bool:
        """Whether a local commit after ``commits_seen`` may matter to ``prefix``.

        Call with ``_changed`` held.
        """
        if not self._recent_commits or self._recent_commits[0][0] > commits_seen + 1:
            return True  # the record does not reach back that far
        for number, keys in reversed(self._recent_commits):
            if number <= commits_seen:
                return False
            if keys is None or any(key.startswith(prefix) for key in keys):
                return True
        return False

    def _compact(self, connection: sa.Connection, revision: int) -> None:
        compacted = connection.scalar(_SELECT_COMPACT_REVISION)
        if compacted is not None and revision <= compacted:
            return
        connection.execute(kv_log.delete().where(kv_log.c.revision < revision))
        connection.execute(kv_revision.update().where(kv_revision.c.id == 1).values(compact_revision=revision))

    def _compact_by_policy(self) -> None:
        with self._writing() as writer:
            oldest_young = writer.connection.scalar(
                sa.select(sa.func.min(kv_log.c.revision)).where(
                    kv_log.c.created_at >= writer.now - self._retention_seconds
                )
            )
            keep_from = writer.revision - self._retention_revisions + 1
            if oldest_young is not None:
                keep_from = min(keep_from, oldest_young)
            self._compact(writer.connection, keep_from)

    def _housekeeping(self) -> None:
        next_compaction = time.monotonic() + self._compact_interval
        while not self._closed.wait(self._reap_interval):
            try:
                with self._db.read() as session:
                    due = session.execute(_ANY_LEASE_DUE, {"now": time.time()}).first()
                if due is not None:
                    with self._writing():
                        pass
                if time.monotonic() >= next_compaction:
                    self._compact_by_policy()
                    self.compaction_rounds += 1
                    next_compaction = time.monotonic() + self._compact_interval
            except sa.exc.SQLAlchemyError as exc:
                # The database may be restarting; try again on the next round.
                log.warning("key/value housekeeping failed: %s", str(exc).splitlines()[0])

    def _fetch_events(
        self, prefix: str, after: tuple[int, int]
    ) -> tuple[list[tuple[tuple[int, int], Event]], tuple[int, int], bool]:
        """Log entries under prefix after the cursor, the new cursor, and whether more wait."""
        revision, seq = after
        with self._db.read() as session:
            connection = session.connection()
            # Read the bound first and the compaction mark last: on PostgreSQL
            # each statement sees its own snapshot, and a compaction committed
            # between them must not go unnoticed.
            current = self._current_revision(connection)
            rows = connection.execute(
                _log_after(prefix), {"after_revision": revision, "after_seq": seq, "up_to": current}
            ).all()
            compacted = int(connection.scalar(_SELECT_COMPACT_REVISION) or 0)
        needed = revision + 1 if seq == _WHOLE_REVISION else revision
        if needed < compacted:
            raise Compacted(needed, compacted)
        events = []
        for row in rows:
            deleted = row.event == EventType.DELETE.value
            kv = KeyValue(
                key=row.key.decode("utf-8"),
                value=b"" if deleted else bytes(row.value),
                create_revision=row.create_revision,
                mod_revision=row.revision,
                version=row.version,
                lease=row.lease,
            )
            events.append(((row.revision, row.seq), Event(EventType.DELETE if deleted else EventType.PUT, kv)))
        more = len(rows) == _WATCH_BATCH
        end = events[-1][0] if more else (max(current, revision), _WHOLE_REVISION)
        return events, end, more


class _EmbeddedWatch:
    """Polls the change log; local commits wake it at once, others within a poll interval."""

    def __init__(self, store: EmbeddedStore, prefix: str, start_revision: int) -> None:
        self._store = store
        self._prefix = prefix
        self._cursor = (start_revision - 1, _WHOLE_REVISION)
        self._cancelled = False

    def __iter__(self) -> Iterator[Event]:
        store = self._store
        prefix = self._prefix.encode("utf-8")
        fetch = True
        last_fetch = 0.0
        while not self._cancelled:
            with store._changed:
                commits_seen = store._commits
            if fetch:
                last_fetch = time.monotonic()
                try:
                    events, end, more = store._fetch_events(self._prefix, self._cursor)
                except sa.exc.SQLAlchemyError as exc:
                    reason = str(exc).strip().splitlines()[0]
                    raise Unavailable(f"the key/value watch lost its database: {reason}") from exc
                for position, event in events:
                    if self._cancelled:
                        return
                    # Advance before handing out, so that a consumer that stops
                    # and iterates again resumes after the last event it got.
                    self._cursor = position
                    yield event
                self._cursor = end
                if more:
                    continue
            with store._changed:
                if store._commits == commits_seen and not self._cancelled:
                    store._changed.wait(store._poll_interval)
                # Local commits to other prefixes need no read of the log; other
                # processes' commits are caught by reading at least once a poll.
                fetch = time.monotonic() - last_fetch >= store._poll_interval or store._touched_since(
                    commits_seen, prefix
                )

    def cancel(self) -> None:
        self._cancelled = True
        self._store._wake()
