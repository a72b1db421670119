from pathlib import Path

import pytest

from mulligan import config
from mulligan.config import ConfigError


def test_no_file_at_all_gives_working_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(config, "DEFAULT_CONFIG_FILE", tmp_path / "missing.conf")
    cfg = config.load(environ={})
    assert cfg.listen == "127.0.0.1:7411"
    assert cfg.etcd_endpoints == ()
    assert cfg.effective_database_url == f"sqlite:///{cfg.state_dir / 'mulligan.db'}"
    assert cfg.shutdown_grace_s == 30.0


def test_state_dir_default_follows_xdg_for_non_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config.os, "geteuid", lambda: 1000)
    monkeypatch.setenv("XDG_STATE_HOME", "/tmp/xdg-state")
    assert config.default_state_dir() == Path("/tmp/xdg-state/mulligan")
    monkeypatch.setattr(config.os, "geteuid", lambda: 0)
    assert config.default_state_dir() == Path("/var/lib/mulligan")


def test_file_then_environment_then_flags(tmp_path: Path) -> None:
    path = tmp_path / "m.conf"
    path.write_text('listen = "127.0.0.1:1000"\nexecutor_workers = 3\nlog_level = "debug"\n')
    cfg = config.load(
        path,
        environ={"MULLIGAN_EXECUTOR_WORKERS": "5", "MULLIGAN_LOG_LEVEL": "error"},
        overrides={"log_level": "warning"},
    )
    assert cfg.listen == "127.0.0.1:1000"
    assert cfg.executor_workers == 5
    assert cfg.log_level == "warning"


def test_environment_names_every_option() -> None:
    env = {
        "MULLIGAN_LISTEN": "127.0.0.1:9",
        "MULLIGAN_STATE_DIR": "/srv/m",
        "MULLIGAN_DATABASE_URL": "postgresql://u:p@db/m",
        "MULLIGAN_ETCD_ENDPOINTS": "http://127.0.0.1:2379, http://127.0.0.2:2379",
    }
    cfg = config.load(Path("/dev/null"), environ=env)
    assert cfg.state_dir == Path("/srv/m")
    assert cfg.database_url == "postgresql+psycopg://u:p@db/m"
    assert cfg.etcd_endpoints == ("http://127.0.0.1:2379", "http://127.0.0.2:2379")
    assert len(config.options()) <= 29


def test_config_env_var_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "m.conf"
    path.write_text("rpc_threads = 7\n")
    assert config.load(environ={"MULLIGAN_CONFIG": str(path)}).rpc_threads == 7


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n", "unknown option 'colour'"),
        ('listen = "nowhere"\n', "listen must be HOST:PORT"),
        ('listen = "127.0.0.1:\u00b2"\n', "listen must be HOST:PORT"),
        (f'listen = "127.0.0.1:{"9" * 5000}"\n', "listen must be HOST:PORT"),
        ("executor_workers = 0\n", "executor_workers must be a whole number of at least 1"),
        ('executor_workers = "many"\n', "executor_workers must be a whole number"),
        ('log_level = "loud"\n', "log_level must be one of debug, info, warning, error"),
        ('database_url = "mysql://x"\n', "database_url must start with sqlite:// or postgresql://"),
        ('etcd_endpoints = ["127.0.0.1:2379"]\n', "must start with http:// or https://"),
        ("shutdown_grace_s = -1\n", "shutdown_grace_s must be greater than 0"),
        ('etcd_ca_file = "/nonexistent/ca.pem"\n', "etcd_ca_file must be a readable file"),
        ("listen = \n", "is not valid TOML"),
        ('metrics_listen = "9464"\n', "metrics_listen must be HOST:PORT"),
    ],
)
def test_bad_file_names_the_problem_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.conf"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        config.load(path, environ={})
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="MULLIGAN_RPC_THREADS must be a whole number"):
        config.load(Path("/dev/null"), environ={"MULLIGAN_RPC_THREADS": "lots"})


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        config.load(tmp_path / "nope.conf", environ={})


def test_an_etcd_client_certificate_needs_its_key(tmp_path: Path) -> None:
    cert, key = tmp_path / "client.pem", tmp_path / "client-key.pem"
    cert.write_text("-")
    key.write_text("-")
    with pytest.raises(ConfigError, match="etcd_cert_file and etcd_key_file go together"):
        config.load(Path("/dev/null"), environ={"MULLIGAN_ETCD_CERT_FILE": str(cert)})
    both = config.load(
        Path("/dev/null"), environ={"MULLIGAN_ETCD_CERT_FILE": str(cert), "MULLIGAN_ETCD_KEY_FILE": str(key)}
    )
    assert (both.etcd_cert_file, both.etcd_key_file) == (cert, key)


def test_metrics_listen_defaults_to_loopback_and_turns_off(tmp_path: Path) -> None:
    assert config.load(Path("/dev/null"), environ={}).metrics_listen == "127.0.0.1:9464"
    for off in ("", "off", "OFF"):
        assert config.load(Path("/dev/null"), environ={"MULLIGAN_METRICS_LISTEN": off}).metrics_listen == ""
    path = tmp_path / "m.conf"
    path.write_text('metrics_listen = "[::1]:9100"\n')
    assert config.load(path, environ={}).metrics_host_port == ("::1", 9100)


def test_metrics_listen_may_face_other_machines_without_allow_plaintext() -> None:
    # It serves figures only; the API and the boot endpoint still need allow_plaintext.
    # A name is only parsed here, never resolved or bound.
    cfg = config.load(Path("/dev/null"), environ={"MULLIGAN_METRICS_LISTEN": "metrics.example:9464"})
    assert cfg.metrics_host_port == ("metrics.example", 9464)
    assert not cfg.allow_plaintext
