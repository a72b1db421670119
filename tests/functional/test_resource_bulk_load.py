"""LoadFleet over real gRPC, on SQLite and PostgreSQL: a batch stores what
the single calls would, or nothing, and names the item it refuses."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from google.protobuf import timestamp_pb2

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    MulliganError,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
)
from mulligan.rpc.requests import MAX_REQUEST_BYTES
from tests.fixtures.iam import Identity, member

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)


def _stamp(moment: datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def _window(start_h: int | None, end_h: int | None) -> pb.Window:
    return pb.Window(
        start_time=_stamp(SOON + timedelta(hours=start_h)) if start_h is not None else None,
        end_time=_stamp(SOON + timedelta(hours=end_h)) if end_h is not None else None,
    )


def _host(
    provider_id: str, *, vcpu: int = 8, groups: tuple[str, ...] = (), region: str = "default", **extra: object
) -> pb.FleetProvider:
    return pb.FleetProvider(
        id=provider_id,
        region=region,
        inventories=[
            pb.InventorySpec(resource_class="VCPU", total=vcpu),
            pb.InventorySpec(resource_class="MEMORY_MB", total=16384, min_unit=512, step_size=512),
        ],
        groups=list(groups),
        **extra,  # type: ignore[arg-type]
    )


def _claim(
    provider: str, project: str, vcpu: int, memory: int = 0, window: pb.Window | None = None, consumer: str = ""
) -> pb.FleetClaim:
    allocations = [pb.Allocation(provider_id=provider, resource_class="VCPU", amount=vcpu)]
    if memory:
        allocations.append(pb.Allocation(provider_id=provider, resource_class="MEMORY_MB", amount=memory))
    return pb.FleetClaim(
        consumer_id=consumer or str(uuid.uuid4()), project_id=project, allocations=allocations, window=window
    )


def _fleet(project: str, ids: list[str]) -> pb.LoadFleetRequest:
    """Four hosts (one a child of another, named by name) and claims of every
    kind, two of the hosts filled so that only the windows make them fit."""
    a, b, c, d = ids
    return pb.LoadFleetRequest(
        providers=[
            _host(a, groups=("rack",), traits=["HW_CPU_X86_AVX2"]),
            _host(b, name=f"host-{b[:8]}"),
            _host(c, vcpu=4),
            pb.FleetProvider(
                id=d,
                parent=f"host-{b[:8]}",
                inventories=[pb.InventorySpec(resource_class="DISK_GB", total=100)],
            ),
        ],
        claims=[
            _claim(a, project, 4, 2048),
            _claim(a, project, 4, window=_window(1, 2)),
            _claim(a, project, 4, window=_window(3, 4)),
            _claim(a, project, 2, 512, window=_window(None, 1)),
            _claim(b, project, 1, 1024),
            _claim(c, project, 4, window=_window(0, 8)),
            _claim(c, project, 4, window=_window(8, None)),
            pb.FleetClaim(
                consumer_id=str(uuid.uuid4()),
                project_id=project,
                allocations=[pb.Allocation(provider_id=d, resource_class="DISK_GB", amount=40)],
            ),
        ],
    )


def _one_by_one(client: Client, request: pb.LoadFleetRequest) -> None:
    for provider in request.providers:
        client.resource.CreateProvider(
            pb.CreateProviderRequest(
                id=provider.id,
                name=provider.name,
                region=provider.region,
                parent=provider.parent,
                inventories=provider.inventories,
                traits=provider.traits,
                groups=provider.groups,
            )
        )
    for claim in request.claims:
        client.resource.CreateClaim(
            pb.CreateClaimRequest(
                consumer_id=claim.consumer_id,
                project_id=claim.project_id,
                allocations=claim.allocations,
                window=claim.window if claim.HasField("window") else None,
            )
        )


def _counters(daemon: Daemon, provider_ids: list[str]) -> list[tuple[int, str, int, int, int, int]]:
    """(position in provider_ids, class, capacity, claimed, windowed, free) of their inventories."""
    position = {provider_id: n for n, provider_id in enumerate(provider_ids)}
    query = sa.text(
        "SELECT p.uuid, i.resource_class, i.capacity, i.claimed, i.windowed, i.free "
        "FROM resource_inventories i JOIN resource_providers p ON p.id = i.provider_id"
    )
    with daemon.database.engine.connect() as connection:
        rows = connection.execute(query).all()
    return sorted((position[r[0]], *r[1:]) for r in rows if r[0] in position)


def _usage(client: Client, provider_ids: list[str]) -> list[list[tuple[str, int, int]]]:
    moments = [None, SOON + timedelta(hours=1, minutes=30), SOON + timedelta(hours=9)]
    found = []
    for provider_id in provider_ids:
        for moment in moments:
            request = pb.GetProviderUsageRequest(provider=provider_id, at=_stamp(moment) if moment else None)
            usages = client.resource.GetProviderUsage(request).usages
            found.append(sorted((u.resource_class, u.used, u.capacity) for u in usages))
    return found


def _candidates(client: Client, provider_ids: list[str], vcpu: int, window: pb.Window | None) -> set[int]:
    request = pb.FindCandidatesRequest(
        groups=[pb.RequestGroup(resources=[pb.ResourceAmount(resource_class="VCPU", amount=vcpu)])],
        window=window,
        limit=100,
    )
    found = client.resource.FindCandidates(request).candidates
    return {
        provider_ids.index(a.provider_id)
        for candidate in found
        for plan in candidate.plans
        for a in plan.allocations
        if a.provider_id in provider_ids
    }


def _stored(client: Client) -> tuple[int, int]:
    providers = client.resource.ListProviders(pb.ListProvidersRequest(page_size=1000)).providers
    claims = client.resource.ListClaims(pb.ListClaimsRequest(page_size=1000)).claims
    return len(providers), len(claims)


@pytest.fixture
def ready(client: Client) -> Client:
    client.resource.CreateRegion(pb.CreateRegionRequest(name="default"))
    client.resource.CreateGroup(pb.CreateGroupRequest(name="rack"))
    return client


def test_a_batch_stores_what_single_calls_would(ready: Client, daemon: Daemon, iam_admin: Identity) -> None:
    bulk_ids = [str(uuid.uuid4()) for _ in range(4)]
    single_ids = [str(uuid.uuid4()) for _ in range(4)]
    response = ready.resource.LoadFleet(_fleet(iam_admin.project_id, bulk_ids))
    assert list(response.provider_ids) == bulk_ids and response.claims_created == 8
    _one_by_one(ready, _fleet(iam_admin.project_id, single_ids))

    assert _counters(daemon, bulk_ids) == _counters(daemon, single_ids)
    assert _usage(ready, bulk_ids) == _usage(ready, single_ids)
    for vcpu, window in ((1, None), (4, None), (4, _window(1, 2)), (2, _window(5, 6)), (4, _window(9, 10))):
        assert _candidates(ready, bulk_ids, vcpu, window) == _candidates(ready, single_ids, vcpu, window)
    loaded = [ready.resource.GetProvider(pb.GetProviderRequest(provider=p)).provider for p in bulk_ids]
    single = [ready.resource.GetProvider(pb.GetProviderRequest(provider=p)).provider for p in single_ids]
    for one, other in zip(loaded, single, strict=True):
        assert sorted(one.traits) == sorted(other.traits) and list(one.group_ids) == list(other.group_ids)
        assert [(i.resource_class, i.capacity, i.claimed) for i in one.inventories] == [
            (i.resource_class, i.capacity, i.claimed) for i in other.inventories
        ]
    assert loaded[3].parent_id == bulk_ids[1] and loaded[3].root_id == bulk_ids[1]
    assert loaded[1].name == f"host-{bulk_ids[1][:8]}"
    # The first host is full during its reservations but not after them;
    # the third is full all along, in two windows.
    assert _candidates(ready, bulk_ids, 1, None) == {1}
    assert _candidates(ready, bulk_ids, 4, _window(5, 6)) == {0, 1}


def test_an_over_commit_fails_the_whole_batch(ready: Client, daemon: Daemon, iam_admin: Identity) -> None:
    project = iam_admin.project_id
    existing = str(uuid.uuid4())
    ready.resource.LoadFleet(pb.LoadFleetRequest(providers=[_host(existing)], claims=[_claim(existing, project, 6)]))
    before, counters = _stored(ready), _counters(daemon, [existing])
    fresh = str(uuid.uuid4())
    request = pb.LoadFleetRequest(
        providers=[_host(fresh)],
        claims=[
            _claim(fresh, project, 7),
            _claim(existing, project, 1, window=_window(2, 3)),
            # 6 stored, 1 from the claim before: 9 of 8 over hour 2.
            _claim(existing, project, 2, window=_window(1, 4)),
            _claim(fresh, project, 1),
        ],
    )
    with pytest.raises(ResourceExhausted) as refused:
        ready.resource.LoadFleet(request)
    assert refused.value.reason == "INSUFFICIENT_CAPACITY"
    assert refused.value.metadata["index"] == "2" and refused.value.metadata["item"] == "claim"
    assert "claim 2" in refused.value.message
    assert _stored(ready) == before and _counters(daemon, [existing]) == counters
    with pytest.raises(NotFound):
        ready.resource.GetProvider(pb.GetProviderRequest(provider=fresh))
    # Without the claim that over-commits, the same batch loads.
    del request.claims[2]
    ready.resource.LoadFleet(request)
    assert _stored(ready) == (before[0] + 1, before[1] + 3)


def _bad_items(project: str, existing: str, taken_consumer: str) -> list[tuple[str, Callable[..., object], type, str]]:
    """(what, how to spoil a good batch, error, reason); the spoiled item is at index 1."""

    def claim_with(**fields: object) -> Callable[[pb.LoadFleetRequest], None]:
        def spoil(request: pb.LoadFleetRequest) -> None:
            for name, value in fields.items():
                if name == "allocations":
                    del request.claims[1].allocations[:]
                    request.claims[1].allocations.extend(value)  # type: ignore[arg-type]
                elif name == "window":
                    request.claims[1].window.CopyFrom(value)  # type: ignore[arg-type]
                else:
                    setattr(request.claims[1], name, value)

        return spoil

    def provider_with(**fields: object) -> Callable[[pb.LoadFleetRequest], None]:
        def spoil(request: pb.LoadFleetRequest) -> None:
            for name, value in fields.items():
                if name == "traits":
                    request.providers[1].traits.extend(value)  # type: ignore[arg-type]
                else:
                    setattr(request.providers[1], name, value)

        return spoil

    def alloc(provider: str, cls: str, amount: int) -> list[pb.Allocation]:
        return [pb.Allocation(provider_id=provider, resource_class=cls, amount=amount)]

    return [
        (
            "unknown class",
            claim_with(allocations=alloc(existing, "CUSTOM_NOPE", 1)),
            InvalidArgument,
            "UNKNOWN_RESOURCE_CLASS",
        ),
        ("not a step", claim_with(allocations=alloc(existing, "MEMORY_MB", 700)), InvalidArgument, "AMOUNT_NOT_A_STEP"),
        ("zero amount", claim_with(allocations=alloc(existing, "MEMORY_MB", 0)), InvalidArgument, "INVALID_AMOUNT"),
        (
            "no such provider",
            claim_with(allocations=alloc(str(uuid.uuid4()), "VCPU", 1)),
            NotFound,
            "PROVIDER_NOT_FOUND",
        ),
        ("no inventory", claim_with(allocations=alloc(existing, "DISK_GB", 1)), FailedPrecondition, "NO_INVENTORY"),
        ("consumer taken", claim_with(consumer_id=taken_consumer), AlreadyExists, "CLAIM_EXISTS"),
        ("bad consumer id", claim_with(consumer_id="nope"), InvalidArgument, "INVALID_ID"),
        ("no project", claim_with(project_id=""), InvalidArgument, "PROJECT_REQUIRED"),
        ("bad kind", claim_with(kind="Machine!"), InvalidArgument, "INVALID_KIND"),
        (
            "window over",
            claim_with(window=pb.Window(end_time=_stamp(SOON - timedelta(days=2)))),
            InvalidArgument,
            "WINDOW_ENDED",
        ),
        ("provider taken", provider_with(id=existing), AlreadyExists, "PROVIDER_EXISTS"),
        ("unknown trait", provider_with(traits=["CUSTOM_NOPE"]), InvalidArgument, "UNKNOWN_TRAIT"),
        ("no such parent", provider_with(parent=str(uuid.uuid4())), NotFound, "PROVIDER_NOT_FOUND"),
        ("no region", provider_with(region=""), InvalidArgument, "REGION_REQUIRED"),
    ]


def test_a_bad_item_gets_its_status_and_stores_nothing(ready: Client, iam_admin: Identity) -> None:
    project = iam_admin.project_id
    existing, taken = str(uuid.uuid4()), str(uuid.uuid4())
    ready.resource.LoadFleet(
        pb.LoadFleetRequest(providers=[_host(existing)], claims=[_claim(existing, project, 1, consumer=taken)])
    )
    before = _stored(ready)
    for what, spoil, error, reason in _bad_items(project, existing, taken):
        fresh = [str(uuid.uuid4()), str(uuid.uuid4())]
        request = pb.LoadFleetRequest(
            providers=[_host(p) for p in fresh], claims=[_claim(fresh[0], project, 1), _claim(existing, project, 1)]
        )
        spoil(request)
        with pytest.raises(MulliganError) as refused:
            ready.resource.LoadFleet(request)
        assert type(refused.value) is error, (what, refused.value)
        assert refused.value.reason == reason, (what, refused.value.message)
        assert refused.value.metadata.get("index") == "1", (what, refused.value.message)
        assert _stored(ready) == before, what


def test_quotas_hold_across_the_batch(ready: Client, iam_admin: Identity) -> None:
    project = iam_admin.project_id
    ready.resource.SetQuota(pb.SetQuotaRequest(project_id=project, resource_class="VCPU", limit=5))
    hosts = [str(uuid.uuid4()), str(uuid.uuid4())]
    request = pb.LoadFleetRequest(
        providers=[_host(p) for p in hosts],
        claims=[
            _claim(hosts[0], project, 3),
            _claim(hosts[1], project, 1, window=_window(1, 2)),
            _claim(hosts[1], project, 2),
        ],
    )
    with pytest.raises(ResourceExhausted) as refused:
        ready.resource.LoadFleet(request)
    assert refused.value.reason == "QUOTA_EXCEEDED" and refused.value.metadata["index"] == "2"
    assert _stored(ready) == (0, 0)
    del request.claims[1]
    ready.resource.LoadFleet(request)
    assert _stored(ready) == (2, 2)


def test_a_second_batch_builds_on_the_first(ready: Client, iam_admin: Identity) -> None:
    project = iam_admin.project_id
    root = str(uuid.uuid4())
    ready.resource.LoadFleet(pb.LoadFleetRequest(providers=[_host(root, name="rack-1-host")]))
    by_name, by_id = str(uuid.uuid4()), str(uuid.uuid4())
    by_its_name = pb.FleetClaim(
        consumer_id=str(uuid.uuid4()),
        project_id=project,
        allocations=[pb.Allocation(provider_id="rack-1-host", resource_class="MEMORY_MB", amount=512)],
    )
    second = pb.LoadFleetRequest(
        providers=[
            _host(by_name, parent="rack-1-host", region=""),
            _host(by_id, parent=root.upper(), region=""),
        ],
        claims=[_claim(root, project, 8), by_its_name],
    )
    response = ready.resource.LoadFleet(second)
    assert response.claims_created == 2
    for child in (by_name, by_id):
        provider = ready.resource.GetProvider(pb.GetProviderRequest(provider=child)).provider
        assert provider.parent_id == root and provider.root_id == root
    usage = ready.resource.GetProviderUsage(pb.GetProviderUsageRequest(provider=root)).usages
    assert sorted((u.resource_class, u.used) for u in usage) == [("MEMORY_MB", 512), ("VCPU", 8)]


def test_only_a_system_admin_loads(ready: Client, daemon: Daemon, iam_admin: Identity) -> None:
    tenant = member(daemon, ready, "owner", iam_admin.project_id, "admin")
    host = str(uuid.uuid4())
    with tenant.client(daemon) as client, pytest.raises(PermissionDenied):
        client.resource.LoadFleet(pb.LoadFleetRequest(providers=[_host(host)]))
    assert _stored(ready) == (0, 0)


def test_caps_and_size_are_enforced(ready: Client) -> None:
    with pytest.raises(InvalidArgument) as refused:
        ready.resource.LoadFleet(pb.LoadFleetRequest(providers=[pb.FleetProvider()] * 5001))
    assert refused.value.reason == "TOO_MANY_ITEMS"
    with pytest.raises(InvalidArgument) as refused:
        ready.resource.LoadFleet(pb.LoadFleetRequest(claims=[pb.FleetClaim()] * 50001))
    assert refused.value.reason == "TOO_MANY_ITEMS"
    too_big = pb.LoadFleetRequest(providers=[pb.FleetProvider(name="x" * (MAX_REQUEST_BYTES + 1))])
    with pytest.raises(ResourceExhausted):
        ready.resource.LoadFleet(too_big)
    assert _stored(ready) == (0, 0)
