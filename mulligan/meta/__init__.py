"""Metadata: names and slugs <-> UUIDs, tags, schema-validated metadefs."""

from mulligan.meta.migrations import MIGRATIONS
from mulligan.meta.service import MetaService

__all__ = ["MIGRATIONS", "MetaService"]
