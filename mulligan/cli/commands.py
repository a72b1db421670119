"""Imports every command module so their commands attach to ``cli``."""

from mulligan.cli import control, daemon_cmds, iam, meta, power, resource  # noqa: F401
