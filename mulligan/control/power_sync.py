"""Power sync: read every node's power state, correct drift, notice lost BMCs.

A pass reads each ready baremetal node's BMC once. Calls start at an even
pace over half the interval and never more than ``concurrency`` are in
flight, so a thousand nodes never become a burst of a thousand UDP
exchanges. Then, in one transaction:

- the power state each node reported is recorded;
- a node whose state differs from what Mulligan last asked of it (drift)
  gets a power task towards that target, unless sync only reports, or the
  node or one of its machines has work queued or running already;
- a node whose BMC failed ``failures_to_maintenance`` reads in a row goes
  into maintenance with the reason, and leaves it at the first good read.

One daemon at a time runs a pass: each pass is claimed through a key in
the key/value store that expires before the next one is due.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent import futures
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from mulligan.control.hosts import Hosts
from mulligan.control.models import HostRow
from mulligan.control.power import PowerControl, unfinished_targets
from mulligan.control.tasks import TaskQueue
from mulligan.control.types import HostKind, HostState, PowerAction
from mulligan.db import Database
from mulligan.errors import MulliganError
from mulligan.executors import BmcCredential, BmcDriver, DriverError, NodePower, bmc_credential
from mulligan.kv import Compare, KeyValueStore, Op

log = logging.getLogger("mulligan.control.power_sync")

PASS_KEY = "control/power-sync/pass"  # noqa: S105 (a key name, no secret)
_CORRECTIONS = {"on": PowerAction.ON, "off": PowerAction.OFF}
_MAX_DETAIL = 500


@dataclass(frozen=True)
class SyncSettings:
    interval_s: float = 60.0
    concurrency: int = 16
    correct: bool = True
    failures_to_maintenance: int = 3


DEFAULT_SYNC = SyncSettings()


@dataclass
class PassReport:
    nodes: int = 0
    answered: int = 0
    failed: int = 0
    drifted: int = 0
    corrected: int = 0
    entered_maintenance: int = 0
    left_maintenance: int = 0
    peak_in_flight: int = 0
    seconds: float = 0.0
    skipped: bool = False


@dataclass
class _Reading:
    host_id: uuid.UUID
    power: NodePower | None = None
    error: str = ""


@dataclass
class _InFlight:
    lock: threading.Lock = field(default_factory=threading.Lock)
    now: int = 0
    peak: int = 0

    def __enter__(self) -> None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc_info: object) -> None:
        with self.lock:
            self.now -= 1


class PowerSync:
    def __init__(
        self,
        database: Database,
        kv: KeyValueStore,
        tasks: TaskQueue,
        hosts: Hosts,
        power: PowerControl,
        *,
        drivers: Mapping[str, BmcDriver],
        settings: SyncSettings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._db = database
        self._kv = kv
        self._tasks = tasks
        self._hosts = hosts
        self._power = power
        self._drivers = dict(drivers)
        self.settings = settings
        self._clock = clock
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._drivers:
            self._thread = threading.Thread(target=self._loop, name="power-sync", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            # A pass stops starting calls at once; a BMC call under way ends
            # within its own timeout, in a daemon thread nobody waits for.
            self._thread.join(timeout=5.0)

    def _loop(self) -> None:
        while not self._stopping.wait(self.settings.interval_s):
            if not self._claim_pass():
                continue
            try:
                report = self.run_pass(spread_s=self.settings.interval_s / 2)
            except Exception:
                log.exception("power sync pass failed")
                continue
            if report.nodes:
                log.info("power sync pass", extra=vars(report))

    def _claim_pass(self) -> bool:
        ttl = max(1, int(self.settings.interval_s * 0.9))
        try:
            lease = self._kv.grant_lease(ttl)
            claimed = self._kv.txn([Compare.absent(PASS_KEY)], [Op.put(PASS_KEY, b"1", lease.id)]).succeeded
            if not claimed:
                self._kv.revoke_lease(lease.id)
            return claimed
        except Exception:
            log.exception("power sync could not claim its pass")
            return False

    def run_pass(self, *, spread_s: float = 0.0) -> PassReport:
        """One pass over every ready node; calls start evenly over ``spread_s``."""
        started = time.monotonic()
        credentials = self._credentials()
        report = PassReport(nodes=len(credentials))
        if not credentials:
            return report
        in_flight = _InFlight()
        pace = spread_s / len(credentials)
        with futures.ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="power-sync") as pool:
            pending = []
            for index, (host_id, credential) in enumerate(credentials):
                delay = started + index * pace - time.monotonic()
                if delay > 0 and self._stopping.wait(delay):
                    break
                pending.append(pool.submit(self._read, host_id, credential, in_flight))
            readings = [future.result() for future in pending]
        report.peak_in_flight = in_flight.peak
        self._record(readings, report)
        report.seconds = round(time.monotonic() - started, 3)
        return report

    def _credentials(self) -> list[tuple[uuid.UUID, BmcCredential | str]]:
        with self._db.read() as session:
            ids = list(
                session.scalars(
                    sa.select(HostRow.id)
                    .where(HostRow.kind == str(HostKind.BAREMETAL), HostRow.state == str(HostState.READY))
                    .order_by(HostRow.id)
                )
            )
        found: list[tuple[uuid.UUID, BmcCredential | str]] = []
        for host_id in ids:
            try:
                found.append((host_id, bmc_credential(self._hosts.bmc_credential(str(host_id)))))
            except MulliganError as exc:
                # Counts as a failed read: the node cannot be reached either way.
                found.append((host_id, exc.message))
        return found

    def _read(self, host_id: uuid.UUID, credential: BmcCredential | str, in_flight: _InFlight) -> _Reading:
        if isinstance(credential, str):
            return _Reading(host_id, error=credential)
        driver = self._drivers.get(str(credential.protocol))
        if driver is None:
            return _Reading(host_id, error=f"no {credential.protocol} driver in this daemon")
        try:
            with in_flight:
                return _Reading(host_id, power=driver.power_state(credential))
        except DriverError as exc:
            return _Reading(host_id, error=exc.message[:_MAX_DETAIL])
        except Exception as exc:
            log.exception("reading a BMC failed unexpectedly", extra={"host": str(host_id)})
            return _Reading(host_id, error=f"{type(exc).__name__}"[:_MAX_DETAIL])

    def _record(self, readings: list[_Reading], report: PassReport) -> None:
        now = self._clock()
        opened: list[str] = []
        closed: list[str] = []
        with self._db.write() as session:
            rows = {
                row.id: row
                for row in session.scalars(sa.select(HostRow).where(HostRow.id.in_([r.host_id for r in readings])))
            }
            busy = unfinished_targets(session, self._tasks, list(rows))
            for reading in readings:
                row = rows.get(reading.host_id)
                if row is None:
                    continue
                if reading.power is None:
                    report.failed += 1
                    row.power_failures += 1
                    row.power_state = str(NodePower.UNKNOWN)
                    if row.power_failures >= self.settings.failures_to_maintenance and not row.maintenance:
                        row.maintenance = True
                        row.maintenance_auto = True
                        row.maintenance_reason = (
                            f"BMC did not answer {row.power_failures} power checks in a row: {reading.error}"
                        )
                        report.entered_maintenance += 1
                        closed.append(str(row.id))
                        log.warning("node put into maintenance", extra={"host": str(row.id), "detail": reading.error})
                    row.updated_at = now
                    continue
                report.answered += 1
                row.power_failures = 0
                row.power_state = str(reading.power)
                row.power_synced_at = now
                if row.maintenance and row.maintenance_auto:
                    row.maintenance = False
                    row.maintenance_auto = False
                    row.maintenance_reason = None
                    report.left_maintenance += 1
                    if row.enabled:
                        opened.append(str(row.id))
                    log.info("node left maintenance: its BMC answers again", extra={"host": str(row.id)})
                target = row.power_target
                if target in _CORRECTIONS and reading.power is not NodePower.UNKNOWN and str(reading.power) != target:
                    report.drifted += 1
                    log.warning(
                        "node power drifted",
                        extra={"host": str(row.id), "observed": str(reading.power), "wanted": target},
                    )
                    if self.settings.correct and row.id not in busy and not row.maintenance:
                        self._power.queue_host_power(session, row, _CORRECTIONS[target])
                        report.corrected += 1
                row.updated_at = now
        for host_id in closed:
            self._power.apply_closed(host_id, True)
        for host_id in opened:
            self._power.apply_closed(host_id, False)
