"""Sessions to BMCs: reused per BMC, one call at a time, every call bounded.

Both drivers keep one session per BMC and password and let one call at a
time use it, since neither pyghmi's nor sushy's sessions take concurrent
callers. The password is part of the key (as a keyed digest, never the
password itself), so a changed password gets a session of its own.

A BMC client library may retry for much longer than Mulligan wants to wait
(pyghmi gives up on a silent BMC only after about 30 s), so each attempt runs
in a short-lived thread that the caller waits on for at most ``timeout_s``.
An attempt still running then is left to finish by itself, which it does
when the library gives up, and what happens to its session depends on the
protocol:

- sessions that share nothing (sushy's HTTP sessions) are dropped, and the
  next attempt opens a fresh one at once; a few such attempts may linger per
  BMC, past that calls fail at once rather than pile up threads;
- sessions that share process-wide state (pyghmi routes every answer from a
  BMC to the newest session with it) are kept: the next attempt waits for
  the lingering one, reuses the session if it came through, and replaces it
  if it broke.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Generic, TypeVar

from mulligan.executors.bmc.types import BmcCredential
from mulligan.executors.drivers import DriverError, TransientDriverError

log = logging.getLogger("mulligan.executors.bmc")

S = TypeVar("S")
T = TypeVar("T")

# Abandoned attempts allowed to run on per BMC before calls fail fast.
MAX_LINGERING = 3
# Reading a node's power while it changes: often at first, then less.
_FIRST_POLL_S = 0.1
_LAST_POLL_S = 2.0
# Keyed digests of passwords are comparable within this process only.
_DIGEST_KEY = os.urandom(32)


def password_tag(password: bytes) -> str:
    return hashlib.blake2b(password, key=_DIGEST_KEY, digest_size=16).hexdigest()


class _Attempt(Generic[S]):
    """One call running in its own thread; the caller may stop waiting for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.guard = threading.Lock()
        self.session: S | None = None
        self.result: object = None
        self.error: BaseException | None = None
        self.abandoned = False


class _Slot(Generic[S]):
    """One BMC reached with one password."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.session: S | None = None
        # Attempts the caller gave up on that may still be running.
        self.lingering: list[_Attempt[S]] = []


class SessionPool(ABC, Generic[S]):
    """Sessions of one protocol, with the bounded-call machinery around them."""

    protocol_name = "BMC"
    # True: a session an attempt was abandoned with is dropped at once.
    # False: the next attempt waits for the lingering one and takes over its session.
    drop_abandoned = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[tuple[str, str], _Slot[S]] = {}
        self._closed = False
        self._closing = threading.Event()

    # -- what each protocol provides -------------------------------------------

    @abstractmethod
    def connect(self, bmc: BmcCredential) -> S:
        """Open a session (runs in the attempt's thread, so it may block)."""

    @abstractmethod
    def retire(self, session: S) -> None:
        """Stop using ``session``; must not block."""

    @abstractmethod
    def disconnect(self, session: S) -> None:
        """Log out politely (runs bounded, at close)."""

    @abstractmethod
    def translate(self, exc: BaseException, bmc: BmcCredential, doing: str) -> DriverError:
        """The driver error for what the library raised."""

    def usable(self, session: S) -> bool:
        """False for a session the library itself has given up on."""
        return True

    # -- calls ---------------------------------------------------------------

    def call(self, bmc: BmcCredential, doing: str, fn: Callable[[S], T], *, retry: bool = True) -> T:
        """Run ``fn`` with the BMC's session, at most ``timeout_s`` per attempt,
        tried again ``bmc.retries`` times after transient failures."""
        attempts = bmc.retries + 1 if retry else 1
        slot = self._slot(bmc)
        last: TransientDriverError | None = None
        for attempt in range(attempts):
            try:
                return self._attempt(slot, bmc, doing, fn)
            except TransientDriverError as exc:
                last = exc
                log.info(
                    "BMC call failed, %s",
                    "retrying" if attempt + 1 < attempts else "giving up",
                    extra={"bmc": bmc.key, "doing": doing, "error": exc.message},
                )
        assert last is not None
        raise last

    def _slot(self, bmc: BmcCredential) -> _Slot[S]:
        key = (bmc.key, password_tag(bmc.password))
        with self._lock:
            if self._closed:
                raise DriverError(f"{self.protocol_name} driver is closed")
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot()
            return slot

    def _attempt(self, slot: _Slot[S], bmc: BmcCredential, doing: str, fn: Callable[[S], T]) -> T:
        deadline = time.monotonic() + bmc.timeout_s
        if not slot.lock.acquire(timeout=bmc.timeout_s):
            raise TransientDriverError(f"{doing} on {bmc.key}: other calls to this BMC did not finish in time")
        try:
            self._settle(slot, bmc, doing, deadline)
            attempt: _Attempt[S] = _Attempt()
            session = slot.session
            threading.Thread(
                target=self._run,
                args=(attempt, bmc, session, fn),
                name=f"bmc-call {bmc.key}",
                daemon=True,
            ).start()
            if not attempt.done.wait(max(0.0, deadline - time.monotonic())):
                slot.lingering.append(attempt)
                if self.drop_abandoned:
                    self._abandon(slot, attempt)
                raise TransientDriverError(f"{doing} on {bmc.key}: no answer within {bmc.timeout_s:g} s")
            self._adopt(slot, attempt, bmc, doing)
            if attempt.error is not None:
                raise self.translate(attempt.error, bmc, doing) from attempt.error
            return attempt.result  # type: ignore[return-value]
        finally:
            slot.lock.release()

    def _settle(self, slot: _Slot[S], bmc: BmcCredential, doing: str, deadline: float) -> None:
        """Deal with attempts given up on earlier, before starting another."""
        still: list[_Attempt[S]] = []
        for earlier in slot.lingering:
            if not self.drop_abandoned:
                earlier.done.wait(max(0.0, deadline - time.monotonic()))
            if not earlier.done.is_set():
                still.append(earlier)
            elif not self.drop_abandoned:
                self._adopt(slot, earlier, bmc, doing)
        slot.lingering = still
        if not self.drop_abandoned and still:
            raise TransientDriverError(f"{doing} on {bmc.key}: no answer within {bmc.timeout_s:g} s")
        if len(still) >= MAX_LINGERING:
            raise TransientDriverError(f"{doing} on {bmc.key}: the BMC has not answered {len(still)} earlier requests")
        if slot.session is not None and not self.usable(slot.session):
            self.retire(slot.session)
            slot.session = None

    def _adopt(self, slot: _Slot[S], attempt: _Attempt[S], bmc: BmcCredential, doing: str) -> None:
        """Keep the session of a finished attempt, unless what failed may have broken it."""
        session = attempt.session
        if session is None:
            return
        if attempt.error is not None and self.translate(attempt.error, bmc, doing).transient:
            self.retire(session)
            if slot.session is session:
                slot.session = None
            return
        slot.session = session

    def _run(self, attempt: _Attempt[S], bmc: BmcCredential, session: S | None, fn: Callable[[S], T]) -> None:
        try:
            if session is None:
                session = self.connect(bmc)
                with attempt.guard:
                    attempt.session = session
                    abandoned = attempt.abandoned
                if abandoned:
                    # The caller gave up while this session was opening.
                    self.retire(session)
                    return
            else:
                attempt.session = session
            attempt.result = fn(session)
        except BaseException as exc:
            attempt.error = exc
        finally:
            attempt.done.set()

    def _abandon(self, slot: _Slot[S], attempt: _Attempt[S]) -> None:
        with attempt.guard:
            attempt.abandoned = True
            session = attempt.session
        if session is not None:
            self.retire(session)
        slot.session = None

    # -- waiting for the node --------------------------------------------------

    def poll(self, bmc: BmcCredential, doing: str, read: Callable[[S], T], done: Callable[[T], bool]) -> T:
        """Read until ``done`` holds, for up to ``bmc.power_wait_s``.

        A node changing power state can keep its BMC busy: a read may go
        unanswered without the wait failing, until the BMC has been silent as
        long as one call may take with its retries.
        """
        start = time.monotonic()
        deadline = start + bmc.power_wait_s
        silence_limit = bmc.timeout_s * (bmc.retries + 1)
        last_answer = start
        interval = _FIRST_POLL_S
        while True:
            try:
                value = self.call(bmc, doing, read, retry=False)
            except TransientDriverError:
                if time.monotonic() - last_answer >= silence_limit:
                    raise
            else:
                last_answer = time.monotonic()
                if done(value):
                    return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TransientDriverError(f"{doing} on {bmc.key}: not done after {bmc.power_wait_s:g} s")
            if self._closing.wait(min(interval, remaining)):
                raise DriverError(f"{self.protocol_name} driver is closed")
            interval = min(interval * 1.5, _LAST_POLL_S)

    # -- shutdown --------------------------------------------------------------

    def close(self, *, timeout_s: float = 2.0) -> None:
        with self._lock:
            self._closed = True
            self._closing.set()
            slots = list(self._slots.values())
            self._slots.clear()
        deadline = time.monotonic() + timeout_s
        for slot in slots:
            if not slot.lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
                continue
            try:
                session, slot.session = slot.session, None
                busy = any(not attempt.done.is_set() for attempt in slot.lingering)
            finally:
                slot.lock.release()
            # A session a lingering attempt still uses is left to it.
            if session is not None and not busy:
                self._disconnect_bounded(session, deadline)

    def _disconnect_bounded(self, session: S, deadline: float) -> None:
        def logout() -> None:
            try:
                self.disconnect(session)
            except Exception:
                log.debug("logging out of a BMC failed", exc_info=True)

        thread = threading.Thread(target=logout, name="bmc-logout", daemon=True)
        thread.start()
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            self.retire(session)
