"""A baremetal node's BMC as enrolled: checking what the operator gave, and
the credential an executor gets for one task."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from mulligan.control.models import HostRow
from mulligan.control.types import BmcAccess, NodeProperties
from mulligan.errors import InvalidArgument

PROTOCOLS = ("ipmi", "redfish")
DEFAULT_PORTS = {("ipmi", False): 623, ("redfish", False): 80, ("redfish", True): 443}
# IPMI 2.0 carries at most 16 bytes of user name and 20 of password.
_IPMI_MAX_USERNAME = 16
_IPMI_MAX_PASSWORD = 20
_MAX_USERNAME = 255
_MAX_PASSWORD = 255
_MAX_CA_PEM = 64 * 1024
_MAX_TIMEOUT_S = 300.0
_MAX_RETRIES = 10
_MAX_DECLARED_TRAITS = 64
_MAX_DECLARED_MACS = 16
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
_HOSTNAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_ARCHES = ("x86_64", "aarch64")


@dataclass(frozen=True)
class CallDefaults:
    """What a host that set none gets for each BMC call."""

    timeout_s: float = 10.0
    retries: int = 2


DEFAULT_CALLS = CallDefaults()
# Attempts of a task that talks to a BMC. Each BMC call is already tried
# again (``retries``) and power changes are waited for patiently, so one
# more attempt covers a BMC that restarted; an operator learns of a dead
# BMC in seconds, not after minutes of backoff.
BMC_TASK_ATTEMPTS = 2


def check(bmc: BmcAccess) -> BmcAccess:
    """``bmc`` with its defaults filled in, or InvalidArgument naming what is wrong."""
    protocol = bmc.protocol.lower()
    if protocol not in PROTOCOLS:
        raise InvalidArgument("the BMC protocol must be ipmi or redfish", reason="INVALID_BMC_PROTOCOL")
    if bmc.tls and protocol != "redfish":
        raise InvalidArgument("TLS applies to redfish BMCs only", reason="INVALID_BMC")
    address = _check_address(bmc.address)
    port = bmc.port or DEFAULT_PORTS[(protocol, bmc.tls)]
    if not 1 <= port <= 65535:
        raise InvalidArgument("the BMC port must be between 1 and 65535", reason="INVALID_BMC_PORT")
    max_username, max_password = (
        (_IPMI_MAX_USERNAME, _IPMI_MAX_PASSWORD) if protocol == "ipmi" else (_MAX_USERNAME, _MAX_PASSWORD)
    )
    if not bmc.username or len(bmc.username.encode()) > max_username or not bmc.username.isprintable():
        raise InvalidArgument(
            f"the BMC user name must be 1 to {max_username} printable bytes", reason="INVALID_BMC_USERNAME"
        )
    # The password's length is all an error may say about it.
    if not bmc.password or len(bmc.password.encode()) > max_password:
        raise InvalidArgument(f"the BMC password must be 1 to {max_password} bytes", reason="INVALID_BMC_PASSWORD")
    if bmc.ca_pem:
        _check_ca(bmc.ca_pem, bmc.tls)
    if not (bmc.timeout_s == 0 or 0.1 <= bmc.timeout_s <= _MAX_TIMEOUT_S):
        raise InvalidArgument(
            f"the BMC timeout must be 0 (the default) or 0.1 to {_MAX_TIMEOUT_S:.0f} seconds",
            reason="INVALID_BMC_TIMEOUT",
        )
    if not -1 <= bmc.retries <= _MAX_RETRIES:
        raise InvalidArgument(f"BMC retries must be 0 to {_MAX_RETRIES}", reason="INVALID_BMC_RETRIES")
    return dataclasses.replace(bmc, protocol=protocol, address=address, port=port)


def check_properties(properties: NodeProperties, known_traits: Iterable[str]) -> dict[str, Any]:
    """Declared properties as stored; InvalidArgument for a bad one."""
    for label, value, limit in (
        ("cpus", properties.cpus, 1 << 16),
        ("memory_mb", properties.memory_mb, 1 << 40),
        ("disk_gb", properties.disk_gb, 1 << 30),
    ):
        if not 0 <= value <= limit:
            raise InvalidArgument(f"declared {label} must be 0 to {limit}", reason="INVALID_NODE_PROPERTIES")
    if properties.arch and properties.arch not in _ARCHES:
        raise InvalidArgument(f"declared arch must be one of {', '.join(_ARCHES)}", reason="INVALID_NODE_PROPERTIES")
    if len(properties.traits) > _MAX_DECLARED_TRAITS:
        raise InvalidArgument(f"at most {_MAX_DECLARED_TRAITS} declared traits", reason="INVALID_NODE_PROPERTIES")
    if len(properties.macs) > _MAX_DECLARED_MACS:
        raise InvalidArgument(f"at most {_MAX_DECLARED_MACS} declared MACs", reason="INVALID_NODE_PROPERTIES")
    macs = [_mac(text) for text in properties.macs]
    unknown = sorted(set(properties.traits) - set(known_traits))
    if unknown:
        raise InvalidArgument(
            f"unknown trait(s): {', '.join(code[:64] for code in unknown[:5])}",
            reason="UNKNOWN_TRAIT",
        )
    return {
        "cpus": properties.cpus,
        "memory_mb": properties.memory_mb,
        "disk_gb": properties.disk_gb,
        "arch": properties.arch,
        "traits": sorted(properties.traits),
        "macs": list(dict.fromkeys(macs)),
    }


def _mac(text: str) -> str:
    mac = text.strip().lower().replace("-", ":")
    if not _MAC.match(mac):
        raise InvalidArgument(f"declared MAC {text[:32]!r} is not a MAC address", reason="INVALID_NODE_PROPERTIES")
    return mac


def uri_of(bmc: BmcAccess) -> str:
    """The host's URI: one node per BMC address, whoever signs in to it."""
    scheme = "redfish+https" if bmc.tls else bmc.protocol
    host = f"[{bmc.address}]" if ":" in bmc.address else bmc.address
    return f"{scheme}://{host}:{bmc.port}"


def credential_fields(row: HostRow, password: bytes, defaults: CallDefaults) -> dict[str, Any]:
    return {
        "protocol": row.bmc_protocol,
        "address": row.bmc_address,
        "port": row.bmc_port,
        "username": row.bmc_username,
        "password": password,
        "tls": row.bmc_tls,
        "verify_tls": row.bmc_verify_tls,
        "ca_pem": row.bmc_ca_pem or "",
        "timeout_s": row.bmc_timeout_s or defaults.timeout_s,
        "retries": defaults.retries if row.bmc_retries is None else row.bmc_retries,
    }


def _check_address(address: str) -> str:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        pass
    if not _HOSTNAME.fullmatch(address):
        raise InvalidArgument(
            f"the BMC address {address[:80]!r} is neither an IP address nor a host name", reason="INVALID_BMC_ADDRESS"
        )
    return address.lower()


def _check_ca(ca_pem: str, tls: bool) -> None:
    if not tls:
        raise InvalidArgument("a CA applies to redfish+https BMCs only", reason="INVALID_BMC")
    if len(ca_pem) > _MAX_CA_PEM:
        raise InvalidArgument(f"the BMC's CA must be at most {_MAX_CA_PEM} bytes of PEM", reason="INVALID_BMC_CA")
    try:
        x509.load_pem_x509_certificates(ca_pem.encode())
    except ValueError:
        raise InvalidArgument("the BMC's CA is not a PEM certificate", reason="INVALID_BMC_CA") from None
