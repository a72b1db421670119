"""Schema steps of the meta module (tables prefixed `meta_`)."""

from mulligan.migrate import Migrations

MIGRATIONS = Migrations("meta", [])
