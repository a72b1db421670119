"""update_mask checking for Update RPCs whose fields sit in the request itself."""

from __future__ import annotations

from collections.abc import Collection

from google.protobuf import field_mask_pb2

from mulligan.errors import InvalidArgument


def mask_paths(mask: field_mask_pb2.FieldMask, allowed: Collection[str]) -> frozenset[str] | None:
    """The fields a mask names, or None for an empty mask (the RPC's older
    rules decide what changes). A path the RPC cannot change is refused
    rather than ignored, so a typo never passes for a no-op."""
    if not mask.paths:
        return None
    for path in mask.paths:
        if path not in allowed:
            raise InvalidArgument(
                f"update_mask names unknown field {path[:64]!r}; it may name {', '.join(sorted(allowed))}",
                reason="UNKNOWN_FIELD",
                metadata={"field": path[:64]},
            )
    return frozenset(mask.paths)
