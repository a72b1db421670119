"""Frozen copies of what released versions of Mulligan shipped (docs/releasing.md)."""
