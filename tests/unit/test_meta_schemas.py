"""Schema checks on their own: what a stored schema can still make the daemon read."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from mulligan.errors import FailedPrecondition
from mulligan.meta import schemas


class Recorder(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self) -> None:
        Recorder.paths.append(self.path)
        body = json.dumps({"const": "SECRET-FROM-THE-NETWORK"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    Recorder.paths = []
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_stored_schema_with_outside_references_resolves_nothing(web: str, tmp_path: Path) -> None:
    # Schemas stored before such references were refused still reach validation.
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"const": "SECRET-FROM-A-FILE"}))
    for schema in ({"$ref": f"{web}/schema.json"}, {"properties": {"a": {"$ref": secret.as_uri()}}}):
        with pytest.raises(FailedPrecondition) as caught:
            schemas.check_value(schema, {"a": 1}, "t/x")
        assert caught.value.reason == "SCHEMA_UNRESOLVABLE"
        assert "SECRET" not in caught.value.message
    assert Recorder.paths == []
