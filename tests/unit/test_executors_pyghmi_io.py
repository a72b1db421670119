"""The repairs to pyghmi's shared IPMI I/O (see mulligan/executors/bmc/pyghmi_io.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from pyghmi.ipmi.private import session as pyghmi_session
from pyghmi.ipmi.private import util as pyghmi_util

from mulligan.executors.bmc import ipmi, pyghmi_io


@pytest.fixture
def receiver() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    yield sock
    sock.close()


def test_importing_the_ipmi_driver_installs_the_repairs() -> None:
    assert ipmi.IpmiDriver is not None
    assert pyghmi_io.installed()
    pyghmi_io.install()
    assert pyghmi_io.installed()


def test_pyghmi_takes_one_lock_where_it_took_two_in_either_order() -> None:
    # Sending holds the keepalive lock then takes the waiting one; the retry
    # pass does the reverse. One reentrant lock for both cannot deadlock.
    assert pyghmi_session.WAITING_SESSIONS is pyghmi_session.KEEPALIVE_SESSIONS
    with pyghmi_util.protect(pyghmi_session.WAITING_SESSIONS), pyghmi_util.protect(pyghmi_session.KEEPALIVE_SESSIONS):
        pass


def test_a_send_leaves_a_shared_socket_non_blocking(receiver: socket.socket) -> None:
    shared = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        shared.bind(("127.0.0.1", 0))
        shared.setblocking(False)
        # pyghmi's I/O thread reads this socket expecting it not to block.
        pyghmi_session._io_sendto(shared, b"\x06\x00\xff\x07", receiver.getsockname())
        assert shared.getblocking() is False
        assert receiver.recvfrom(64)[0] == b"\x06\x00\xff\x07"
    finally:
        shared.close()


def test_a_send_that_cannot_leave_is_dropped_quietly() -> None:
    closed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    closed.close()
    pyghmi_session._io_sendto(closed, b"\x06\x00\xff\x07", ("127.0.0.1", 9))


def test_a_session_gone_mid_read_does_not_end_the_read() -> None:
    passes: list[int] = []

    def read_all(_sockets: Any, _waiters: Any) -> list[Any]:
        passes.append(1)
        if len(passes) == 1:
            raise KeyError(("127.0.0.1", 623))
        return [("127.0.0.1", 623)]

    repaired = pyghmi_io._tolerating_logouts(read_all)
    assert repaired([], {}) == [("127.0.0.1", 623)]
    assert len(passes) == 2
