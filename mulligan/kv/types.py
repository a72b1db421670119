"""The key/value interface and its value types."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from mulligan.errors import FailedPrecondition


@dataclass(frozen=True)
class KeyValue:
    key: str
    value: bytes
    create_revision: int
    mod_revision: int
    version: int
    lease: int = 0


class EventType(enum.Enum):
    PUT = "put"
    DELETE = "delete"


@dataclass(frozen=True)
class Event:
    type: EventType
    # For a DELETE, value is b"" and mod_revision is the deletion's revision.
    kv: KeyValue


@dataclass(frozen=True)
class Compare:
    """One condition of a transaction, compared against the key's current state.

    A missing key has value None and revisions/version 0, as in etcd.
    """

    key: str
    target: Literal["value", "version", "create_revision", "mod_revision"]
    op: Literal["==", "!=", "<", ">"]
    operand: bytes | int

    @classmethod
    def absent(cls, key: str) -> Compare:
        return cls(key, "create_revision", "==", 0)

    @classmethod
    def unchanged(cls, key: str, mod_revision: int) -> Compare:
        return cls(key, "mod_revision", "==", mod_revision)


@dataclass(frozen=True)
class Op:
    kind: Literal["put", "delete", "get"]
    key: str
    value: bytes = b""
    lease: int = 0

    @classmethod
    def put(cls, key: str, value: bytes, lease: int = 0) -> Op:
        return cls("put", key, value, lease)

    @classmethod
    def delete(cls, key: str) -> Op:
        return cls("delete", key)

    @classmethod
    def get(cls, key: str) -> Op:
        return cls("get", key)


@dataclass(frozen=True)
class TxnResult:
    succeeded: bool
    revision: int
    # One entry per "get" op of the branch that ran, in order.
    gets: Sequence[KeyValue | None] = ()


class Compacted(FailedPrecondition):
    """A watch asked for history that the store no longer keeps.

    The caller should read the current state again (``range``) and watch from
    that read's revision + 1.
    """

    default_reason = "KV_COMPACTED"

    def __init__(self, start_revision: int, compact_revision: int) -> None:
        super().__init__(
            f"cannot watch from revision {start_revision}: history before revision "
            f"{compact_revision} has been compacted",
            metadata={"start_revision": str(start_revision), "compact_revision": str(compact_revision)},
        )
        self.start_revision = start_revision
        self.compact_revision = compact_revision


def prefix_end(prefix: bytes) -> bytes:
    """The smallest key greater than every key starting with prefix, as in etcd.

    Returns b"" when there is no such key (empty prefix, or only 0xff bytes):
    the range then has no upper bound.
    """
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return b""
    return stripped[:-1] + bytes([stripped[-1] + 1])


@dataclass(frozen=True)
class Lease:
    id: int
    ttl: int


class Watch(Protocol):
    """Events in revision order; iteration blocks until an event or cancel."""

    def __iter__(self) -> Iterator[Event]: ...

    def cancel(self) -> None: ...


class KeyValueStore(Protocol):
    def get(self, key: str) -> KeyValue | None: ...

    def range(self, prefix: str, *, limit: int = 0) -> list[KeyValue]:
        """Keys starting with prefix, sorted by key; limit 0 means all."""
        ...

    def put(self, key: str, value: bytes, *, lease: int = 0) -> int:
        """Store value; return the new store revision.

        A put without ``lease`` detaches the key from any lease it had. Raises
        NotFound when ``lease`` has expired or was revoked.
        """
        ...

    def delete(self, key: str) -> bool:
        """Remove key; True when it existed. Removing nothing keeps the revision."""
        ...

    def delete_prefix(self, prefix: str) -> int:
        """Remove every key under prefix, in one revision; return how many."""
        ...

    def txn(self, compare: Sequence[Compare], success: Sequence[Op], failure: Sequence[Op] = ()) -> TxnResult:
        """All compares true: run success ops, else failure ops; atomically.

        A txn that writes takes one revision for all its ops; one that writes
        nothing keeps the revision. Gets see the txn's own earlier writes.
        Writing one key twice in a branch is InvalidArgument (as in etcd).
        """
        ...

    def revision(self) -> int:
        """The store's current revision."""
        ...

    def grant_lease(self, ttl: int) -> Lease:
        """A new lease; its ttl may be longer than asked (etcd's minimum is 2 s)."""
        ...

    def refresh_lease(self, lease_id: int) -> None:
        """Restart the lease's TTL; raises NotFound when it has expired."""
        ...

    def revoke_lease(self, lease_id: int) -> None:
        """End the lease now, deleting its keys; a lease already gone is no error."""
        ...

    def watch_prefix(self, prefix: str, *, start_revision: int = 0) -> Watch:
        """Events under prefix from start_revision on (0: changes after this call).

        Raises Compacted when start_revision is older than the kept history;
        iteration raises it too when the watcher falls behind compaction, and
        raises Unavailable when the store's connection is lost. Either way,
        read again and watch from that read's revision + 1.
        """
        ...

    def close(self) -> None: ...
