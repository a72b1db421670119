"""A machine's claim is control's: tenants cannot release or change it
through the resource API; they move the machine's window instead, and its
claim and scheduled tasks move with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from google.protobuf import timestamp_pb2

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.api.resource.v1 import resource_pb2 as rpb
from mulligan.client import Client
from mulligan.executors import DECOMMISSION_MACHINE, PROVISION_MACHINE
from tests.fixtures.fleet import Fleet
from tests.fixtures.iam import Identity, create_project, member

HOUR = timedelta(hours=1)


def _stamp(moment: datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def _queued(fleet: Fleet, machine_id: str) -> dict[str, datetime]:
    """When each queued task of the machine may run, by kind."""
    with fleet.daemon.database.read() as session:
        tasks = fleet.daemon.modules.control.tasks.tasks_for(session, machine_id)
    return {task.kind: task.not_before for task in tasks if task.state == "queued"}


def _window(client: Client, machine: str, **fields: object) -> pb.Machine:
    return client.control.UpdateMachineWindow(pb.UpdateMachineWindowRequest(machine=machine, **fields)).machine  # type: ignore[arg-type]


@pytest.fixture
def alpha(fleet: Fleet) -> Identity:
    return member(fleet.daemon, fleet.admin, "ann", create_project(fleet.admin, "alpha"), "member")


def test_a_machines_claim_changes_only_through_control(fleet: Fleet, alpha: Identity) -> None:
    with alpha.client(fleet.daemon) as as_alpha:
        machine = fleet.provision(as_alpha, name="web")
        fleet.wait_state(machine.id, pb.MACHINE_STATE_ACTIVE, client=as_alpha)
        resource = as_alpha.resource
        claim = resource.GetClaim(rpb.GetClaimRequest(consumer_id=machine.id)).claim
        assert claim.managed_by == "control"
        usage = resource.GetProjectUsage(rpb.GetProjectUsageRequest(project_id=alpha.project_id)).usages
        later = _stamp(datetime.now(UTC) + HOUR)
        attempts = [
            lambda api: api.ReleaseClaim(rpb.ReleaseClaimRequest(consumer_id=machine.id)),
            lambda api: api.UpdateClaimWindow(
                rpb.UpdateClaimWindowRequest(consumer_id=machine.id, window=rpb.Window(end_time=later))
            ),
            lambda api: api.ReplaceClaim(
                rpb.ReplaceClaimRequest(
                    consumer_id=machine.id,
                    allocations=[rpb.Allocation(provider_id=fleet.host_id, resource_class="VCPU", amount=1)],
                )
            ),
        ]
        for client in (as_alpha, fleet.admin):
            for attempt in attempts:
                with pytest.raises(errors.FailedPrecondition) as refused:
                    attempt(client.resource)
                assert refused.value.reason == "CLAIM_MANAGED"
        # The machine still holds all it had; the project's usage did not drop.
        assert resource.GetClaim(rpb.GetClaimRequest(consumer_id=machine.id)).claim == claim
        assert resource.GetProjectUsage(rpb.GetProjectUsageRequest(project_id=alpha.project_id)).usages == usage
        # Decommissioning gives it back.
        as_alpha.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
        fleet.wait_state(machine.id, pb.MACHINE_STATE_DECOMMISSIONED, client=as_alpha)
        with pytest.raises(errors.NotFound):
            resource.GetClaim(rpb.GetClaimRequest(consumer_id=machine.id))


def test_a_reservation_moves_with_its_claim_and_tasks(fleet: Fleet, alpha: Identity) -> None:
    base = datetime.now(UTC).replace(microsecond=0) + HOUR
    vcpu = fleet.daemon.modules.resource.get_provider(fleet.host_id).inventory("VCPU")
    assert vcpu is not None
    # Everything but one VCPU is taken from 3h to 6h (a machine takes at most max_unit).
    blockers, left = [], vcpu.capacity - 1
    while left:
        size = min(left, vcpu.max_unit)
        blockers.append(
            fleet.provision(
                name=f"blocker-{left}",
                resources=pb.Resources(vcpus=size, memory_mb=64, disk_gb=1),
                start=_stamp(base + 3 * HOUR),
                end=_stamp(base + 6 * HOUR),
            )
        )
        left -= size
    with alpha.client(fleet.daemon) as as_alpha:
        machine = fleet.provision(
            as_alpha,
            name="batch",
            resources=pb.Resources(vcpus=2, memory_mb=64, disk_gb=1),
            start=_stamp(base + HOUR),
            end=_stamp(base + 2 * HOUR),
        )
        assert _queued(fleet, machine.id) == {PROVISION_MACHINE: base + HOUR, DECOMMISSION_MACHINE: base + 2 * HOUR}

        moved = _window(
            as_alpha, machine.id, start=_stamp(base + 90 * timedelta(minutes=1)), end=_stamp(base + 3 * HOUR)
        )
        assert (moved.start.ToDatetime(tzinfo=UTC), moved.end.ToDatetime(tzinfo=UTC)) == (
            base + 90 * timedelta(minutes=1),
            base + 3 * HOUR,
        )
        assert moved.state == pb.MACHINE_STATE_RESERVED
        assert _queued(fleet, machine.id) == {
            PROVISION_MACHINE: base + 90 * timedelta(minutes=1),
            DECOMMISSION_MACHINE: base + 3 * HOUR,
        }
        claim = fleet.daemon.modules.resource.get_claim(machine.id)
        assert (claim.start, claim.end) == (base + 90 * timedelta(minutes=1), base + 3 * HOUR)

        # Into the blocker's window: no room, and nothing moves.
        with pytest.raises(errors.ResourceExhausted):
            _window(as_alpha, machine.id, end=_stamp(base + 4 * HOUR))
        assert fleet.daemon.modules.resource.get_claim(machine.id) == claim
        assert _queued(fleet, machine.id)[DECOMMISSION_MACHINE] == base + 3 * HOUR
        got = as_alpha.control.GetMachine(pb.GetMachineRequest(machine=machine.id)).machine
        assert got.end.ToDatetime(tzinfo=UTC) == base + 3 * HOUR

        # Open-ended: no decommission waits for it any more (the blockers go
        # first, to make room).
        for blocker in blockers:
            fleet.admin.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=blocker.id))
        for blocker in blockers:
            fleet.wait_state(blocker.id, pb.MACHINE_STATE_DECOMMISSIONED)
        assert _window(as_alpha, machine.id, open_end=True).HasField("end") is False
        assert fleet.daemon.modules.resource.get_claim(machine.id).end is None
        assert set(_queued(fleet, machine.id)) == {PROVISION_MACHINE}
        # An end again: the decommission is queued anew.
        _window(as_alpha, machine.id, end=_stamp(base + 5 * HOUR))
        assert _queued(fleet, machine.id)[DECOMMISSION_MACHINE] == base + 5 * HOUR

        # A start now: provisioning begins.
        now = _window(as_alpha, machine.id, start=_stamp(datetime.now(UTC)))
        assert now.state == pb.MACHINE_STATE_SCHEDULED
        fleet.wait_state(machine.id, pb.MACHINE_STATE_ACTIVE, client=as_alpha)
        with pytest.raises(errors.FailedPrecondition) as started:
            _window(as_alpha, machine.id, start=_stamp(base + 2 * HOUR))
        assert started.value.reason == "WINDOW_STARTED"
        shorter = _window(as_alpha, machine.id, end=_stamp(base + 2 * HOUR))
        assert shorter.end.ToDatetime(tzinfo=UTC) == base + 2 * HOUR
        assert _queued(fleet, machine.id) == {DECOMMISSION_MACHINE: base + 2 * HOUR}


def test_bad_window_changes_are_refused(fleet: Fleet, alpha: Identity) -> None:
    beta = member(fleet.daemon, fleet.admin, "bob", create_project(fleet.admin, "beta"), "member")
    reader = member(fleet.daemon, fleet.admin, "rae", alpha.project_id, "reader")
    soon = datetime.now(UTC) + HOUR
    with alpha.client(fleet.daemon) as as_alpha:
        machine = fleet.provision(as_alpha, name="r", start=_stamp(soon), end=_stamp(soon + HOUR))
        cases = [
            ({}, errors.InvalidArgument, "NOTHING_TO_CHANGE"),
            ({"end": _stamp(soon), "open_end": True}, errors.InvalidArgument, "CONFLICTING_ARGUMENTS"),
            ({"end": _stamp(soon - timedelta(minutes=1))}, errors.InvalidArgument, "INVALID_WINDOW"),
            ({"start": _stamp(soon + 2 * HOUR)}, errors.InvalidArgument, "INVALID_WINDOW"),
            ({"start": _stamp(soon - 3 * HOUR)}, errors.InvalidArgument, "WINDOW_IN_PAST"),
        ]
        for fields, error, reason in cases:
            with pytest.raises(error) as refused:
                _window(as_alpha, machine.id, **fields)
            assert refused.value.reason == reason
        assert _queued(fleet, machine.id) == {PROVISION_MACHINE: soon, DECOMMISSION_MACHINE: soon + HOUR}
        as_alpha.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=machine.id))
        with pytest.raises(errors.FailedPrecondition) as gone:
            _window(as_alpha, machine.id, end=_stamp(soon + 2 * HOUR))
        assert gone.value.reason == "WINDOW_NOT_CHANGEABLE"
        other = fleet.provision(as_alpha, name="o", end=_stamp(soon))
    with beta.client(fleet.daemon) as as_beta, pytest.raises(errors.NotFound):
        _window(as_beta, other.id, end=_stamp(soon + HOUR))
    with reader.client(fleet.daemon) as as_reader, pytest.raises(errors.PermissionDenied):
        _window(as_reader, other.id, end=_stamp(soon + HOUR))
