"""Every repeated field and map of every request of iam, meta and resource has a cap."""

from __future__ import annotations

from google.protobuf.descriptor import Descriptor, FileDescriptor

from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.iam.servicer import CAPS as IAM_CAPS
from mulligan.meta.servicer import CAPS as META_CAPS
from mulligan.resource.servicer import CAPS as RESOURCE_CAPS

# Capped by the services themselves, with reasons clients already know.
CAPPED_BY_THE_SERVICE = {
    "mulligan.meta.v1.ResolveNamesRequest.refs",  # BATCH_TOO_LARGE
    "mulligan.meta.v1.DescribeObjectsRequest.object_ids",  # BATCH_TOO_LARGE
    "mulligan.resource.v1.CreateRegionRequest.attributes",  # INVALID_ATTRIBUTE
    "mulligan.resource.v1.UpdateRegionRequest.attributes",  # INVALID_ATTRIBUTE
    "mulligan.resource.v1.CreateClaimRequest.allocations",  # TOO_MANY_ALLOCATIONS
    "mulligan.resource.v1.ReplaceClaimRequest.allocations",  # TOO_MANY_ALLOCATIONS
    "mulligan.resource.v1.FindCandidatesRequest.groups",  # TOO_MANY_GROUPS
    "mulligan.resource.v1.ClaimBestRequest.groups",  # TOO_MANY_GROUPS
    "mulligan.resource.v1.RequestGroup.resources",  # TOO_MANY_CLASSES
    # Field masks: the iam servicer caps their paths (TOO_MANY_ITEMS).
    "google.protobuf.FieldMask.paths",
}
CAPS = {**IAM_CAPS, **META_CAPS, **RESOURCE_CAPS}


def repeated_request_fields(file: FileDescriptor) -> dict[str, bool]:
    """Full name -> is a map, of every repeated field reachable from a request of file's services."""
    found: dict[str, bool] = {}
    pending: list[Descriptor] = [m.input_type for s in file.services_by_name.values() for m in s.methods]
    seen: set[str] = set()
    while pending:
        message = pending.pop()
        if message.full_name in seen:
            continue
        seen.add(message.full_name)
        for field in message.fields:
            entry = field.message_type is not None and field.message_type.GetOptions().map_entry
            if field.is_repeated:
                found[field.full_name] = entry
            held = field.message_type.fields_by_name["value"].message_type if entry else field.message_type
            if held is not None and held.full_name != "google.protobuf.Timestamp":
                pending.append(held)
    return found


def test_every_repeated_field_and_map_of_a_request_is_capped() -> None:
    fields: dict[str, bool] = {}
    for module in (iam_pb2, meta_pb2, resource_pb2):
        fields |= repeated_request_fields(module.DESCRIPTOR)
    uncapped = set(fields) - set(CAPS) - CAPPED_BY_THE_SERVICE
    assert not uncapped, sorted(uncapped)
    # And every cap names such a field: a typo would cap nothing.
    assert set(CAPS) <= set(fields), sorted(set(CAPS) - set(fields))
    # Bulk loading is the one call meant to carry thousands of items.
    bulk = {name for name in CAPS if name.startswith("mulligan.resource.v1.LoadFleetRequest.")}
    assert all(0 < cap <= 1000 for name, cap in CAPS.items() if name not in bulk)
    assert all(0 < CAPS[name] <= 50_000 for name in bulk)
