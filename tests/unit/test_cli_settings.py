"""The CLI's config.toml: the default endpoint and TLS files per endpoint."""

from __future__ import annotations

import tomllib
from pathlib import Path

import click
import pytest

from mulligan.cli import settings
from mulligan.tls import ClientTls


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MULLIGAN_CONFIG_DIR", str(tmp_path / "cfg"))
    return tmp_path / "cfg"


def test_no_file_means_plaintext_to_the_default_endpoint(config_dir: Path) -> None:
    assert settings.default_endpoint() == "127.0.0.1:7411"
    assert settings.load().tls_for("127.0.0.1:7411") is None


def test_tables_per_endpoint_and_flags_over_them(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_text(
        '# mine\nendpoint = "m.example:7411"\n\n[endpoints."m.example:7411"]\n'
        'ca_file = "ca.pem"\ncert_file = "/keys/me.pem"\nkey_file = "/keys/me-key.pem"\n'
    )
    loaded = settings.load()
    assert settings.default_endpoint() == "m.example:7411"
    assert loaded.tls_for("m.example:7411") == ClientTls(
        config_dir / "ca.pem", Path("/keys/me.pem"), Path("/keys/me-key.pem")
    )
    assert loaded.tls_for("m.example:7411", ca_file=Path("/other/ca.pem"), cert_file=None) == ClientTls(
        Path("/other/ca.pem"), Path("/keys/me.pem"), Path("/keys/me-key.pem")
    )
    assert loaded.tls_for("elsewhere:7411") is None
    assert loaded.tls_for("elsewhere:7411", ca_file=Path("/ca.pem")) == ClientTls(Path("/ca.pem"))
    with pytest.raises(click.UsageError, match="needs both cert_file and key_file"):
        loaded.tls_for("elsewhere:7411", cert_file=Path("/me.pem"))


def test_remembering_a_ca_appends_and_keeps_what_was_there(config_dir: Path, tmp_path: Path) -> None:
    config_dir.mkdir()
    path = config_dir / "config.toml"
    path.write_text('# the operator\'s comment\nendpoint = "a:1"')
    ca = tmp_path / 'odd "name".pem'
    assert settings.remember_ca("a:1", ca) == path
    assert settings.remember_ca("a:1", tmp_path / "another.pem") is None
    text = path.read_text()
    assert text.startswith('# the operator\'s comment\nendpoint = "a:1"\n')
    assert tomllib.loads(text)["endpoints"]["a:1"] == {"ca_file": str(ca)}


def test_a_new_file_is_made_in_a_private_dir(config_dir: Path, tmp_path: Path) -> None:
    settings.remember_ca("[::1]:7411", tmp_path / "ca.pem")
    assert settings.load().tls_for("[::1]:7411") == ClientTls(tmp_path / "ca.pem")
    assert config_dir.stat().st_mode & 0o077 == 0
    assert (config_dir / "config.toml").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("endpoint = \n", "is not valid TOML"),
        ("colour = 1\n", "unknown setting colour"),
        ("endpoint = 7411\n", "endpoint must be HOST:PORT"),
        ('[endpoints."a:1"]\npassword = "x"\n', "endpoints.a:1: unknown setting password"),
        ('[endpoints."a:1"]\nca_file = 1\n', "endpoints.a:1.ca_file must be a file name"),
        ('endpoints = "a:1"\n', "endpoints must be tables"),
    ],
)
def test_a_bad_file_is_named_in_one_line(config_dir: Path, text: str, message: str) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_text(text)
    with pytest.raises(click.ClickException) as info:
        settings.load()
    assert message in info.value.message
    assert str(config_dir / "config.toml") in info.value.message
