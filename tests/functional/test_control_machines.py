"""Machines end to end in-process: request, claim, provision on libvirt's
test driver, watch, decommission; and every bad request rejected whole."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from google.protobuf import timestamp_pb2

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.client import Client
from mulligan.control.models import ControlTask, MachineRow
from mulligan.daemon import Daemon
from tests.fixtures.daemon import wait_for
from tests.fixtures.fleet import Fleet, enroll, write_test_hypervisor
from tests.fixtures.iam import bootstrap, create_project, member


def _stamp(value: datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def _counts(fleet: Fleet) -> tuple[int, int, int]:
    """(machines, tasks, claims) as stored."""
    with fleet.daemon.database.read() as session:
        machines = session.scalar(sa.select(sa.func.count()).select_from(MachineRow)) or 0
        tasks = session.scalar(sa.select(sa.func.count()).select_from(ControlTask)) or 0
    claims, _ = fleet.daemon.modules.resource.list_claims(limit=1000)
    return machines, tasks, len(claims)


def test_machine_goes_active_then_decommissioned(fleet: Fleet) -> None:
    machine = fleet.provision(name="web-1", ssh_keys=["ssh-ed25519 AAAA tenant@laptop"])
    assert machine.state == pb.MACHINE_STATE_SCHEDULED
    assert machine.host_id == fleet.host_id and machine.name == "web-1"
    claim = fleet.daemon.modules.resource.get_claim(machine.id)
    assert {(a.resource_class, a.amount) for a in claim.allocations} >= {("VCPU", 1), ("MEMORY_MB", 64)}
    active = fleet.wait_state(machine.id, pb.MACHINE_STATE_ACTIVE)
    assert machine.id in fleet.domains()
    assert fleet.hypervisor.lookupByUUIDString(machine.id).isActive()
    assert active.error == ""
    # The name resolves to the machine.
    by_name = fleet.admin.control.GetMachine(pb.GetMachineRequest(machine="web-1")).machine
    assert by_name.id == machine.id

    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine="web-1"))
    fleet.wait_state(machine.id, pb.MACHINE_STATE_DECOMMISSIONED)
    assert machine.id not in fleet.domains()
    with pytest.raises(errors.NotFound):
        fleet.daemon.modules.resource.get_claim(machine.id)
    # Decommissioning again changes nothing; the name is free for a new machine.
    again = fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id)).machine
    assert again.state == pb.MACHINE_STATE_DECOMMISSIONED
    assert fleet.provision(name="web-1").id != machine.id


def test_a_name_still_held_by_a_decommissioned_machine_is_taken_back(fleet: Fleet) -> None:
    machine = fleet.provision(name="web-2")
    fleet.wait_state(machine.id, pb.MACHINE_STATE_ACTIVE)
    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    fleet.wait_state(machine.id, pb.MACHINE_STATE_DECOMMISSIONED)
    # The moment between the state's commit and the name being dropped,
    # held open: once the name is dropped, the old machine takes it again.
    names = fleet.daemon.modules.meta.names

    def dropped() -> bool:
        try:
            names.resolve("machine", machine.project_id, "web-2")
        except errors.NotFound:
            return True
        return False

    wait_for(dropped, timeout=30, what="the decommissioned machine's name dropped")
    with names.reserve("machine", machine.project_id, "web-2", object_id=machine.id) as held:
        held.confirm()
    again = fleet.provision(name="web-2")
    assert again.id != machine.id
    assert fleet.admin.control.GetMachine(pb.GetMachineRequest(machine="web-2")).machine.id == again.id
    # A name held by a machine that is not decommissioned stays taken.
    with pytest.raises(errors.AlreadyExists):
        fleet.provision(name="web-2")


def test_watch_streams_each_state_change(fleet: Fleet) -> None:
    start = fleet.daemon.kv.revision() + 1
    machine = fleet.provision(name="watched")
    states: list[int] = []
    stream = fleet.admin.control.WatchMachines(pb.WatchMachinesRequest(start_revision=start), timeout=30)
    for change in stream:
        assert change.revision >= start
        if change.machine.id == machine.id:
            states.append(change.machine.state)
            if change.machine.state == pb.MACHINE_STATE_ACTIVE:
                break
    stream.cancel()
    assert states[0] == pb.MACHINE_STATE_SCHEDULED
    assert states[-2:] == [pb.MACHINE_STATE_PROVISIONING, pb.MACHINE_STATE_ACTIVE]
    assert change.machine.name == "watched"


def test_watch_streams_are_bounded_so_calls_still_answer(start_daemon: Callable[..., Daemon]) -> None:
    # Half of 4 RPC threads may hold streams; the other half answers calls.
    daemon = start_daemon(rpc_threads=4)
    control = daemon.modules.control
    with Client(daemon.address, token=bootstrap(daemon).token) as client:

        def watch() -> Any:
            return client.control.WatchMachines(pb.WatchMachinesRequest(), timeout=60)

        streams = [watch(), watch()]
        wait_for(lambda: control.open_watches == 2, what="both streams to open")
        with pytest.raises(errors.ResourceExhausted) as caught:
            next(iter(watch()))
        assert caught.value.reason == "TOO_MANY_WATCHES"
        assert control.open_watches == 2
        assert list(client.control.ListMachines(pb.ListMachinesRequest()).machines) == []

        streams.pop().cancel()
        wait_for(lambda: control.open_watches == 1, what="the cancelled stream to close")
        streams.append(watch())
        wait_for(lambda: control.open_watches == 2, what="a new stream in the freed place")
        for stream in streams:
            stream.cancel()
        wait_for(lambda: control.open_watches == 0, what="every stream to close")


def test_watch_shows_only_the_callers_projects(fleet: Fleet) -> None:
    alpha = member(fleet.daemon, fleet.admin, "ann", create_project(fleet.admin, "alpha"), "member")
    beta = member(fleet.daemon, fleet.admin, "ben", create_project(fleet.admin, "beta"), "reader")
    start = fleet.daemon.kv.revision() + 1
    with Client(fleet.daemon.address, token=alpha.token) as a, Client(fleet.daemon.address, token=beta.token) as b:
        hidden = fleet.provision(a, name="alpha-only")
        fleet.wait_state(hidden.id, pb.MACHINE_STATE_ACTIVE)
        mine = fleet.provision(name="admin-marker")
        stream = b.control.WatchMachines(pb.WatchMachinesRequest(start_revision=start), timeout=10)
        with pytest.raises(errors.MulliganError):
            # Nothing of alpha's (nor the admin project's) reaches beta: the stream only times out.
            for change in stream:
                assert change.machine.id not in (hidden.id, mine.id)


def test_reserved_machine_starts_and_ends_with_its_window(fleet: Fleet) -> None:
    revision = fleet.daemon.kv.revision() + 1
    start = datetime.now(UTC) + timedelta(seconds=2)
    machine = fleet.provision(name="later", start=_stamp(start), end=_stamp(start + timedelta(seconds=2)))
    assert machine.state == pb.MACHINE_STATE_RESERVED
    assert machine.id not in fleet.domains()
    seen: list[tuple[int, datetime]] = []
    stream = fleet.admin.control.WatchMachines(pb.WatchMachinesRequest(start_revision=revision), timeout=60)
    for change in stream:
        if change.machine.id == machine.id:
            seen.append((change.machine.state, change.machine.updated_at.ToDatetime(tzinfo=UTC)))
            if change.machine.state == pb.MACHINE_STATE_DECOMMISSIONED:
                break
    stream.cancel()
    states = [state for state, _ in seen]
    assert states == [
        pb.MACHINE_STATE_RESERVED,
        pb.MACHINE_STATE_PROVISIONING,
        pb.MACHINE_STATE_ACTIVE,
        pb.MACHINE_STATE_DECOMMISSIONING,
        pb.MACHINE_STATE_DECOMMISSIONED,
    ]
    # Provisioning began no earlier than the window's start.
    assert seen[1][1] >= start - timedelta(milliseconds=1)
    assert machine.id not in fleet.domains()


@pytest.mark.parametrize(
    ("fields", "error", "reason"),
    [
        ({"image": "no-such-image"}, errors.NotFound, "IMAGE_NOT_FOUND"),
        ({"network": "no-such-net"}, errors.InvalidArgument, "UNKNOWN_NETWORK"),
        ({"region": "atlantis"}, errors.NotFound, None),
        (
            {"resources": pb.Resources(vcpus=10_000, memory_mb=64, disk_gb=1)},
            errors.InvalidArgument,
            "INVALID_RESOURCES",
        ),
        ({"resources": pb.Resources(vcpus=512, memory_mb=64, disk_gb=1)}, errors.ResourceExhausted, None),
        ({"resources": pb.Resources(vcpus=0, memory_mb=64, disk_gb=1)}, errors.InvalidArgument, "INVALID_RESOURCES"),
        ({"shape": "enormous"}, errors.InvalidArgument, "UNKNOWN_SHAPE"),
        ({"required_traits": ["CUSTOM_NOBODY_HAS_THIS"]}, errors.MulliganError, None),
        ({"start": _stamp(datetime.now(UTC) - timedelta(hours=1))}, errors.InvalidArgument, "WINDOW_IN_PAST"),
        (
            {
                "start": _stamp(datetime.now(UTC) + timedelta(hours=2)),
                "end": _stamp(datetime.now(UTC) + timedelta(hours=1)),
            },
            errors.InvalidArgument,
            "INVALID_WINDOW",
        ),
        ({"name": ""}, errors.InvalidArgument, None),
        ({"name": "x" * 300}, errors.InvalidArgument, None),
        ({"user_data": "x" * 70_000}, errors.InvalidArgument, "USER_DATA_TOO_LARGE"),
        # The fleet has no baremetal node.
        ({"kind": pb.MACHINE_KIND_BAREMETAL}, errors.ResourceExhausted, None),
    ],
)
def test_bad_requests_hold_nothing(fleet: Fleet, fields: dict, error: type, reason: str | None) -> None:
    before = _counts(fleet)
    with pytest.raises(error) as info:
        fleet.provision(**fields)
    assert "INTERNAL" not in info.value.reason
    if reason:
        assert info.value.reason == reason
    assert _counts(fleet) == before


def test_a_taken_name_is_already_exists_and_holds_nothing(fleet: Fleet) -> None:
    fleet.provision(name="unique")
    before = _counts(fleet)
    with pytest.raises(errors.AlreadyExists):
        fleet.provision(name="unique")
    assert _counts(fleet) == before


_FAIL_SCHEDULING = {
    "sqlite": [
        "CREATE TRIGGER fail_scheduling BEFORE UPDATE OF state ON control_machines "
        "WHEN NEW.state = 'scheduled' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION fail_scheduling() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER fail_scheduling BEFORE UPDATE ON control_machines FOR EACH ROW "
        "WHEN (NEW.state = 'scheduled') EXECUTE FUNCTION fail_scheduling()",
    ],
}


def test_a_failure_after_the_name_is_confirmed_holds_nothing(fleet: Fleet) -> None:
    """The last step of a request (the commit that schedules the machine,
    after its name was confirmed) fails in the database itself."""
    database = fleet.daemon.database
    before = _counts(fleet)
    with database.write() as session:
        for statement in _FAIL_SCHEDULING[database.dialect]:
            session.execute(sa.text(statement))
    with pytest.raises(errors.MulliganError):
        fleet.provision(name="doomed")
    assert _counts(fleet) == before
    with database.write() as session:
        session.execute(
            sa.text("DROP TRIGGER fail_scheduling" + (" ON control_machines" if not database.is_sqlite else ""))
        )
    # The name was given back with everything else.
    assert fleet.provision(name="doomed").name == "doomed"


def test_driver_failure_keeps_reason_and_claim_until_decommission(fleet: Fleet) -> None:
    machine = fleet.provision(name="doomed")
    # Hold the volume away before the executor gets there: the image is gone.
    fleet.wait_state(machine.id, pb.MACHINE_STATE_ACTIVE)
    pool = fleet.hypervisor.storagePoolLookupByName("default-pool")
    pool.storageVolLookupByName("tiny-image.raw").delete(0)
    broken = fleet.provision(name="no-image")
    failed = fleet.wait_state(broken.id, pb.MACHINE_STATE_ERROR)
    assert "tiny-image.raw" in failed.error
    assert fleet.daemon.modules.resource.get_claim(broken.id).allocations
    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=broken.id))
    fleet.wait_state(broken.id, pb.MACHINE_STATE_DECOMMISSIONED)
    with pytest.raises(errors.NotFound):
        fleet.daemon.modules.resource.get_claim(broken.id)


def test_disabled_host_gets_no_machines(fleet: Fleet) -> None:
    update = pb.UpdateHostRequest(host=pb.Host(id=fleet.host_id, enabled=False))
    update.update_mask.paths.append("enabled")
    assert fleet.admin.control.UpdateHost(update).host.enabled is False
    with pytest.raises(errors.ResourceExhausted) as caught:
        fleet.provision(name="nowhere")
    assert caught.value.reason == "NO_CANDIDATES"
    update.host.enabled = True
    fleet.admin.control.UpdateHost(update)
    fleet.wait_state(fleet.provision(name="somewhere").id, pb.MACHINE_STATE_ACTIVE)


def test_host_with_machines_cannot_be_removed(fleet: Fleet) -> None:
    machine = fleet.provision(name="resident")
    with pytest.raises(errors.FailedPrecondition) as info:
        fleet.admin.control.DeleteHost(pb.DeleteHostRequest(host="hv1"))
    assert info.value.reason == "HOST_HAS_MACHINES"
    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
    fleet.wait_state(machine.id, pb.MACHINE_STATE_DECOMMISSIONED)
    fleet.admin.control.DeleteHost(pb.DeleteHostRequest(host="hv1"))
    with pytest.raises(errors.NotFound):
        fleet.admin.control.GetHost(pb.GetHostRequest(host=fleet.host_id))


def test_projects_see_only_their_machines(fleet: Fleet) -> None:
    daemon = fleet.daemon
    alpha = member(daemon, fleet.admin, "alice", create_project(fleet.admin, "alpha"), "member")
    beta = member(daemon, fleet.admin, "bob", create_project(fleet.admin, "beta"), "member")
    with Client(daemon.address, token=alpha.token) as a, Client(daemon.address, token=beta.token) as b:
        mine = fleet.provision(a, name="alpha-vm")
        assert mine.project_id == alpha.project_id
        with pytest.raises(errors.NotFound):
            b.control.GetMachine(pb.GetMachineRequest(machine=mine.id))
        with pytest.raises(errors.NotFound):
            b.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=mine.id))
        assert [m.id for m in b.control.ListMachines(pb.ListMachinesRequest()).machines] == []
        assert [m.id for m in a.control.ListMachines(pb.ListMachinesRequest()).machines] == [mine.id]
        with pytest.raises(errors.PermissionDenied):
            b.control.ListHosts(pb.ListHostsRequest())


def test_project_arguments_name_existing_projects(fleet: Fleet) -> None:
    alpha = create_project(fleet.admin, "alpha")
    made = fleet.provision(name="for-alpha", project="alpha")
    assert made.project_id == alpha
    image = fleet.admin.control.CreateImage(
        pb.CreateImageRequest(
            name="alpha-img", format=pb.IMAGE_FORMAT_RAW, source="volume:tiny-image.raw", project="alpha"
        )
    ).image
    assert image.project_id == alpha
    listed = fleet.admin.control.ListMachines(pb.ListMachinesRequest(project="alpha")).machines
    assert [m.id for m in listed] == [made.id]
    for missing in ("atlantis", str(uuid.uuid4())):
        with pytest.raises(errors.NotFound) as unknown:
            fleet.provision(name="lost", project=missing)
        assert unknown.value.reason == "PROJECT_NOT_FOUND"
        with pytest.raises(errors.NotFound):
            fleet.admin.control.CreateImage(
                pb.CreateImageRequest(name="lost", format=pb.IMAGE_FORMAT_RAW, source="/x.raw", project=missing)
            )
        with pytest.raises(errors.NotFound):
            fleet.admin.control.ListMachines(pb.ListMachinesRequest(project=missing))
    assert [m.id for m in fleet.admin.control.ListMachines(pb.ListMachinesRequest()).machines] == [made.id]
    assert "lost" not in {i.name for i in fleet.admin.control.ListImages(pb.ListImagesRequest()).images}
    beta = member(fleet.daemon, fleet.admin, "bea", create_project(fleet.admin, "beta"), "reader")
    with beta.client(fleet.daemon) as as_beta:
        # Another project, existing or not, shows nothing either way.
        for other in ("alpha", "atlantis"):
            assert as_beta.control.ListMachines(pb.ListMachinesRequest(project=other)).machines == []


def test_tenants_get_machines_only_in_regions_they_see(fleet: Fleet, tmp_path: Path) -> None:
    fleet.daemon.modules.resource.create_region("ops")  # internal
    roomy = enroll(fleet.admin, "hv-ops", write_test_hypervisor(tmp_path / "ops.xml", cpus=256), region="ops")
    alpha = member(fleet.daemon, fleet.admin, "ava", create_project(fleet.admin, "alpha"), "member")
    # Only the internal host has room for this many.
    big = pb.Resources(vcpus=100, memory_mb=64, disk_gb=1)
    with alpha.client(fleet.daemon) as as_alpha:
        with pytest.raises(errors.ResourceExhausted):
            fleet.provision(as_alpha, resources=big)
        with pytest.raises(errors.NotFound):
            fleet.provision(as_alpha, region="ops")
        small = fleet.provision(as_alpha)
        assert small.host_id == fleet.host_id
    assert fleet.provision(resources=big).host_id == roomy.id


def test_list_pages_through_machines(fleet: Fleet) -> None:
    made = {fleet.provision(name=f"p{i}").id for i in range(5)}
    seen: list[str] = []
    token = ""
    while True:
        page = fleet.admin.control.ListMachines(pb.ListMachinesRequest(page_size=2, page_token=token))
        seen += [m.id for m in page.machines]
        token = page.next_page_token
        if not token:
            break
    assert set(seen) == made and len(seen) == len(made)
    with pytest.raises(errors.InvalidArgument):
        fleet.admin.control.ListMachines(pb.ListMachinesRequest(page_token="garbage!"))


def test_enroll_rejects_bad_hosts_and_stores_nothing(fleet: Fleet) -> None:
    def enroll(**fields: object) -> None:
        fields.setdefault("region", "default")
        fleet.admin.control.EnrollHost(pb.EnrollHostRequest(kind=pb.HOST_KIND_HYPERVISOR, **fields))

    with pytest.raises(errors.AlreadyExists):
        enroll(name="hv-dup", uri="test:///default")
    with pytest.raises(errors.InvalidArgument):
        enroll(name="hv-bad", uri="not a uri")
    with pytest.raises(errors.NotFound):
        enroll(name="hv-far", uri="test:///other", region="atlantis")
    with pytest.raises(errors.InvalidArgument):
        fleet.admin.control.EnrollHost(pb.EnrollHostRequest(name="hv-kind", region="default", uri="test:///x"))
    hosts = fleet.admin.control.ListHosts(pb.ListHostsRequest()).hosts
    assert [h.name for h in hosts] == ["hv1"]


def test_a_request_abandoned_mid_way_is_undone(fleet: Fleet) -> None:
    """A daemon that died between claiming and finishing a request left a
    row in state requested and a claim; the sweep gives both back."""
    machines = fleet.daemon.modules.control.machines
    resources = fleet.daemon.modules.resource
    orphan = fleet.provision(name="orphan")
    fleet.wait_state(orphan.id, pb.MACHINE_STATE_ACTIVE)
    # Recreate the state a crash leaves: the claim exists, the row says requested.
    with fleet.daemon.database.write() as session:
        row = session.get(MachineRow, uuid.UUID(orphan.id))
        assert row is not None
        row.state = "requested"
        row.created_at = datetime.now(UTC) - timedelta(hours=1)
    assert resources.get_claim(orphan.id).allocations
    fresh = fleet.provision(name="in-flight")
    assert machines.sweep_abandoned() == 1
    with pytest.raises(errors.NotFound):
        resources.get_claim(orphan.id)
    with fleet.daemon.database.read() as session:
        assert session.get(MachineRow, uuid.UUID(orphan.id)) is None
    # A request younger than the cut-off is left alone.
    assert resources.get_claim(fresh.id).allocations
    # The orphan's name, confirmed before the crash, is free again.
    assert fleet.provision(name="orphan").id != orphan.id


def test_machines_decommissioned_long_ago_are_purged_with_their_snapshots(fleet: Fleet) -> None:
    machines = fleet.daemon.modules.control.machines
    kept = fleet.provision(name="kept")
    gone = fleet.provision(name="gone")
    fleet.wait_state(gone.id, pb.MACHINE_STATE_ACTIVE)
    fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=gone.id))
    fleet.wait_state(gone.id, pb.MACHINE_STATE_DECOMMISSIONED)
    snapshot = f"control/machines/{gone.id}"
    # The last snapshot is published after the commit that GetMachine already sees.
    wait_for(
        lambda: json.loads(fleet.daemon.kv.get(snapshot).value)["state"] == "decommissioned",
        what="the last snapshot",
    )

    assert machines.purge_decommissioned(older_than=timedelta(hours=1)) == 0, "purged before its time"
    assert machines.purge_decommissioned(older_than=timedelta(0)) == 1
    with pytest.raises(errors.NotFound):
        fleet.admin.control.GetMachine(pb.GetMachineRequest(machine=gone.id))
    assert fleet.daemon.kv.get(snapshot) is None
    listed = [m.id for m in fleet.admin.control.ListMachines(pb.ListMachinesRequest()).machines]
    assert kept.id in listed and gone.id not in listed
    assert fleet.admin.control.GetMachine(pb.GetMachineRequest(machine="kept")).machine.id == kept.id
