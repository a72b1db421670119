"""Runs a leased task with the driver its payload names.

Task payloads are plain JSON written by whoever queued the task; this is
the one place that knows their shape on the executor side:

- ``host.inspect``: ``{"driver", "host_uri", "pool"?}`` -> data ``{"facts": {...}}``
- ``machine.provision``: ``{"driver", "spec": {MachineSpec fields}}`` -> data ``{"result": {...}}``
- ``machine.decommission``: ``{"driver", "ref": {MachineRef fields}}`` -> data ``{}``
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from typing import Any

from mulligan.executors.drivers import Driver, DriverError, MachineRef, MachineSpec, TransientDriverError
from mulligan.executors.pool import Assignment, Outcome

log = logging.getLogger("mulligan.executors")

INSPECT_HOST = "host.inspect"
PROVISION_MACHINE = "machine.provision"
DECOMMISSION_MACHINE = "machine.decommission"


class Dispatcher:
    """A :class:`~mulligan.executors.TaskRunner` over a set of named drivers."""

    def __init__(self, drivers: Mapping[str, Driver]) -> None:
        self._drivers = dict(drivers)
        self._kinds: dict[str, Callable[[Driver, Mapping[str, Any]], dict[str, Any]]] = {
            INSPECT_HOST: _inspect,
            PROVISION_MACHINE: _provision,
            DECOMMISSION_MACHINE: _decommission,
        }

    def run(self, assignment: Assignment) -> Outcome:
        step = self._kinds.get(assignment.kind)
        if step is None:
            return Outcome(ok=False, detail=f"no executor step for task kind {assignment.kind!r}")
        driver = self._drivers.get(str(assignment.payload.get("driver", "")))
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
