"""Enrolling a baremetal node: what is refused, and that a refusal stores nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from tests.fixtures.certs import Authority

PASSWORD = "Bmc-Secret-4711"


def _bmc(**fields: Any) -> pb.Bmc:
    values: dict[str, Any] = {
        "protocol": pb.BMC_PROTOCOL_IPMI,
        "address": "127.0.0.1",
        "port": 1,
        "username": "admin",
        "password": PASSWORD,
    }
    values.update(fields)
    return pb.Bmc(**values)


def _counts(daemon: Daemon) -> tuple[int, int]:
    with daemon.database.read() as session:
        hosts = session.scalar(sa.text("SELECT count(*) FROM control_hosts"))
        providers = session.scalar(sa.text("SELECT count(*) FROM resource_providers"))
    return int(hosts or 0), int(providers or 0)


@pytest.fixture
def region(daemon: Daemon) -> str:
    return daemon.modules.resource.create_region("default").id


@pytest.mark.parametrize(
    ("request_fields", "reason"),
    [
        ({"bmc": None}, "BMC_REQUIRED"),
        ({"bmc": _bmc(protocol=pb.BMC_PROTOCOL_UNSPECIFIED)}, "INVALID_BMC_PROTOCOL"),
        ({"bmc": _bmc(address="not an address")}, "INVALID_BMC_ADDRESS"),
        ({"bmc": _bmc(address="a/b")}, "INVALID_BMC_ADDRESS"),
        ({"bmc": _bmc(port=70000)}, "INVALID_BMC_PORT"),
        ({"bmc": _bmc(username="")}, "INVALID_BMC_USERNAME"),
        ({"bmc": _bmc(username="u" * 17)}, "INVALID_BMC_USERNAME"),
        ({"bmc": _bmc(password="")}, "INVALID_BMC_PASSWORD"),
        ({"bmc": _bmc(password="p" * 21)}, "INVALID_BMC_PASSWORD"),
        ({"bmc": _bmc(tls=True)}, "INVALID_BMC"),
        ({"bmc": _bmc(protocol=pb.BMC_PROTOCOL_REDFISH, tls=True, ca_pem="not a certificate")}, "INVALID_BMC_CA"),
        ({"bmc": _bmc(timeout_s=1e9)}, "INVALID_BMC_TIMEOUT"),
        ({"bmc": _bmc(retries=99)}, "INVALID_BMC_RETRIES"),
        ({"properties": pb.NodeProperties(cpus=-1)}, "INVALID_NODE_PROPERTIES"),
        ({"properties": pb.NodeProperties(arch="sparc")}, "INVALID_NODE_PROPERTIES"),
        ({"properties": pb.NodeProperties(traits=["CUSTOM_NOBODY_MADE_THIS"])}, "UNKNOWN_TRAIT"),
        ({"properties": pb.NodeProperties(traits=["HW_CPU_X86_AVX"] * 65)}, "INVALID_NODE_PROPERTIES"),
    ],
)
def test_bad_enrollments_are_invalid_and_store_nothing(
    daemon: Daemon, client: Client, region: str, request_fields: dict[str, Any], reason: str
) -> None:
    before = _counts(daemon)
    fields: dict[str, Any] = {"name": "n1", "kind": pb.HOST_KIND_BAREMETAL, "region": "default", "bmc": _bmc()}
    fields.update(request_fields)
    if fields["bmc"] is None:
        del fields["bmc"]
    with pytest.raises(errors.InvalidArgument) as refused:
        client.control.EnrollHost(pb.EnrollHostRequest(**fields))
    assert refused.value.reason == reason
    assert PASSWORD not in refused.value.message
    assert _counts(daemon) == before


def test_a_hypervisor_with_a_bmc_is_refused(daemon: Daemon, client: Client, region: str) -> None:
    with pytest.raises(errors.InvalidArgument) as refused:
        client.control.EnrollHost(
            pb.EnrollHostRequest(
                name="hv", kind=pb.HOST_KIND_HYPERVISOR, region="default", uri="test:///default", bmc=_bmc()
            )
        )
    assert refused.value.reason == "BMC_UNEXPECTED"


def test_one_bmc_is_one_node(daemon: Daemon, client: Client, region: str) -> None:
    request = pb.EnrollHostRequest(name="n1", kind=pb.HOST_KIND_BAREMETAL, region="default", bmc=_bmc())
    host = client.control.EnrollHost(request).host
    assert host.uri == "ipmi://127.0.0.1:1"
    assert host.bmc.username == "admin" and not host.bmc.password
    before = _counts(daemon)
    # The same BMC under another name, signed in to as another user.
    with pytest.raises(errors.AlreadyExists):
        client.control.EnrollHost(
            pb.EnrollHostRequest(name="n2", kind=pb.HOST_KIND_BAREMETAL, region="default", bmc=_bmc(username="other"))
        )
    assert _counts(daemon) == before


def test_a_redfish_bmc_over_https_with_its_ca_is_accepted(
    daemon: Daemon, client: Client, region: str, tmp_path: Path
) -> None:
    ca = Authority(tmp_path).cert
    host = client.control.EnrollHost(
        pb.EnrollHostRequest(
            name="rf1",
            kind=pb.HOST_KIND_BAREMETAL,
            region="default",
            bmc=_bmc(protocol=pb.BMC_PROTOCOL_REDFISH, tls=True, port=0, ca_pem=ca.read_text(), username="root"),
        )
    ).host
    assert host.uri == "redfish+https://127.0.0.1:443"
    assert host.bmc.protocol == pb.BMC_PROTOCOL_REDFISH


def test_the_password_is_sealed_in_the_database(daemon: Daemon, client: Client, region: str) -> None:
    host = client.control.EnrollHost(
        pb.EnrollHostRequest(name="n1", kind=pb.HOST_KIND_BAREMETAL, region="default", bmc=_bmc())
    ).host
    with daemon.database.read() as session:
        stored = session.scalar(sa.text("SELECT bmc_password FROM control_hosts"))
        tasks = session.scalars(sa.text("SELECT CAST(payload AS TEXT) FROM control_tasks")).all()
    assert stored and PASSWORD.encode() not in bytes(stored)
    assert tasks and all(PASSWORD not in payload for payload in tasks)
    assert PASSWORD not in str(client.control.GetHost(pb.GetHostRequest(host=host.id)))
