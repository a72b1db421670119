"""The iam module's Python API and domain logic."""

from __future__ import annotations

from mulligan import runtime


class IamService:
    def configure(self, *, log_level: str | None = None) -> str:
        """Change runtime settings; return the log level in force."""
        return runtime.log_level("iam", log_level)
