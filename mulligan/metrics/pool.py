"""The database connection pool's use, read from SQLAlchemy when scraped."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector


class PoolCollector(Collector):
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[Metric]:
        pool = self._engine.pool
        if not isinstance(pool, sa.QueuePool):
            return
        yield GaugeMetricFamily(
            "mulligan_db_pool_size", "Connections the pool keeps open (as many again may open under load).", pool.size()
        )
        yield GaugeMetricFamily("mulligan_db_pool_checked_out", "Connections in use now.", pool.checkedout())
        yield GaugeMetricFamily("mulligan_db_pool_checked_in", "Open connections idle in the pool.", pool.checkedin())
        yield GaugeMetricFamily(
            "mulligan_db_pool_overflow",
            "Connections open beyond the pool size (negative: fewer than the pool size are open yet).",
            pool.overflow(),
        )
