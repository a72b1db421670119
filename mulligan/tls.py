"""TLS for the gRPC API.

The daemon's side: certificates from the operator's files, or ("auto") a
private CA and a server certificate kept in ``<state_dir>/tls`` and made on
first start. The listener asks for its certificate again on every new
connection, so a renewed auto certificate, or files an operator replaced,
take effect without a restart.

The client's side is :mod:`mulligan.tls_client`; its names are here too.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import grpc
from cryptography import exceptions as crypto_errors
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from mulligan.config import Config
from mulligan.errors import StartupError
from mulligan.files import read_private
from mulligan.tls_client import ClientTls, explain_connect_failure

__all__ = ["ClientTls", "explain_connect_failure"]

log = logging.getLogger("mulligan.tls")

AUTO_DIR = "tls"
CA_VALIDITY = datetime.timedelta(days=3650)
SERVER_VALIDITY = datetime.timedelta(days=90)
# A renewed certificate is made this long before the old one ends, so a
# daemon restarted rarely never serves an expired one.
RENEW_BEFORE = datetime.timedelta(days=30)
# Issued certificates start a little in the past: clocks of clients differ.
_BACKDATE = datetime.timedelta(minutes=5)
# Certificates are public, but every file in the state dir is the daemon's alone.
_STATE_FILE_MODE = 0o600

Clock = Callable[[], datetime.datetime]


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


# -- making certificates (the tests' throw-away authorities use these too)


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _alt_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    start: datetime.datetime,
    end: datetime.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
    )


def new_authority(
    common_name: str, *, valid: datetime.timedelta = CA_VALIDITY, now: datetime.datetime | None = None
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A self-signed CA that may sign certificates only (path length 0)."""
    key = new_key()
    start = (now or _utcnow()) - _BACKDATE
    certificate = (
        _builder(_name(common_name), _name(common_name), key, start, start + valid)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def issue(
    ca_key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    common_name: str,
    *,
    usages: Sequence[ObjectIdentifier],
    hosts: Iterable[str] = (),
    valid: datetime.timedelta = SERVER_VALIDITY,
    now: datetime.datetime | None = None,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A certificate signed by the CA, never outliving it; ``hosts`` become its SANs."""
    key = new_key()
    start = (now or _utcnow()) - _BACKDATE
    builder = (
        _builder(_name(common_name), ca_cert.subject, key, start, min(start + valid, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage(list(usages)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    names = [_alt_name(host) for host in dict.fromkeys(hosts)]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return key, builder.sign(ca_key, hashes.SHA256())


SERVER_USAGES = (ExtendedKeyUsageOID.SERVER_AUTH,)
CLIENT_USAGES = (ExtendedKeyUsageOID.CLIENT_AUTH,)


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    # Written aside and renamed: a reader sees the old file or the new one,
    # never half of one, and a key is never readable by others in between.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write_atomically(path, pem, 0o600)


def write_certificate(path: Path, certificate: x509.Certificate, *, mode: int = 0o644) -> None:
    _write_atomically(path, certificate.public_bytes(serialization.Encoding.PEM), mode)


# -- the daemon's side


def auto_dir(state_dir: Path) -> Path:
    return state_dir / AUTO_DIR


def auto_ca_file(state_dir: Path) -> Path:
    """The CA certificate clients need to trust a daemon in ``tls = auto`` mode."""
    return auto_dir(state_dir) / "ca.pem"


def server_hosts(listen_host: str) -> list[str]:
    """The names an auto certificate covers: the listen address, loopback, this machine's name."""
    hosts = ["127.0.0.1", "::1", "localhost", socket.gethostname()]
    try:
        unspecified = ipaddress.ip_address(listen_host).is_unspecified
    except ValueError:
        unspecified = False
    if listen_host and not unspecified:
        hosts.insert(0, listen_host)
    return list(dict.fromkeys(host for host in hosts if host))


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StartupError(f"{what} {path} cannot be read: {exc.strerror}") from None


def _load_key(path: Path, what: str) -> tuple[bytes, object]:
    data = read_private(path, what)
    try:
        return data, serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise StartupError(f"{what} {path} is encrypted: give the key without a passphrase (mode 0600)") from None
    except ValueError:
        raise StartupError(f"{what} {path} is not a PEM private key") from None


def _load_certificates(path: Path, what: str) -> tuple[bytes, list[x509.Certificate]]:
    data = _read(path, what)
    try:
        return data, x509.load_pem_x509_certificates(data)
    except ValueError:
        raise StartupError(f"{what} {path} is not a PEM certificate") from None


def _same_key(certificate: x509.Certificate, key: object) -> bool:
    public = getattr(key, "public_key", None)
    if public is None:
        return False
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return bool(certificate.public_key().public_bytes(*fmt) == public().public_bytes(*fmt))


@dataclass(frozen=True)
class _Pair:
    cert: bytes
    key: bytes
    not_after: datetime.datetime


def _load_pair(cert_file: Path, key_file: Path, names: tuple[str, str]) -> _Pair:
    cert_name, key_name = names
    cert_pem, chain = _load_certificates(cert_file, cert_name)
    key_pem, key = _load_key(key_file, key_name)
    if not _same_key(chain[0], key):
        raise StartupError(f"{key_name} {key_file} is not the key of {cert_name} {cert_file}")
    return _Pair(cert_pem, key_pem, chain[0].not_valid_after_utc)


def _stamp(*paths: Path | None) -> tuple[tuple[int, int, int], ...]:
    stamps = []
    for path in paths:
        if path is None:
            continue
        try:
            info = path.stat()
        except OSError:
            stamps.append((0, 0, 0))
        else:
            stamps.append((info.st_ino, info.st_mtime_ns, info.st_size))
    return tuple(stamps)


class _AutoAuthority:
    """The private CA and the server certificate in ``<state_dir>/tls``."""

    def __init__(self, directory: Path, hosts: Sequence[str], clock: Clock) -> None:
        self.directory = directory
        self.hosts = list(hosts)
        self.clock = clock
        self.ca_file = directory / "ca.pem"
        self.ca_key_file = directory / "ca-key.pem"
        self.cert_file = directory / "server.pem"
        self.key_file = directory / "server-key.pem"
        self._renew_at: datetime.datetime | None = None

    def prepare(self) -> None:
        """Make or reuse the CA, and (re)issue the server certificate if due."""
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StartupError(f"cannot create {self.directory}: {exc.strerror}") from None
        ca_key, ca_cert = self._authority()
        now = self.clock()
        if ca_cert.not_valid_after_utc - now < RENEW_BEFORE:
            log.warning(
                "the private CA expires soon: move its directory aside and restart to make a new one,"
                " then give clients the new ca.pem",
                extra={"directory": str(self.directory), "expires": ca_cert.not_valid_after_utc.isoformat()},
            )
        if self._server_due(ca_cert, now):
            key, certificate = issue(
                ca_key, ca_cert, "mulligand", usages=SERVER_USAGES, hosts=self.hosts, valid=SERVER_VALIDITY, now=now
            )
            try:
                write_key(self.key_file, key)
                write_certificate(self.cert_file, certificate, mode=_STATE_FILE_MODE)
            except OSError as exc:
                raise StartupError(f"cannot write the server certificate in {self.directory}: {exc.strerror}") from None
            log.info(
                "issued a server certificate",
                extra={"hosts": self.hosts, "expires": certificate.not_valid_after_utc.isoformat()},
            )
            not_after = certificate.not_valid_after_utc
        else:
            not_after = x509.load_pem_x509_certificate(self.cert_file.read_bytes()).not_valid_after_utc
        # A certificate that ends with its CA cannot be renewed into a longer one.
        self._renew_at = not_after - RENEW_BEFORE if not_after < ca_cert.not_valid_after_utc else not_after

    def due(self) -> bool:
        return self._renew_at is None or self.clock() >= self._renew_at

    def _authority(self) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        if self.ca_file.exists():
            _, chain = _load_certificates(self.ca_file, "the private CA")
            _, key = _load_key(self.ca_key_file, "the private CA's key")
            if not isinstance(key, ec.EllipticCurvePrivateKey) or not _same_key(chain[0], key):
                raise StartupError(f"{self.ca_key_file} is not the key of {self.ca_file}")
            if chain[0].not_valid_after_utc <= self.clock():
                raise StartupError(
                    f"the private CA {self.ca_file} has expired: move {self.directory} aside and restart"
                    " to make a new one, then give clients the new ca.pem"
                )
            return key, chain[0]
        key, certificate = new_authority(f"mulligand CA on {socket.gethostname()}", now=self.clock())
        try:
            # The key first: a certificate on disk always has its key beside it.
            write_key(self.ca_key_file, key)
            write_certificate(self.ca_file, certificate, mode=_STATE_FILE_MODE)
        except OSError as exc:
            raise StartupError(f"cannot write the private CA in {self.directory}: {exc.strerror}") from None
        log.info("made a private CA", extra={"ca_file": str(self.ca_file)})
        return key, certificate

    def _server_due(self, ca_cert: x509.Certificate, now: datetime.datetime) -> bool:
        try:
            certificate = x509.load_pem_x509_certificate(self.cert_file.read_bytes())
            key = serialization.load_pem_private_key(self.key_file.read_bytes(), password=None)
            certificate.verify_directly_issued_by(ca_cert)
            names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except (OSError, ValueError, TypeError, x509.ExtensionNotFound, crypto_errors.InvalidSignature):
            return True
        covered = set(names.get_values_for_type(x509.DNSName))
        covered.update(str(address) for address in names.get_values_for_type(x509.IPAddress))
        wanted = {str(_alt_name(host).value) for host in self.hosts}
        ending = certificate.not_valid_after_utc
        renewable = ending - now < RENEW_BEFORE and ending < ca_cert.not_valid_after_utc
        return not _same_key(certificate, key) or not wanted <= covered or renewable


class ServerTls:
    """The listener's certificate, checked again before each new connection."""

    def __init__(
        self,
        cert_file: Path,
        key_file: Path,
        *,
        client_ca_file: Path | None = None,
        authority: _AutoAuthority | None = None,
    ) -> None:
        self.cert_file = cert_file
        self.key_file = key_file
        self.client_ca_file = client_ca_file
        self._authority = authority
        self._lock = threading.Lock()
        self._configuration = self._load()
        self._loaded = _stamp(cert_file, key_file, client_ca_file)
        self._failing = False

    def credentials(self) -> grpc.ServerCredentials:
        return grpc.dynamic_ssl_server_credentials(
            self._configuration,
            # gRPC's stubs leave out that None means "keep the current one".
            self._fetch,  # type: ignore[arg-type]
            require_client_authentication=self.client_ca_file is not None,
        )

    def _load(self) -> grpc.ServerCertificateConfiguration:
        names = ("tls_cert_file", "tls_key_file") if self._authority is None else ("the server certificate", "its key")
        pair = _load_pair(self.cert_file, self.key_file, names)
        if self._authority is None:
            left = pair.not_after - _utcnow()
            if left <= datetime.timedelta(0):
                raise StartupError(f"tls_cert_file {self.cert_file} expired on {pair.not_after:%Y-%m-%d}")
            if left < RENEW_BEFORE:
                log.warning(
                    "the server certificate expires soon: replace tls_cert_file and tls_key_file (no restart needed)",
                    extra={"cert_file": str(self.cert_file), "expires": pair.not_after.isoformat()},
                )
        client_ca = None
        if self.client_ca_file is not None:
            client_ca, _ = _load_certificates(self.client_ca_file, "tls_client_ca_file")
        return grpc.ssl_server_certificate_configuration([(pair.key, pair.cert)], root_certificates=client_ca)

    def _fetch(self) -> grpc.ServerCertificateConfiguration | None:
        """gRPC asks before each handshake; None keeps what it has."""
        with self._lock:
            try:
                if self._authority is not None and self._authority.due():
                    self._authority.prepare()
                stamp = _stamp(self.cert_file, self.key_file, self.client_ca_file)
                if stamp == self._loaded:
                    return None
                configuration = self._load()
            except Exception as exc:
                # A half-replaced pair (new certificate, old key) is common while
                # an operator copies files: keep serving the old one meanwhile.
                # Nothing may escape either: gRPC would fail the handshake.
                if not self._failing:
                    log.warning("keeping the current server certificate", extra={"problem": str(exc)})
                self._failing = True
                return None
            self._failing = False
            self._loaded = stamp
            self._configuration = configuration
            log.info("serving a new server certificate", extra={"cert_file": str(self.cert_file)})
            return configuration


def server_tls(config: Config, *, clock: Clock = _utcnow) -> ServerTls | None:
    """What the listener needs for ``config.tls``; None for plaintext. Raises StartupError."""
    if config.tls == "off":
        return None
    if config.tls == "files":
        assert config.tls_cert_file is not None and config.tls_key_file is not None
        return ServerTls(config.tls_cert_file, config.tls_key_file, client_ca_file=config.tls_client_ca_file)
    authority = _AutoAuthority(auto_dir(config.state_dir), server_hosts(config.listen_host_port[0]), clock)
    authority.prepare()
    return ServerTls(
        authority.cert_file, authority.key_file, client_ca_file=config.tls_client_ca_file, authority=authority
    )
