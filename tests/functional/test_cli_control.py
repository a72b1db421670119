"""The host, image and machine commands of the ``mulligan`` CLI against an
in-process daemon with libvirt's test driver (the ``fleet`` scenario)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pytest

from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.cli import paging
from mulligan.cli.app import main
from mulligan.daemon import Daemon
from tests.fixtures.daemon import wait_for
from tests.fixtures.fleet import Fleet, write_test_hypervisor

SMALL = ("--vcpus", "1", "--memory-mb", "64", "--disk-gb", "1")
MULLIGAN = Path(sys.executable).parent / "mulligan"


class Cli:
    """Runs ``mulligan`` in this process, as the fleet's admin; returns (exit code, stdout, stderr)."""

    def __init__(self, fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
        self.fleet = fleet
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            main(["--endpoint", self.fleet.daemon.address, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    def json(self, *args: str) -> Any:
        code, out, err = self("-o", "json", *args)
        assert code == 0, err
        return json.loads(out) if out.strip() else None


@pytest.fixture
def cli(fleet: Fleet, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    monkeypatch.setenv("MULLIGAN_CONFIG_DIR", str(tmp_path / "client"))
    monkeypatch.setenv("MULLIGAN_TOKEN", _token(fleet))
    return Cli(fleet, capsys)


def _token(fleet: Fleet) -> str:
    assert fleet.admin.token
    return fleet.admin.token


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def test_operator_enrolls_inspects_disables_and_removes_a_host(cli: Cli, tmp_path: Path) -> None:
    uri = write_test_hypervisor(tmp_path / "hv2.xml", cpus=32, memory_mb=65536)
    code, out, err = cli("-o", "json", "host", "enroll", "hv2", "--uri", uri, "--wait")
    assert code == 0, err
    host = json.loads(out)
    assert (host["state"], host["cpus"], host["memory_mb"]) == ("HOST_STATE_READY", 32, 65536)
    assert host["region_id"] == cli.fleet.region_id
    assert host["enabled"] is True and host["disk_gb"] > 0
    # The test driver's host may be ready before the first look: "enrolling" is not always shown.
    assert "hv2: ready" in err

    assert {row["name"] for row in cli.json("host", "list")} == {"hv1", "hv2"}
    assert cli.json("host", "show", host["id"])["name"] == "hv2"
    assert cli.json("host", "disable", "hv2")["enabled"] is False
    assert cli.json("host", "show", "hv2")["enabled"] is False
    # Waiting on a re-inspection ends only once the host was inspected anew.
    again = cli.json("host", "inspect", "hv2", "--wait")
    assert again["state"] == "HOST_STATE_READY"
    assert _moment(again["inspected_at"]) >= _moment(host["inspected_at"])
    assert cli.json("host", "enable", "hv2")["enabled"] is True

    code, _, err = cli("host", "delete", "hv2")
    assert code == 0, err
    code, _, err = cli("host", "show", "hv2")
    assert code == 6 and _error_lines(err) == [line for line in err.splitlines() if line]
    assert "HOST_NOT_FOUND" in err


def test_enroll_wait_exits_5_when_inspection_fails(cli: Cli, tmp_path: Path) -> None:
    # A hypervisor without a storage pool has nowhere to put disks: inspection refuses it.
    poolless = tmp_path / "poolless.xml"
    poolless.write_text("<node><cpu><active>4</active></cpu><memory>4194304</memory></node>")
    code, out, err = cli("host", "enroll", "ghost", "--uri", f"test://{poolless}", "--wait")
    assert code == 5
    assert "ghost" in out and "error" in out
    [line] = _error_lines(err)
    assert line.startswith("error: host ghost failed inspection:")


def test_tenant_flow_image_machine_list_show_decommission(cli: Cli, fleet: Fleet) -> None:
    image = cli.json(
        "image",
        "create",
        "cli-image",
        "--source",
        "volume:tiny-image.raw",
        "--format",
        "raw",
        "--os-hint",
        "os=debian",
        "--system",
    )
    assert (image["project_id"], image["os_hints"], image["format"]) == ("", {"os": "debian"}, "IMAGE_FORMAT_RAW")
    assert {"tiny", "cli-image"} <= {row["name"] for row in cli.json("image", "list")}
    assert cli.json("image", "show", image["id"])["name"] == "cli-image"

    code, out, err = cli("-o", "json", "machine", "create", "web-1", "--image", "cli-image", *SMALL, "--wait")
    assert code == 0, err
    machine = json.loads(out)
    assert (machine["state"], machine["host_id"], machine["image_id"]) == (
        "MACHINE_STATE_ACTIVE",
        fleet.host_id,
        image["id"],
    )
    assert "web-1: scheduled" in err and "web-1: active after" in err
    assert machine["id"] in fleet.domains()

    listed = cli.json("machine", "list")
    assert [(row["name"], row["state"]) for row in listed] == [("web-1", "MACHINE_STATE_ACTIVE")]
    assert [row["id"] for row in cli.json("machine", "list", "--state", "active", "--host", "hv1")] == [machine["id"]]
    assert cli.json("machine", "list", "--state", "error", "--state", "reserved") == []
    assert cli.json("machine", "show", "web-1")["id"] == machine["id"]
    assert cli.json("machine", "show", machine["id"])["resources"]["vcpus"] == 1

    code, _, err = cli("host", "delete", "hv1")
    assert code == 1 and "HOST_HAS_MACHINES" in err
    code, _, err = cli("image", "delete", "cli-image")
    assert code == 1 and "IMAGE_IN_USE" in err

    code, out, err = cli("-o", "json", "machine", "decommission", "web-1", "--wait")
    assert code == 0, err
    assert json.loads(out)["state"] == "MACHINE_STATE_DECOMMISSIONED"
    assert "web-1: decommissioned after" in err
    assert machine["id"] not in fleet.domains()
    assert cli.json("machine", "list") == []
    assert [row["state"] for row in cli.json("machine", "list", "--all")] == ["MACHINE_STATE_DECOMMISSIONED"]
    code, _, err = cli("image", "delete", "cli-image")
    assert code == 0, err


def test_configure_sets_the_image_sources_tenants_may_name(cli: Cli) -> None:
    assert cli.json("configure", "control")["image_sources"] == []
    settings = cli.json("configure", "control", "--image-source", "volume:shared-", "--image-source", "/srv/images")
    assert settings["image_sources"] == ["volume:shared-", "/srv/images/"]
    code, _, err = cli("configure", "control", "--image-source", "/srv/../etc")
    assert code == 1 and "INVALID_IMAGE_SOURCE" in err
    assert cli.json("configure", "control")["image_sources"] == ["volume:shared-", "/srv/images/"]
    code, _, err = cli("configure", "meta", "--no-image-sources")
    assert code == 2 and "control service only" in err
    assert cli.json("configure", "control", "--no-image-sources")["image_sources"] == []


def test_table_output_reads_as_a_table(cli: Cli) -> None:
    code, out, err = cli("machine", "create", "table-1", "--image", "tiny", *SMALL, "--wait")
    assert code == 0, err
    header, row = out.strip().splitlines()
    assert header.split()[:3] == ["name", "state", "host"]
    assert row.split()[:3] == ["table-1", "active", "hv1"]


def test_a_failing_machine_exits_5_and_says_why(cli: Cli, fleet: Fleet) -> None:
    cli.json("image", "create", "broken", "--source", "volume:missing.raw", "--format", "raw", "--system")
    code, out, err = cli("machine", "create", "doomed", "--image", "broken", *SMALL, "--wait")
    assert code == 5
    [line] = _error_lines(err)
    assert line.startswith("error: doomed failed:") and "missing.raw" in line
    assert "doomed" in out and "error" in out
    failed = cli.json("machine", "show", "doomed")
    assert failed["state"] == "MACHINE_STATE_ERROR" and "missing.raw" in failed["error"]
    # The claim is kept until decommission; then it is gone.
    assert fleet.daemon.modules.resource.get_claim(failed["id"]).allocations
    code, _, err = cli("machine", "decommission", "doomed", "--wait")
    assert code == 0, err


def test_a_future_window_is_reserved_and_wait_ends_there(cli: Cli) -> None:
    code, out, err = cli(
        "-o",
        "json",
        "machine",
        "create",
        "later",
        "--image",
        "tiny",
        *SMALL,
        "--start",
        "+1h",
        "--end",
        "+2h",
        "--wait",
    )
    assert code == 0, err
    machine = json.loads(out)
    assert machine["state"] == "MACHINE_STATE_RESERVED" and machine["start"] and machine["end"]
    # Its window moves, claim included.
    moved = cli.json("machine", "window", "later", "--end", "2099-01-01T00:00:00Z")
    assert moved["end"].startswith("2099-01-01") and moved["start"] == machine["start"]
    assert "end" not in cli.json("machine", "window", "later", "--no-end")
    code, _, err = cli("machine", "window", "later", "--end", "+3h", "--no-end")
    assert code == 2 and "not both" in err
    code, _, err = cli("machine", "window", "later", "--end", "+1m")
    assert code == 1 and "INVALID_WINDOW" in err
    code, _, err = cli("claim", "release", machine["id"])
    assert code == 1 and "CLAIM_MANAGED" in err


def test_wait_rides_out_a_daemon_restart(
    cli: Cli, fleet: Fleet, database_url: str, start_daemon: Callable[..., Daemon]
) -> None:
    fleet.daemon.pool.stop(5)  # the machine waits, scheduled, for the next daemon
    outcome: list[tuple[int, str, str]] = []
    waiting = threading.Thread(
        target=lambda: outcome.append(
            cli("-o", "json", "machine", "create", "survivor", "--image", "tiny", *SMALL, "--wait")
        )
    )
    waiting.start()
    try:
        wait_for(
            lambda: [
                m
                for m in fleet.admin.control.ListMachines(pb.ListMachinesRequest()).machines
                if m.state == pb.MACHINE_STATE_SCHEDULED
            ],
            what="the machine to be scheduled",
        )
        address, state_dir = fleet.daemon.address, fleet.daemon.config.state_dir
        fleet.daemon.stop(1)
        start_daemon(database_url=database_url, state_dir=str(state_dir), listen=address)
    finally:
        waiting.join(60)
    [(code, out, err)] = outcome
    assert code == 0, err
    assert json.loads(out)["state"] == "MACHINE_STATE_ACTIVE"


def test_wait_reads_the_machine_when_the_daemon_has_no_stream_to_spare(cli: Cli, fleet: Fleet) -> None:
    control = fleet.daemon.modules.control
    most = fleet.daemon.config.rpc_threads // 2
    hogs = [fleet.admin.control.WatchMachines(pb.WatchMachinesRequest(), timeout=120) for _ in range(most)]
    try:
        wait_for(lambda: control.open_watches == most, what="the daemon's every stream to be taken")
        code, out, err = cli("-o", "json", "machine", "create", "patient", "--image", "tiny", *SMALL, "--wait")
        assert code == 0, err
        assert json.loads(out)["state"] == "MACHINE_STATE_ACTIVE"
        assert "patient: active after" in err
        assert control.open_watches == most
    finally:
        for stream in hogs:
            stream.cancel()


def test_wait_gives_up_at_its_timeout(cli: Cli, fleet: Fleet) -> None:
    # No executor takes the task: the machine stays scheduled.
    fleet.daemon.pool.stop(5)
    started = time.monotonic()
    # --timeout before the command is each call's deadline, not the wait's.
    code, _, err = cli(
        "--timeout", "30", "machine", "create", "stuck", "--image", "tiny", *SMALL, "--wait", "--wait-timeout", "1"
    )
    assert code == 4
    assert time.monotonic() - started < 10
    [line] = _error_lines(err)
    assert "still scheduled after 1s" in line


def test_the_old_wait_timeout_spelling_still_works(cli: Cli, fleet: Fleet) -> None:
    fleet.daemon.pool.stop(5)
    code, _, err = cli("machine", "create", "stuck", "--image", "tiny", *SMALL, "--wait", "--timeout", "1")
    assert code == 4
    assert "--timeout after the command is now --wait-timeout" in err
    [line] = _error_lines(err)
    assert "still scheduled after 1s" in line
    code, _, err = cli("machine", "decommission", "stuck", "--wait", "--timeout", "1", "--wait-timeout", "2")
    assert code == 2 and "not both" in err
    code, out, _ = cli("machine", "create", "--help")
    assert "--wait-timeout" in out and "--timeout" not in out.replace("--wait-timeout", "")


BAD_INPUT = [
    (("machine", "create", "x", "--image", "no-such", "--shape", "tiny"), 6, "IMAGE_NOT_FOUND"),
    (("machine", "create", "x", "--image", "tiny", "--shape", "enormous"), 1, "UNKNOWN_SHAPE"),
    (("machine", "create", "x", "--image", "tiny", "--vcpus", "0", "--memory-mb", "64"), 1, "INVALID_RESOURCES"),
    (("machine", "create", "x", "--image", "tiny", *SMALL, "--network", "nope"), 1, "UNKNOWN_NETWORK"),
    (("machine", "create", "x", "--image", "tiny", *SMALL, "--region", "atlantis"), 6, "NOT_FOUND"),
    (("machine", "create", "x", "--image", "tiny", *SMALL, "--start", "2001-01-01T00:00Z"), 1, "WINDOW_IN_PAST"),
    (("machine", "create", "x", "--image", "tiny", "--vcpus", "100000", "--memory-mb", "64"), 1, "RESOURCE"),
    (("machine", "create", "x", "--image", "tiny", "--shape", "tiny", "--vcpus", "1"), 2, "not both"),
    (("machine", "create", "x", "--image", "tiny"), 2, "--shape"),
    (("machine", "create", "x", "--image", "tiny", "--shape", "tiny", "--start", "soon"), 2, "ISO 8601"),
    (("machine", "create", "x", "--image", "tiny", *SMALL, "--ssh-key-file", "/no/such/key"), 2, "cannot read"),
    (("machine", "list", "--state", "sleeping"), 2, "sleeping"),
    (("machine", "show", "ghost"), 6, "MACHINE_NOT_FOUND"),
    (("machine", "decommission", "ghost", "--wait"), 6, "MACHINE_NOT_FOUND"),
    (("host", "show", "ghost"), 6, "HOST_NOT_FOUND"),
    (("host", "enroll", "hv9", "--uri", "not a uri"), 1, "INVALID_URI"),
    (("image", "create", "i", "--source", "relative/path", "--format", "raw"), 1, "INVALID_IMAGE_SOURCE"),
    (("image", "create", "i", "--source", "/images/i.raw", "--format", "vmdk"), 2, "vmdk"),
    (("image", "create", "i", "--source", "/images/i.raw", "--format", "raw", "--os-hint", "debian"), 2, "KEY=VALUE"),
]


def test_bad_input_is_a_clear_error_and_stores_nothing(cli: Cli) -> None:
    for args, expected_code, text in BAD_INPUT:
        code, _, err = cli(*args)
        assert (code, text in err) == (expected_code, True), (args, code, err)
        if expected_code in (1, 6):
            # A refused request: one line naming the reason, nothing else.
            assert err.strip().count("\n") == 0 and err.startswith("error: "), (args, err)
        else:
            assert "Error:" in err, (args, err)
    assert [row["name"] for row in cli.json("machine", "list")] == []
    assert {row["name"] for row in cli.json("image", "list")} == {"tiny"}
    assert {row["name"] for row in cli.json("host", "list")} == {"hv1"}


class _Watcher:
    """``mulligan -f json machine watch --from-revision N`` as a subprocess,
    its lines read as they come; interrupted (and checked) at the end."""

    def __init__(self, fleet: Fleet, tmp_path: Path, start_revision: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_")}
        env.update(MULLIGAN_TOKEN=_token(fleet), MULLIGAN_CONFIG_DIR=str(tmp_path / "client"))
        argv = [str(MULLIGAN), "--endpoint", fleet.daemon.address, "-o", "json", "machine", "watch"]
        self._process = subprocess.Popen(
            [*argv, "--from-revision", str(start_revision)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)

    def shown_active(self, machine_id: str) -> bool:
        while not self._lines.empty():
            self.seen.append(json.loads(self._lines.get()))
        return any(
            row["machine"]["id"] == machine_id and row["machine"]["state"] == "MACHINE_STATE_ACTIVE"
            for row in self.seen
        )

    def interrupt(self) -> str:
        """Ctrl-C: the watch must end cleanly; its stderr."""
        self._process.send_signal(signal.SIGINT)
        assert self._process.wait(10) == 0
        err = self._process.stderr.read()  # type: ignore[union-attr]
        assert "Traceback" not in err
        return err

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait(10)
        for pipe in (self._process.stdout, self._process.stderr):
            if pipe is not None:
                pipe.close()


def test_watch_prints_json_lines_until_ctrl_c(fleet: Fleet, tmp_path: Path) -> None:
    start = fleet.daemon.kv.revision() + 1
    watcher = _Watcher(fleet, tmp_path, start)
    try:
        machine = fleet.provision(name="watched")
        wait_for(lambda: watcher.shown_active(machine.id), timeout=30, what="the watch to show the machine active")
        seen = watcher.seen
        states = [row["machine"]["state"] for row in seen if row["machine"]["id"] == machine.id]
        assert states[0] == "MACHINE_STATE_SCHEDULED"
        assert states[-2:] == ["MACHINE_STATE_PROVISIONING", "MACHINE_STATE_ACTIVE"]
        assert all(row["revision"] >= start and row["machine"]["name"] == "watched" for row in seen), [
            (r["revision"], r["machine"]["name"], r["machine"]["state"]) for r in seen
        ]
        assert [row["revision"] for row in seen] == sorted(row["revision"] for row in seen)
        watcher.interrupt()
    finally:
        watcher.close()
    assert fleet.wait_state(machine.id, pb.MACHINE_STATE_ACTIVE).name == "watched"


def test_watch_resumes_after_a_daemon_restart_without_a_gap(
    fleet: Fleet, database_url: str, start_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    watcher = _Watcher(fleet, tmp_path, fleet.daemon.kv.revision() + 1)
    try:
        before = fleet.provision(name="before")
        wait_for(lambda: watcher.shown_active(before.id), timeout=30, what="the first machine shown active")
        address, state_dir = fleet.daemon.address, fleet.daemon.config.state_dir
        fleet.daemon.stop(1)
        start_daemon(database_url=database_url, state_dir=str(state_dir), listen=address)
        after = fleet.provision(name="after")
        wait_for(lambda: watcher.shown_active(after.id), timeout=60, what="the second machine shown active")

        revisions = [row["revision"] for row in watcher.seen]
        assert revisions == sorted(set(revisions)), "a change was shown twice or out of order"
        assert (
            next(row["machine"]["state"] for row in watcher.seen if row["machine"]["id"] == after.id)
            == "MACHINE_STATE_SCHEDULED"
        )
        assert "watch interrupted" in watcher.interrupt()
    finally:
        watcher.close()


def test_machine_host_and_image_lists_page(cli: Cli, fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    made = [fleet.provision(name=f"paged-{index}").id for index in range(3)]
    whole = {command: [item["id"] for item in cli.json(command, "list")] for command in ("machine", "host", "image")}
    assert set(made) <= set(whole["machine"])
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    for command, ids in whole.items():
        assert [item["id"] for item in cli.json(command, "list")] == ids
    code, out, err = cli("-f", "value", "-c", "id", "machine", "list", "--limit", "2")
    assert code == 0 and out.split() == whole["machine"][:2]
    token = err.strip().removeprefix("next page: --page-token ")
    code, out, _ = cli("-f", "value", "-c", "id", "machine", "list", "--page-token", token)
    assert code == 0 and out.split() == whole["machine"][2:]
