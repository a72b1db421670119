"""gRPC adapter of the resource module: proto <-> domain, nothing else."""

from __future__ import annotations

import grpc

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.api.resource.v1 import resource_pb2_grpc as pb_grpc
from mulligan.errors import InvalidArgument
from mulligan.resource import candidate_wire, convert, convert_fleet, fleet, listing
from mulligan.resource.claims import MAX_ALLOCATIONS
from mulligan.resource.service import ResourceService
from mulligan.resource.types import CandidateRequest
from mulligan.rpc.masks import mask_paths
from mulligan.rpc.requests import declare_caps

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ResourceService"].full_name
DEFAULT_PAGE = 100
DEFAULT_LIMIT = 10
# The most items a repeated field of a request may hold (resource.proto says
# the same beside each field); the interceptor refuses more with
# TOO_MANY_ITEMS. Region attributes, claim allocations, request groups and
# their resources are capped by the service, with reasons of their own.
CAPS = {
    "mulligan.resource.v1.CreateProviderRequest.inventories": 100,
    "mulligan.resource.v1.CreateProviderRequest.traits": 1000,
    "mulligan.resource.v1.CreateProviderRequest.groups": 100,
    "mulligan.resource.v1.SetInventoriesRequest.inventories": 100,
    "mulligan.resource.v1.SetTraitsRequest.traits": 1000,
    "mulligan.resource.v1.AddGroupMembersRequest.providers": 1000,
    "mulligan.resource.v1.RemoveGroupMembersRequest.providers": 1000,
    "mulligan.resource.v1.RequestGroup.required_traits": 100,
    "mulligan.resource.v1.RequestGroup.forbidden_traits": 100,
    "mulligan.resource.v1.RequestGroup.any_traits": 16,
    "mulligan.resource.v1.TraitSet.traits": 100,
    "mulligan.resource.v1.RequestGroup.member_of": 100,
    "mulligan.resource.v1.RequestGroup.not_member_of": 100,
    "mulligan.resource.v1.FindCandidatesRequest.same_subtree": 16,
    "mulligan.resource.v1.ClaimBestRequest.same_subtree": 16,
    # As many as there can be request groups.
    "mulligan.resource.v1.SameSubtree.labels": 16,
    "mulligan.resource.v1.LoadFleetRequest.providers": fleet.MAX_PROVIDERS,
    "mulligan.resource.v1.LoadFleetRequest.claims": fleet.MAX_CLAIMS,
    "mulligan.resource.v1.FleetProvider.inventories": 100,
    "mulligan.resource.v1.FleetProvider.traits": 1000,
    "mulligan.resource.v1.FleetProvider.groups": 100,
    "mulligan.resource.v1.FleetClaim.allocations": MAX_ALLOCATIONS,
}
# What the update_mask of UpdateRegion and UpdateProvider may name.
_REGION_FIELDS = ("attributes", "visibility", "parent")
_PROVIDER_FIELDS = ("parent", "region")

Context = grpc.ServicerContext


class ResourceServicer(pb_grpc.ResourceServiceServicer):
    def __init__(self, service: ResourceService) -> None:
        self._service = service

    def Configure(self, request: pb.ConfigureRequest, context: Context) -> pb.ConfigureResponse:
        return pb.ConfigureResponse(log_level=self._service.configure(log_level=request.log_level or None))

    # --- regions ---------------------------------------------------------

    def CreateRegion(self, request: pb.CreateRegionRequest, context: Context) -> pb.CreateRegionResponse:
        region = self._service.create_region(
            request.name,
            parent=request.parent or None,
            attributes=dict(request.attributes),
            visibility=convert.visibility(request.visibility) or "internal",
        )
        return pb.CreateRegionResponse(region=convert.region(region))

    def GetRegion(self, request: pb.GetRegionRequest, context: Context) -> pb.GetRegionResponse:
        return pb.GetRegionResponse(region=convert.region(self._service.get_region(request.region)))

    def ListRegions(self, request: pb.ListRegionsRequest, context: Context) -> pb.ListRegionsResponse:
        page = listing.regions(
            self._service, parent=request.parent or None, page_size=request.page_size, page_token=request.page_token
        )
        return pb.ListRegionsResponse(
            regions=[convert.region(region) for region in page.items], next_page_token=page.next_page_token
        )

    def UpdateRegion(self, request: pb.UpdateRegionRequest, context: Context) -> pb.UpdateRegionResponse:
        masked = mask_paths(request.update_mask, _REGION_FIELDS)
        if masked is None:
            region = self._service.update_region(
                request.region,
                attributes=dict(request.attributes) if request.update_attributes else None,
                visibility=convert.visibility(request.visibility),
                parent=request.parent or None,
                clear_parent=request.make_root,
            )
        else:
            if "visibility" in masked and request.visibility == pb.VISIBILITY_UNSPECIFIED:
                raise InvalidArgument(
                    "update_mask names visibility: give internal or public", reason="INVALID_VISIBILITY"
                )
            region = self._service.update_region(
                request.region,
                attributes=dict(request.attributes) if "attributes" in masked else None,
                visibility=convert.visibility(request.visibility) if "visibility" in masked else None,
                parent=(request.parent or None) if "parent" in masked else None,
                clear_parent="parent" in masked and not request.parent,
            )
        return pb.UpdateRegionResponse(region=convert.region(region))

    def DeleteRegion(self, request: pb.DeleteRegionRequest, context: Context) -> pb.DeleteRegionResponse:
        self._service.delete_region(request.region)
        return pb.DeleteRegionResponse()

    # --- classes and traits -------------------------------------------------

    def CreateResourceClass(
        self, request: pb.CreateResourceClassRequest, context: Context
    ) -> pb.CreateResourceClassResponse:
        created = self._service.create_resource_class(request.code)
        return pb.CreateResourceClassResponse(resource_class=convert.resource_class(created))

    def ListResourceClasses(
        self, request: pb.ListResourceClassesRequest, context: Context
    ) -> pb.ListResourceClassesResponse:
        page = listing.resource_classes(self._service, page_size=request.page_size, page_token=request.page_token)
        return pb.ListResourceClassesResponse(
            resource_classes=[convert.resource_class(c) for c in page.items], next_page_token=page.next_page_token
        )

    def DeleteResourceClass(
        self, request: pb.DeleteResourceClassRequest, context: Context
    ) -> pb.DeleteResourceClassResponse:
        self._service.delete_resource_class(request.code)
        return pb.DeleteResourceClassResponse()

    def CreateTrait(self, request: pb.CreateTraitRequest, context: Context) -> pb.CreateTraitResponse:
        return pb.CreateTraitResponse(trait=convert.trait(self._service.create_trait(request.code)))

    def ListTraits(self, request: pb.ListTraitsRequest, context: Context) -> pb.ListTraitsResponse:
        page = listing.traits(
            self._service, prefix=request.prefix, page_size=request.page_size, page_token=request.page_token
        )
        return pb.ListTraitsResponse(
            traits=[convert.trait(t) for t in page.items], next_page_token=page.next_page_token
        )

    def DeleteTrait(self, request: pb.DeleteTraitRequest, context: Context) -> pb.DeleteTraitResponse:
        self._service.delete_trait(request.code)
        return pb.DeleteTraitResponse()

    # --- providers --------------------------------------------------------------

    def CreateProvider(self, request: pb.CreateProviderRequest, context: Context) -> pb.CreateProviderResponse:
        created = self._service.create_provider(
            request.region or None,
            name=request.name or None,
            id=request.id or None,
            parent=request.parent or None,
            inventories=[convert.inventory_spec(spec) for spec in request.inventories],
            traits=list(request.traits),
            groups=list(request.groups),
        )
        return pb.CreateProviderResponse(provider=convert.provider(created))

    def GetProvider(self, request: pb.GetProviderRequest, context: Context) -> pb.GetProviderResponse:
        return pb.GetProviderResponse(provider=convert.provider(self._service.get_provider(request.provider)))

    def ListProviders(self, request: pb.ListProvidersRequest, context: Context) -> pb.ListProvidersResponse:
        found, token = self._service.list_providers(
            region=request.region or None,
            tree=request.tree or None,
            parent=request.parent or None,
            roots_only=request.roots_only,
            trait=request.trait or None,
            group=request.group or None,
            resource_class=request.resource_class or None,
            limit=request.page_size or DEFAULT_PAGE,
            page_token=request.page_token,
        )
        return pb.ListProvidersResponse(providers=[convert.provider(p) for p in found], next_page_token=token)

    def UpdateProvider(self, request: pb.UpdateProviderRequest, context: Context) -> pb.UpdateProviderResponse:
        masked = mask_paths(request.update_mask, _PROVIDER_FIELDS)
        if masked is not None and "region" in masked and not request.region:
            raise InvalidArgument("update_mask names region: give the region to move to", reason="REGION_REQUIRED")
        updated = self._service.update_provider(
            request.provider,
            parent=(request.parent or None) if masked is None or "parent" in masked else None,
            make_root=request.make_root if masked is None else "parent" in masked and not request.parent,
            region=(request.region or None) if masked is None or "region" in masked else None,
            generation=convert.optional(request, "generation"),
        )
        return pb.UpdateProviderResponse(provider=convert.provider(updated))

    def DeleteProvider(self, request: pb.DeleteProviderRequest, context: Context) -> pb.DeleteProviderResponse:
        self._service.delete_provider(request.provider, generation=convert.optional(request, "generation"))
        return pb.DeleteProviderResponse()

    def SetInventories(self, request: pb.SetInventoriesRequest, context: Context) -> pb.SetInventoriesResponse:
        updated = self._service.set_inventory(
            request.provider,
            [convert.inventory_spec(spec) for spec in request.inventories],
            replace=request.replace,
            generation=convert.optional(request, "generation"),
        )
        return pb.SetInventoriesResponse(provider=convert.provider(updated))

    def DeleteInventory(self, request: pb.DeleteInventoryRequest, context: Context) -> pb.DeleteInventoryResponse:
        updated = self._service.delete_inventory(
            request.provider, request.resource_class, generation=convert.optional(request, "generation")
        )
        return pb.DeleteInventoryResponse(provider=convert.provider(updated))

    def SetTraits(self, request: pb.SetTraitsRequest, context: Context) -> pb.SetTraitsResponse:
        updated = self._service.set_traits(
            request.provider, list(request.traits), generation=convert.optional(request, "generation")
        )
        return pb.SetTraitsResponse(provider=convert.provider(updated))

    # --- groups, sharing, distances ----------------------------------------------

    def CreateGroup(self, request: pb.CreateGroupRequest, context: Context) -> pb.CreateGroupResponse:
        created = self._service.create_group(request.name or None, id=request.id or None)
        return pb.CreateGroupResponse(group=convert.group(created))

    def GetGroup(self, request: pb.GetGroupRequest, context: Context) -> pb.GetGroupResponse:
        return pb.GetGroupResponse(group=convert.group(self._service.get_group(request.group)))

    def ListGroups(self, request: pb.ListGroupsRequest, context: Context) -> pb.ListGroupsResponse:
        page = listing.provider_groups(self._service, page_size=request.page_size, page_token=request.page_token)
        return pb.ListGroupsResponse(
            groups=[convert.group(g) for g in page.items], next_page_token=page.next_page_token
        )

    def DeleteGroup(self, request: pb.DeleteGroupRequest, context: Context) -> pb.DeleteGroupResponse:
        self._service.delete_group(request.group)
        return pb.DeleteGroupResponse()

    def AddGroupMembers(self, request: pb.AddGroupMembersRequest, context: Context) -> pb.AddGroupMembersResponse:
        changed = self._service.add_group_members(request.group, list(request.providers))
        return pb.AddGroupMembersResponse(group=convert.group(changed))

    def RemoveGroupMembers(
        self, request: pb.RemoveGroupMembersRequest, context: Context
    ) -> pb.RemoveGroupMembersResponse:
        changed = self._service.remove_group_members(request.group, list(request.providers))
        return pb.RemoveGroupMembersResponse(group=convert.group(changed))

    def ListGroupMembers(self, request: pb.ListGroupMembersRequest, context: Context) -> pb.ListGroupMembersResponse:
        page = listing.group_members(
            self._service, request.group, page_size=request.page_size, page_token=request.page_token
        )
        return pb.ListGroupMembersResponse(provider_ids=page.items, next_page_token=page.next_page_token)

    def ShareInventory(self, request: pb.ShareInventoryRequest, context: Context) -> pb.ShareInventoryResponse:
        shared = self._service.share(request.provider, request.group)
        return pb.ShareInventoryResponse(provider=convert.provider(shared))

    def UnshareInventory(self, request: pb.UnshareInventoryRequest, context: Context) -> pb.UnshareInventoryResponse:
        unshared = self._service.unshare(request.provider, request.group)
        return pb.UnshareInventoryResponse(provider=convert.provider(unshared))

    def SetDistance(self, request: pb.SetDistanceRequest, context: Context) -> pb.SetDistanceResponse:
        distance = self._service.set_distance(request.provider, request.other, request.distance)
        return pb.SetDistanceResponse(distance=convert.distance(distance))

    def DeleteDistance(self, request: pb.DeleteDistanceRequest, context: Context) -> pb.DeleteDistanceResponse:
        self._service.delete_distance(request.provider, request.other)
        return pb.DeleteDistanceResponse()

    def ListDistances(self, request: pb.ListDistancesRequest, context: Context) -> pb.ListDistancesResponse:
        page = listing.distances(
            self._service,
            request.provider,
            max_distance=convert.optional(request, "max_distance"),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListDistancesResponse(
            distances=[convert.distance(d) for d in page.items], next_page_token=page.next_page_token
        )

    # --- claims -----------------------------------------------------------------

    def CreateClaim(self, request: pb.CreateClaimRequest, context: Context) -> pb.CreateClaimResponse:
        created = self._service.claim(
            request.consumer_id,
            convert.allocations_in(request.allocations),
            project_id=request.project_id or None,
            window=convert.window(request.window if request.HasField("window") else None),
            kind=request.kind or "machine",
        )
        return pb.CreateClaimResponse(claim=convert.claim(created))

    def GetClaim(self, request: pb.GetClaimRequest, context: Context) -> pb.GetClaimResponse:
        found = self._service.get_claim(request.consumer_id, project_id=request.project_id or None)
        return pb.GetClaimResponse(claim=convert.claim(found))

    def ListClaims(self, request: pb.ListClaimsRequest, context: Context) -> pb.ListClaimsResponse:
        found, token = self._service.list_claims(
            consumer=request.consumer_id or None,
            provider=request.provider or None,
            project=request.project_id or None,
            start=convert.moment(request, "start_time"),
            end=convert.moment(request, "end_time"),
            limit=request.page_size or DEFAULT_PAGE,
            page_token=request.page_token,
        )
        return pb.ListClaimsResponse(claims=[convert.claim(c) for c in found], next_page_token=token)

    def ReplaceClaim(self, request: pb.ReplaceClaimRequest, context: Context) -> pb.ReplaceClaimResponse:
        replaced = self._service.replace_claim(
            request.consumer_id,
            convert.allocations_in(request.allocations),
            generation=convert.optional(request, "generation"),
            window=convert.window(request.window) if request.HasField("window") else None,
            project_id=request.project_id or None,
        )
        return pb.ReplaceClaimResponse(claim=convert.claim(replaced))

    def UpdateClaimWindow(self, request: pb.UpdateClaimWindowRequest, context: Context) -> pb.UpdateClaimWindowResponse:
        changed = self._service.update_claim_window(
            request.consumer_id,
            convert.window(request.window if request.HasField("window") else None),
            generation=convert.optional(request, "generation"),
            project_id=request.project_id or None,
        )
        return pb.UpdateClaimWindowResponse(claim=convert.claim(changed))

    def ReleaseClaim(self, request: pb.ReleaseClaimRequest, context: Context) -> pb.ReleaseClaimResponse:
        self._service.release(request.consumer_id, project_id=request.project_id or None)
        return pb.ReleaseClaimResponse()

    def ClaimBest(self, request: pb.ClaimBestRequest, context: Context) -> pb.ClaimBestResponse:
        claimed = self._service.claim_best(
            request.consumer_id,
            [convert.request_group(group) for group in request.groups],
            project_id=request.project_id or None,
            window=convert.window(request.window if request.HasField("window") else None),
            same_subtree=[tuple(s.labels) for s in request.same_subtree],
            group_policy=convert.group_policy(request.group_policy),
            region=request.region or None,
            rank=convert.rank(request.rank),
            ties=convert.ties(request.ties),
            kind=request.kind or "machine",
        )
        return pb.ClaimBestResponse(claim=convert.claim(claimed))

    def FindCandidates(self, request: pb.FindCandidatesRequest, context: Context) -> bytes:  # type: ignore[override]
        # The response's wire bytes (candidate_wire): no message is built for a large page.
        query = CandidateRequest(
            groups=tuple(convert.request_group(group) for group in request.groups),
            same_subtree=tuple(tuple(s.labels) for s in request.same_subtree),
            group_policy=convert.group_policy(request.group_policy),
            region=request.region or None,
            window=convert.window(request.window if request.HasField("window") else None),
            rank=convert.rank(request.rank),
            ties=convert.ties(request.ties),
        )
        paged = request.page_size != 0 or bool(request.page_token)
        page = self._service.find_candidate_page(
            query,
            limit=request.limit or (None if paged else DEFAULT_LIMIT),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return candidate_wire.encoded(page)

    def GetProviderUsage(self, request: pb.GetProviderUsageRequest, context: Context) -> pb.GetProviderUsageResponse:
        found = self._service.provider_usage(request.provider, at=convert.moment(request, "at"))
        return pb.GetProviderUsageResponse(usages=[convert.usage(u) for u in found])

    def GetProjectUsage(self, request: pb.GetProjectUsageRequest, context: Context) -> pb.GetProjectUsageResponse:
        found = self._service.project_usage(request.project_id, at=convert.moment(request, "at"))
        return pb.GetProjectUsageResponse(usages=[convert.usage(u) for u in found])

    # --- quotas -----------------------------------------------------------------

    def SetQuota(self, request: pb.SetQuotaRequest, context: Context) -> pb.SetQuotaResponse:
        quota = self._service.set_quota(request.project_id, request.resource_class, request.limit)
        return pb.SetQuotaResponse(quota=convert.quota(quota))

    def DeleteQuota(self, request: pb.DeleteQuotaRequest, context: Context) -> pb.DeleteQuotaResponse:
        self._service.delete_quota(request.project_id, request.resource_class)
        return pb.DeleteQuotaResponse()

    def ListQuotas(self, request: pb.ListQuotasRequest, context: Context) -> pb.ListQuotasResponse:
        page = listing.quotas(
            self._service, request.project_id or None, page_size=request.page_size, page_token=request.page_token
        )
        return pb.ListQuotasResponse(
            quotas=[convert.quota(q) for q in page.items], next_page_token=page.next_page_token
        )

    # --- bulk loading -----------------------------------------------------------

    def LoadFleet(self, request: pb.LoadFleetRequest, context: Context) -> pb.LoadFleetResponse:
        loaded = self._service.load_fleet(
            [convert_fleet.provider_spec(p) for p in request.providers],
            [convert_fleet.claim_spec(c) for c in request.claims],
        )
        return convert_fleet.loaded(loaded)


def register(server: grpc.Server, service: ResourceService) -> str:
    declare_caps(CAPS)
    pb_grpc.add_ResourceServiceServicer_to_server(ResourceServicer(service), server)
    return SERVICE_NAME
