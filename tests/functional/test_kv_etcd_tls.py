"""The etcd store over TLS, against a real etcd that checks client certificates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mulligan.daemon import Daemon
from mulligan.errors import StartupError
from mulligan.kv import EventType, open_store
from tests.fixtures.etcd import TlsEtcd

pytestmark = pytest.mark.etcd


def test_a_store_with_the_ca_and_a_client_certificate_works(etcd_tls_server: TlsEtcd) -> None:
    server = etcd_tls_server
    store = open_store((server.url,), None, ca_file=server.ca, cert_file=server.client.cert, key_file=server.client.key)
    try:
        watch = store.watch_prefix("tls/")
        revision = store.put("tls/greeting", b"hello")
        got = store.get("tls/greeting")
        assert got is not None and (got.value, got.mod_revision) == (b"hello", revision)
        # The watch has a connection of its own, with the same certificates.
        event = next(iter(watch))
        assert (event.type, event.kv.key, event.kv.value) == (EventType.PUT, "tls/greeting", b"hello")
        watch.cancel()
    finally:
        store.close()


@pytest.mark.parametrize(
    "who",
    ["no client certificate", "a certificate from another CA", "the system's CAs only"],
)
def test_etcd_turns_away_what_it_cannot_trust(etcd_tls_server: TlsEtcd, who: str) -> None:
    server = etcd_tls_server
    files: dict[str, Path | None] = {
        "no client certificate": {"ca_file": server.ca},
        "a certificate from another CA": {
            "ca_file": server.ca,
            "cert_file": server.stranger.cert,
            "key_file": server.stranger.key,
        },
        "the system's CAs only": {"cert_file": server.client.cert, "key_file": server.client.key},
    }[who]  # type: ignore[assignment]
    with pytest.raises(StartupError, match=r"cannot reach etcd at https://127\.0\.0\.1"):
        open_store((server.url,), None, **files)  # type: ignore[arg-type]


def test_the_daemon_reaches_etcd_with_its_configured_files(
    etcd_tls_server: TlsEtcd, start_daemon: Callable[..., Daemon], tmp_path: Path
) -> None:
    server = etcd_tls_server
    daemon = start_daemon(
        database_url=f"sqlite:///{tmp_path / 'tls.db'}",
        etcd_endpoints=server.url,
        etcd_ca_file=str(server.ca),
        etcd_cert_file=str(server.client.cert),
        etcd_key_file=str(server.client.key),
    )
    assert daemon.kv.revision() > 0
