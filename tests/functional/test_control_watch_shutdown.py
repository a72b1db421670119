"""WatchMachines streams and a stopping daemon: every stream ends at the
stop with UNAVAILABLE (reconnect), and none can open after it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from tests.fixtures.daemon import wait_for
from tests.fixtures.iam import bootstrap

# Far longer than any stop below may take: a stream still open at the end
# of the grace would be ended by gRPC itself, hiding that the daemon did not.
GRACE_S = 60.0


def test_a_stream_open_before_the_stop_ends_unavailable_and_does_not_hold_the_stop(
    database_url: str, start_daemon: Callable[..., Daemon]
) -> None:
    daemon = start_daemon(database_url=database_url)
    control = daemon.modules.control
    with Client(daemon.address, token=bootstrap(daemon).token) as client:
        stream = client.control.WatchMachines(pb.WatchMachinesRequest(), timeout=GRACE_S * 2)
        wait_for(lambda: control.open_watches == 1, what="the stream to open")
        outcome: list[object] = []
        stopping = threading.Thread(target=lambda: outcome.append(daemon.stop(GRACE_S)))
        started = time.monotonic()
        stopping.start()
        with pytest.raises(errors.Unavailable) as ended:
            next(stream)
        stopping.join(GRACE_S)
        took = time.monotonic() - started
    assert ended.value.reason == "SHUTTING_DOWN"
    assert outcome == [True], "the stop was not clean"
    assert took < GRACE_S / 2, f"the stop waited {took:.1f} s for the stream"
    assert control.open_watches == 0


def test_no_watch_opens_once_the_stop_has_ended_the_others(start_daemon: Callable[..., Daemon]) -> None:
    # A stream accepted just before the stop can reach the service after the
    # stop has ended every open watch; it must be refused, not left open.
    control = start_daemon().modules.control
    watch = control.watch_machines()
    ended: list[BaseException] = []

    def drain() -> None:
        try:
            list(watch)
        except errors.MulliganError as exc:
            ended.append(exc)

    reader = threading.Thread(target=drain)
    reader.start()
    control.cancel_watches()
    reader.join(10)
    assert not reader.is_alive()
    assert [getattr(exc, "reason", "") for exc in ended] == ["SHUTTING_DOWN"]
    with pytest.raises(errors.Unavailable) as refused:
        control.watch_machines()
    assert refused.value.reason == "SHUTTING_DOWN"
    assert control.open_watches == 0
