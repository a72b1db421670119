"""TLS for the gRPC API, the client's side: channel credentials from a CA
file (and a client certificate), and :func:`explain_connect_failure`, which
tells a client *why* it could not connect when the two ends disagree about
TLS; gRPC itself reports all of those as "Socket closed" or a handshake code.

Apart from :mod:`mulligan.tls` so that the CLI does not load the
certificate-making library (cryptography) on every command.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

import grpc

from mulligan.errors import MulliganError, Unavailable

_PROBE_TIMEOUT_S = 3.0
_HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


@dataclass(frozen=True)
class ClientTls:
    """TLS for a client: the CA that vouches for the daemon (None: the system's),
    and a certificate and key to present to a daemon that asks for one."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    def channel_credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=self._read(self.ca_file, "ca_file"),
            private_key=self._read(self.key_file, "key_file"),
            certificate_chain=self._read(self.cert_file, "cert_file"),
        )

    @staticmethod
    def _read(path: Path | None, what: str) -> bytes | None:
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError as exc:
            raise MulliganError(f"{what} {path} cannot be read: {exc.strerror}", reason="TLS_FILE_UNREADABLE") from None


def _host_port(endpoint: str) -> tuple[str, int] | None:
    host, sep, port = endpoint.rpartition(":")
    if not sep or not host or not (port.isascii() and port.isdigit() and len(port) <= 5) or "/" in host:
        return None
    return host.strip("[]"), int(port)


def explain_connect_failure(
    endpoint: str, tls: ClientTls | None, *, timeout: float = _PROBE_TIMEOUT_S
) -> MulliganError | None:
    """Why a connection to ``endpoint`` failed, when the cause is TLS; None otherwise.

    It connects once more with Python's own TLS stack, which names what
    went wrong (no TLS, untrusted certificate, client certificate refused).
    """
    address = _host_port(endpoint)
    if address is None:
        return None
    host, port = address
    timeout = min(timeout, _PROBE_TIMEOUT_S)
    try:
        connection = socket.create_connection((host, port), timeout=timeout)
    except OSError:
        # Nothing listens there: gRPC's own message says so.
        return None
    with connection:
        try:
            if tls is None:
                return _explain_plaintext(connection, endpoint)
            return _explain_tls(connection, host, endpoint, tls)
        except OSError:
            return None


def _is_alert(exc: ssl.SSLError) -> bool:
    return "ALERT" in str(exc.reason or "").upper()


def _explain_plaintext(connection: socket.socket, endpoint: str) -> MulliganError | None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])
    try:
        with context.wrap_socket(connection):
            pass
    except ssl.SSLError as exc:
        if not _is_alert(exc):
            return None
    return Unavailable(
        f"mulligand at {endpoint} accepts TLS only and this client speaks plaintext: give the CA that signed"
        " its certificate (mulligan --ca-file FILE, MULLIGAN_CA_FILE, or ca_file in the CLI config)",
        reason="TLS_REQUIRED",
    )


def _explain_tls(connection: socket.socket, host: str, endpoint: str, tls: ClientTls) -> MulliganError | None:
    context = ssl.create_default_context(cafile=str(tls.ca_file) if tls.ca_file else None)
    if tls.cert_file and tls.key_file:
        context.load_cert_chain(tls.cert_file, tls.key_file)
    context.set_alpn_protocols(["h2"])
    trusted_by = f"ca_file {tls.ca_file}" if tls.ca_file else "the system's CAs"
    secured = context.wrap_socket(connection, server_hostname=host, do_handshake_on_connect=False)
    try:
        secured.do_handshake()
    except ssl.SSLCertVerificationError as exc:
        return Unavailable(
            f"mulligand at {endpoint} presented a certificate that {trusted_by} does not vouch for:"
            f" {exc.verify_message}",
            reason="TLS_CERTIFICATE_UNTRUSTED",
        )
    except ssl.SSLError as exc:
        if _is_alert(exc):
            return _refused(endpoint, tls)
        return Unavailable(
            f"mulligand at {endpoint} does not speak TLS: it serves plaintext,"
            " so connect without a CA or client certificate",
            reason="TLS_NOT_OFFERED",
        )
    try:
        # A daemon that checks client certificates says what it thinks of
        # ours only after the handshake (TLS 1.3): wait for its answer.
        secured.sendall(_HTTP2_PREFACE)
        answered = secured.recv(1)
    except (ssl.SSLError, ConnectionError):
        return _refused(endpoint, tls)
    except TimeoutError:
        return None
    finally:
        secured.close()
    return None if answered else _refused(endpoint, tls)


def _refused(endpoint: str, tls: ClientTls) -> MulliganError:
    if tls.cert_file is None:
        return Unavailable(
            f"mulligand at {endpoint} requires a client certificate: give one"
            " (mulligan --cert-file FILE --key-file FILE, or cert_file and key_file in the CLI config)",
            reason="TLS_CLIENT_CERTIFICATE_REQUIRED",
        )
    return Unavailable(
        f"mulligand at {endpoint} refused the client certificate {tls.cert_file}: it is not signed by a CA"
        " the daemon trusts, or has expired",
        reason="TLS_CLIENT_CERTIFICATE_REFUSED",
    )
