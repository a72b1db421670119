"""Resources: regions, providers, inventory, traits, groups, claims, reservations, candidates."""

from mulligan.resource.migrations import MIGRATIONS
from mulligan.resource.service import ResourceService

__all__ = ["MIGRATIONS", "ResourceService"]
