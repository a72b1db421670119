"""A BMC driver that times every call and counts the ones that fail.

It wraps whichever protocol's driver, so IPMI and Redfish are measured
alike, at the level control sees: one call is one operation on one node,
its retries and its wait for a power change included.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from mulligan.executors.bmc.types import BmcCredential, BmcDriver, BootDevice, NodeInventory, NodePower, PowerAction
from mulligan.executors.drivers import DriverError
from mulligan.metrics import BMC_DURATION, BMC_ERRORS

T = TypeVar("T")


class MeasuredBmcDriver:
    def __init__(self, driver: BmcDriver, protocol: str) -> None:
        self._driver = driver
        self._protocol = protocol

    def _measure(self, operation: str, call: Callable[[], T]) -> T:
        started = time.monotonic()
        try:
            return call()
        except DriverError as exc:
            BMC_ERRORS.labels(self._protocol, operation, "transient" if exc.transient else "permanent").inc()
            raise
        except Exception:
            BMC_ERRORS.labels(self._protocol, operation, "unexpected").inc()
            raise
        finally:
            BMC_DURATION.labels(self._protocol, operation).observe(time.monotonic() - started)

    def power_state(self, bmc: BmcCredential) -> NodePower:
        return self._measure("power_state", lambda: self._driver.power_state(bmc))

    def set_power(self, bmc: BmcCredential, action: PowerAction) -> NodePower:
        return self._measure("set_power", lambda: self._driver.set_power(bmc, action))

    def set_boot_device(self, bmc: BmcCredential, device: BootDevice, *, persistent: bool = False) -> None:
        self._measure("set_boot_device", lambda: self._driver.set_boot_device(bmc, device, persistent=persistent))

    def boot_device(self, bmc: BmcCredential) -> BootDevice | None:
        return self._measure("boot_device", lambda: self._driver.boot_device(bmc))

    def inventory(self, bmc: BmcCredential) -> NodeInventory:
        return self._measure("inventory", lambda: self._driver.inventory(bmc))

    def insert_media(self, bmc: BmcCredential, url: str) -> None:
        self._measure("insert_media", lambda: self._driver.insert_media(bmc, url))

    def close(self) -> None:
        self._driver.close()
