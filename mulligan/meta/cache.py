"""An in-process copy of every name record, kept current by a watch.

Lookups read it without a store round trip. Local writes are applied at
once (read-your-writes); changes by other daemons arrive through the watch.
Each key remembers the revision of its last change, and deletions leave a
tombstone until the watch has passed their revision, so an old event
arriving late never undoes a newer change.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from mulligan.kv import Compacted, EventType, KeyValueStore
from mulligan.meta import keys
from mulligan.meta.records import NameRecord

log = logging.getLogger("mulligan.meta")

_RETRY_S = 0.5
_RETRY_MAX_S = 30.0


@dataclass
class _Slot:
    revision: int
    record: NameRecord


class NameCache:
    def __init__(self, kv: KeyValueStore) -> None:
        self._kv = kv
        self._lock = threading.Lock()
        self._slots: dict[tuple[str, str], _Slot] = {}
        # Deleted records: the revision of their deletion.
        self._tombstones: dict[tuple[str, str], int] = {}
        # (kind, name) -> {project (None: system): object id}; the same for slugs.
        self._by_name: dict[tuple[str, str], dict[str | None, str]] = {}
        self._by_slug: dict[tuple[str, str], dict[str | None, str]] = {}
        self._watched_revision = 0
        self._ready = threading.Event()
        self._closed = threading.Event()
        self._watch_lock = threading.Lock()
        self._watch: object | None = None
        self._thread = threading.Thread(target=self._follow, name="mulligan-meta-names", daemon=True)
        self._thread.start()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def close(self) -> None:
        self._closed.set()
        with self._watch_lock:
            watch = self._watch
        if watch is not None:
            watch.cancel()  # type: ignore[attr-defined]
        if self._thread is not threading.current_thread():
            self._thread.join(10)

    # -- lookups (None: not known here; the caller may ask the store)

    def get(self, kind: str, object_id: str) -> NameRecord | None:
        with self._lock:
            slot = self._slots.get((kind, object_id))
            return slot.record if slot else None

    def by_name(self, kind: str, project_id: str | None, name: str) -> NameRecord | None:
        with self._lock:
            return self._record_locked(kind, self._by_name.get((kind, name), {}).get(project_id))

    def by_slug(self, kind: str, project_id: str | None, slug: str) -> NameRecord | None:
        with self._lock:
            return self._record_locked(kind, self._by_slug.get((kind, slug), {}).get(project_id))

    def in_any_project(self, kind: str, ref: str) -> list[NameRecord]:
        """Every record of kind named or slugged ref, whatever its project."""
        with self._lock:
            ids = {*self._by_name.get((kind, ref), {}).values(), *self._by_slug.get((kind, ref), {}).values()}
            found = [self._record_locked(kind, object_id) for object_id in ids]
        return [record for record in found if record is not None]

    def _record_locked(self, kind: str, object_id: str | None) -> NameRecord | None:
        if object_id is None:
            return None
        slot = self._slots.get((kind, object_id))
        return slot.record if slot else None

    # -- changes

    def apply(self, kind: str, object_id: str, record: NameRecord | None, revision: int) -> None:
        """Record the state of one object's record as of revision."""
        with self._lock:
            self._apply_locked(kind, object_id, record, revision)

    def _apply_locked(self, kind: str, object_id: str, record: NameRecord | None, revision: int) -> None:
        ident = (kind, object_id)
        slot = self._slots.get(ident)
        if (slot is not None and slot.revision >= revision) or self._tombstones.get(ident, 0) >= revision:
            return
        if slot is not None:
            self._unindex_locked(ident, slot.record)
        if record is None:
            self._slots.pop(ident, None)
            self._tombstones[ident] = revision
            return
        self._tombstones.pop(ident, None)
        self._slots[ident] = _Slot(revision, record)
        self._by_name.setdefault((kind, record.name), {})[record.project_id] = object_id
        self._by_slug.setdefault((kind, record.slug), {})[record.project_id] = object_id

    def _unindex_locked(self, ident: tuple[str, str], old: NameRecord) -> None:
        kind, object_id = ident
        for index, text in ((self._by_name, old.name), (self._by_slug, old.slug)):
            owners = index.get((kind, text))
            if owners is not None and owners.get(old.project_id) == object_id:
                del owners[old.project_id]
                if not owners:
                    del index[(kind, text)]

    def _passed(self, revision: int) -> None:
        """The watch has delivered everything up to revision."""
        self._watched_revision = max(self._watched_revision, revision)
        if self._tombstones:
            for ident in [i for i, rev in self._tombstones.items() if rev <= self._watched_revision]:
                del self._tombstones[ident]

    # -- following the store

    def _load(self) -> int:
        """Read every record; return the revision to watch from."""
        revision = self._kv.revision()
        fresh = {}
        for item in self._kv.range(keys.OBJECTS):
            record = NameRecord.decode(item.value)
            fresh[(record.kind, record.object_id)] = (record, item.mod_revision)
        with self._lock:
            # Keep what local writes applied meanwhile; drop what the store no longer has.
            for ident, slot in list(self._slots.items()):
                if ident not in fresh and slot.revision <= revision:
                    self._unindex_locked(ident, slot.record)
                    del self._slots[ident]
            self._tombstones = {i: rev for i, rev in self._tombstones.items() if rev > revision}
            for (kind, object_id), (record, mod_revision) in fresh.items():
                self._apply_locked(kind, object_id, record, mod_revision)
            self._watched_revision = revision
        # Events after revision may repeat what the range saw; applying them
        # again is harmless because every slot keeps its revision.
        return revision + 1

    def _follow(self) -> None:
        failures = 0
        while not self._closed.is_set():
            try:
                start = self._load()
                watch = self._kv.watch_prefix(keys.OBJECTS, start_revision=start)
                with self._watch_lock:
                    self._watch = watch
                if self._closed.is_set():
                    watch.cancel()
                    return
                self._ready.set()
                failures = 0
                for event in watch:
                    ident = event.kv.key[len(keys.OBJECTS) :].split("/", 1)
                    if len(ident) != 2:
                        continue
                    record = NameRecord.decode(event.kv.value) if event.type == EventType.PUT else None
                    with self._lock:
                        self._apply_locked(ident[0], ident[1], record, event.kv.mod_revision)
                        self._passed(event.kv.mod_revision)
                # A watch ends without an error only when cancelled: by close()
                # or by the store closing. Either way there is nothing to follow.
                self._ready.clear()
                return
            except Compacted:
                log.info("name cache fell behind the store's history; reloading")
            except Exception as exc:  # the store may be restarting; lookups go to it meanwhile
                failures += 1
                level = logging.WARNING if failures == 1 else logging.DEBUG
                log.log(
                    level, "name cache lost its watch (%s); lookups read the store until it is back", type(exc).__name__
                )
            self._ready.clear()
            # Back off, so that a store gone for good costs next to nothing.
            self._closed.wait(min(_RETRY_MAX_S, _RETRY_S * 2 ** max(0, failures - 1)))
