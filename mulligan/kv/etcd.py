"""The key/value store backed by an etcd v3 cluster (etcd >= 3.4).

It talks to etcd's JSON gateway (``/v3/``) through etcd3gw's client, which
carries the HTTP session, the timeout and the mapping of transport errors.
Requests are built here rather than with etcd3gw's helpers: those encode str
keys as latin-1, compute prefix ends on str, and drop the revision of a put.

Watches read the gateway's stream themselves, for three reasons found with
etcd3gw 2.7's watcher: it ignores the "canceled" message etcd sends when the
start revision is compacted (the watch then hangs forever), it reports
nothing when the stream ends (etcd restarted), and stopping it closes the
connection pool of the session it shares with every other request.

Endpoints are tried in order; the first that answers is used until it fails.
A request that may have reached etcd is not sent again to another endpoint
(a txn must not be applied twice): it fails with ``Unavailable``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import queue
import re
import socket
import threading
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import etcd3gw
import requests
from etcd3gw import exceptions as etcd_errors

from mulligan.errors import (
    FailedPrecondition,
    InvalidArgument,
    MulliganError,
    NotFound,
    ResourceExhausted,
    StartupError,
    Unavailable,
)
from mulligan.kv.types import (
    Compacted,
    Compare,
    Event,
    EventType,
    KeyValue,
    Lease,
    Op,
    TxnResult,
    Watch,
    prefix_end,
)

log = logging.getLogger("mulligan.kv")

_API_PATH = "/v3/"
_TARGETS = {"value": "VALUE", "version": "VERSION", "create_revision": "CREATE", "mod_revision": "MOD"}
_RESULTS = {"==": "EQUAL", "!=": "NOT_EQUAL", "<": "LESS", ">": "GREATER"}
# gRPC status codes that etcd puts in its JSON errors.
_GRPC_INVALID_ARGUMENT = 3
_GRPC_NOT_FOUND = 5
_GRPC_RESOURCE_EXHAUSTED = 8
_GRPC_FAILED_PRECONDITION = 9
_GRPC_OUT_OF_RANGE = 11


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


def _key(key: str) -> bytes:
    if not key:
        raise InvalidArgument("a key must not be empty")
    return key.encode("utf-8")


def _prefix_range(prefix: str) -> dict[str, str]:
    start = prefix.encode("utf-8")
    end = prefix_end(start)
    # "\0" as range_end means "no upper bound"; as key, "from the first key".
    return {"key": _b64(start or b"\0"), "range_end": _b64(end or b"\0")}


def _key_value(raw: dict[str, Any]) -> KeyValue:
    # The gateway omits zero and empty fields (proto3 JSON), int64s are strings.
    return KeyValue(
        key=_unb64(raw["key"]).decode("utf-8"),
        value=_unb64(raw.get("value", "")),
        create_revision=int(raw.get("create_revision", 0)),
        mod_revision=int(raw.get("mod_revision", 0)),
        version=int(raw.get("version", 0)),
        lease=int(raw.get("lease", 0)),
    )


def _event(raw: dict[str, Any]) -> Event:
    # A put event has no "type" at all: PUT is the enum's zero value.
    if raw.get("type") == "DELETE":
        kv = raw["kv"]
        return Event(
            EventType.DELETE,
            KeyValue(
                key=_unb64(kv["key"]).decode("utf-8"),
                value=b"",
                create_revision=0,
                mod_revision=int(kv.get("mod_revision", 0)),
                version=0,
            ),
        )
    return Event(EventType.PUT, _key_value(raw["kv"]))


def _reason(exc: BaseException) -> str:
    """One short line out of a requests/etcd3gw error."""
    text = getattr(exc, "detail_text", None) or str(exc) or type(exc).__name__
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        return str(json.loads(text)["message"])
    errno = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if errno:
        return errno.group(1).strip()
    if "timed out" in text.lower():
        return "timed out"
    return text.strip().splitlines()[0][:200]


def _never_sent(exc: etcd_errors.Etcd3Exception) -> bool:
    """True when the request surely did not reach etcd (so resending is safe)."""
    text = exc.detail_text or ""
    return "NewConnectionError" in text or "Failed to establish a new connection" in text


def _domain_error(exc: etcd_errors.Etcd3Exception) -> MulliganError:
    try:
        body = json.loads(exc.detail_text or "")
        code, message = int(body.get("code", -1)), str(body.get("message", ""))
    except (ValueError, TypeError, AttributeError):
        return Unavailable(f"etcd failed: {_reason(exc)}")
    message = message.removeprefix("etcdserver: ")
    if code == _GRPC_NOT_FOUND and "lease" in message:
        return NotFound(f"lease not found: {message}", reason="KV_LEASE_NOT_FOUND")
    if code == _GRPC_NOT_FOUND:
        return NotFound(f"etcd: {message}")
    if code == _GRPC_INVALID_ARGUMENT:
        return InvalidArgument(f"etcd: {message}")
    if code in (_GRPC_FAILED_PRECONDITION, _GRPC_OUT_OF_RANGE):
        return FailedPrecondition(f"etcd: {message}")
    if code == _GRPC_RESOURCE_EXHAUSTED:
        return ResourceExhausted(f"etcd: {message}")
    return Unavailable(f"etcd failed: {message}")


def _compare(compare: Compare) -> dict[str, Any]:
    target = _TARGETS.get(compare.target)
    result = _RESULTS.get(compare.op)
    if target is None or result is None:
        raise InvalidArgument(f"unsupported compare {compare.target!r} {compare.op!r}")
    body: dict[str, Any] = {"key": _b64(_key(compare.key)), "target": target, "result": result}
    if compare.target == "value":
        if not isinstance(compare.operand, bytes):
            raise InvalidArgument(f"compare on the value of {compare.key!r} needs a bytes operand")
        body["value"] = _b64(compare.operand)
    else:
        if isinstance(compare.operand, bytes | bool) or not isinstance(compare.operand, int):
            raise InvalidArgument(f"compare on the {compare.target} of {compare.key!r} needs an int")
        body[compare.target] = compare.operand
    return body


def _request(op: Op) -> dict[str, Any]:
    key = _b64(_key(op.key))
    if op.kind == "put":
        put: dict[str, Any] = {"key": key, "value": _b64(op.value)}
        if op.lease:
            put["lease"] = op.lease
        return {"request_put": put}
    if op.kind == "delete":
        return {"request_delete_range": {"key": key}}
    if op.kind == "get":
        return {"request_range": {"key": key}}
    raise InvalidArgument(f"unknown txn operation {op.kind!r}")


@dataclass(frozen=True)
class EtcdTls:
    """Files for TLS to etcd; each None means "not used" (the CA: the system's)."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None


class EtcdStore:
    """A :class:`~mulligan.kv.types.KeyValueStore` on etcd."""

    def __init__(self, endpoints: tuple[str, ...], *, timeout: float = 5.0, tls: EtcdTls | None = None) -> None:
        if not endpoints:
            raise StartupError("no etcd endpoint is configured")
        self._endpoints = tuple(endpoints)
        self._timeout = timeout
        self._tls = tls or EtcdTls()
        if (self._tls.cert_file is None) != (self._tls.key_file is None):
            raise StartupError("a client certificate for etcd needs both its certificate and its key file")
        self._clients = [self._client(endpoint) for endpoint in self._endpoints]
        self._current = 0
        self._watches: weakref.WeakSet[_EtcdWatch] = weakref.WeakSet()
        failures = []
        for index, client in enumerate(self._clients):
            try:
                client.status()
            except (etcd_errors.Etcd3Exception, requests.RequestException) as exc:
                failures.append(f"{self._endpoints[index]}: {_reason(exc)}")
                continue
            self._current = index
            break
        else:
            for client in self._clients:
                client.session.close()
            raise StartupError(f"cannot reach etcd at {'; '.join(failures)}")

    def _client(self, endpoint: str) -> etcd3gw.Etcd3Client:
        parts = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")
        try:
            port = parts.port or 2379
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port <= 0:
            raise StartupError(f"etcd endpoint {endpoint!r} is not a URL like http://HOST:2379")
        tls = self._tls
        client = etcd3gw.Etcd3Client(
            host=parts.hostname,
            port=port,
            protocol=parts.scheme,
            ca_cert=str(tls.ca_file) if tls.ca_file else None,
            cert_cert=str(tls.cert_file) if tls.cert_file else None,
            cert_key=str(tls.key_file) if tls.key_file else None,
            timeout=self._timeout,
            api_path=_API_PATH,
        )
        if tls.ca_file:
            # Else REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE in the environment
            # would silently take the configured CA's place.
            client.session.trust_env = False
        return client

    # -- transport

    def _post(self, path: str, payload: dict[str, Any], *, resendable: bool = True) -> dict[str, Any]:
        count = len(self._clients)
        start = self._current
        failure: BaseException | None = None
        for attempt in range(count):
            index = (start + attempt) % count
            client = self._clients[index]
            try:
                result: dict[str, Any] = client.post(client.get_url(path), json=payload)
            except (etcd_errors.ConnectionFailedError, etcd_errors.ConnectionTimeoutError) as exc:
                failure = exc
                if not resendable and not _never_sent(exc):
                    # Move on for the next request, but do not risk applying this one twice.
                    self._current = (index + 1) % count
                    break
                continue
            except etcd_errors.Etcd3Exception as exc:
                raise _domain_error(exc) from None
            except requests.RequestException as exc:
                failure = exc
                continue
            self._current = index
            return result
        assert failure is not None
        raise Unavailable(f"cannot reach etcd at {', '.join(self._endpoints)}: {_reason(failure)}")

    # -- reads

    def get(self, key: str) -> KeyValue | None:
        result = self._post("/kv/range", {"key": _b64(_key(key))})
        kvs = result.get("kvs", [])
        return _key_value(kvs[0]) if kvs else None

    def range(self, prefix: str, *, limit: int = 0) -> list[KeyValue]:
        if limit < 0:
            raise InvalidArgument("limit must not be negative")
        payload: dict[str, Any] = _prefix_range(prefix)
        if limit:
            payload["limit"] = limit
        return [_key_value(raw) for raw in self._post("/kv/range", payload).get("kvs", [])]

    def revision(self) -> int:
        return int(self._post("/kv/range", {"key": _b64(b"\0")})["header"]["revision"])

    # -- writes

    def put(self, key: str, value: bytes, *, lease: int = 0) -> int:
        payload: dict[str, Any] = {"key": _b64(_key(key)), "value": _b64(value)}
        if lease:
            payload["lease"] = lease
        return int(self._post("/kv/put", payload, resendable=False)["header"]["revision"])

    def delete(self, key: str) -> bool:
        result = self._post("/kv/deleterange", {"key": _b64(_key(key))}, resendable=False)
        return int(result.get("deleted", 0)) > 0

    def delete_prefix(self, prefix: str) -> int:
        result = self._post("/kv/deleterange", _prefix_range(prefix), resendable=False)
        return int(result.get("deleted", 0))

    def txn(self, compare: Sequence[Compare], success: Sequence[Op], failure: Sequence[Op] = ()) -> TxnResult:
        payload = {
            "compare": [_compare(condition) for condition in compare],
            "success": [_request(op) for op in success],
            "failure": [_request(op) for op in failure],
        }
        result = self._post("/kv/txn", payload, resendable=False)
        succeeded = bool(result.get("succeeded", False))
        ops = success if succeeded else failure
        gets: list[KeyValue | None] = []
        for op, response in zip(ops, result.get("responses", []), strict=False):
            if op.kind == "get":
                kvs = response.get("response_range", {}).get("kvs", [])
                gets.append(_key_value(kvs[0]) if kvs else None)
        return TxnResult(succeeded=succeeded, revision=int(result["header"]["revision"]), gets=tuple(gets))

    # -- leases

    def grant_lease(self, ttl: int) -> Lease:
        if ttl <= 0:
            raise InvalidArgument("a lease TTL must be at least one second")
        # etcd raises a TTL below its minimum (2 s with default timings).
        result = self._post("/lease/grant", {"TTL": ttl, "ID": 0}, resendable=False)
        return Lease(id=int(result["ID"]), ttl=int(result["TTL"]))

    def refresh_lease(self, lease_id: int) -> None:
        result = self._post("/lease/keepalive", {"ID": lease_id})
        # An unknown or expired lease comes back without a TTL (proto3 omits 0).
        if int(result.get("result", {}).get("TTL", 0)) <= 0:
            raise NotFound(f"lease {lease_id} not found: it expired or was revoked", reason="KV_LEASE_NOT_FOUND")

    def revoke_lease(self, lease_id: int) -> None:
        # Revoking a lease that is already gone is not an error: the goal is reached.
        with contextlib.suppress(NotFound):
            self._post("/kv/lease/revoke", {"ID": lease_id})

    # -- watches and compaction

    def watch_prefix(self, prefix: str, *, start_revision: int = 0) -> Watch:
        if start_revision < 0:
            raise InvalidArgument("start_revision must not be negative")
        check_compaction = start_revision > 0
        if not check_compaction:
            # Pin "now" to a revision, so that no change made after this call
            # returns can slip by before etcd has registered the watch.
            start_revision = self.revision() + 1
        else:
            check_compaction = self._compacted(prefix, start_revision)
        count = len(self._clients)
        failure: BaseException | None = None
        for attempt in range(count):
            index = (self._current + attempt) % count
            try:
                watch = _EtcdWatch(self._clients[index], prefix, start_revision, self._timeout, check_compaction)
            except (etcd_errors.Etcd3Exception, requests.RequestException, ValueError) as exc:
                failure = exc
                continue
            self._watches.add(watch)
            return watch
        assert failure is not None
        raise Unavailable(f"cannot watch etcd at {', '.join(self._endpoints)}: {_reason(failure)}")

    def _compacted(self, prefix: str, revision: int) -> bool:
        payload: dict[str, Any] = {**_prefix_range(prefix), "revision": revision, "count_only": True}
        try:
            self._post("/kv/range", payload)
        except FailedPrecondition as exc:
            if "compacted" in exc.message:
                return True
            # "future revision": the watch simply waits for it.
        return False

    def compact(self, revision: int) -> None:
        """Drop history before revision; watches may start from it on."""
        try:
            self._post("/kv/compaction", {"revision": revision, "physical": True})
        except FailedPrecondition as exc:
            if "future revision" in exc.message:
                raise InvalidArgument(f"cannot compact at {revision}: {exc.message}") from None
            if "compacted" not in exc.message:
                raise

    def close(self) -> None:
        for watch in list(self._watches):
            watch.cancel()
        for client in self._clients:
            client.session.close()


class _EtcdWatch:
    """One gateway watch stream, read by a thread of its own into a queue."""

    def __init__(
        self,
        client: etcd3gw.Etcd3Client,
        prefix: str,
        start_revision: int,
        timeout: float,
        compacted: bool,
    ) -> None:
        self._start_revision = start_revision
        self._queue: queue.SimpleQueue[Event | MulliganError | None] = queue.SimpleQueue()
        self._cancelled = threading.Event()
        self._failure: MulliganError | None = None
        # A session of its own: ending the stream must not touch other requests.
        self._session = requests.Session()
        self._session.verify = client.session.verify
        self._session.cert = client.session.cert
        self._session.trust_env = client.session.trust_env
        request: dict[str, Any] = {"create_request": {**_prefix_range(prefix), "start_revision": start_revision}}
        try:
            self._response = self._session.post(
                client.get_url("/watch"), json=request, stream=True, timeout=(timeout, None)
            )
            if self._response.status_code != requests.codes.ok:
                raise etcd_errors.Etcd3Exception(self._response.text, self._response.reason)
            self._messages = self._read_messages()
            created = next(self._messages, None)
            if created is None or not created.get("created"):
                raise etcd_errors.Etcd3Exception(json.dumps(created), "etcd did not create the watch")
            if compacted:
                # etcd confirms with a "canceled" message carrying the compaction point.
                for message in self._messages:
                    if message.get("canceled"):
                        raise Compacted(start_revision, int(message.get("compact_revision", 0)))
                raise Compacted(start_revision, 0)
        except BaseException:
            self._session.close()
            raise
        self._reader = threading.Thread(target=self._read, name="mulligan-kv-etcd-watch", daemon=True)
        self._reader.start()

    def _read_messages(self) -> Iterator[dict[str, Any]]:
        pending = b""
        # chunk_size=None yields each chunk as it arrives; a message may span
        # chunks or share one, and the gateway ends each with a newline.
        for chunk in self._response.iter_content(chunk_size=None):
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if not line.strip():
                    continue
                message = json.loads(line)
                if "error" in message:
                    error = message["error"]
                    raise Unavailable(f"etcd ended the watch: {error.get('message', error)}")
                yield message.get("result", {})

    def _read(self) -> None:
        failure: MulliganError
        try:
            for message in self._messages:
                if message.get("canceled"):
                    compact = int(message.get("compact_revision", 0))
                    if compact:
                        failure = Compacted(self._start_revision, compact)
                    else:
                        failure = Unavailable(f"etcd canceled the watch: {message.get('cancel_reason', '')}")
                    break
                for raw in message.get("events", []):
                    self._queue.put(_event(raw))
            else:
                failure = Unavailable("etcd closed the watch stream")
        except MulliganError as exc:
            failure = exc
        except (requests.RequestException, OSError, ValueError) as exc:
            failure = Unavailable(f"etcd watch stream failed: {_reason(exc)}")
        except Exception:
            # A stream shut down under a blocked read fails with whatever the
            # HTTP stack trips over (an AttributeError inside http.client).
            if self._cancelled.is_set():
                return
            raise
        if not self._cancelled.is_set():
            self._queue.put(failure)

    def __iter__(self) -> Iterator[Event]:
        while not self._cancelled.is_set():
            if self._failure is not None:
                raise self._failure
            item = self._queue.get()
            if item is None or self._cancelled.is_set():
                return
            if isinstance(item, MulliganError):
                self._failure = item
                raise item
            yield item

    def cancel(self) -> None:
        if self._cancelled.is_set():
            return
        self._cancelled.set()
        self._queue.put(None)
        # Closing the socket from another thread does not wake a blocked read;
        # shutting it down does.
        connection = getattr(self._response.raw, "connection", None)
        sock = getattr(connection, "sock", None)
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._response.close()
        self._session.close()
