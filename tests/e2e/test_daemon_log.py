"""mulligand's stderr stays one JSON object per line: reflection clients
that drop their streams, the gRPC C core's own diagnostics, and scrapes of
the metrics endpoint leave no stray line and no error."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from mulligan.client import Client
from tests.fixtures.daemon import DaemonProcess, daemon_env, wait_for

pytestmark = pytest.mark.slow


def _records(log: str) -> list[dict[str, Any]]:
    """Every line of the log as JSON; fails on the first line that is not."""
    records = []
    for line in log.splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"not a JSON log line: {line!r}\nin:\n{log}")
    return records


def test_reflection_clients_and_scrapes_leave_only_json_and_no_errors(
    spawn_daemon: Callable[..., DaemonProcess], tmp_path: Path
) -> None:
    process = spawn_daemon(
        "--listen",
        "127.0.0.1:0",
        "--state-dir",
        str(tmp_path / "s"),
        env=daemon_env(),
    )

    def serving() -> dict[str, Any] | None:
        assert process.process.poll() is None, process.log()
        return next((r for r in _records(process.log()) if r["msg"] == "serving"), None)

    record = wait_for(serving, timeout=30, what="mulligand serving")
    endpoint, metrics_address = record["listen"], record["metrics"]
    with Client(endpoint) as client:
        # What grpcurl and `buf curl` do to list and describe: each lookup is
        # a stream of its own, which the client drops once it has the answer.
        for _ in range(5):
            database = ProtoReflectionDescriptorDatabase(client.channel)
            services = database.get_services()
            pool = DescriptorPool(database)
            for service in services:
                assert pool.FindServiceByName(service).methods
            with pytest.raises(KeyError):
                pool.FindFileContainingSymbol("no.such.Symbol")
    with urllib.request.urlopen(f"http://{metrics_address}/metrics", timeout=10) as response:
        text = response.read().decode()
    assert 'method="ServerReflectionInfo"' in text
    process.signal(signal.SIGTERM)
    assert process.wait(30) == 0
    records = _records(process.log())
    assert [r for r in records if r["level"] in ("error", "critical")] == []
    assert records[-1]["msg"] == "stopped"


def test_the_grpc_core_writes_nothing_of_its_own(tmp_path: Path) -> None:
    # A taken port makes the C core report the failed bind itself, unless silenced.
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "mulligan.daemon", "--listen", f"127.0.0.1:{port}", "--state-dir", str(tmp_path)],
            env=daemon_env(MULLIGAN_METRICS_LISTEN="off"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    # The one start-up error is the daemon's own line; everything before it is JSON.
    *log, problem = result.stderr.splitlines()
    assert problem == f"mulligand: cannot listen on 127.0.0.1:{port}: address in use or not local"
    _records("\n".join(log))
