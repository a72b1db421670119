"""Timestamps outside what a Timestamp may hold, in request fields of every service.

A Timestamp holds 0001-01-01 to 9999-12-31 with nanos in [0, 1e9); anything
else is INVALID_ARGUMENT naming the field, and nothing is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from functools import partial

import pytest
from google.protobuf import timestamp_pb2

from mulligan import daemon as daemon_mod
from mulligan.api.control.v1 import control_pb2
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.client import Client
from mulligan.errors import InvalidArgument, NotFound
from tests.fixtures.iam import bootstrap

FAR_FUTURE = timestamp_pb2.Timestamp(seconds=10**15)
JUST_AFTER_9999 = timestamp_pb2.Timestamp(seconds=253402300800)
BEFORE_YEAR_1 = timestamp_pb2.Timestamp(seconds=-62135596801)
NEGATIVE_NANOS = timestamp_pb2.Timestamp(seconds=2_000_000_000, nanos=-1)
NANOS_OVERFLOW = timestamp_pb2.Timestamp(seconds=2_000_000_000, nanos=1_000_000_000)
OUT_OF_RANGE = [FAR_FUTURE, JUST_AFTER_9999, BEFORE_YEAR_1, NEGATIVE_NANOS, NANOS_OVERFLOW]


@pytest.fixture
def admin(start_daemon: Callable[..., daemon_mod.Daemon]) -> Iterator[Client]:
    daemon = start_daemon()
    with Client(daemon.address, token=bootstrap(daemon).token) as client:
        yield client


def assert_refused(call: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        call()
    assert caught.value.reason == "INVALID_TIMESTAMP", caught.value
    assert caught.value.metadata["field"] == field


def test_claim_windows_out_of_range_are_refused_and_nothing_is_claimed(admin: Client) -> None:
    resource = admin.resource
    resource.CreateRegion(pb.CreateRegionRequest(name="default"))
    host = resource.CreateProvider(
        pb.CreateProviderRequest(
            region="default", name="host-1", inventories=[pb.InventorySpec(resource_class="VCPU", total=8)]
        )
    ).provider

    def claim(consumer: str, window: pb.Window) -> object:
        allocation = pb.Allocation(provider_id=host.id, resource_class="VCPU", amount=1)
        request = pb.CreateClaimRequest(consumer_id=consumer, project_id="p", allocations=[allocation], window=window)
        return resource.CreateClaim(request)

    for stamp in OUT_OF_RANGE:
        consumer = str(uuid.uuid4())
        assert_refused(partial(claim, consumer, pb.Window(end_time=stamp)), "window.end_time")
        assert_refused(partial(claim, consumer, pb.Window(start_time=stamp)), "window.start_time")
        with pytest.raises(NotFound):
            resource.GetClaim(pb.GetClaimRequest(consumer_id=consumer))
        assert_refused(partial(resource.ListClaims, pb.ListClaimsRequest(start_time=stamp)), "start_time")
        usage = pb.GetProviderUsageRequest(provider="host-1", at=stamp)
        assert_refused(partial(resource.GetProviderUsage, usage), "at")
    assert list(resource.ListClaims(pb.ListClaimsRequest()).claims) == []


def test_a_credential_expiry_out_of_range_is_refused_and_nothing_is_created(admin: Client) -> None:
    for stamp in OUT_OF_RANGE:
        request = iam_pb2.CreateApplicationCredentialRequest(name="ci", expire_time=stamp)
        assert_refused(partial(admin.iam.CreateApplicationCredential, request), "expire_time")
    accounts = admin.iam.ListAccounts(iam_pb2.ListAccountsRequest()).accounts
    assert [a.name for a in accounts] == ["admin"]


def test_a_machine_window_out_of_range_is_refused(admin: Client) -> None:
    for stamp in OUT_OF_RANGE:
        request = control_pb2.ProvisionMachineRequest(name="web-1", image="debian", shape="small", start=stamp)
        assert_refused(partial(admin.control.ProvisionMachine, request), "start")
    assert list(admin.control.ListMachines(control_pb2.ListMachinesRequest()).machines) == []


def test_the_extremes_a_timestamp_may_hold_pass_the_check(admin: Client) -> None:
    resource = admin.resource
    last = timestamp_pb2.Timestamp(seconds=253402300799, nanos=999_999_999)
    listed = resource.ListClaims(pb.ListClaimsRequest(start_time=timestamp_pb2.Timestamp(seconds=-62135596800)))
    assert list(listed.claims) == []
    assert list(resource.ListClaims(pb.ListClaimsRequest(end_time=last)).claims) == []
