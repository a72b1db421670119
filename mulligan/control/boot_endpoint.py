"""The boot endpoint: a small HTTP listener for what booting nodes fetch.

Not an API: it serves a node's iPXE script (by MAC), the deploy ramdisk,
and, to the ramdisk's agent holding a boot job's token, the job's settings,
image and config drive; it takes the agent's one final report. What it
serves is named by the job, never by the request: a path in a request
selects one of a fixed set of answers.

    GET  /boot.ipxe?mac=MAC          iPXE script: the ramdisk with the job, or "exit" (boot on)
    GET  /boot.ipxe                  iPXE script asking again with the booting NIC's MAC (for a
                                     DHCP server that hands every node the same boot file name)
    GET  /ramdisk/vmlinuz            the deploy kernel      (HEAD and Range too)
    GET  /ramdisk/initrd.img         the deploy initramfs   (HEAD and Range too)
    GET  /d/TOKEN/config             the job as KEY=VALUE lines
    GET  /d/TOKEN/image              the image to write     (HEAD and Range too)
    GET  /d/TOKEN/config-drive       the config drive image
    GET  /d/TOKEN/media.iso          the ramdisk as a bootable ISO with the job's kernel command
                                     line, for a Redfish BMC's virtual CD drive (no MAC header:
                                     the BMC fetches it, not the node)
    POST /d/TOKEN/report             the final report (JSON object, at most 256 KiB)

Requests under /d/ name the node by MAC in the ``X-Mulligan-MAC`` header. A
refused token is 403 whatever the cause, and the log line never holds it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO

from mulligan.control.boot_jobs import BootJob, BootJobs, BootTokenRefused, normal_mac
from mulligan.control.boot_media import MediaUnavailable, media_iso

log = logging.getLogger("mulligan.control.boot")

RAMDISK_FILES = ("vmlinuz", "initrd.img")
MAX_REPORT_BYTES = 256 * 1024
_CHUNK = 1 << 20
_TOKEN_PATH = re.compile(r"^/d/([A-Za-z0-9_-]{1,128})/(config|image|config-drive|media.iso|report)$")
# What a Host header may hold to be written into a boot script.
_HOST_HEADER = re.compile(r"^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class BootEndpointConfig:
    listen: str
    # Where vmlinuz and initrd.img are (see docs/baremetal.md).
    ramdisk_dir: Path
    # Connections served at once; more wait in the listen queue.
    max_connections: int = 64
    # A connection idle this long is closed (a stalled client holds no thread forever).
    socket_timeout_s: float = 60.0
    # Extra kernel arguments for the ramdisk (a serial console, say).
    kernel_args: str = "console=ttyS0 console=tty0"
    # The endpoint's URL as nodes reach it, for what is not asked for over
    # HTTP (virtual media); empty: http://LISTEN.
    advertise_url: str = ""


class _Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _redacted(path: str) -> str:
    return re.sub(r"^/d/[^/]*/", "/d/-/", path)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "mulligan-boot"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.config.socket_timeout_s)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds the token: log the redacted path only.
        log.debug("boot request", extra={"peer": self.client_address[0], "detail": format % args})

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.info(
            "boot request",
            extra={
                "peer": self.client_address[0],
                "method": self.command,
                "path": _redacted(self._path()),
                "status": str(code),
            },
        )

    def _path(self) -> str:
        return urllib.parse.urlsplit(self.path).path

    # -- dispatch ----------------------------------------------------------------

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_POST(self) -> None:
        try:
            match = _TOKEN_PATH.match(self._path())
            if match is None or match.group(2) != "report":
                raise _Refused(HTTPStatus.NOT_FOUND, "not found")
            self._report(match.group(1))
        except _Refused as refused:
            self._refuse(refused)

    def _answer(self, *, head: bool) -> None:
        try:
            path = self._path()
            if path == "/boot.ipxe":
                self._plain(HTTPStatus.OK, self._script(), head=head)
                return
            if path.startswith("/ramdisk/") and path.removeprefix("/ramdisk/") in RAMDISK_FILES:
                self._file(self.server.config.ramdisk_dir / path.removeprefix("/ramdisk/"), head=head)
                return
            match = _TOKEN_PATH.match(path)
            if match is None or match.group(2) == "report":
                raise _Refused(HTTPStatus.NOT_FOUND, "not found")
            token, what = match.groups()
            if what == "media.iso":
                self._media(token, head=head)
                return
            job = self._job(token)
            if what == "config":
                self._plain(HTTPStatus.OK, self._settings(job, token), head=head)
            elif what == "image":
                if job.image_path is None:
                    raise _Refused(HTTPStatus.NOT_FOUND, "this job has no image")
                self._file(Path(job.image_path), head=head)
            else:
                drive = self.server.jobs.config_drive(token, self._mac())
                if drive is None:
                    raise _Refused(HTTPStatus.NOT_FOUND, "this job has no config drive")
                self._bytes(drive, "application/octet-stream", head=head)
        except _Refused as refused:
            self._refuse(refused, head=head)

    # -- answers -------------------------------------------------------------------

    def _mac(self) -> str:
        mac = normal_mac(self.headers.get("X-Mulligan-MAC", ""))
        if mac is None:
            raise _Refused(HTTPStatus.BAD_REQUEST, "the X-Mulligan-MAC header must name the node's MAC address")
        return mac

    def _job(self, token: str) -> BootJob:
        try:
            return self.server.jobs.open(token, self._mac())
        except BootTokenRefused:
            raise _Refused(HTTPStatus.FORBIDDEN, "forbidden") from None

    def _base(self) -> str:
        host = self.headers.get("Host", "")
        if not _HOST_HEADER.match(host):
            host = self.server.advertised
        return f"http://{host}"

    def _script(self) -> str:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if "mac" not in query:
            # iPXE fills in the MAC of the NIC it booted from.
            return f"#!ipxe\nchain {self._base()}/boot.ipxe?mac=${{mac:hexhyp}}\n"
        mac = normal_mac((query.get("mac") or [""])[0])
        if mac is None:
            raise _Refused(HTTPStatus.BAD_REQUEST, "ask for /boot.ipxe?mac=MAC")
        found = self.server.jobs.for_mac(mac)
        if found is None:
            # Nothing to do: iPXE gives the node back to its firmware, which boots on (from disk).
            return "#!ipxe\necho mulligan: no job for this node, booting on\nexit\n"
        job, token = found
        base = self._base()
        log.info("node boots into the ramdisk", extra={"host": job.host_id, "job": job.id, "kind": job.kind})
        args = f"mulligan.config={base}/d/{token}/config mulligan.mac={mac} {self.server.config.kernel_args}".strip()
        return (
            f"#!ipxe\nkernel {base}/ramdisk/vmlinuz initrd=initrd.img {args}\ninitrd {base}/ramdisk/initrd.img\nboot\n"
        )

    def _media(self, token: str, *, head: bool) -> None:
        try:
            job = self.server.jobs.open_media(token)
        except BootTokenRefused:
            raise _Refused(HTTPStatus.FORBIDDEN, "forbidden") from None
        base = self.server.config.advertise_url.rstrip("/") or f"http://{self.server.advertised}"
        mac = job.macs[0]
        args = f"mulligan.config={base}/d/{token}/config mulligan.mac={mac} {self.server.config.kernel_args}".strip()
        try:
            iso = media_iso(self.server.config.ramdisk_dir, args)
        except MediaUnavailable as exc:
            log.error("boot media unavailable", extra={"detail": str(exc)})
            raise _Refused(HTTPStatus.NOT_FOUND, "not available on this daemon") from None
        self._bytes(iso, "application/octet-stream", head=head)

    def _settings(self, job: BootJob, token: str) -> str:
        base = f"{self._base()}/d/{token}"
        lines = {"JOB": job.kind, **job.settings, "REPORT_URL": f"{base}/report"}
        if job.image_path is not None:
            lines["IMAGE_URL"] = f"{base}/image"
        if job.has_config_drive:
            lines["CONFIG_DRIVE_URL"] = f"{base}/config-drive"
        return "".join(f"{key}={value}\n" for key, value in lines.items())

    def _report(self, token: str) -> None:
        mac = self._mac()
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "a report needs a Content-Length") from None
        if not 0 <= length <= MAX_REPORT_BYTES:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a report holds at most {MAX_REPORT_BYTES} bytes")
        # Checked before the body is read: a refused token costs no upload.
        self._job(token)
        body = self.rfile.read(length)
        try:
            report = json.loads(body)
        except (ValueError, RecursionError):
            raise _Refused(HTTPStatus.BAD_REQUEST, "a report is a JSON object") from None
        if not isinstance(report, dict) or report.get("status") not in ("done", "failed"):
            raise _Refused(HTTPStatus.BAD_REQUEST, 'a report is a JSON object with "status": "done" or "failed"')
        try:
            self.server.jobs.report(token, mac, report)
        except BootTokenRefused:
            raise _Refused(HTTPStatus.FORBIDDEN, "forbidden") from None
        except Exception:
            # The job stays open until its report is applied: the agent's retry will be taken.
            log.exception("applying a boot job report failed")
            raise _Refused(
                HTTPStatus.SERVICE_UNAVAILABLE, "the report could not be applied now: send it again"
            ) from None
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _refuse(self, refused: _Refused, *, head: bool = False) -> None:
        if refused.status >= HTTPStatus.BAD_REQUEST and self.command == "POST":
            # The body was not read: the connection cannot carry another request.
            self.close_connection = True
        self._plain(refused.status, refused.message + "\n", head=head, headers=refused.headers)

    def _plain(
        self, status: HTTPStatus, text: str, *, head: bool = False, headers: dict[str, str] | None = None
    ) -> None:
        self._bytes(text.encode(), "text/plain; charset=utf-8", head=head, status=status, headers=headers)

    def _bytes(
        self,
        data: bytes,
        content_type: str,
        *,
        head: bool,
        status: HTTPStatus = HTTPStatus.OK,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _file(self, path: Path, *, head: bool) -> None:
        try:
            opened: BinaryIO = path.open("rb")
        except OSError:
            raise _Refused(HTTPStatus.NOT_FOUND, "not available on this daemon") from None
        with opened:
            size = os.fstat(opened.fileno()).st_size
            first, last = self._range(size)
            partial = (first, last) != (0, size - 1)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if partial else HTTPStatus.OK)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(max(0, last - first + 1)))
            if partial:
                self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
            self.end_headers()
            if head or last < first:
                return
            self.wfile.flush()
            # Straight from the file to the socket: memory stays flat however large the image.
            self.connection.sendfile(opened, first, last - first + 1)

    def _range(self, size: int) -> tuple[int, int]:
        """The inclusive byte range asked for (all of it without a Range header)."""
        header = self.headers.get("Range")
        if header is None:
            return 0, size - 1
        match = _RANGE.match(header.strip())
        if match is None or match.groups() == ("", ""):
            raise self._unsatisfiable(size)
        start, end = match.groups()
        if start == "":
            first, last = max(0, size - int(end)), size - 1
        else:
            first = int(start)
            last = min(int(end), size - 1) if end else size - 1
        if first >= size or first > last:
            raise self._unsatisfiable(size)
        return first, last

    def _unsatisfiable(self, size: int) -> _Refused:
        return _Refused(
            HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
            f"the range lies outside the {size} bytes",
            {"Content-Range": f"bytes */{size}"},
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Socket reuse lets a restarted daemon take its port back at once.
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], config: BootEndpointConfig, jobs: BootJobs, advertised: str) -> None:
        self.config = config
        self.jobs = jobs
        self.advertised = advertised
        self._slots = threading.BoundedSemaphore(config.max_connections)
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        # Bounded threads: past max_connections, a request waits for a slot.
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def _split(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host.strip("[]"), int(port)


class BootEndpoint:
    """The listener; ``start`` binds it, ``stop`` closes it and its connections."""

    def __init__(self, config: BootEndpointConfig, jobs: BootJobs) -> None:
        self.config = config
        self._jobs = jobs
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the boot endpoint is not started")
        return int(self._server.server_address[1])

    @property
    def address(self) -> str:
        host = _split(self.config.listen)[0]
        return f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"

    def media_url(self, token: str) -> str:
        """Where the node's BMC fetches its virtual media: this listener, or
        the advertised URL when it listens on every address."""
        host = _split(self.config.listen)[0]
        base = f"http://{self.address}"
        if host in ("", "0.0.0.0", "::") and self.config.advertise_url:  # noqa: S104 (compared, not bound)
            base = self.config.advertise_url.rstrip("/")
        return f"{base}/d/{token}/media.iso"

    def start(self) -> None:
        host, port = _split(self.config.listen)
        server = _Server((host, port), self.config, self._jobs, advertised="")
        bound = server.server_address[1]
        server.advertised = f"[{host}]:{bound}" if ":" in host else f"{host}:{bound}"
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="boot-endpoint", daemon=True)
        self._thread.start()
        log.info("boot endpoint listening", extra={"address": self.address})

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None


@contextmanager
def running(config: BootEndpointConfig, jobs: BootJobs) -> Iterator[BootEndpoint]:
    endpoint = BootEndpoint(config, jobs)
    endpoint.start()
    try:
        yield endpoint
    finally:
        endpoint.stop()
