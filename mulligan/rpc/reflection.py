"""Server reflection under both names clients use: grpc.reflection.v1 and
the older grpc.reflection.v1alpha.

grpcio-reflection ships only v1alpha. The two protocols are the same
messages under another package name, so v1 is served by the same servicer:
its descriptor is derived from v1alpha's at start (so reflection can
describe itself under both names) and its method decodes and encodes with
the v1alpha message classes, whose wire format is identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import grpc
from google.protobuf import descriptor, descriptor_pb2, descriptor_pool
from google.rpc import error_details_pb2
from grpc_reflection.v1alpha import reflection
from grpc_reflection.v1alpha import reflection_pb2 as alpha

V1_SERVICE_NAME = "grpc.reflection.v1.ServerReflection"
_V1_FILE = "grpc/reflection/v1/reflection.proto"
_ALPHA_PACKAGE = "grpc.reflection.v1alpha"
_V1_PACKAGE = "grpc.reflection.v1"


def _v1_descriptor(pool: descriptor_pool.DescriptorPool) -> None:
    try:
        pool.FindFileByName(_V1_FILE)
        return
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto()
    alpha.DESCRIPTOR.CopyToProto(proto)
    proto.name = _V1_FILE
    proto.package = _V1_PACKAGE
    proto.ClearField("options")
    old, new = f".{_ALPHA_PACKAGE}.", f".{_V1_PACKAGE}."
    for message in proto.message_type:
        for field in message.field:
            if field.HasField("type_name"):
                field.type_name = field.type_name.replace(old, new)
    for service in proto.service:
        for method in service.method:
            method.input_type = method.input_type.replace(old, new)
            method.output_type = method.output_type.replace(old, new)
    pool.AddSerializedFile(proto.SerializeToString())


def _with_dependencies(file: descriptor.FileDescriptor, found: dict[str, bytes]) -> dict[str, bytes]:
    if file.name not in found:
        proto = descriptor_pb2.FileDescriptorProto()
        file.CopyToProto(proto)
        found[file.name] = proto.SerializeToString()
        for dependency in file.dependencies:
            _with_dependencies(dependency, found)
    return found


class _Servicer(reflection.ReflectionServicer):  # type: ignore[misc]
    """Every file answer also carries google/rpc/error_details.proto.

    Errors carry google.rpc.ErrorInfo (and RetryInfo) details, but no
    service file imports their file, and clients such as buf curl decode a
    detail only with the files they were sent: without it they show the
    detail as bytes.
    """

    _error_files = tuple(_with_dependencies(error_details_pb2.DESCRIPTOR, {}).values())

    def ServerReflectionInfo(
        self, request_iterator: Iterator[alpha.ServerReflectionRequest], context: grpc.ServicerContext
    ) -> Iterator[alpha.ServerReflectionResponse]:
        for response in super().ServerReflectionInfo(request_iterator, context):
            if response.HasField("file_descriptor_response"):
                files = response.file_descriptor_response.file_descriptor_proto
                files.extend(extra for extra in self._error_files if extra not in files)
            yield response


def enable(server: grpc.Server, service_names: Iterable[str]) -> None:
    """Serve reflection (both versions) for these services and the error detail types."""
    pool = descriptor_pool.Default()
    _v1_descriptor(pool)
    servicer = _Servicer([*service_names, reflection.SERVICE_NAME, V1_SERVICE_NAME], pool=pool)
    handler = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=alpha.ServerReflectionRequest.FromString,
        response_serializer=alpha.ServerReflectionResponse.SerializeToString,
    )
    server.add_generic_rpc_handlers(
        [
            grpc.method_handlers_generic_handler(name, {"ServerReflectionInfo": handler})
            for name in (reflection.SERVICE_NAME, V1_SERVICE_NAME)
        ]
    )
