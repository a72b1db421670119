"""Machine changes as a stream: each committed state change is written to
the key/value store, whose watch feeds WatchMachines.

The relational row stays the truth; the key holds the machine's latest
snapshot so a watcher needs no extra read. Snapshots are written after the
row's transaction commits (never inside it: the embedded store shares the
database, and a write from inside an open SQLite transaction would wait
on itself).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import orm

from mulligan import db, tenancy
from mulligan.context import Caller, current_caller
from mulligan.control.types import Machine, MachineEvent, MachineKind, MachineState, Resources
from mulligan.kv import EventType, KeyValueStore, Watch
from mulligan.naming import NameRegistry

log = logging.getLogger("mulligan.control")

PREFIX = "control/machines/"


class MachineEvents:
    def __init__(self, kv: KeyValueStore, names: NameRegistry) -> None:
        self._kv = kv
        self._names = names

    def publish_after_commit(self, session: orm.Session, machine: Machine) -> None:
        """Publish the snapshot once ``session``'s transaction commits.

        A snapshot without a name gets it then: looking names up may touch
        the store, which must not happen inside the transaction.
        """
        db.after_commit(session, lambda: self.publish(machine))

    def publish(self, machine: Machine) -> None:
        try:
            if not machine.name:
                named = self._names.describe("machine", [machine.id]).get(machine.id)
                machine = dataclasses.replace(machine, name=named.name if named else "")
            self._kv.put(PREFIX + machine.id, json.dumps(_encode(machine)).encode())
        except Exception:
            # The row is committed; a watcher that misses this snapshot sees
            # the machine's next change or re-reads it after reconnecting.
            log.exception("publishing a machine change failed", extra={"machine": machine.id})

    def watch(self, start_revision: int = 0, caller: Caller | None = None) -> MachineWatch:
        caller = caller or current_caller()
        return MachineWatch(self._kv.watch_prefix(PREFIX, start_revision=start_revision), caller)


class MachineWatch:
    """Machine events the caller may see, in revision order, until cancelled."""

    def __init__(self, watch: Watch, caller: Caller) -> None:
        self._watch = watch
        self._projects = tenancy.visible_projects(caller)

    def __iter__(self) -> Iterator[MachineEvent]:
        for change in self._watch:
            if change.type is not EventType.PUT:
                continue
            machine = _decode(json.loads(change.kv.value))
            if self._projects is None or machine.project_id in self._projects:
                yield MachineEvent(revision=change.kv.mod_revision, machine=machine)

    def cancel(self) -> None:
        self._watch.cancel()


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
