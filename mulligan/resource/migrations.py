"""Schema steps of the resource module (tables prefixed `resource_`)."""

from mulligan.migrate import Migrations

MIGRATIONS = Migrations("resource", [])
