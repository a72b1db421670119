"""gRPC adapter of the resource module: proto <-> domain, nothing else."""

from __future__ import annotations

import grpc

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.api.resource.v1 import resource_pb2_grpc as pb_grpc
from mulligan.resource.service import ResourceService

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ResourceService"].full_name


class ResourceServicer(pb_grpc.ResourceServiceServicer):
    def __init__(self, service: ResourceService) -> None:
        self._service = service

    def Configure(self, request: pb.ConfigureRequest, context: grpc.ServicerContext) -> pb.ConfigureResponse:
        return pb.ConfigureResponse(log_level=self._service.configure(log_level=request.log_level or None))


def register(server: grpc.Server, service: ResourceService) -> str:
    pb_grpc.add_ResourceServiceServicer_to_server(ResourceServicer(service), server)
    return SERVICE_NAME
