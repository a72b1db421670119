"""The process's counters and histograms, updated where things happen.

They live in one registry of their own (not prometheus_client's global
one), so what the endpoint serves is only what Mulligan declares. Figures
that need the database (machines per state, queue depth) are not here:
they are read when scraped (:mod:`mulligan.metrics.cache`).

Label values come from fixed sets (methods the server registered, gRPC
codes, task kinds, BMC operations), never from what a client sends, so
the number of series stays bounded.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    gc_collector,
    platform_collector,
    process_collector,
)

# A *_created series beside every counter and histogram doubles what is
# stored for a start time that process_start_time_seconds already gives.
disable_created_metrics()  # type: ignore[no-untyped-call]
REGISTRY = CollectorRegistry(auto_describe=True)
process_collector.ProcessCollector(registry=REGISTRY)
platform_collector.PlatformCollector(registry=REGISTRY)
gc_collector.GCCollector(registry=REGISTRY)

# Unary calls take milliseconds; the top buckets catch slow database writes.
_RPC_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# A power change waits for the node to report it (up to power_wait_s).
_BMC_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
_LAG_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

RPC_REQUESTS = Counter(
    "mulligan_rpc_requests",
    "RPCs finished, by service, method and gRPC status code.",
    ["service", "method", "code"],
    registry=REGISTRY,
)
RPC_DURATION = Histogram(
    "mulligan_rpc_duration_seconds",
    "How long RPCs took, from the call reaching the server to its answer (a stream: its whole life).",
    ["service", "method", "code"],
    buckets=_RPC_BUCKETS,
    registry=REGISTRY,
)
RPC_IN_FLIGHT = Gauge("mulligan_rpc_in_flight", "RPCs being served now, streams included.", registry=REGISTRY)
TASKS_FINISHED = Counter(
    "mulligan_tasks_finished",
    "Task attempts ended by this daemon, by kind and outcome (succeeded, failed, retried).",
    ["kind", "outcome"],
    registry=REGISTRY,
)
BMC_DURATION = Histogram(
    "mulligan_bmc_call_duration_seconds",
    "How long calls to BMCs took, retries and power waits included, by protocol and operation.",
    ["protocol", "operation"],
    buckets=_BMC_BUCKETS,
    registry=REGISTRY,
)
BMC_ERRORS = Counter(
    "mulligan_bmc_call_errors",
    "BMC calls that failed, by protocol, operation and error (transient: did not answer; permanent: refused).",
    ["protocol", "operation", "error"],
    registry=REGISTRY,
)
CLAIM_CONFLICTS = Counter(
    "mulligan_claim_conflicts",
    "Claims that lost a race: a candidate taken by a concurrent claim, or a stale generation.",
    ["reason"],
    registry=REGISTRY,
)
MACHINE_WATCH_LAG = Histogram(
    "mulligan_machine_watch_lag_seconds",
    "From a machine change's commit to its event reaching a WatchMachines stream.",
    buckets=_LAG_BUCKETS,
    registry=REGISTRY,
)
COLLECT_ERRORS = Counter(
    "mulligan_metrics_collect_errors",
    "Scrapes whose figures from the database could not be read (the figures are left out).",
    ["collector"],
    registry=REGISTRY,
)


def observe_rpc(full_method: str, code: str, seconds: float) -> None:
    """Count one finished call of ``/package.Service/Method``."""
    service, _, method = full_method.lstrip("/").partition("/")
    RPC_REQUESTS.labels(service, method, code).inc()
    RPC_DURATION.labels(service, method, code).observe(seconds)
