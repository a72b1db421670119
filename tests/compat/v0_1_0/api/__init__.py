"""Mulligan 0.1.0's generated protobuf and gRPC code, as released, with its
imports moved under this package. Never edited, never regenerated.

The messages live in a descriptor pool of their own (``_pool``), so they
load beside today's ``mulligan.api`` even where the two differ.
"""
