"""``mulligan``: the command-line client."""

from mulligan.cli.app import cli, main

__all__ = ["cli", "main"]
