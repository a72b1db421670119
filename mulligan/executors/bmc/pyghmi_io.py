"""Repairs to pyghmi's process-wide IPMI machinery, installed before any session exists.

pyghmi shares its sessions' bookkeeping and a few UDP sockets between every
session of a process, and reads the sockets from one I/O thread. Three
races there could stop every IPMI call of the process until it exits:

- Two locks taken in opposite orders. Sending holds the keepalive lock and
  then takes the waiting lock; the retry pass of the event loop holds the
  waiting lock and, to resend, takes the keepalive lock. Two threads doing
  both at once (a retry towards a silent BMC while another session logs
  in) deadlock, and every later call waits on those locks for good. One
  reentrant lock serves as both here, so there is no order to get wrong.
- Its sender puts the shared socket in blocking mode for each send, while
  the I/O thread puts it back in non-blocking mode before each read. A send
  landing between the two leaves the I/O thread blocked in ``recvfrom`` on a
  socket that may never get another packet. Sends here leave the socket's
  mode alone; a full send buffer is waited out briefly instead.
- The I/O thread looks a packet's session up in a table that other threads
  change when a session logs out or breaks, so the lookup can fail with
  ``KeyError`` between its check and its read, which ends the thread. Here
  such a pass is simply run again: the packet of the session that went away
  is dropped, as it would have been a moment later.

Each replaces a module global that pyghmi looks up at every use.
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
    """Put the repairs in place; calling it again changes nothing."""
    pyghmi_session.WAITING_SESSIONS = pyghmi_session.KEEPALIVE_SESSIONS
    pyghmi_session._io_sendto = _send_keeping_mode
    if not getattr(pyghmi_session._io_graball, "mulligan_repair", False):
        pyghmi_session._io_graball = _tolerating_logouts(pyghmi_session._io_graball)


def installed() -> bool:
    return (
        pyghmi_session.WAITING_SESSIONS is pyghmi_session.KEEPALIVE_SESSIONS
        and pyghmi_session._io_sendto is _send_keeping_mode
        and getattr(pyghmi_session._io_graball, "mulligan_repair", False)
    )
