"""The daemon in-process: health, reflection, Configure, errors."""

from __future__ import annotations

import logging

import grpc
import pytest
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from mulligan.api.control.v1 import control_pb2
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import InvalidArgument

SERVICES = [
    "mulligan.iam.v1.IamService",
    "mulligan.meta.v1.MetaService",
    "mulligan.resource.v1.ResourceService",
    "mulligan.control.v1.ControlService",
]


def test_health_serving_overall_and_per_service(client: Client) -> None:
    assert client.health("") == "SERVING"
    for service in SERVICES:
        assert client.health(service) == "SERVING"


def test_health_of_unknown_service_is_not_found(client: Client) -> None:
    with pytest.raises(grpc.RpcError) as info:
        client._health.Check(health_pb2.HealthCheckRequest(service="mulligan.nope.v1.Nope"), timeout=5)
    assert info.value.code() == grpc.StatusCode.NOT_FOUND


def test_reflection_lists_the_four_services(client: Client) -> None:
    services = set(ProtoReflectionDescriptorDatabase(client.channel).get_services())
    assert set(SERVICES) <= services
    assert "grpc.health.v1.Health" in services


def test_configure_changes_log_level_at_run_time(client: Client) -> None:
    stubs = {"iam": iam_pb2, "meta": meta_pb2, "resource": resource_pb2, "control": control_pb2}
    for name, pb in stubs.items():
        stub = getattr(client, name)
        assert stub.Configure(pb.ConfigureRequest(log_level="debug")).log_level == "debug"
        assert logging.getLogger(f"mulligan.{name}").getEffectiveLevel() == logging.DEBUG
        assert stub.Configure(pb.ConfigureRequest()).log_level == "debug"
        assert stub.Configure(pb.ConfigureRequest(log_level="warning")).log_level == "warning"


def test_configure_resizes_the_executor_pool(client: Client, daemon: Daemon) -> None:
    response = client.control.Configure(control_pb2.ConfigureRequest(executor_workers=7))
    assert response.executor_workers == 7
    assert daemon.pool.size == 7
    assert client.control.Configure(control_pb2.ConfigureRequest()).executor_workers == 7


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (control_pb2.ConfigureRequest(log_level="loud"), "INVALID_LOG_LEVEL"),
        (control_pb2.ConfigureRequest(executor_workers=0), "INVALID_EXECUTOR_WORKERS"),
        (control_pb2.ConfigureRequest(executor_workers=100000), "INVALID_EXECUTOR_WORKERS"),
    ],
)
def test_bad_configure_is_invalid_argument_and_changes_nothing(
    client: Client, daemon: Daemon, request_: control_pb2.ConfigureRequest, reason: str
) -> None:
    before = client.control.Configure(control_pb2.ConfigureRequest())
    with pytest.raises(InvalidArgument) as info:
        client.control.Configure(request_)
    assert info.value.reason == reason
    after = client.control.Configure(control_pb2.ConfigureRequest())
    assert (after.log_level, after.executor_workers) == (before.log_level, before.executor_workers)


def test_stop_refuses_new_rpcs(daemon: Daemon) -> None:
    with Client(daemon.address, timeout=2) as client:
        assert client.health() == "SERVING"
        daemon.stop(1)
        with pytest.raises(Exception) as info:
            client.health()
        assert getattr(info.value, "reason", "") == "UNAVAILABLE"
