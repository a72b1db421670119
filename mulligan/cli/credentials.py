"""Saved credentials, one file a profile: ``credentials/NAME.json`` in the
client config dir, mode 0600 in a 0700 dir.

A file holds the token, the daemon it was issued by, when it expires and,
for a profile signed in as an application credential, that credential's id
and secret, so that an expired token is replaced without asking anyone.
A token is only ever sent to the daemon that issued it.

``credentials.json`` (one file for every endpoint, from before profiles)
is still read when a profile has no file of its own.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mulligan.cli.settings import config_dir, daemon_key

DIRECTORY = "credentials"
LEGACY_FILE = "credentials.json"
# A token this close to its end is replaced before a call rather than after.
RENEW_MARGIN_S = 30


@dataclass(frozen=True)
class Saved:
    endpoint: str
    token: str
    expire_time: str | None = None
    account: str = ""
    project: str = ""
    credential_id: str = ""
    credential_secret: str = ""

    def issued_by(self, endpoint: str) -> bool:
        """Whether endpoint (one daemon, or several) includes the daemon this token is for."""
        mine = {daemon_key(item) for item in self.endpoint.split(",") if item}
        return any(daemon_key(item) in mine for item in endpoint.split(",") if item)

    def renewable(self) -> bool:
        return bool(self.credential_id and self.credential_secret)

    def expiring(self, now: datetime | None = None) -> bool:
        if not self.expire_time:
            return False
        try:
            ends = datetime.fromisoformat(self.expire_time)
        except ValueError:
            return False
        return (ends - (now or datetime.now(UTC))).total_seconds() < RENEW_MARGIN_S


def expire_text(stamp: Any) -> str | None:
    """A protobuf Timestamp as ISO 8601 text; None when unset."""
    if not stamp.seconds and not stamp.nanos:
        return None
    return str(stamp.ToDatetime(tzinfo=UTC).isoformat(timespec="seconds"))


def path_for(profile: str) -> Path:
    return config_dir() / DIRECTORY / f"{profile}.json"


def load(profile: str, endpoint: str) -> Saved | None:
    """The profile's credentials, when they were issued by endpoint."""
    saved = _read(path_for(profile)) or _legacy(endpoint)
    return saved if saved is not None and saved.issued_by(endpoint) else None


def _read(path: Path) -> Saved | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return _from_dict(data)


def _from_dict(data: Any) -> Saved | None:
    if not isinstance(data, dict):
        return None
    fields = {key: value for key, value in data.items() if key in Saved.__dataclass_fields__}
    if not all(isinstance(value, str) or value is None for value in fields.values()):
        return None
    if not fields.get("token") or not fields.get("endpoint"):
        return None
    return Saved(**fields)


def _legacy(endpoint: str) -> Saved | None:
    try:
        data = json.loads((config_dir() / LEGACY_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    endpoints = data.get("endpoints") if isinstance(data, dict) else None
    entry = endpoints.get(endpoint) if isinstance(endpoints, dict) else None
    return _from_dict({**entry, "endpoint": endpoint}) if isinstance(entry, dict) else None


def save(profile: str, saved: Saved) -> Path:
    path = path_for(profile)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp: mode 0600 from the start, and a name no other writer uses.
    # Only a sign-in writes: reading the token need not load tempfile.
    import tempfile

    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump({key: value for key, value in asdict(saved).items() if value}, handle, indent=2, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return path


def forget(profile: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_for(profile).unlink()
