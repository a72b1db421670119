"""What the executor pool runs: the drivers' work, wrapped in control's
bookkeeping.

The machine's state moved when its task was leased (scheduled ->
provisioning, active -> decommissioning: the task queue's lease handlers in
:mod:`mulligan.control.machines`). After a successful driver step,
what lives in other modules is brought in line — the provider's inventory
after an inspection, the claim and the name after a decommission — before
the task completes, so a crash in between only repeats idempotent steps.
The task's completion then records the final state in one transaction.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from mulligan.control.hosts import Hosts
from mulligan.control.machines import Machines
from mulligan.errors import MulliganError
from mulligan.executors import (
    BOOT_RAMDISK,
    DECOMMISSION_MACHINE,
    INSPECT_HOST,
    Assignment,
    Outcome,
    TaskRunner,
)

log = logging.getLogger("mulligan.control")


class ControlRunner:
    def __init__(
        self,
        drivers: TaskRunner,
        hosts: Hosts,
        machines: Machines,
        media_url: Callable[[str], str] | None = None,
    ) -> None:
        self._drivers = drivers
        self._hosts = hosts
        self._machines = machines
        self._media_url = media_url

    def run(self, assignment: Assignment) -> Outcome:
        host_id = assignment.payload.get("host_id")
        if host_id:
            # A node's task: its BMC credential joins the payload in memory
            # only, so the stored task never holds the password.
            try:
                bmc = self._hosts.bmc_credential(str(host_id))
            except MulliganError as exc:
                return Outcome(ok=False, detail=exc.message)
            extra: dict[str, Any] = {"bmc": bmc}
            if assignment.kind == BOOT_RAMDISK and assignment.payload.get("media") and self._media_url is not None:
                # The job's token, like the password, is never stored with the task.
                try:
                    extra["media_url"] = self._media_url(str(host_id))
                except MulliganError as exc:
                    return Outcome(ok=False, detail=exc.message)
            assignment = dataclasses.replace(assignment, payload={**assignment.payload, **extra})
        outcome = self._drivers.run(assignment)
        if not outcome.ok:
            return outcome
        try:
            if assignment.kind == INSPECT_HOST:
                self._hosts.apply_facts(assignment.target_id, outcome.data.get("facts", {}))
            elif assignment.kind == DECOMMISSION_MACHINE and outcome.data.get("clean") != "ready":
                # A node being cleaned keeps its capacity until the ramdisk reports it clean.
                self._machines.finish_decommission(assignment.target_id)
        except MulliganError as exc:
            log.warning("applying a task result failed", extra={"task": assignment.task_id, "detail": exc.message})
            return Outcome(ok=False, detail=exc.message)
        return outcome
