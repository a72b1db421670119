"""Output formats of the ``mulligan`` CLI, run as a real process with its
output piped, against an in-process daemon with libvirt's test driver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mulligan.api.control.v1 import control_pb2 as pb
from tests.fixtures.cli import run_cli
from tests.fixtures.fleet import Fleet

MULLIGAN = Path(sys.executable).parent / "mulligan"


@pytest.fixture
def machine(fleet: Fleet) -> pb.Machine:
    created = fleet.provision(name="web-1")
    return fleet.wait_state(created.id, pb.MACHINE_STATE_ACTIVE)


@pytest.fixture
def env(fleet: Fleet, tmp_path: Path) -> dict[str, str]:
    assert fleet.admin.token
    return {
        **os.environ,
        "MULLIGAN_CONFIG_DIR": str(tmp_path / "client"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "MULLIGAN_ENDPOINT": fleet.daemon.address,
        "MULLIGAN_TOKEN": fleet.admin.token,
        # What a terminal would say; a pipe must not be held to it.
        "COLUMNS": "80",
    }


def mulligan(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``mulligan ARGS | ...``: stdout is a pipe."""
    return subprocess.run([str(MULLIGAN), *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def test_value_format_prints_the_chosen_columns_one_row_a_line(
    fleet: Fleet, machine: pb.Machine, env: dict[str, str]
) -> None:
    other = fleet.wait_state(fleet.provision(name="web-2").id, pb.MACHINE_STATE_ACTIVE)
    ids = mulligan(env, "-f", "value", "-c", "id", "machine", "list")
    assert ids.returncode == 0, ids.stderr
    assert sorted(ids.stdout.splitlines()) == sorted([machine.id, other.id])
    # After the subcommand too, several columns in the order given.
    rows = mulligan(env, "machine", "list", "-f", "value", "-c", "name", "-c", "state", "-c", "host")
    assert sorted(rows.stdout.splitlines()) == ["web-1 active hv1", "web-2 active hv1"]
    unknown = mulligan(env, "machine", "list", "-f", "value", "-c", "colour")
    assert unknown.returncode == 2 and "no column colour;" in unknown.stderr


def test_json_is_the_api_object(machine: pb.Machine, env: dict[str, str]) -> None:
    shown = mulligan(env, "machine", "show", "web-1", "-f", "json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["state"] == "MACHINE_STATE_ACTIVE"
    assert (data["id"], data["host_id"], data["image_id"]) == (machine.id, machine.host_id, machine.image_id)
    assert data["resources"] == {"vcpus": 1, "memory_mb": 64, "disk_gb": 1}
    # -o is the same option; -c keeps only some fields.
    listed = json.loads(mulligan(env, "-o", "json", "machine", "list", "-c", "id", "-c", "state").stdout)
    assert listed == [{"id": machine.id, "state": "MACHINE_STATE_ACTIVE"}]


def test_yaml_is_the_same_object(machine: pb.Machine, env: dict[str, str]) -> None:
    yaml = pytest.importorskip("yaml")
    as_json = json.loads(mulligan(env, "machine", "show", machine.id, "-f", "json").stdout)
    shown = mulligan(env, "machine", "show", machine.id, "-f", "yaml")
    assert shown.returncode == 0, shown.stderr
    assert yaml.safe_load(shown.stdout) == as_json


def test_tables_use_the_full_width_when_piped(machine: pb.Machine, env: dict[str, str]) -> None:
    listed = mulligan(env, "machine", "list")
    assert listed.returncode == 0, listed.stderr
    [header, line] = listed.stdout.splitlines()
    assert header.split() == ["name", "state", "host", "image", "vcpus", "memory_mb", "disk_gb", "id"]
    assert line.split() == ["web-1", "active", "hv1", "tiny", "1", "64", "1", machine.id]
    assert len(line.rstrip()) > 80


def test_not_found_has_its_own_exit_code(
    fleet: Fleet, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert fleet.admin.token
    monkeypatch.setenv("MULLIGAN_CONFIG_DIR", str(tmp_path / "client"))
    monkeypatch.setenv("MULLIGAN_TOKEN", fleet.admin.token)
    run = run_cli(capsys, "--endpoint", fleet.daemon.address, "machine", "show", "nowhere")
    assert run.code == 6
    [line] = run.err.splitlines()
    assert line.startswith("error: ") and "nowhere" in line and line.endswith("(MACHINE_NOT_FOUND)")


def test_completion_scripts_and_machine_names_from_the_daemon(
    machine: pb.Machine, env: dict[str, str], tmp_path: Path
) -> None:
    for shell in ("bash", "zsh", "fish"):
        script = mulligan(env, "completion", shell)
        assert script.returncode == 0, script.stderr
        assert "_MULLIGAN_COMPLETE" in script.stdout
    completing = {
        **env,
        "_MULLIGAN_COMPLETE": "bash_complete",
        "COMP_WORDS": "mulligan machine show w",
        "COMP_CWORD": "3",
    }
    found = mulligan(completing, "machine", "show", "w")
    assert found.returncode == 0, found.stderr
    assert "plain,web-1" in found.stdout.splitlines()
    cached = list((tmp_path / "cache" / "mulligan").glob("names-default-machine.json"))
    assert len(cached) == 1 and (cached[0].stat().st_mode & 0o077) == 0
    commands = mulligan({**completing, "COMP_WORDS": "mulligan mach", "COMP_CWORD": "1"}, "mach")
    assert "plain,machine" in commands.stdout.splitlines()
    shapes = mulligan({**completing, "COMP_WORDS": "mulligan machine create x --shape sm", "COMP_CWORD": "5"})
    assert shapes.stdout.splitlines() == ["plain,small"]
