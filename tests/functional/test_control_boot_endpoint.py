"""The boot endpoint over real HTTP on 127.0.0.1: scripts by MAC, the ramdisk
and images in ranges, one job's settings and report behind its token, and
every kind of bad token refused alike (and never logged)."""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mulligan.control.boot_endpoint import BootEndpoint, BootEndpointConfig
from mulligan.control.boot_jobs import BootJob, BootJobs
from mulligan.daemon import Daemon
from tests.fixtures.daemon import wait_for

MAC = "52:54:00:12:34:56"
OTHER_MAC = "52:54:00:65:43:21"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Boot:
    jobs: BootJobs
    endpoint: BootEndpoint
    daemon: Daemon
    clock: Clock
    image: Path
    ramdisk: Path

    def issue(
        self, kind: str = "deploy", *, host_id: str | None = None, macs: tuple[str, ...] = (MAC,), **extra: Any
    ) -> str:
        with self.daemon.database.write() as session:
            return self.jobs.issue(
                session,
                host_id=host_id or str(uuid.uuid4()),
                task_id=str(uuid.uuid4()),
                kind=kind,
                macs=macs,
                settings=extra.pop("settings", {"ROOT_DISK": "", "AFTER": "poweroff"}),
                image_path=extra.pop("image_path", str(self.image)),
                config_drive=extra.pop("config_drive", b"CIDATA"),
                **extra,
            )

    def request(
        self,
        method: str,
        path: str,
        *,
        mac: str | None = MAC,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.endpoint.port, timeout=10)
        try:
            sent = dict(headers or {})
            if mac is not None:
                sent["X-Mulligan-MAC"] = mac
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


@pytest.fixture
def boot(start_daemon: Callable[..., Daemon], tmp_path: Path) -> Iterator[Boot]:
    daemon = start_daemon(database_url=f"sqlite:///{tmp_path / 'mulligan.db'}")
    ramdisk = tmp_path / "ramdisk"
    ramdisk.mkdir()
    (ramdisk / "vmlinuz").write_bytes(b"K" * 4096)
    (ramdisk / "initrd.img").write_bytes(b"I" * 8192)
    image = tmp_path / "image.raw"
    image.write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    clock = Clock()
    jobs = BootJobs(daemon.database, clock=clock)
    endpoint = BootEndpoint(BootEndpointConfig(listen="127.0.0.1:0", ramdisk_dir=ramdisk), jobs)
    endpoint.start()
    try:
        yield Boot(jobs, endpoint, daemon, clock, image, ramdisk)
    finally:
        endpoint.stop()


def _token_from(script: str) -> str:
    marker = "/d/"
    start = script.index(marker) + len(marker)
    return script[start : script.index("/config", start)]


def test_a_node_with_a_job_boots_the_ramdisk_and_others_boot_on(boot: Boot) -> None:
    boot.issue()
    status, headers, body = boot.request("GET", f"/boot.ipxe?mac={MAC.upper().replace(':', '-')}", mac=None)
    script = body.decode()
    assert status == 200 and script.startswith("#!ipxe\n")
    base = f"http://127.0.0.1:{boot.endpoint.port}"
    assert f"kernel {base}/ramdisk/vmlinuz initrd=initrd.img mulligan.config={base}/d/" in script
    assert f"initrd {base}/ramdisk/initrd.img" in script and script.rstrip().endswith("boot")
    assert headers["cache-control"] == "no-store"
    # A node without a job is sent on to its next boot device.
    status, _, body = boot.request("GET", f"/boot.ipxe?mac={OTHER_MAC}", mac=None)
    assert status == 200 and body.decode().rstrip().endswith("exit")
    assert boot.request("GET", "/boot.ipxe?mac=not-a-mac", mac=None)[0] == 400
    # One boot file name for every node: iPXE is asked to come back with its MAC.
    status, _, body = boot.request("GET", "/boot.ipxe", mac=None)
    assert (status, body.decode()) == (200, f"#!ipxe\nchain {base}/boot.ipxe?mac=${{mac:hexhyp}}\n")


def test_the_agent_reads_its_job_and_reports_once(boot: Boot) -> None:
    reports: list[tuple[BootJob, Any]] = []
    boot.jobs.on_report(lambda job, report: reports.append((job, report)))
    boot.issue()
    token = _token_from(boot.request("GET", f"/boot.ipxe?mac={MAC}", mac=None)[2].decode())
    status, _, body = boot.request("GET", f"/d/{token}/config")
    assert status == 200
    settings = dict(line.split("=", 1) for line in body.decode().splitlines())
    base = f"http://127.0.0.1:{boot.endpoint.port}/d/{token}"
    assert settings == {
        "JOB": "deploy",
        "ROOT_DISK": "",
        "AFTER": "poweroff",
        "REPORT_URL": f"{base}/report",
        "IMAGE_URL": f"{base}/image",
        "CONFIG_DRIVE_URL": f"{base}/config-drive",
    }
    assert boot.request("GET", f"/d/{token}/config-drive")[2] == b"CIDATA"
    report = {"status": "done", "sha256": hashlib.sha256(boot.image.read_bytes()).hexdigest()}
    status, _, _ = boot.request("POST", f"/d/{token}/report", body=json.dumps(report).encode())
    assert status == 204
    assert [(job.kind, got) for job, got in reports] == [("deploy", report)]
    # The report ends the job: the token is refused from now on, for everything.
    for method, path in (("GET", "config"), ("GET", "image"), ("POST", "report")):
        assert boot.request(method, f"/d/{token}/{path}", body=b"{}" if method == "POST" else None)[0] == 403
    assert boot.request("GET", f"/boot.ipxe?mac={MAC}", mac=None)[2].decode().rstrip().endswith("exit")


def test_a_report_not_applied_leaves_the_job_open_for_the_retry(boot: Boot) -> None:
    applied: list[Any] = []

    def apply(job: BootJob, report: Any) -> None:
        applied.append(report)
        if len(applied) == 1:
            raise RuntimeError("the database went away")

    boot.jobs.on_report(apply)
    boot.issue()
    token = _token_from(boot.request("GET", f"/boot.ipxe?mac={MAC}", mac=None)[2].decode())
    body = json.dumps({"status": "done"}).encode()
    assert boot.request("POST", f"/d/{token}/report", body=body)[0] == 503
    # Not lost: the agent sends it again, and this time it is applied and ends the job.
    assert boot.request("POST", f"/d/{token}/report", body=body)[0] == 204
    assert applied == [{"status": "done"}] * 2
    assert boot.request("POST", f"/d/{token}/report", body=body)[0] == 403


def test_a_report_sent_twice_at_once_is_applied_once(boot: Boot) -> None:
    entered: list[Any] = []
    release, applied_twice = threading.Event(), threading.Event()

    def apply(job: BootJob, report: Any) -> None:
        entered.append(report)
        if len(entered) > 1:
            applied_twice.set()
        release.wait(30)

    boot.jobs.on_report(apply)
    boot.issue()
    token = _token_from(boot.request("GET", f"/boot.ipxe?mac={MAC}", mac=None)[2].decode())
    body = json.dumps({"status": "done"}).encode()
    statuses: list[int] = []

    def send() -> None:
        statuses.append(boot.request("POST", f"/d/{token}/report", body=body)[0])

    first = threading.Thread(target=send)
    first.start()
    wait_for(lambda: entered, timeout=10, what="the first report to be applied")
    # The agent's retry of a report whose answer it did not get in time.
    second = threading.Thread(target=send)
    second.start()
    # Nothing to wait for when it works: the retry waits its turn, unseen.
    assert not applied_twice.wait(1)
    release.set()
    first.join(30)
    second.join(30)
    assert len(entered) == 1
    assert sorted(statuses) == [204, 403]


def test_images_are_served_whole_and_in_ranges(boot: Boot) -> None:
    token = boot.issue()
    data = boot.image.read_bytes()
    status, headers, body = boot.request("GET", f"/d/{token}/image")
    assert (status, body, headers["accept-ranges"]) == (200, data, "bytes")
    # A download that broke off resumes where it stopped.
    status, headers, body = boot.request("GET", f"/d/{token}/image", headers={"Range": "bytes=1000-"})
    assert (status, body, headers["content-range"]) == (206, data[1000:], f"bytes 1000-{len(data) - 1}/{len(data)}")
    status, _, body = boot.request("GET", f"/d/{token}/image", headers={"Range": "bytes=-16"})
    assert (status, body) == (206, data[-16:])
    status, headers, body = boot.request("GET", f"/d/{token}/image", headers={"Range": "bytes=5000000-"})
    assert (status, headers["content-range"]) == (416, f"bytes */{len(data)}")
    assert boot.request("GET", f"/d/{token}/image", headers={"Range": "pages=1-2"})[0] == 416
    status, headers, body = boot.request("HEAD", "/ramdisk/initrd.img", mac=None)
    assert (status, headers["content-length"], body) == (200, "8192", b"")
    assert boot.request("GET", "/ramdisk/vmlinuz", mac=None)[2] == b"K" * 4096


def test_bad_tokens_are_all_refused_alike_and_never_logged(boot: Boot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    first = boot.issue(host_id=str(uuid.uuid4()))
    other_node = boot.issue(host_id=str(uuid.uuid4()), macs=(OTHER_MAC,))
    wrong = "A" * 43
    answers = {
        "wrong": boot.request("GET", f"/d/{wrong}/config"),
        "another node's": boot.request("GET", f"/d/{other_node}/config", mac=MAC),
    }
    # Expired: the clock moves past the job's life.
    boot.clock.now += timedelta(hours=1)
    answers["expired"] = boot.request("GET", f"/d/{first}/config")
    boot.clock.now -= timedelta(hours=1)
    # Replaced: the node booted again and was given a new token.
    boot.request("GET", f"/boot.ipxe?mac={MAC}", mac=None)
    answers["replaced"] = boot.request("GET", f"/d/{first}/config")
    for what, (status, _, body) in answers.items():
        assert (status, body) == (403, b"forbidden\n"), what
    assert boot.request("GET", f"/d/{other_node}/config", mac=None)[0] == 400
    for token in (first, other_node, wrong):
        assert token not in caplog.text
    assert "boot request refused" in caplog.text


def test_reports_are_bounded_and_must_be_json_objects(boot: Boot) -> None:
    boot.issue()
    token = _token_from(boot.request("GET", f"/boot.ipxe?mac={MAC}", mac=None)[2].decode())
    huge = b"{" + b" " * (300 * 1024) + b"}"
    assert boot.request("POST", f"/d/{token}/report", body=huge)[0] == 413
    for body in (b"[1]", b"not json", b'{"status": "maybe"}', b"[" * 100_000):
        assert boot.request("POST", f"/d/{token}/report", body=body)[0] == 400
    # None of those ended the job.
    assert boot.request("GET", f"/d/{token}/config")[0] == 200


def test_paths_outside_the_fixed_set_are_not_found(boot: Boot) -> None:
    token = boot.issue()
    for path in ("/ramdisk/../image.raw", "/ramdisk/secret.key", "/d/x/../../etc/passwd", f"/d/{token}/other", "/"):
        assert boot.request("GET", path)[0] == 404, path
    assert boot.request("POST", "/boot.ipxe", body=b"")[0] == 404


def test_many_slow_clients_do_not_block_the_endpoint(boot: Boot) -> None:
    # Connections that send nothing each hold a thread of their own; a node is served beside them.
    idle = [socket.create_connection(("127.0.0.1", boot.endpoint.port), timeout=5) for _ in range(8)]
    try:
        done = threading.Event()

        def fetch() -> None:
            if boot.request("GET", "/ramdisk/vmlinuz", mac=None)[0] == 200:
                done.set()

        thread = threading.Thread(target=fetch)
        thread.start()
        thread.join(timeout=10)
        assert done.is_set()
    finally:
        for sock in idle:
            sock.close()


def test_the_daemon_runs_the_endpoint_only_when_configured(start_daemon: Callable[..., Daemon]) -> None:
    assert start_daemon().modules.control.boot_endpoint is None
    daemon = start_daemon(boot_listen="127.0.0.1:0")
    endpoint = daemon.modules.control.boot_endpoint
    assert endpoint is not None
    port = endpoint.port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", f"/boot.ipxe?mac={MAC}")
    assert connection.getresponse().read().decode().rstrip().endswith("exit")
    connection.close()
    # The ramdisk is looked for in the state dir; absent, it is a plain 404.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/ramdisk/vmlinuz")
    assert connection.getresponse().status == 404
    connection.close()
    daemon.stop(1)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
