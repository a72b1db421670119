"""The name record meta keeps for every named object."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from mulligan.naming import Named


@dataclass(frozen=True)
class NameRecord:
    kind: str
    object_id: str
    name: str
    slug: str
    project_id: str | None
    pending: bool = False

    def encode(self) -> bytes:
        return json.dumps(
            {
                "id": self.object_id,
                "kind": self.kind,
                "name": self.name,
                "slug": self.slug,
                "project": self.project_id,
                "pending": self.pending,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")

    @classmethod
    def decode(cls, raw: bytes) -> NameRecord:
        data: dict[str, Any] = json.loads(raw)
        return cls(
            kind=data["kind"],
            object_id=data["id"],
            name=data["name"],
            slug=data["slug"],
            project_id=data["project"],
            pending=bool(data.get("pending", False)),
        )

    def confirmed(self) -> NameRecord:
        return replace(self, pending=False)

    def named(self) -> Named:
        return Named(
            kind=self.kind, object_id=self.object_id, name=self.name, slug=self.slug, project_id=self.project_id
        )
