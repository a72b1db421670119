"""Upgrading from Mulligan 0.1.0: today's daemon takes over a database that
0.1.0 wrote (tests/compat/v0_1_0, made by tools/make_compat_fixture.py),
brings it forward at start, and every object 0.1.0 left is there and works.

The same on SQLite (a copy of the file) and on PostgreSQL (the dump
restored into a fresh database). The fixture's hypervisor is libvirt's
``test:///default``, whose state lives in this process while a connection
is open: the machines 0.1.0 made active have no domain here, as after a
hypervisor lost them, and decommissioning must cope.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
import pytest
import sqlalchemy as sa

from mulligan import daemon as daemon_mod
from mulligan.api.control.v1 import control_pb2
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.client import Client
from mulligan.errors import NotFound, Unauthenticated
from mulligan.migrate import recorded_versions
from tests.fixtures.daemon import wait_for
from tests.fixtures.fleet import IMAGE_VOLUME, TEST_URI
from tests.fixtures.postgres import _bin_dir

FIXTURE = Path(__file__).resolve().parents[1] / "compat" / "v0_1_0"
MANIFEST = json.loads((FIXTURE / "manifest.json").read_text())


def restore_dump(url: str, dump: Path) -> None:
    """Load a plain-SQL pg_dump into the (empty) database at url."""
    parsed = sa.engine.make_url(url)
    subprocess.run(
        [
            str(_bin_dir() / "psql"),
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-h",
            str(parsed.host),
            "-p",
            str(parsed.port),
            "-U",
            str(parsed.username),
            "-d",
            str(parsed.database),
            "-f",
            str(dump),
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, dict[str, Any]]:
    """(URL, what it holds) of a database 0.1.0 wrote, this test's own copy."""
    if request.param == "sqlite":
        copy = tmp_path / "mulligan.db"
        shutil.copyfile(FIXTURE / "mulligan.db", copy)
        return f"sqlite:///{copy}", MANIFEST["sqlite"]
    url: str = request.getfixturevalue("postgres_url")
    restore_dump(url, FIXTURE / "postgres.sql")
    return url, MANIFEST["postgresql"]


@pytest.fixture
def hypervisor() -> Iterator[Any]:
    """test:///default as 0.1.0 left it: a pool with the image's volume."""
    libvirt = pytest.importorskip("libvirt")
    connection = libvirt.open(TEST_URI)
    pool = connection.storagePoolLookupByName("default-pool")
    volume = pool.createXML(f"<volume><name>{IMAGE_VOLUME}</name><capacity unit='M'>16</capacity></volume>", 0)
    try:
        yield connection
    finally:
        for domain in connection.listAllDomains():
            if domain.name().startswith("mulligan-"):
                if domain.isActive():
                    domain.destroy()
                domain.undefine()
        for name in pool.listVolumes():
            pool.storageVolLookupByName(name).delete(0)
        del volume
        connection.close()


def login(address: str, account: str, password: str, project: str) -> iam_pb2.AuthenticateResponse:
    with Client(address) as anonymous:
        return anonymous.iam.Authenticate(
            iam_pb2.AuthenticateRequest(
                password=iam_pb2.PasswordCredentials(account=account, password=password, project=project)
            )
        )


def key_of(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


def machine_state(client: Client, machine: str) -> int:
    return int(client.control.GetMachine(control_pb2.GetMachineRequest(machine=machine)).machine.state)


def check_iam(address: str, made: dict[str, Any]) -> None:
    iam = made["iam"]
    keys = iam["signing_keys"]
    for name, password in iam["passwords"].items():
        project = {"admin": "admin", "alice": "acme", "bob": "globex"}[name]
        response = login(address, name, password, project)
        assert response.account_id == iam["accounts"][name]
        assert response.project_id == iam["projects"][project]
        # 0.1.0's active key goes on signing: no new key came with the upgrade.
        assert key_of(response.token) == keys["active"]
    credential = iam["application_credential"]
    with Client(address) as anonymous:
        response = anonymous.iam.Authenticate(
            iam_pb2.AuthenticateRequest(
                application_credential=iam_pb2.ApplicationCredentialSecret(
                    id=credential["id"], secret=credential["secret"]
                )
            )
        )
    assert (response.account_id, response.project_id) == (credential["id"], credential["project"])
    assert sorted(response.roles) == credential["roles"]

    # Tokens 0.1.0 issued, signed by its retired and by its active key.
    for who in ("admin", "alice"):
        token = iam["tokens"][who]
        assert key_of(token["token"]) == keys[token["key"]]
        with Client(address, token=token["token"]) as old:
            account = old.iam.GetAccount(iam_pb2.GetAccountRequest(account=token["account"])).account
        assert account.id == token["account"]
    with Client(address, token=iam["tokens"]["revoked"]["token"]) as revoked, pytest.raises(Unauthenticated):
        revoked.iam.GetAccount(iam_pb2.GetAccountRequest(account=iam["tokens"]["revoked"]["account"]))

    with Client(address, token=iam["tokens"]["admin"]["token"]) as admin:
        listed = admin.iam.ListSigningKeys(iam_pb2.ListSigningKeysRequest()).signing_keys
        assert {k.key_id for k in listed} >= {keys["active"], keys["retired"]}
        assignments = admin.iam.ListRoleAssignments(iam_pb2.ListRoleAssignmentsRequest(page_size=100))
        held = {(a.account_id, a.project_id or "system", a.role) for a in assignments.role_assignments}
        assert held >= {tuple(a) for a in iam["role_assignments"]}
        for name, project_id in iam["projects"].items():
            assert admin.iam.GetProject(iam_pb2.GetProjectRequest(project=name)).project.id == project_id
        accounts = admin.iam.ListAccounts(iam_pb2.ListAccountsRequest(page_size=100)).accounts
        assert {a.name: a.id for a in accounts if a.name in iam["accounts"]} == iam["accounts"]


def check_resource(admin: Client, made: dict[str, Any]) -> None:
    res = made["resource"]
    resource = admin.resource
    rack = resource.GetRegion(resource_pb2.GetRegionRequest(region="eu-rack-1")).region
    assert (rack.id, rack.parent_id) == (res["regions"]["eu-rack-1"], res["regions"]["default"])
    assert dict(rack.attributes) == res["region_attributes"]["eu-rack-1"]
    assert rack.visibility == resource_pb2.VISIBILITY_INTERNAL
    traits = {t.code for t in resource.ListTraits(resource_pb2.ListTraitsRequest(prefix="CUSTOM_")).traits}
    assert set(res["traits"]) <= traits
    classes = resource.ListResourceClasses(resource_pb2.ListResourceClassesRequest()).resource_classes
    assert set(res["resource_classes"]) <= {c.code for c in classes}
    for name, expected in res["providers"].items():
        provider = resource.GetProvider(resource_pb2.GetProviderRequest(provider=name)).provider
        assert (provider.id, provider.region_id, provider.parent_id) == (
            expected["id"],
            expected["region"],
            expected["parent"],
        )
        assert sorted(provider.traits) == sorted(expected["traits"])
        inventories = {i.resource_class: i for i in provider.inventories}
        assert set(inventories) == set(expected["inventories"])
        for resource_class, fields in expected["inventories"].items():
            for field, value in fields.items():
                assert getattr(inventories[resource_class], field) == value, (name, resource_class, field)
    group = res["group"]
    members = resource.ListGroupMembers(resource_pb2.ListGroupMembersRequest(group=group["name"])).provider_ids
    assert sorted(members) == group["members"]
    provider, other, distance = res["distance"]
    distances = resource.ListDistances(resource_pb2.ListDistancesRequest(provider=provider)).distances
    assert (other, distance) in {(d.other_id, d.distance) for d in distances}
    project, resource_class, limit = res["quota"]
    quotas = resource.ListQuotas(resource_pb2.ListQuotasRequest(project_id=project)).quotas
    assert [(q.resource_class, q.limit) for q in quotas] == [(resource_class, limit)]
    for claim in res["claims"].values():
        got = resource.GetClaim(resource_pb2.GetClaimRequest(consumer_id=claim["consumer"], project_id=project)).claim
        assert sorted([a.provider_id, a.resource_class, a.amount] for a in got.allocations) == claim["allocations"]
        if claim["start"] is not None:
            assert got.start_time.ToDatetime(UTC) == datetime.fromisoformat(claim["start"])
            assert got.end_time.ToDatetime(UTC) == datetime.fromisoformat(claim["end"])
        else:
            assert not got.HasField("end_time")
    # The reservation still counts against its window, and the claim now does today.
    shelf = res["providers"]["fpga-shelf"]["id"]
    usage = resource.GetProviderUsage(resource_pb2.GetProviderUsageRequest(provider=shelf)).usages
    assert {u.resource_class: u.used for u in usage}["CUSTOM_FPGA"] == 3


def check_meta(admin: Client, made: dict[str, Any]) -> None:
    machines = made["control"]["machines"]
    acme = made["iam"]["projects"]["acme"]
    named = ["web-1", "web-2", "bad-1", "batch-7"]
    resolved = admin.meta.ResolveNames(meta_pb2.ResolveNamesRequest(kind="machine", refs=named, project_id=acme))
    assert {r.ref: r.object.object_id for r in resolved.results if r.found} == {n: machines[n]["id"] for n in named}
    host = admin.meta.ResolveNames(meta_pb2.ResolveNamesRequest(kind="host", refs=["hv1"])).results[0]
    assert host.object.object_id == made["control"]["host"]["id"]
    web1 = meta_pb2.ObjectRef(kind="machine", ref=machines["web-1"]["id"])
    assert (
        sorted(admin.meta.ListTags(meta_pb2.ListTagsRequest(object=web1)).tags) == made["meta"]["tags"]["machine:web-1"]
    )
    hv1 = meta_pb2.ObjectRef(kind="host", ref="hv1")
    assert list(admin.meta.ListTags(meta_pb2.ListTagsRequest(object=hv1)).tags) == made["meta"]["tags"]["host:hv1"]
    found = admin.meta.FindByTags(
        meta_pb2.FindByTagsRequest(tags=["frontend", "tier-1"], match=meta_pb2.TAG_MATCH_ALL, kind="machine")
    )
    assert [o.object_id for o in found.objects] == [machines["web-1"]["id"]]
    definition = made["meta"]["definition"]
    got = admin.meta.GetDefinition(
        meta_pb2.GetDefinitionRequest(
            definition=meta_pb2.DefinitionRef(
                namespace=definition["namespace"], name=definition["name"], project_id=definition["project"]
            )
        )
    ).definition
    assert got.id == definition["id"]
    values = admin.meta.ListValues(meta_pb2.ListValuesRequest(object=web1)).values
    assert [(v.namespace, v.name, json.loads(v.value_json)) for v in values] == [
        ("ops", "owner", made["meta"]["value"]["value"])
    ]


def check_control(address: str, admin: Client, made: dict[str, Any]) -> None:
    control = made["control"]
    host = admin.control.GetHost(control_pb2.GetHostRequest(host="hv1")).host
    assert (host.id, host.uri, host.provider_id) == (control["host"]["id"], TEST_URI, control["host"]["provider"])
    assert host.state == control_pb2.HOST_STATE_READY
    # The system image and acme's own, as acme sees them.
    with Client(address, token=made["iam"]["tokens"]["alice"]["token"]) as alice:
        for name, image_id in control["images"].items():
            assert alice.control.GetImage(control_pb2.GetImageRequest(image=image_id)).image.name == name
    for name, expected in control["machines"].items():
        machine = admin.control.GetMachine(control_pb2.GetMachineRequest(machine=expected["id"])).machine
        assert control_pb2.MachineState.Name(machine.state) == expected["state"], name
        assert (machine.project_id, machine.host_id, machine.image_id) == (
            expected["project"],
            expected["host"],
            expected["image"],
        )
        assert bool(machine.error) == expected["error"], name
        if expected["end"] is not None:
            assert machine.start.ToDatetime(UTC) == datetime.fromisoformat(expected["start"])
            assert machine.end.ToDatetime(UTC) == datetime.fromisoformat(expected["end"])


def tasks(database_url: str) -> dict[str, tuple[str, str, str]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, kind, target_id, state FROM control_tasks")).all()
    finally:
        engine.dispose()
    return {str(uuid.UUID(str(r.id))): (r.kind, str(uuid.UUID(str(r.target_id))), r.state) for r in rows}


def check_tasks(database_url: str, made: dict[str, Any]) -> None:
    """Every task 0.1.0 recorded is still there; the inspection it left queued runs now."""
    queued_inspection = next(
        task_id for task_id, kind, _, state in made["tasks"] if kind == "host.inspect" and state == "queued"
    )

    def inspected() -> bool:
        return tasks(database_url)[queued_inspection][2] == "succeeded"

    wait_for(inspected, timeout=60, what="the inspection 0.1.0 left queued")
    now = tasks(database_url)
    for task_id, kind, target, state in made["tasks"]:
        assert now[task_id][:2] == (kind, target)
        if state != "queued":
            assert now[task_id][2] == state, (task_id, kind)


def use_it(address: str, made: dict[str, Any]) -> None:
    """Work goes on: decommission one of 0.1.0's machines, provision a new one."""
    machines = made["control"]["machines"]
    credential = made["iam"]["application_credential"]
    with Client(address) as anonymous:
        token = anonymous.iam.Authenticate(
            iam_pb2.AuthenticateRequest(
                application_credential=iam_pb2.ApplicationCredentialSecret(
                    id=credential["id"], secret=credential["secret"]
                )
            )
        ).token
    with Client(address, token=token) as deployer:
        web2 = machines["web-2"]["id"]
        deployer.control.DecommissionMachine(control_pb2.DecommissionMachineRequest(machine=web2))
        wait_for(
            lambda: machine_state(deployer, web2) == control_pb2.MACHINE_STATE_DECOMMISSIONED,
            timeout=60,
            what="web-2 decommissioned",
        )
        project = credential["project"]
        with pytest.raises(NotFound):
            deployer.resource.GetClaim(resource_pb2.GetClaimRequest(consumer_id=web2, project_id=project))
        new = deployer.control.ProvisionMachine(
            control_pb2.ProvisionMachineRequest(
                name="web-3", image="tiny", resources=control_pb2.Resources(vcpus=1, memory_mb=64, disk_gb=1)
            )
        ).machine
        wait_for(
            lambda: machine_state(deployer, new.id) == control_pb2.MACHINE_STATE_ACTIVE,
            timeout=60,
            what="web-3 active",
        )
        listed = deployer.control.ListMachines(control_pb2.ListMachinesRequest(page_size=100)).machines
        active = {m.name for m in listed if m.state == control_pb2.MACHINE_STATE_ACTIVE}
        assert active == {"web-1", "web-3"}


def test_daemon_takes_over_a_v0_1_0_database(
    old_database: tuple[str, dict[str, Any]],
    hypervisor: Any,
    start_daemon: Callable[..., daemon_mod.Daemon],
) -> None:
    url, made = old_database
    assert made["release"] == "0.1.0"
    before = recorded_versions_at(url)
    daemon = start_daemon(database_url=url)
    after = recorded_versions(daemon.database)
    assert set(after) >= set(before)
    assert all(after[module] >= version for module, version in before.items())
    check_iam(daemon.address, made)
    with Client(daemon.address, token=made["iam"]["tokens"]["admin"]["token"]) as admin:
        check_resource(admin, made)
        check_meta(admin, made)
        check_control(daemon.address, admin, made)
        check_tasks(url, made)
    use_it(daemon.address, made)


def recorded_versions_at(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT module, MAX(version) FROM schema_versions GROUP BY module"))
            return {module: version for module, version in rows}
    finally:
        engine.dispose()


def test_two_daemons_start_together_on_a_v0_1_0_database(
    old_database: tuple[str, dict[str, Any]],
    start_daemon: Callable[..., daemon_mod.Daemon],
    tmp_path: Path,
) -> None:
    url, made = old_database
    barrier = threading.Barrier(2)
    started: list[daemon_mod.Daemon] = []
    failures: list[BaseException] = []

    def start(state_dir: Path) -> None:
        try:
            barrier.wait()
            started.append(start_daemon(database_url=url, state_dir=str(state_dir)))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=start, args=(tmp_path / f"racer{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    assert len(started) == 2
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            steps = connection.execute(sa.text("SELECT module, version FROM schema_versions")).all()
    finally:
        engine.dispose()
    assert len(steps) == len(set(steps))
    iam = made["iam"]
    for daemon in started:
        response = login(daemon.address, "alice", iam["passwords"]["alice"], "acme")
        assert response.account_id == iam["accounts"]["alice"]
