"""Mulligan 0.1.0 as released: its API, its generated client code, and databases it wrote."""
