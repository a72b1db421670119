"""The CLI's config file: named profiles, each a daemon (or several of one
fleet) and how to trust it.

It lives beside the saved credentials in the client config dir
(``$MULLIGAN_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/mulligan``, else
``~/.config/mulligan``) as ``config.toml``::

    # the profile used when neither --profile nor $MULLIGAN_PROFILE names one
    profile = "prod"

    [profiles.prod]
    endpoints = ["mulligan-1.example.org:7411", "mulligan-2.example.org:7411"]
    ca_file = "/etc/mulligan/ca.pem"
    cert_file = "alice.pem"          # relative names are in the config dir
    key_file = "alice-key.pem"
    project = "web"                  # for commands that take --project
    format = "table"                 # table, json, yaml or value

    [profiles.lab]
    endpoint = "127.0.0.1:7411"

A profile with a CA or a client certificate speaks TLS; one without speaks
plaintext (a daemon on loopback). Options and environment variables beat
the profile, one setting at a time: ``--endpoint`` / ``$MULLIGAN_ENDPOINT``,
``--ca-file`` / ``$MULLIGAN_CA_FILE``, ``--cert-file``, ``--key-file``.

Files written before profiles existed keep working: a top-level
``endpoint`` is the default endpoint, and ``[endpoints."HOST:PORT"]``
tables give the TLS files of one endpoint.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mulligan.config import DEFAULT_LISTEN, DEFAULT_PORT, is_loopback_host

if TYPE_CHECKING:
    from mulligan.tls_client import ClientTls

CONFIG_FILE = "config.toml"
DEFAULT_PROFILE = "default"
FORMATS = ("table", "json", "yaml", "value")
_TLS_KEYS = ("ca_file", "cert_file", "key_file")
_PROFILE_KEYS = frozenset({"endpoint", "endpoints", *_TLS_KEYS, "project", "format"})
# Profile names become file names: nothing that could leave the config dir.
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def config_dir() -> Path:
    explicit = os.environ.get("MULLIGAN_CONFIG_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mulligan"


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def check_profile_name(name: str) -> str:
    if not _PROFILE_NAME.fullmatch(name):
        raise click.BadParameter(
            f"profile names are letters, digits, '.', '_' and '-' (got {json.dumps(name)})", param_hint="--profile"
        )
    return name


def normalize_endpoint(text: str) -> str:
    """HOST:PORT, with mulligand's port added when only a host is given.

    gRPC itself would take a bare host to mean port 443, which is never a
    mulligand.
    """
    text = text.strip()
    if text.startswith("["):
        _, bracket, rest = text.partition("]")
        if bracket and not rest:
            return f"{text}:{DEFAULT_PORT}"
        return text
    if text.count(":") > 1:
        # A bare IPv6 address: the last group is not a port.
        return f"[{text}]:{DEFAULT_PORT}"
    if ":" not in text:
        return f"{text}:{DEFAULT_PORT}"
    return text


def split_endpoints(text: str) -> tuple[str, ...]:
    """The daemons of ``"a:1,b:2"``, each normalized."""
    return tuple(normalize_endpoint(item) for item in text.split(",") if item.strip())


def daemon_key(endpoint: str) -> tuple[str, str]:
    """What makes two spellings of an endpoint the same daemon: 127.0.0.1,
    localhost and ::1 are all this machine's loopback."""
    host, _, port = normalize_endpoint(endpoint).rpartition(":")
    host = host.strip("[]").lower().rstrip(".")
    return ("loopback" if is_loopback_host(host) else host, port)


@dataclass(frozen=True)
class Profile:
    name: str
    endpoints: tuple[str, ...] = ()
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    project: str | None = None
    format: str | None = None
    # Whether config.toml has a table for it (else it is only a name).
    written: bool = False


@dataclass(frozen=True)
class Settings:
    endpoint: str | None = None
    tls: dict[str, dict[str, Path]] = field(default_factory=dict)
    profile: str | None = None
    profiles: dict[str, Profile] = field(default_factory=dict)

    def profile_named(self, name: str | None, *, new: bool = False) -> Profile:
        """The profile to use: the one named, else the file's default, else ``default``.

        ``new``: a profile the file does not have yet is fine (login writes it).
        """
        chosen = name or self.profile or DEFAULT_PROFILE
        if chosen in self.profiles:
            return self.profiles[chosen]
        if name and name != DEFAULT_PROFILE and not new:
            known = ", ".join(sorted(self.profiles)) or "none yet"
            raise click.UsageError(
                f"no profile {name} in {config_path()} (profiles: {known});"
                " `mulligan --profile NAME --endpoint HOST:PORT login ...` writes one"
            )
        return Profile(name=chosen)

    def tls_for(self, endpoint: str, profile: Profile | None = None, **given: Path | None) -> ClientTls | None:
        """TLS for endpoint: what was given on the command line, else the
        profile's, else the endpoint's own table; None for plaintext."""
        files: dict[str, Path] = dict(self.tls.get(endpoint.split(",", maxsplit=1)[0], {}))
        if profile is not None:
            files.update({key: getattr(profile, key) for key in _TLS_KEYS if getattr(profile, key) is not None})
        files.update({key: path for key, path in given.items() if path is not None})
        if not files:
            return None
        if ("cert_file" in files) != ("key_file" in files):
            raise click.UsageError("a client certificate needs both cert_file and key_file (--cert-file, --key-file)")
        from mulligan.tls_client import ClientTls

        return ClientTls(**files)


def load() -> Settings:
    path = config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise click.ClickException(f"{path} cannot be read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise click.ClickException(f"{path} is not valid TOML: {exc}") from None
    unknown = set(raw) - {"endpoint", "endpoints", "profile", "profiles"}
    if unknown:
        raise click.ClickException(f"{path}: unknown setting {sorted(unknown)[0]}")
    endpoint = raw.get("endpoint")
    if endpoint is not None and (not isinstance(endpoint, str) or not endpoint):
        raise click.ClickException(f"{path}: endpoint must be HOST:PORT")
    default = raw.get("profile")
    if default is not None and (not isinstance(default, str) or not _PROFILE_NAME.fullmatch(default)):
        raise click.ClickException(f"{path}: profile must be the name of a [profiles.NAME] table")
    return Settings(
        endpoint=endpoint,
        tls=_endpoint_tables(path, raw.get("endpoints", {})),
        profile=default,
        profiles=_profile_tables(path, raw.get("profiles", {})),
    )


def _file(path: Path, where: str, value: Any) -> Path:
    if not isinstance(value, str) or not value:
        raise click.ClickException(f"{path}: {where} must be a file name")
    # Relative names are relative to the config dir, wherever the CLI runs.
    return path.parent / Path(value).expanduser()


def _endpoint_tables(path: Path, tables: Any) -> dict[str, dict[str, Path]]:
    if not isinstance(tables, dict):
        raise click.ClickException(f'{path}: endpoints must be tables, [endpoints."HOST:PORT"]')
    found: dict[str, dict[str, Path]] = {}
    for endpoint, table in tables.items():
        if not isinstance(table, dict):
            raise click.ClickException(f'{path}: endpoints.{endpoint} must be a table, [endpoints."{endpoint}"]')
        files: dict[str, Path] = {}
        for key, value in table.items():
            if key not in _TLS_KEYS:
                raise click.ClickException(f"{path}: endpoints.{endpoint}: unknown setting {key}")
            files[key] = _file(path, f"endpoints.{endpoint}.{key}", value)
        found[endpoint] = files
    return found


def _profile_tables(path: Path, tables: Any) -> dict[str, Profile]:
    if not isinstance(tables, dict):
        raise click.ClickException(f"{path}: profiles must be tables, [profiles.NAME]")
    return {name: _profile(path, name, table) for name, table in tables.items()}


def _profile(path: Path, name: str, table: Any) -> Profile:
    where = f"profiles.{name}"
    if not _PROFILE_NAME.fullmatch(name):
        raise click.ClickException(f"{path}: {where}: profile names are letters, digits, '.', '_' and '-'")
    if not isinstance(table, dict):
        raise click.ClickException(f"{path}: {where} must be a table, [profiles.{name}]")
    unknown = set(table) - _PROFILE_KEYS
    if unknown:
        raise click.ClickException(f"{path}: {where}: unknown setting {sorted(unknown)[0]}")
    if "endpoint" in table and "endpoints" in table:
        raise click.ClickException(f"{path}: {where}: give endpoint or endpoints, not both")
    listed = table.get("endpoints", [table["endpoint"]] if "endpoint" in table else [])
    if not isinstance(listed, list) or not all(isinstance(item, str) and item.strip() for item in listed):
        raise click.ClickException(f"{path}: {where}: endpoints must be a list of HOST:PORT")
    files = {key: _file(path, f"{where}.{key}", table[key]) for key in _TLS_KEYS if key in table}
    project = table.get("project")
    if project is not None and (not isinstance(project, str) or not project):
        raise click.ClickException(f"{path}: {where}.project must be a project name or id")
    fmt = table.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise click.ClickException(f"{path}: {where}.format must be one of {', '.join(FORMATS)}")
    return Profile(
        name=name,
        endpoints=tuple(normalize_endpoint(item) for item in listed),
        project=project,
        format=fmt,
        written=True,
        **files,
    )


def default_endpoint() -> str:
    return load().endpoint or DEFAULT_LISTEN


def _toml_string(text: str) -> str:
    # A JSON string without \\u escapes of astral characters is a TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def _append(table: str) -> Path:
    """Append a table to config.toml, so what the operator wrote (comments included) stays as it was."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        existing = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        existing = ""
    separator = "" if not existing or existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(separator + table)
    return path


def remember_ca(endpoint: str, ca_file: Path) -> Path | None:
    """Add a table trusting ca_file for endpoint; None when the file has one already."""
    if endpoint in load().tls:
        return None
    return _append(f"[endpoints.{_toml_string(endpoint)}]\nca_file = {_toml_string(str(ca_file.resolve()))}\n")


def write_profile(profile: Profile) -> Path | None:
    """Add ``[profiles.NAME]`` to config.toml; None when the file has that profile already
    (what the operator wrote there is theirs to change)."""
    if profile.name in load().profiles:
        return None
    lines = [f"[profiles.{profile.name}]"]
    if len(profile.endpoints) == 1:
        lines.append(f"endpoint = {_toml_string(profile.endpoints[0])}")
    else:
        lines.append(f"endpoints = [{', '.join(_toml_string(item) for item in profile.endpoints)}]")
    for key in _TLS_KEYS:
        value = getattr(profile, key)
        if value is not None:
            lines.append(f"{key} = {_toml_string(str(Path(value).resolve()))}")
    if profile.project:
        lines.append(f"project = {_toml_string(profile.project)}")
    if profile.format:
        lines.append(f"format = {_toml_string(profile.format)}")
    return _append("\n".join(lines) + "\n")
