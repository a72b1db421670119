"""Boot jobs: what a node's deploy ramdisk is to do, behind a secret token.

A task that boots a node into the ramdisk (to inspect, deploy or clean it)
issues a job in its own transaction. While the job is open, the boot
endpoint answers the node's network boot (found by MAC) with the ramdisk
and the job's token on the kernel command line; the ramdisk's agent
presents the token for its settings, the image and the config drive, and
once for its final report. A token is:

- secret: only its SHA-256 is stored, and no log line holds it;
- bound to one node and one task: the agent names its node by MAC on every
  request, and a MAC of another node is refused;
- short-lived: refused after it expires, after the report, or once a newer
  job for the node replaced it.

Every refusal looks the same to the caller (:class:`BootTokenRefused`); the
log says which it was.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.control.models import BootJobRow, HostRow
from mulligan.db import Database

log = logging.getLogger("mulligan.control.boot")

KINDS = ("inspect", "deploy", "clean")
DEFAULT_TTL = timedelta(minutes=30)
# Setting keys and values travel as KEY=VALUE lines to a shell script.
_SETTING_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
_SETTING_VALUE = re.compile(r"^[\x20-\x7e]{0,4096}$")
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


class BootTokenRefused(Exception):
    """The token is wrong, expired, finished, replaced, or not this node's."""


@dataclass(frozen=True)
class BootJob:
    id: str
    host_id: str
    task_id: str
    kind: str
    macs: tuple[str, ...]
    settings: Mapping[str, str]
    image_path: str | None
    has_config_drive: bool
    expires_at: datetime


def normal_mac(text: str) -> str | None:
    """``text`` as a lower-case colon-separated MAC, or None if it is not one."""
    mac = text.strip().lower().replace("-", ":")
    return mac if _MAC.match(mac) else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _job(row: BootJobRow) -> BootJob:
    return BootJob(
        id=str(row.id),
        host_id=str(row.host_id),
        task_id=str(row.task_id),
        kind=row.kind,
        macs=tuple(row.macs),
        settings=dict(row.settings),
        image_path=row.image_path,
        has_config_drive=row.config_drive is not None,
        expires_at=row.expires_at,
    )


class BootJobs:
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._db = database
        self._clock = clock
        self._on_report: list[Callable[[BootJob, Mapping[str, Any]], None]] = []
        # An agent that timed out waiting for its answer sends the report
        # again while the first is still being applied; applied one at a
        # time, the second finds the job ended. A job's URLs name one
        # daemon's endpoint, so a lock in this process is enough.
        self._reporting = threading.Lock()

    def on_report(self, handler: Callable[[BootJob, Mapping[str, Any]], None]) -> None:
        """Call ``handler`` with each job's final report, before the job ends.

        A handler may see the same report twice (see :meth:`report`): it must
        find its work done and change nothing the second time.
        """
        self._on_report.append(handler)

    def issue(
        self,
        session: orm.Session,
        *,
        host_id: str,
        task_id: str,
        kind: str,
        macs: Sequence[str],
        settings: Mapping[str, str],
        image_path: str | None = None,
        config_drive: bytes | None = None,
        ttl: timedelta = DEFAULT_TTL,
    ) -> str:
        """Open a job for the node in the caller's transaction; return its token.

        Any job the node still had open ends here: a node boots for one job.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown boot job kind {kind!r}")
        known = [mac for mac in (normal_mac(mac) for mac in macs) if mac]
        if not known:
            raise ValueError("a boot job needs the node's MAC addresses")
        for key, value in settings.items():
            if not _SETTING_KEY.match(key) or not _SETTING_VALUE.match(value):
                raise ValueError(f"boot job setting {key[:64]!r} is not a KEY=VALUE line a shell can read")
        now = self._clock()
        self._close_open(session, host_id, now)
        token = secrets.token_urlsafe(32)
        session.add(
            BootJobRow(
                id=uuid.uuid4(),
                host_id=uuid.UUID(host_id),
                task_id=uuid.UUID(task_id),
                token_digest=_digest(token),
                kind=kind,
                macs=known,
                settings=dict(settings),
                image_path=image_path,
                config_drive=config_drive,
                report=None,
                created_at=now,
                expires_at=now + ttl,
                finished_at=None,
            )
        )
        return token

    def cancel(self, session: orm.Session, host_id: str) -> None:
        """End the node's open job (an operator's abort, or a task giving up)."""
        self._close_open(session, host_id, self._clock())

    def _close_open(self, session: orm.Session, host_id: str, now: datetime) -> None:
        session.execute(
            sa.update(BootJobRow)
            .where(BootJobRow.host_id == uuid.UUID(host_id), BootJobRow.finished_at.is_(None))
            .values(finished_at=now)
        )

    def for_mac(self, mac: str) -> tuple[BootJob, str] | None:
        """The open job of the node with this MAC, and its token's stand-in.

        The boot endpoint puts a token into the node's boot script, so the
        token must be recoverable here: it is re-issued (a new secret for
        the same job) each time the node boots, and the old one stops working.
        """
        wanted = normal_mac(mac)
        if wanted is None:
            return None
        now = self._clock()
        with self._db.write() as session:
            rows = session.scalars(
                sa.select(BootJobRow).where(BootJobRow.finished_at.is_(None), BootJobRow.expires_at > now)
            )
            row = next((row for row in rows if wanted in row.macs), None)
            if row is None:
                return None
            token = secrets.token_urlsafe(32)
            row.token_digest = _digest(token)
            return _job(row), token

    def reissue(self, host_id: str) -> str:
        """A new token for the node's open job (the old one stops working):
        for the one moment it is handed over, in memory, as for_mac does."""
        now = self._clock()
        with self._db.write() as session:
            row = session.scalar(
                sa.select(BootJobRow).where(
                    BootJobRow.host_id == uuid.UUID(host_id),
                    BootJobRow.finished_at.is_(None),
                    BootJobRow.expires_at > now,
                )
            )
            if row is None:
                raise BootTokenRefused
            token = secrets.token_urlsafe(32)
            row.token_digest = _digest(token)
            return token

    def open_media(self, token: str) -> BootJob:
        """The open job ``token`` stands for, asked for by its node's BMC
        (which fetches the virtual media and cannot name the node's MAC)."""
        with self._db.read() as session:
            row = session.scalar(sa.select(BootJobRow).where(BootJobRow.token_digest == _digest(token)))
            if row is None or row.finished_at is not None or row.expires_at <= self._clock():
                log.warning("boot media request refused: unknown, ended or expired token")
                raise BootTokenRefused
            return _job(row)

    def open(self, token: str, mac: str) -> BootJob:
        """The open job ``token`` stands for, asked for by the node with ``mac``."""
        with self._db.read() as session:
            row = self._open_row(session, token, mac)
            return _job(row)

    def config_drive(self, token: str, mac: str) -> bytes | None:
        with self._db.read() as session:
            return self._open_row(session, token, mac).config_drive

    def report(self, token: str, mac: str, report: Mapping[str, Any]) -> BootJob:
        """Apply the agent's final report, then store it and end the job; the
        token works no more.

        The job ends only once the handlers have applied the report: a daemon
        that dies in between leaves it open, so the agent's retry (it retries
        until a daemon answers) is taken, not refused as a report already
        made, and the report is not lost.
        """
        with self._reporting:
            with self._db.read() as session:
                job = _job(self._open_row(session, token, mac))
            for handler in self._on_report:
                handler(job, report)
            with self._db.write() as session:
                row = session.get(BootJobRow, uuid.UUID(job.id))
                if row is not None:
                    row.report = dict(report)
                    # A handler may have ended the job already (a failed deploy closes it).
                    row.finished_at = row.finished_at or self._clock()
            return job

    def expired_hosts(self, session: orm.Session, now: datetime, *, kind: str) -> list[HostRow]:
        """Hosts whose open job of ``kind`` ran out of time by ``now``, still waiting on it."""
        host_ids = session.scalars(
            sa.select(BootJobRow.host_id).where(
                BootJobRow.kind == kind, BootJobRow.finished_at.is_(None), BootJobRow.expires_at <= now
            )
        ).all()
        if not host_ids:
            return []
        return list(session.scalars(sa.select(HostRow).where(HostRow.id.in_(host_ids))))

    def stored_report(self, job_id: str) -> dict[str, Any] | None:
        with self._db.read() as session:
            row = session.get(BootJobRow, uuid.UUID(job_id))
            return None if row is None or row.report is None else dict(row.report)

    def _open_row(self, session: orm.Session, token: str, mac: str) -> BootJobRow:
        row = session.scalar(sa.select(BootJobRow).where(BootJobRow.token_digest == _digest(token)))
        if row is None:
            log.warning("boot request refused: unknown token")
            raise BootTokenRefused
        job = {"job": str(row.id), "host": str(row.host_id)}
        if row.finished_at is not None:
            log.warning("boot request refused: the job has ended", extra=job)
            raise BootTokenRefused
        if row.expires_at <= self._clock():
            log.warning("boot request refused: the token has expired", extra=job)
            raise BootTokenRefused
        if normal_mac(mac) not in row.macs:
            log.warning("boot request refused: a MAC that is not the job's node", extra=job)
            raise BootTokenRefused
        return row
