"""Metadef schemas and values written to hurt the daemon, over real gRPC.

Deep nesting, references to URLs and files, and patterns that backtrack
for ever: each is refused with INVALID_ARGUMENT, reads nothing from
outside, and leaves the daemon serving.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from mulligan import daemon as daemon_mod
from mulligan.api.meta.v1 import meta_pb2 as pb
from mulligan.api.meta.v1 import meta_pb2_grpc
from mulligan.client import Client
from mulligan.errors import InvalidArgument
from mulligan.rpc import error_from_rpc
from tests.fixtures.iam import Identity, bootstrap


@dataclass
class Served:
    daemon: daemon_mod.Daemon
    admin: Identity
    meta: Client

    def target(self) -> pb.ObjectRef:
        return pb.ObjectRef(kind="project", ref=self.admin.project_id)

    def define(self, name: str, schema: object) -> None:
        self.meta.meta.CreateDefinition(
            pb.CreateDefinitionRequest(namespace="t", name=name, schema_json=json.dumps(schema), system=True)
        )

    def set_value(self, name: str, value_json: str) -> pb.Value:
        request = pb.SetValueRequest(object=self.target(), namespace="t", name=name, value_json=value_json)
        value: pb.Value = self.meta.meta.SetValue(request).value
        return value

    def values(self) -> list[pb.Value]:
        return list(self.meta.meta.ListValues(pb.ListValuesRequest(object=self.target())).values)

    def definitions(self) -> list[str]:
        return [d.name for d in self.meta.meta.ListDefinitions(pb.ListDefinitionsRequest()).definitions]


@pytest.fixture
def served(start_daemon: Callable[..., daemon_mod.Daemon]) -> Iterator[Served]:
    daemon = start_daemon()
    admin = bootstrap(daemon)
    with Client(daemon.address, token=admin.token) as client:
        yield Served(daemon, admin, client)


def refused(call: Callable[[], object]) -> InvalidArgument:
    with pytest.raises(InvalidArgument) as caught:
        call()
    return caught.value


# -- nesting


def nested_arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_schema(depth: int) -> str:
    return '{"items":' * depth + "{}" + "}" * depth


@pytest.mark.parametrize("depth", [33, 500, 6000])
def test_deeply_nested_schemas_are_refused(served: Served, depth: int) -> None:
    for text in (nested_arrays(depth), nested_schema(depth)):
        request = pb.CreateDefinitionRequest(namespace="t", name="deep", schema_json=text, system=True)
        assert refused(partial(served.meta.meta.CreateDefinition, request)).reason == "JSON_TOO_DEEP"
    assert served.definitions() == []


def test_a_schema_as_deep_as_allowed_works(served: Served) -> None:
    served.meta.meta.CreateDefinition(
        pb.CreateDefinitionRequest(namespace="t", name="deep", schema_json=nested_schema(31), system=True)
    )
    served.set_value("deep", nested_arrays(31))


@pytest.mark.parametrize("depth", [33, 500, 6000])
def test_deeply_nested_values_are_refused_and_not_stored(served: Served, depth: int) -> None:
    served.define("any", {})
    for text in (nested_arrays(depth), '{"a":' * depth + "1" + "}" * depth):
        assert refused(partial(served.set_value, "any", text)).reason == "JSON_TOO_DEEP"
    assert served.values() == []


# -- references outside the schema


class Recorder(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self) -> None:
        Recorder.paths.append(self.path)
        body = json.dumps({"const": "SECRET-FROM-THE-NETWORK"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    """A web server on the loopback that records what it is asked for."""
    Recorder.paths = []
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_schemas_referring_outside_themselves_are_refused(served: Served, web: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"const": "SECRET-FROM-A-FILE"}))
    schemas = [
        {"$ref": f"{web}/schema.json"},
        {"properties": {"a": {"$ref": f"{web}/schema.json#/const"}}},
        {"$ref": secret.as_uri()},
        {"items": [{"$ref": secret.as_uri()}]},
        {"$id": f"{web}/base.json", "$ref": "other.json"},
        {"$schema": "https://json-schema.org/draft/2019-09/schema", "$recursiveRef": f"{web}/r.json"},
        {"$dynamicRef": f"{web}/d.json"},
        {"$schema": "http://json-schema.org/draft-07/schema#", "additionalItems": {"$ref": secret.as_uri()}},
    ]
    for schema in schemas:
        error = refused(partial(served.define, "remote", schema))
        assert error.reason == "SCHEMA_REF_NOT_LOCAL", schema
        assert "SECRET" not in error.message
    assert served.definitions() == []
    assert Recorder.paths == []


def test_references_inside_the_schema_still_work(served: Served) -> None:
    served.define(
        "local",
        {
            "$defs": {"count": {"type": "integer", "minimum": 1}},
            "type": "object",
            "properties": {
                "cores": {"$ref": "#/$defs/count"},
                # A property may be called "$ref", and data may hold such a key.
                "$ref": {"type": "string"},
                "fixed": {"const": {"$ref": "http://example.invalid/x"}},
            },
        },
    )
    assert refused(partial(served.set_value, "local", '{"cores": 0}')).reason == "METADEF_VALUE_INVALID"
    served.set_value("local", '{"cores": 2, "$ref": "text"}')


# -- patterns that backtrack

# Python's backtracking engine needs about 2**27 steps to fail this match.
EVIL_PATTERN = "^(a+)+$"
EVIL_TEXT = "a" * 27 + "!"


def test_a_backtracking_pattern_is_stopped_and_health_checks_keep_answering(served: Served) -> None:
    served.define("evil", {"type": "string", "pattern": EVIL_PATTERN})
    with grpc.insecure_channel(served.daemon.address) as channel:
        stub = meta_pb2_grpc.MetaServiceStub(channel)
        health = health_pb2_grpc.HealthStub(channel)
        request = pb.SetValueRequest(
            object=served.target(), namespace="t", name="evil", value_json=json.dumps(EVIL_TEXT)
        )
        pending = stub.SetValue.future(
            request, metadata=[("authorization", f"Bearer {served.admin.token}")], timeout=60
        )
        finished = threading.Event()
        pending.add_done_callback(lambda _: finished.set())
        answered_while_pending = 0
        while not pending.done():
            status = health.Check(health_pb2.HealthCheckRequest(), timeout=1).status
            assert status == health_pb2.HealthCheckResponse.SERVING
            if not pending.done():
                answered_while_pending += 1
            finished.wait(0.05)
        assert answered_while_pending > 0
        with pytest.raises(grpc.RpcError) as caught:
            pending.result()
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT  # type: ignore[attr-defined]
    assert error_from_rpc(caught.value).reason == "VALIDATION_TOO_COSTLY"
    assert served.values() == []
    # The next value is checked by a fresh worker.
    served.set_value("evil", json.dumps("aaaa"))


def test_backtracking_in_property_patterns_is_stopped(served: Served) -> None:
    served.define(
        "evil-keys", {"type": "object", "patternProperties": {EVIL_PATTERN: {}}, "additionalProperties": False}
    )
    error = refused(partial(served.set_value, "evil-keys", json.dumps({EVIL_TEXT: 1})))
    assert error.reason == "VALIDATION_TOO_COSTLY"
    assert served.values() == []


def test_schemas_that_recurse_without_end_are_refused(served: Served) -> None:
    nested_groups = "(" * 1000 + "a" + ")" * 1000
    assert refused(partial(served.define, "groups", {"pattern": nested_groups})).reason == "SCHEMA_TOO_COMPLEX"
    served.define("loop", {"$ref": "#"})
    assert refused(partial(served.set_value, "loop", "1")).reason == "SCHEMA_TOO_COMPLEX"
    assert served.definitions() == ["loop"]
    assert served.values() == []
