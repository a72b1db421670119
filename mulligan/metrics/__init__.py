"""Prometheus metrics: the instruments the rest of Mulligan updates, and
the endpoint (``metrics_listen``) that serves them with figures read from
the database when scraped. See docs/operations.md for what each means."""

from mulligan.metrics.cache import CachedCollector
from mulligan.metrics.instruments import (
    BMC_DURATION,
    BMC_ERRORS,
    CLAIM_CONFLICTS,
    MACHINE_WATCH_LAG,
    REGISTRY,
    RPC_IN_FLIGHT,
    TASKS_FINISHED,
    observe_rpc,
)
from mulligan.metrics.pool import PoolCollector
from mulligan.metrics.server import MetricsServer

__all__ = [
    "BMC_DURATION",
    "BMC_ERRORS",
    "CLAIM_CONFLICTS",
    "MACHINE_WATCH_LAG",
    "REGISTRY",
    "RPC_IN_FLIGHT",
    "TASKS_FINISHED",
    "CachedCollector",
    "MetricsServer",
    "PoolCollector",
    "observe_rpc",
]
