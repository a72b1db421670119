"""Control's figures for the metrics endpoint, read from its tables when scraped.

Every daemon sharing the database reads the same figures: they describe the
fleet, not the daemon that serves them. Each scrape costs a handful of
grouped counts on indexed columns (and the endpoint keeps the answer a few
seconds), never a query per RPC.

Every known state is served, at 0 when nothing is in it, so that a state
emptying shows as 0 rather than as a series that vanished.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from mulligan import executors
from mulligan.control.models import ControlTask, HostRow, MachineRow
from mulligan.control.tasks import UNFINISHED_STATES, TaskState
from mulligan.control.types import HostKind, HostState, MachineKind, MachineState
from mulligan.db import Database
from mulligan.executors import NodePower

_TASK_KINDS = (
    executors.INSPECT_HOST,
    executors.PROVISION_MACHINE,
    executors.DECOMMISSION_MACHINE,
    executors.HOST_POWER,
    executors.MACHINE_POWER,
    executors.BOOT_DISK,
    executors.BOOT_RAMDISK,
    executors.PREPARE_BOOT,
)
# A baremetal node whose power was never read yet.
_NOT_READ = "not_read"


def read_figures(database: Database, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Iterator[Metric]:
    """The gauges, from one read-only transaction."""
    with database.read() as session:
        now = clock()
        tasks = session.execute(
            sa.select(ControlTask.state, ControlTask.kind, sa.func.count())
            .where(ControlTask.state.in_([str(state) for state in UNFINISHED_STATES]))
            .group_by(ControlTask.state, ControlTask.kind)
        ).all()
        oldest_due = session.scalar(
            sa.select(sa.func.min(ControlTask.not_before)).where(
                ControlTask.state == str(TaskState.QUEUED), ControlTask.not_before <= now
            )
        )
        machines = session.execute(
            sa.select(MachineRow.kind, MachineRow.state, sa.func.count()).group_by(MachineRow.kind, MachineRow.state)
        ).all()
        hosts = session.execute(
            sa.select(HostRow.kind, HostRow.state, sa.func.count()).group_by(HostRow.kind, HostRow.state)
        ).all()
        power = session.execute(
            sa.select(HostRow.power_state, sa.func.count())
            .where(HostRow.kind == str(HostKind.BAREMETAL))
            .group_by(HostRow.power_state)
        ).all()
        maintenance = session.execute(
            sa.select(HostRow.maintenance_auto, sa.func.count())
            .where(HostRow.maintenance.is_(True))
            .group_by(HostRow.maintenance_auto)
        ).all()

    queue = GaugeMetricFamily(
        "mulligan_tasks",
        "Unfinished tasks in the fleet's queue, by state (queued, leased) and kind.",
        labels=["state", "kind"],
    )
    counts = {(str(state), kind): 0 for state in UNFINISHED_STATES for kind in _TASK_KINDS}
    counts.update({(state, kind): count for state, kind, count in tasks})
    for (state, kind), count in sorted(counts.items()):
        queue.add_metric([state, kind], count)
    yield queue

    # A task retried later, or reserved for a window's start, is not waiting until then.
    yield GaugeMetricFamily(
        "mulligan_task_oldest_queued_seconds",
        "How long the oldest task that is due to run has been waiting for an executor (0: none is waiting).",
        max(0.0, (now - oldest_due).total_seconds()) if oldest_due is not None else 0.0,
    )

    by_state = GaugeMetricFamily("mulligan_machines", "Machines by kind and state.", labels=["kind", "state"])
    machine_counts = {(str(kind), str(state)): 0 for kind in MachineKind for state in MachineState}
    machine_counts.update({(kind, state): count for kind, state, count in machines})
    for (kind, state), count in sorted(machine_counts.items()):
        by_state.add_metric([kind, state], count)
    yield by_state

    host_states = GaugeMetricFamily("mulligan_hosts", "Hosts by kind and state.", labels=["kind", "state"])
    host_counts = {(str(kind), str(state)): 0 for kind in HostKind for state in HostState}
    host_counts.update({(kind, state): count for kind, state, count in hosts})
    for (kind, state), count in sorted(host_counts.items()):
        host_states.add_metric([kind, state], count)
    yield host_states

    host_power = GaugeMetricFamily(
        "mulligan_host_power",
        "Baremetal nodes by power state as last read from their BMCs (not_read: not read yet).",
        labels=["power"],
    )
    power_counts = {str(state): 0 for state in NodePower} | {_NOT_READ: 0}
    for read, count in power:
        power_counts[read or _NOT_READ] = power_counts.get(read or _NOT_READ, 0) + count
    for label, count in sorted(power_counts.items()):
        host_power.add_metric([label], count)
    yield host_power

    in_maintenance = GaugeMetricFamily(
        "mulligan_hosts_maintenance",
        "Hosts in maintenance, by cause: bmc (their BMC stopped answering; they come back by themselves) "
        "or held (set by an operator, or after a failed cleaning; only an operator ends it).",
        labels=["cause"],
    )
    causes = {"bmc": 0, "held": 0}
    for automatic, count in maintenance:
        causes["bmc" if automatic else "held"] += count
    for cause, count in sorted(causes.items()):
        in_maintenance.add_metric([cause], count)
    yield in_maintenance
