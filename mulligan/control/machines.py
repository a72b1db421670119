"""Machines: the tenant's request, from claim to active to decommissioned.

A request is validated completely before anything is held. Then, in
order: the name is reserved, the machine row is written in state
requested, capacity is claimed (ClaimBest), the name is confirmed, and the
row's move to scheduled commits with its provisioning task. A failure at
any point undoes the earlier steps, so a rejected request leaves no name,
no claim and no task behind; a daemon that dies part-way leaves a row in
state requested, which the sweep undoes with its claim and name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import db, resource, tenancy
from mulligan.context import current_caller
from mulligan.control import pages, shapes
from mulligan.control.deploys import POWERING_OFF, Deploys, boot_media
from mulligan.control.events import MachineEvents
from mulligan.control.hosts import BAREMETAL_TRAIT, DISABLED_TRAIT, NODE_CLASS, Hosts, driver_for, network_trait
from mulligan.control.images import Images, driver_source
from mulligan.control.models import HostRow, MachineRow
from mulligan.control.tasks import Task, TaskQueue
from mulligan.control.types import (
    HostKind,
    Image,
    ImageFormat,
    Machine,
    MachineFilter,
    MachineKind,
    MachineRequest,
    MachineState,
    Resources,
)
from mulligan.db import Database
from mulligan.errors import AlreadyExists, Conflict, FailedPrecondition, InvalidArgument, NotFound
from mulligan.executors import DECOMMISSION_MACHINE, PROVISION_MACHINE, Outcome
from mulligan.naming import NameRegistry, NameReservation, resolve_project
from mulligan.text import checks_text

DEFAULT_NETWORK = "default"
# A start this far in the past still means "now" (clocks of clients drift).
START_SKEW = timedelta(seconds=60)
MAX_SSH_KEYS = 32
MAX_SSH_KEY = 8 * 1024
MAX_USER_DATA = 64 * 1024
# A request still unfinished after this long has lost its daemon.
ABANDONED_AFTER = timedelta(minutes=5)
# How long a decommissioned machine stays listed before it is purged.
DECOMMISSIONED_RETENTION = timedelta(days=7)
# Machines' claims are control's: tenants change them through machine calls
# (change_window, decommission), never through the resource API.
CLAIM_OWNER = "control"
# States whose window can still move (the claim is held, teardown not begun).
WINDOW_STATES = frozenset(
    {MachineState.RESERVED, MachineState.SCHEDULED, MachineState.PROVISIONING, MachineState.ACTIVE, MachineState.ERROR}
)
_PURGE_BATCH = 500
# The deploy ramdisk writes raw bytes; a qcow2 file is converted by the executor first.
_DEPLOYABLE_FORMATS = frozenset({ImageFormat.RAW, ImageFormat.QCOW2})

Clock = Callable[[], datetime]
log = logging.getLogger("mulligan.control")


@checks_text
class Machines:
    def __init__(
        self,
        database: Database,
        tasks: TaskQueue,
        resources: resource.ResourceService,
        names: NameRegistry,
        *,
        hosts: Hosts,
        images: Images,
        events: MachineEvents,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self._db = database
        self._tasks = tasks
        self._resources = resources
        self._names = names
        self._hosts = hosts
        self._images = images
        self._events = events
        self._clock = clock
        # Set when this daemon runs the boot endpoint: baremetal machines are then deployed.
        self.deploys: Deploys | None = None
        tasks.on_lease(PROVISION_MACHINE, self._begin_provisioning)
        tasks.on_lease(DECOMMISSION_MACHINE, self._begin_decommissioning)
        tasks.on_result(PROVISION_MACHINE, self._record_provisioning)
        tasks.on_result(DECOMMISSION_MACHINE, self._record_decommissioning)

    # --- requests ------------------------------------------------------------

    def provision(self, request: MachineRequest) -> Machine:
        project_id = tenancy.owning_project(self._project(request.project) if request.project else None)
        baremetal = request.kind is MachineKind.BAREMETAL
        wanted = shapes.resolve(request.resources, request.shape)
        image = self._images.bootable(request.image, project_id)
        if baremetal and self.deploys is not None:
            _check_deployable(image)
        region_id = self._resources.get_region(request.region).id if request.region else None
        # A node's NICs are cabled, not chosen: only VMs join a network.
        network = None if baremetal else request.network or DEFAULT_NETWORK
        if network is not None and not self._hosts.network_known(network):
            raise InvalidArgument(f"no host offers network {network[:255]!r}", reason="UNKNOWN_NETWORK")
        _check_access(request)
        now = self._clock()
        start, end = _window(request.start, request.end, now)
        reserved = start > now
        disk_gb = max(wanted.disk_gb, image.size_gb)
        amounts = {"VCPU": wanted.vcpus, "MEMORY_MB": wanted.memory_mb}
        if disk_gb:
            amounts["DISK_GB"] = disk_gb
        if baremetal:
            # The node's one unit: no second machine fits on it. Its sizes
            # above are what the node must at least have.
            amounts[NODE_CLASS] = 1
            group = resource.RequestGroup(
                resources=amounts,
                required_traits=frozenset(request.required_traits) | {BAREMETAL_TRAIT},
                forbidden_traits=frozenset(request.forbidden_traits) | {DISABLED_TRAIT},
            )
        else:
            group = resource.RequestGroup(
                resources=amounts,
                required_traits=frozenset(request.required_traits) | {network_trait(str(network))},
                forbidden_traits=frozenset(request.forbidden_traits) | {DISABLED_TRAIT, BAREMETAL_TRAIT},
            )
        with self._reserve_name(project_id, request.name) as reservation:
            machine_id = reservation.object_id
            # The row comes first, in state requested: should this process
            # die between the claim and the end of the request, the row is
            # what lets the sweep find and release the orphaned claim.
            row = MachineRow(
                id=uuid.UUID(machine_id),
                project_id=uuid.UUID(project_id),
                kind=str(request.kind),
                state=str(MachineState.REQUESTED),
                error=None,
                vcpus=wanted.vcpus,
                memory_mb=wanted.memory_mb,
                disk_gb=disk_gb,
                image_id=uuid.UUID(image.id),
                host_id=None,
                region_id=uuid.UUID(region_id) if region_id else None,
                network=network,
                ssh_keys=list(request.ssh_keys),
                user_data=request.user_data,
                window_start=start,
                window_end=end,
                created_at=now,
                updated_at=now,
            )
            with self._db.write() as session:
                session.add(row)
            try:
                claim = self._resources.claim_best(
                    machine_id,
                    [group],
                    project_id=project_id,
                    window=resource.Window(start if reserved else None, end),
                    region=region_id,
                    owner=CLAIM_OWNER,
                )
                host_id = claim.allocations[0].provider_id
                # Before the commit that makes the machine scheduled (outside any
                # transaction: the embedded name store shares the database), so a
                # machine past requested always has its name. Should this process
                # die right here, the sweep undoes the row, the claim and the name.
                reservation.confirm()
                with self._db.write() as session:
                    host = session.get(HostRow, uuid.UUID(host_id))
                    if host is None or not host.uri:
                        raise FailedPrecondition("the chosen host was removed; try again", reason="HOST_GONE")
                    row = _row(session, machine_id)
                    row.host_id = uuid.UUID(host_id)
                    row.state = str(MachineState.RESERVED if reserved else MachineState.SCHEDULED)
                    spec = {
                        "machine_id": machine_id,
                        "host_uri": host.uri,
                        "vcpus": wanted.vcpus,
                        "memory_mb": wanted.memory_mb,
                        "disk_gb": wanted.disk_gb,
                        "image_source": driver_source(image.source),
                        "image_format": str(image.format),
                        "hostname": reservation.slug,
                        "ssh_keys": list(request.ssh_keys),
                        "user_data": request.user_data,
                        "network": network,
                    }
                    self._tasks.enqueue(
                        session,
                        PROVISION_MACHINE,
                        machine_id,
                        self._provision_payload(host, spec, image),
                        not_before=start if reserved else None,
                    )
                    if end is not None:
                        ref = {"machine_id": machine_id, "host_uri": host.uri}
                        self._tasks.enqueue(
                            session,
                            DECOMMISSION_MACHINE,
                            machine_id,
                            self._decommission_payload(host, ref),
                            not_before=end,
                        )
                    machine = _to_domain(row, reservation.name)
                    self._events.publish_after_commit(session, machine)
            except BaseException:
                self._abandon(machine_id)
                raise
        return machine

    def _abandon(self, machine_id: str) -> None:
        """Undo a request that failed part-way: its row, tasks and claim."""
        self._release_claim(machine_id)
        with self._db.write() as session:
            self._tasks.cancel_target(session, machine_id)
            session.execute(sa.delete(MachineRow).where(MachineRow.id == uuid.UUID(machine_id)))

    def sweep_abandoned(self, older_than: timedelta = ABANDONED_AFTER) -> int:
        """Undo requests whose daemon died mid-way (rows left in state requested)."""
        cutoff = self._clock() - older_than
        with self._db.read() as session:
            stale = list(
                session.scalars(
                    sa.select(MachineRow.id).where(
                        MachineRow.state == str(MachineState.REQUESTED), MachineRow.created_at < cutoff
                    )
                )
            )
        for machine_id in stale:
            log.warning("undoing an abandoned machine request", extra={"machine": str(machine_id)})
            self._abandon(str(machine_id))
            # Its name may have been confirmed before the daemon died.
            self._names.forget("machine", str(machine_id))
        return len(stale)

    def purge_decommissioned(self, older_than: timedelta = DECOMMISSIONED_RETENTION) -> int:
        """Delete machines decommissioned longer ago than ``older_than``, with
        their published snapshots; return how many."""
        cutoff = self._clock() - older_than
        old_enough = sa.and_(MachineRow.state == str(MachineState.DECOMMISSIONED), MachineRow.updated_at < cutoff)
        purged = 0
        while True:
            with self._db.read() as session:
                ids = list(session.scalars(sa.select(MachineRow.id).where(old_enough).limit(_PURGE_BATCH)))
            if not ids:
                return purged
            # Snapshots first: a crash in between leaves rows, purged next time.
            self._events.forget([str(machine_id) for machine_id in ids])
            with self._db.write() as session:
                session.execute(sa.delete(MachineRow).where(MachineRow.id.in_(ids), old_enough))
            purged += len(ids)

    def _release_claim(self, machine_id: str) -> None:
        # Idempotent: a step repeated after a crash finds the claim gone.
        with contextlib.suppress(NotFound):
            self._resources.release(machine_id, owner=CLAIM_OWNER)

    def decommission(self, ref: str) -> Machine:
        machine_id = self.resolve(ref)
        with self._db.read() as session:
            current = self._visible_row(session, machine_id, ref)
            if MachineState(current.state) in (MachineState.DECOMMISSIONING, MachineState.DECOMMISSIONED):
                return _to_domain(current, self._name_of(machine_id))
        with self._db.write() as session:
            row = self._visible_row(session, machine_id, ref)
            state = MachineState(row.state)
            if state in (MachineState.DECOMMISSIONING, MachineState.DECOMMISSIONED):
                return _to_domain(row, "")
            host_uri = self._host_uri(session, row)
            if state in (MachineState.SCHEDULED, MachineState.RESERVED):
                # Nothing ran yet: drop the queued provisioning.
                self._tasks.cancel_target(session, machine_id, kinds=[PROVISION_MACHINE])
            # A decommission queued for the window's end is replaced by this one.
            self._tasks.cancel_target(session, machine_id, kinds=[DECOMMISSION_MACHINE])
            if row.step is not None and self.deploys is not None:
                # An operator's way out of a deploy under way: it stops here.
                self.deploys.abort(session, row)
            host = session.get(HostRow, row.host_id) if row.host_id else None
            if host is not None and host.kind == HostKind.BAREMETAL:
                host.power_target = "off"
            self._tasks.enqueue(
                session,
                DECOMMISSION_MACHINE,
                machine_id,
                self._decommission_payload(host, {"machine_id": machine_id, "host_uri": host_uri}),
            )
            self._set_state(session, row, MachineState.DECOMMISSIONING)
            machine = _to_domain(row, "")
        return dataclasses.replace(machine, name=self._name_of(machine_id))

    def change_window(
        self, ref: str, *, start: datetime | None = None, end: datetime | None = None, open_end: bool = False
    ) -> Machine:
        """Move a machine's window: a reservation's start, or its end (later,
        sooner, or none with open_end: until decommissioned).

        The claim moves first, checked like a new one (capacity, quota); then
        the machine and its queued provisioning and decommissioning move with
        it in one transaction. A machine that changed in between (its
        provisioning began) gets its claim back as it was, and ABORTED.
        """
        if start is None and end is None and not open_end:
            raise InvalidArgument("give a new start, a new end or open_end", reason="NOTHING_TO_CHANGE")
        if end is not None and open_end:
            raise InvalidArgument("give an end or open_end, not both", reason="CONFLICTING_ARGUMENTS")
        machine_id = self.resolve(ref)
        with self._db.read() as session:
            before = self._visible_row(session, machine_id, ref)
        new_start, new_end = _moved_window(before, start, end, open_end, self._clock())
        self._resources.update_claim_window(
            machine_id, resource.Window(new_start if start is not None else None, new_end), owner=CLAIM_OWNER
        )
        try:
            with self._db.write() as session:
                row = self._visible_row(session, machine_id, ref)
                if MachineState(row.state) not in WINDOW_STATES or (
                    start is not None and MachineState(row.state) is not MachineState.RESERVED
                ):
                    raise Conflict(
                        f"machine {ref[:255]} changed meanwhile (now {row.state}): read it again",
                        reason="MACHINE_CHANGED",
                    )
                self._move_tasks(session, row, new_start, new_end)
                row.window_start, row.window_end = new_start, new_end
                state = MachineState(row.state)
                if state is MachineState.RESERVED and new_start <= self._clock():
                    state = MachineState.SCHEDULED
                self._set_state(session, row, state, error=row.error)
                machine = _to_domain(row, "")
        except BaseException:
            self._restore_claim(machine_id, before)
            raise
        return dataclasses.replace(machine, name=self._name_of(machine_id))

    def _move_tasks(self, session: orm.Session, row: MachineRow, start: datetime, end: datetime | None) -> None:
        machine_id = str(row.id)
        if start != row.window_start:
            self._tasks.reschedule(session, machine_id, PROVISION_MACHINE, start)
        if end is None:
            self._tasks.cancel_target(session, machine_id, kinds=[DECOMMISSION_MACHINE])
        elif not self._tasks.reschedule(session, machine_id, DECOMMISSION_MACHINE, end):
            host = session.get(HostRow, row.host_id) if row.host_id else None
            ref = {"machine_id": machine_id, "host_uri": self._host_uri(session, row)}
            self._tasks.enqueue(session, DECOMMISSION_MACHINE, machine_id, self._decommission_payload(host, ref), end)

    def _restore_claim(self, machine_id: str, before: MachineRow) -> None:
        """Put the claim's window back after the machine could not follow it."""
        started = MachineState(before.state) is not MachineState.RESERVED
        window = resource.Window(None if started else before.window_start, before.window_end)
        try:
            self._resources.update_claim_window(machine_id, window, owner=CLAIM_OWNER)
        except Exception:
            log.exception("could not put a machine's claim window back", extra={"machine": machine_id})

    # --- reads ---------------------------------------------------------------

    def resolve(self, ref: str) -> str:
        if not ref:
            raise InvalidArgument("machine is required", reason="MACHINE_REQUIRED")
        try:
            return self._names.resolve("machine", current_caller().project_id, ref)
        except NotFound:
            # A decommissioned machine has given its name back; its UUID still works.
            try:
                return str(uuid.UUID(ref))
            except ValueError:
                raise NotFound(f"machine {ref[:255]} not found", reason="MACHINE_NOT_FOUND") from None

    def get(self, ref: str) -> Machine:
        machine_id = self.resolve(ref)
        with self._db.read() as session:
            row = self._visible_row(session, machine_id, ref)
            return _to_domain(row, self._name_of(machine_id))

    def list(
        self, machine_filter: MachineFilter | None = None, *, page_size: int = 0, page_token: str = ""
    ) -> tuple[list[Machine], str]:
        machine_filter = machine_filter or MachineFilter()
        size = pages.page_size(page_size)
        query = sa.select(MachineRow).order_by(MachineRow.created_at, MachineRow.id).limit(size + 1)
        visible = tenancy.visible_projects()
        if visible is not None:
            query = query.where(MachineRow.project_id.in_([uuid.UUID(p) for p in visible]))
        if machine_filter.project:
            try:
                project = uuid.UUID(self._project(machine_filter.project))
            except ValueError:
                # A tenant named a project that does not exist: none of its machines to show.
                return [], ""
            query = query.where(MachineRow.project_id == project)
        if machine_filter.states:
            query = query.where(MachineRow.state.in_([str(s) for s in machine_filter.states]))
        if machine_filter.host:
            query = query.where(MachineRow.host_id == uuid.UUID(self._hosts.resolve(machine_filter.host)))
        after = pages.decode(page_token)
        if after:
            query = query.where(sa.tuple_(MachineRow.created_at, MachineRow.id) > sa.tuple_(*after))
        with self._db.read() as session:
            rows = list(session.scalars(query))
        more = len(rows) > size
        rows = rows[:size]
        names = self._names.describe("machine", [str(row.id) for row in rows])
        machines = [_to_domain(row, names[str(row.id)].name if str(row.id) in names else "") for row in rows]
        return machines, pages.encode(rows[-1].created_at, rows[-1].id) if more else ""

    # --- task hooks (run by the task queue and the control runner) -------------

    def _begin_provisioning(self, session: orm.Session, task: Task) -> bool:
        """As its task is leased: False when the machine no longer wants it."""
        row = session.get(MachineRow, uuid.UUID(task.target_id))
        if row is None:
            return False
        if MachineState(row.state) in (MachineState.SCHEDULED, MachineState.RESERVED):
            if task.payload.get("image_path"):
                row.step = POWERING_OFF
            self._set_state(session, row, MachineState.PROVISIONING)
        return MachineState(row.state) is MachineState.PROVISIONING

    def _begin_decommissioning(self, session: orm.Session, task: Task) -> bool:
        row = session.get(MachineRow, uuid.UUID(task.target_id))
        if row is None:
            return False
        state = MachineState(row.state)
        if state is not MachineState.DECOMMISSIONED and state is not MachineState.DECOMMISSIONING:
            # The window ended: decommissioning starts by itself. A deploy
            # under way ends here, its waits with it.
            row.step, row.step_deadline = None, None
            self._set_state(session, row, MachineState.DECOMMISSIONING)
        return MachineState(row.state) is MachineState.DECOMMISSIONING

    def finish_decommission(self, machine_id: str) -> None:
        """Give back the capacity the machine held once its host is clean."""
        self._release_claim(machine_id)

    def _record_provisioning(self, session: orm.Session, task: Task, outcome: Outcome) -> None:
        row = session.get(MachineRow, uuid.UUID(task.target_id))
        if row is None or MachineState(row.state) is not MachineState.PROVISIONING:
            return
        if outcome.ok and "sha256" in outcome.data and self.deploys is not None:
            self.deploys.image_checked(session, row, task, outcome)
        elif outcome.ok:
            self._set_state(session, row, MachineState.ACTIVE)
        else:
            row.step, row.step_deadline = None, None
            self._set_state(session, row, MachineState.ERROR, error=outcome.detail or "provisioning failed")

    def _record_decommissioning(self, session: orm.Session, task: Task, outcome: Outcome) -> None:
        row = session.get(MachineRow, uuid.UUID(task.target_id))
        if row is None or MachineState(row.state) is not MachineState.DECOMMISSIONING:
            return
        if outcome.ok and outcome.data.get("clean") == "ready" and self.deploys is not None:
            self.deploys.clean_ready(session, row)
        elif outcome.ok:
            self._set_state(session, row, MachineState.DECOMMISSIONED)
            # After the last snapshot (which still shows the name) is published.
            machine_id = task.target_id
            db.after_commit(session, lambda: self._names.forget("machine", machine_id))
        else:
            self._set_state(session, row, MachineState.ERROR, error=outcome.detail or "decommissioning failed")

    def _reserve_name(self, project_id: str, name: str) -> NameReservation:
        """The name for a new machine. A decommissioned machine's name is
        dropped just after its state commits, so a caller who saw the state
        may ask for the name before it is free: it is taken back then."""
        try:
            return self._names.reserve("machine", project_id, name)
        except AlreadyExists as taken:
            if taken.reason != "NAME_TAKEN":
                raise
            try:
                holder: str | None = self._names.resolve("machine", project_id, name)
            except NotFound:
                holder = None  # dropped in between
            if holder is not None:
                with self._db.read() as session:
                    row = session.get(MachineRow, uuid.UUID(holder))
                if row is None or MachineState(row.state) is not MachineState.DECOMMISSIONED:
                    raise
                self._names.forget("machine", holder)
        return self._names.reserve("machine", project_id, name)

    # --- for deploys ------------------------------------------------------------

    def record(self, session: orm.Session, row: MachineRow, state: MachineState, error: str | None = None) -> None:
        self._set_state(session, row, state, error)

    def decommissioned(self, session: orm.Session, row: MachineRow) -> None:
        self._set_state(session, row, MachineState.DECOMMISSIONED)
        machine_id = str(row.id)
        db.after_commit(session, lambda: self._names.forget("machine", machine_id))
        db.after_commit(session, lambda: self._release_claim(machine_id))

    # --- helpers ---------------------------------------------------------------

    def _set_state(self, session: orm.Session, row: MachineRow, state: MachineState, error: str | None = None) -> None:
        row.state = str(state)
        row.error = error
        row.updated_at = self._clock()
        session.flush()
        self._events.publish_after_commit(session, _to_domain(row, ""))

    def _project(self, ref: str) -> str:
        return tenancy.project_argument(ref, lambda typed: resolve_project(self._names, typed))

    def _visible_row(self, session: orm.Session, machine_id: str, ref: str) -> MachineRow:
        row = session.get(MachineRow, uuid.UUID(machine_id))
        if row is None:
            raise NotFound(f"machine {ref[:255]} not found", reason="MACHINE_NOT_FOUND")
        tenancy.check_visible(str(row.project_id), "machine", ref[:255])
        return row

    def _host_uri(self, session: orm.Session, row: MachineRow) -> str:
        host = session.get(HostRow, row.host_id) if row.host_id else None
        return host.uri or "" if host else ""

    def _provision_payload(self, host: HostRow, spec: dict[str, Any], image: Image) -> dict[str, Any]:
        payload: dict[str, Any] = {"driver": driver_for(host), "spec": spec}
        if host.kind == HostKind.BAREMETAL:
            # A deploy starts with the node off; without one, it stays so.
            host.power_target = "off"
            payload["host_id"] = str(host.id)
            if self.deploys is not None:
                payload["image_path"] = image.source
                payload["image_format"] = str(image.format)
                # The executor refuses an image whose disk is larger than the node's (0: not known).
                payload["disk_gb"] = int((host.facts or {}).get("disk_gb") or 0)
                payload.update(boot_media(host))
        return payload

    def _decommission_payload(self, host: HostRow | None, ref: dict[str, str]) -> dict[str, Any]:
        payload: dict[str, Any] = {"driver": driver_for(host), "ref": ref}
        if host is not None and host.kind == HostKind.BAREMETAL:
            payload["host_id"] = str(host.id)
            if self.deploys is not None:
                # The disks are wiped before the node takes another machine.
                payload["clean"] = True
                payload.update(boot_media(host))
        return payload

    def _name_of(self, machine_id: str) -> str:
        named = self._names.describe("machine", [machine_id]).get(machine_id)
        return named.name if named else ""


def _check_deployable(image: Image) -> None:
    """A node is deployed from an image file the daemon can serve raw: a raw
    file as it is, a qcow2 file once the executor has converted it."""
    if not image.source.startswith("/"):
        raise FailedPrecondition(
            f"image {image.id} is a libvirt volume: baremetal machines need an image file (an absolute path)",
            reason="IMAGE_NOT_DEPLOYABLE",
        )
    if image.format not in _DEPLOYABLE_FORMATS:
        raise FailedPrecondition(
            f"image {image.id} is {image.format}: baremetal machines are deployed from raw or qcow2 images",
            reason="IMAGE_NOT_DEPLOYABLE",
        )


def _row(session: orm.Session, machine_id: str) -> MachineRow:
    row = session.get(MachineRow, uuid.UUID(machine_id))
    if row is None:
        raise NotFound(f"machine {machine_id} not found", reason="MACHINE_NOT_FOUND")
    return row


def _moved_window(
    row: MachineRow, start: datetime | None, end: datetime | None, open_end: bool, now: datetime
) -> tuple[datetime, datetime | None]:
    """The machine's window once moved as asked; raises when it cannot move so."""
    state = MachineState(row.state)
    if state not in WINDOW_STATES:
        raise FailedPrecondition(
            f"a {state} machine's window no longer moves", reason="WINDOW_NOT_CHANGEABLE", metadata={"state": state}
        )
    for value, label in ((start, "start"), (end, "end")):
        if value is not None and value.tzinfo is None:
            raise InvalidArgument(f"{label} must carry a time zone", reason="INVALID_WINDOW")
    new_start = row.window_start
    if start is not None:
        if state is not MachineState.RESERVED:
            raise FailedPrecondition(
                "the window has started: only its end can move", reason="WINDOW_STARTED", metadata={"state": state}
            )
        if start < now - START_SKEW:
            raise InvalidArgument("the window starts in the past", reason="WINDOW_IN_PAST")
        new_start = max(start, now)
    new_end = None if open_end else end if end is not None else row.window_end
    if new_end is not None and new_end <= max(new_start, now):
        raise InvalidArgument(
            "the window must end after it starts and after now (to end it now, decommission)",
            reason="INVALID_WINDOW",
        )
    return new_start, new_end


def _window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime | None]:
    for value, label in ((start, "start"), (end, "end")):
        if value is not None and value.tzinfo is None:
            raise InvalidArgument(f"{label} must carry a time zone", reason="INVALID_WINDOW")
    if start is not None and start < now - START_SKEW:
        raise InvalidArgument("the window starts in the past", reason="WINDOW_IN_PAST")
    begin = max(start or now, now)
    if end is not None and end <= begin:
        raise InvalidArgument("the window must end after it starts", reason="INVALID_WINDOW")
    return begin, end


def _check_access(request: MachineRequest) -> None:
    if len(request.ssh_keys) > MAX_SSH_KEYS or any(
        not key.strip() or len(key) > MAX_SSH_KEY or "\n" in key.strip() for key in request.ssh_keys
    ):
        raise InvalidArgument(
            f"at most {MAX_SSH_KEYS} ssh keys, each one line of at most {MAX_SSH_KEY} bytes", reason="INVALID_SSH_KEYS"
        )
    if len(request.user_data.encode()) > MAX_USER_DATA:
        raise InvalidArgument(f"user_data is larger than {MAX_USER_DATA} bytes", reason="USER_DATA_TOO_LARGE")


def _to_domain(row: MachineRow, name: str) -> Machine:
    return Machine(
        id=str(row.id),
        name=name,
        project_id=str(row.project_id),
        kind=MachineKind(row.kind),
        state=MachineState(row.state),
        error=row.error or "",
        resources=Resources(row.vcpus, row.memory_mb, row.disk_gb),
        image_id=str(row.image_id),
        host_id=str(row.host_id) if row.host_id else None,
        region_id=str(row.region_id) if row.region_id else None,
        network=row.network,
        start=row.window_start,
        end=row.window_end,
        created_at=row.created_at,
        updated_at=row.updated_at,
        step=row.step or "",
    )
