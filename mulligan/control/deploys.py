"""Baremetal deploys and cleanings, step by step, every wait with a deadline.

With the boot endpoint running, a baremetal machine is provisioned so
(``Machine.step`` shows where it is):

1. ``powering_off``: the provision task powers the node off, sets a
   one-time network boot and makes the image ready: the raw file's
   checksum (a qcow2 image converted to raw first);
2. ``booting_ramdisk``: a boot job opens (the image, its checksum, the
   cloud-init seed) and a task powers the node on into the deploy ramdisk;
3. ``waiting_for_agent``: the ramdisk's agent fetches its job, writes the
   image and reports; no report by the deadline fails the deploy;
4. ``booting_from_disk``: the report holds the expected checksum, so a task
   sets the node to boot from disk for good and restarts it: ACTIVE.

Any failure leaves the machine in ERROR with the reason, closes the job and
powers the node off; the claim stays with the machine until it is
decommissioned. Decommissioning boots the same ramdisk to wipe the disks
(step ``cleaning``); the node's capacity is free once the agent reports the
disks clean. A cleaning that fails or never reports puts the node into
maintenance with the reason (no machine lands on it), and the machine is
decommissioned all the same: its data may remain only on a node nobody gets.

In-band inspection (``host inspect --in-band``) boots the same ramdisk on a
node without a machine: the host is ``enrolling`` until the agent's report
becomes its facts (what the BMC cannot tell: disks, NICs), then ``ready``
with the node powered off; no report by the deadline is ``error``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import db
from mulligan.control.boot_jobs import BootJob, BootJobs
from mulligan.control.hosts import Hosts, driver_for
from mulligan.control.models import HostRow, MachineRow
from mulligan.control.power import PowerControl
from mulligan.control.tasks import Task, TaskQueue
from mulligan.control.types import LIVE_STATES, HostKind, HostState, MachineState, PowerAction
from mulligan.errors import FailedPrecondition
from mulligan.executors import (
    BOOT_DISK,
    BOOT_RAMDISK,
    PREPARE_BOOT,
    PROVISION_MACHINE,
    Outcome,
    inband_facts,
    node_config_drive,
)

log = logging.getLogger("mulligan.control.deploys")

POWERING_OFF = "powering_off"
BOOTING_RAMDISK = "booting_ramdisk"
WAITING_FOR_AGENT = "waiting_for_agent"
BOOTING_FROM_DISK = "booting_from_disk"
CLEANING = "cleaning"
INSPECTING = "inspecting"
_AWAITING_REPORT = (BOOTING_RAMDISK, WAITING_FOR_AGENT, CLEANING)
_MAX_REASON = 1000


@dataclass(frozen=True)
class DeploySettings:
    # From power on to the agent's report: the ramdisk's boot, the image's
    # download and write. Slow networks and large images need more.
    agent_timeout: timedelta = timedelta(minutes=30)
    # Cleaning: wipe=metadata takes seconds; wipe=full writes every disk whole.
    wipe: str = "metadata"


DEFAULT_DEPLOY = DeploySettings()


class MachineStates(Protocol):
    """What deploys need from machines (declared here, where it is used)."""

    def record(self, session: orm.Session, row: MachineRow, state: MachineState, error: str | None = None) -> None:
        """Set the machine's state (and publish it, with its step)."""

    def decommissioned(self, session: orm.Session, row: MachineRow) -> None:
        """The machine is gone and its node clean: free its name and capacity."""


class Deploys:
    def __init__(
        self,
        database: db.Database,
        tasks: TaskQueue,
        jobs: BootJobs,
        power: PowerControl,
        machines: MachineStates,
        *,
        hosts: Hosts,
        settings: DeploySettings = DEFAULT_DEPLOY,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._db = database
        self._tasks = tasks
        self._jobs = jobs
        self._power = power
        self._machines = machines
        self._hosts = hosts
        self.settings = settings
        self._clock = clock
        tasks.on_result(BOOT_RAMDISK, self._record_ramdisk_boot)
        tasks.on_result(BOOT_DISK, self._record_disk_boot)
        tasks.on_result(PREPARE_BOOT, self._record_inspection_boot)
        jobs.on_report(self._reported)

    # -- steps started by the provision and decommission tasks ----------------------

    def image_checked(self, session: orm.Session, row: MachineRow, task: Task, outcome: Outcome) -> None:
        """The node is off and set to boot from the network: open the deploy job, power on."""
        host = self._host(session, row)
        spec = task.payload.get("spec", {})
        macs = self._macs(host)
        if not macs:
            self._fail_deploy(session, row, "the node has no known MAC address to boot from (declare one: mac=...)")
            return
        self._jobs.issue(
            session,
            host_id=str(host.id),
            task_id=task.id,
            kind="deploy",
            macs=macs,
            settings={
                "IMAGE_SHA256": str(outcome.data["sha256"]),
                "IMAGE_BYTES": str(outcome.data["image_bytes"]),
                "IMAGE_FORMAT": "raw",
                "ROOT_DISK": "",
                "AFTER": "poweroff",
            },
            # The raw file the provision step made ready: a qcow2 image's conversion.
            image_path=str(outcome.data.get("image_path") or task.payload["image_path"]),
            config_drive=node_config_drive(
                machine_id=str(row.id),
                hostname=str(spec.get("hostname", "")) or f"node-{str(row.id)[:8]}",
                ssh_keys=list(spec.get("ssh_keys", ())),
                user_data=str(spec.get("user_data", "")),
                macs=macs,
            ),
            ttl=self.settings.agent_timeout + timedelta(minutes=5),
        )
        self._boot_ramdisk(session, row, host, BOOTING_RAMDISK)

    def clean_ready(self, session: orm.Session, row: MachineRow) -> None:
        """The node is off and set to boot from the network: open the cleaning job, power on."""
        host = self._host(session, row)
        macs = self._macs(host)
        if not macs:
            self._cleaning_failed(session, row, host, "the node has no known MAC address to boot from")
            return
        self._jobs.issue(
            session,
            host_id=str(host.id),
            task_id=str(uuid.uuid4()),
            kind="clean",
            macs=macs,
            settings={"WIPE": self.settings.wipe, "AFTER": "poweroff"},
            ttl=self.settings.agent_timeout + timedelta(minutes=5),
        )
        self._boot_ramdisk(session, row, host, CLEANING)

    def _boot_ramdisk(self, session: orm.Session, row: MachineRow, host: HostRow, step: str) -> None:
        self._set_step(row, step, deadline=self._clock() + self.settings.agent_timeout)
        self._tasks.enqueue(session, BOOT_RAMDISK, str(row.id), _ramdisk_boot(host, step))
        host.power_target = "on"

    # -- in-band inspection -----------------------------------------------------------

    def inspect_in_band(self, host_id: str) -> None:
        with self._db.write() as session:
            host = session.get(HostRow, uuid.UUID(host_id))
            if host is None or host.kind != HostKind.BAREMETAL:
                raise FailedPrecondition("only a baremetal node is inspected in band", reason="NOT_BAREMETAL")
            if not self._macs(host):
                raise FailedPrecondition(
                    "the node has no known MAC address to boot from (declare one: mac=...)", reason="NO_NODE_MAC"
                )
            busy = session.scalar(
                sa.select(sa.func.count())
                .select_from(MachineRow)
                .where(MachineRow.host_id == host.id, MachineRow.state.in_([str(s) for s in LIVE_STATES]))
            )
            if busy:
                raise FailedPrecondition(
                    "in-band inspection reboots the node: decommission its machine first", reason="HOST_HAS_MACHINES"
                )
            host.state = str(HostState.ENROLLING)
            host.error = None
            host.updated_at = self._clock()
            payload = {"driver": driver_for(host), "host_id": host_id, **boot_media(host)}
            self._tasks.enqueue(session, PREPARE_BOOT, host_id, payload)

    def _record_inspection_boot(self, session: orm.Session, task: Task, outcome: Outcome) -> None:
        host = session.get(HostRow, uuid.UUID(task.target_id))
        if host is None:
            return
        if not outcome.ok:
            self._inspection_failed(session, host, f"the node could not be set to boot the ramdisk: {outcome.detail}")
            return
        self._jobs.issue(
            session,
            host_id=str(host.id),
            task_id=task.id,
            kind="inspect",
            macs=self._macs(host),
            settings={"AFTER": "poweroff"},
            ttl=self.settings.agent_timeout,
        )
        self._tasks.enqueue(session, BOOT_RAMDISK, str(host.id), _ramdisk_boot(host, INSPECTING))

    def _inspected(self, job: BootJob, report: Mapping[str, Any]) -> None:
        with self._db.write() as session:
            host = session.get(HostRow, uuid.UUID(job.host_id))
            if host is not None and host.state == str(HostState.READY) and host.facts:
                # The report was recorded, but the daemon died before the
                # provider followed and the job ended: this is the agent's
                # retry, and only the provider is left to do.
                facts = dict(host.facts)
            elif host is None or host.state != str(HostState.ENROLLING):
                return
            else:
                recorded = self._record_inspection(session, host, report)
                if recorded is None:
                    return
                facts = recorded
        # The provider follows, as after any inspection (in its own transactions).
        self._hosts.apply_facts(job.host_id, facts)

    def _record_inspection(
        self, session: orm.Session, host: HostRow, report: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """The host's facts from the agent's report; None when inspection failed."""
        if report.get("status") != "done":
            self._inspection_failed(session, host, f"in-band inspection failed: {_reason(report)}")
            return None
        facts = inband_facts(report.get("inventory"), host.declared or {})
        host.facts = facts
        host.state = str(HostState.READY)
        host.error = None
        host.inspected_at = host.updated_at = self._clock()
        self._power.queue_host_power(session, host, PowerAction.OFF)
        return facts

    def _inspection_failed(self, session: orm.Session, host: HostRow, reason: str) -> None:
        log.warning("in-band inspection failed", extra={"host": str(host.id), "detail": reason[:_MAX_REASON]})
        self._jobs.cancel(session, str(host.id))
        host.state = str(HostState.ERROR)
        host.error = reason[:_MAX_REASON]
        host.updated_at = self._clock()
        self._power.queue_host_power(session, host, PowerAction.OFF)

    # -- results --------------------------------------------------------------------

    def _record_ramdisk_boot(self, session: orm.Session, task: Task, outcome: Outcome) -> None:
        if task.payload.get("step") == INSPECTING:
            host = session.get(HostRow, uuid.UUID(task.target_id))
            if host is not None and not outcome.ok and host.state == str(HostState.ENROLLING):
                self._inspection_failed(session, host, f"the node did not power on into the ramdisk: {outcome.detail}")
            return
        row = session.get(MachineRow, uuid.UUID(task.target_id))
        if row is None or row.step not in _AWAITING_REPORT:
            return
        if outcome.ok:
            if row.step == BOOTING_RAMDISK:
                self._set_step(row, WAITING_FOR_AGENT, deadline=row.step_deadline)
                self._machines.record(session, row, MachineState(row.state))
            return
        reason = f"the node did not power on into the deploy ramdisk: {outcome.detail}"
        if row.step == CLEANING:
            self._cleaning_failed(session, row, self._host(session, row), reason)
        else:
            self._fail_deploy(session, row, reason)

    def _record_disk_boot(self, session: orm.Session, task: Task, outcome: Outcome) -> None:
        row = session.get(MachineRow, uuid.UUID(task.target_id))
        if row is None or row.step != BOOTING_FROM_DISK or MachineState(row.state) is not MachineState.PROVISIONING:
            return
        self._set_step(row, None)
        if outcome.ok:
            self._machines.record(session, row, MachineState.ACTIVE)
        else:
            reason = f"the node did not boot from disk: {outcome.detail}"
            self._machines.record(session, row, MachineState.ERROR, reason)

    def _reported(self, job: BootJob, report: Mapping[str, Any]) -> None:
        """The agent's final report (outside any transaction; the job has ended)."""
        if job.kind == "inspect":
            self._inspected(job, report)
            return
        with self._db.write() as session:
            row = self._waiting_machine(session, job)
            if row is None:
                # Most often the agent's retry of a report already applied.
                log.info("a boot job report found no machine waiting for it", extra={"job": job.id})
                return
            detail = _reason(report)
            if job.kind == "clean":
                if report.get("status") == "done":
                    self._cleaned(session, row, self._host(session, row))
                else:
                    self._cleaning_failed(session, row, self._host(session, row), f"cleaning failed: {detail}")
                return
            expected = job.settings.get("IMAGE_SHA256", "")
            if report.get("status") != "done":
                self._fail_deploy(session, row, f"the deploy agent failed: {detail}")
            elif str(report.get("image_sha256", "")).lower() != expected:
                got = _printable(str(report.get("image_sha256") or "none"))
                self._fail_deploy(
                    session, row, f"the image written does not match its checksum (expected {expected}, got {got})"
                )
            else:
                self._set_step(row, BOOTING_FROM_DISK)
                self._machines.record(session, row, MachineState.PROVISIONING)
                host = self._host(session, row)
                payload = {"driver": driver_for(host), "host_id": str(host.id)}
                self._tasks.enqueue(session, BOOT_DISK, str(row.id), payload)

    def abort(self, session: orm.Session, row: MachineRow) -> None:
        """Stop the machine's deploy where it is (its decommission follows)."""
        self._tasks.cancel_target(session, str(row.id), kinds=[PROVISION_MACHINE, BOOT_RAMDISK, BOOT_DISK])
        if row.host_id is not None:
            self._jobs.cancel(session, str(row.host_id))
        self._set_step(row, None)

    # -- deadlines --------------------------------------------------------------------

    def expire(self, now: datetime | None = None) -> int:
        """Fail every step whose wait for the node has run out (by ``now``); return how many."""
        now = now or self._clock()
        expired = 0
        with self._db.write() as session:
            rows = session.scalars(
                sa.select(MachineRow).where(
                    MachineRow.step.in_(_AWAITING_REPORT),
                    MachineRow.step_deadline.is_not(None),
                    MachineRow.step_deadline < now,
                )
            ).all()
            for row in rows:
                if MachineState(row.state) not in (MachineState.PROVISIONING, MachineState.DECOMMISSIONING):
                    continue
                waited = int(self.settings.agent_timeout.total_seconds())
                reason = f"no report from the deploy ramdisk within {waited} s (step {row.step})"
                if row.step == CLEANING:
                    self._cleaning_failed(session, row, self._host(session, row), reason)
                else:
                    self._fail_deploy(session, row, reason)
                expired += 1
            waited = int(self.settings.agent_timeout.total_seconds())
            for host in self._jobs.expired_hosts(session, now, kind="inspect"):
                if host.state == str(HostState.ENROLLING):
                    reason = f"no report from the deploy ramdisk within {waited} s (inspection)"
                    self._inspection_failed(session, host, reason)
                    expired += 1
        return expired

    # -- endings ------------------------------------------------------------------------

    def _fail_deploy(self, session: orm.Session, row: MachineRow, reason: str) -> None:
        log.warning("baremetal deploy failed", extra={"machine": str(row.id), "detail": reason[:_MAX_REASON]})
        self._set_step(row, None)
        self._machines.record(session, row, MachineState.ERROR, reason[:_MAX_REASON])
        host = self._host(session, row)
        self._jobs.cancel(session, str(host.id))
        self._power.queue_host_power(session, host, PowerAction.OFF)

    def _cleaned(self, session: orm.Session, row: MachineRow, host: HostRow) -> None:
        self._set_step(row, None)
        self._power.queue_host_power(session, host, PowerAction.OFF)
        self._machines.decommissioned(session, row)

    def _cleaning_failed(self, session: orm.Session, row: MachineRow, host: HostRow, reason: str) -> None:
        log.warning("baremetal cleaning failed", extra={"machine": str(row.id), "host": str(host.id), "detail": reason})
        self._jobs.cancel(session, str(host.id))
        host.maintenance = True
        host.maintenance_auto = False
        host.maintenance_reason = f"{reason[:_MAX_REASON]} (the disks may hold the last machine's data)"
        host.updated_at = self._clock()
        host_id = str(host.id)
        db.after_commit(session, lambda: self._power.apply_closed(host_id, True))
        self._power.queue_host_power(session, host, PowerAction.OFF)
        self._set_step(row, None)
        self._machines.decommissioned(session, row)

    # -- helpers --------------------------------------------------------------------------

    def _waiting_machine(self, session: orm.Session, job: BootJob) -> MachineRow | None:
        state = MachineState.DECOMMISSIONING if job.kind == "clean" else MachineState.PROVISIONING
        return session.scalar(
            sa.select(MachineRow).where(
                MachineRow.host_id == uuid.UUID(job.host_id),
                MachineRow.state == str(state),
                MachineRow.step.in_(_AWAITING_REPORT),
            )
        )

    def _set_step(self, row: MachineRow, step: str | None, deadline: datetime | None = None) -> None:
        row.step = step
        row.step_deadline = deadline
        row.updated_at = self._clock()

    @staticmethod
    def _host(session: orm.Session, row: MachineRow) -> HostRow:
        host = session.get(HostRow, row.host_id) if row.host_id else None
        if host is None:
            raise LookupError(f"machine {row.id} has no host")
        return host

    @staticmethod
    def _macs(host: HostRow) -> list[str]:
        return [str(mac) for mac in (host.facts or {}).get("macs", ())]


def boot_media(host: HostRow) -> dict[str, Any]:
    """Redfish nodes boot the ramdisk from virtual media: no DHCP boot file needed."""
    return {"media": True} if host.bmc_protocol == "redfish" else {}


def _ramdisk_boot(host: HostRow, step: str) -> dict[str, Any]:
    return {"driver": driver_for(host), "host_id": str(host.id), "step": step, **boot_media(host)}


def _reason(report: Mapping[str, Any]) -> str:
    return _printable(str(report.get("reason") or "no reason given"))


def _printable(text: str) -> str:
    # The report comes from the node: it must not forge log lines or odd output.
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:_MAX_REASON]
