"""API conventions over the real gRPC stack: paging of every list, page
sizes above the maximum served as the maximum, update_mask on the Update
RPCs, create_time beside control's created_at, reflection under v1 and
v1alpha with the error detail types, and RetryInfo on throttling."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, field_mask_pb2, message_factory
from google.rpc import error_details_pb2
from grpc_reflection.v1alpha import reflection_pb2 as reflection_pb
from grpc_status import rpc_status

from mulligan.api.control.v1 import control_pb2
from mulligan.api.iam.v1 import iam_pb2, iam_pb2_grpc
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import InvalidArgument
from tests.fixtures.fleet import Fleet
from tests.fixtures.iam import create_user

BUF = Path(__file__).resolve().parents[2] / "tools" / "node_modules" / ".bin" / "buf"
SERVICES = {
    "mulligan.iam.v1.IamService",
    "mulligan.meta.v1.MetaService",
    "mulligan.resource.v1.ResourceService",
    "mulligan.control.v1.ControlService",
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
}


def _all_pages(call: Callable[[str], Any], field: str) -> tuple[list[Any], int]:
    """Every item page after page, and how many pages it took."""
    items: list[Any] = []
    token, pages = "", 0
    while True:
        response = call(token)
        items.extend(getattr(response, field))
        pages += 1
        token = response.next_page_token
        if not token:
            return items, pages
        assert pages < 1000, "paging does not end"


def _mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


# --- paging ---------------------------------------------------------------------


def test_new_lists_page_through_every_item_once(client: Client) -> None:
    for name in ("r1", "r2", "r3", "r4", "r5"):
        client.resource.CreateRegion(pb.CreateRegionRequest(name=name))
    regions, pages = _all_pages(
        lambda t: client.resource.ListRegions(pb.ListRegionsRequest(page_size=2, page_token=t)), "regions"
    )
    assert [r.name for r in regions] == ["r1", "r2", "r3", "r4", "r5"] and pages == 3

    # A client that knows nothing of pages still gets every item.
    unpaged = client.resource.ListTraits(pb.ListTraitsRequest())
    whole = unpaged.traits
    assert len(whole) > 300 and not unpaged.next_page_token
    traits, pages = _all_pages(
        lambda t: client.resource.ListTraits(pb.ListTraitsRequest(page_size=50, page_token=t)), "traits"
    )
    assert [t.code for t in traits] == [t.code for t in whole] and pages == -(-len(whole) // 50)

    tags = [f"t{i:02}" for i in range(30, 0, -1)]
    ref = meta_pb2.ObjectRef(kind="region", ref="r1")
    client.meta.AddTags(meta_pb2.AddTagsRequest(object=ref, tags=tags))
    listed, pages = _all_pages(
        lambda t: client.meta.ListTags(meta_pb2.ListTagsRequest(object=ref, page_size=7, page_token=t)), "tags"
    )
    # Tags keep the order they were added in, across pages too.
    assert listed == tags and pages == 5

    for _ in range(2):
        client.iam.RotateSigningKey(iam_pb2.RotateSigningKeyRequest())
    keys, pages = _all_pages(
        lambda t: client.iam.ListSigningKeys(iam_pb2.ListSigningKeysRequest(page_size=1, page_token=t)),
        "signing_keys",
    )
    newest_first = [k.key_id for k in client.iam.ListSigningKeys(iam_pb2.ListSigningKeysRequest()).signing_keys]
    assert [k.key_id for k in keys] == newest_first and len(keys) >= 3 and pages == len(keys)

    roles, pages = _all_pages(
        lambda t: client.iam.ListRoles(iam_pb2.ListRolesRequest(page_size=1, page_token=t)), "roles"
    )
    assert [r.name for r in roles] == ["admin", "member", "reader"] and pages == 3


def test_a_page_starts_after_the_last_item_even_when_items_went(client: Client) -> None:
    for name in ("g1", "g2", "g3", "g4"):
        client.resource.CreateGroup(pb.CreateGroupRequest(name=name))
    first = client.resource.ListGroups(pb.ListGroupsRequest(page_size=2))
    assert len(first.groups) == 2 and first.next_page_token
    client.resource.DeleteGroup(pb.DeleteGroupRequest(group=first.groups[1].id))
    rest = client.resource.ListGroups(pb.ListGroupsRequest(page_size=2, page_token=first.next_page_token))
    assert {g.name for g in [*first.groups, *rest.groups]} == {"g1", "g2", "g3", "g4"}
    assert not rest.next_page_token


def test_bad_page_requests_are_invalid_arguments(client: Client) -> None:
    traits = client.resource.ListTraits(pb.ListTraitsRequest(page_size=1))
    calls: list[tuple[Callable[[], Any], str]] = [
        (lambda: client.resource.ListTraits(pb.ListTraitsRequest(page_size=-1)), "INVALID_PAGE_SIZE"),
        (lambda: client.resource.ListTraits(pb.ListTraitsRequest(page_token="not a token")), "INVALID_PAGE_TOKEN"),
        # A token of one list is refused by another.
        (
            lambda: client.resource.ListResourceClasses(
                pb.ListResourceClassesRequest(page_token=traits.next_page_token)
            ),
            "INVALID_PAGE_TOKEN",
        ),
        (
            lambda: client.meta.ListDefinitions(meta_pb2.ListDefinitionsRequest(page_token=traits.next_page_token)),
            "INVALID_PAGE_TOKEN",
        ),
    ]
    for call, reason in calls:
        with pytest.raises(InvalidArgument) as caught:
            call()
        assert caught.value.reason == reason


def test_page_sizes_above_the_maximum_are_served_as_the_maximum(client: Client) -> None:
    for index in range(3):
        create_user(client, f"user-{index}", "a-long-password")
    assert len(client.iam.ListAccounts(iam_pb2.ListAccountsRequest(page_size=100_000)).accounts) >= 4
    assert client.control.ListHosts(control_pb2.ListHostsRequest(page_size=100_000)).hosts == []
    assert client.control.ListMachines(control_pb2.ListMachinesRequest(page_size=100_000)).machines == []
    assert client.control.ListImages(control_pb2.ListImagesRequest(page_size=100_000)).images == []
    assert client.resource.ListProviders(pb.ListProvidersRequest(page_size=100_000)).providers == []
    assert client.resource.ListClaims(pb.ListClaimsRequest(page_size=100_000)).claims == []
    # More traits than the maximum page would show the cut; fewer come whole.
    whole, _ = _all_pages(
        lambda t: client.resource.ListTraits(pb.ListTraitsRequest(page_size=100, page_token=t)), "traits"
    )
    big = client.resource.ListTraits(pb.ListTraitsRequest(page_size=100_000))
    assert len(big.traits) == min(len(whole), 1000)
    assert bool(big.next_page_token) == (len(whole) > 1000)


# --- update_mask -----------------------------------------------------------------


def test_update_definition_changes_only_the_masked_fields(client: Client) -> None:
    client.meta.CreateDefinition(
        meta_pb2.CreateDefinitionRequest(
            namespace="hw", name="cpu", schema_json='{"type": "object"}', description="old", system=True
        )
    )
    ref = meta_pb2.DefinitionRef(namespace="hw", name="cpu")
    changed = client.meta.UpdateDefinition(
        meta_pb2.UpdateDefinitionRequest(
            definition=ref, schema_json='{"type": "string"}', description="new", update_mask=_mask("description")
        )
    ).definition
    assert (changed.description, changed.schema_json) == ("new", '{"type": "object"}')
    # A masked field that is not set becomes empty.
    cleared = client.meta.UpdateDefinition(
        meta_pb2.UpdateDefinitionRequest(definition=ref, update_mask=_mask("description"))
    ).definition
    assert cleared.description == ""
    # Without a mask, what is set changes, as before masks existed.
    unmasked = client.meta.UpdateDefinition(
        meta_pb2.UpdateDefinitionRequest(definition=ref, schema_json='{"type": "string"}')
    ).definition
    assert (unmasked.description, unmasked.schema_json) == ("", '{"type": "string"}')
    with pytest.raises(InvalidArgument) as caught:
        client.meta.UpdateDefinition(meta_pb2.UpdateDefinitionRequest(definition=ref, update_mask=_mask("name")))
    assert caught.value.reason == "UNKNOWN_FIELD"


def test_update_region_changes_only_the_masked_fields(client: Client) -> None:
    client.resource.CreateRegion(pb.CreateRegionRequest(name="top"))
    region = client.resource.CreateRegion(
        pb.CreateRegionRequest(name="sub", parent="top", attributes={"power": "a"})
    ).region
    changed = client.resource.UpdateRegion(
        pb.UpdateRegionRequest(
            region="sub",
            visibility=pb.VISIBILITY_PUBLIC,
            attributes={"power": "b"},
            update_attributes=True,
            make_root=True,
            update_mask=_mask("visibility"),
        )
    ).region
    assert changed.visibility == pb.VISIBILITY_PUBLIC
    assert (dict(changed.attributes), changed.parent_id) == ({"power": "a"}, region.parent_id)
    # Masked attributes are replaced even without update_attributes; an
    # empty masked parent makes the region top-level.
    changed = client.resource.UpdateRegion(
        pb.UpdateRegionRequest(region="sub", attributes={"network": "x"}, update_mask=_mask("attributes", "parent"))
    ).region
    assert (dict(changed.attributes), changed.parent_id, changed.visibility) == (
        {"network": "x"},
        "",
        pb.VISIBILITY_PUBLIC,
    )
    # Without a mask: the old flags decide.
    changed = client.resource.UpdateRegion(
        pb.UpdateRegionRequest(region="sub", parent="top", attributes={"ignored": "y"})
    ).region
    assert (dict(changed.attributes), changed.parent_id) == ({"network": "x"}, region.parent_id)
    for mask, reason in ((_mask("name"), "UNKNOWN_FIELD"), (_mask("visibility"), "INVALID_VISIBILITY")):
        with pytest.raises(InvalidArgument) as caught:
            client.resource.UpdateRegion(pb.UpdateRegionRequest(region="sub", update_mask=mask))
        assert caught.value.reason == reason


def test_update_provider_changes_only_the_masked_fields(client: Client) -> None:
    client.resource.CreateRegion(pb.CreateRegionRequest(name="here"))
    client.resource.CreateRegion(pb.CreateRegionRequest(name="there"))
    root = client.resource.CreateProvider(pb.CreateProviderRequest(region="here", name="root")).provider
    child = client.resource.CreateProvider(
        pb.CreateProviderRequest(region="here", name="child", parent="root")
    ).provider
    assert child.parent_id == root.id
    moved = client.resource.UpdateProvider(
        pb.UpdateProviderRequest(provider="root", region="there", make_root=True, update_mask=_mask("region"))
    ).provider
    assert moved.region_id != root.region_id
    kept = client.resource.UpdateProvider(
        pb.UpdateProviderRequest(provider="child", parent="root", region="here", update_mask=_mask("parent"))
    ).provider
    # Only the parent was named: the child stays in its tree's region.
    assert (kept.parent_id, kept.region_id) == (root.id, moved.region_id)
    detached = client.resource.UpdateProvider(
        pb.UpdateProviderRequest(provider="child", update_mask=_mask("parent"))
    ).provider
    assert (detached.parent_id, detached.root_id) == ("", child.id)
    for mask, reason in ((_mask("generation"), "UNKNOWN_FIELD"), (_mask("region"), "REGION_REQUIRED")):
        with pytest.raises(InvalidArgument) as caught:
            client.resource.UpdateProvider(pb.UpdateProviderRequest(provider="child", update_mask=mask))
        assert caught.value.reason == reason


# --- control timestamps --------------------------------------------------------


def test_control_objects_carry_create_time_beside_created_at(fleet: Fleet) -> None:
    control = fleet.admin.control
    host = control.GetHost(control_pb2.GetHostRequest(host=fleet.host_id)).host
    image = control.GetImage(control_pb2.GetImageRequest(image=fleet.image_id)).image
    machine = fleet.provision()
    for item in (host, image, machine):
        assert item.HasField("create_time") and item.create_time.seconds > 0
        assert item.create_time == item.created_at
    assert machine.HasField("update_time") and machine.update_time == machine.updated_at
    listed = control.ListMachines(control_pb2.ListMachinesRequest()).machines
    assert [m.create_time for m in listed] == [machine.create_time]


# --- reflection ------------------------------------------------------------------


def _reflect(channel: grpc.Channel, version: str, *requests: reflection_pb.ServerReflectionRequest) -> list[Any]:
    call = channel.stream_stream(
        f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
        request_serializer=reflection_pb.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb.ServerReflectionResponse.FromString,
    )
    return list(call(iter(requests), timeout=10))


def _files(response: Any) -> dict[str, descriptor_pb2.FileDescriptorProto]:
    found = {}
    for raw in response.file_descriptor_response.file_descriptor_proto:
        proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
        found[proto.name] = proto
    return found


@pytest.fixture
def channel(daemon: Daemon) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(daemon.address) as opened:
        yield opened


@pytest.mark.parametrize("version", ["v1", "v1alpha"])
def test_reflection_lists_services_and_resolves_error_details(channel: grpc.Channel, version: str) -> None:
    listed, error_info, resource, v1_file = _reflect(
        channel,
        version,
        reflection_pb.ServerReflectionRequest(list_services=""),
        reflection_pb.ServerReflectionRequest(file_containing_symbol="google.rpc.ErrorInfo"),
        reflection_pb.ServerReflectionRequest(file_containing_symbol="mulligan.resource.v1.ResourceService"),
        reflection_pb.ServerReflectionRequest(file_containing_symbol="grpc.reflection.v1.ServerReflection"),
    )
    assert {s.name for s in listed.list_services_response.service} == SERVICES
    assert "google/rpc/error_details.proto" in _files(error_info)
    # A service's file comes with the error detail types, so a client
    # holding only the files of the method it calls can decode errors.
    assert {"mulligan/api/resource/v1/resource.proto", "google/rpc/error_details.proto"} <= set(_files(resource))
    described = _files(v1_file)["grpc/reflection/v1/reflection.proto"]
    assert described.package == "grpc.reflection.v1"
    assert [m.input_type for m in described.service[0].method] == [".grpc.reflection.v1.ServerReflectionRequest"]


def test_an_error_detail_decodes_with_descriptors_from_reflection(daemon: Daemon, channel: grpc.Channel) -> None:
    # What a reflection client (grpcurl and the like) does: build the types
    # from the server's answers alone, then decode the status details.
    (answer,) = _reflect(
        channel, "v1", reflection_pb.ServerReflectionRequest(file_containing_symbol="mulligan.iam.v1.IamService")
    )
    pool = descriptor_pool.DescriptorPool()
    pending = dict(_files(answer))
    while pending:
        for name, proto in list(pending.items()):
            if all(dependency not in pending for dependency in proto.dependency):
                pool.Add(proto)
                del pending[name]
    stub = iam_pb2_grpc.IamServiceStub(channel)
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetAccount(iam_pb2.GetAccountRequest(account="x"), timeout=10)
    status = rpc_status.from_call(caught.value)
    assert status is not None
    detail = status.details[0]
    info_type = message_factory.GetMessageClass(pool.FindMessageTypeByName(detail.TypeName()))
    info = info_type.FromString(detail.value)
    assert (detail.TypeName(), info.domain, info.reason) == (
        "google.rpc.ErrorInfo",
        "mulligan",
        "TOKEN_MISSING",
    )


@pytest.mark.skipif(not BUF.exists(), reason="buf is installed by make lint")
@pytest.mark.parametrize("protocol", ["grpc-v1", "grpc-v1alpha"])
def test_buf_curl_lists_methods_through_either_reflection(daemon: Daemon, protocol: str) -> None:
    done = subprocess.run(
        [
            str(BUF),
            "curl",
            "--protocol",
            "grpc",
            "--http2-prior-knowledge",
            "--reflect-protocol",
            protocol,
            "--list-methods",
            f"http://{daemon.address}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    methods = set(done.stdout.split())
    assert {"mulligan.resource.v1.ResourceService/ListRegions", "mulligan.iam.v1.IamService/ListSigningKeys"} <= methods


# --- throttling --------------------------------------------------------------------


def test_throttled_sign_ins_carry_retry_info(daemon: Daemon, client: Client, channel: grpc.Channel) -> None:
    create_user(client, "hank", "hank-password")
    stub = iam_pb2_grpc.IamServiceStub(channel)

    def sign_in(password: str) -> grpc.RpcError:
        request = iam_pb2.AuthenticateRequest(password=iam_pb2.PasswordCredentials(account="hank", password=password))
        with pytest.raises(grpc.RpcError) as caught:
            stub.Authenticate(request, timeout=30)
        return caught.value

    first = sign_in("guess")
    assert first.code() == grpc.StatusCode.UNAUTHENTICATED
    first_status = rpc_status.from_call(first)
    assert first_status is not None
    assert not [d for d in first_status.details if d.Is(error_details_pb2.RetryInfo.DESCRIPTOR)]
    failure = first
    for _ in range(10):
        failure = sign_in("guess")
        if failure.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
            break
    assert failure.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    status = rpc_status.from_call(failure)
    assert status is not None
    retry = error_details_pb2.RetryInfo()
    (packed,) = [d for d in status.details if d.Is(retry.DESCRIPTOR)]
    packed.Unpack(retry)
    info = error_details_pb2.ErrorInfo()
    (packed_info,) = [d for d in status.details if d.Is(info.DESCRIPTOR)]
    packed_info.Unpack(info)
    assert info.reason == "LOGIN_THROTTLED"
    assert retry.retry_delay.seconds == int(info.metadata["retry_after_s"]) >= 1
