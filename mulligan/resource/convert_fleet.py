"""Proto <-> domain for bulk loading (LoadFleet)."""

from __future__ import annotations

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.resource.convert import inventory_spec, window
from mulligan.resource.types import Allocation, ClaimSpec, LoadedFleet, ProviderSpec


def provider_spec(message: pb.FleetProvider) -> ProviderSpec:
    return ProviderSpec(
        region=message.region or None,
        name=message.name or None,
        id=message.id or None,
        parent=message.parent or None,
        inventories=tuple(inventory_spec(spec) for spec in message.inventories),
        traits=tuple(message.traits),
        groups=tuple(message.groups),
    )


def claim_spec(message: pb.FleetClaim) -> ClaimSpec:
    return ClaimSpec(
        consumer_id=message.consumer_id,
        allocations=tuple(Allocation(a.provider_id, a.resource_class, a.amount) for a in message.allocations),
        project_id=message.project_id,
        kind=message.kind or "machine",
        window=window(message.window if message.HasField("window") else None),
    )


def loaded(item: LoadedFleet) -> pb.LoadFleetResponse:
    return pb.LoadFleetResponse(provider_ids=list(item.provider_ids), claims_created=item.claims)
