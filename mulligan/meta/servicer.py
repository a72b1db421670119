"""gRPC adapter of the meta module: proto <-> domain, nothing else."""

from __future__ import annotations

import json
from typing import Any

import grpc

from mulligan.api.meta.v1 import meta_pb2 as pb
from mulligan.api.meta.v1 import meta_pb2_grpc as pb_grpc
from mulligan.meta.metadefs import Value
from mulligan.meta.schemas import MAX_SCHEMA_BYTES, MAX_VALUE_BYTES, parse_json
from mulligan.meta.service import DefinitionInfo, FoundObject, MetaService
from mulligan.naming import Named
from mulligan.rpc.masks import mask_paths
from mulligan.rpc.requests import declare_caps

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["MetaService"].full_name
# The most items a repeated field of a request may hold (meta.proto says the
# same beside each field); the interceptor refuses more with TOO_MANY_ITEMS.
# ResolveNames and DescribeObjects are capped by the service (BATCH_TOO_LARGE).
CAPS = {
    "mulligan.meta.v1.AddTagsRequest.tags": 1000,
    "mulligan.meta.v1.RemoveTagsRequest.tags": 1000,
    "mulligan.meta.v1.ReplaceTagsRequest.tags": 1000,
    # An object carries at most 50 tags.
    "mulligan.meta.v1.FindByTagsRequest.tags": 100,
}
# What UpdateDefinition's update_mask may name.
_DEFINITION_FIELDS = ("schema_json", "description", "protected")


def _object_name(named: Named | FoundObject) -> pb.ObjectName:
    return pb.ObjectName(
        kind=named.kind,
        object_id=named.object_id,
        name=named.name,
        slug=named.slug,
        project_id=named.project_id or "",
    )


def _definition(info: DefinitionInfo) -> pb.Definition:
    d = info.definition
    return pb.Definition(
        id=d.id,
        namespace=d.namespace,
        name=d.name,
        schema_json=json.dumps(d.schema, ensure_ascii=False, sort_keys=True),
        description=d.description,
        protected=d.protected,
        project_id=d.project_id or "",
        uses=info.uses,
    )


def _value(value: Value) -> pb.Value:
    return pb.Value(
        namespace=value.namespace,
        name=value.name,
        value_json=json.dumps(value.value, ensure_ascii=False, sort_keys=True),
        definition_project_id=value.definition_project_id or "",
    )


def _ref(ref: pb.ObjectRef) -> tuple[str, str, dict[str, Any]]:
    return ref.kind, ref.ref, {"project_id": ref.project_id or None}


class MetaServicer(pb_grpc.MetaServiceServicer):
    def __init__(self, service: MetaService) -> None:
        self._service = service

    def Configure(self, request: pb.ConfigureRequest, context: grpc.ServicerContext) -> pb.ConfigureResponse:
        return pb.ConfigureResponse(log_level=self._service.configure(log_level=request.log_level or None))

    # -- names

    def ResolveNames(self, request: pb.ResolveNamesRequest, context: grpc.ServicerContext) -> pb.ResolveNamesResponse:
        found = self._service.resolve_names(request.kind, list(request.refs), project_id=request.project_id or None)
        return pb.ResolveNamesResponse(
            results=[
                pb.Resolution(ref=ref, found=named is not None, object=_object_name(named) if named else None)
                for ref, named in zip(request.refs, found, strict=True)
            ]
        )

    def DescribeObjects(
        self, request: pb.DescribeObjectsRequest, context: grpc.ServicerContext
    ) -> pb.DescribeObjectsResponse:
        described = self._service.describe_objects(request.kind, list(request.object_ids))
        return pb.DescribeObjectsResponse(objects=[_object_name(n) for n in described])

    def RenameObject(self, request: pb.RenameObjectRequest, context: grpc.ServicerContext) -> pb.RenameObjectResponse:
        kind, ref, scope = _ref(request.object)
        named = self._service.rename(kind, ref, name=request.name or None, slug=request.slug or None, **scope)
        return pb.RenameObjectResponse(object=_object_name(named))

    # -- tags

    def AddTags(self, request: pb.AddTagsRequest, context: grpc.ServicerContext) -> pb.AddTagsResponse:
        kind, ref, scope = _ref(request.object)
        return pb.AddTagsResponse(tags=self._service.add_tags(kind, ref, list(request.tags), **scope))

    def RemoveTags(self, request: pb.RemoveTagsRequest, context: grpc.ServicerContext) -> pb.RemoveTagsResponse:
        kind, ref, scope = _ref(request.object)
        return pb.RemoveTagsResponse(tags=self._service.remove_tags(kind, ref, list(request.tags), **scope))

    def ReplaceTags(self, request: pb.ReplaceTagsRequest, context: grpc.ServicerContext) -> pb.ReplaceTagsResponse:
        kind, ref, scope = _ref(request.object)
        return pb.ReplaceTagsResponse(tags=self._service.replace_tags(kind, ref, list(request.tags), **scope))

    def ListTags(self, request: pb.ListTagsRequest, context: grpc.ServicerContext) -> pb.ListTagsResponse:
        kind, ref, scope = _ref(request.object)
        page = self._service.list_tags(kind, ref, page_size=request.page_size, page_token=request.page_token, **scope)
        return pb.ListTagsResponse(tags=page.items, next_page_token=page.next_page_token)

    def FindByTags(self, request: pb.FindByTagsRequest, context: grpc.ServicerContext) -> pb.FindByTagsResponse:
        found, truncated = self._service.find_by_tags(
            list(request.tags),
            match_all=request.match != pb.TAG_MATCH_ANY,
            kind=request.kind or None,
            project_id=request.project_id or None,
            limit=request.limit,
        )
        return pb.FindByTagsResponse(objects=[_object_name(f) for f in found], truncated=truncated)

    # -- metadefs

    def CreateDefinition(
        self, request: pb.CreateDefinitionRequest, context: grpc.ServicerContext
    ) -> pb.CreateDefinitionResponse:
        info = self._service.create_definition(
            request.namespace,
            request.name,
            parse_json(request.schema_json, "schema_json", MAX_SCHEMA_BYTES),
            description=request.description,
            protected=request.protected,
            project_id=request.project_id or None,
            system=request.system,
        )
        return pb.CreateDefinitionResponse(definition=_definition(info))

    def GetDefinition(
        self, request: pb.GetDefinitionRequest, context: grpc.ServicerContext
    ) -> pb.GetDefinitionResponse:
        ref = request.definition
        info = self._service.get_definition(ref.namespace, ref.name, project_id=ref.project_id or None)
        return pb.GetDefinitionResponse(definition=_definition(info))

    def ListDefinitions(
        self, request: pb.ListDefinitionsRequest, context: grpc.ServicerContext
    ) -> pb.ListDefinitionsResponse:
        page = self._service.list_definitions(
            namespace=request.namespace or None,
            project_id=request.project_id or None,
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListDefinitionsResponse(
            definitions=[_definition(info) for info in page.items], next_page_token=page.next_page_token
        )

    def UpdateDefinition(
        self, request: pb.UpdateDefinitionRequest, context: grpc.ServicerContext
    ) -> pb.UpdateDefinitionResponse:
        ref = request.definition
        masked = mask_paths(request.update_mask, _DEFINITION_FIELDS)
        changes = masked if masked is not None else {f for f in _DEFINITION_FIELDS if request.HasField(f)}
        info = self._service.update_definition(
            ref.namespace,
            ref.name,
            project_id=ref.project_id or None,
            schema=parse_json(request.schema_json, "schema_json", MAX_SCHEMA_BYTES)
            if "schema_json" in changes
            else None,
            description=request.description if "description" in changes else None,
            protected=request.protected if "protected" in changes else None,
        )
        return pb.UpdateDefinitionResponse(definition=_definition(info))

    def DeleteDefinition(
        self, request: pb.DeleteDefinitionRequest, context: grpc.ServicerContext
    ) -> pb.DeleteDefinitionResponse:
        ref = request.definition
        self._service.delete_definition(ref.namespace, ref.name, project_id=ref.project_id or None)
        return pb.DeleteDefinitionResponse()

    def SetValue(self, request: pb.SetValueRequest, context: grpc.ServicerContext) -> pb.SetValueResponse:
        kind, ref, scope = _ref(request.object)
        value = self._service.set_value(
            kind,
            ref,
            request.namespace,
            request.name,
            parse_json(request.value_json, "value_json", MAX_VALUE_BYTES),
            **scope,
        )
        return pb.SetValueResponse(value=_value(value))

    def UnsetValue(self, request: pb.UnsetValueRequest, context: grpc.ServicerContext) -> pb.UnsetValueResponse:
        kind, ref, scope = _ref(request.object)
        self._service.unset_value(kind, ref, request.namespace, request.name, **scope)
        return pb.UnsetValueResponse()

    def ListValues(self, request: pb.ListValuesRequest, context: grpc.ServicerContext) -> pb.ListValuesResponse:
        kind, ref, scope = _ref(request.object)
        page = self._service.list_values(kind, ref, page_size=request.page_size, page_token=request.page_token, **scope)
        return pb.ListValuesResponse(values=[_value(v) for v in page.items], next_page_token=page.next_page_token)


def register(server: grpc.Server, service: MetaService) -> str:
    declare_caps(CAPS)
    pb_grpc.add_MetaServiceServicer_to_server(MetaServicer(service), server)
    return SERVICE_NAME
