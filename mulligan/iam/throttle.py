"""Slowing down password guessing, per account name, across daemons.

Failures are counted per name as typed (whether or not such an account
exists, so the throttle itself reveals nothing) in the key/value store,
shared by every daemon. After ``free_failures`` failures each attempt
must wait ``base_delay_s`` doubled per further failure, at most
``max_delay_s``; an attempt that comes too early is refused without
checking the password. A success clears the count; the record also
expires on its own (a lease) after a quiet period.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable

from mulligan.errors import Conflict, ResourceExhausted
from mulligan.kv import Compare, KeyValue, KeyValueStore, Op

PREFIX = "iam/login-failures/"
# A dropped failure is a guess that escapes the throttle, so a failure is
# retried until it lands. Each lost compare-and-swap means another failure
# for the same name did land; running out would take this many of them
# during one call, so the bound only guards against a store gone wrong.
_ATTEMPTS = 10_000


class LoginThrottle:
    def __init__(
        self,
        kv: KeyValueStore,
        *,
        free_failures: int = 5,
        base_delay_s: float = 1.0,
        max_delay_s: float = 300.0,
        forget_after_s: int = 900,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._kv = kv
        self._free = free_failures
        self._base = base_delay_s
        self._max = max_delay_s
        self._forget_after_s = forget_after_s
        self._clock = clock

    def delay_after(self, failures: int) -> float:
        if failures < self._free:
            return 0.0
        return float(min(self._base * 2 ** (failures - self._free), self._max))

    def check(self, name: str) -> None:
        """ResourceExhausted while the name must wait."""
        failures, last = _decode(self._kv.get(_key(name)))
        wait = last + self.delay_after(failures) - self._clock()
        if failures and wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ResourceExhausted(
                f"too many failed sign-ins for this account; try again in {seconds} s",
                reason="LOGIN_THROTTLED",
                metadata={"retry_after_s": str(seconds)},
                retry_after_s=seconds,
            )

    def failed(self, name: str) -> None:
        """Count one failure; retried until it lands, never dropped."""
        key = _key(name)
        lease = self._kv.grant_lease(int(self._forget_after_s + self._max))
        for _ in range(_ATTEMPTS):
            current = self._kv.get(key)
            failures, _last = _decode(current)
            record = json.dumps({"failures": failures + 1, "last": self._clock()}).encode()
            guard = Compare.unchanged(key, current.mod_revision) if current else Compare.absent(key)
            if self._kv.txn([guard], [Op.put(key, record, lease.id)]).succeeded:
                return
        self._kv.revoke_lease(lease.id)
        raise Conflict(
            "the sign-in failure count keeps changing and could not be updated; try again",
            reason="CONCURRENT_CHANGE",
        )

    def succeeded(self, name: str) -> None:
        key = _key(name)
        if self._kv.get(key) is not None:
            self._kv.delete(key)


def _key(name: str) -> str:
    # Hashed: names are free text, and the key space needs no secrets in it.
    return PREFIX + hashlib.sha256(name.encode("utf-8")).hexdigest()[:40]


def _decode(item: KeyValue | None) -> tuple[int, float]:
    if item is None:
        return 0, 0.0
    try:
        data = json.loads(item.value)
        return int(data["failures"]), float(data["last"])
    except (ValueError, KeyError, TypeError):
        return 0, 0.0
