"""A fleet to load for benchmarks: flat hosts, half full of existing claims.

:func:`flat_fleet` builds, from a seed, providers with VCPU, MEMORY_MB and
DISK_GB (three flavours, traits on about 20%, a group on about 50%) and
about 12.6 claims per provider filling it to about half, each claim taking
all three classes from one provider. About 5% of the claims are
reservations whose window starts a day or more later; the others cover
every instant from the load on. Everything is plain data: a benchmark may
load it through :func:`load_over_grpc` or any other way.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from google.protobuf import timestamp_pb2

from mulligan.api.resource.v1 import resource_pb2 as rpb
from mulligan.client import Client
from mulligan.rpc.requests import MAX_REQUEST_BYTES

REGION = "fleet"
GROUPS = tuple(f"rack-{n}" for n in range(5))
# (VCPU total, MEMORY_MB total, DISK_GB total); VCPU at ratio 4, 2048 MB reserved.
FLAVOURS = ((32, 131072, 2000), (64, 262144, 4000), (16, 65536, 1000))
VCPU_RATIO = 4.0
MEMORY_RESERVED = 2048
RESERVATION_SHARE = 0.05
LOAD_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class InventoryData:
    resource_class: str
    total: int
    reserved: int = 0
    allocation_ratio: float = 1.0

    @property
    def capacity(self) -> int:
        return int((self.total - self.reserved) * self.allocation_ratio)


@dataclass(frozen=True)
class ProviderData:
    id: str
    region: str
    inventories: tuple[InventoryData, ...]
    traits: tuple[str, ...] = ()
    # Group names.
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimData:
    consumer_id: str
    provider_id: str
    # Resource class -> amount, all from provider_id.
    amounts: dict[str, int]
    # None: from the load on, and open-ended.
    start: datetime | None = None
    end: datetime | None = None
    kind: str = "machine"


@dataclass(frozen=True)
class Fleet:
    region: str
    groups: tuple[str, ...]
    providers: list[ProviderData] = field(default_factory=list)
    # In provider order: the claims on providers[k] come before those on providers[k + 1].
    claims: list[ClaimData] = field(default_factory=list)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def flat_fleet(seed: int, providers: int, *, now: datetime | None = None) -> Fleet:
    """providers flat hosts and their claims; the same seed gives the same fleet
    (reservation windows are placed relative to now)."""
    rng = random.Random(seed)
    moment = now or datetime.now(UTC)
    fleet = Fleet(region=REGION, groups=GROUPS)
    for _ in range(providers):
        vcpu, memory, disk = rng.choice(FLAVOURS)
        traits: list[str] = []
        if rng.random() < 0.2:
            traits = ["HW_CPU_X86_AVX2"] + (["STORAGE_DISK_SSD"] if rng.random() < 0.5 else [])
        provider = ProviderData(
            id=_uuid(rng),
            region=REGION,
            inventories=(
                InventoryData("VCPU", vcpu, allocation_ratio=VCPU_RATIO),
                InventoryData("MEMORY_MB", memory, reserved=MEMORY_RESERVED),
                InventoryData("DISK_GB", disk),
            ),
            traits=tuple(traits),
            groups=(rng.choice(GROUPS),) if rng.random() < 0.5 else (),
        )
        fleet.providers.append(provider)
        fleet.claims.extend(_claims_on(rng, provider, moment))
    return fleet


def _claims_on(rng: random.Random, provider: ProviderData, now: datetime) -> Iterator[ClaimData]:
    # 12 or 13 claims (12.6 on average), each about 1/25 of every class: half full.
    count = 13 if rng.random() < 0.6 else 12
    for _ in range(count):
        amounts = {
            inv.resource_class: max(1, round(inv.capacity / 2 / count * rng.uniform(0.6, 1.4)))
            for inv in provider.inventories
        }
        start = end = None
        if rng.random() < RESERVATION_SHARE:
            start = now + timedelta(days=1, hours=rng.randrange(48))
            end = start + timedelta(hours=rng.choice((2, 4, 8)))
        yield ClaimData(_uuid(rng), provider.id, amounts, start, end)


def provider_message(provider: ProviderData) -> rpb.FleetProvider:
    return rpb.FleetProvider(
        id=provider.id,
        region=provider.region,
        inventories=[
            rpb.InventorySpec(
                resource_class=inv.resource_class,
                total=inv.total,
                reserved=inv.reserved,
                allocation_ratio=inv.allocation_ratio,
            )
            for inv in provider.inventories
        ],
        traits=list(provider.traits),
        groups=list(provider.groups),
    )


def _timestamp(moment: datetime | None) -> timestamp_pb2.Timestamp | None:
    if moment is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def claim_message(claim: ClaimData, project_id: str) -> rpb.FleetClaim:
    message = rpb.FleetClaim(
        consumer_id=claim.consumer_id,
        project_id=project_id,
        kind=claim.kind,
        allocations=[
            rpb.Allocation(provider_id=claim.provider_id, resource_class=cls, amount=amount)
            for cls, amount in claim.amounts.items()
        ],
    )
    if claim.start is not None or claim.end is not None:
        message.window.CopyFrom(rpb.Window(start_time=_timestamp(claim.start), end_time=_timestamp(claim.end)))
    return message


def batches(fleet: Fleet, batch: int) -> Iterator[tuple[Sequence[ProviderData], list[ClaimData]]]:
    """Slices of batch providers, each with the claims on them."""
    by_provider: dict[str, list[ClaimData]] = {}
    for claim in fleet.claims:
        by_provider.setdefault(claim.provider_id, []).append(claim)
    for start in range(0, len(fleet.providers), batch):
        chunk = fleet.providers[start : start + batch]
        yield chunk, [claim for provider in chunk for claim in by_provider.get(provider.id, ())]


def create_region_and_groups(client: Client, fleet: Fleet) -> None:
    client.resource.CreateRegion(rpb.CreateRegionRequest(name=fleet.region))
    for name in fleet.groups:
        client.resource.CreateGroup(rpb.CreateGroupRequest(name=name))


def load_over_grpc(client: Client, fleet: Fleet, batch: int = 1000, *, project_id: str) -> float:
    """Create the fleet's region and groups, then load its providers and claims
    through LoadFleet, batch providers (and their claims) per call; a request
    larger than the daemon accepts is split in two. The claims go into
    project_id. Returns the seconds spent in LoadFleet calls."""
    create_region_and_groups(client, fleet)
    spent = 0.0
    for providers, claims in batches(fleet, batch):
        pending = [
            rpb.LoadFleetRequest(
                providers=[provider_message(p) for p in providers],
                claims=[claim_message(c, project_id) for c in claims],
            )
        ]
        while pending:
            request = pending.pop(0)
            if request.ByteSize() > MAX_REQUEST_BYTES and len(request.providers) > 1:
                pending[:0] = _halves(request)
                continue
            started = time.perf_counter()
            client.resource.LoadFleet(request, timeout=LOAD_TIMEOUT_S)
            spent += time.perf_counter() - started
    return spent


def _halves(request: rpb.LoadFleetRequest) -> list[rpb.LoadFleetRequest]:
    middle = len(request.providers) // 2
    halves = []
    for providers in (request.providers[:middle], request.providers[middle:]):
        ids = {p.id for p in providers}
        claims = [c for c in request.claims if c.allocations and c.allocations[0].provider_id in ids]
        halves.append(rpb.LoadFleetRequest(providers=providers, claims=claims))
    return halves
