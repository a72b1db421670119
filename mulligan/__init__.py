"""Mulligan: discover and manage an inventory of baremetal and virtual
machines, and let tenants request, claim and consume single machines."""

__version__ = "0.2.0.dev0"
