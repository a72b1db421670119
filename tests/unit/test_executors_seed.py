"""cloud-init NoCloud seed images, read back with pycdlib."""

from __future__ import annotations

import io
import json
from email import message_from_string

import pycdlib
import pytest

from mulligan.executors import DriverError
from mulligan.executors.seed import (
    TENANT_MERGE_TYPE,
    build_seed_iso,
    render_seed_files,
    render_user_data,
)

MACHINE = "8a1f3b4e-5d6c-4e7f-8a9b-0c1d2e3f4a5b"
KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaa alice@laptop"
KEY_B = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQbbb bob@desk"
TENANT_CLOUD_CONFIG = "#cloud-config\npackages: [nginx]\nssh_authorized_keys: [ssh-ed25519 AAAAtenant]\n"


def read_iso(image: bytes) -> tuple[str, dict[str, str]]:
    iso = pycdlib.PyCdlib()
    iso.open_fp(io.BytesIO(image))
    try:
        label = iso.pvd.volume_identifier.decode().strip()
        files: dict[str, str] = {}
        for name in ("meta-data", "user-data", "network-config"):
            by_rock_ridge, by_joliet = io.BytesIO(), io.BytesIO()
            iso.get_file_from_iso_fp(by_rock_ridge, rr_path=f"/{name}")
            iso.get_file_from_iso_fp(by_joliet, joliet_path=f"/{name}")
            assert by_rock_ridge.getvalue() == by_joliet.getvalue()
            files[name] = by_rock_ridge.getvalue().decode()
        return label, files
    finally:
        iso.close()


def test_seed_iso_holds_the_three_files_under_the_cidata_label() -> None:
    files = render_seed_files(
        instance_id=MACHINE, hostname="web-1", ssh_keys=[KEY_A, KEY_B], mac_address="52:aa:bb:cc:dd:ee"
    )
    label, content = read_iso(build_seed_iso(files))

    assert label == "cidata"
    assert json.loads(content["meta-data"]) == {"instance-id": MACHINE, "local-hostname": "web-1"}
    user_data = content["user-data"]
    assert user_data.startswith("#cloud-config\n")
    assert json.loads(user_data.removeprefix("#cloud-config\n")) == {"ssh_authorized_keys": [KEY_A, KEY_B]}
    assert json.loads(content["network-config"]) == {
        "version": 2,
        "ethernets": {
            "nic0": {"match": {"macaddress": "52:aa:bb:cc:dd:ee"}, "set-name": "eth0", "dhcp4": True},
        },
    }


def test_tenant_user_data_travels_beside_our_keys_and_is_merged_by_appending() -> None:
    files = render_seed_files(instance_id=MACHINE, hostname="web-1", ssh_keys=[KEY_A], user_data=TENANT_CLOUD_CONFIG)
    _label, content = read_iso(build_seed_iso(files))

    # cloud-init reads user-data as MIME when this header is near the top.
    assert "mime-version:" in content["user-data"][:4096].lower()
    document = message_from_string(content["user-data"])
    assert document.get_content_type() == "multipart/mixed"
    ours, theirs = document.get_payload()
    assert ours.get_content_type() == "text/cloud-config"
    assert json.loads(ours.get_payload(decode=True).decode().removeprefix("#cloud-config\n")) == {
        "ssh_authorized_keys": [KEY_A]
    }
    # text/plain: cloud-init recognises the part by its first line.
    assert theirs.get_content_type() == "text/plain"
    assert theirs["Merge-Type"] == TENANT_MERGE_TYPE
    assert theirs.get_payload(decode=True).decode() == TENANT_CLOUD_CONFIG


def test_a_tenant_multipart_document_is_spliced_in() -> None:
    script = "#!/bin/sh\necho hello\n"
    tenant = (
        'Content-Type: multipart/mixed; boundary="XYZ"\nMIME-Version: 1.0\n\n'
        "--XYZ\nContent-Type: text/x-shellscript\n\n" + script + "--XYZ\n"
        "Content-Type: text/cloud-config\nMerge-Type: dict(replace)+list()\n\n#cloud-config\nruncmd: [ls]\n"
        "--XYZ--\n"
    )
    document = message_from_string(render_user_data([KEY_A], tenant))
    parts = document.get_payload()
    assert [p.get_content_type() for p in parts] == ["text/cloud-config", "text/x-shellscript", "text/cloud-config"]
    assert parts[1]["Merge-Type"] == TENANT_MERGE_TYPE
    # A merge rule the tenant chose is kept.
    assert parts[2]["Merge-Type"] == "dict(replace)+list()"
    # The line break before a boundary belongs to the boundary (RFC 2046).
    assert parts[1].get_payload() == script.removesuffix("\n")


def test_user_data_without_keys_is_the_tenants_verbatim_and_without_either_is_empty_config() -> None:
    assert render_user_data([], TENANT_CLOUD_CONFIG) == TENANT_CLOUD_CONFIG
    assert json.loads(render_user_data([" ", ""]).removeprefix("#cloud-config\n")) == {"ssh_authorized_keys": []}


def test_user_data_is_the_same_for_the_same_machine_and_handles_non_ascii() -> None:
    tenant = "#cloud-config\nfinal_message: 'prêt ✓'\n"
    first = render_user_data([KEY_A], tenant)
    assert first == render_user_data([KEY_A], tenant)
    _ours, theirs = message_from_string(first).get_payload()
    assert theirs.get_payload(decode=True).decode("utf-8") == tenant


def test_network_config_without_a_nic_configures_nothing() -> None:
    files = render_seed_files(instance_id=MACHINE, hostname="web-1")
    assert json.loads(files.network_config) == {"version": 2, "ethernets": {}}


@pytest.mark.parametrize("hostname", ["", "Web1", "-web", "web-", "web_1", "a" * 64, "web.example.com"])
def test_bad_hostnames_are_refused(hostname: str) -> None:
    with pytest.raises(DriverError, match="not a valid host name"):
        render_seed_files(instance_id=MACHINE, hostname=hostname)
