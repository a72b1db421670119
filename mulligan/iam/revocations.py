"""Token revocations: written to the key/value store, checked in memory.

Every daemon follows ``iam/revoked/`` through a watch and keeps the set in
memory, so checking a token costs a few dictionary lookups and a revocation
made on one daemon applies on every other within the watch's latency.

Keys (values are JSON)::

    iam/revoked/token/<token id>                  {"expires": t}
    iam/revoked/account/<account id>              {"before": t}
    iam/revoked/project/<project id>              {"before": t}
    iam/revoked/membership/<account id>/<project> {"before": t}

A "before" record revokes the tokens issued at or before ``t``. Each
record hangs on a lease that ends once every token it covers has expired,
so the set stays small.

A token carries its own expiry, fixed by the ``token_ttl_s`` in force where
and when it was issued, so a lease sized by this daemon's setting could
end before tokens issued under a longer one. ``iam/token-ttl-max`` keeps the
longest lifetime any daemon was ever started with; "before" records and
revocations of tokens whose expiry is unknown last that long.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mulligan.kv import Compare, Event, EventType, KeyValue, KeyValueStore, Op

PREFIX = "iam/revoked/"
# Outside PREFIX: the feed of revocations never sees it.
LONGEST_TTL_KEY = "iam/token-ttl-max"
_TOKEN = PREFIX + "token/"
_ACCOUNT = PREFIX + "account/"
_PROJECT = PREFIX + "project/"
_MEMBERSHIP = PREFIX + "membership/"
# Leases outlive the tokens they cover by this much, for clock skew.
_MARGIN_S = 60
# Raising the longest lifetime loses a compare-and-swap only to another
# daemon raising it; the bound guards against a store gone wrong.
_ATTEMPTS = 1000


@dataclass
class _Revoked:
    """Token ids -> expiry; accounts, projects, (account, project) -> cut-off."""

    tokens: dict[str, float] = field(default_factory=dict)
    accounts: dict[str, float] = field(default_factory=dict)
    projects: dict[str, float] = field(default_factory=dict)
    memberships: dict[str, float] = field(default_factory=dict)

    def table(self, key: str) -> tuple[dict[str, float], str, str] | None:
        """The table a key belongs in, the item it names, and its value field."""
        for prefix, table, value_field in (
            (_TOKEN, self.tokens, "expires"),
            (_ACCOUNT, self.accounts, "before"),
            (_PROJECT, self.projects, "before"),
            (_MEMBERSHIP, self.memberships, "before"),
        ):
            if key.startswith(prefix):
                return table, key[len(prefix) :], value_field
        return None

    def apply(self, key: str, raw: bytes) -> None:
        found = self.table(key)
        if found is None:
            return
        table, item, value_field = found
        try:
            table[item] = float(json.loads(raw)[value_field])
        except (ValueError, KeyError, TypeError):
            return

    def forget(self, key: str) -> None:
        found = self.table(key)
        if found is not None:
            found[0].pop(found[1], None)


class Revocations:
    def __init__(self, kv: KeyValueStore, *, max_token_ttl_s: int, clock: Callable[[], float] = time.time) -> None:
        self._kv = kv
        self.max_token_ttl_s = max_token_ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._revoked = _Revoked()

    def record_token_ttl(self) -> None:
        """Remember this daemon's token lifetime if it is the longest yet.

        Called before the daemon issues any token, so every lifetime in use
        is covered by the time a revocation needs it.
        """
        for _ in range(_ATTEMPTS):
            current = self._kv.get(LONGEST_TTL_KEY)
            if current is not None and _ttl_of(current) >= self.max_token_ttl_s:
                return
            compare = (
                Compare.absent(LONGEST_TTL_KEY)
                if current is None
                else Compare.unchanged(LONGEST_TTL_KEY, current.mod_revision)
            )
            value = json.dumps({"ttl_s": self.max_token_ttl_s}).encode()
            if self._kv.txn([compare], [Op.put(LONGEST_TTL_KEY, value)]).succeeded:
                return
        raise RuntimeError(f"could not record the token lifetime in {LONGEST_TTL_KEY}")

    def longest_token_ttl_s(self) -> int:
        """The longest lifetime a token still valid may have been issued with.

        Read at each revocation (they are rare): a daemon started since with
        a longer lifetime may have raised it.
        """
        return max(self.max_token_ttl_s, _ttl_of(self._kv.get(LONGEST_TTL_KEY)))

    # -- checks (hot path: memory only)

    def is_revoked(self, token_id: str, account_id: str, project_id: str | None, issued_at: float) -> bool:
        revoked = self._revoked
        if token_id in revoked.tokens:
            return True
        cutoff = revoked.accounts.get(account_id)
        if cutoff is not None and issued_at <= cutoff:
            return True
        if project_id is None:
            return False
        cutoff = revoked.projects.get(project_id)
        if cutoff is not None and issued_at <= cutoff:
            return True
        cutoff = revoked.memberships.get(f"{account_id}/{project_id}")
        return cutoff is not None and issued_at <= cutoff

    # -- writes

    def revoke_token(self, token_id: str, expires_at: float) -> None:
        remaining = expires_at - self._clock()
        if remaining <= 0:
            return
        self._put(_TOKEN + token_id, {"expires": expires_at}, remaining)

    def revoke_account(self, account_id: str) -> float:
        return self._revoke_before(_ACCOUNT + account_id)

    def revoke_project(self, project_id: str) -> float:
        return self._revoke_before(_PROJECT + project_id)

    def revoke_membership(self, account_id: str, project_id: str) -> float:
        return self._revoke_before(f"{_MEMBERSHIP}{account_id}/{project_id}")

    def revoke_token_of_unknown_expiry(self, token_id: str) -> None:
        self.revoke_token(token_id, self._clock() + self.longest_token_ttl_s())

    def _revoke_before(self, key: str) -> float:
        before = self._clock()
        self._put(key, {"before": before}, self.longest_token_ttl_s())
        return before

    def _put(self, key: str, value: dict[str, float], covers_s: float) -> None:
        lease = self._kv.grant_lease(max(1, math.ceil(covers_s)) + _MARGIN_S)
        raw = json.dumps(value).encode()
        self._kv.put(key, raw, lease=lease.id)
        # Effective here at once, without waiting for the watch.
        with self._lock:
            self._revoked.apply(key, raw)

    # -- the feed

    def load(self, items: Sequence[KeyValue]) -> None:
        revoked = _Revoked()
        for item in items:
            revoked.apply(item.key, item.value)
        with self._lock:
            self._revoked = revoked

    def on_event(self, event: Event) -> None:
        with self._lock:
            if event.type is EventType.PUT:
                self._revoked.apply(event.kv.key, event.kv.value)
            else:
                self._revoked.forget(event.kv.key)


def _ttl_of(item: KeyValue | None) -> int:
    if item is None:
        return 0
    try:
        return int(json.loads(item.value)["ttl_s"])
    except (ValueError, KeyError, TypeError):
        return 0
