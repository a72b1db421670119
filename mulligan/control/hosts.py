"""Hosts: enrolling, inspecting, enabling and removing hypervisors and
baremetal nodes.

A host's resource provider carries the host's UUID, so a claim's provider
is the host the machine runs on. Inspection results reach the provider
(inventories and traits) before the inspect task completes; the host row
then records the facts in the task's completion transaction.

A baremetal node's provider holds one ``BAREMETAL_NODE`` (so one machine
takes the whole node) beside its CPUs, memory and disk (so a request's
sizes are minimums the node must meet). Its BMC password is sealed with
the daemon's secret key, bound to the host, and opened only in memory when
a task needs it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import resource
from mulligan.control import bmc_access, pages
from mulligan.control.credentials import SecretBox
from mulligan.control.models import HostRow, MachineRow
from mulligan.control.tasks import Task, TaskQueue
from mulligan.control.types import LIVE_STATES, BmcAccess, Host, HostKind, HostState, NodeProperties
from mulligan.db import Database
from mulligan.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from mulligan.executors import INSPECT_HOST, Outcome
from mulligan.naming import NameRegistry
from mulligan.text import checks_text, reported_text

DISABLED_TRAIT = "COMPUTE_STATUS_DISABLED"
BAREMETAL_TRAIT = "COMPUTE_BAREMETAL"
NODE_CLASS = "BAREMETAL_NODE"
NETWORK_TRAIT_PREFIX = "CUSTOM_NETWORK_"
# How far each class may be overcommitted on a hypervisor.
ALLOCATION_RATIOS = {"VCPU": 4.0, "MEMORY_MB": 1.0, "DISK_GB": 1.0}
MAX_URI = 1024


def network_trait(network: str) -> str:
    """The trait marking providers whose host has ``network``."""
    code = "".join(ch if ch.isalnum() else "_" for ch in network.upper())
    return f"{NETWORK_TRAIT_PREFIX}{code}"[:255]


def driver_for(row: HostRow | None) -> str:
    """The driver a host's tasks run with: libvirt, or its BMC's protocol."""
    if row is None or row.kind == HostKind.HYPERVISOR:
        return "libvirt"
    return row.bmc_protocol or "ipmi"


@checks_text
class Hosts:
    def __init__(
        self,
        database: Database,
        tasks: TaskQueue,
        resources: resource.ResourceService,
        names: NameRegistry,
        *,
        secrets: SecretBox,
        bmc_defaults: bmc_access.CallDefaults = bmc_access.DEFAULT_CALLS,
    ) -> None:
        self._db = database
        self._tasks = tasks
        self._resources = resources
        self._names = names
        self._secrets = secrets
        self._bmc_defaults = bmc_defaults
        tasks.on_result(INSPECT_HOST, self._record_inspection)

    def enroll(
        self,
        name: str,
        *,
        kind: HostKind,
        region: str,
        uri: str = "",
        bmc: BmcAccess | None = None,
        properties: NodeProperties | None = None,
        disabled: bool = False,
    ) -> Host:
        if kind is HostKind.BAREMETAL:
            if bmc is None:
                raise InvalidArgument("a baremetal node needs its BMC", reason="BMC_REQUIRED")
            bmc = bmc_access.check(bmc)
            declared = bmc_access.check_properties(properties or NodeProperties(), self._known_traits())
            uri = bmc_access.uri_of(bmc)
        else:
            if bmc is not None or properties is not None:
                raise InvalidArgument(
                    "only baremetal nodes have a BMC and declared properties", reason="BMC_UNEXPECTED"
                )
            uri = _check_uri(uri)
            declared = None
        if not region:
            raise InvalidArgument("region is required", reason="REGION_REQUIRED")
        region_id = self._resources.get_region(region).id
        with self._db.read() as session:
            if session.scalar(sa.select(HostRow.id).where(HostRow.uri == uri)) is not None:
                raise AlreadyExists(f"a host with URI {uri} is already enrolled", reason="HOST_URI_TAKEN")
        now = datetime.now(UTC)
        with self._names.reserve("host", None, name) as reservation:
            host_id = reservation.object_id
            self._resources.create_provider(region_id, id=host_id, traits=[DISABLED_TRAIT] if disabled else [])
            try:
                with self._db.write() as session:
                    row = HostRow(
                        id=uuid.UUID(host_id),
                        kind=str(kind),
                        region_id=uuid.UUID(region_id),
                        uri=uri,
                        state=str(HostState.ENROLLING),
                        enabled=not disabled,
                        facts={},
                        declared=declared,
                        power_failures=0,
                        maintenance=False,
                        maintenance_auto=False,
                        bmc_tls=False,
                        bmc_verify_tls=True,
                        created_at=now,
                        updated_at=now,
                    )
                    if bmc is not None:
                        self._store_bmc(row, bmc)
                    session.add(row)
                    self._queue_inspection(session, row)
                # After the commit: the embedded name store shares the database,
                # and writing it from inside our transaction would wait on itself.
                reservation.confirm()
            except sa.exc.IntegrityError:
                self._resources.delete_provider(host_id)
                raise AlreadyExists(f"a host with URI {uri} is already enrolled", reason="HOST_URI_TAKEN") from None
            except BaseException:
                self._forget_row(host_id)
                self._resources.delete_provider(host_id)
                raise
        return self.get(host_id)

    def _forget_row(self, host_id: str) -> None:
        with self._db.write() as session:
            self._tasks.cancel_target(session, host_id)
            session.execute(sa.delete(HostRow).where(HostRow.id == uuid.UUID(host_id)))

    def resolve(self, ref: str) -> str:
        if not ref:
            raise InvalidArgument("host is required", reason="HOST_REQUIRED")
        return self._names.resolve("host", None, ref)

    def get(self, ref: str) -> Host:
        host_id = self.resolve(ref)
        with self._db.read() as session:
            row = _row(session, host_id)
            return self._to_domain(row, self._name_of(host_id))

    def list(self, *, page_size: int = 0, page_token: str = "") -> tuple[list[Host], str]:
        size = pages.page_size(page_size)
        query = sa.select(HostRow).order_by(HostRow.created_at, HostRow.id).limit(size + 1)
        after = pages.decode(page_token)
        if after:
            query = query.where(sa.tuple_(HostRow.created_at, HostRow.id) > sa.tuple_(*after))
        with self._db.read() as session:
            rows = list(session.scalars(query))
        more = len(rows) > size
        rows = rows[:size]
        names = self._names.describe("host", [str(row.id) for row in rows])
        hosts = [self._to_domain(row, names[str(row.id)].name if str(row.id) in names else "") for row in rows]
        token = pages.encode(rows[-1].created_at, rows[-1].id) if more else ""
        return hosts, token

    def set_enabled(self, ref: str, enabled: bool) -> Host:
        host_id = self.resolve(ref)
        with self._db.read() as session:
            in_maintenance = _row(session, host_id).maintenance
        # The provider's trait is what keeps new claims away; set it first so
        # a crash in between leaves the host safe (disabled) rather than open.
        if enabled and not in_maintenance:
            self._resources.remove_traits(host_id, [DISABLED_TRAIT])
        elif not enabled:
            self._resources.add_traits(host_id, [DISABLED_TRAIT])
        with self._db.write() as session:
            row = _row(session, host_id)
            row.enabled = enabled
            row.updated_at = datetime.now(UTC)
        return self.get(host_id)

    def inspect(self, ref: str) -> Host:
        host_id = self.resolve(ref)
        with self._db.write() as session:
            self._queue_inspection(session, _row(session, host_id))
        return self.get(host_id)

    def delete(self, ref: str) -> None:
        host_id = self.resolve(ref)
        with self._db.write() as session:
            row = _row(session, host_id)
            busy = session.scalar(
                sa.select(sa.func.count())
                .select_from(MachineRow)
                .where(MachineRow.host_id == row.id, MachineRow.state.in_([str(s) for s in LIVE_STATES]))
            )
            if busy:
                raise FailedPrecondition(
                    f"host {ref} still has {busy} machine(s); decommission them first",
                    reason="HOST_HAS_MACHINES",
                    metadata={"machines": str(busy)},
                )
            self._tasks.cancel_target(session, host_id)
            session.delete(row)
        with contextlib.suppress(NotFound):
            self._resources.delete_provider(host_id)
        self._names.forget("host", host_id)

    def network_known(self, network: str) -> bool:
        """Whether some host has offered ``network`` (its trait exists).

        One lookup however large the fleet; whether a host that offers it
        has room is the claim's question.
        """
        code = network_trait(network)
        return any(trait.code == code for trait in self._resources.list_traits(prefix=code))

    @reported_text
    def apply_facts(self, host_id: str, facts: Mapping[str, Any]) -> None:
        """Give the host's provider the inventories and traits inspection found."""
        with self._db.read() as session:
            row = _row(session, host_id)
            baremetal = row.kind == HostKind.BAREMETAL
            closed = not row.enabled or row.maintenance
        ratios = {cls: 1.0 for cls in ALLOCATION_RATIOS} if baremetal else ALLOCATION_RATIOS
        inventories = [
            resource.InventorySpec(resource_class=cls, total=int(facts[key]), allocation_ratio=ratios[cls])
            for cls, key in (("VCPU", "cpus"), ("MEMORY_MB", "memory_mb"), ("DISK_GB", "disk_gb"))
            if int(facts.get(key, 0)) > 0
        ]
        if baremetal:
            inventories.append(resource.InventorySpec(resource_class=NODE_CLASS, total=1, min_unit=1, max_unit=1))
        self._resources.set_inventory(host_id, inventories, replace=True)
        known = self._known_traits()
        wanted = {trait for trait in facts.get("traits", ()) if trait in known}
        # Traits a node's inspection derives (its size classes, NIC count) are
        # created on first sight, as network traits are.
        made = {network_trait(network) for network in facts.get("networks", ())}
        if baremetal:
            made |= {trait for trait in facts.get("traits", ()) if trait.startswith("CUSTOM_")}
        for code in made - known:
            with contextlib.suppress(AlreadyExists):
                self._resources.create_trait(code)
        wanted |= made
        if closed:
            wanted.add(DISABLED_TRAIT)
        self._resources.set_traits(host_id, wanted)

    def _known_traits(self) -> set[str]:
        return {trait.code for trait in self._resources.list_traits()}

    def _queue_inspection(self, session: orm.Session, row: HostRow) -> None:
        if row.kind == HostKind.BAREMETAL:
            payload = {"driver": driver_for(row), "host_id": str(row.id), "declared": row.declared or {}}
            self._tasks.enqueue(session, INSPECT_HOST, str(row.id), payload, max_attempts=bmc_access.BMC_TASK_ATTEMPTS)
            return
        self._tasks.enqueue(session, INSPECT_HOST, str(row.id), {"driver": driver_for(row), "host_uri": row.uri or ""})

    # --- baremetal ---------------------------------------------------------------

    def _store_bmc(self, row: HostRow, bmc: BmcAccess) -> None:
        row.bmc_protocol = bmc.protocol
        row.bmc_address = bmc.address
        row.bmc_port = bmc.port
        row.bmc_username = bmc.username
        row.bmc_password = self._secrets.seal(bmc.password.encode(), bound_to=str(row.id))
        row.bmc_tls = bmc.tls
        row.bmc_verify_tls = bmc.verify_tls
        row.bmc_ca_pem = bmc.ca_pem or None
        row.bmc_timeout_s = bmc.timeout_s or None
        row.bmc_retries = bmc.retries if bmc.retries >= 0 else None

    def bmc_credential(self, host_id: str) -> dict[str, Any]:
        """The fields of the node's BMC credential, password opened; for the
        executor's memory only, never to be stored or logged."""
        with self._db.read() as session:
            row = _row(session, host_id)
            if row.kind != HostKind.BAREMETAL or row.bmc_password is None:
                raise FailedPrecondition(f"host {host_id} has no BMC", reason="NOT_BAREMETAL")
            password = self._secrets.open(row.bmc_password, bound_to=host_id)
            return bmc_access.credential_fields(row, password, self._bmc_defaults)

    def _record_inspection(self, session: orm.Session, task: Task, outcome: Outcome) -> None:
        row = session.get(HostRow, uuid.UUID(task.target_id))
        if row is None:
            return
        now = datetime.now(UTC)
        row.updated_at = now
        if outcome.ok:
            row.facts = dict(outcome.data.get("facts", {}))
            row.state = str(HostState.READY)
            row.error = None
            row.inspected_at = now
            if row.kind == HostKind.BAREMETAL:
                row.power_state = str(row.facts.get("power") or "unknown")
                row.power_synced_at = now
        else:
            row.state = str(HostState.ERROR)
            row.error = outcome.detail or "inspection failed"

    def _name_of(self, host_id: str) -> str:
        named = self._names.describe("host", [host_id]).get(host_id)
        return named.name if named else ""

    @staticmethod
    def _to_domain(row: HostRow, name: str) -> Host:
        facts = row.facts or {}
        return Host(
            id=str(row.id),
            name=name,
            kind=HostKind(row.kind),
            region_id=str(row.region_id),
            uri=row.uri,
            bmc_address=row.bmc_address,
            bmc_port=row.bmc_port,
            bmc_username=row.bmc_username,
            state=HostState(row.state),
            enabled=row.enabled,
            error=row.error or "",
            cpus=int(facts.get("cpus", 0)),
            memory_mb=int(facts.get("memory_mb", 0)),
            disk_gb=int(facts.get("disk_gb", 0)),
            traits=tuple(facts.get("traits", ())),
            networks=tuple(facts.get("networks", ())),
            inspected_at=row.inspected_at,
            created_at=row.created_at,
            bmc_protocol=row.bmc_protocol,
            power_state=row.power_state,
            power_synced_at=row.power_synced_at,
            maintenance=row.maintenance,
            maintenance_reason=row.maintenance_reason or "",
            macs=tuple(facts.get("macs", ())),
        )


def _row(session: orm.Session, host_id: str) -> HostRow:
    row = session.get(HostRow, uuid.UUID(host_id))
    if row is None:
        raise NotFound(f"host {host_id} not found", reason="HOST_NOT_FOUND")
    return row


def _check_uri(uri: str) -> str:
    uri = uri.strip()
    if not uri:
        raise InvalidArgument("a hypervisor needs a libvirt URI, e.g. qemu+ssh://hv1/system", reason="URI_REQUIRED")
    scheme, sep, _ = uri.partition("://")
    if not sep or not scheme or len(uri) > MAX_URI or not uri.isprintable():
        raise InvalidArgument(f"{uri[:80]!r} is not a libvirt URI", reason="INVALID_URI")
    return uri
