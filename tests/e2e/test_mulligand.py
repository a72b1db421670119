"""mulligand as a subprocess: start, health, reflection, SIGTERM, start-up errors."""

from __future__ import annotations

import ctypes
import os
import platform
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import grpc
import pytest
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from mulligan.api.control.v1 import control_pb2
from mulligan.api.control.v1.control_pb2_grpc import ControlServiceStub
from mulligan.api.iam.v1 import iam_pb2
from mulligan.client import Client
from mulligan.iam.bootstrap import SECRET_FILE
from mulligan.rpc import error_from_rpc
from tests.fixtures.daemon import DaemonProcess, daemon_env, wait_for, wait_serving
from tests.fixtures.ports import free_port

pytestmark = pytest.mark.slow
SLOW_DAEMON = str(Path(__file__).with_name("slow_mulligand.py"))
MULLIGAN_SERVICES = {
    "mulligan.iam.v1.IamService",
    "mulligan.meta.v1.MetaService",
    "mulligan.resource.v1.ResourceService",
    "mulligan.control.v1.ControlService",
}


def _serving(endpoint: str) -> Callable[[], bool]:
    def check() -> bool:
        with Client(endpoint, timeout=1) as client:
            return client.health() == "SERVING"

    return check


def _serving_daemon(
    spawn_daemon: Callable[..., DaemonProcess], state_dir: Path, script: str | None = None
) -> tuple[DaemonProcess, str]:
    process = spawn_daemon("--listen", "127.0.0.1:0", "--state-dir", str(state_dir), script=script)
    return process, wait_serving(process, timeout=20)


def test_starts_on_an_empty_state_dir_and_serves_health_and_reflection(
    spawn_daemon: Callable[..., DaemonProcess], tmp_path: Path
) -> None:
    process, endpoint = _serving_daemon(spawn_daemon, tmp_path / "empty")
    with Client(endpoint) as client:
        assert set(ProtoReflectionDescriptorDatabase(client.channel).get_services()) >= MULLIGAN_SERVICES
        for service in MULLIGAN_SERVICES:
            assert client.health(service) == "SERVING"
    assert (tmp_path / "empty" / "mulligan.db").exists()
    assert '"msg": "serving"' in process.log()
    process.signal(signal.SIGTERM)
    assert process.wait(30) == 0


def test_sigterm_lets_an_in_flight_rpc_finish_then_exits_zero(
    spawn_daemon: Callable[..., DaemonProcess], tmp_path: Path
) -> None:
    process, endpoint = _serving_daemon(spawn_daemon, tmp_path / "s", script=SLOW_DAEMON)
    marker = tmp_path / "rpc-started"
    results: list[object] = []

    def call() -> None:
        with grpc.insecure_channel(endpoint) as channel:
            try:
                results.append(channel.unary_unary("/mulligan.test.Slow/Sleep")(f"{marker}|2".encode(), timeout=30))
            except grpc.RpcError as exc:
                results.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    wait_for(marker.exists, timeout=30, what="the slow RPC to start")
    process.signal(signal.SIGTERM)
    # New RPCs are refused while the in-flight one is still running.
    wait_for(lambda: not _accepts_calls(endpoint), timeout=15, what="new RPCs refused")
    caller.join(30)
    assert results == [b"finished"]
    assert process.wait(30) == 0
    assert '"msg": "stopped"' in process.log()


def _signal_a_thread_other_than_main(pid: int, signum: int) -> None:
    """What the kernel does now and then with a signal sent to the process."""
    others = sorted(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)
    assert others, "mulligand runs no threads besides its main one"
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(_SYS_TGKILL, pid, others[0], signum) != 0:
        raise OSError(ctypes.get_errno(), "tgkill failed")


_SYS_TGKILL = 234  # x86_64


@pytest.mark.skipif(platform.machine() != "x86_64", reason="tgkill's syscall number is x86_64's")
def test_sigterm_taken_by_another_thread_still_stops_the_daemon(
    spawn_daemon: Callable[..., DaemonProcess], tmp_path: Path
) -> None:
    process, _ = _serving_daemon(spawn_daemon, tmp_path / "s")
    _signal_a_thread_other_than_main(process.process.pid, signal.SIGTERM)
    assert process.wait(30) == 0
    assert '"msg": "stopped"' in process.log()


def test_sigterm_ends_an_open_machine_watch_and_exits_zero(
    spawn_daemon: Callable[..., DaemonProcess], tmp_path: Path
) -> None:
    state_dir = tmp_path / "s"
    # A grace longer than the test may wait: the stream must end at the signal.
    process = spawn_daemon(
        "--listen", "127.0.0.1:0", "--state-dir", str(state_dir), env=daemon_env(MULLIGAN_SHUTDOWN_GRACE_S="120")
    )
    endpoint = wait_serving(process, timeout=20)
    secret = (state_dir / SECRET_FILE).read_text().strip()
    with Client(endpoint) as anonymous:
        token = anonymous.iam.Bootstrap(
            iam_pb2.BootstrapRequest(
                secret=secret, admin_name="admin", admin_password="pw-" + secret[:12], project_name="admin"
            )
        ).token
    with grpc.insecure_channel(endpoint) as channel:
        stream = ControlServiceStub(channel).WatchMachines(
            control_pb2.WatchMachinesRequest(), metadata=[("authorization", f"Bearer {token}")], timeout=60
        )
        # Headers come back once the watch is live.
        stream.initial_metadata()
        process.signal(signal.SIGTERM)
        with pytest.raises(grpc.RpcError) as ended:
            next(stream)
    assert error_from_rpc(ended.value).reason == "SHUTTING_DOWN"
    assert process.wait(30) == 0
    assert '"clean": true' in process.log()


def _accepts_calls(endpoint: str) -> bool:
    try:
        return _serving(endpoint)()
    except Exception:
        return False


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mulligan.daemon", *args],
        env=env or daemon_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("config_text", "env", "expected"),
    [
        ("colour = 'blue'\n", {}, "unknown option 'colour'"),
        ("executor_workers = -2\n", {}, "executor_workers must be a whole number of at least 1"),
        ("", {"MULLIGAN_DATABASE_URL": "mysql://db/x"}, "MULLIGAN_DATABASE_URL must start with sqlite://"),
        ("", {"MULLIGAN_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x"}, "cannot reach database"),
        ("", {"MULLIGAN_ETCD_ENDPOINTS": "http://127.0.0.1:1"}, "cannot reach etcd at http://127.0.0.1:1"),
    ],
    ids=["unknown-option", "bad-value", "bad-database-url", "unreachable-database", "unreachable-etcd"],
)
def test_bad_start_is_one_clear_line_and_non_zero_exit(
    tmp_path: Path, config_text: str, env: dict[str, str], expected: str
) -> None:
    config = tmp_path / "mulligand.conf"
    config.write_text(config_text)
    result = _run(
        "--config",
        str(config),
        "--state-dir",
        str(tmp_path / "s"),
        "--listen",
        f"127.0.0.1:{free_port()}",
        env=daemon_env(**env),
    )
    assert result.returncode != 0
    problems = [line for line in result.stderr.splitlines() if line.startswith("mulligand:")]
    assert len(problems) == 1, result.stderr
    assert expected in problems[0]
    assert "Traceback" not in result.stderr


def test_listen_address_in_use_is_one_clear_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("--listen", f"127.0.0.1:{port}", "--state-dir", str(tmp_path / "s"))
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_check_config(tmp_path: Path) -> None:
    version = _run("--version")
    assert version.returncode == 0 and version.stdout.startswith("mulligand ")
    checked = _run("--check-config", "--listen", "127.0.0.1:7999", "--state-dir", str(tmp_path))
    assert checked.returncode == 0
    assert "listen = '127.0.0.1:7999'" in checked.stdout
    assert "etcd_endpoints = ()" in checked.stdout
