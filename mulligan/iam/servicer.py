"""gRPC adapter of the iam module: proto <-> domain, nothing else."""

from __future__ import annotations

import grpc

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.api.iam.v1 import iam_pb2_grpc as pb_grpc
from mulligan.iam.service import IamService

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["IamService"].full_name


class IamServicer(pb_grpc.IamServiceServicer):
    def __init__(self, service: IamService) -> None:
        self._service = service

    def Configure(self, request: pb.ConfigureRequest, context: grpc.ServicerContext) -> pb.ConfigureResponse:
        return pb.ConfigureResponse(log_level=self._service.configure(log_level=request.log_level or None))


def register(server: grpc.Server, service: IamService) -> str:
    pb_grpc.add_IamServiceServicer_to_server(IamServicer(service), server)
    return SERVICE_NAME
