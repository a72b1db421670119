"""Imports every command module so their commands attach to ``cli``."""

from mulligan.cli import daemon_cmds  # noqa: F401
