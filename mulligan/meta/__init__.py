"""Metadata: names and slugs <-> UUIDs, tags, schema-validated metadefs.

The daemon builds one :class:`MetaService` on the key/value store and hands
its ``names`` (a :class:`mulligan.naming.NameRegistry`) to the modules that
create named objects.
"""

from mulligan.meta.metadefs import Definition, Value
from mulligan.meta.migrations import MIGRATIONS
from mulligan.meta.names import Names, Reservation, as_registry
from mulligan.meta.service import DefinitionInfo, FoundObject, MetaService
from mulligan.naming import KINDS

__all__ = [
    "KINDS",
    "MIGRATIONS",
    "Definition",
    "DefinitionInfo",
    "FoundObject",
    "MetaService",
    "Names",
    "Reservation",
    "Value",
    "as_registry",
]
