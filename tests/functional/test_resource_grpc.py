"""The resource service over real gRPC against the in-process daemon:
requests and responses, error statuses, and who may call what."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from google.protobuf import timestamp_pb2

from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
)
from mulligan.policy import POLICIES, READER, SYSTEM_ADMIN
from tests.fixtures.iam import Identity, create_project, member


def _stamp(moment: datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def _host(client: Client, name: str, vcpu: int = 8, **extra: object) -> pb.Provider:
    request = pb.CreateProviderRequest(
        region="default",
        name=name,
        inventories=[
            pb.InventorySpec(resource_class="VCPU", total=vcpu, allocation_ratio=2.0),
            pb.InventorySpec(resource_class="MEMORY_MB", total=16384, min_unit=512, step_size=512),
        ],
        **extra,  # type: ignore[arg-type]
    )
    return client.resource.CreateProvider(request).provider


def test_every_rpc_has_a_policy() -> None:
    service = pb.DESCRIPTOR.services_by_name["ResourceService"]
    for method in service.methods:
        assert f"/mulligan.resource.v1.ResourceService/{method.name}" in POLICIES, method.name
    assert POLICIES["/mulligan.resource.v1.ResourceService/CreateProvider"] == SYSTEM_ADMIN
    assert POLICIES["/mulligan.resource.v1.ResourceService/FindCandidates"] == READER


def test_a_region_needs_only_a_name(client: Client) -> None:
    region = client.resource.CreateRegion(pb.CreateRegionRequest(name="default")).region
    assert region.name == "default" and region.visibility == pb.VISIBILITY_INTERNAL and region.parent_id == ""
    with pytest.raises(AlreadyExists):
        client.resource.CreateRegion(pb.CreateRegionRequest(name="default"))
    child = client.resource.CreateRegion(
        pb.CreateRegionRequest(
            name="rack-row-1", parent="default", attributes={"power": "feed-a"}, visibility=pb.VISIBILITY_PUBLIC
        )
    ).region
    assert child.parent_id == region.id and dict(child.attributes) == {"power": "feed-a"}
    listed = client.resource.ListRegions(pb.ListRegionsRequest()).regions
    assert {r.name for r in listed} == {"default", "rack-row-1"}
    updated = client.resource.UpdateRegion(
        pb.UpdateRegionRequest(region="rack-row-1", update_attributes=True, attributes={"network": "spine-2"})
    ).region
    assert dict(updated.attributes) == {"network": "spine-2"} and updated.visibility == pb.VISIBILITY_PUBLIC
    with pytest.raises(InvalidArgument):
        client.resource.UpdateRegion(pb.UpdateRegionRequest(region="default", parent="rack-row-1"))
    with pytest.raises(FailedPrecondition):
        client.resource.DeleteRegion(pb.DeleteRegionRequest(region="default"))
    with pytest.raises(InvalidArgument):
        client.resource.CreateRegion(pb.CreateRegionRequest(name="x", visibility=7))  # type: ignore[arg-type]


def test_providers_inventories_and_claims_round_trip(client: Client) -> None:
    resource = client.resource
    create_project(client, "p")
    resource.CreateRegion(pb.CreateRegionRequest(name="default"))
    resource.CreateTrait(pb.CreateTraitRequest(code="CUSTOM_GPU_A"))
    host = _host(client, "host-1", traits=["CUSTOM_GPU_A"])
    vcpu = next(inv for inv in host.inventories if inv.resource_class == "VCPU")
    assert (vcpu.capacity, vcpu.max_unit, host.generation) == (16, 8, 1)
    assert list(host.traits) == ["CUSTOM_GPU_A"]
    numa = resource.CreateProvider(
        pb.CreateProviderRequest(parent="host-1", inventories=[pb.InventorySpec(resource_class="FPGA", total=1)])
    ).provider
    assert numa.root_id == host.id and numa.region_id == host.region_id and numa.name == ""
    changed = resource.SetInventories(
        pb.SetInventoriesRequest(
            provider="host-1", inventories=[pb.InventorySpec(resource_class="DISK_GB", total=500)], generation=1
        )
    ).provider
    assert changed.generation == 2 and {i.resource_class for i in changed.inventories} == {
        "VCPU",
        "MEMORY_MB",
        "DISK_GB",
    }
    with pytest.raises(Conflict):
        resource.SetTraits(pb.SetTraitsRequest(provider="host-1", traits=[], generation=1))
    with pytest.raises(InvalidArgument):
        resource.SetInventories(
            pb.SetInventoriesRequest(
                provider="host-1",
                inventories=[pb.InventorySpec(resource_class="VCPU", total=8, min_unit=4, max_unit=2)],
            )
        )
    with pytest.raises(InvalidArgument):
        resource.SetInventories(
            pb.SetInventoriesRequest(
                provider="host-1", inventories=[pb.InventorySpec(resource_class="VCPU", total=8, step_size=0)]
            )
        )

    found = resource.FindCandidates(
        pb.FindCandidatesRequest(
            groups=[
                pb.RequestGroup(
                    resources=[
                        pb.ResourceAmount(resource_class="VCPU", amount=4),
                        pb.ResourceAmount(resource_class="MEMORY_MB", amount=1024),
                    ],
                    required_traits=["CUSTOM_GPU_A"],
                )
            ]
        )
    ).candidates
    assert len(found) == 1 and found[0].plans[0].allocations[0].provider_id == host.id
    assert found[0].providers[0].root_id == host.id

    consumer = str(uuid.uuid4())
    claimed = resource.ClaimBest(
        pb.ClaimBestRequest(
            consumer_id=consumer,
            project_id="p",
            groups=[pb.RequestGroup(resources=[pb.ResourceAmount(resource_class="VCPU", amount=6)])],
        )
    ).claim
    assert claimed.consumer_id == consumer and claimed.generation == 1 and not claimed.HasField("end_time")
    end = datetime.now(UTC) + timedelta(days=1)
    extended = resource.UpdateClaimWindow(
        pb.UpdateClaimWindowRequest(consumer_id=consumer, window=pb.Window(end_time=_stamp(end)), generation=1)
    ).claim
    assert extended.end_time.ToDatetime(tzinfo=UTC) == end.replace(microsecond=end.microsecond)
    replaced = resource.ReplaceClaim(
        pb.ReplaceClaimRequest(
            consumer_id=consumer,
            allocations=[pb.Allocation(provider_id="host-1", resource_class="VCPU", amount=8)],
            generation=2,
        )
    ).claim
    assert replaced.generation == 3 and replaced.allocations[0].amount == 8
    listed = resource.ListClaims(pb.ListClaimsRequest(provider="host-1")).claims
    assert [c.consumer_id for c in listed] == [consumer]
    usage = {
        u.resource_class: (u.used, u.capacity)
        for u in resource.GetProviderUsage(pb.GetProviderUsageRequest(provider="host-1")).usages
    }
    assert usage["VCPU"] == (8, 16)
    resource.CreateClaim(
        pb.CreateClaimRequest(
            consumer_id=str(uuid.uuid4()),
            project_id="p",
            allocations=[pb.Allocation(provider_id=host.id, resource_class="VCPU", amount=8)],
        )
    )
    with pytest.raises(ResourceExhausted):
        resource.CreateClaim(
            pb.CreateClaimRequest(
                consumer_id=str(uuid.uuid4()),
                project_id="p",
                allocations=[pb.Allocation(provider_id=host.id, resource_class="VCPU", amount=1)],
            )
        )
    with pytest.raises(InvalidArgument):
        resource.CreateClaim(
            pb.CreateClaimRequest(
                consumer_id=str(uuid.uuid4()),
                project_id="p",
                allocations=[pb.Allocation(provider_id=host.id, resource_class="VCPU", amount=0)],
            )
        )
    with pytest.raises(FailedPrecondition):
        resource.DeleteProvider(pb.DeleteProviderRequest(provider="host-1"))
    for held in resource.ListClaims(pb.ListClaimsRequest(provider="host-1")).claims:
        resource.ReleaseClaim(pb.ReleaseClaimRequest(consumer_id=held.consumer_id))
    with pytest.raises(NotFound):
        resource.GetClaim(pb.GetClaimRequest(consumer_id=consumer))
    resource.DeleteProvider(pb.DeleteProviderRequest(provider=numa.id))
    resource.DeleteProvider(pb.DeleteProviderRequest(provider="host-1"))
    with pytest.raises(NotFound):
        resource.GetProvider(pb.GetProviderRequest(provider="host-1"))


def test_groups_distances_and_quotas(client: Client) -> None:
    resource = client.resource
    resource.CreateRegion(pb.CreateRegionRequest(name="default"))
    a, b = _host(client, "a"), _host(client, "b")
    group = resource.CreateGroup(pb.CreateGroupRequest(name="rack-1")).group
    assert resource.AddGroupMembers(pb.AddGroupMembersRequest(group="rack-1", providers=["a", "b"])).group.members == 2
    assert set(resource.ListGroupMembers(pb.ListGroupMembersRequest(group=group.id)).provider_ids) == {a.id, b.id}
    distance = resource.SetDistance(pb.SetDistanceRequest(provider="a", other="b", distance=3)).distance
    assert (distance.provider_id, distance.other_id, distance.distance) == (a.id, b.id, 3)
    near = resource.FindCandidates(
        pb.FindCandidatesRequest(
            groups=[
                pb.RequestGroup(
                    resources=[pb.ResourceAmount(resource_class="VCPU", amount=1)],
                    member_of=["rack-1"],
                    near=pb.Near(provider="a", max_distance=5),
                )
            ],
            rank=pb.RANK_NEAREST,
        )
    ).candidates
    assert [c.rank_key for c in near] == [0, 3]
    with pytest.raises(NotFound) as unknown:
        resource.SetQuota(pb.SetQuotaRequest(project_id="q", resource_class="VCPU", limit=2))
    assert unknown.value.reason == "PROJECT_NOT_FOUND"
    assert resource.ListQuotas(pb.ListQuotasRequest()).quotas == []
    q = create_project(client, "q")
    # A name is resolved: the quota is the project's and applies to it.
    quota = resource.SetQuota(pb.SetQuotaRequest(project_id="q", resource_class="VCPU", limit=2)).quota
    assert (quota.project_id, quota.limit) == (q, 2)
    with pytest.raises(ResourceExhausted) as over:
        resource.ClaimBest(
            pb.ClaimBestRequest(
                consumer_id=str(uuid.uuid4()),
                project_id="q",
                groups=[pb.RequestGroup(resources=[pb.ResourceAmount(resource_class="VCPU", amount=3)])],
            )
        )
    assert over.value.reason == "QUOTA_EXCEEDED"
    assert [q.resource_class for q in resource.ListQuotas(pb.ListQuotasRequest(project_id="q")).quotas] == ["VCPU"]


def test_members_claim_readers_look_and_only_admins_change_providers(
    daemon: Daemon, client: Client, iam_admin: Identity
) -> None:
    client.resource.CreateRegion(pb.CreateRegionRequest(name="default", visibility=pb.VISIBILITY_PUBLIC))
    client.resource.CreateRegion(pb.CreateRegionRequest(name="ops"))
    _host(client, "host")
    alpha = create_project(client, "alpha")
    writer = member(daemon, client, "writer", alpha, "member")
    reader = member(daemon, client, "looker", alpha, "reader")
    best = pb.ClaimBestRequest(groups=[pb.RequestGroup(resources=[pb.ResourceAmount(resource_class="VCPU", amount=1)])])
    with writer.client(daemon) as as_member:
        best.consumer_id = str(uuid.uuid4())
        claim = as_member.resource.ClaimBest(best).claim
        assert claim.project_id == alpha
        with pytest.raises(PermissionDenied):
            as_member.resource.CreateProvider(pb.CreateProviderRequest(region="default"))
        with pytest.raises(PermissionDenied):
            best.consumer_id, best.project_id = str(uuid.uuid4()), "beta"
            as_member.resource.ClaimBest(best)
        best.project_id = ""
    with reader.client(daemon) as as_reader:
        assert as_reader.resource.FindCandidates(pb.FindCandidatesRequest(groups=list(best.groups))).candidates
        assert [c.consumer_id for c in as_reader.resource.ListClaims(pb.ListClaimsRequest()).claims] == [
            claim.consumer_id
        ]
        with pytest.raises(PermissionDenied):
            best.consumer_id = str(uuid.uuid4())
            as_reader.resource.ClaimBest(best)
        with pytest.raises(PermissionDenied):
            as_reader.resource.ReleaseClaim(pb.ReleaseClaimRequest(consumer_id=claim.consumer_id))
        with pytest.raises(PermissionDenied):
            as_reader.resource.SetQuota(pb.SetQuotaRequest(project_id=alpha, resource_class="VCPU", limit=1))
        # Internal regions are the operators' business.
        assert [r.name for r in as_reader.resource.ListRegions(pb.ListRegionsRequest()).regions] == ["default"]
    # Another project's claims are invisible to a system admin's tenants, not to the admin.
    assert client.resource.GetClaim(pb.GetClaimRequest(consumer_id=claim.consumer_id)).claim.project_id == alpha


def test_what_lives_in_internal_regions_is_hidden_from_tenants(
    daemon: Daemon, client: Client, iam_admin: Identity
) -> None:
    resource = client.resource
    resource.CreateRegion(pb.CreateRegionRequest(name="open", visibility=pb.VISIBILITY_PUBLIC))
    resource.CreateRegion(pb.CreateRegionRequest(name="ops"))
    # The internal host is emptier: pack and spread alike would pick it first if they could.
    shown = resource.CreateProvider(
        pb.CreateProviderRequest(
            region="open", name="pub", inventories=[pb.InventorySpec(resource_class="VCPU", total=4)]
        )
    ).provider
    hidden = resource.CreateProvider(
        pb.CreateProviderRequest(
            region="ops", name="priv", inventories=[pb.InventorySpec(resource_class="VCPU", total=64)]
        )
    ).provider
    resource.SetDistance(pb.SetDistanceRequest(provider="pub", other="priv", distance=1))
    resource.CreateGroup(pb.CreateGroupRequest(name="rack"))
    resource.AddGroupMembers(pb.AddGroupMembersRequest(group="rack", providers=["pub", "priv"]))
    alpha = create_project(client, "alpha")
    tenant = member(daemon, client, "tim", alpha, "member")
    vcpu = [pb.RequestGroup(resources=[pb.ResourceAmount(resource_class="VCPU", amount=1)])]
    with tenant.client(daemon) as as_tenant:
        api = as_tenant.resource
        for ref in ("priv", hidden.id):
            with pytest.raises(NotFound):
                api.GetProvider(pb.GetProviderRequest(provider=ref))
        with pytest.raises(NotFound):
            api.GetProviderUsage(pb.GetProviderUsageRequest(provider=hidden.id))
        with pytest.raises(NotFound):
            api.ListDistances(pb.ListDistancesRequest(provider=hidden.id))
        with pytest.raises(NotFound):
            api.ListClaims(pb.ListClaimsRequest(provider=hidden.id))
        assert [p.id for p in api.ListProviders(pb.ListProvidersRequest()).providers] == [shown.id]
        assert list(api.ListDistances(pb.ListDistancesRequest(provider="pub")).distances) == []
        assert list(api.ListGroupMembers(pb.ListGroupMembersRequest(group="rack")).provider_ids) == [shown.id]
        for rank in (pb.RANK_PACK, pb.RANK_SPREAD):
            found = api.FindCandidates(pb.FindCandidatesRequest(groups=vcpu, rank=rank)).candidates
            assert {c.providers[0].provider_id for c in found} == {shown.id}
        with pytest.raises(NotFound):
            api.FindCandidates(
                pb.FindCandidatesRequest(
                    groups=[
                        pb.RequestGroup(
                            resources=[pb.ResourceAmount(resource_class="VCPU", amount=1)], in_tree=hidden.id
                        )
                    ]
                )
            )
        with pytest.raises(NotFound):
            api.CreateClaim(
                pb.CreateClaimRequest(
                    consumer_id=str(uuid.uuid4()),
                    allocations=[pb.Allocation(provider_id=hidden.id, resource_class="VCPU", amount=1)],
                )
            )
        # Five do not fit on the public host; the internal one is never a way out.
        with pytest.raises(ResourceExhausted):
            api.ClaimBest(
                pb.ClaimBestRequest(
                    consumer_id=str(uuid.uuid4()),
                    groups=[pb.RequestGroup(resources=[pb.ResourceAmount(resource_class="VCPU", amount=5)])],
                    rank=pb.RANK_SPREAD,
                )
            )
        best = api.ClaimBest(pb.ClaimBestRequest(consumer_id=str(uuid.uuid4()), groups=vcpu, rank=pb.RANK_SPREAD))
        assert [a.provider_id for a in best.claim.allocations] == [shown.id]
        named = as_tenant.meta.ResolveNames(meta_pb2.ResolveNamesRequest(kind="provider", refs=["priv", "pub"]))
        assert [r.found for r in named.results] == [False, True]
    assert list(resource.ListClaims(pb.ListClaimsRequest(provider=hidden.id)).claims) == []
    assert {p.id for p in resource.ListProviders(pb.ListProvidersRequest()).providers} == {shown.id, hidden.id}


def test_a_foreign_consumers_claim_is_indistinguishable_from_none(
    daemon: Daemon, client: Client, iam_admin: Identity
) -> None:
    client.resource.CreateRegion(pb.CreateRegionRequest(name="default", visibility=pb.VISIBILITY_PUBLIC))
    host = _host(client, "host")
    alpha, beta = create_project(client, "alpha"), create_project(client, "beta")
    ann = member(daemon, client, "ann", alpha, "member")
    bob = member(daemon, client, "bob", beta, "member")
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=10)
    theirs, missing = str(uuid.uuid4()), str(uuid.uuid4())

    def claim(api: Client, consumer: str, window: pb.Window | None = None) -> pb.Claim:
        allocation = pb.Allocation(provider_id=host.id, resource_class="VCPU", amount=1)
        request = pb.CreateClaimRequest(consumer_id=consumer, allocations=[allocation], window=window)
        return api.resource.CreateClaim(request).claim

    with ann.client(daemon) as as_ann:
        # A reservation: its start is what a bisection would look for.
        claim(as_ann, theirs, pb.Window(start_time=_stamp(later), end_time=_stamp(later + timedelta(hours=1))))
    with bob.client(daemon) as as_bob:
        api = as_bob.resource
        for consumer in (theirs, missing):
            outcomes = []
            for call in (
                lambda c: api.GetClaim(pb.GetClaimRequest(consumer_id=c)),
                lambda c: api.ReleaseClaim(pb.ReleaseClaimRequest(consumer_id=c)),
                # An end before the reservation's start, after now.
                lambda c: api.UpdateClaimWindow(
                    pb.UpdateClaimWindowRequest(
                        consumer_id=c, window=pb.Window(end_time=_stamp(later - timedelta(hours=5)))
                    )
                ),
                lambda c: api.ReplaceClaim(
                    pb.ReplaceClaimRequest(
                        consumer_id=c, allocations=[pb.Allocation(provider_id=host.id, resource_class="VCPU", amount=2)]
                    )
                ),
            ):
                with pytest.raises(NotFound) as caught:
                    call(consumer)
                outcomes.append(caught.value.reason)
            assert outcomes == ["CLAIM_NOT_FOUND"] * 4
        # Creating a claim for either consumer id succeeds alike: ids are per project.
        mine = claim(as_bob, theirs)
        assert (mine.consumer_id, mine.project_id) == (theirs, beta)
        assert claim(as_bob, missing).project_id == beta
        with pytest.raises(AlreadyExists):
            claim(as_bob, theirs)
        assert api.GetClaim(pb.GetClaimRequest(consumer_id=theirs)).claim.project_id == beta
        api.ReleaseClaim(pb.ReleaseClaimRequest(consumer_id=theirs))
        claim(as_bob, theirs)
    # The admin sees both and names the project to pick one.
    with pytest.raises(FailedPrecondition) as several:
        client.resource.GetClaim(pb.GetClaimRequest(consumer_id=theirs))
    assert several.value.reason == "CONSUMER_IN_SEVERAL_PROJECTS"
    listed = client.resource.ListClaims(pb.ListClaimsRequest(consumer_id=theirs)).claims
    assert sorted(c.project_id for c in listed) == sorted([alpha, beta])
    annes = client.resource.GetClaim(pb.GetClaimRequest(consumer_id=theirs, project_id="alpha")).claim
    assert annes.project_id == alpha and annes.start_time.ToDatetime(tzinfo=UTC) == later
    client.resource.ReleaseClaim(pb.ReleaseClaimRequest(consumer_id=theirs, project_id="beta"))
    assert client.resource.GetClaim(pb.GetClaimRequest(consumer_id=theirs)).claim.project_id == alpha
