"""gRPC adapter of the meta module: proto <-> domain, nothing else."""

from __future__ import annotations

import grpc

from mulligan.api.meta.v1 import meta_pb2 as pb
from mulligan.api.meta.v1 import meta_pb2_grpc as pb_grpc
from mulligan.meta.service import MetaService

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["MetaService"].full_name


class MetaServicer(pb_grpc.MetaServiceServicer):
    def __init__(self, service: MetaService) -> None:
        self._service = service

    def Configure(self, request: pb.ConfigureRequest, context: grpc.ServicerContext) -> pb.ConfigureResponse:
        return pb.ConfigureResponse(log_level=self._service.configure(log_level=request.log_level or None))


def register(server: grpc.Server, service: MetaService) -> str:
    pb_grpc.add_MetaServiceServicer_to_server(MetaServicer(service), server)
    return SERVICE_NAME
