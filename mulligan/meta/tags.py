"""Tags: free strings on any named object, with an index to find objects by tag."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mulligan.errors import Conflict, InvalidArgument
from mulligan.kv import Compare, KeyValue, KeyValueStore, Op
from mulligan.meta import keys
from mulligan.meta.validation import check_tag

# Bounded so that replacing every tag stays one store transaction.
MAX_TAGS_PER_OBJECT = 50
_ATTEMPTS = 100


@dataclass(frozen=True)
class TaggedObject:
    kind: str
    object_id: str
    project_id: str | None


def check_tags(values: Iterable[str]) -> list[str]:
    """Valid, normalized, without duplicates, in first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        seen[check_tag(value)] = None
    return list(seen)


def _decode(kv: KeyValue | None) -> list[str]:
    return list(json.loads(kv.value)["tags"]) if kv is not None else []


def read(kv: KeyValueStore, kind: str, object_id: str) -> list[str]:
    return _decode(kv.get(keys.tags_key(kind, object_id)))


def change(
    kv: KeyValueStore,
    kind: str,
    object_id: str,
    project_id: str | None,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
    replace: Sequence[str] | None = None,
) -> list[str]:
    """Apply one change to an object's tags atomically with their index; return the new tags."""
    key = keys.tags_key(kind, object_id)
    for _ in range(_ATTEMPTS):
        current = kv.get(key)
        before = _decode(current)
        if replace is not None:
            after = list(replace)
        else:
            removed = set(remove)
            after = [tag for tag in before if tag not in removed]
            after += [tag for tag in add if tag not in after]
        if len(after) > MAX_TAGS_PER_OBJECT:
            raise InvalidArgument(
                f"an object carries at most {MAX_TAGS_PER_OBJECT} tags, this would make {len(after)}",
                reason="TOO_MANY_TAGS",
            )
        if after == before:
            return after
        compare = [Compare.unchanged(key, current.mod_revision) if current else Compare.absent(key)]
        ops = [Op.delete(keys.tagged_key(tag, kind, object_id)) for tag in before if tag not in after]
        index_value = (project_id or "").encode()
        ops += [Op.put(keys.tagged_key(tag, kind, object_id), index_value) for tag in after if tag not in before]
        if after:
            record = {"project": project_id, "tags": after}
            ops.append(Op.put(key, json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode()))
        else:
            ops.append(Op.delete(key))
        if kv.txn(compare, ops).succeeded:
            return after
    raise Conflict(f"the tags of {kind} {object_id} keep changing; try again", reason="CONCURRENT_CHANGE")


def find(kv: KeyValueStore, wanted: Sequence[str], *, match_all: bool, kind: str | None = None) -> list[TaggedObject]:
    """Objects carrying all (or any) of the tags, sorted by kind and id."""
    matches: dict[tuple[str, str], TaggedObject] | None = None
    for tag in wanted:
        found = {}
        for item in kv.range(keys.tagged_prefix(tag, kind)):
            object_kind, object_id = keys.parse_tagged_key(item.key)
            found[(object_kind, object_id)] = TaggedObject(object_kind, object_id, item.value.decode() or None)
        if matches is None:
            matches = found
        elif match_all:
            matches = {ident: obj for ident, obj in matches.items() if ident in found}
        else:
            matches.update(found)
        if match_all and not matches:
            break
    if matches is None:
        return []
    return [matches[ident] for ident in sorted(matches)]


def forget_object(kv: KeyValueStore, kind: str, object_id: str) -> None:
    change(kv, kind, object_id, None, replace=[])
