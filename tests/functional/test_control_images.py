"""Image sources: machine volumes are never images, and tenants name only
the sources an operator allows (Configure's image_sources)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from mulligan import errors
from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.client import Client
from mulligan.control.models import ImageRow
from mulligan.daemon import Daemon
from tests.fixtures.fleet import IMAGE_VOLUME, Fleet
from tests.fixtures.iam import create_project, member

ALLOWED = ("volume:shared-", "/srv/images/")


def _allow(admin: Client, *sources: str) -> list[str]:
    request = pb.ConfigureRequest(image_sources=pb.ImageSources(sources=sources))
    return list(admin.control.Configure(request).image_sources)


def _create(client: Client, name: str, source: str, **fields: object) -> pb.Image:
    request = pb.CreateImageRequest(name=name, format=pb.IMAGE_FORMAT_RAW, source=source, **fields)  # type: ignore[arg-type]
    return client.control.CreateImage(request).image


def test_machine_disks_are_never_image_sources(fleet: Fleet) -> None:
    _allow(fleet.admin, *ALLOWED)
    alpha = member(fleet.daemon, fleet.admin, "ann", create_project(fleet.admin, "alpha"), "member")
    beta = member(fleet.daemon, fleet.admin, "ben", create_project(fleet.admin, "beta"), "member")
    with alpha.client(fleet.daemon) as as_alpha:
        theirs = fleet.provision(as_alpha, name="secrets")
        fleet.wait_state(theirs.id, pb.MACHINE_STATE_ACTIVE)
    pool = fleet.hypervisor.storagePoolLookupByName("default-pool")
    disk = f"mulligan-{theirs.id}-disk"
    assert disk in pool.listVolumes()
    stolen = [f"volume:{disk}", pool.storageVolLookupByName(disk).path(), f"volume:mulligan-{theirs.id}-seed.iso"]
    with beta.client(fleet.daemon) as as_beta:
        for source in stolen:
            with pytest.raises(errors.PermissionDenied) as refused:
                _create(as_beta, "loot", source)
            assert refused.value.reason == "IMAGE_SOURCE_NOT_ALLOWED"
        # Not even through an allowed directory.
        with pytest.raises(errors.InvalidArgument) as sneaky:
            _create(as_beta, "loot", f"/srv/images/../../default-pool/{disk}")
        assert sneaky.value.reason == "INVALID_IMAGE_SOURCE"
        assert as_beta.control.ListImages(pb.ListImagesRequest()).images[0].name == "tiny"
        assert len(as_beta.control.ListImages(pb.ListImagesRequest()).images) == 1
        # The name was not kept either.
        _create(as_beta, "loot", "volume:shared-debian.raw")
    # Operators are refused too.
    for source in stolen:
        with pytest.raises(errors.PermissionDenied):
            _create(fleet.admin, "loot", source, system=True)


def test_tenants_name_only_the_sources_an_operator_allows(fleet: Fleet, start_daemon: Callable[..., Daemon]) -> None:
    alpha = member(fleet.daemon, fleet.admin, "ann", create_project(fleet.admin, "alpha"), "member")
    with alpha.client(fleet.daemon) as as_alpha:
        # Nothing is allowed until an operator says so.
        with pytest.raises(errors.PermissionDenied):
            _create(as_alpha, "early", "volume:shared-debian.raw")
        with pytest.raises(errors.PermissionDenied):
            _allow(as_alpha, "volume:")
        for bad in (["relative/dir"], ["/srv/../etc"], ["/"], ["volume:a/b"], ["//srv"], [f"/d{i}" for i in range(65)]):
            with pytest.raises(errors.InvalidArgument):
                _allow(fleet.admin, *bad)
        assert _allow(fleet.admin, "volume:shared-", "/srv/images") == ["volume:shared-", "/srv/images/"]
        for source in (f"volume:{IMAGE_VOLUME}", "/etc/shadow", "/srv/images-other/x.raw", "volume:shared"):
            with pytest.raises(errors.PermissionDenied) as refused:
                _create(as_alpha, "mine", source)
            assert refused.value.reason == "IMAGE_SOURCE_NOT_ALLOWED"
        assert _create(as_alpha, "deb", "volume:shared-debian.raw").project_id == alpha.project_id
        assert _create(as_alpha, "alma", "/srv/images/alma/9.qcow2").source == "/srv/images/alma/9.qcow2"
    # The list is the fleet's: another daemon on the same database follows it.
    other = start_daemon(database_url=fleet.daemon.config.database_url)
    with Client(other.address, token=alpha.token) as elsewhere:
        _create(elsewhere, "elsewhere", "volume:shared-ubuntu.raw")
    assert _allow(fleet.admin) == []
    with alpha.client(fleet.daemon) as as_alpha, pytest.raises(errors.PermissionDenied):
        _create(as_alpha, "late", "volume:shared-debian.raw")
    # An operator names any source but a machine's volume.
    assert _create(fleet.admin, "anything", f"volume:{IMAGE_VOLUME}", project="alpha").project_id == alpha.project_id


def test_an_image_made_from_a_machine_volume_earlier_does_not_boot(fleet: Fleet) -> None:
    victim = fleet.provision(name="victim")
    old = _create(fleet.admin, "old", "volume:shared-old.raw", system=True)
    # As it could have been stored before such sources were refused.
    with fleet.daemon.database.write() as session:
        session.execute(
            sa.update(ImageRow)
            .where(ImageRow.id == uuid.UUID(old.id))
            .values(source=f"volume:mulligan-{victim.id}-disk")
        )
    with pytest.raises(errors.FailedPrecondition) as refused:
        fleet.provision(name="copycat", image="old")
    assert refused.value.reason == "IMAGE_SOURCE_NOT_ALLOWED"
    assert [m.name for m in fleet.admin.control.ListMachines(pb.ListMachinesRequest()).machines] == ["victim"]
