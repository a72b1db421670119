"""Schema steps of the iam module (tables prefixed `iam_`)."""

from mulligan.migrate import Migrations

MIGRATIONS = Migrations("iam", [])
