"""TLS on the gRPC API: the CLI against real daemons over 127.0.0.1, in
``auto`` mode (the daemon's own CA) and with an operator's files, with and
without client certificates; and what a client that gets TLS wrong hears."""

from __future__ import annotations

import dataclasses
import datetime
import os
import socket
import ssl
import stat
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from grpc_health.v1 import health, health_pb2_grpc

from mulligan import config as config_mod
from mulligan import daemon as daemon_mod
from mulligan import tls
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import StartupError, Unavailable
from tests.fixtures.certs import Authority
from tests.fixtures.cli import Run, run_cli


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "client-config"
    monkeypatch.setenv("MULLIGAN_CONFIG_DIR", str(path))
    for name in ("MULLIGAN_TOKEN", "MULLIGAN_ADMIN_PASSWORD", "MULLIGAN_CA_FILE", "MULLIGAN_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MULLIGAN_KEY_FILE", raising=False)
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], config_dir: Path) -> Callable[..., Run]:
    def run(daemon: Daemon, *args: str) -> Run:
        return run_cli(capsys, "--endpoint", daemon.address, *args)

    return run


@pytest.fixture
def clients(tmp_path: Path) -> Authority:
    """The operator's CA for client certificates."""
    directory = tmp_path / "clients-ca"
    directory.mkdir()
    return Authority(directory, name="operators' client CA")


@pytest.fixture
def stranger(tmp_path: Path) -> Authority:
    directory = tmp_path / "stranger-ca"
    directory.mkdir()
    return Authority(directory, name="someone else's CA")


def served_certificate(address: str, ca_file: Path | None) -> x509.Certificate:
    """The certificate a new connection to address is given, verified against ca_file (None: not verified)."""
    host, _, port = address.rpartition(":")
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    if ca_file is None:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["h2"])
    with (
        socket.create_connection((host, int(port)), timeout=10) as connection,
        context.wrap_socket(connection, server_hostname=host) as secured,
    ):
        der = secured.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der)


def one_line_error(run: Run, reason: str) -> str:
    # TLS settings that disagree with the daemon's: no daemon to talk to.
    assert run.code == 3, run
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.err, run.err
    assert lines[0].startswith("error: ") and lines[0].endswith(f"({reason})"), lines[0]
    return lines[0]


# -- auto mode


def test_auto_mode_makes_a_ca_and_the_cli_bootstraps_and_works_over_tls(
    start_daemon: Callable[..., Daemon], cli: Callable[..., Run], config_dir: Path
) -> None:
    daemon = start_daemon(tls="auto")
    directory = tls.auto_dir(daemon.config.state_dir)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in directory.iterdir()}
    assert modes == {"ca.pem": 0o600, "ca-key.pem": 0o600, "server.pem": 0o600, "server-key.pem": 0o600}
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    served = served_certificate(daemon.address, directory / "ca.pem")
    names = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"localhost", socket.gethostname()} <= set(names.get_values_for_type(x509.DNSName))
    assert {"127.0.0.1", "::1"} <= {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}

    # Nothing configured yet: bootstrap finds the daemon's CA in its state
    # dir and remembers it for the endpoint.
    result = cli(daemon, "-o", "json", "bootstrap", "--state-dir", str(daemon.config.state_dir)).json()
    assert result["ca_file"] == str(directory / "ca.pem")
    saved = (config_dir / "config.toml").read_text()
    assert f'[endpoints."{daemon.address}"]' in saved and str(directory / "ca.pem") in saved

    accounts = cli(daemon, "-o", "json", "account", "list").json()
    assert [row["name"] for row in accounts] == ["admin"]
    status = cli(daemon, "-o", "json", "status").json()
    assert {row["status"] for row in status} == {"SERVING"}


def test_a_plaintext_client_is_told_the_daemon_wants_tls(
    start_daemon: Callable[..., Daemon], cli: Callable[..., Run]
) -> None:
    daemon = start_daemon(tls="auto")
    started = time.monotonic()
    run = cli(daemon, "--timeout", "20", "status")
    assert time.monotonic() - started < 10, "a plaintext client must fail fast, not wait for its deadline"
    line = one_line_error(run, "TLS_REQUIRED")
    assert "accepts TLS only" in line and "--ca-file" in line

    with Client(daemon.address) as plaintext, pytest.raises(Unavailable) as info:
        plaintext.health()
    assert info.value.reason == "TLS_REQUIRED"


def test_a_tls_client_of_a_plaintext_daemon_and_an_untrusted_certificate_are_named(
    start_daemon: Callable[..., Daemon], cli: Callable[..., Run], stranger: Authority
) -> None:
    plaintext = start_daemon()
    assert plaintext.config.tls == "off"
    assert "does not speak TLS" in one_line_error(
        cli(plaintext, "--ca-file", str(stranger.cert), "status"), "TLS_NOT_OFFERED"
    )

    daemon = start_daemon(tls="auto")
    line = one_line_error(cli(daemon, "--ca-file", str(stranger.cert), "status"), "TLS_CERTIFICATE_UNTRUSTED")
    assert str(stranger.cert) in line


def test_a_restart_reuses_the_ca_and_renews_a_server_certificate_near_its_end(
    start_daemon: Callable[..., Daemon], cli: Callable[..., Run], tmp_path: Path
) -> None:
    state_dir = tmp_path / "kept-state"
    first = start_daemon(tls="auto", state_dir=str(state_dir))
    directory = tls.auto_dir(state_dir)
    ca_pem = (directory / "ca.pem").read_bytes()
    ca_key = (directory / "ca-key.pem").read_bytes()
    server_pem = (directory / "server.pem").read_bytes()
    first.stop(0)

    second = start_daemon(tls="auto", state_dir=str(state_dir))
    assert (directory / "ca.pem").read_bytes() == ca_pem
    assert (directory / "ca-key.pem").read_bytes() == ca_key
    assert (directory / "server.pem").read_bytes() == server_pem, "a certificate far from its end is kept"
    assert cli(second, "--ca-file", str(directory / "ca.pem"), "status").code == 0
    second.stop(0)

    # A server certificate with ten days left, from the same CA.
    authority_key = serialization.load_pem_private_key(ca_key, password=None)
    assert isinstance(authority_key, ec.EllipticCurvePrivateKey)
    authority = x509.load_pem_x509_certificate(ca_pem)
    key, short = tls.issue(
        authority_key,
        authority,
        "mulligand",
        usages=tls.SERVER_USAGES,
        hosts=tls.server_hosts("127.0.0.1"),
        valid=datetime.timedelta(days=10),
    )
    tls.write_key(directory / "server-key.pem", key)
    tls.write_certificate(directory / "server.pem", short)

    third = start_daemon(tls="auto", state_dir=str(state_dir))
    assert (directory / "ca.pem").read_bytes() == ca_pem
    served = served_certificate(third.address, directory / "ca.pem")
    assert served.serial_number != short.serial_number
    assert served.not_valid_after_utc - datetime.datetime.now(datetime.UTC) > tls.RENEW_BEFORE
    assert cli(third, "--ca-file", str(directory / "ca.pem"), "status").code == 0


def test_a_running_listener_renews_its_certificate_before_it_ends(tmp_path: Path) -> None:
    now = [datetime.datetime.now(datetime.UTC)]
    config = config_mod.load(
        Path(os.devnull), environ={}, overrides={"state_dir": str(tmp_path), "listen": "127.0.0.1:0", "tls": "auto"}
    )
    transport = tls.server_tls(config, clock=lambda: now[0])
    assert transport is not None
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    port = server.add_secure_port("127.0.0.1:0", transport.credentials())
    server.start()
    try:
        ca_file = tls.auto_ca_file(tmp_path)
        before = served_certificate(f"127.0.0.1:{port}", ca_file)
        assert served_certificate(f"127.0.0.1:{port}", ca_file).serial_number == before.serial_number

        now[0] = before.not_valid_after_utc - tls.RENEW_BEFORE + datetime.timedelta(minutes=1)
        # Not verified by ssl: to the real clock, the new one starts in the future.
        after = served_certificate(f"127.0.0.1:{port}", None)
        after.verify_directly_issued_by(x509.load_pem_x509_certificate(ca_file.read_bytes()))
        assert after.serial_number != before.serial_number
        assert after.not_valid_after_utc > before.not_valid_after_utc
        assert x509.load_pem_x509_certificate((tmp_path / "tls" / "server.pem").read_bytes()) == after
    finally:
        server.stop(0)


# -- the operator's files, and client certificates


@pytest.fixture
def operator_pki(tmp_path: Path) -> Authority:
    directory = tmp_path / "operator-ca"
    directory.mkdir()
    return Authority(directory, name="operator's CA")


def test_files_mode_serves_the_operators_certificate_and_picks_up_a_replacement(
    start_daemon: Callable[..., Daemon], cli: Callable[..., Run], operator_pki: Authority
) -> None:
    issued = operator_pki.issue("mulligand", server=True)
    daemon = start_daemon(tls_cert_file=str(issued.cert), tls_key_file=str(issued.key))
    assert daemon.config.tls == "files"
    assert not tls.auto_dir(daemon.config.state_dir).exists()
    first = served_certificate(daemon.address, operator_pki.cert)
    assert cli(daemon, "--ca-file", str(operator_pki.cert), "status").code == 0

    # The operator renews the certificate: new connections get it, no
    # restart; while only the certificate is new, the old pair stays.
    renewed = operator_pki.issue("mulligand-next", server=True)
    os.replace(renewed.cert, issued.cert)
    assert served_certificate(daemon.address, operator_pki.cert).serial_number == first.serial_number
    os.replace(renewed.key, issued.key)
    second = served_certificate(daemon.address, operator_pki.cert)
    assert second.serial_number != first.serial_number
    assert second == x509.load_pem_x509_certificate(issued.cert.read_bytes())
    assert cli(daemon, "--ca-file", str(operator_pki.cert), "status").code == 0


def test_client_certificates_when_the_daemon_requires_them(
    start_daemon: Callable[..., Daemon],
    cli: Callable[..., Run],
    clients: Authority,
    stranger: Authority,
    config_dir: Path,
) -> None:
    daemon = start_daemon(tls="auto", tls_client_ca_file=str(clients.cert))
    state_dir = daemon.config.state_dir
    ca = str(tls.auto_ca_file(state_dir))
    alice = clients.issue("alice", server=False)
    mallory = stranger.issue("mallory", server=False)

    line = one_line_error(cli(daemon, "--ca-file", ca, "status"), "TLS_CLIENT_CERTIFICATE_REQUIRED")
    assert "--cert-file" in line
    one_line_error(cli(daemon, "status"), "TLS_REQUIRED")
    refused = cli(daemon, "--ca-file", ca, "--cert-file", str(mallory.cert), "--key-file", str(mallory.key), "status")
    assert str(mallory.cert) in one_line_error(refused, "TLS_CLIENT_CERTIFICATE_REFUSED")
    half = cli(daemon, "--ca-file", ca, "--cert-file", str(alice.cert), "status")
    assert half.code == 2 and "--key-file" in half.err

    # With her certificate, bootstrap adopts the daemon's CA and keeps it.
    with_cert = ("--cert-file", str(alice.cert), "--key-file", str(alice.key))
    result = cli(daemon, *with_cert, "-o", "json", "bootstrap", "--state-dir", str(state_dir)).json()
    assert result["ca_file"] == ca
    assert cli(daemon, *with_cert, "status").code == 0

    # The same from the CLI's config file alone.
    config = config_dir / "config.toml"
    config.write_text(
        f'endpoint = "{daemon.address}"\n\n[endpoints."{daemon.address}"]\n'
        f'ca_file = "{ca}"\ncert_file = "{alice.cert}"\nkey_file = "{alice.key}"\n'
    )
    assert [row["name"] for row in cli(daemon, "-o", "json", "account", "list").json()] == ["admin"]


# -- plaintext off this machine


def test_plaintext_on_a_non_loopback_address_stops_the_start_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("MULLIGAN_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MULLIGAN_TLS", "off")
    # Refused while reading the configuration, long before anything binds.
    code = daemon_mod.main(["--config", os.devnull, "--listen", "0.0.0.0:7411", "--state-dir", str(tmp_path / "s")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mulligand: listen 0.0.0.0:7411 is not a loopback address") and "allow_plaintext" in err
    assert "\n" not in err
    assert not (tmp_path / "s").exists()


def test_start_checks_transport_before_binding_for_configs_built_in_code(tmp_path: Path) -> None:
    loopback = config_mod.load(Path(os.devnull), environ={}, overrides={"state_dir": str(tmp_path / "s")})
    # A documentation address (never local): were the check missing, the
    # bind would fail with another message and nothing would be sent.
    outside = dataclasses.replace(loopback, listen="192.0.2.10:0")
    with pytest.raises(StartupError, match=r"^listen 192\.0\.2\.10:0 is not a loopback address and tls is off"):
        daemon_mod.start(outside)
    assert not (tmp_path / "s").exists()


@pytest.fixture
def no_daemon_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_a_daemon_that_is_down_is_still_reported_as_unavailable(
    capsys: pytest.CaptureFixture[str], config_dir: Path, no_daemon_port: int
) -> None:
    run = run_cli(capsys, "--endpoint", f"127.0.0.1:{no_daemon_port}", "--timeout", "5", "status")
    assert run.code == 3
    [line] = run.err.splitlines()
    assert f"no mulligand answered at 127.0.0.1:{no_daemon_port}" in line and "(UNAVAILABLE)" in line
