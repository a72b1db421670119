from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ConfigureRequest(_message.Message):
    __slots__ = ("log_level", "executor_workers")
    LOG_LEVEL_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_WORKERS_FIELD_NUMBER: _ClassVar[int]
    log_level: str
    executor_workers: int
    def __init__(self, log_level: _Optional[str] = ..., executor_workers: _Optional[int] = ...) -> None: ...

class ConfigureResponse(_message.Message):
    __slots__ = ("log_level", "executor_workers")
    LOG_LEVEL_FIELD_NUMBER: _ClassVar[int]
    EXECUTOR_WORKERS_FIELD_NUMBER: _ClassVar[int]
    log_level: str
    executor_workers: int
    def __init__(self, log_level: _Optional[str] = ..., executor_workers: _Optional[int] = ...) -> None: ...
