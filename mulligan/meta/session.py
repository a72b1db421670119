"""The registry's session lease: pending reservations hang on it.

One lease per registry, refreshed in the background while reservations are
pending, so a reservation costs one transaction and a daemon that dies frees
its pending names when the lease runs out (its TTL). Confirmed names never
use a lease. An idle lease is left to expire, which also ends the refresh
thread.
"""

from __future__ import annotations

import logging
import threading
import time

from mulligan.kv import KeyValueStore

log = logging.getLogger("mulligan.meta")


class SessionLease:
    def __init__(self, kv: KeyValueStore, ttl: int) -> None:
        self._kv = kv
        self.ttl = ttl
        self._lock = threading.Lock()
        self._lease_id: int | None = None
        self._pending = 0
        self._last_used = time.monotonic()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None

    def hold(self) -> int:
        """The lease for one more pending reservation; pair with ``done``."""
        with self._lock:
            if self._lease_id is None:
                self._lease_id = self._kv.grant_lease(self.ttl).id
            if self._thread is None:
                self._thread = threading.Thread(target=self._keep_alive, name="mulligan-meta-lease", daemon=True)
                self._thread.start()
            self._pending += 1
            self._last_used = time.monotonic()
            return self._lease_id

    def done(self) -> None:
        """One reservation is no longer pending (confirmed, released or failed)."""
        with self._lock:
            self._pending = max(0, self._pending - 1)
            self._last_used = time.monotonic()

    def lost(self, lease_id: int) -> None:
        """The store says lease_id is gone: the next reservation takes a new one."""
        with self._lock:
            if self._lease_id == lease_id:
                self._lease_id = None

    def _keep_alive(self) -> None:
        interval = max(self.ttl / 3, 0.2)
        while not self._closed.wait(interval):
            with self._lock:
                lease_id = self._lease_id
                idle = self._pending == 0 and time.monotonic() - self._last_used > self.ttl
                if lease_id is None or idle:
                    # Decided under the lock that hold() starts threads under.
                    self._lease_id = None if idle else lease_id
                    self._thread = None
                    return
            try:
                self._kv.refresh_lease(lease_id)
            except Exception as exc:
                # Expired, or the store is unreachable or closed. Reservations
                # still pending re-take their names when confirmed, if free.
                log.warning(
                    "name reservation lease lost (%s); the next reservation takes a new one", type(exc).__name__
                )
                self.lost(lease_id)

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            thread = self._thread
            lease_id, self._lease_id = self._lease_id, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(10)
        if lease_id is not None:
            try:
                self._kv.revoke_lease(lease_id)
            except Exception as exc:  # closing anyway: the TTL frees the names
                log.warning("cannot revoke the name reservation lease: %s", type(exc).__name__)
