"""Imports every command module so their commands attach to ``cli``."""

from mulligan.cli import control  # noqa: F401
from mulligan.cli import daemon_cmds  # noqa: F401
from mulligan.cli import iam  # noqa: F401
from mulligan.cli import meta  # noqa: F401
from mulligan.cli import resource  # noqa: F401
