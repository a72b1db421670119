"""Two repairs to pyghmi's process-wide IPMI I/O, installed before any session exists.

pyghmi shares a few UDP sockets between every session of a process and reads
them all from one I/O thread. Two races there can stop that thread, and with
it every IPMI call of the process until it exits:

- Its sender puts the shared socket in blocking mode for each send, while
  the I/O thread puts it back in non-blocking mode before each read. A send
  landing between the two leaves the I/O thread blocked in ``recvfrom`` on a
  socket that may never get another packet (the send went to a BMC that is
  down). Sends here leave the socket's mode alone; a full send buffer is
  waited out briefly instead.
- The I/O thread looks a packet's session up in a table that other threads
  change when a session logs out or breaks, so the lookup can fail with
  ``KeyError`` between its check and its read, which ends the thread. Here
  such a pass is simply run again: the packet of the session that went away
  is dropped, as it would have been a moment later.

Both replace module functions that the I/O thread looks up at each call, so
they take effect even on a thread already running.
"""

from __future__ import annotations

import logging
import select
import socket
from collections.abc import Callable
from typing import Any

from pyghmi.ipmi.private import session as pyghmi_session

log = logging.getLogger("mulligan.executors.bmc")

# How long a send waits for room in a full socket buffer before the packet is
# dropped (pyghmi sends it again after its own retry interval).
_SEND_WAIT_S = 1.0


def _send_keeping_mode(sock: socket.socket, packet: bytes, address: Any) -> None:
    for _ in range(2):
        try:
            sock.sendto(packet, address)
            return
        except BlockingIOError:
            select.select((), (sock,), (), _SEND_WAIT_S)
        except OSError:
            # As pyghmi does: a packet that could not leave counts as lost.
            return


def _tolerating_logouts(read_all: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    def read_all_again_on_logout(sockets: list[socket.socket], waiters: dict[Any, Any]) -> list[Any]:
        while True:
            try:
                return read_all(sockets, waiters)
            except KeyError:
                log.debug("an IPMI session went away while its packet was read; reading on")

    read_all_again_on_logout.mulligan_repair = True  # type: ignore[attr-defined]
    return read_all_again_on_logout


def install() -> None:
    """Put both repairs in place; calling it again changes nothing."""
    pyghmi_session._io_sendto = _send_keeping_mode
    if not getattr(pyghmi_session._io_graball, "mulligan_repair", False):
        pyghmi_session._io_graball = _tolerating_logouts(pyghmi_session._io_graball)


def installed() -> bool:
    return pyghmi_session._io_sendto is _send_keeping_mode and getattr(
        pyghmi_session._io_graball, "mulligan_repair", False
    )
