from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TagMatch(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAG_MATCH_UNSPECIFIED: _ClassVar[TagMatch]
    TAG_MATCH_ALL: _ClassVar[TagMatch]
    TAG_MATCH_ANY: _ClassVar[TagMatch]
TAG_MATCH_UNSPECIFIED: TagMatch
TAG_MATCH_ALL: TagMatch
TAG_MATCH_ANY: TagMatch

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

class ObjectName(_message.Message):
    __slots__ = ("kind", "object_id", "name", "slug", "project_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    OBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    object_id: str
    name: str
    slug: str
    project_id: str
    def __init__(self, kind: _Optional[str] = ..., object_id: _Optional[str] = ..., name: _Optional[str] = ..., slug: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class ObjectRef(_message.Message):
    __slots__ = ("kind", "ref", "project_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    REF_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    ref: str
    project_id: str
    def __init__(self, kind: _Optional[str] = ..., ref: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class ResolveNamesRequest(_message.Message):
    __slots__ = ("kind", "refs", "project_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    REFS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    refs: _containers.RepeatedScalarFieldContainer[str]
    project_id: str
    def __init__(self, kind: _Optional[str] = ..., refs: _Optional[_Iterable[str]] = ..., project_id: _Optional[str] = ...) -> None: ...

class Resolution(_message.Message):
    __slots__ = ("ref", "found", "object")
    REF_FIELD_NUMBER: _ClassVar[int]
    FOUND_FIELD_NUMBER: _ClassVar[int]
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    ref: str
    found: bool
    object: ObjectName
    def __init__(self, ref: _Optional[str] = ..., found: _Optional[bool] = ..., object: _Optional[_Union[ObjectName, _Mapping]] = ...) -> None: ...

class ResolveNamesResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[Resolution]
    def __init__(self, results: _Optional[_Iterable[_Union[Resolution, _Mapping]]] = ...) -> None: ...

class DescribeObjectsRequest(_message.Message):
    __slots__ = ("kind", "object_ids")
    KIND_FIELD_NUMBER: _ClassVar[int]
    OBJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    kind: str
    object_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kind: _Optional[str] = ..., object_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DescribeObjectsResponse(_message.Message):
    __slots__ = ("objects",)
    OBJECTS_FIELD_NUMBER: _ClassVar[int]
    objects: _containers.RepeatedCompositeFieldContainer[ObjectName]
    def __init__(self, objects: _Optional[_Iterable[_Union[ObjectName, _Mapping]]] = ...) -> None: ...

class RenameObjectRequest(_message.Message):
    __slots__ = ("object", "name", "slug")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    object: ObjectRef
    name: str
    slug: str
    def __init__(self, object: _Optional[_Union[ObjectRef, _Mapping]] = ..., name: _Optional[str] = ..., slug: _Optional[str] = ...) -> None: ...

class RenameObjectResponse(_message.Message):
    __slots__ = ("object",)
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    object: ObjectName
    def __init__(self, object: _Optional[_Union[ObjectName, _Mapping]] = ...) -> None: ...

class AddTagsRequest(_message.Message):
    __slots__ = ("object", "tags")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    object: ObjectRef
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, object: _Optional[_Union[ObjectRef, _Mapping]] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class AddTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tags: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveTagsRequest(_message.Message):
    __slots__ = ("object", "tags")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    object: ObjectRef
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, object: _Optional[_Union[ObjectRef, _Mapping]] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tags: _Optional[_Iterable[str]] = ...) -> None: ...

class ReplaceTagsRequest(_message.Message):
    __slots__ = ("object", "tags")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    object: ObjectRef
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, object: _Optional[_Union[ObjectRef, _Mapping]] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class ReplaceTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tags: _Optional[_Iterable[str]] = ...) -> None: ...

class ListTagsRequest(_message.Message):
    __slots__ = ("object", "page_size", "page_token")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    object: ObjectRef
    page_size: int
    page_token: str
    def __init__(self, object: _Optional[_Union[ObjectRef, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTagsResponse(_message.Message):
    __slots__ = ("tags", "next_page_token")
    TAGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedScalarFieldContainer[str]
    next_page_token: str
    def __init__(self, tags: _Optional[_Iterable[str]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class FindByTagsRequest(_message.Message):
    __slots__ = ("tags", "match", "kind", "project_id", "limit")
    TAGS_FIELD_NUMBER: _ClassVar[int]
    MATCH_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedScalarFieldContainer[str]
    match: TagMatch
    kind: str
    project_id: str
    limit: int
    def __init__(self, tags: _Optional[_Iterable[str]] = ..., match: _Optional[_Union[TagMatch, str]] = ..., kind: _Optional[str] = ..., project_id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class FindByTagsResponse(_message.Message):
    __slots__ = ("objects", "truncated")
    OBJECTS_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    objects: _containers.RepeatedCompositeFieldContainer[ObjectName]
    truncated: bool
    def __init__(self, objects: _Optional[_Iterable[_Union[ObjectName, _Mapping]]] = ..., truncated: _Optional[bool] = ...) -> None: ...

class Definition(_message.Message):
    __slots__ = ("id", "namespace", "name", "schema_json", "description", "protected", "project_id", "uses")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_JSON_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    USES_FIELD_NUMBER: _ClassVar[int]
    id: str
    namespace: str
    name: str
    schema_json: str
    description: str
    protected: bool
    project_id: str
    uses: int
    def __init__(self, id: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., schema_json: _Optional[str] = ..., description: _Optional[str] = ..., protected: _Optional[bool] = ..., project_id: _Optional[str] = ..., uses: _Optional[int] = ...) -> None: ...

class CreateDefinitionRequest(_message.Message):
    __slots__ = ("namespace", "name", "schema_json", "description", "protected", "project_id", "system")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_JSON_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    schema_json: str
    description: str
    protected: bool
    project_id: str
    system: bool
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., schema_json: _Optional[str] = ..., description: _Optional[str] = ..., protected: _Optional[bool] = ..., project_id: _Optional[str] = ..., system: _Optional[bool] = ...) -> None: ...

class CreateDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: Definition
    def __init__(self, definition: _Optional[_Union[Definition, _Mapping]] = ...) -> None: ...

class DefinitionRef(_message.Message):
    __slots__ = ("namespace", "name", "project_id")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    project_id: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class GetDefinitionRequest(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: DefinitionRef
    def __init__(self, definition: _Optional[_Union[DefinitionRef, _Mapping]] = ...) -> None: ...

class GetDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: Definition
    def __init__(self, definition: _Optional[_Union[Definition, _Mapping]] = ...) -> None: ...

class ListDefinitionsRequest(_message.Message):
    __slots__ = ("namespace", "project_id", "page_size", "page_token")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    project_id: str
    page_size: int
    page_token: str
    def __init__(self, namespace: _Optional[str] = ..., project_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDefinitionsResponse(_message.Message):
    __slots__ = ("definitions", "next_page_token")
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    definitions: _containers.RepeatedCompositeFieldContainer[Definition]
    next_page_token: str
    def __init__(self, definitions: _Optional[_Iterable[_Union[Definition, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateDefinitionRequest(_message.Message):
    __slots__ = ("definition", "schema_json", "description", "protected", "update_mask")
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_JSON_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PROTECTED_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    definition: DefinitionRef
    schema_json: str
    description: str
    protected: bool
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, definition: _Optional[_Union[DefinitionRef, _Mapping]] = ..., schema_json: _Optional[str] = ..., description: _Optional[str] = ..., protected: _Optional[bool] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: Definition
    def __init__(self, definition: _Optional[_Union[Definition, _Mapping]] = ...) -> None: ...

class DeleteDefinitionRequest(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: DefinitionRef
    def __init__(self, definition: _Optional[_Union[DefinitionRef, _Mapping]] = ...) -> None: ...

class DeleteDefinitionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Value(_message.Message):
    __slots__ = ("namespace", "name", "value_json", "definition_project_id")
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_JSON_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    name: str
    value_json: str
    definition_project_id: str
    def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., value_json: _Optional[str] = ..., definition_project_id: _Optional[str] = ...) -> None: ...

class SetValueRequest(_message.Message):
    __slots__ = ("object", "namespace", "name", "value_json")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_JSON_FIELD_NUMBER: _ClassVar[int]
    object: ObjectRef
    namespace: str
    name: str
    value_json: str
    def __init__(self, object: _Optional[_Union[ObjectRef, _Mapping]] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., value_json: _Optional[str] = ...) -> None: ...

class SetValueResponse(_message.Message):
    __slots__ = ("value",)
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: Value
    def __init__(self, value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...

class UnsetValueRequest(_message.Message):
    __slots__ = ("object", "namespace", "name")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    object: ObjectRef
    namespace: str
    name: str
    def __init__(self, object: _Optional[_Union[ObjectRef, _Mapping]] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class UnsetValueResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListValuesRequest(_message.Message):
    __slots__ = ("object", "page_size", "page_token")
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    object: ObjectRef
    page_size: int
    page_token: str
    def __init__(self, object: _Optional[_Union[ObjectRef, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListValuesResponse(_message.Message):
    __slots__ = ("values", "next_page_token")
    VALUES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedCompositeFieldContainer[Value]
    next_page_token: str
    def __init__(self, values: _Optional[_Iterable[_Union[Value, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
