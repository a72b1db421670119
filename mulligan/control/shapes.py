"""Named machine shapes, so tenants need not spell out resources."""

from __future__ import annotations

from mulligan.control.types import Resources
from mulligan.errors import InvalidArgument

SHAPES: dict[str, Resources] = {
    "tiny": Resources(vcpus=1, memory_mb=512, disk_gb=5),
    "small": Resources(vcpus=1, memory_mb=2048, disk_gb=20),
    "medium": Resources(vcpus=2, memory_mb=4096, disk_gb=40),
    "large": Resources(vcpus=4, memory_mb=8192, disk_gb=80),
}

MAX_VCPUS = 1024
MAX_MEMORY_MB = 64 * 1024 * 1024
MAX_DISK_GB = 1024 * 1024


def resolve(resources: Resources | None, shape: str) -> Resources:
    """The resources a request asks for, from a shape or spelled out."""
    if shape and resources is not None:
        raise InvalidArgument("give either resources or a shape, not both", reason="RESOURCES_AND_SHAPE")
    if shape:
        if shape not in SHAPES:
            raise InvalidArgument(f"unknown shape {shape[:64]!r}; shapes: {', '.join(SHAPES)}", reason="UNKNOWN_SHAPE")
        return SHAPES[shape]
    if resources is None:
        raise InvalidArgument("resources or a shape is required", reason="RESOURCES_REQUIRED")
    _check_range("vcpus", resources.vcpus, 1, MAX_VCPUS)
    _check_range("memory_mb", resources.memory_mb, 1, MAX_MEMORY_MB)
    _check_range("disk_gb", resources.disk_gb, 0, MAX_DISK_GB)
    return resources


def _check_range(field: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise InvalidArgument(
            f"{field} must be from {low} to {high}, got {value}",
            reason="INVALID_RESOURCES",
            metadata={"field": field},
        )
