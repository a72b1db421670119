"""Power and maintenance of baremetal nodes.

Power changes are durable tasks like every other step on a host, so they
queue behind a running provision or decommission of the same target and
survive a daemon restart. Each records what Mulligan wants the node to be
(``power_target``): power sync corrects drift towards it.

A node is closed to new machines (the provider's disabled trait) while it
is disabled or in maintenance; maintenance set by power sync (its BMC
stopped answering) ends by itself when the BMC answers again, maintenance
set by an operator only by an operator.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import resource
from mulligan.control.bmc_access import BMC_TASK_ATTEMPTS
from mulligan.control.hosts import DISABLED_TRAIT, Hosts, driver_for
from mulligan.control.models import HostRow, MachineRow
from mulligan.control.tasks import Task, TaskQueue
from mulligan.control.types import Host, HostKind, MachineKind, MachineState, PowerAction
from mulligan.db import Database
from mulligan.errors import FailedPrecondition, InvalidArgument, NotFound
from mulligan.executors import HOST_POWER, MACHINE_POWER, Outcome
from mulligan.text import checks_text

MAX_REASON = 1024
# What a node is once each action is done.
_TARGETS = {
    PowerAction.ON: "on",
    PowerAction.REBOOT: "on",
    PowerAction.SOFT_REBOOT: "on",
    PowerAction.OFF: "off",
    PowerAction.SOFT_OFF: "off",
}
# A tenant may power-cycle a machine that is theirs to use.
_POWERABLE = (MachineState.ACTIVE, MachineState.ERROR)


@checks_text
class PowerControl:
    def __init__(self, database: Database, tasks: TaskQueue, resources: resource.ResourceService, hosts: Hosts) -> None:
        self._db = database
        self._tasks = tasks
        self._resources = resources
        self._hosts = hosts
        tasks.on_result(HOST_POWER, self._record_power)
        tasks.on_result(MACHINE_POWER, self._record_power)

    def set_host_power(self, ref: str, action: PowerAction) -> Host:
        host_id = self._hosts.resolve(ref)
        with self._db.write() as session:
            self.queue_host_power(session, _node(session, host_id, ref), action)
        return self._hosts.get(host_id)

    def set_machine_power(self, machine_id: str, action: PowerAction) -> None:
        """``machine_id`` must already be resolved and visible to the caller."""
        with self._db.write() as session:
            machine = session.get(MachineRow, uuid.UUID(machine_id))
            if machine is None:
                raise NotFound(f"machine {machine_id} not found", reason="MACHINE_NOT_FOUND")
            if machine.kind != MachineKind.BAREMETAL:
                raise FailedPrecondition(
                    "power control of virtual machines is not available in this version", reason="POWER_UNSUPPORTED"
                )
            if MachineState(machine.state) not in _POWERABLE or machine.host_id is None:
                raise FailedPrecondition(
                    f"machine is {machine.state}; its power can change once it is active",
                    reason="MACHINE_NOT_ACTIVE",
                )
            host = _node(session, str(machine.host_id), str(machine.host_id))
            self._queue(session, MACHINE_POWER, machine_id, host, action)

    def set_maintenance(self, ref: str, maintenance: bool, reason: str = "") -> Host:
        host_id = self._hosts.resolve(ref)
        if len(reason) > MAX_REASON or not reason.isprintable():
            raise InvalidArgument(
                f"the reason must be at most {MAX_REASON} printable characters", reason="INVALID_REASON"
            )
        if maintenance and not reason.strip():
            raise InvalidArgument("say why the host goes into maintenance", reason="REASON_REQUIRED")
        with self._db.write() as session:
            row = _host_row(session, host_id, ref)
            row.maintenance = maintenance
            row.maintenance_reason = reason.strip() if maintenance else None
            row.maintenance_auto = False
            row.power_failures = 0
            row.updated_at = datetime.now(UTC)
            closed = not row.enabled or maintenance
        self.apply_closed(host_id, closed)
        return self._hosts.get(host_id)

    def apply_closed(self, host_id: str, closed: bool) -> None:
        """Keep new machines off a closed host (and let them on an open one)."""
        if closed:
            self._resources.add_traits(host_id, [DISABLED_TRAIT])
        else:
            self._resources.remove_traits(host_id, [DISABLED_TRAIT])

    def queue_host_power(self, session: orm.Session, host: HostRow, action: PowerAction) -> None:
        """Queue ``action`` on the node in the caller's transaction."""
        self._queue(session, HOST_POWER, str(host.id), host, action)

    def _queue(self, session: orm.Session, kind: str, target_id: str, host: HostRow, action: PowerAction) -> None:
        self._tasks.enqueue(
            session,
            kind,
            target_id,
            {"driver": driver_for(host), "host_id": str(host.id), "action": str(action)},
            max_attempts=BMC_TASK_ATTEMPTS,
        )
        host.power_target = _TARGETS[action]
        host.updated_at = datetime.now(UTC)

    def _record_power(self, session: orm.Session, task: Task, outcome: Outcome) -> None:
        row = session.get(HostRow, uuid.UUID(str(task.payload.get("host_id"))))
        if row is None:
            return
        now = datetime.now(UTC)
        row.updated_at = now
        if outcome.ok:
            row.power_state = str(outcome.data.get("power", "unknown"))
            row.power_synced_at = now
            row.error = None
        else:
            row.error = f"power {task.payload.get('action')} failed: {outcome.detail}"


def _host_row(session: orm.Session, host_id: str, ref: str) -> HostRow:
    row = session.get(HostRow, uuid.UUID(host_id))
    if row is None:
        raise NotFound(f"host {ref[:255]} not found", reason="HOST_NOT_FOUND")
    return row


def _node(session: orm.Session, host_id: str, ref: str) -> HostRow:
    row = _host_row(session, host_id, ref)
    if row.kind != HostKind.BAREMETAL:
        raise FailedPrecondition(f"host {ref[:255]} is a hypervisor, not a baremetal node", reason="NOT_BAREMETAL")
    return row


def unfinished_targets(session: orm.Session, tasks: TaskQueue, host_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``host_ids`` have work queued or running, on the host itself or
    on one of its machines: power sync leaves their power alone."""
    rows = session.execute(
        sa.select(MachineRow.id, MachineRow.host_id).where(
            MachineRow.host_id.in_(host_ids), MachineRow.state != str(MachineState.DECOMMISSIONED)
        )
    )
    machines = {machine_id: host_id for machine_id, host_id in rows if host_id is not None}
    busy = tasks.unfinished_targets(session, [*host_ids, *machines])
    return {machines.get(target, target) for target in busy}
