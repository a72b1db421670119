"""The resource commands of the ``mulligan`` CLI against an in-process daemon."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mulligan.cli import paging
from mulligan.cli.app import main
from mulligan.daemon import Daemon
from tests.fixtures.iam import Identity


class Cli:
    def __init__(self, daemon: Daemon, capsys: pytest.CaptureFixture[str]) -> None:
        self.daemon = daemon
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            main(["--endpoint", self.daemon.address, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> Any:
        code, out, err = self("-o", "json", *args)
        assert code == 0, err
        return json.loads(out) if out.strip() else None


@pytest.fixture
def cli(
    daemon: Daemon, iam_admin: Identity, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    monkeypatch.setenv("MULLIGAN_TOKEN", iam_admin.token)
    return Cli(daemon, capsys)


def test_operator_and_tenant_workflow(cli: Cli) -> None:
    assert cli.json("region", "create", "default", "--attr", "power=feed-a")["name"] == "default"
    cli.json("region", "create", "row-1", "--parent", "default", "--visibility", "public")
    assert {r["name"] for r in cli.json("region", "list")} == {"default", "row-1"}
    cli.json("trait", "create", "CUSTOM_FAST")
    host = cli.json(
        "provider",
        "create",
        "host-1",
        "--region",
        "row-1",
        "--inventory",
        "VCPU=8,allocation_ratio=2.0",
        "--inventory",
        "MEMORY_MB=16384,min_unit=512,step_size=512",
        "--trait",
        "HW_CPU_X86_AVX2",
    )
    vcpu = {inv["resource_class"]: inv for inv in host["inventories"]}["VCPU"]
    assert host["name"] == "host-1" and (vcpu["claimed"], vcpu["capacity"]) == (0, 16)
    cli.json("provider", "create", "numa0", "--parent", "host-1", "--inventory", "FPGA=1")
    cli.json("inventory", "set", "host-1", "DISK_GB", "--total", "500", "--reserved", "20")
    inventories = {row["resource_class"]: row for row in cli.json("inventory", "list", "host-1")}
    assert inventories["DISK_GB"]["capacity"] == 480
    assert "CUSTOM_FAST" in cli.json("trait", "add", "host-1", "CUSTOM_FAST")["traits"]
    cli.json("group", "create", "rack-1")
    assert cli.json("group", "add", "rack-1", "host-1")["members"] == 1
    cli.json("provider", "create", "host-2", "--region", "row-1", "--inventory", "VCPU=4")
    cli.json("provider", "distance", "set", "host-1", "host-2", "7")

    found = cli.json("candidates", "VCPU=2", "MEMORY_MB=1024", "+CUSTOM_FAST", "@rack-1", "--limit", "5")
    assert len(found) == 1
    assert {"provider_id": host["id"], "resource_class": "VCPU", "amount": 2} in found[0]["plans"][0]["allocations"]
    # host-1 holds the CPUs and is the parent of the FPGA: one subtree.
    nested = cli.json("candidates", "--group", "cpu: VCPU=1", "--group", "accel: FPGA=1", "--same-subtree", "cpu,accel")
    assert len(nested) == 1
    assert (nested[0]["plans"][0]["label"], nested[0]["plans"][0]["allocations"][0]["provider_id"]) == (
        "cpu",
        host["id"],
    )
    assert cli.json("candidates", "--group", "cpu: VCPU=1 tree=host-2", "--group", "accel: FPGA=1") == []
    near = cli.json("candidates", "VCPU=1", "near=host-1:10", "--rank", "nearest")
    assert [row["rank_key"] for row in near] == [0, 7]

    code, _, err = cli("quota", "set", "tenant-a", "VCPU", "6")
    assert code == 6 and "PROJECT_NOT_FOUND" in err
    tenant = cli.json("project", "create", "tenant-a")["id"]
    claim = cli.json("claim", "best", "VCPU=4", "MEMORY_MB=2048", "--project", "tenant-a", "--end", "+2h")
    assert claim["project_id"] == tenant and "end_time" in claim
    reservation = cli.json(
        "claim", "create", "--alloc", "host-2:VCPU=4", "--project", "tenant-a", "--start", "+1d", "--end", "+2d"
    )
    assert cli.json("claim", "window", reservation["consumer_id"], "--end", "+3d")["generation"] == 2
    assert {c["consumer_id"] for c in cli.json("claim", "list", "--project", "tenant-a")} == {
        claim["consumer_id"],
        reservation["consumer_id"],
    }
    usage = {row["resource_class"]: row["used"] for row in cli.json("provider", "usage", "host-1")}
    assert usage["VCPU"] == 4
    cli.json("quota", "set", "tenant-a", "VCPU", "6")
    assert cli.json("claim", "usage", "--project", "tenant-a") == [
        {"resource_class": "MEMORY_MB", "used": 2048},
        {"resource_class": "VCPU", "capacity": 6, "used": 4},
    ]
    code, _, err = cli("claim", "best", "VCPU=4", "--project", "tenant-a")
    assert code == 1 and "QUOTA_EXCEEDED" in err
    cli.json("claim", "release", claim["consumer_id"])
    code, _, err = cli("claim", "show", claim["consumer_id"])
    assert code == 6 and "CLAIM_NOT_FOUND" in err


def test_bad_input_reports_the_reason(cli: Cli) -> None:
    cli.json("region", "create", "default")
    cli.json("project", "create", "p")
    cli.json("provider", "create", "host", "--region", "default", "--inventory", "VCPU=4")
    code, _, err = cli("inventory", "set", "host", "VCPU", "--total", "4", "--min-unit", "3", "--max-unit", "2")
    assert code == 1 and "INVALID_INVENTORY" in err
    code, _, err = cli("claim", "create", "--alloc", "host:VCPU=0", "--project", "p")
    assert code == 1 and "INVALID_AMOUNT" in err
    code, _, err = cli("claim", "create", "--alloc", "host:VCPU=1", "--project", "p", "--start", "+2h", "--end", "+1h")
    assert code == 1 and "INVALID_WINDOW" in err
    code, _, err = cli("candidates", "VCPU=1", "+CUSTOM_MISSING")
    assert code == 1 and "UNKNOWN_TRAIT" in err
    code, _, err = cli("claim", "create", "--alloc", "no-colon", "--project", "p")
    assert code == 2 and "PROVIDER:CLASS=AMOUNT" in err
    # Digits int() does not read are a usage error, not a crash.
    code, _, err = cli("candidates", "VCPU=\u00b2")
    assert code == 2 and "CLASS=AMOUNT" in err
    code, _, err = cli("candidates", "VCPU=1", "near=host:\u00b2")
    assert code == 2 and "near=PROVIDER:DISTANCE" in err
    code, _, err = cli("region", "delete", "default")
    assert code == 1 and "REGION_IN_USE" in err


def test_provider_names_are_positional_and_the_old_option_still_works(cli: Cli) -> None:
    cli.json("region", "create", "default")
    assert cli.json("provider", "create", "by-argument", "--region", "default")["name"] == "by-argument"
    assert cli.json("provider", "create", "--name", "by-option", "--region", "default")["name"] == "by-option"
    assert cli.json("provider", "create", "--region", "default")["name"] == ""
    code, _, err = cli("provider", "create", "one", "--name", "two", "--region", "default")
    assert code == 2 and "NAME or --name" in err
    code, out, _ = cli("provider", "create", "--help")
    assert code == 0 and "[NAME]" in out and "--name" not in out


# Each list command, the items it shows and how to make more of them.
LISTS = [
    (("region", "list"), "name"),
    (("trait", "list", "--prefix", "CUSTOM_"), "code"),
    (("resource-class", "list"), "code"),
    (("provider", "list"), "name"),
    (("group", "list"), "name"),
    (("quota", "list"), "resource_class"),
    (("claim", "list"), "consumer_id"),
    (("project", "list"), "name"),
]


def _fill(cli: Cli) -> None:
    cli.json("region", "create", "default")
    cli.json("project", "create", "p")
    for index in range(5):
        cli.json("region", "create", f"r-{index}", "--parent", "default")
        cli.json("trait", "create", f"CUSTOM_T{index}")
        cli.json("resource-class", "create", f"CUSTOM_C{index}")
        cli.json("provider", "create", f"host-{index}", "--region", "default", "--inventory", "VCPU=8")
        cli.json("group", "create", f"g-{index}")
        cli.json("project", "create", f"p-{index}")
        cli.json("quota", "set", "p", f"CUSTOM_C{index}", "10")
        cli.json("claim", "create", "--alloc", f"host-{index}:VCPU=1", "--project", "p")


def test_lists_fetch_every_page_and_stop_at_the_limit(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(cli)
    whole = {command: [item[key] for item in cli.json(*command)] for command, key in LISTS}
    assert all(len(items) >= 5 for items in whole.values()), whole
    # Pages of two: every list takes several calls and still shows everything.
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    for command, key in LISTS:
        assert [item[key] for item in cli.json(*command)] == whole[command], command
        code, out, err = cli("-o", "json", *command, "--limit", "3")
        assert code == 0, err
        assert [item[key] for item in json.loads(out)] == whole[command][:3], command
        # The rest, from where the limit stopped.
        token = err.strip().rsplit(" ", 1)[-1]
        assert err.startswith("next page: --page-token "), err
        rest = cli.json(*command, "--page-token", token)
        assert [item[key] for item in rest] == whole[command][3:], command
    code, _, err = cli("-o", "json", "region", "list", "--limit", str(len(whole[("region", "list")])))
    assert code == 0 and err == ""
    code, _, err = cli("region", "list", "--limit", "0")
    assert code == 2 and "--limit" in err
