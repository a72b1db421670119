"""Follows a key/value prefix: a snapshot, then every change, in one thread.

After any failure of the watch (the store unreachable, history compacted)
the feed takes a fresh snapshot and watches again from there, so the
consumer's state always converges on the store's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from mulligan.kv import Event, KeyValue, KeyValueStore, Watch

log = logging.getLogger("mulligan.iam")

_RETRY_S = 0.5
_MAX_RETRY_S = 5.0


class PrefixFeed:
    def __init__(
        self,
        kv: KeyValueStore,
        prefix: str,
        *,
        on_snapshot: Callable[[Sequence[KeyValue]], None],
        on_event: Callable[[Event], None],
        name: str,
    ) -> None:
        self._kv = kv
        self._prefix = prefix
        self._on_snapshot = on_snapshot
        self._on_event = on_event
        self._closed = threading.Event()
        self._watch: Watch | None = None
        self._lock = threading.Lock()
        # The first snapshot is taken before start() returns, so that the
        # state is complete before the daemon serves its first call.
        revision = self._snapshot()
        self._thread = threading.Thread(target=self._run, args=(revision,), name=name, daemon=True)
        self._thread.start()

    def _snapshot(self) -> int:
        revision = self._kv.revision()
        self._on_snapshot(self._kv.range(self._prefix))
        return revision

    def _run(self, revision: int) -> None:
        while not self._closed.is_set():
            try:
                watch = self._kv.watch_prefix(self._prefix, start_revision=revision + 1)
                with self._lock:
                    if self._closed.is_set():
                        watch.cancel()
                        return
                    self._watch = watch
                for event in watch:
                    self._on_event(event)
                # The watch ended without an error: cancelled, or the store closed.
                return
            except Exception as exc:
                if self._closed.is_set():
                    return
                log.warning("watch of %s failed, reading it again: %s", self._prefix, exc)
            revision = self._resync()

    def _resync(self) -> int:
        """A fresh snapshot, retried with backoff while the store is unreachable."""
        delay = _RETRY_S
        failures = 0
        while not self._closed.wait(delay):
            try:
                return self._snapshot()
            except Exception as exc:
                failures += 1
                # One warning per outage, not one per attempt.
                log.log(logging.WARNING if failures == 1 else logging.DEBUG, "cannot read %s: %s", self._prefix, exc)
                delay = min(delay * 2, _MAX_RETRY_S)
        return 0

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            watch = self._watch
        if watch is not None:
            watch.cancel()
        if self._thread is not threading.current_thread():
            self._thread.join(5)
