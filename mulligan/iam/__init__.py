"""Identity and access: accounts, projects, roles, tokens, authorization."""

from mulligan.iam.authorizer import Authorizer
from mulligan.iam.migrations import MIGRATIONS
from mulligan.iam.service import IamService
from mulligan.iam.types import (
    APPLICATION_CREDENTIAL,
    USER,
    Account,
    AccountKind,
    Bootstrapped,
    IssuedToken,
    NewApplicationCredential,
    Page,
    Project,
    Role,
    RoleAssignment,
    SigningKeyInfo,
)

__all__ = [
    "APPLICATION_CREDENTIAL",
    "MIGRATIONS",
    "USER",
    "Account",
    "AccountKind",
    "Authorizer",
    "Bootstrapped",
    "IamService",
    "IssuedToken",
    "NewApplicationCredential",
    "Page",
    "Project",
    "Role",
    "RoleAssignment",
    "SigningKeyInfo",
]
