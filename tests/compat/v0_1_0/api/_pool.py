"""The descriptor pool holding this release's API, apart from the default
pool where today's ``mulligan.api`` registers the same file names."""

from google.protobuf import descriptor_pool, field_mask_pb2, timestamp_pb2

POOL = descriptor_pool.DescriptorPool()
for _dependency in (field_mask_pb2, timestamp_pb2):
    POOL.AddSerializedFile(_dependency.DESCRIPTOR.serialized_pb)
