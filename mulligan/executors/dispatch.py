"""Runs a leased task with the driver its payload names.

Task payloads are plain JSON written by whoever queued the task; this is
the one place that knows their shape on the executor side:

- ``host.inspect``: ``{"driver", "host_uri", "pool"?}`` -> data ``{"facts": {...}}``
- ``machine.provision``: ``{"driver", "spec": {MachineSpec fields}}`` -> data ``{"result": {...}}``
- ``machine.decommission``: ``{"driver", "ref": {MachineRef fields}}`` -> data ``{}``
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mulligan.executors import node
from mulligan.executors.bmc.types import BmcDriver
from mulligan.executors.drivers import Driver, DriverError, MachineRef, MachineSpec, TransientDriverError
from mulligan.executors.pool import Assignment, Outcome

log = logging.getLogger("mulligan.executors")

INSPECT_HOST = "host.inspect"
PROVISION_MACHINE = "machine.provision"
DECOMMISSION_MACHINE = "machine.decommission"


HOST_POWER = node.HOST_POWER
MACHINE_POWER = node.MACHINE_POWER
BOOT_DISK = node.BOOT_DISK
BOOT_RAMDISK = node.BOOT_RAMDISK
PREPARE_BOOT = node.PREPARE_BOOT

_Step = Callable[[Any, Mapping[str, Any]], dict[str, Any]]


class Dispatcher:
    """A :class:`~mulligan.executors.TaskRunner` over a set of named drivers:
    hypervisor drivers, and BMC drivers for baremetal nodes.

    ``image_cache`` is the directory qcow2 images are converted into for
    deploys onto nodes (None: only raw images are deployed)."""

    def __init__(
        self,
        drivers: Mapping[str, Driver],
        bmc_drivers: Mapping[str, BmcDriver] | None = None,
        *,
        image_cache: Path | None = None,
    ) -> None:
        self._drivers = dict(drivers)
        self._bmc_drivers = dict(bmc_drivers or {})
        self._kinds: dict[str, _Step] = {
            INSPECT_HOST: _inspect,
            PROVISION_MACHINE: _provision,
            DECOMMISSION_MACHINE: _decommission,
        }
        self._node_kinds: dict[str, _Step] = {
            INSPECT_HOST: node.inspect,
            PROVISION_MACHINE: functools.partial(node.provision, image_cache=image_cache),
            DECOMMISSION_MACHINE: node.decommission,
            HOST_POWER: node.power,
            MACHINE_POWER: node.power,
            BOOT_DISK: node.boot_disk,
            BOOT_RAMDISK: node.boot_ramdisk,
            PREPARE_BOOT: node.prepare_boot,
        }

    def run(self, assignment: Assignment) -> Outcome:
        name = str(assignment.payload.get("driver", ""))
        driver: Any = self._bmc_drivers.get(name)
        kinds = self._node_kinds
        if driver is None:
            driver, kinds = self._drivers.get(name), self._kinds
        step = kinds.get(assignment.kind)
        if step is None:
            return Outcome(ok=False, detail=f"no executor step for task kind {assignment.kind!r}")
        if driver is None:
            return Outcome(ok=False, detail=f"no driver {assignment.payload.get('driver')!r} in this daemon")
        try:
            return Outcome(ok=True, data=step(driver, assignment.payload))
        except TransientDriverError as exc:
            log.warning("task hit a transient error", extra={"task": assignment.task_id, "detail": exc.message})
            return Outcome(ok=False, transient=True, detail=exc.message)
        except DriverError as exc:
            return Outcome(ok=False, detail=exc.message)
        except (KeyError, TypeError, ValueError) as exc:
            return Outcome(ok=False, detail=f"malformed task payload: {exc}")

    def close(self) -> None:
        for driver in self._drivers.values():
            driver.close()
        for bmc_driver in self._bmc_drivers.values():
            bmc_driver.close()


def _inspect(driver: Driver, payload: Mapping[str, Any]) -> dict[str, Any]:
    facts = driver.inspect(payload["host_uri"], pool=payload.get("pool"))
    as_dict = dataclasses.asdict(facts)
    as_dict["traits"] = sorted(facts.traits)
    return {"facts": as_dict}


def _provision(driver: Driver, payload: Mapping[str, Any]) -> dict[str, Any]:
    spec = dict(payload["spec"])
    spec["ssh_keys"] = tuple(spec.get("ssh_keys", ()))
    result = driver.provision(MachineSpec(**spec))
    as_dict = dataclasses.asdict(result)
    as_dict["state"] = str(result.state)
    return {"result": as_dict}


def _decommission(driver: Driver, payload: Mapping[str, Any]) -> dict[str, Any]:
    driver.decommission(MachineRef(**payload["ref"]))
    return {}
