"""Every RPC of every service, fuzzed from its descriptor against a real
daemon (see tests/fixtures/fuzz.py for what is sent and by whom).

No answer is INTERNAL or UNKNOWN, the daemon logs no traceback, and it is
still SERVING afterwards, on SQLite and on PostgreSQL (whose types and
text rules are stricter). Each service gets its own daemon, so a run does
not depend on which tests ran before it on the same worker; the examples
are derandomized, so CI runs the same ones every time. bench/fuzz.py runs
many more with a fresh seed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mulligan import daemon as daemon_mod
from tests.fixtures.daemon import wait_for
from tests.fixtures.fuzz import ErrorLog, World, explore, rpcs, services

# Per RPC: enough for every form of request to reach every method a few
# times, small enough for the four services to take under a minute together
# on two cores.
EXAMPLES_PER_RPC = 20


@pytest.fixture
def world(database_url: str, start_daemon: Callable[..., daemon_mod.Daemon], tmp_path: Path) -> Iterator[World]:
    pytest.importorskip("libvirt")
    # Power sync never runs by itself here: World stops it before it could.
    world = World(start_daemon(database_url=database_url, power_sync_interval_s=3600), tmp_path)
    yield world
    world.close()


@pytest.fixture
def errors_logged() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    logger = logging.getLogger("mulligan")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.mark.slow
@pytest.mark.parametrize("service", services())
def test_no_rpc_answers_internal_and_the_daemon_keeps_serving(
    service: str, world: World, errors_logged: ErrorLog
) -> None:
    for rpc in rpcs(service):
        explore(world, rpc, max_examples=EXAMPLES_PER_RPC)
        assert errors_logged.take() == [], rpc.path
    assert set(world.serving().values()) == {"SERVING"}
    # Every watch the fuzz opened and abandoned is closed on the server too.
    wait_for(lambda: world.daemon.modules.control.open_watches == 0, what="abandoned watches closed")
    assert world.examples >= EXAMPLES_PER_RPC * len(rpcs(service))
