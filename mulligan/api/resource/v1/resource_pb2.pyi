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

class Visibility(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VISIBILITY_UNSPECIFIED: _ClassVar[Visibility]
    VISIBILITY_INTERNAL: _ClassVar[Visibility]
    VISIBILITY_PUBLIC: _ClassVar[Visibility]

class Rank(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RANK_UNSPECIFIED: _ClassVar[Rank]
    RANK_PACK: _ClassVar[Rank]
    RANK_SPREAD: _ClassVar[Rank]
    RANK_NEAREST: _ClassVar[Rank]

class Ties(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TIES_UNSPECIFIED: _ClassVar[Ties]
    TIES_DETERMINISTIC: _ClassVar[Ties]
    TIES_RANDOM: _ClassVar[Ties]

class GroupPolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GROUP_POLICY_UNSPECIFIED: _ClassVar[GroupPolicy]
    GROUP_POLICY_NONE: _ClassVar[GroupPolicy]
    GROUP_POLICY_ISOLATE: _ClassVar[GroupPolicy]
VISIBILITY_UNSPECIFIED: Visibility
VISIBILITY_INTERNAL: Visibility
VISIBILITY_PUBLIC: Visibility
RANK_UNSPECIFIED: Rank
RANK_PACK: Rank
RANK_SPREAD: Rank
RANK_NEAREST: Rank
TIES_UNSPECIFIED: Ties
TIES_DETERMINISTIC: Ties
TIES_RANDOM: Ties
GROUP_POLICY_UNSPECIFIED: GroupPolicy
GROUP_POLICY_NONE: GroupPolicy
GROUP_POLICY_ISOLATE: GroupPolicy

class ConfigureRequest(_message.Message):
    __slots__ = ("log_level",)
    LOG_LEVEL_FIELD_NUMBER: _ClassVar[int]
    log_level: str
    def __init__(self, log_level: _Optional[str] = ...) -> None: ...

class ConfigureResponse(_message.Message):
    __slots__ = ("log_level",)
    LOG_LEVEL_FIELD_NUMBER: _ClassVar[int]
    log_level: str
    def __init__(self, log_level: _Optional[str] = ...) -> None: ...

class Region(_message.Message):
    __slots__ = ("id", "name", "parent_id", "attributes", "visibility", "create_time")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    parent_id: str
    attributes: _containers.ScalarMap[str, str]
    visibility: Visibility
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., parent_id: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., visibility: _Optional[_Union[Visibility, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateRegionRequest(_message.Message):
    __slots__ = ("name", "parent", "attributes", "visibility")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    name: str
    parent: str
    attributes: _containers.ScalarMap[str, str]
    visibility: Visibility
    def __init__(self, name: _Optional[str] = ..., parent: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., visibility: _Optional[_Union[Visibility, str]] = ...) -> None: ...

class CreateRegionResponse(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: Region
    def __init__(self, region: _Optional[_Union[Region, _Mapping]] = ...) -> None: ...

class GetRegionRequest(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: str
    def __init__(self, region: _Optional[str] = ...) -> None: ...

class GetRegionResponse(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: Region
    def __init__(self, region: _Optional[_Union[Region, _Mapping]] = ...) -> None: ...

class ListRegionsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRegionsResponse(_message.Message):
    __slots__ = ("regions", "next_page_token")
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    regions: _containers.RepeatedCompositeFieldContainer[Region]
    next_page_token: str
    def __init__(self, regions: _Optional[_Iterable[_Union[Region, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateRegionRequest(_message.Message):
    __slots__ = ("region", "attributes", "update_attributes", "visibility", "parent", "make_root", "update_mask")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    REGION_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    UPDATE_ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    MAKE_ROOT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    region: str
    attributes: _containers.ScalarMap[str, str]
    update_attributes: bool
    visibility: Visibility
    parent: str
    make_root: bool
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, region: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., update_attributes: _Optional[bool] = ..., visibility: _Optional[_Union[Visibility, str]] = ..., parent: _Optional[str] = ..., make_root: _Optional[bool] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateRegionResponse(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: Region
    def __init__(self, region: _Optional[_Union[Region, _Mapping]] = ...) -> None: ...

class DeleteRegionRequest(_message.Message):
    __slots__ = ("region",)
    REGION_FIELD_NUMBER: _ClassVar[int]
    region: str
    def __init__(self, region: _Optional[str] = ...) -> None: ...

class DeleteRegionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResourceClass(_message.Message):
    __slots__ = ("code", "standard")
    CODE_FIELD_NUMBER: _ClassVar[int]
    STANDARD_FIELD_NUMBER: _ClassVar[int]
    code: str
    standard: bool
    def __init__(self, code: _Optional[str] = ..., standard: _Optional[bool] = ...) -> None: ...

class CreateResourceClassRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class CreateResourceClassResponse(_message.Message):
    __slots__ = ("resource_class",)
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    resource_class: ResourceClass
    def __init__(self, resource_class: _Optional[_Union[ResourceClass, _Mapping]] = ...) -> None: ...

class ListResourceClassesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListResourceClassesResponse(_message.Message):
    __slots__ = ("resource_classes", "next_page_token")
    RESOURCE_CLASSES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    resource_classes: _containers.RepeatedCompositeFieldContainer[ResourceClass]
    next_page_token: str
    def __init__(self, resource_classes: _Optional[_Iterable[_Union[ResourceClass, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteResourceClassRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class DeleteResourceClassResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Trait(_message.Message):
    __slots__ = ("code", "standard")
    CODE_FIELD_NUMBER: _ClassVar[int]
    STANDARD_FIELD_NUMBER: _ClassVar[int]
    code: str
    standard: bool
    def __init__(self, code: _Optional[str] = ..., standard: _Optional[bool] = ...) -> None: ...

class CreateTraitRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class CreateTraitResponse(_message.Message):
    __slots__ = ("trait",)
    TRAIT_FIELD_NUMBER: _ClassVar[int]
    trait: Trait
    def __init__(self, trait: _Optional[_Union[Trait, _Mapping]] = ...) -> None: ...

class ListTraitsRequest(_message.Message):
    __slots__ = ("prefix", "page_size", "page_token")
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    prefix: str
    page_size: int
    page_token: str
    def __init__(self, prefix: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTraitsResponse(_message.Message):
    __slots__ = ("traits", "next_page_token")
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    traits: _containers.RepeatedCompositeFieldContainer[Trait]
    next_page_token: str
    def __init__(self, traits: _Optional[_Iterable[_Union[Trait, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteTraitRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class DeleteTraitResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class InventorySpec(_message.Message):
    __slots__ = ("resource_class", "total", "reserved", "min_unit", "max_unit", "step_size", "allocation_ratio")
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    RESERVED_FIELD_NUMBER: _ClassVar[int]
    MIN_UNIT_FIELD_NUMBER: _ClassVar[int]
    MAX_UNIT_FIELD_NUMBER: _ClassVar[int]
    STEP_SIZE_FIELD_NUMBER: _ClassVar[int]
    ALLOCATION_RATIO_FIELD_NUMBER: _ClassVar[int]
    resource_class: str
    total: int
    reserved: int
    min_unit: int
    max_unit: int
    step_size: int
    allocation_ratio: float
    def __init__(self, resource_class: _Optional[str] = ..., total: _Optional[int] = ..., reserved: _Optional[int] = ..., min_unit: _Optional[int] = ..., max_unit: _Optional[int] = ..., step_size: _Optional[int] = ..., allocation_ratio: _Optional[float] = ...) -> None: ...

class Inventory(_message.Message):
    __slots__ = ("resource_class", "total", "reserved", "min_unit", "max_unit", "step_size", "allocation_ratio", "capacity", "claimed")
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    RESERVED_FIELD_NUMBER: _ClassVar[int]
    MIN_UNIT_FIELD_NUMBER: _ClassVar[int]
    MAX_UNIT_FIELD_NUMBER: _ClassVar[int]
    STEP_SIZE_FIELD_NUMBER: _ClassVar[int]
    ALLOCATION_RATIO_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_FIELD_NUMBER: _ClassVar[int]
    resource_class: str
    total: int
    reserved: int
    min_unit: int
    max_unit: int
    step_size: int
    allocation_ratio: float
    capacity: int
    claimed: int
    def __init__(self, resource_class: _Optional[str] = ..., total: _Optional[int] = ..., reserved: _Optional[int] = ..., min_unit: _Optional[int] = ..., max_unit: _Optional[int] = ..., step_size: _Optional[int] = ..., allocation_ratio: _Optional[float] = ..., capacity: _Optional[int] = ..., claimed: _Optional[int] = ...) -> None: ...

class Provider(_message.Message):
    __slots__ = ("id", "name", "region_id", "parent_id", "root_id", "generation", "inventories", "traits", "group_ids", "shares_with_group_ids", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGION_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    INVENTORIES_FIELD_NUMBER: _ClassVar[int]
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    SHARES_WITH_GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    region_id: str
    parent_id: str
    root_id: str
    generation: int
    inventories: _containers.RepeatedCompositeFieldContainer[Inventory]
    traits: _containers.RepeatedScalarFieldContainer[str]
    group_ids: _containers.RepeatedScalarFieldContainer[str]
    shares_with_group_ids: _containers.RepeatedScalarFieldContainer[str]
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., region_id: _Optional[str] = ..., parent_id: _Optional[str] = ..., root_id: _Optional[str] = ..., generation: _Optional[int] = ..., inventories: _Optional[_Iterable[_Union[Inventory, _Mapping]]] = ..., traits: _Optional[_Iterable[str]] = ..., group_ids: _Optional[_Iterable[str]] = ..., shares_with_group_ids: _Optional[_Iterable[str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateProviderRequest(_message.Message):
    __slots__ = ("region", "name", "id", "parent", "inventories", "traits", "groups")
    REGION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    INVENTORIES_FIELD_NUMBER: _ClassVar[int]
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    region: str
    name: str
    id: str
    parent: str
    inventories: _containers.RepeatedCompositeFieldContainer[InventorySpec]
    traits: _containers.RepeatedScalarFieldContainer[str]
    groups: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, region: _Optional[str] = ..., name: _Optional[str] = ..., id: _Optional[str] = ..., parent: _Optional[str] = ..., inventories: _Optional[_Iterable[_Union[InventorySpec, _Mapping]]] = ..., traits: _Optional[_Iterable[str]] = ..., groups: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateProviderResponse(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class GetProviderRequest(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: str
    def __init__(self, provider: _Optional[str] = ...) -> None: ...

class GetProviderResponse(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class ListProvidersRequest(_message.Message):
    __slots__ = ("region", "tree", "parent", "roots_only", "trait", "group", "resource_class", "page_size", "page_token")
    REGION_FIELD_NUMBER: _ClassVar[int]
    TREE_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    ROOTS_ONLY_FIELD_NUMBER: _ClassVar[int]
    TRAIT_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    region: str
    tree: str
    parent: str
    roots_only: bool
    trait: str
    group: str
    resource_class: str
    page_size: int
    page_token: str
    def __init__(self, region: _Optional[str] = ..., tree: _Optional[str] = ..., parent: _Optional[str] = ..., roots_only: _Optional[bool] = ..., trait: _Optional[str] = ..., group: _Optional[str] = ..., resource_class: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListProvidersResponse(_message.Message):
    __slots__ = ("providers", "next_page_token")
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    providers: _containers.RepeatedCompositeFieldContainer[Provider]
    next_page_token: str
    def __init__(self, providers: _Optional[_Iterable[_Union[Provider, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateProviderRequest(_message.Message):
    __slots__ = ("provider", "parent", "make_root", "region", "generation", "update_mask")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    MAKE_ROOT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    provider: str
    parent: str
    make_root: bool
    region: str
    generation: int
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, provider: _Optional[str] = ..., parent: _Optional[str] = ..., make_root: _Optional[bool] = ..., region: _Optional[str] = ..., generation: _Optional[int] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateProviderResponse(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class DeleteProviderRequest(_message.Message):
    __slots__ = ("provider", "generation")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    provider: str
    generation: int
    def __init__(self, provider: _Optional[str] = ..., generation: _Optional[int] = ...) -> None: ...

class DeleteProviderResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetInventoriesRequest(_message.Message):
    __slots__ = ("provider", "inventories", "replace", "generation")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    INVENTORIES_FIELD_NUMBER: _ClassVar[int]
    REPLACE_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    provider: str
    inventories: _containers.RepeatedCompositeFieldContainer[InventorySpec]
    replace: bool
    generation: int
    def __init__(self, provider: _Optional[str] = ..., inventories: _Optional[_Iterable[_Union[InventorySpec, _Mapping]]] = ..., replace: _Optional[bool] = ..., generation: _Optional[int] = ...) -> None: ...

class SetInventoriesResponse(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class DeleteInventoryRequest(_message.Message):
    __slots__ = ("provider", "resource_class", "generation")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    provider: str
    resource_class: str
    generation: int
    def __init__(self, provider: _Optional[str] = ..., resource_class: _Optional[str] = ..., generation: _Optional[int] = ...) -> None: ...

class DeleteInventoryResponse(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class SetTraitsRequest(_message.Message):
    __slots__ = ("provider", "traits", "generation")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    provider: str
    traits: _containers.RepeatedScalarFieldContainer[str]
    generation: int
    def __init__(self, provider: _Optional[str] = ..., traits: _Optional[_Iterable[str]] = ..., generation: _Optional[int] = ...) -> None: ...

class SetTraitsResponse(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class ProviderGroup(_message.Message):
    __slots__ = ("id", "name", "members", "sharing_providers")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    SHARING_PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    members: int
    sharing_providers: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., members: _Optional[int] = ..., sharing_providers: _Optional[int] = ...) -> None: ...

class CreateGroupRequest(_message.Message):
    __slots__ = ("name", "id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class CreateGroupResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: ProviderGroup
    def __init__(self, group: _Optional[_Union[ProviderGroup, _Mapping]] = ...) -> None: ...

class GetGroupRequest(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: str
    def __init__(self, group: _Optional[str] = ...) -> None: ...

class GetGroupResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: ProviderGroup
    def __init__(self, group: _Optional[_Union[ProviderGroup, _Mapping]] = ...) -> None: ...

class ListGroupsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListGroupsResponse(_message.Message):
    __slots__ = ("groups", "next_page_token")
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[ProviderGroup]
    next_page_token: str
    def __init__(self, groups: _Optional[_Iterable[_Union[ProviderGroup, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteGroupRequest(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: str
    def __init__(self, group: _Optional[str] = ...) -> None: ...

class DeleteGroupResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AddGroupMembersRequest(_message.Message):
    __slots__ = ("group", "providers")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    group: str
    providers: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, group: _Optional[str] = ..., providers: _Optional[_Iterable[str]] = ...) -> None: ...

class AddGroupMembersResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: ProviderGroup
    def __init__(self, group: _Optional[_Union[ProviderGroup, _Mapping]] = ...) -> None: ...

class RemoveGroupMembersRequest(_message.Message):
    __slots__ = ("group", "providers")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    group: str
    providers: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, group: _Optional[str] = ..., providers: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveGroupMembersResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: ProviderGroup
    def __init__(self, group: _Optional[_Union[ProviderGroup, _Mapping]] = ...) -> None: ...

class ListGroupMembersRequest(_message.Message):
    __slots__ = ("group", "page_size", "page_token")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    group: str
    page_size: int
    page_token: str
    def __init__(self, group: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListGroupMembersResponse(_message.Message):
    __slots__ = ("provider_ids", "next_page_token")
    PROVIDER_IDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    provider_ids: _containers.RepeatedScalarFieldContainer[str]
    next_page_token: str
    def __init__(self, provider_ids: _Optional[_Iterable[str]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ShareInventoryRequest(_message.Message):
    __slots__ = ("provider", "group")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    provider: str
    group: str
    def __init__(self, provider: _Optional[str] = ..., group: _Optional[str] = ...) -> None: ...

class ShareInventoryResponse(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class UnshareInventoryRequest(_message.Message):
    __slots__ = ("provider", "group")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    provider: str
    group: str
    def __init__(self, provider: _Optional[str] = ..., group: _Optional[str] = ...) -> None: ...

class UnshareInventoryResponse(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class Distance(_message.Message):
    __slots__ = ("provider_id", "other_id", "distance")
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    OTHER_ID_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    provider_id: str
    other_id: str
    distance: int
    def __init__(self, provider_id: _Optional[str] = ..., other_id: _Optional[str] = ..., distance: _Optional[int] = ...) -> None: ...

class SetDistanceRequest(_message.Message):
    __slots__ = ("provider", "other", "distance")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    OTHER_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    provider: str
    other: str
    distance: int
    def __init__(self, provider: _Optional[str] = ..., other: _Optional[str] = ..., distance: _Optional[int] = ...) -> None: ...

class SetDistanceResponse(_message.Message):
    __slots__ = ("distance",)
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    distance: Distance
    def __init__(self, distance: _Optional[_Union[Distance, _Mapping]] = ...) -> None: ...

class DeleteDistanceRequest(_message.Message):
    __slots__ = ("provider", "other")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    OTHER_FIELD_NUMBER: _ClassVar[int]
    provider: str
    other: str
    def __init__(self, provider: _Optional[str] = ..., other: _Optional[str] = ...) -> None: ...

class DeleteDistanceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListDistancesRequest(_message.Message):
    __slots__ = ("provider", "max_distance", "page_size", "page_token")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MAX_DISTANCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    provider: str
    max_distance: int
    page_size: int
    page_token: str
    def __init__(self, provider: _Optional[str] = ..., max_distance: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDistancesResponse(_message.Message):
    __slots__ = ("distances", "next_page_token")
    DISTANCES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    distances: _containers.RepeatedCompositeFieldContainer[Distance]
    next_page_token: str
    def __init__(self, distances: _Optional[_Iterable[_Union[Distance, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Window(_message.Message):
    __slots__ = ("start_time", "end_time")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Allocation(_message.Message):
    __slots__ = ("provider_id", "resource_class", "amount")
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    provider_id: str
    resource_class: str
    amount: int
    def __init__(self, provider_id: _Optional[str] = ..., resource_class: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...

class Claim(_message.Message):
    __slots__ = ("consumer_id", "project_id", "kind", "generation", "start_time", "end_time", "allocations", "create_time", "managed_by")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    MANAGED_BY_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    project_id: str
    kind: str
    generation: int
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    create_time: _timestamp_pb2.Timestamp
    managed_by: str
    def __init__(self, consumer_id: _Optional[str] = ..., project_id: _Optional[str] = ..., kind: _Optional[str] = ..., generation: _Optional[int] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., managed_by: _Optional[str] = ...) -> None: ...

class CreateClaimRequest(_message.Message):
    __slots__ = ("consumer_id", "project_id", "kind", "allocations", "window")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    project_id: str
    kind: str
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    window: Window
    def __init__(self, consumer_id: _Optional[str] = ..., project_id: _Optional[str] = ..., kind: _Optional[str] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ..., window: _Optional[_Union[Window, _Mapping]] = ...) -> None: ...

class CreateClaimResponse(_message.Message):
    __slots__ = ("claim",)
    CLAIM_FIELD_NUMBER: _ClassVar[int]
    claim: Claim
    def __init__(self, claim: _Optional[_Union[Claim, _Mapping]] = ...) -> None: ...

class GetClaimRequest(_message.Message):
    __slots__ = ("consumer_id", "project_id")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    project_id: str
    def __init__(self, consumer_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class GetClaimResponse(_message.Message):
    __slots__ = ("claim",)
    CLAIM_FIELD_NUMBER: _ClassVar[int]
    claim: Claim
    def __init__(self, claim: _Optional[_Union[Claim, _Mapping]] = ...) -> None: ...

class ListClaimsRequest(_message.Message):
    __slots__ = ("consumer_id", "provider", "project_id", "start_time", "end_time", "page_size", "page_token")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    provider: str
    project_id: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, consumer_id: _Optional[str] = ..., provider: _Optional[str] = ..., project_id: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListClaimsResponse(_message.Message):
    __slots__ = ("claims", "next_page_token")
    CLAIMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    claims: _containers.RepeatedCompositeFieldContainer[Claim]
    next_page_token: str
    def __init__(self, claims: _Optional[_Iterable[_Union[Claim, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ReplaceClaimRequest(_message.Message):
    __slots__ = ("consumer_id", "allocations", "window", "generation", "project_id")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    window: Window
    generation: int
    project_id: str
    def __init__(self, consumer_id: _Optional[str] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ..., window: _Optional[_Union[Window, _Mapping]] = ..., generation: _Optional[int] = ..., project_id: _Optional[str] = ...) -> None: ...

class ReplaceClaimResponse(_message.Message):
    __slots__ = ("claim",)
    CLAIM_FIELD_NUMBER: _ClassVar[int]
    claim: Claim
    def __init__(self, claim: _Optional[_Union[Claim, _Mapping]] = ...) -> None: ...

class UpdateClaimWindowRequest(_message.Message):
    __slots__ = ("consumer_id", "window", "generation", "project_id")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    window: Window
    generation: int
    project_id: str
    def __init__(self, consumer_id: _Optional[str] = ..., window: _Optional[_Union[Window, _Mapping]] = ..., generation: _Optional[int] = ..., project_id: _Optional[str] = ...) -> None: ...

class UpdateClaimWindowResponse(_message.Message):
    __slots__ = ("claim",)
    CLAIM_FIELD_NUMBER: _ClassVar[int]
    claim: Claim
    def __init__(self, claim: _Optional[_Union[Claim, _Mapping]] = ...) -> None: ...

class ReleaseClaimRequest(_message.Message):
    __slots__ = ("consumer_id", "project_id")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    project_id: str
    def __init__(self, consumer_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class ReleaseClaimResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResourceAmount(_message.Message):
    __slots__ = ("resource_class", "amount")
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    resource_class: str
    amount: int
    def __init__(self, resource_class: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...

class TraitSet(_message.Message):
    __slots__ = ("traits",)
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    traits: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, traits: _Optional[_Iterable[str]] = ...) -> None: ...

class Near(_message.Message):
    __slots__ = ("provider", "max_distance")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MAX_DISTANCE_FIELD_NUMBER: _ClassVar[int]
    provider: str
    max_distance: int
    def __init__(self, provider: _Optional[str] = ..., max_distance: _Optional[int] = ...) -> None: ...

class RequestGroup(_message.Message):
    __slots__ = ("label", "resources", "required_traits", "forbidden_traits", "any_traits", "member_of", "not_member_of", "in_tree", "near")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_TRAITS_FIELD_NUMBER: _ClassVar[int]
    FORBIDDEN_TRAITS_FIELD_NUMBER: _ClassVar[int]
    ANY_TRAITS_FIELD_NUMBER: _ClassVar[int]
    MEMBER_OF_FIELD_NUMBER: _ClassVar[int]
    NOT_MEMBER_OF_FIELD_NUMBER: _ClassVar[int]
    IN_TREE_FIELD_NUMBER: _ClassVar[int]
    NEAR_FIELD_NUMBER: _ClassVar[int]
    label: str
    resources: _containers.RepeatedCompositeFieldContainer[ResourceAmount]
    required_traits: _containers.RepeatedScalarFieldContainer[str]
    forbidden_traits: _containers.RepeatedScalarFieldContainer[str]
    any_traits: _containers.RepeatedCompositeFieldContainer[TraitSet]
    member_of: _containers.RepeatedScalarFieldContainer[str]
    not_member_of: _containers.RepeatedScalarFieldContainer[str]
    in_tree: str
    near: Near
    def __init__(self, label: _Optional[str] = ..., resources: _Optional[_Iterable[_Union[ResourceAmount, _Mapping]]] = ..., required_traits: _Optional[_Iterable[str]] = ..., forbidden_traits: _Optional[_Iterable[str]] = ..., any_traits: _Optional[_Iterable[_Union[TraitSet, _Mapping]]] = ..., member_of: _Optional[_Iterable[str]] = ..., not_member_of: _Optional[_Iterable[str]] = ..., in_tree: _Optional[str] = ..., near: _Optional[_Union[Near, _Mapping]] = ...) -> None: ...

class SameSubtree(_message.Message):
    __slots__ = ("labels",)
    LABELS_FIELD_NUMBER: _ClassVar[int]
    labels: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, labels: _Optional[_Iterable[str]] = ...) -> None: ...

class FindCandidatesRequest(_message.Message):
    __slots__ = ("groups", "same_subtree", "group_policy", "region", "window", "limit", "rank", "ties", "page_size", "page_token")
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    SAME_SUBTREE_FIELD_NUMBER: _ClassVar[int]
    GROUP_POLICY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    TIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[RequestGroup]
    same_subtree: _containers.RepeatedCompositeFieldContainer[SameSubtree]
    group_policy: GroupPolicy
    region: str
    window: Window
    limit: int
    rank: Rank
    ties: Ties
    page_size: int
    page_token: str
    def __init__(self, groups: _Optional[_Iterable[_Union[RequestGroup, _Mapping]]] = ..., same_subtree: _Optional[_Iterable[_Union[SameSubtree, _Mapping]]] = ..., group_policy: _Optional[_Union[GroupPolicy, str]] = ..., region: _Optional[str] = ..., window: _Optional[_Union[Window, _Mapping]] = ..., limit: _Optional[int] = ..., rank: _Optional[_Union[Rank, str]] = ..., ties: _Optional[_Union[Ties, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ResourceUsage(_message.Message):
    __slots__ = ("resource_class", "capacity", "used")
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    resource_class: str
    capacity: int
    used: int
    def __init__(self, resource_class: _Optional[str] = ..., capacity: _Optional[int] = ..., used: _Optional[int] = ...) -> None: ...

class ProviderSummary(_message.Message):
    __slots__ = ("provider_id", "root_id", "region_id", "resources")
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    provider_id: str
    root_id: str
    region_id: str
    resources: _containers.RepeatedCompositeFieldContainer[ResourceUsage]
    def __init__(self, provider_id: _Optional[str] = ..., root_id: _Optional[str] = ..., region_id: _Optional[str] = ..., resources: _Optional[_Iterable[_Union[ResourceUsage, _Mapping]]] = ...) -> None: ...

class Plan(_message.Message):
    __slots__ = ("label", "allocations")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    label: str
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    def __init__(self, label: _Optional[str] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ...) -> None: ...

class Candidate(_message.Message):
    __slots__ = ("plans", "providers", "rank_key")
    PLANS_FIELD_NUMBER: _ClassVar[int]
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    RANK_KEY_FIELD_NUMBER: _ClassVar[int]
    plans: _containers.RepeatedCompositeFieldContainer[Plan]
    providers: _containers.RepeatedCompositeFieldContainer[ProviderSummary]
    rank_key: int
    def __init__(self, plans: _Optional[_Iterable[_Union[Plan, _Mapping]]] = ..., providers: _Optional[_Iterable[_Union[ProviderSummary, _Mapping]]] = ..., rank_key: _Optional[int] = ...) -> None: ...

class FindCandidatesResponse(_message.Message):
    __slots__ = ("candidates", "next_page_token")
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    candidates: _containers.RepeatedCompositeFieldContainer[Candidate]
    next_page_token: str
    def __init__(self, candidates: _Optional[_Iterable[_Union[Candidate, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ClaimBestRequest(_message.Message):
    __slots__ = ("consumer_id", "project_id", "kind", "groups", "same_subtree", "group_policy", "region", "window", "rank", "ties")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    SAME_SUBTREE_FIELD_NUMBER: _ClassVar[int]
    GROUP_POLICY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    TIES_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    project_id: str
    kind: str
    groups: _containers.RepeatedCompositeFieldContainer[RequestGroup]
    same_subtree: _containers.RepeatedCompositeFieldContainer[SameSubtree]
    group_policy: GroupPolicy
    region: str
    window: Window
    rank: Rank
    ties: Ties
    def __init__(self, consumer_id: _Optional[str] = ..., project_id: _Optional[str] = ..., kind: _Optional[str] = ..., groups: _Optional[_Iterable[_Union[RequestGroup, _Mapping]]] = ..., same_subtree: _Optional[_Iterable[_Union[SameSubtree, _Mapping]]] = ..., group_policy: _Optional[_Union[GroupPolicy, str]] = ..., region: _Optional[str] = ..., window: _Optional[_Union[Window, _Mapping]] = ..., rank: _Optional[_Union[Rank, str]] = ..., ties: _Optional[_Union[Ties, str]] = ...) -> None: ...

class ClaimBestResponse(_message.Message):
    __slots__ = ("claim",)
    CLAIM_FIELD_NUMBER: _ClassVar[int]
    claim: Claim
    def __init__(self, claim: _Optional[_Union[Claim, _Mapping]] = ...) -> None: ...

class Usage(_message.Message):
    __slots__ = ("resource_class", "used", "capacity")
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    resource_class: str
    used: int
    capacity: int
    def __init__(self, resource_class: _Optional[str] = ..., used: _Optional[int] = ..., capacity: _Optional[int] = ...) -> None: ...

class GetProviderUsageRequest(_message.Message):
    __slots__ = ("provider", "at")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    provider: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, provider: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetProviderUsageResponse(_message.Message):
    __slots__ = ("usages",)
    USAGES_FIELD_NUMBER: _ClassVar[int]
    usages: _containers.RepeatedCompositeFieldContainer[Usage]
    def __init__(self, usages: _Optional[_Iterable[_Union[Usage, _Mapping]]] = ...) -> None: ...

class GetProjectUsageRequest(_message.Message):
    __slots__ = ("project_id", "at")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, project_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetProjectUsageResponse(_message.Message):
    __slots__ = ("usages",)
    USAGES_FIELD_NUMBER: _ClassVar[int]
    usages: _containers.RepeatedCompositeFieldContainer[Usage]
    def __init__(self, usages: _Optional[_Iterable[_Union[Usage, _Mapping]]] = ...) -> None: ...

class Quota(_message.Message):
    __slots__ = ("project_id", "resource_class", "limit")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    resource_class: str
    limit: int
    def __init__(self, project_id: _Optional[str] = ..., resource_class: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class SetQuotaRequest(_message.Message):
    __slots__ = ("project_id", "resource_class", "limit")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    resource_class: str
    limit: int
    def __init__(self, project_id: _Optional[str] = ..., resource_class: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class SetQuotaResponse(_message.Message):
    __slots__ = ("quota",)
    QUOTA_FIELD_NUMBER: _ClassVar[int]
    quota: Quota
    def __init__(self, quota: _Optional[_Union[Quota, _Mapping]] = ...) -> None: ...

class DeleteQuotaRequest(_message.Message):
    __slots__ = ("project_id", "resource_class")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_CLASS_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    resource_class: str
    def __init__(self, project_id: _Optional[str] = ..., resource_class: _Optional[str] = ...) -> None: ...

class DeleteQuotaResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListQuotasRequest(_message.Message):
    __slots__ = ("project_id", "page_size", "page_token")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    page_size: int
    page_token: str
    def __init__(self, project_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListQuotasResponse(_message.Message):
    __slots__ = ("quotas", "next_page_token")
    QUOTAS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    quotas: _containers.RepeatedCompositeFieldContainer[Quota]
    next_page_token: str
    def __init__(self, quotas: _Optional[_Iterable[_Union[Quota, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class FleetProvider(_message.Message):
    __slots__ = ("region", "name", "id", "parent", "inventories", "traits", "groups")
    REGION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    INVENTORIES_FIELD_NUMBER: _ClassVar[int]
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    region: str
    name: str
    id: str
    parent: str
    inventories: _containers.RepeatedCompositeFieldContainer[InventorySpec]
    traits: _containers.RepeatedScalarFieldContainer[str]
    groups: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, region: _Optional[str] = ..., name: _Optional[str] = ..., id: _Optional[str] = ..., parent: _Optional[str] = ..., inventories: _Optional[_Iterable[_Union[InventorySpec, _Mapping]]] = ..., traits: _Optional[_Iterable[str]] = ..., groups: _Optional[_Iterable[str]] = ...) -> None: ...

class FleetClaim(_message.Message):
    __slots__ = ("consumer_id", "project_id", "kind", "allocations", "window")
    CONSUMER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    consumer_id: str
    project_id: str
    kind: str
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    window: Window
    def __init__(self, consumer_id: _Optional[str] = ..., project_id: _Optional[str] = ..., kind: _Optional[str] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ..., window: _Optional[_Union[Window, _Mapping]] = ...) -> None: ...

class LoadFleetRequest(_message.Message):
    __slots__ = ("providers", "claims")
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    CLAIMS_FIELD_NUMBER: _ClassVar[int]
    providers: _containers.RepeatedCompositeFieldContainer[FleetProvider]
    claims: _containers.RepeatedCompositeFieldContainer[FleetClaim]
    def __init__(self, providers: _Optional[_Iterable[_Union[FleetProvider, _Mapping]]] = ..., claims: _Optional[_Iterable[_Union[FleetClaim, _Mapping]]] = ...) -> None: ...

class LoadFleetResponse(_message.Message):
    __slots__ = ("provider_ids", "claims_created")
    PROVIDER_IDS_FIELD_NUMBER: _ClassVar[int]
    CLAIMS_CREATED_FIELD_NUMBER: _ClassVar[int]
    provider_ids: _containers.RepeatedScalarFieldContainer[str]
    claims_created: int
    def __init__(self, provider_ids: _Optional[_Iterable[str]] = ..., claims_created: _Optional[int] = ...) -> None: ...
