"""Repeated fields over their caps, sent to a real daemon: INVALID_ARGUMENT
(TOO_MANY_ITEMS, naming the field) before any work, and nothing stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

import pytest
from google.protobuf import field_mask_pb2

from mulligan import daemon as daemon_mod
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.client import Client
from mulligan.errors import InvalidArgument
from tests.fixtures.iam import Identity, bootstrap


@pytest.fixture
def admin(start_daemon: Callable[..., daemon_mod.Daemon]) -> Iterator[tuple[Client, Identity]]:
    daemon = start_daemon()
    identity = bootstrap(daemon)
    with Client(daemon.address, token=identity.token) as client:
        yield client, identity


def assert_capped(call: Callable[[], object], field: str, cap: int) -> None:
    with pytest.raises(InvalidArgument) as caught:
        call()
    assert caught.value.reason == "TOO_MANY_ITEMS", caught.value
    assert caught.value.metadata == {"field": field, "max_items": str(cap)}


def tags(count: int) -> list[str]:
    return [f"tag-{n}" for n in range(count)]


def test_tag_lists_over_their_caps_are_refused(admin: tuple[Client, Identity]) -> None:
    client, identity = admin
    target = meta_pb2.ObjectRef(kind="project", ref=identity.project_id)
    assert_capped(partial(client.meta.FindByTags, meta_pb2.FindByTagsRequest(tags=tags(20_000))), "tags", 100)
    assert client.meta.FindByTags(meta_pb2.FindByTagsRequest(tags=tags(100))).objects == []
    add = meta_pb2.AddTagsRequest(object=target, tags=tags(1001))
    assert_capped(partial(client.meta.AddTags, add), "tags", 1000)
    replace = meta_pb2.ReplaceTagsRequest(object=target, tags=tags(1001))
    assert_capped(partial(client.meta.ReplaceTags, replace), "tags", 1000)
    assert list(client.meta.ListTags(meta_pb2.ListTagsRequest(object=target)).tags) == []
    remove = meta_pb2.RemoveTagsRequest(object=target, tags=tags(1001))
    assert_capped(partial(client.meta.RemoveTags, remove), "tags", 1000)


def test_iam_lists_over_their_caps_are_refused(admin: tuple[Client, Identity]) -> None:
    client, identity = admin
    request = iam_pb2.CreateApplicationCredentialRequest(name="ci", roles=["reader"] * 17)
    assert_capped(partial(client.iam.CreateApplicationCredential, request), "roles", 16)
    assert [a.name for a in client.iam.ListAccounts(iam_pb2.ListAccountsRequest()).accounts] == ["admin"]
    update = iam_pb2.UpdateProjectRequest(
        project=iam_pb2.Project(id=identity.project_id, description="changed"),
        update_mask=field_mask_pb2.FieldMask(paths=["description"] * 17),
    )
    assert_capped(partial(client.iam.UpdateProject, update), "update_mask.paths", 16)
    project = client.iam.GetProject(iam_pb2.GetProjectRequest(project=identity.project_id)).project
    assert project.description != "changed"


def test_resource_lists_over_their_caps_are_refused_however_deep(admin: tuple[Client, Identity]) -> None:
    client, _ = admin
    resource = client.resource
    resource.CreateRegion(pb.CreateRegionRequest(name="default"))
    resource.CreateTrait(pb.CreateTraitRequest(code="CUSTOM_A"))
    host = pb.CreateProviderRequest(region="default", name="host-1", traits=["CUSTOM_A"])
    resource.CreateProvider(host)
    many = [f"CUSTOM_T{n}" for n in range(1001)]
    assert_capped(partial(resource.SetTraits, pb.SetTraitsRequest(provider="host-1", traits=many)), "traits", 1000)
    assert list(resource.GetProvider(pb.GetProviderRequest(provider="host-1")).provider.traits) == ["CUSTOM_A"]
    vcpu = [pb.ResourceAmount(resource_class="VCPU", amount=1)]
    cases = [
        (pb.RequestGroup(resources=vcpu, required_traits=many[:101]), "groups[1].required_traits", 100),
        (
            pb.RequestGroup(resources=vcpu, any_traits=[pb.TraitSet(traits=["CUSTOM_A"])] * 17),
            "groups[1].any_traits",
            16,
        ),
        (
            pb.RequestGroup(
                resources=vcpu, any_traits=[pb.TraitSet(traits=["CUSTOM_A"]), pb.TraitSet(traits=many[:101])]
            ),
            "groups[1].any_traits[1].traits",
            100,
        ),
        (pb.RequestGroup(resources=vcpu, member_of=["g"] * 101), "groups[1].member_of", 100),
    ]
    for group, field, cap in cases:
        groups = [pb.RequestGroup(label="a", resources=vcpu), group]
        find = pb.FindCandidatesRequest(groups=groups)
        assert_capped(partial(resource.FindCandidates, find), field, cap)
        claim = pb.ClaimBestRequest(consumer_id="6b0e3f0c-8a9c-4d4e-9e65-0a4d0f1b2c3d", project_id="p", groups=groups)
        assert_capped(partial(resource.ClaimBest, claim), field, cap)
    subtrees = [pb.SameSubtree(labels=["a", "b"])] * 17
    find = pb.FindCandidatesRequest(groups=[pb.RequestGroup(resources=vcpu)], same_subtree=subtrees)
    assert_capped(partial(resource.FindCandidates, find), "same_subtree", 16)
    assert list(resource.ListClaims(pb.ListClaimsRequest()).claims) == []
