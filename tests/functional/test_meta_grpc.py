"""The meta API over real gRPC, through a daemon with identity enforced, and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2 as pb
from mulligan.api.resource.v1 import resource_pb2
from mulligan.cli import (
    commands,  # noqa: F401  (registers the subcommands)
    paging,
    refs,
)
from mulligan.cli.app import CliState, cli
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from mulligan.meta import Names
from tests.fixtures.iam import Identity, create_project, member


@dataclass
class World:
    daemon: Daemon
    admin: Client
    alice: Client  # member of project A
    reader: Client  # reader of project A
    bob: Client  # member of project B
    project_a: str
    project_b: str
    names: Names

    def named(self, kind: str, project: str | None, name: str) -> str:
        with self.names.reserve(kind, project, name) as reservation:
            reservation.confirm()
        return reservation.object_id


@pytest.fixture
def world(daemon: Daemon, client: Client, iam_admin: Identity) -> Iterator[World]:
    project_a, project_b = create_project(client, "team-a"), create_project(client, "team-b")
    people = [
        member(daemon, client, "alice", project_a, "member"),
        member(daemon, client, "rita", project_a, "reader"),
        member(daemon, client, "bob", project_b, "member"),
    ]
    clients = [person.client(daemon) for person in people]
    names = Names(daemon.kv)  # a second registry on the daemon's store, as another daemon would be
    try:
        yield World(daemon, client, *clients, project_a, project_b, names)
    finally:
        names.close()
        for c in clients:
            c.close()


def ref(kind: str, value: str, project: str = "") -> pb.ObjectRef:
    return pb.ObjectRef(kind=kind, ref=value, project_id=project)


def test_batched_lookups_both_ways(world: World) -> None:
    ids = [world.named("machine", world.project_a, f"m-{i:02d}") for i in range(50)]
    # 1000 references (by name, which is also the slug here, by UUID, and unknown ones) in one call.
    wanted = [(f"m-{i % 50:02d}", ids[i % 50]) for i in range(400)]
    wanted += [(ids[i % 50], ids[i % 50]) for i in range(400)]
    wanted += [(f"nope-{i}", "") for i in range(200)]
    request = pb.ResolveNamesRequest(kind="machine", refs=[r for r, _ in wanted])
    results = world.alice.meta.ResolveNames(request).results
    assert [(r.ref, r.object.object_id if r.found else "") for r in results] == wanted
    described = world.alice.meta.DescribeObjects(pb.DescribeObjectsRequest(kind="machine", object_ids=ids)).objects
    assert [(o.object_id, o.name, o.project_id) for o in described] == [
        (object_id, f"m-{i:02d}", world.project_a) for i, object_id in enumerate(ids)
    ]
    with pytest.raises(InvalidArgument) as caught:
        world.alice.meta.ResolveNames(pb.ResolveNamesRequest(kind="machine", refs=["x"] * 1001))
    assert caught.value.reason == "BATCH_TOO_LARGE"
    with pytest.raises(InvalidArgument) as caught:
        world.alice.meta.ResolveNames(pb.ResolveNamesRequest(kind="spaceship", refs=["x"]))
    assert caught.value.reason == "UNKNOWN_KIND"


def test_rename_over_grpc(world: World) -> None:
    world.named("machine", world.project_a, "one")
    world.named("machine", world.project_a, "two")
    renamed = world.alice.meta.RenameObject(pb.RenameObjectRequest(object=ref("machine", "one"), name="uno")).object
    assert (renamed.name, renamed.slug) == ("uno", "one")
    with pytest.raises(AlreadyExists) as caught:
        world.alice.meta.RenameObject(pb.RenameObjectRequest(object=ref("machine", "uno"), name="two"))
    assert caught.value.reason == "NAME_TAKEN"
    with pytest.raises(InvalidArgument) as caught:
        world.alice.meta.RenameObject(pb.RenameObjectRequest(object=ref("machine", "uno"), slug="Bad Slug"))
    assert caught.value.reason == "INVALID_SLUG"
    with pytest.raises(PermissionDenied):
        world.reader.meta.RenameObject(pb.RenameObjectRequest(object=ref("machine", "uno"), name="nope"))


def test_tenants_see_only_their_project_and_admins_see_all(world: World) -> None:
    secret = world.named("machine", world.project_a, "secret")
    world.alice.meta.AddTags(pb.AddTagsRequest(object=ref("machine", "secret"), tags=["db"]))
    bob = world.bob.meta
    for call in (
        lambda: bob.ListTags(pb.ListTagsRequest(object=ref("machine", secret))),
        lambda: bob.ListTags(pb.ListTagsRequest(object=ref("machine", "secret", world.project_a))),
        lambda: bob.AddTags(pb.AddTagsRequest(object=ref("machine", secret), tags=["mine"])),
        lambda: bob.ListValues(pb.ListValuesRequest(object=ref("machine", secret))),
    ):
        with pytest.raises(NotFound):
            call()
    assert not bob.ResolveNames(pb.ResolveNamesRequest(kind="machine", refs=["secret", secret])).results[1].found
    assert list(bob.DescribeObjects(pb.DescribeObjectsRequest(kind="machine", object_ids=[secret])).objects) == []
    assert list(bob.FindByTags(pb.FindByTagsRequest(tags=["db"])).objects) == []
    # The reader sees but may not change.
    assert list(world.reader.meta.ListTags(pb.ListTagsRequest(object=ref("machine", "secret"))).tags) == ["db"]
    with pytest.raises(PermissionDenied):
        world.reader.meta.AddTags(pb.AddTagsRequest(object=ref("machine", "secret"), tags=["x"]))
    # The system admin finds it by name across projects, and by tag.
    admin = world.admin.meta
    assert list(admin.ListTags(pb.ListTagsRequest(object=ref("machine", "secret"))).tags) == ["db"]
    found = admin.FindByTags(pb.FindByTagsRequest(tags=["db"], kind="machine")).objects
    assert [(o.object_id, o.name) for o in found] == [(secret, "secret")]


def test_names_follow_what_each_objects_own_get_shows(world: World) -> None:
    admin, alice = world.admin, world.alice
    host = world.named("host", None, "hv-secret")
    open_region = admin.resource.CreateRegion(
        resource_pb2.CreateRegionRequest(name="open", visibility=resource_pb2.VISIBILITY_PUBLIC)
    ).region.id
    ops_region = admin.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="ops")).region.id
    accounts = {a.name: a.id for a in admin.iam.ListAccounts(iam_pb2.ListAccountsRequest()).accounts}
    hidden = {
        "project": {"team-b": world.project_b},
        # bob is in team-b only, admin in the admin project only.
        "account": {"bob": accounts["bob"], "admin": accounts["admin"]},
        "host": {"hv-secret": host},
        "region": {"ops": ops_region},
    }
    shown = {
        "project": {"team-a": world.project_a},
        "account": {"alice": accounts["alice"], "rita": accounts["rita"]},
        "region": {"open": open_region},
    }
    for kind, objects in hidden.items():
        admin.meta.AddTags(pb.AddTagsRequest(object=ref(kind, next(iter(objects.values()))), tags=["marked"]))
        found = alice.meta.ResolveNames(pb.ResolveNamesRequest(kind=kind, refs=[*objects, *objects.values()])).results
        assert [r.found for r in found] == [False] * 2 * len(objects), kind
        described = alice.meta.DescribeObjects(pb.DescribeObjectsRequest(kind=kind, object_ids=list(objects.values())))
        assert list(described.objects) == [], kind
        for name in objects:
            with pytest.raises(NotFound):
                alice.meta.ListTags(pb.ListTagsRequest(object=ref(kind, objects[name])))
            with pytest.raises(NotFound):
                alice.meta.AddTags(pb.AddTagsRequest(object=ref(kind, objects[name]), tags=["mine"]))
        # The admin sees all of it.
        assert all(
            r.found for r in admin.meta.ResolveNames(pb.ResolveNamesRequest(kind=kind, refs=list(objects))).results
        )
    assert alice.meta.FindByTags(pb.FindByTagsRequest(tags=["marked"])).objects == []
    assert len(admin.meta.FindByTags(pb.FindByTagsRequest(tags=["marked"])).objects) == len(hidden)
    for kind, objects in shown.items():
        found = alice.meta.ResolveNames(pb.ResolveNamesRequest(kind=kind, refs=list(objects))).results
        assert [r.object.object_id for r in found] == list(objects.values()), kind
        described = alice.meta.DescribeObjects(pb.DescribeObjectsRequest(kind=kind, object_ids=list(objects.values())))
        assert [o.name for o in described.objects] == list(objects), kind


def test_metadefs_over_grpc(world: World) -> None:
    world.named("machine", world.project_a, "m")
    schema = {"type": "object", "properties": {"cores": {"type": "integer", "minimum": 1}}}
    admin, alice = world.admin.meta, world.alice.meta
    with pytest.raises(PermissionDenied):
        alice.CreateDefinition(
            pb.CreateDefinitionRequest(namespace="hw", name="cpu", schema_json=json.dumps(schema), system=True)
        )
    with pytest.raises(InvalidArgument) as caught:
        admin.CreateDefinition(pb.CreateDefinitionRequest(namespace="hw", name="cpu", schema_json="{nope", system=True))
    assert caught.value.reason == "INVALID_JSON"
    created = admin.CreateDefinition(
        pb.CreateDefinitionRequest(namespace="hw", name="cpu", schema_json=json.dumps(schema), system=True)
    ).definition
    assert (created.project_id, created.uses, json.loads(created.schema_json)) == ("", 0, schema)
    target = ref("machine", "m")
    with pytest.raises(InvalidArgument) as caught:
        alice.SetValue(pb.SetValueRequest(object=target, namespace="hw", name="cpu", value_json='{"cores": 0}'))
    assert caught.value.reason == "METADEF_VALUE_INVALID"
    assert caught.value.metadata["path"] == "$.cores"
    alice.SetValue(pb.SetValueRequest(object=target, namespace="hw", name="cpu", value_json='{"cores": 4}'))
    values = alice.ListValues(pb.ListValuesRequest(object=target)).values
    assert [(v.namespace, v.name, json.loads(v.value_json)) for v in values] == [("hw", "cpu", {"cores": 4})]
    with pytest.raises(FailedPrecondition) as caught:
        admin.DeleteDefinition(pb.DeleteDefinitionRequest(definition=pb.DefinitionRef(namespace="hw", name="cpu")))
    assert caught.value.reason == "METADEF_IN_USE"
    update = pb.UpdateDefinitionRequest(definition=pb.DefinitionRef(namespace="hw", name="cpu"), description="CPU")
    assert admin.UpdateDefinition(update).definition.uses == 1
    alice.UnsetValue(pb.UnsetValueRequest(object=target, namespace="hw", name="cpu"))
    admin.DeleteDefinition(pb.DeleteDefinitionRequest(definition=pb.DefinitionRef(namespace="hw", name="cpu")))
    assert list(alice.ListDefinitions(pb.ListDefinitionsRequest()).definitions) == []


def test_the_cli_refs_helper_takes_names_slugs_and_uuids(world: World) -> None:
    object_id = world.named("machine", world.project_a, "Web Front")
    assert refs.resolve(world.alice, "machine", "Web Front") == object_id
    assert refs.resolve(world.alice, "machine", "web-front") == object_id
    assert refs.resolve(world.alice, "machine", object_id.upper()) == object_id
    assert refs.resolve_many(world.alice, "machine", ["web-front", object_id]) == [object_id, object_id]
    # Names bare in the message, as the daemon gives them.
    with pytest.raises(NotFound, match=r"^machine web-front not found$"):
        refs.resolve(world.bob, "machine", "web-front")
    assert refs.names_of(world.alice, "machine", [object_id])[object_id].name == "Web Front"


def test_cli_tag_and_metadef_commands(world: World, iam_admin: Identity, monkeypatch: pytest.MonkeyPatch) -> None:
    world.named("machine", world.project_a, "web-1")
    world.named("region", None, "eu")
    monkeypatch.setattr(CliState, "token", lambda self: iam_admin.token)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--endpoint", world.daemon.address, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert run("tag", "add", "machine", "web-1", "prod", "eu").split() == ["prod", "eu"]
    assert run("tag", "set", "region", "eu", "public").split() == ["public"]
    assert json.loads(run("-o", "json", "tag", "list", "machine", "web-1")) == {"tags": ["prod", "eu"]}
    # Pages of one: the list still shows every tag, and --limit stops it.
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    assert json.loads(run("-o", "json", "tag", "list", "machine", "web-1")) == {"tags": ["prod", "eu"]}
    limited = runner.invoke(
        cli, ["--endpoint", world.daemon.address, "-o", "json", "tag", "list", "machine", "web-1", "--limit", "1"]
    )
    assert json.loads(limited.stdout) == {"tags": ["prod"]}
    assert limited.stderr.startswith("next page: --page-token ")
    found = json.loads(run("-o", "json", "tag", "find", "--any", "prod", "public"))
    assert sorted(row["name"] for row in found) == ["eu", "web-1"]
    run("metadef", "create", "ops", "rack", "--system", "--protected", "--schema", '{"type": "string"}')
    run("metadef", "set", "machine", "web-1", "ops", "rack", "r12")
    values = json.loads(run("-o", "json", "metadef", "values", "machine", "web-1"))
    assert values == [{"namespace": "ops", "name": "rack", "value": "r12", "owner": "system"}]
    listed = json.loads(run("-o", "json", "metadef", "list"))
    assert [(d["name"], d["uses"], d["protected"]) for d in listed] == [("rack", 1, True)]
    renamed = json.loads(run("-o", "json", "name", "set", "machine", "web-1", "--name", "Web 1"))
    assert (renamed["name"], renamed["slug"]) == ("Web 1", "web-1")
    resolved = json.loads(run("-o", "json", "name", "resolve", "machine", "Web 1", "web-1"))
    assert resolved[0]["id"] == resolved[1]["id"]
    bad = runner.invoke(
        cli, ["--endpoint", world.daemon.address, "metadef", "set", "machine", "web-1", "ops", "rack", "7"]
    )
    assert isinstance(bad.exception, InvalidArgument) and "$" in bad.exception.message
