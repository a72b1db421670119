"""gRPC adapter of the control module: proto <-> domain, nothing else."""

from __future__ import annotations

import grpc

from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.api.control.v1 import control_pb2_grpc as pb_grpc
from mulligan.control.service import ControlService

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ControlService"].full_name


class ControlServicer(pb_grpc.ControlServiceServicer):
    def __init__(self, service: ControlService) -> None:
        self._service = service

    def Configure(self, request: pb.ConfigureRequest, context: grpc.ServicerContext) -> pb.ConfigureResponse:
        settings = self._service.configure(
            log_level=request.log_level or None,
            executor_workers=request.executor_workers if request.HasField("executor_workers") else None,
        )
        return pb.ConfigureResponse(log_level=settings.log_level, executor_workers=settings.executor_workers)


def register(server: grpc.Server, service: ControlService) -> str:
    pb_grpc.add_ControlServiceServicer_to_server(ControlServicer(service), server)
    return SERVICE_NAME
