"""The daemon's configuration: one small TOML file plus environment.

Precedence, lowest first: built-in defaults, the file, ``MULLIGAN_<OPTION>``
environment variables, command-line flags. An unknown option or a bad value
raises :class:`ConfigError` with one line naming it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CONFIG_FILE = Path("/etc/mulligan/mulligand.conf")
DEFAULT_PORT = 7411
DEFAULT_LISTEN = f"127.0.0.1:{DEFAULT_PORT}"
DEFAULT_METRICS_LISTEN = "127.0.0.1:9464"
LOG_LEVELS = ("debug", "info", "warning", "error")


class ConfigError(Exception):
    """A configuration problem, worded as one line for the operator."""


def default_state_dir() -> Path:
    if os.geteuid() == 0:
        return Path("/var/lib/mulligan")
    xdg = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(xdg) / "mulligan"


@dataclass(frozen=True)
class Config:
    listen: str = DEFAULT_LISTEN
    state_dir: Path = field(default_factory=default_state_dir)
    # TLS for the gRPC API: "off" (plaintext), "auto" (a private CA and a
    # server certificate kept in state_dir/tls), or "files" (the operator's
    # tls_cert_file and tls_key_file). ``load`` picks it when unset: files
    # when they are given, else off on a loopback listen address, else auto.
    tls: str = "off"
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    # When set, clients must present a certificate signed by this CA.
    tls_client_ca_file: Path | None = None
    # Plaintext off this machine (the API on a non-loopback address, etcd at
    # an http:// endpoint elsewhere) carries passwords and tokens in clear:
    # refused unless the operator says so here.
    allow_plaintext: bool = False
    # Empty means SQLite in the state dir.
    database_url: str = ""
    # Empty means the embedded key/value store in the relational database.
    etcd_endpoints: tuple[str, ...] = ()
    # TLS to etcd (https:// endpoints): the CA that signed etcd's certificate
    # (None: the system's CAs), and this daemon's certificate and key for
    # an etcd that checks its clients.
    etcd_ca_file: Path | None = None
    etcd_cert_file: Path | None = None
    etcd_key_file: Path | None = None
    # A file whose first line encrypts the token signing keys in the
    # database (None: stored unencrypted). Every daemon sharing the database
    # needs the same one.
    signing_key_passphrase_file: Path | None = None
    # The key that encrypts BMC passwords in the database (None: secret.key
    # in the state dir, made on first start). Daemons sharing a database
    # need the same file.
    secret_key_file: Path | None = None
    log_level: str = "info"
    log_format: str = "json"
    rpc_threads: int = 16
    executor_workers: int = 4
    shutdown_grace_s: float = 30.0
    token_ttl_s: int = 3600
    lease_ttl_s: float = 30.0
    # Baremetal: how often every node's power state is read, how many BMC
    # calls may be in flight at once, and whether drift is corrected or
    # only reported.
    # Baremetal deploys: where the boot endpoint (HTTP, for booting nodes
    # only) listens, as HOST:PORT; empty: no endpoint.
    boot_listen: str = ""
    # The boot endpoint's URL as nodes reach it (http://HOST:PORT), for the
    # virtual media of Redfish nodes; empty: http://boot_listen.
    boot_url: str = ""
    # How long a baremetal deploy or cleaning waits for the deploy
    # ramdisk's report (from power on: boot, download, write) before it fails.
    deploy_timeout_s: float = 1800.0
    # How decommissioning cleans a node's disks: "metadata" wipes partition
    # tables and the first and last MiBs (seconds), "full" overwrites every
    # disk whole (hours on large disks).
    clean_wipe: str = "metadata"
    power_sync_interval_s: float = 60.0
    power_sync_concurrency: int = 16
    power_sync_correct: bool = True
    # Prometheus metrics (plain HTTP, GET /metrics) as HOST:PORT; empty: none.
    # Unlike boot_listen it may face other machines without allow_plaintext:
    # it carries figures only, no token, password or tenant data.
    metrics_listen: str = DEFAULT_METRICS_LISTEN

    @property
    def effective_secret_key_file(self) -> Path:
        return self.secret_key_file or self.state_dir / "secret.key"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.state_dir / 'mulligan.db'}"

    @property
    def listen_host_port(self) -> tuple[str, int]:
        return _split_host_port(self.listen)

    @property
    def metrics_host_port(self) -> tuple[str, int]:
        """Where the metrics endpoint listens; only when metrics_listen is set."""
        return _split_host_port(self.metrics_listen)


def _port_digits(text: str) -> bool:
    # isdigit() alone takes digits int() refuses ("²"), and numbers too long for int().
    return text.isascii() and text.isdigit() and len(text) <= 5


def _split_host_port(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not _port_digits(port) or not 0 <= int(port) <= 65535:
        raise ValueError("must be HOST:PORT with a port from 0 to 65535")
    return host.strip("[]"), int(port)


def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1; a name is never resolved."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (mapped or address).is_loopback


def _parse_listen(value: Any) -> str:
    text = _parse_str(value)
    _split_host_port(text)
    return text


def _parse_boot_url(value: Any) -> str:
    text = str(value).strip()
    if text and not re.match(r"^http://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/-]*)?$", text):
        raise ValueError("must be http://HOST[:PORT], the boot endpoint as nodes reach it")
    return text


def _parse_boot_listen(value: Any) -> str:
    return "" if str(value).strip() == "" else _parse_listen(value)


def _parse_metrics_listen(value: Any) -> str:
    return "" if str(value).strip().lower() in ("", "off") else _parse_listen(value)


def _parse_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _parse_path(value: Any) -> Path:
    text = _parse_str(value)
    if not text:
        raise ValueError("must not be empty")
    return Path(text).expanduser()


def _parse_database_url(value: Any) -> str:
    text = _parse_str(value)
    if text and not text.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        raise ValueError("must start with sqlite:// or postgresql://")
    if text.startswith("postgresql://"):
        text = "postgresql+psycopg://" + text[len("postgresql://") :]
    return text


def _parse_endpoints(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError("must be a list of http://HOST:PORT or a comma-separated string")
    endpoints = tuple(str(item).strip() for item in items if str(item).strip())
    for endpoint in endpoints:
        if not endpoint.startswith(("http://", "https://")):
            raise ValueError(f"endpoint {endpoint!r} must start with http:// or https://")
        _split_host_port(endpoint.split("://", 1)[1].rstrip("/"))
    return endpoints


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _parse_readable_file(value: Any) -> Path:
    path = _parse_path(value)
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise ValueError(f"must be a readable file: {exc.strerror}") from None
    return path


def _choice(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _parse_str(value).lower()
        if text not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return text

    return parse


def _positive_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError("must be a whole number") from None
    if number < 1 or str(number) != str(value).strip():
        raise ValueError("must be a whole number of at least 1")
    return number


def _positive_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("must be a number") from None
    if not number > 0:
        raise ValueError("must be greater than 0")
    return number


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "listen": _parse_listen,
    "state_dir": _parse_path,
    "tls": _choice("off", "auto", "files"),
    "tls_cert_file": _parse_readable_file,
    "tls_key_file": _parse_readable_file,
    "tls_client_ca_file": _parse_readable_file,
    "allow_plaintext": _parse_bool,
    "database_url": _parse_database_url,
    "etcd_endpoints": _parse_endpoints,
    "etcd_ca_file": _parse_readable_file,
    "etcd_cert_file": _parse_readable_file,
    "etcd_key_file": _parse_readable_file,
    "signing_key_passphrase_file": _parse_readable_file,
    "secret_key_file": _parse_path,
    "log_level": _choice(*LOG_LEVELS),
    "log_format": _choice("json", "text"),
    "rpc_threads": _positive_int,
    "executor_workers": _positive_int,
    "shutdown_grace_s": _positive_float,
    "token_ttl_s": _positive_int,
    "lease_ttl_s": _positive_float,
    "boot_listen": _parse_boot_listen,
    "deploy_timeout_s": _positive_float,
    "clean_wipe": _choice("metadata", "full"),
    "boot_url": _parse_boot_url,
    "power_sync_interval_s": _positive_float,
    "power_sync_concurrency": _positive_int,
    "power_sync_correct": _parse_bool,
    "metrics_listen": _parse_metrics_listen,
}
assert set(_PARSERS) == {f.name for f in dataclasses.fields(Config)}

ENV_PREFIX = "MULLIGAN_"


def env_name(option: str) -> str:
    return ENV_PREFIX + option.upper()


def load(
    path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Build the configuration from file, environment and flags.

    ``path`` None means ``$MULLIGAN_CONFIG`` or the default file, which may
    be absent; an explicitly named file must exist.
    """
    environ = os.environ if environ is None else environ
    explicit = path is not None or bool(environ.get("MULLIGAN_CONFIG"))
    source = path or Path(environ.get("MULLIGAN_CONFIG") or DEFAULT_CONFIG_FILE)
    values: dict[str, Any] = {}
    values.update(_read_file(source, required=explicit))
    for option in _PARSERS:
        if env_name(option) in environ:
            values[option] = _parse(option, environ[env_name(option)], env_name(option))
    for option, raw in (overrides or {}).items():
        if raw is not None:
            values[option] = _parse(option, raw, "--" + option.replace("_", "-"))
    if ("etcd_cert_file" in values) != ("etcd_key_file" in values):
        raise ConfigError("etcd_cert_file and etcd_key_file go together: set both or neither")
    if ("tls_cert_file" in values) != ("tls_key_file" in values):
        raise ConfigError("tls_cert_file and tls_key_file go together: set both or neither")
    config = Config(**values)
    if "tls" not in values:
        config = dataclasses.replace(config, tls=_default_tls(config))
    check_transport(config)
    return config


def _default_tls(config: Config) -> str:
    if config.tls_cert_file is not None:
        return "files"
    return "off" if is_loopback_host(config.listen_host_port[0]) else "auto"


def check_transport(config: Config) -> None:
    """Refuse TLS settings that contradict each other, and plaintext off this machine."""
    if config.tls == "files" and (config.tls_cert_file is None or config.tls_key_file is None):
        raise ConfigError("tls = files needs tls_cert_file and tls_key_file")
    if config.tls != "files" and config.tls_cert_file is not None:
        raise ConfigError(f"tls_cert_file and tls_key_file are used only with tls = files (tls is {config.tls})")
    if config.tls == "off" and config.tls_client_ca_file is not None:
        raise ConfigError("tls_client_ca_file needs tls = auto or files (tls is off)")
    if config.allow_plaintext:
        return
    if config.tls == "off" and not is_loopback_host(config.listen_host_port[0]):
        raise ConfigError(
            f"listen {config.listen} is not a loopback address and tls is off: passwords and tokens would"
            " cross the network in clear; set tls = auto (or files), or allow_plaintext = true"
        )
    if config.boot_listen and not is_loopback_host(_split_host_port(config.boot_listen)[0]):
        # Firmware speaks plain HTTP: the operator says so knowingly (docs/security.md).
        raise ConfigError(
            f"boot_listen {config.boot_listen} is not a loopback address: the boot endpoint is plain HTTP"
            " (what node firmware speaks) and carries boot tokens, images and cloud-init data in clear;"
            " keep it on the provisioning network and set allow_plaintext = true"
        )
    for endpoint in config.etcd_endpoints:
        scheme, _, rest = endpoint.partition("://")
        if scheme == "http" and not is_loopback_host(_split_host_port(rest.rstrip("/"))[0]):
            raise ConfigError(
                f"etcd endpoint {endpoint} is plaintext to another machine: use https:// (with etcd_ca_file)"
                " or set allow_plaintext = true"
            )


def _read_file(path: Path, *, required: bool) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise ConfigError(f"config file {path} does not exist") from None
        return {}
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    values = {}
    for option, value in raw.items():
        if option not in _PARSERS:
            raise ConfigError(f"config file {path}: unknown option {option!r}")
        values[option] = _parse(option, value, f"{path}: {option}")
    return values


def _parse(option: str, raw: Any, where: str) -> Any:
    if option not in _PARSERS:
        raise ConfigError(f"unknown option {option!r}")
    try:
        return _PARSERS[option](raw)
    except ValueError as exc:
        raise ConfigError(f"{where} {exc} (got {raw!r})") from None


def options() -> list[str]:
    return list(_PARSERS)
