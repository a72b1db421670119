"""cloud-init NoCloud seed images.

A seed is a small ISO 9660 image labelled ``cidata`` holding three files that
cloud-init reads on first boot: ``meta-data`` (instance id and hostname),
``user-data`` (ssh keys merged with the tenant's own user-data) and
``network-config`` (DHCP on the machine's NIC, matched by MAC address).

The files are written as JSON, which is also YAML, so no YAML library is
needed and the tenant's user-data is never parsed: when there is both a
key list and tenant user-data, they travel as two parts of a MIME multipart
document and cloud-init merges them, appending the tenant's lists to ours.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email import message_from_string
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pycdlib

from mulligan.executors.drivers import DriverError

VOLUME_LABEL = "cidata"
# Lists from the tenant's cloud-config (ssh_authorized_keys above all) are
# appended to ours instead of replacing them.
TENANT_MERGE_TYPE = "list(append)+dict(no_replace,recurse_list)+str()"

_HOSTNAME = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# ISO 9660 level-1 names for readers without Rock Ridge or Joliet.
_ISO_NAMES = {"meta-data": "METADATA.;1", "user-data": "USERDATA.;1", "network-config": "NETWORK.;1"}


@dataclass(frozen=True)
class SeedFiles:
    meta_data: str
    user_data: str
    network_config: str

    def as_dict(self) -> dict[str, str]:
        return {"meta-data": self.meta_data, "user-data": self.user_data, "network-config": self.network_config}


def check_hostname(hostname: str) -> str:
    if not _HOSTNAME.match(hostname):
        raise DriverError(
            f"hostname {hostname!r} is not a valid host name "
            "(1-63 lowercase letters, digits or '-', not starting or ending with '-')"
        )
    return hostname


def render_meta_data(instance_id: str, hostname: str) -> str:
    return json.dumps({"instance-id": instance_id, "local-hostname": check_hostname(hostname)}, indent=2) + "\n"


def render_network_config(mac_address: str | None) -> str:
    ethernets: dict[str, object] = {}
    if mac_address is not None:
        ethernets["nic0"] = {"match": {"macaddress": mac_address}, "set-name": "eth0", "dhcp4": True}
    return json.dumps({"version": 2, "ethernets": ethernets}, indent=2) + "\n"


def render_user_data(ssh_keys: Sequence[str], tenant_user_data: str = "") -> str:
    keys = [key.strip() for key in ssh_keys if key.strip()]
    ours = "#cloud-config\n" + json.dumps({"ssh_authorized_keys": keys}, indent=2) + "\n"
    if not tenant_user_data.strip():
        return ours
    if not keys:
        return tenant_user_data
    document = MIMEMultipart(boundary=_boundary(ours, tenant_user_data))
    document.attach(_text_part(ours, "cloud-config"))
    for part in _tenant_parts(tenant_user_data):
        if "Merge-Type" not in part:
            part["Merge-Type"] = TENANT_MERGE_TYPE
        document.attach(part)
    return document.as_string()


def render_seed_files(
    *,
    instance_id: str,
    hostname: str,
    ssh_keys: Sequence[str] = (),
    user_data: str = "",
    mac_address: str | None = None,
) -> SeedFiles:
    return SeedFiles(
        meta_data=render_meta_data(instance_id, hostname),
        user_data=render_user_data(ssh_keys, user_data),
        network_config=render_network_config(mac_address),
    )


def build_seed_iso(files: SeedFiles) -> bytes:
    """The seed files as an ISO 9660 image (with Rock Ridge and Joliet names)."""
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, joliet=3, rock_ridge="1.09", vol_ident=VOLUME_LABEL)
    try:
        for name, text in files.as_dict().items():
            content = text.encode()
            iso.add_fp(io.BytesIO(content), len(content), "/" + _ISO_NAMES[name], rr_name=name, joliet_path="/" + name)
        out = io.BytesIO()
        iso.write_fp(out)
    finally:
        iso.close()
    return out.getvalue()


def _text_part(text: str, subtype: str) -> MIMEText:
    return MIMEText(text, subtype, "us-ascii" if text.isascii() else "utf-8")


def _tenant_parts(user_data: str) -> list[Message]:
    stripped = user_data.lstrip()
    if stripped.lower().startswith(("content-type:", "mime-version:")):
        parsed = message_from_string(stripped)
        if parsed.is_multipart():
            return [part for part in parsed.get_payload() if isinstance(part, Message)]
        return [parsed]
    # text/plain makes cloud-init detect the part's kind from its first line
    # (#cloud-config, #!, #include, ...), as it does for plain user-data.
    return [_text_part(user_data, "plain")]


def _boundary(*texts: str) -> str:
    # Derived from the content, so one machine's seed is the same every time.
    digest = hashlib.sha256("\0".join(texts).encode()).hexdigest()[:32]
    return f"==mulligan-{digest}=="
