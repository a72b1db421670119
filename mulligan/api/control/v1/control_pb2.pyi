import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HostKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HOST_KIND_UNSPECIFIED: _ClassVar[HostKind]
    HOST_KIND_HYPERVISOR: _ClassVar[HostKind]
    HOST_KIND_BAREMETAL: _ClassVar[HostKind]

class BmcProtocol(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BMC_PROTOCOL_UNSPECIFIED: _ClassVar[BmcProtocol]
    BMC_PROTOCOL_IPMI: _ClassVar[BmcProtocol]
    BMC_PROTOCOL_REDFISH: _ClassVar[BmcProtocol]

class PowerAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POWER_ACTION_UNSPECIFIED: _ClassVar[PowerAction]
    POWER_ACTION_ON: _ClassVar[PowerAction]
    POWER_ACTION_OFF: _ClassVar[PowerAction]
    POWER_ACTION_SOFT_OFF: _ClassVar[PowerAction]
    POWER_ACTION_REBOOT: _ClassVar[PowerAction]
    POWER_ACTION_SOFT_REBOOT: _ClassVar[PowerAction]

class HostState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HOST_STATE_UNSPECIFIED: _ClassVar[HostState]
    HOST_STATE_ENROLLING: _ClassVar[HostState]
    HOST_STATE_READY: _ClassVar[HostState]
    HOST_STATE_ERROR: _ClassVar[HostState]

class ImageFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMAGE_FORMAT_UNSPECIFIED: _ClassVar[ImageFormat]
    IMAGE_FORMAT_QCOW2: _ClassVar[ImageFormat]
    IMAGE_FORMAT_RAW: _ClassVar[ImageFormat]

class MachineState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MACHINE_STATE_UNSPECIFIED: _ClassVar[MachineState]
    MACHINE_STATE_REQUESTED: _ClassVar[MachineState]
    MACHINE_STATE_SCHEDULED: _ClassVar[MachineState]
    MACHINE_STATE_RESERVED: _ClassVar[MachineState]
    MACHINE_STATE_PROVISIONING: _ClassVar[MachineState]
    MACHINE_STATE_ACTIVE: _ClassVar[MachineState]
    MACHINE_STATE_DECOMMISSIONING: _ClassVar[MachineState]
    MACHINE_STATE_DECOMMISSIONED: _ClassVar[MachineState]
    MACHINE_STATE_ERROR: _ClassVar[MachineState]

class MachineKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MACHINE_KIND_UNSPECIFIED: _ClassVar[MachineKind]
    MACHINE_KIND_VM: _ClassVar[MachineKind]
    MACHINE_KIND_BAREMETAL: _ClassVar[MachineKind]
HOST_KIND_UNSPECIFIED: HostKind
HOST_KIND_HYPERVISOR: HostKind
HOST_KIND_BAREMETAL: HostKind
BMC_PROTOCOL_UNSPECIFIED: BmcProtocol
BMC_PROTOCOL_IPMI: BmcProtocol
BMC_PROTOCOL_REDFISH: BmcProtocol
POWER_ACTION_UNSPECIFIED: PowerAction
POWER_ACTION_ON: PowerAction
POWER_ACTION_OFF: PowerAction
POWER_ACTION_SOFT_OFF: PowerAction
POWER_ACTION_REBOOT: PowerAction
POWER_ACTION_SOFT_REBOOT: PowerAction
HOST_STATE_UNSPECIFIED: HostState
HOST_STATE_ENROLLING: HostState
HOST_STATE_READY: HostState
HOST_STATE_ERROR: HostState
IMAGE_FORMAT_UNSPECIFIED: ImageFormat
IMAGE_FORMAT_QCOW2: ImageFormat
IMAGE_FORMAT_RAW: ImageFormat
MACHINE_STATE_UNSPECIFIED: MachineState
MACHINE_STATE_REQUESTED: MachineState
MACHINE_STATE_SCHEDULED: MachineState
MACHINE_STATE_RESERVED: MachineState
MACHINE_STATE_PROVISIONING: MachineState
MACHINE_STATE_ACTIVE: MachineState
MACHINE_STATE_DECOMMISSIONING: MachineState
MACHINE_STATE_DECOMMISSIONED: MachineState
MACHINE_STATE_ERROR: MachineState
MACHINE_KIND_UNSPECIFIED: MachineKind
MACHINE_KIND_VM: MachineKind
MACHINE_KIND_BAREMETAL: MachineKind

class ConfigureRequest(_message.Message):
    __slots__ = ("log_level", "executor_workers", "image_sources")
    LOG_LEVEL_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_WORKERS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_SOURCES_FIELD_NUMBER: _ClassVar[int]
    log_level: str
    executor_workers: int
    image_sources: ImageSources
    def __init__(self, log_level: _Optional[str] = ..., executor_workers: _Optional[int] = ..., image_sources: _Optional[_Union[ImageSources, _Mapping]] = ...) -> None: ...

class ImageSources(_message.Message):
    __slots__ = ("sources",)
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    sources: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, sources: _Optional[_Iterable[str]] = ...) -> None: ...

class ConfigureResponse(_message.Message):
    __slots__ = ("log_level", "executor_workers", "image_sources")
    LOG_LEVEL_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_WORKERS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_SOURCES_FIELD_NUMBER: _ClassVar[int]
    log_level: str
    executor_workers: int
    image_sources: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, log_level: _Optional[str] = ..., executor_workers: _Optional[int] = ..., image_sources: _Optional[_Iterable[str]] = ...) -> None: ...

class Bmc(_message.Message):
    __slots__ = ("address", "port", "username", "password", "protocol", "tls", "skip_tls_verify", "ca_pem", "timeout_s", "retries")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    TLS_FIELD_NUMBER: _ClassVar[int]
    SKIP_TLS_VERIFY_FIELD_NUMBER: _ClassVar[int]
    CA_PEM_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_S_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    address: str
    port: int
    username: str
    password: str
    protocol: BmcProtocol
    tls: bool
    skip_tls_verify: bool
    ca_pem: str
    timeout_s: float
    retries: int
    def __init__(self, address: _Optional[str] = ..., port: _Optional[int] = ..., username: _Optional[str] = ..., password: _Optional[str] = ..., protocol: _Optional[_Union[BmcProtocol, str]] = ..., tls: _Optional[bool] = ..., skip_tls_verify: _Optional[bool] = ..., ca_pem: _Optional[str] = ..., timeout_s: _Optional[float] = ..., retries: _Optional[int] = ...) -> None: ...

class NodeProperties(_message.Message):
    __slots__ = ("cpus", "memory_mb", "disk_gb", "arch", "traits", "macs")
    CPUS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MB_FIELD_NUMBER: _ClassVar[int]
    DISK_GB_FIELD_NUMBER: _ClassVar[int]
    ARCH_FIELD_NUMBER: _ClassVar[int]
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    MACS_FIELD_NUMBER: _ClassVar[int]
    cpus: int
    memory_mb: int
    disk_gb: int
    arch: str
    traits: _containers.RepeatedScalarFieldContainer[str]
    macs: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cpus: _Optional[int] = ..., memory_mb: _Optional[int] = ..., disk_gb: _Optional[int] = ..., arch: _Optional[str] = ..., traits: _Optional[_Iterable[str]] = ..., macs: _Optional[_Iterable[str]] = ...) -> None: ...

class Host(_message.Message):
    __slots__ = ("id", "name", "kind", "region_id", "uri", "bmc", "state", "enabled", "provider_id", "error", "cpus", "memory_mb", "disk_gb", "traits", "inspected_at", "created_at", "power_state", "power_synced_at", "maintenance", "maintenance_reason", "macs", "create_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REGION_ID_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    BMC_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CPUS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MB_FIELD_NUMBER: _ClassVar[int]
    DISK_GB_FIELD_NUMBER: _ClassVar[int]
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    INSPECTED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    POWER_STATE_FIELD_NUMBER: _ClassVar[int]
    POWER_SYNCED_AT_FIELD_NUMBER: _ClassVar[int]
    MAINTENANCE_FIELD_NUMBER: _ClassVar[int]
    MAINTENANCE_REASON_FIELD_NUMBER: _ClassVar[int]
    MACS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: HostKind
    region_id: str
    uri: str
    bmc: Bmc
    state: HostState
    enabled: bool
    provider_id: str
    error: str
    cpus: int
    memory_mb: int
    disk_gb: int
    traits: _containers.RepeatedScalarFieldContainer[str]
    inspected_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    power_state: str
    power_synced_at: _timestamp_pb2.Timestamp
    maintenance: bool
    maintenance_reason: str
    macs: _containers.RepeatedScalarFieldContainer[str]
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[HostKind, str]] = ..., region_id: _Optional[str] = ..., uri: _Optional[str] = ..., bmc: _Optional[_Union[Bmc, _Mapping]] = ..., state: _Optional[_Union[HostState, str]] = ..., enabled: _Optional[bool] = ..., provider_id: _Optional[str] = ..., error: _Optional[str] = ..., cpus: _Optional[int] = ..., memory_mb: _Optional[int] = ..., disk_gb: _Optional[int] = ..., traits: _Optional[_Iterable[str]] = ..., inspected_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., power_state: _Optional[str] = ..., power_synced_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., maintenance: _Optional[bool] = ..., maintenance_reason: _Optional[str] = ..., macs: _Optional[_Iterable[str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EnrollHostRequest(_message.Message):
    __slots__ = ("name", "kind", "region", "uri", "bmc", "disabled", "properties")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    BMC_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: HostKind
    region: str
    uri: str
    bmc: Bmc
    disabled: bool
    properties: NodeProperties
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[HostKind, str]] = ..., region: _Optional[str] = ..., uri: _Optional[str] = ..., bmc: _Optional[_Union[Bmc, _Mapping]] = ..., disabled: _Optional[bool] = ..., properties: _Optional[_Union[NodeProperties, _Mapping]] = ...) -> None: ...

class EnrollHostResponse(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: Host
    def __init__(self, host: _Optional[_Union[Host, _Mapping]] = ...) -> None: ...

class GetHostRequest(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: str
    def __init__(self, host: _Optional[str] = ...) -> None: ...

class GetHostResponse(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: Host
    def __init__(self, host: _Optional[_Union[Host, _Mapping]] = ...) -> None: ...

class ListHostsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListHostsResponse(_message.Message):
    __slots__ = ("hosts", "next_page_token")
    HOSTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    hosts: _containers.RepeatedCompositeFieldContainer[Host]
    next_page_token: str
    def __init__(self, hosts: _Optional[_Iterable[_Union[Host, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateHostRequest(_message.Message):
    __slots__ = ("host", "update_mask")
    HOST_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    host: Host
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, host: _Optional[_Union[Host, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateHostResponse(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: Host
    def __init__(self, host: _Optional[_Union[Host, _Mapping]] = ...) -> None: ...

class InspectHostRequest(_message.Message):
    __slots__ = ("host", "in_band")
    HOST_FIELD_NUMBER: _ClassVar[int]
    IN_BAND_FIELD_NUMBER: _ClassVar[int]
    host: str
    in_band: bool
    def __init__(self, host: _Optional[str] = ..., in_band: _Optional[bool] = ...) -> None: ...

class InspectHostResponse(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: Host
    def __init__(self, host: _Optional[_Union[Host, _Mapping]] = ...) -> None: ...

class DeleteHostRequest(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: str
    def __init__(self, host: _Optional[str] = ...) -> None: ...

class DeleteHostResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetHostPowerRequest(_message.Message):
    __slots__ = ("host", "action")
    HOST_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    host: str
    action: PowerAction
    def __init__(self, host: _Optional[str] = ..., action: _Optional[_Union[PowerAction, str]] = ...) -> None: ...

class SetHostPowerResponse(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: Host
    def __init__(self, host: _Optional[_Union[Host, _Mapping]] = ...) -> None: ...

class SetHostMaintenanceRequest(_message.Message):
    __slots__ = ("host", "maintenance", "reason")
    HOST_FIELD_NUMBER: _ClassVar[int]
    MAINTENANCE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    host: str
    maintenance: bool
    reason: str
    def __init__(self, host: _Optional[str] = ..., maintenance: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class SetHostMaintenanceResponse(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: Host
    def __init__(self, host: _Optional[_Union[Host, _Mapping]] = ...) -> None: ...

class Image(_message.Message):
    __slots__ = ("id", "name", "format", "source", "size_gb", "os_hints", "project_id", "created_at", "create_time")
    class OsHintsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    OS_HINTS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    format: ImageFormat
    source: str
    size_gb: int
    os_hints: _containers.ScalarMap[str, str]
    project_id: str
    created_at: _timestamp_pb2.Timestamp
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., format: _Optional[_Union[ImageFormat, str]] = ..., source: _Optional[str] = ..., size_gb: _Optional[int] = ..., os_hints: _Optional[_Mapping[str, str]] = ..., project_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateImageRequest(_message.Message):
    __slots__ = ("name", "format", "source", "size_gb", "os_hints", "project", "system")
    class OsHintsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SIZE_GB_FIELD_NUMBER: _ClassVar[int]
    OS_HINTS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_FIELD_NUMBER: _ClassVar[int]
    name: str
    format: ImageFormat
    source: str
    size_gb: int
    os_hints: _containers.ScalarMap[str, str]
    project: str
    system: bool
    def __init__(self, name: _Optional[str] = ..., format: _Optional[_Union[ImageFormat, str]] = ..., source: _Optional[str] = ..., size_gb: _Optional[int] = ..., os_hints: _Optional[_Mapping[str, str]] = ..., project: _Optional[str] = ..., system: _Optional[bool] = ...) -> None: ...

class CreateImageResponse(_message.Message):
    __slots__ = ("image",)
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    image: Image
    def __init__(self, image: _Optional[_Union[Image, _Mapping]] = ...) -> None: ...

class GetImageRequest(_message.Message):
    __slots__ = ("image",)
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    image: str
    def __init__(self, image: _Optional[str] = ...) -> None: ...

class GetImageResponse(_message.Message):
    __slots__ = ("image",)
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    image: Image
    def __init__(self, image: _Optional[_Union[Image, _Mapping]] = ...) -> None: ...

class ListImagesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListImagesResponse(_message.Message):
    __slots__ = ("images", "next_page_token")
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    images: _containers.RepeatedCompositeFieldContainer[Image]
    next_page_token: str
    def __init__(self, images: _Optional[_Iterable[_Union[Image, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteImageRequest(_message.Message):
    __slots__ = ("image",)
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    image: str
    def __init__(self, image: _Optional[str] = ...) -> None: ...

class DeleteImageResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Resources(_message.Message):
    __slots__ = ("vcpus", "memory_mb", "disk_gb")
    VCPUS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MB_FIELD_NUMBER: _ClassVar[int]
    DISK_GB_FIELD_NUMBER: _ClassVar[int]
    vcpus: int
    memory_mb: int
    disk_gb: int
    def __init__(self, vcpus: _Optional[int] = ..., memory_mb: _Optional[int] = ..., disk_gb: _Optional[int] = ...) -> None: ...

class Machine(_message.Message):
    __slots__ = ("id", "name", "project_id", "kind", "state", "error", "resources", "image_id", "host_id", "region_id", "network", "start", "end", "created_at", "updated_at", "step", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    HOST_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    project_id: str
    kind: MachineKind
    state: MachineState
    error: str
    resources: Resources
    image_id: str
    host_id: str
    region_id: str
    network: str
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    step: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., project_id: _Optional[str] = ..., kind: _Optional[_Union[MachineKind, str]] = ..., state: _Optional[_Union[MachineState, str]] = ..., error: _Optional[str] = ..., resources: _Optional[_Union[Resources, _Mapping]] = ..., image_id: _Optional[str] = ..., host_id: _Optional[str] = ..., region_id: _Optional[str] = ..., network: _Optional[str] = ..., start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., step: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProvisionMachineRequest(_message.Message):
    __slots__ = ("name", "project", "kind", "resources", "shape", "required_traits", "forbidden_traits", "region", "image", "ssh_keys", "user_data", "network", "start", "end")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    SHAPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_TRAITS_FIELD_NUMBER: _ClassVar[int]
    FORBIDDEN_TRAITS_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    SSH_KEYS_FIELD_NUMBER: _ClassVar[int]
    USER_DATA_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    name: str
    project: str
    kind: MachineKind
    resources: Resources
    shape: str
    required_traits: _containers.RepeatedScalarFieldContainer[str]
    forbidden_traits: _containers.RepeatedScalarFieldContainer[str]
    region: str
    image: str
    ssh_keys: _containers.RepeatedScalarFieldContainer[str]
    user_data: str
    network: str
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., project: _Optional[str] = ..., kind: _Optional[_Union[MachineKind, str]] = ..., resources: _Optional[_Union[Resources, _Mapping]] = ..., shape: _Optional[str] = ..., required_traits: _Optional[_Iterable[str]] = ..., forbidden_traits: _Optional[_Iterable[str]] = ..., region: _Optional[str] = ..., image: _Optional[str] = ..., ssh_keys: _Optional[_Iterable[str]] = ..., user_data: _Optional[str] = ..., network: _Optional[str] = ..., start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProvisionMachineResponse(_message.Message):
    __slots__ = ("machine",)
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    machine: Machine
    def __init__(self, machine: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...

class GetMachineRequest(_message.Message):
    __slots__ = ("machine",)
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    machine: str
    def __init__(self, machine: _Optional[str] = ...) -> None: ...

class GetMachineResponse(_message.Message):
    __slots__ = ("machine",)
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    machine: Machine
    def __init__(self, machine: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...

class ListMachinesRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "states", "host", "project")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    states: _containers.RepeatedScalarFieldContainer[MachineState]
    host: str
    project: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., states: _Optional[_Iterable[_Union[MachineState, str]]] = ..., host: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class ListMachinesResponse(_message.Message):
    __slots__ = ("machines", "next_page_token")
    MACHINES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    machines: _containers.RepeatedCompositeFieldContainer[Machine]
    next_page_token: str
    def __init__(self, machines: _Optional[_Iterable[_Union[Machine, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DecommissionMachineRequest(_message.Message):
    __slots__ = ("machine",)
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    machine: str
    def __init__(self, machine: _Optional[str] = ...) -> None: ...

class DecommissionMachineResponse(_message.Message):
    __slots__ = ("machine",)
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    machine: Machine
    def __init__(self, machine: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...

class UpdateMachineWindowRequest(_message.Message):
    __slots__ = ("machine", "start", "end", "open_end")
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    OPEN_END_FIELD_NUMBER: _ClassVar[int]
    machine: str
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    open_end: bool
    def __init__(self, machine: _Optional[str] = ..., start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., open_end: _Optional[bool] = ...) -> None: ...

class UpdateMachineWindowResponse(_message.Message):
    __slots__ = ("machine",)
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    machine: Machine
    def __init__(self, machine: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...

class SetMachinePowerRequest(_message.Message):
    __slots__ = ("machine", "action")
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    machine: str
    action: PowerAction
    def __init__(self, machine: _Optional[str] = ..., action: _Optional[_Union[PowerAction, str]] = ...) -> None: ...

class SetMachinePowerResponse(_message.Message):
    __slots__ = ("machine",)
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    machine: Machine
    def __init__(self, machine: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...

class WatchMachinesRequest(_message.Message):
    __slots__ = ("start_revision",)
    START_REVISION_FIELD_NUMBER: _ClassVar[int]
    start_revision: int
    def __init__(self, start_revision: _Optional[int] = ...) -> None: ...

class WatchMachinesResponse(_message.Message):
    __slots__ = ("revision", "machine")
    REVISION_FIELD_NUMBER: _ClassVar[int]
    MACHINE_FIELD_NUMBER: _ClassVar[int]
    revision: int
    machine: Machine
    def __init__(self, revision: _Optional[int] = ..., machine: _Optional[_Union[Machine, _Mapping]] = ...) -> None: ...
