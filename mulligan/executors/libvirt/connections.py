"""One long-lived libvirt connection per URI, shared by every worker.

libvirt connections are thread-safe, so workers share them. Keeping them
open matters beyond speed: libvirt's in-process ``test:///`` driver forgets
every domain and volume when the last connection of the process closes.
A connection found dead is replaced on the next use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import libvirt

from mulligan.executors.drivers import DriverError, TransientDriverError

log = logging.getLogger("mulligan.executors.libvirt")

# Errors of the channel to the host rather than of the request.
_CONNECTION_ERRORS = frozenset(
    {
        libvirt.VIR_ERR_NO_CONNECT,
        libvirt.VIR_ERR_INVALID_CONN,
        libvirt.VIR_ERR_SYSTEM_ERROR,
        libvirt.VIR_ERR_RPC,
        libvirt.VIR_ERR_OPERATION_TIMEOUT,
        libvirt.VIR_ERR_AUTH_UNAVAILABLE,
        libvirt.VIR_ERR_NO_SERVER,
        libvirt.VIR_ERR_AGENT_UNRESPONSIVE,
    }
)


def _quiet(_context: object, _error: object) -> None:
    """libvirt prints every error to stderr by default; Mulligan raises them instead."""


libvirt.registerErrorHandler(_quiet, None)


class Connections:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # One lock per URI: connecting to a slow host must not hold up the others.
        self._uri_locks: dict[str, threading.Lock] = {}
        self._open: dict[str, Any] = {}

    def get(self, uri: str) -> Any:
        with self._lock:
            conn = self._open.get(uri)
            uri_lock = self._uri_locks.setdefault(uri, threading.Lock())
        if conn is not None and _alive(conn):
            return conn
        with uri_lock:
            with self._lock:
                conn = self._open.get(uri)
            if conn is not None:
                if _alive(conn):
                    return conn
                log.warning("libvirt connection lost, reconnecting", extra={"uri": uri})
                self._drop(uri, conn)
            try:
                conn = libvirt.open(uri)
            except libvirt.libvirtError as exc:
                raise TransientDriverError(f"cannot connect to {uri}: {exc}") from exc
            with self._lock:
                self._open[uri] = conn
            return conn

    def forget_if_dead(self, uri: str) -> None:
        with self._lock:
            conn = self._open.get(uri)
        if conn is not None and not _alive(conn):
            self._drop(uri, conn)

    def close(self) -> None:
        with self._lock:
            conns = list(self._open.values())
            self._open.clear()
        for conn in conns:
            _close_quietly(conn)

    def _drop(self, uri: str, conn: Any) -> None:
        with self._lock:
            if self._open.get(uri) is conn:
                del self._open[uri]
        _close_quietly(conn)

    @contextmanager
    def translated(self, uri: str, doing: str) -> Iterator[None]:
        """Turn libvirt errors raised inside into driver errors.

        Connection trouble is transient; anything else libvirt refuses is
        permanent, as the same request would be refused again.
        """
        try:
            yield
        except libvirt.libvirtError as exc:
            self.forget_if_dead(uri)
            message = f"{doing} on {uri}: {exc.get_error_message() or exc}"
            if is_connection_error(exc):
                raise TransientDriverError(message) from exc
            raise DriverError(message) from exc


def is_connection_error(exc: libvirt.libvirtError) -> bool:
    return exc.get_error_code() in _CONNECTION_ERRORS


def error_code(exc: libvirt.libvirtError) -> int:
    code: int = exc.get_error_code()
    return code


def _alive(conn: Any) -> bool:
    try:
        return bool(conn.isAlive())
    except libvirt.libvirtError:
        return False


def _close_quietly(conn: Any) -> None:
    try:
        conn.close()
    except libvirt.libvirtError:
        log.debug("closing a dead libvirt connection failed", exc_info=True)
