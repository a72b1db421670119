"""Figures read from the database when scraped, kept for a few seconds.

Two Prometheus servers scraping the same daemon (a common pair), or a
person reloading the endpoint, cost one read per ``ttl_s``; a scrape that
arrives while another reads waits for that read instead of starting its own.
A read that fails leaves its figures out until a read succeeds, rather
than serving old ones as current, and is counted in
``mulligan_metrics_collect_errors_total``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from mulligan.metrics.instruments import COLLECT_ERRORS

log = logging.getLogger("mulligan.metrics")

DEFAULT_TTL_S = 5.0


class CachedCollector(Collector):
    def __init__(
        self,
        name: str,
        read: Callable[[], Iterable[Metric]],
        *,
        ttl_s: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._name = name
        self._read = read
        self._ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._metrics: list[Metric] = []
        self._read_at: float | None = None

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            now = self._clock()
            if self._read_at is None or now - self._read_at >= self._ttl_s:
                self._read_at = now
                try:
                    self._metrics = list(self._read())
                except Exception:
                    # Never raised to the HTTP server: it would print the traceback outside the log.
                    log.exception("reading figures for metrics failed", extra={"collector": self._name})
                    COLLECT_ERRORS.labels(self._name).inc()
                    self._metrics = []
            metrics = self._metrics
        yield from metrics
