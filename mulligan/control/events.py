"""Machine changes as a stream: each committed state change is written to
the key/value store, whose watch feeds WatchMachines.

The relational row stays the truth; the key holds the machine's latest
snapshot so a watcher needs no extra read. Snapshots are written after the
row's transaction commits (never inside it: the embedded store shares the
database, and a write from inside an open SQLite transaction would wait
on itself).

One publisher thread writes them, in commit order, several machines per
key/value transaction: neither a request nor an executor waits for the
store, and a burst of changes costs a few writes (and wakes each watcher a
few times) instead of one per change. A machine appears at most once per
transaction, so each of its changes keeps a revision of its own.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import orm

from mulligan import db, tenancy
from mulligan.context import Caller, current_caller
from mulligan.control.types import Machine, MachineEvent, MachineKind, MachineState, Resources
from mulligan.errors import ResourceExhausted, Unavailable
from mulligan.kv import EventType, KeyValueStore, Op, Watch
from mulligan.metrics import MACHINE_WATCH_LAG
from mulligan.naming import NameRegistry

log = logging.getLogger("mulligan.control")

PREFIX = "control/machines/"
# Snapshots per key/value transaction (etcd allows 128 operations in one).
MAX_BATCH = 64


class MachineEvents:
    """``max_watches`` bounds the watches open at once (0: no bound): each
    stream holds one of the daemon's RPC threads for as long as it is open."""

    def __init__(self, kv: KeyValueStore, names: NameRegistry, *, max_watches: int = 0) -> None:
        self._kv = kv
        self._names = names
        self._max_watches = max_watches
        self._open_watches = 0
        self._lock = threading.Lock()
        self._watches: weakref.WeakSet[MachineWatch] = weakref.WeakSet()
        # Set once the daemon stops: no watch may open after the last cancel.
        self._watches_closed = False
        self._pending: collections.deque[Machine] = collections.deque()
        self._writing = 0
        self._closed = False
        self._changed = threading.Condition()
        self._publisher = threading.Thread(target=self._publish_loop, name="machine-events", daemon=True)
        self._publisher.start()

    def publish_after_commit(self, session: orm.Session, machine: Machine) -> None:
        """Publish the snapshot once ``session``'s transaction commits.

        A snapshot without a name gets it then: looking names up may touch
        the store, which must not happen inside the transaction.
        """
        db.after_commit(session, lambda: self.publish(machine))

    def publish(self, machine: Machine) -> None:
        """Queue the snapshot for the publisher thread."""
        with self._changed:
            if not self._closed:
                self._pending.append(machine)
                self._changed.notify_all()
                return
        # Stopping: nobody is left to write it later.
        self._write([machine])

    def flush(self, timeout: float) -> bool:
        """Wait until every queued snapshot is written; False at the timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending and not self._writing, timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (within ``timeout``), then stop the publisher."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._publisher.join(timeout)

    def _publish_loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return
                batch = self._next_batch()
                self._writing = len(batch)
            try:
                self._write(batch)
            finally:
                with self._changed:
                    self._writing = 0
                    self._changed.notify_all()

    def _next_batch(self) -> list[Machine]:
        batch: list[Machine] = []
        ids: set[str] = set()
        while self._pending and len(batch) < MAX_BATCH and self._pending[0].id not in ids:
            machine = self._pending.popleft()
            ids.add(machine.id)
            batch.append(machine)
        return batch

    def _write(self, batch: list[Machine]) -> None:
        try:
            unnamed = [machine.id for machine in batch if not machine.name]
            names = {m_id: named.name for m_id, named in self._names.describe("machine", unnamed).items()}
            named = [dataclasses.replace(m, name=names.get(m.id, "")) if not m.name else m for m in batch]
            self._kv.txn([], [Op.put(PREFIX + m.id, json.dumps(_encode(m)).encode()) for m in named])
        except Exception:
            # The rows are committed; a watcher that misses these snapshots sees
            # each machine's next change or re-reads it after reconnecting.
            log.exception("publishing machine changes failed", extra={"machines": [m.id for m in batch]})

    def forget(self, machine_ids: list[str]) -> None:
        """Delete the snapshots of purged machines (watchers ignore deletions)."""
        for start in range(0, len(machine_ids), MAX_BATCH):
            chunk = machine_ids[start : start + MAX_BATCH]
            self._kv.txn([], [Op.delete(PREFIX + machine_id) for machine_id in chunk])

    def watch(self, start_revision: int = 0, caller: Caller | None = None) -> MachineWatch:
        caller = caller or current_caller()
        with self._lock:
            if self._watches_closed:
                raise _shutting_down()
            if self._max_watches and self._open_watches >= self._max_watches:
                raise ResourceExhausted(
                    f"{self._open_watches} machine watches are open, the most this daemon serves "
                    "(half its rpc_threads): retry later, or raise rpc_threads",
                    reason="TOO_MANY_WATCHES",
                )
            self._open_watches += 1
        try:
            # Events up to now are history replayed to this watcher: its lag is not the store's.
            live_after = self._kv.revision() if start_revision else 0
            watch = MachineWatch(
                self._kv.watch_prefix(PREFIX, start_revision=start_revision),
                caller,
                self._watch_closed,
                live_after=live_after,
            )
        except BaseException:
            self._watch_closed()
            raise
        with self._lock:
            # A stream accepted just before the stop may get here after
            # cancel_watches looked: it must not stay open past the stop.
            closed = self._watches_closed
            if not closed:
                self._watches.add(watch)
        if closed:
            watch.cancel(shutting_down=True)
            raise _shutting_down()
        return watch

    @property
    def open_watches(self) -> int:
        with self._lock:
            return self._open_watches

    def _watch_closed(self) -> None:
        with self._lock:
            self._open_watches -= 1

    def cancel_watches(self) -> None:
        """End every open watch and refuse new ones: the daemon is stopping, and
        streams, which never end by themselves, must not hold it up."""
        with self._lock:
            self._watches_closed = True
            watches = list(self._watches)
        for watch in watches:
            watch.cancel(shutting_down=True)


class MachineWatch:
    """Machine events the caller may see, in revision order, until cancelled."""

    def __init__(self, watch: Watch, caller: Caller, on_close: Callable[[], None], *, live_after: int = 0) -> None:
        self._watch = watch
        self._live_after = live_after
        self._projects = tenancy.visible_projects(caller)
        self._on_close: Callable[[], None] | None = on_close
        self._close_lock = threading.Lock()
        self._shutting_down = False

    def __iter__(self) -> Iterator[MachineEvent]:
        try:
            for change in self._watch:
                if change.type is not EventType.PUT:
                    continue
                machine = _decode(json.loads(change.kv.value))
                if change.kv.mod_revision > self._live_after:
                    MACHINE_WATCH_LAG.observe(max(0.0, (datetime.now(UTC) - machine.updated_at).total_seconds()))
                if self._projects is None or machine.project_id in self._projects:
                    yield MachineEvent(revision=change.kv.mod_revision, machine=machine)
        finally:
            self._close()
        if self._shutting_down:
            # Not a plain end of the stream: the client should reconnect,
            # to this daemon once restarted or to another one.
            raise _shutting_down()

    def cancel(self, *, shutting_down: bool = False) -> None:
        """End the watch: quietly when its caller has gone, with UNAVAILABLE when the daemon stops."""
        self._shutting_down = self._shutting_down or shutting_down
        self._watch.cancel()
        self._close()

    def _close(self) -> None:
        with self._close_lock:
            on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()


def _shutting_down() -> Unavailable:
    return Unavailable("the daemon is shutting down: watch again in a moment", reason="SHUTTING_DOWN")


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _encode(machine: Machine) -> dict[str, Any]:
    return {
        "id": machine.id,
        "name": machine.name,
        "project_id": machine.project_id,
        "kind": str(machine.kind),
        "state": str(machine.state),
        "error": machine.error,
        "resources": [machine.resources.vcpus, machine.resources.memory_mb, machine.resources.disk_gb],
        "image_id": machine.image_id,
        "host_id": machine.host_id,
        "region_id": machine.region_id,
        "network": machine.network,
        "start": _time(machine.start),
        "end": _time(machine.end),
        "created_at": _time(machine.created_at),
        "updated_at": _time(machine.updated_at),
    }


def _decode(data: dict[str, Any]) -> Machine:
    def when(key: str) -> datetime | None:
        return datetime.fromisoformat(data[key]) if data.get(key) else None

    vcpus, memory_mb, disk_gb = data["resources"]
    return Machine(
        id=data["id"],
        name=data["name"],
        project_id=data["project_id"],
        kind=MachineKind(data["kind"]),
        state=MachineState(data["state"]),
        error=data["error"],
        resources=Resources(vcpus, memory_mb, disk_gb),
        image_id=data["image_id"],
        host_id=data["host_id"],
        region_id=data["region_id"],
        network=data["network"],
        start=when("start") or datetime.fromisoformat(data["created_at"]),
        end=when("end"),
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
    )
