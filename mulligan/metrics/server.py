"""The metrics endpoint: plain HTTP, ``GET /metrics`` in Prometheus' text format.

It has its own listener (``metrics_listen``), apart from the gRPC API, so
that scrapers need no token, and so that the API's port carries no
unauthenticated traffic. It serves figures only: nothing on it names a
tenant's object or carries a secret.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import exposition
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector, CollectorRegistry

from mulligan.metrics.instruments import REGISTRY

log = logging.getLogger("mulligan.metrics")

# A scraper that stops sending its request must not hold a thread for long.
_REQUEST_TIMEOUT_S = 10.0


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = _REQUEST_TIMEOUT_S
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._answer(200, b"metrics are at /metrics\n", "text/plain; charset=utf-8")
            return
        if path != "/metrics":
            self._answer(404, b"not found: metrics are at /metrics\n", "text/plain; charset=utf-8")
            return
        encode, content_type = exposition.choose_encoder(self.headers.get("Accept", ""))
        self._answer(200, encode(self.server.registry), content_type)

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # Scrapes come every few seconds: a line for each would drown the log.
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A restarted daemon takes its port back at once.
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], registry: CollectorRegistry) -> None:
        self.registry = registry
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The base class prints to stderr; the log stays one JSON object per line.
        log.warning("serving a metrics request failed", exc_info=True)


class _ProcessInstruments(Collector):
    """The process-wide instruments, served beside one daemon's own figures."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


class MetricsServer:
    """The listener; ``start`` binds it (OSError when it cannot), ``stop`` closes it.

    It serves the process's instruments and ``collectors``, the figures of
    the daemon it belongs to (a test process may run several daemons).
    """

    def __init__(self, host: str, port: int, collectors: Sequence[Collector] = ()) -> None:
        self._address = (host, port)
        # Not described when registered: describing a collector would read the database.
        self._registry = CollectorRegistry(auto_describe=False)
        self._registry.register(_ProcessInstruments())
        for collector in collectors:
            self._registry.register(collector)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        server = _Server(self._address, self._registry)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="metrics", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        """The bound port (the one chosen when port 0 was asked)."""
        assert self._server is not None
        return int(self._server.server_address[1])

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(5)
