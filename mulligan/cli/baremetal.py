"""What the host commands need for baremetal nodes: the BMC from a URL, a
password from a file, declared properties, and the node's own fields."""

from __future__ import annotations

import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.cli import args

_SCHEMES = {
    "ipmi": (pb.BMC_PROTOCOL_IPMI, False),
    "redfish": (pb.BMC_PROTOCOL_REDFISH, False),
    "redfish+http": (pb.BMC_PROTOCOL_REDFISH, False),
    "redfish+https": (pb.BMC_PROTOCOL_REDFISH, True),
}
_INT_PROPERTIES = ("cpus", "memory_mb", "disk_gb")


def bmc_from_url(
    url: str, password_file: str | None, *, ca_file: str | None, insecure: bool, timeout_s: float
) -> pb.Bmc:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in _SCHEMES or not parsed.hostname or not parsed.username:
        raise click.BadParameter(
            "expected ipmi://USER@ADDRESS[:PORT], redfish://USER@ADDRESS[:PORT] or redfish+https://...",
            param_hint="--bmc",
        )
    if parsed.password is not None:
        # A password in a URL ends up in shell history and process lists.
        raise click.BadParameter("put the password in --password-file, not in the URL", param_hint="--bmc")
    if not password_file:
        raise click.UsageError("a BMC needs --password-file FILE (or - for standard input)")
    protocol, tls = _SCHEMES[parsed.scheme]
    if (ca_file or insecure) and not tls:
        raise click.UsageError("--ca-file and --insecure apply to redfish+https:// BMCs only")
    try:
        port = parsed.port or 0
    except ValueError:
        raise click.BadParameter("the port must be a number from 1 to 65535", param_hint="--bmc") from None
    return pb.Bmc(
        protocol=protocol,
        address=parsed.hostname,
        port=port,
        username=urllib.parse.unquote(parsed.username),
        password=read_password(password_file),
        tls=tls,
        skip_tls_verify=insecure,
        ca_pem=_read(ca_file, "--ca-file") if ca_file else "",
        timeout_s=timeout_s,
    )


def read_password(path: str) -> str:
    """The first line of ``path`` (``-``: standard input), never echoed."""
    text = sys.stdin.readline() if path == "-" else _read(path, "--password-file")
    password = text.splitlines()[0] if text.strip() else ""
    if not password:
        raise click.BadParameter(f"{path} holds no password", param_hint="--password-file")
    return password


def node_properties(items: Sequence[str]) -> pb.NodeProperties | None:
    if not items:
        return None
    properties = pb.NodeProperties()
    for key, value in _items(items):
        if key in _INT_PROPERTIES:
            try:
                setattr(properties, key, int(value))
            except ValueError:
                raise click.BadParameter(f"{key} must be a whole number", param_hint="--property") from None
        elif key == "arch":
            properties.arch = value
        elif key == "trait":
            properties.traits.append(value)
        elif key == "mac":
            properties.macs.append(value)
        else:
            raise click.BadParameter(
                f"unknown property {key}: use cpus, memory_mb, disk_gb, arch, trait or mac", param_hint="--property"
            )
    return properties


def host_fields(host: pb.Host) -> dict[str, Any]:
    """A baremetal node's own fields for `host show` and JSON; none for a hypervisor."""
    if host.kind != pb.HOST_KIND_BAREMETAL:
        return {}
    synced = host.power_synced_at.ToDatetime().isoformat() + "Z" if host.HasField("power_synced_at") else None
    return {
        "bmc": f"{host.bmc.username}@{host.bmc.address}:{host.bmc.port}" if host.HasField("bmc") else None,
        "power": host.power_state or None,
        "power_synced_at": synced,
        "maintenance": host.maintenance,
        "maintenance_reason": host.maintenance_reason or None,
        "macs": list(host.macs),
    }


def _items(items: Sequence[str]) -> list[tuple[str, str]]:
    # Repeated keys (trait=...) are kept, so pairs() alone would not do.
    return [next(iter(args.pairs([item], "--property").items())) for item in items]


def _read(path: str, option: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror or exc}", param_hint=option) from None
    except UnicodeDecodeError:
        raise click.BadParameter(f"{path} is not UTF-8 text", param_hint=option) from None
