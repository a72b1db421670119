"""Certificates for the listener: what the operator's files must be, and how
``tls = auto`` keeps its CA and server certificate in the state dir."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from mulligan import config as config_mod
from mulligan import tls
from mulligan.errors import StartupError
from tests.fixtures.certs import Authority


def load(tmp_path: Path, **overrides: object) -> config_mod.Config:
    overrides.setdefault("state_dir", str(tmp_path / "state"))
    return config_mod.load(Path("/dev/null"), environ={}, overrides=overrides)


@pytest.fixture
def authority(tmp_path: Path) -> Authority:
    return Authority(tmp_path)


def test_plaintext_needs_no_certificate(tmp_path: Path) -> None:
    assert tls.server_tls(load(tmp_path)) is None
    assert not (tmp_path / "state" / "tls").exists()


def test_operator_files_must_be_a_matching_private_pair(tmp_path: Path, authority: Authority) -> None:
    one = authority.issue("one", server=True)
    other = authority.issue("other", server=True)
    assert tls.server_tls(load(tmp_path, tls_cert_file=str(one.cert), tls_key_file=str(one.key))) is not None
    with pytest.raises(StartupError, match=r"tls_key_file .*other-key\.pem is not the key of tls_cert_file"):
        tls.server_tls(load(tmp_path, tls_cert_file=str(one.cert), tls_key_file=str(other.key)))
    one.key.chmod(0o640)
    with pytest.raises(StartupError, match=r"one-key\.pem is readable by others \(mode 0640\): chmod 600 it$"):
        tls.server_tls(load(tmp_path, tls_cert_file=str(one.cert), tls_key_file=str(one.key)))


def test_an_encrypted_key_or_a_non_pem_file_is_named(tmp_path: Path, authority: Authority) -> None:
    issued = authority.issue("locked", server=True)
    key = serialization.load_pem_private_key(issued.key.read_bytes(), password=None)
    issued.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"a passphrase"),
        )
    )
    with pytest.raises(StartupError, match="is encrypted: give the key without a passphrase"):
        tls.server_tls(load(tmp_path, tls_cert_file=str(issued.cert), tls_key_file=str(issued.key)))
    issued.cert.write_text("not a certificate\n")
    with pytest.raises(StartupError, match=r"locked\.pem is not a PEM certificate$"):
        tls.server_tls(load(tmp_path, tls_cert_file=str(issued.cert), tls_key_file=str(issued.key)))


def test_an_expired_operator_certificate_stops_the_start(tmp_path: Path) -> None:
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=30)
    ca_key, ca_cert = tls.new_authority("old CA", now=long_ago)
    key, certificate = tls.issue(
        ca_key,
        ca_cert,
        "old",
        usages=tls.SERVER_USAGES,
        hosts=["127.0.0.1"],
        valid=datetime.timedelta(days=1),
        now=long_ago,
    )
    tls.write_certificate(tmp_path / "old.pem", certificate)
    tls.write_key(tmp_path / "old-key.pem", key)
    with pytest.raises(StartupError, match=r"old\.pem expired on \d{4}-\d\d-\d\d$"):
        tls.server_tls(
            load(tmp_path, tls_cert_file=str(tmp_path / "old.pem"), tls_key_file=str(tmp_path / "old-key.pem"))
        )


def _alt_names(path: Path) -> set[str]:
    names = (
        x509.load_pem_x509_certificate(path.read_bytes())
        .extensions.get_extension_for_class(x509.SubjectAlternativeName)
        .value
    )
    return set(names.get_values_for_type(x509.DNSName)) | {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}


def test_auto_names_the_listen_address_unless_it_is_every_address(tmp_path: Path) -> None:
    assert "0.0.0.0" not in tls.server_hosts("0.0.0.0")
    assert "::" not in tls.server_hosts("::")
    assert {"127.0.0.1", "::1", "localhost"} <= set(tls.server_hosts("0.0.0.0"))

    state = tmp_path / "state"
    tls.server_tls(load(tmp_path, listen="10.20.30.40:7411"))
    ca = (state / "tls" / "ca.pem").read_bytes()
    assert "10.20.30.40" in _alt_names(state / "tls" / "server.pem")

    # Another listen address: a new server certificate from the same CA.
    tls.server_tls(load(tmp_path, listen="mulligan.example.org:7411"))
    assert (state / "tls" / "ca.pem").read_bytes() == ca
    names = _alt_names(state / "tls" / "server.pem")
    assert "mulligan.example.org" in names and "10.20.30.40" not in names


def test_auto_refuses_a_ca_key_others_can_read(tmp_path: Path) -> None:
    tls.server_tls(load(tmp_path, tls="auto"))
    (tmp_path / "state" / "tls" / "ca-key.pem").chmod(0o644)
    with pytest.raises(StartupError, match=r"ca-key\.pem is readable by others \(mode 0644\): chmod 600 it$"):
        tls.server_tls(load(tmp_path, tls="auto"))


def test_auto_reissues_a_server_certificate_from_another_ca(tmp_path: Path, authority: Authority) -> None:
    tls.server_tls(load(tmp_path, tls="auto"))
    directory = tmp_path / "state" / "tls"
    foreign = authority.issue("foreign", server=True)
    (directory / "server.pem").write_bytes(foreign.cert.read_bytes())
    (directory / "server-key.pem").write_bytes(foreign.key.read_bytes())
    tls.server_tls(load(tmp_path, tls="auto"))
    served = x509.load_pem_x509_certificate((directory / "server.pem").read_bytes())
    served.verify_directly_issued_by(x509.load_pem_x509_certificate((directory / "ca.pem").read_bytes()))


def test_a_certificate_never_outlives_its_ca() -> None:
    ca_key, ca_cert = tls.new_authority("short CA", valid=datetime.timedelta(days=3))
    _, certificate = tls.issue(ca_key, ca_cert, "leaf", usages=tls.SERVER_USAGES, valid=datetime.timedelta(days=90))
    assert certificate.not_valid_after_utc == ca_cert.not_valid_after_utc


@pytest.mark.parametrize("endpoint", ["unix:/run/mulligan.sock", "dns:///mulligan:7411", "no-port"])
def test_endpoints_that_are_not_host_and_port_are_not_probed(endpoint: str) -> None:
    assert tls.explain_connect_failure(endpoint, None) is None
