"""Candidate search: ranked placements of request groups on providers."""

from mulligan.resource.candidates.engine import CandidateEngine, Found

__all__ = ["CandidateEngine", "Found"]
