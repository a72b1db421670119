"""The CLI's config file: which daemon to talk to, and how to trust it.

It lives beside the saved credentials in the client config dir
(``$MULLIGAN_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/mulligan``, else
``~/.config/mulligan``) as ``config.toml``::

    # the daemon used when neither --endpoint nor $MULLIGAN_ENDPOINT names one
    endpoint = "mulligan.example.org:7411"

    # TLS, per endpoint: the CA that signed the daemon's certificate, and a
    # certificate and key for a daemon that checks its clients
    [endpoints."mulligan.example.org:7411"]
    ca_file = "/etc/mulligan/ca.pem"
    cert_file = "~/.config/mulligan/alice.pem"
    key_file = "~/.config/mulligan/alice-key.pem"

An endpoint with a table speaks TLS; one without speaks plaintext (a daemon
on loopback). ``--ca-file``, ``--cert-file`` and ``--key-file`` (or
``MULLIGAN_CA_FILE``, ...) beat the file, one setting at a time.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from mulligan.config import DEFAULT_LISTEN
from mulligan.tls import ClientTls

CONFIG_FILE = "config.toml"
_TLS_KEYS = ("ca_file", "cert_file", "key_file")


def config_dir() -> Path:
    explicit = os.environ.get("MULLIGAN_CONFIG_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mulligan"


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


@dataclass(frozen=True)
class Settings:
    endpoint: str | None = None
    tls: dict[str, dict[str, Path]] = field(default_factory=dict)

    def tls_for(self, endpoint: str, **given: Path | None) -> ClientTls | None:
        """TLS for endpoint: what was given on the command line, else the file's; None for plaintext."""
        files = dict(self.tls.get(endpoint, {}))
        files.update({key: path for key, path in given.items() if path is not None})
        if not files:
            return None
        if ("cert_file" in files) != ("key_file" in files):
            raise click.UsageError("a client certificate needs both cert_file and key_file (--cert-file, --key-file)")
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
    unknown = set(raw) - {"endpoint", "endpoints"}
    if unknown:
        raise click.ClickException(f"{path}: unknown setting {sorted(unknown)[0]!r}")
    endpoint = raw.get("endpoint")
    if endpoint is not None and (not isinstance(endpoint, str) or not endpoint):
        raise click.ClickException(f"{path}: endpoint must be HOST:PORT")
    return Settings(endpoint=endpoint, tls=_endpoint_tables(path, raw.get("endpoints", {})))


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
                raise click.ClickException(f"{path}: endpoints.{endpoint}: unknown setting {key!r}")
            if not isinstance(value, str) or not value:
                raise click.ClickException(f"{path}: endpoints.{endpoint}.{key} must be a file name")
            # Relative names are relative to the config dir, wherever the CLI runs.
            files[key] = path.parent / Path(value).expanduser()
        found[endpoint] = files
    return found


def default_endpoint() -> str:
    return load().endpoint or DEFAULT_LISTEN


def _toml_string(text: str) -> str:
    # A JSON string without \\u escapes of astral characters is a TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def remember_ca(endpoint: str, ca_file: Path) -> Path | None:
    """Add a table trusting ca_file for endpoint; None when the file has one already.

    Appended, so what the operator wrote (comments included) stays as it was.
    """
    if endpoint in load().tls:
        return None
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        existing = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        existing = ""
    separator = "" if not existing or existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    table = f"{separator}[endpoints.{_toml_string(endpoint)}]\nca_file = {_toml_string(str(ca_file.resolve()))}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(table)
    return path
