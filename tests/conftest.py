import signal
import threading
from types import FrameType

import pytest

pytest_plugins = [
    "tests.fixtures.etcd",
    "tests.fixtures.postgres",
    "tests.fixtures.daemon",
    "tests.fixtures.iam",
    "tests.fixtures.fleet",
    "tests.fixtures.libvirtd",
    "tests.fixtures.bmc",
    "tests.fixtures.nodes",
]


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt("stopped by SIGTERM")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "package: installs the built .deb on this machine (root and apt-get)")
    # A run stopped with SIGTERM (a CI time limit) unwinds as Ctrl-C does, so
    # the fixtures stop the PostgreSQL, etcd and libvirt servers they started.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
