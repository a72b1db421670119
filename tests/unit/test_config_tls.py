"""The TLS options: their defaults by listen address, and plaintext refused off this machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from mulligan import config
from mulligan.config import ConfigError


def load(**overrides: object) -> config.Config:
    return config.load(Path("/dev/null"), environ={}, overrides=overrides)


@pytest.fixture
def pem(tmp_path: Path) -> str:
    # Only readability is checked when the configuration is read.
    path = tmp_path / "some.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\n")
    return str(path)


@pytest.mark.parametrize(
    ("listen", "tls"),
    [
        ("127.0.0.1:7411", "off"),
        ("127.3.4.5:7411", "off"),
        ("localhost:7411", "off"),
        ("[::1]:7411", "off"),
        ("[::ffff:127.0.0.1]:7411", "off"),
        ("0.0.0.0:7411", "auto"),
        ("[::]:7411", "auto"),
        ("10.0.0.5:7411", "auto"),
        ("mulligan.example.org:7411", "auto"),
    ],
)
def test_tls_defaults_to_auto_off_loopback(listen: str, tls: str) -> None:
    assert load(listen=listen).tls == tls


def test_given_certificate_files_mean_files_mode(pem: str) -> None:
    cfg = load(listen="0.0.0.0:7411", tls_cert_file=pem, tls_key_file=pem)
    assert cfg.tls == "files"
    assert cfg.tls_cert_file == Path(pem)


def test_explicit_choices_win_over_the_default(pem: str) -> None:
    assert load(tls="auto").tls == "auto"
    assert load(listen="0.0.0.0:7411", tls="off", allow_plaintext="true").tls == "off"
    assert load(tls="auto", tls_client_ca_file=pem).tls_client_ca_file == Path(pem)


def test_the_environment_names_the_tls_options(pem: str) -> None:
    cfg = config.load(
        Path("/dev/null"),
        environ={"MULLIGAN_TLS": "auto", "MULLIGAN_TLS_CLIENT_CA_FILE": pem, "MULLIGAN_ALLOW_PLAINTEXT": "no"},
    )
    assert (cfg.tls, cfg.tls_client_ca_file, cfg.allow_plaintext) == ("auto", Path(pem), False)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"listen": "0.0.0.0:7411", "tls": "off"}, "listen 0.0.0.0:7411 is not a loopback address and tls is off"),
        ({"listen": "10.1.2.3:7411", "tls": "off"}, "set tls = auto (or files), or allow_plaintext = true"),
        ({"tls": "loud"}, "tls must be one of off, auto, files"),
        ({"tls": "files"}, "tls = files needs tls_cert_file and tls_key_file"),
        ({"tls": "auto", "tls_cert_file": "PEM", "tls_key_file": "PEM"}, "used only with tls = files (tls is auto)"),
        ({"tls_cert_file": "PEM"}, "tls_cert_file and tls_key_file go together"),
        ({"tls_client_ca_file": "PEM"}, "tls_client_ca_file needs tls = auto or files (tls is off)"),
        ({"tls_cert_file": "/nonexistent/cert.pem"}, "tls-cert-file must be a readable file"),
        ({"allow_plaintext": "perhaps"}, "allow-plaintext must be true or false"),
        (
            {"etcd_endpoints": "https://10.0.0.5:2379,http://10.0.0.6:2379"},
            "etcd endpoint http://10.0.0.6:2379 is plaintext to another machine",
        ),
        ({"boot_listen": "0.0.0.0:8069"}, "boot_listen 0.0.0.0:8069 is not a loopback address"),
    ],
)
def test_contradictions_and_plaintext_off_this_machine_are_one_line(
    options: dict[str, str], message: str, pem: str
) -> None:
    options = {key: pem if value == "PEM" else value for key, value in options.items()}
    with pytest.raises(ConfigError) as info:
        load(**options)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_allow_plaintext_lets_the_operator_choose_plaintext_anyway() -> None:
    cfg = load(
        listen="0.0.0.0:7411",
        tls="off",
        etcd_endpoints="http://10.0.0.6:2379",
        boot_listen="10.0.0.7:8069",
        allow_plaintext=True,
    )
    assert (cfg.tls, cfg.etcd_endpoints, cfg.boot_listen) == ("off", ("http://10.0.0.6:2379",), "10.0.0.7:8069")


def test_plaintext_etcd_on_this_machine_and_tls_etcd_anywhere_need_nothing() -> None:
    cfg = load(etcd_endpoints="http://127.0.0.1:2379,http://localhost:2380,https://10.0.0.5:2379")
    assert len(cfg.etcd_endpoints) == 3


def test_a_file_that_turns_tls_off_on_a_public_address_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "m.conf"
    path.write_text('listen = "0.0.0.0:7411"\ntls = "off"\n')
    with pytest.raises(ConfigError, match="allow_plaintext"):
        config.load(path, environ={})
    path.write_text('listen = "0.0.0.0:7411"\ntls = "off"\nallow_plaintext = true\n')
    assert config.load(path, environ={}).tls == "off"
