"""Identity and access: accounts, projects, roles, tokens, authorization."""

from mulligan.iam.migrations import MIGRATIONS
from mulligan.iam.service import IamService

__all__ = ["MIGRATIONS", "IamService"]
