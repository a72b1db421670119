"""The TypeScript client (clients/typescript), generated from proto/, against a
real mulligand: its smoke program signs in with a password and lists
machines, over plaintext on loopback and over TLS.

``make test`` builds the client first (``make ts-client``); the fixture here
runs the same target, which does nothing when the build is current.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mulligan import tls
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.client import Client, pages
from mulligan.daemon import Daemon
from mulligan.iam.bootstrap import SECRET_FILE
from mulligan.tls_client import ClientTls
from tests.fixtures.daemon import REPO, DaemonProcess, DaemonSite, wait_for
from tests.fixtures.fleet import IMAGE_VOLUME, enroll
from tests.fixtures.iam import ADMIN_NAME, ADMIN_PROJECT, Identity, bootstrap_at, create_project, create_user, grant
from tests.fixtures.libvirtd import SessionLibvirtd

libvirt = pytest.importorskip("libvirt")

pytestmark = pytest.mark.slow

CLIENT_DIR = REPO / "clients" / "typescript"
SMOKE = CLIENT_DIR / "dist" / "test" / "smoke.js"
MACHINE = "ts-smoke"
# Exit statuses of the smoke program (clients/typescript/test/smoke.ts).
FAILED_CALL = 1
UNEXPECTED_ANSWER = 3


@dataclass(frozen=True)
class Smoke:
    """The compiled smoke program, run with node."""

    node: str

    def run(self, endpoint: str, account: str, password: str, **settings: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_")}
        env |= {"MULLIGAN_ENDPOINT": endpoint, "MULLIGAN_ACCOUNT": account, "MULLIGAN_PASSWORD": password}
        env |= {f"MULLIGAN_{name.upper()}": value for name, value in settings.items()}
        return subprocess.run(
            [self.node, str(SMOKE)], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    def answer(self, *args: str, **settings: str) -> dict[str, Any]:
        """The JSON answer of a run that must succeed."""
        result = self.run(*args, **settings)
        assert result.returncode == 0, result.stderr
        answer: dict[str, Any] = json.loads(result.stdout)
        return answer


@pytest.fixture(scope="module")
def smoke() -> Smoke:
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        pytest.fail("the TypeScript client needs Node.js 20 and npm on PATH")
    built = subprocess.run(
        ["make", "-s", "ts-client"], cwd=REPO, capture_output=True, text=True, timeout=900, check=False
    )
    assert built.returncode == 0, f"make ts-client failed:\n{built.stdout}\n{built.stderr}"
    assert SMOKE.exists()
    return Smoke(node)


@dataclass
class Site(DaemonSite):
    admin_identity: Identity | None = None


@pytest.fixture
def site(
    spawn_daemon: Callable[..., DaemonProcess], session_libvirtd: SessionLibvirtd, tmp_path: Path
) -> Iterator[Site]:
    """mulligand as a subprocess, bootstrapped, with a hypervisor and an image."""
    hypervisor = libvirt.open(session_libvirtd.test_uri)
    try:
        pool = hypervisor.storagePoolLookupByName("default-pool")
        pool.createXML(f"<volume><name>{IMAGE_VOLUME}</name><capacity unit='M'>16</capacity></volume>", 0)
        site = Site(spawn_daemon, tmp_path / "state", {})
        site.start()
        site.admin_identity = bootstrap_at(site.endpoint, site.state_dir)
        site.token = site.admin_identity.token
        admin = site.admin()
        admin.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="default"))
        enroll(admin, "hv1", session_libvirtd.test_uri)
        admin.control.CreateImage(
            pb.CreateImageRequest(
                name="tiny", format=pb.IMAGE_FORMAT_RAW, source=f"volume:{IMAGE_VOLUME}", size_gb=0, system=True
            )
        )
        yield site
        site.close()
    finally:
        hypervisor.close()


def _active_machine(admin: Client) -> pb.Machine:
    request = pb.ProvisionMachineRequest(
        name=MACHINE, image="tiny", resources=pb.Resources(vcpus=1, memory_mb=32, disk_gb=0)
    )
    machine_id = admin.control.ProvisionMachine(request).machine.id

    def active() -> pb.Machine | None:
        machine: pb.Machine = admin.control.GetMachine(pb.GetMachineRequest(machine=machine_id)).machine
        assert machine.state != pb.MACHINE_STATE_ERROR, machine.error
        return machine if machine.state == pb.MACHINE_STATE_ACTIVE else None

    found: pb.Machine = wait_for(active, timeout=60, what=f"machine {MACHINE} active")
    return found


def test_signs_in_with_a_password_and_lists_the_machine_it_can_see(smoke: Smoke, site: Site) -> None:
    assert site.admin_identity is not None
    admin = site.admin()
    machine = _active_machine(admin)

    answer = smoke.answer(
        site.endpoint, ADMIN_NAME, site.admin_identity.password, project=ADMIN_PROJECT, expect_machine=MACHINE
    )

    assert answer["account_id"] == site.admin_identity.account_id
    assert answer["project_id"] == site.admin_identity.project_id
    listed = {
        m.id for m in pages(lambda t: admin.control.ListMachines(pb.ListMachinesRequest(page_token=t)), "machines")
    }
    assert {m["id"] for m in answer["machines"]} == listed
    assert answer["machines"] == [
        {
            "id": machine.id,
            "name": MACHINE,
            "state": "ACTIVE",
            "project_id": site.admin_identity.project_id,
            "host_id": machine.host_id,
        }
    ]


def test_a_wrong_password_and_another_project_are_told_apart_from_success(smoke: Smoke, site: Site) -> None:
    assert site.admin_identity is not None
    admin = site.admin()
    _active_machine(admin)

    wrong = smoke.run(site.endpoint, ADMIN_NAME, "not-the-password")
    assert wrong.returncode == FAILED_CALL
    assert wrong.stdout == ""
    assert "INVALID_CREDENTIALS" in wrong.stderr
    assert "not-the-password" not in wrong.stderr

    # A member of another project sees none of the admin project's machines.
    project = create_project(admin, "elsewhere")
    account_id, password = create_user(admin, "outsider")
    grant(admin, account_id, project, "member")
    assert smoke.answer(site.endpoint, "outsider", password, project="elsewhere")["machines"] == []
    hidden = smoke.run(site.endpoint, "outsider", password, project="elsewhere", expect_machine=MACHINE)
    assert hidden.returncode == UNEXPECTED_ANSWER
    assert MACHINE in hidden.stderr


def test_speaks_tls_to_a_daemon_given_its_ca(smoke: Smoke, start_daemon: Callable[..., Daemon]) -> None:
    daemon = start_daemon(tls="auto")
    ca_file = tls.auto_ca_file(daemon.config.state_dir)
    secret = (daemon.config.state_dir / SECRET_FILE).read_text().strip()
    with Client(daemon.address, tls=ClientTls(ca_file=ca_file)) as anonymous:
        bootstrapped = anonymous.iam.Bootstrap(
            iam_pb2.BootstrapRequest(
                secret=secret, admin_name="admin", admin_password="tls-password-1", project_name="admin"
            )
        )

    answer = smoke.answer(daemon.address, "admin", "tls-password-1", ca_file=str(ca_file))
    assert answer["account_id"] == bootstrapped.account.id
    assert answer["machines"] == []

    # Plaintext to a TLS daemon never gets an answer.
    plain = smoke.run(daemon.address, "admin", "tls-password-1")
    assert plain.returncode == FAILED_CALL
    assert plain.stdout == ""
