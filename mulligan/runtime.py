"""Settings that change while the daemon runs, through each service's
``Configure`` RPC."""

from __future__ import annotations

import logging

from mulligan.config import LOG_LEVELS
from mulligan.errors import InvalidArgument


def log_level(service: str, new_level: str | None = None) -> str:
    """Set (when given) and return the log level of one service's logger."""
    logger = logging.getLogger(f"mulligan.{service}")
    if new_level:
        if new_level.lower() not in LOG_LEVELS:
            raise InvalidArgument(
                f"log_level must be one of {', '.join(LOG_LEVELS)}, got {new_level!r}",
                reason="INVALID_LOG_LEVEL",
            )
        logger.setLevel(new_level.upper())
    return logging.getLevelName(logger.getEffectiveLevel()).lower()
