"""Make the frozen fixtures of a released Mulligan from a checkout of it.

    git worktree add /tmp/v010 v0.1.0
    .venv/bin/python tools/make_compat_fixture.py --release-tree /tmp/v010 --out tests/compat/v0_1_0

writes into ``--out``:

- ``proto/``: the release's API;
- ``api/``: the release's generated Python code, importable as
  ``tests.compat.<dir>.api`` beside today's ``mulligan.api`` (its messages
  live in a descriptor pool of their own);
- ``mulligan.db``: a SQLite database written by the release's own daemon,
  holding objects of every kind;
- ``postgres.sql``: the same written into a throwaway PostgreSQL and dumped
  (``pg_dump --no-owner --no-privileges``);
- ``manifest.json``: what each database holds, for the upgrade tests.

The objects are made by the release's code, run from ``--release-tree``
in a child process of this script (``populate``): nothing of today's code
touches them. What is made is limited to what the release's API offers.
The fixtures are made once per release and never again (docs/releasing.md).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SERVICES = ("iam", "meta", "resource", "control")
# Long enough that the fixture's tokens outlive any test run of the next decades.
TOKEN_TTL_S = 30 * 365 * 24 * 3600
# A reservation's window that stays in the future.
FUTURE = datetime(2099, 1, 1, tzinfo=UTC)
TEST_URI = "test:///default"
IMAGE_VOLUME = "tiny-image.raw"
PASSWORDS = {"admin": "admin-password-0.1.0", "alice": "alice-password-0.1.0", "bob": "bob-password-0.1.0"}

POOL_MODULE = '''"""The descriptor pool holding this release's API, apart from the default
pool where today's ``mulligan.api`` registers the same file names."""

from google.protobuf import descriptor_pool, field_mask_pb2, timestamp_pb2

POOL = descriptor_pool.DescriptorPool()
for _dependency in (field_mask_pb2, timestamp_pb2):
    POOL.AddSerializedFile(_dependency.DESCRIPTOR.serialized_pb)
'''


# -- the release's API and generated code


def copy_api(release: Path, out: Path) -> None:
    """proto/ as released, and mulligan/api moved to the package of ``out``."""
    package = ".".join(out.resolve().relative_to(REPO).parts) + ".api"
    shutil.rmtree(out / "proto", ignore_errors=True)
    shutil.copytree(release / "proto", out / "proto")
    api = out / "api"
    shutil.rmtree(api, ignore_errors=True)
    version = _release_version(release)
    (api).mkdir(parents=True)
    (api / "__init__.py").write_text(
        f'"""Mulligan {version}\'s generated protobuf and gRPC code, as released, with its\n'
        "imports moved under this package. Never edited, never regenerated.\n\n"
        "The messages live in a descriptor pool of their own (``_pool``), so they\n"
        "load beside today's ``mulligan.api`` even where the two differ.\n"
        '"""\n'
    )
    (api / "_pool.py").write_text(POOL_MODULE)
    for service in SERVICES:
        source = release / "mulligan" / "api" / service / "v1"
        target = api / service / "v1"
        target.mkdir(parents=True)
        (api / service / "__init__.py").touch()
        (target / "__init__.py").touch()
        for name in (f"{service}_pb2.py", f"{service}_pb2_grpc.py"):
            (target / name).write_text(_rewrite((source / name).read_text(), package))


def _rewrite(code: str, package: str) -> str:
    code = re.sub(r"^from mulligan\.api\.", f"from {package}.", code, flags=re.M)
    code = code.replace("'mulligan.api.", f"'{package}.")
    code = code.replace("_descriptor_pool.Default().AddSerializedFile(", "_pool.POOL.AddSerializedFile(")
    builder = "from google.protobuf.internal import builder as _builder\n"
    if builder in code:
        code = code.replace(builder, f"{builder}from {package} import _pool\n")
    return code


def _release_version(release: Path) -> str:
    found = re.search(r'^__version__ = "(.*)"$', (release / "mulligan" / "__init__.py").read_text(), re.M)
    assert found, "no __version__ in the release tree"
    return found.group(1)


# -- a throwaway PostgreSQL (as tests/fixtures/postgres.py starts one)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv]


@contextlib.contextmanager
def postgres() -> Iterator[tuple[Path, str]]:
    """(the server's bin dir, base URL) of a cluster on 127.0.0.1, removed after."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("PostgreSQL server binaries are missing: run `make deps`")
    bin_dir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="mulligan-compat-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "nobody", "nogroup")
        shutil.chown(sockets, "nobody", "nogroup")
    port = _free_port()
    run = subprocess.run
    run(
        _as_postgres_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-N"]),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]
    run(_as_postgres_user([*pg_ctl, "-o", options, "-l", str(root / "log"), "-w", "start"]), check=True)
    try:
        yield bin_dir, f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        run(_as_postgres_user([*pg_ctl, "-m", "immediate", "-w", "stop"]), check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


# -- making the databases


def populate_with_release(release: Path, database_url: str, work: Path) -> dict[str, Any]:
    """Run ``populate`` with the release's code; what it made."""
    result = work / "made.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_")}
    env["PYTHONPATH"] = str(release)
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "populate",
            "--release-tree",
            str(release),
            "--database-url",
            database_url,
            "--state-dir",
            str(work / "state"),
            "--result",
            str(result),
        ],
        env=env,
        cwd=release,
        check=True,
    )
    made: dict[str, Any] = json.loads(result.read_text())
    return made


def make_sqlite(release: Path, out: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="mulligan-compat-") as tmp:
        work = Path(tmp)
        database = work / "mulligan.db"
        made = populate_with_release(release, f"sqlite:///{database}", work)
        target = out / "mulligan.db"
        target.unlink(missing_ok=True)
        # One file with the WAL folded in, and no free pages.
        with contextlib.closing(sqlite3.connect(database)) as connection:
            connection.execute("VACUUM INTO ?", (str(target),))
    return made


def make_postgres(release: Path, out: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="mulligan-compat-") as tmp, postgres() as (bin_dir, base):
        name = "mulligan"
        made = populate_with_release(release, f"{base}/{name}", Path(tmp))
        port = base.rsplit(":", 1)[1]
        dump = subprocess.run(
            [
                str(bin_dir / "pg_dump"),
                "--no-owner",
                "--no-privileges",
                "-h",
                "127.0.0.1",
                "-p",
                port,
                "-U",
                "postgres",
                name,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (out / "postgres.sql").write_text(dump)
    return made


# -- populate: runs with the release's code (PYTHONPATH is the release tree)


def populate(release: Path, database_url: str, state_dir: Path, result: Path) -> None:
    import mulligan

    loaded = Path(mulligan.__file__).resolve()
    if not loaded.is_relative_to(release.resolve()):
        raise SystemExit(f"populate must run the release's code, but mulligan comes from {loaded}")
    import libvirt

    hypervisor = libvirt.open(TEST_URI)
    pool = hypervisor.storagePoolLookupByName("default-pool")
    pool.createXML(f"<volume><name>{IMAGE_VOLUME}</name><capacity unit='M'>16</capacity></volume>", 0)
    try:
        made = _Population(database_url, state_dir).run()
    finally:
        hypervisor.close()
    made["release"] = mulligan.__version__
    result.write_text(json.dumps(made, indent=2, sort_keys=True) + "\n")


class _Population:
    """The objects of the fixture, made through the release's API."""

    def __init__(self, database_url: str, state_dir: Path) -> None:
        from mulligan import config as config_mod
        from mulligan import daemon as daemon_mod

        options = {
            "database_url": database_url,
            "state_dir": str(state_dir),
            "listen": "127.0.0.1:0",
            "token_ttl_s": TOKEN_TTL_S,
            "shutdown_grace_s": 5,
        }
        config = config_mod.load(environ={}, overrides=options, path=Path(os.devnull))
        self.daemon = daemon_mod.start(config)
        self.made: dict[str, Any] = {}

    def run(self) -> dict[str, Any]:
        try:
            self._iam()
            self._resource()
            self._control()
            self._meta()
            self._queued_task()
        finally:
            self.daemon.stop(5)
        self._tasks()
        return self.made

    def _client(self, token: str = "") -> Any:
        from mulligan.client import Client

        return Client(self.daemon.address, token=token or None)

    def _iam(self) -> None:
        from mulligan.api.iam.v1 import iam_pb2
        from mulligan.iam.bootstrap import SECRET_FILE

        secret = (self.daemon.config.state_dir / SECRET_FILE).read_text().strip()
        with self._client() as anonymous:
            boot = anonymous.iam.Bootstrap(
                iam_pb2.BootstrapRequest(
                    secret=secret, admin_name="admin", admin_password=PASSWORDS["admin"], project_name="admin"
                )
            )
        self.admin = self._client(boot.token)
        iam = self.admin.iam
        acme = iam.CreateProject(
            iam_pb2.CreateProjectRequest(project=iam_pb2.Project(name="acme", description="a tenant"))
        ).project
        globex = iam.CreateProject(iam_pb2.CreateProjectRequest(project=iam_pb2.Project(name="globex"))).project
        accounts = {"admin": boot.account.id}
        for name, display in (("alice", "Alice Example"), ("bob", "Bob Example")):
            accounts[name] = iam.CreateAccount(
                iam_pb2.CreateAccountRequest(
                    account=iam_pb2.Account(name=name, display_name=display), password=PASSWORDS[name]
                )
            ).account.id
        iam.CreateRoleAssignment(
            iam_pb2.CreateRoleAssignmentRequest(account=accounts["alice"], project=acme.id, role="admin")
        )
        iam.CreateRoleAssignment(
            iam_pb2.CreateRoleAssignmentRequest(account=accounts["bob"], project=acme.id, role="reader")
        )
        iam.CreateRoleAssignment(
            iam_pb2.CreateRoleAssignmentRequest(account=accounts["bob"], project=globex.id, role="member")
        )
        # Signed by the first key, which the rotation below retires.
        admin_token = self._login("admin", PASSWORDS["admin"], "admin")
        revoked = self._login("bob", PASSWORDS["bob"], "globex")
        rotated = iam.RotateSigningKey(iam_pb2.RotateSigningKeyRequest()).signing_key
        alice_token = self._login("alice", PASSWORDS["alice"], "acme")
        with self._client(alice_token.token) as alice:
            credential = alice.iam.CreateApplicationCredential(
                iam_pb2.CreateApplicationCredentialRequest(name="ci-deployer", roles=["member"])
            )
        with self._client(revoked.token) as bob:
            bob.iam.RevokeToken(iam_pb2.RevokeTokenRequest())
        keys = iam.ListSigningKeys(iam_pb2.ListSigningKeysRequest()).signing_keys
        assignments = iam.ListRoleAssignments(iam_pb2.ListRoleAssignmentsRequest(page_size=100)).role_assignments
        self.acme, self.globex = acme.id, globex.id
        self.alice_token = alice_token.token
        self.made["iam"] = {
            "projects": {"admin": boot.project.id, "acme": acme.id, "globex": globex.id},
            "accounts": accounts,
            "passwords": PASSWORDS,
            "application_credential": {
                "id": credential.account.id,
                "name": "ci-deployer",
                "project": acme.id,
                "secret": credential.secret,
                "roles": ["member", "reader"],
            },
            "role_assignments": sorted([a.account_id, a.project_id or "system", a.role] for a in assignments if a.role),
            "signing_keys": {
                "retired": next(k.key_id for k in keys if k.key_id != rotated.key_id),
                "active": rotated.key_id,
            },
            "tokens": {
                "admin": {"token": admin_token.token, "key": "retired", "account": accounts["admin"]},
                "alice": {"token": alice_token.token, "key": "active", "account": accounts["alice"]},
                "revoked": {"token": revoked.token, "key": "retired", "account": accounts["bob"]},
            },
        }

    def _login(self, name: str, password: str, project: str) -> Any:
        from mulligan.api.iam.v1 import iam_pb2

        with self._client() as anonymous:
            return anonymous.iam.Authenticate(
                iam_pb2.AuthenticateRequest(
                    password=iam_pb2.PasswordCredentials(account=name, password=password, project=project)
                )
            )

    def _resource(self) -> None:
        from mulligan.api.resource.v1 import resource_pb2 as pb

        resource = self.admin.resource
        default = resource.CreateRegion(pb.CreateRegionRequest(name="default", visibility=pb.VISIBILITY_PUBLIC)).region
        rack = resource.CreateRegion(
            pb.CreateRegionRequest(
                name="eu-rack-1",
                parent="default",
                visibility=pb.VISIBILITY_INTERNAL,
                attributes={"power": "feed-a", "network": "tor-1"},
            )
        ).region
        resource.CreateTrait(pb.CreateTraitRequest(code="CUSTOM_FAST_DISK"))
        resource.CreateResourceClass(pb.CreateResourceClassRequest(code="CUSTOM_FPGA"))
        storage = resource.CreateProvider(
            pb.CreateProviderRequest(
                region="eu-rack-1",
                name="fpga-shelf",
                inventories=[
                    pb.InventorySpec(resource_class="CUSTOM_FPGA", total=8, reserved=1, max_unit=4),
                    pb.InventorySpec(resource_class="DISK_GB", total=2000, allocation_ratio=1.5, step_size=10),
                ],
                traits=["CUSTOM_FAST_DISK", "HW_CPU_X86_AVX2"],
            )
        ).provider
        child = resource.CreateProvider(
            pb.CreateProviderRequest(
                region="eu-rack-1",
                name="fpga-shelf-left",
                parent=storage.id,
                inventories=[pb.InventorySpec(resource_class="CUSTOM_FPGA", total=2)],
            )
        ).provider
        group = resource.CreateGroup(pb.CreateGroupRequest(name="fast-storage")).group
        resource.AddGroupMembers(pb.AddGroupMembersRequest(group=group.id, providers=[storage.id, child.id]))
        resource.SetDistance(pb.SetDistanceRequest(provider=storage.id, other=child.id, distance=2))
        resource.SetQuota(pb.SetQuotaRequest(project_id=self.acme, resource_class="CUSTOM_FPGA", limit=10))
        now_claim, future_claim = str(uuid.uuid4()), str(uuid.uuid4())
        resource.CreateClaim(
            pb.CreateClaimRequest(
                consumer_id=now_claim,
                project_id=self.acme,
                kind="fpga-job",
                allocations=[pb.Allocation(provider_id=storage.id, resource_class="CUSTOM_FPGA", amount=3)],
            )
        )
        window = pb.Window()
        window.start_time.FromDatetime(FUTURE)
        window.end_time.FromDatetime(FUTURE + timedelta(days=2))
        resource.CreateClaim(
            pb.CreateClaimRequest(
                consumer_id=future_claim,
                project_id=self.acme,
                kind="fpga-job",
                allocations=[
                    pb.Allocation(provider_id=storage.id, resource_class="CUSTOM_FPGA", amount=4),
                    pb.Allocation(provider_id=child.id, resource_class="CUSTOM_FPGA", amount=2),
                ],
                window=window,
            )
        )
        self.made["resource"] = {
            "regions": {"default": default.id, "eu-rack-1": rack.id},
            "region_attributes": {"eu-rack-1": {"power": "feed-a", "network": "tor-1"}},
            "traits": ["CUSTOM_FAST_DISK"],
            "resource_classes": ["CUSTOM_FPGA"],
            "providers": {
                "fpga-shelf": {
                    "id": storage.id,
                    "region": rack.id,
                    "parent": "",
                    "inventories": {
                        "CUSTOM_FPGA": {"total": 8, "reserved": 1, "max_unit": 4},
                        "DISK_GB": {"total": 2000, "allocation_ratio": 1.5, "step_size": 10},
                    },
                    "traits": ["CUSTOM_FAST_DISK", "HW_CPU_X86_AVX2"],
                },
                "fpga-shelf-left": {
                    "id": child.id,
                    "region": rack.id,
                    "parent": storage.id,
                    "inventories": {"CUSTOM_FPGA": {"total": 2}},
                    "traits": [],
                },
            },
            "group": {"name": "fast-storage", "id": group.id, "members": sorted([storage.id, child.id])},
            "distance": [storage.id, child.id, 2],
            "quota": [self.acme, "CUSTOM_FPGA", 10],
            "claims": {
                "now": {"consumer": now_claim, "allocations": [[storage.id, "CUSTOM_FPGA", 3]], "start": None},
                "reservation": {
                    "consumer": future_claim,
                    "allocations": sorted([[storage.id, "CUSTOM_FPGA", 4], [child.id, "CUSTOM_FPGA", 2]]),
                    "start": FUTURE.isoformat(),
                    "end": (FUTURE + timedelta(days=2)).isoformat(),
                },
            },
        }

    def _control(self) -> None:
        from mulligan.api.control.v1 import control_pb2 as pb

        control = self.admin.control
        host = control.EnrollHost(
            pb.EnrollHostRequest(name="hv1", kind=pb.HOST_KIND_HYPERVISOR, region="default", uri=TEST_URI)
        ).host
        self._wait(
            lambda: control.GetHost(pb.GetHostRequest(host=host.id)).host.state == pb.HOST_STATE_READY, "hv1 ready"
        )
        host = control.GetHost(pb.GetHostRequest(host=host.id)).host
        image = control.CreateImage(
            pb.CreateImageRequest(
                name="tiny",
                format=pb.IMAGE_FORMAT_RAW,
                source=f"volume:{IMAGE_VOLUME}",
                system=True,
                os_hints={"os": "debian"},
            )
        ).image
        broken = control.CreateImage(
            pb.CreateImageRequest(
                name="missing", format=pb.IMAGE_FORMAT_RAW, source="volume:no-such-volume.raw", project=self.acme
            )
        ).image
        small = pb.Resources(vcpus=1, memory_mb=64, disk_gb=1)
        with self._client(self.alice_token) as alice:

            def provision(name: str, image: str = "tiny", **fields: Any) -> str:
                request = pb.ProvisionMachineRequest(name=name, image=image, resources=small, **fields)
                return str(alice.control.ProvisionMachine(request).machine.id)

            web1, web2, old = provision("web-1"), provision("web-2"), provision("old-1")
            failed = provision("bad-1", image="missing")
            start, end = FUTURE, FUTURE + timedelta(days=1)
            reserved = pb.ProvisionMachineRequest(name="batch-7", image="tiny", resources=small)
            reserved.start.FromDatetime(start)
            reserved.end.FromDatetime(end)
            batch = alice.control.ProvisionMachine(reserved).machine.id
            state = {web1: pb.MACHINE_STATE_ACTIVE, web2: pb.MACHINE_STATE_ACTIVE, old: pb.MACHINE_STATE_ACTIVE}
            state[failed] = pb.MACHINE_STATE_ERROR
            state[batch] = pb.MACHINE_STATE_RESERVED
            for machine, wanted in state.items():
                self._wait(
                    lambda machine=machine, wanted=wanted: (
                        alice.control.GetMachine(pb.GetMachineRequest(machine=machine)).machine.state == wanted
                    ),
                    f"machine {machine} in state {wanted}",
                )
            alice.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=old))
            self._wait(
                lambda: (
                    alice.control.GetMachine(pb.GetMachineRequest(machine=old)).machine.state
                    == pb.MACHINE_STATE_DECOMMISSIONED
                ),
                "old-1 decommissioned",
            )
            # By the names asked for: a decommissioned machine gives its name up.
            ids = {"web-1": web1, "web-2": web2, "old-1": old, "bad-1": failed, "batch-7": batch}
            machines = {
                name: alice.control.GetMachine(pb.GetMachineRequest(machine=machine)).machine
                for name, machine in ids.items()
            }
        self.machines = machines
        self.made["control"] = {
            "host": {
                "id": host.id,
                "name": "hv1",
                "uri": TEST_URI,
                "provider": host.provider_id,
                "cpus": host.cpus,
                "memory_mb": host.memory_mb,
            },
            "images": {"tiny": image.id, "missing": broken.id},
            "machines": {
                name: {
                    "id": m.id,
                    "project": m.project_id,
                    "state": pb.MachineState.Name(m.state),
                    "host": m.host_id,
                    "image": m.image_id,
                    "error": bool(m.error),
                    "start": m.start.ToDatetime(UTC).isoformat() if m.HasField("start") else None,
                    "end": m.end.ToDatetime(UTC).isoformat() if m.HasField("end") else None,
                }
                for name, m in sorted(machines.items())
            },
        }

    def _meta(self) -> None:
        from mulligan.api.meta.v1 import meta_pb2 as pb

        meta = self.admin.meta
        web1 = self.machines["web-1"]
        target = pb.ObjectRef(kind="machine", ref=web1.id)
        meta.AddTags(pb.AddTagsRequest(object=target, tags=["frontend", "tier-1"]))
        meta.AddTags(
            pb.AddTagsRequest(object=pb.ObjectRef(kind="host", ref=self.made["control"]["host"]["id"]), tags=["rack-a"])
        )
        definition = meta.CreateDefinition(
            pb.CreateDefinitionRequest(
                namespace="ops",
                name="owner",
                schema_json='{"type": "object", "properties": {"team": {"type": "string"}}, "required": ["team"]}',
                project_id=self.acme,
                description="who answers for the machine",
            )
        ).definition
        meta.SetValue(pb.SetValueRequest(object=target, namespace="ops", name="owner", value_json='{"team": "web"}'))
        self.made["meta"] = {
            "tags": {"machine:web-1": ["frontend", "tier-1"], "host:hv1": ["rack-a"]},
            "definition": {"id": definition.id, "namespace": "ops", "name": "owner", "project": self.acme},
            "value": {"machine": "web-1", "namespace": "ops", "name": "owner", "value": {"team": "web"}},
        }

    def _queued_task(self) -> None:
        """A task left queued at the stop: the next daemon must run it."""
        from mulligan.api.control.v1 import control_pb2 as pb

        self.daemon.pool.stop(5)
        host = self.made["control"]["host"]["id"]
        self.admin.control.InspectHost(pb.InspectHostRequest(host=host))

    def _tasks(self) -> None:
        import sqlalchemy as sa

        engine = sa.create_engine(self.daemon.config.database_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(sa.text("SELECT id, kind, target_id, state FROM control_tasks")).all()
        finally:
            engine.dispose()
        self.made["tasks"] = sorted(
            [str(uuid.UUID(str(row.id))), row.kind, str(uuid.UUID(str(row.target_id))), row.state] for row in rows
        )
        self.admin.close()

    @staticmethod
    def _wait(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            time.sleep(0.1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", choices=["make", "populate"], default="make")
    parser.add_argument("--release-tree", type=Path, required=True, help="a checkout of the release")
    parser.add_argument("--out", type=Path, help="where the fixtures go (make)")
    parser.add_argument("--database-url", help="(populate)")
    parser.add_argument("--state-dir", type=Path, help="(populate)")
    parser.add_argument("--result", type=Path, help="(populate)")
    args = parser.parse_args(argv)
    if args.mode == "populate":
        populate(args.release_tree, args.database_url, args.state_dir, args.result)
        return
    if args.out is None:
        parser.error("--out is required")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    copy_api(args.release_tree, out)
    manifest = {"sqlite": make_sqlite(args.release_tree, out), "postgresql": make_postgres(args.release_tree, out)}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
