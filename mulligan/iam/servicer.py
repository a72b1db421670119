"""gRPC adapter of the iam module: proto <-> domain, nothing else."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import grpc
from google.protobuf import field_mask_pb2, timestamp_pb2

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.api.iam.v1 import iam_pb2_grpc as pb_grpc
from mulligan.errors import InvalidArgument
from mulligan.iam.keys import b64url
from mulligan.iam.service import IamService
from mulligan.iam.types import (
    APPLICATION_CREDENTIAL,
    USER,
    Account,
    AccountKind,
    IssuedToken,
    Project,
    Role,
    RoleAssignment,
    SigningKeyInfo,
)
from mulligan.rpc.requests import declare_caps

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["IamService"].full_name
# The most items a repeated field of a request may hold (iam.proto says the
# same beside each field); the interceptor refuses more with TOO_MANY_ITEMS.
CAPS = {"mulligan.iam.v1.CreateApplicationCredentialRequest.roles": 16}
# An update names each field at most once, and no message has more fields.
MAX_MASK_PATHS = 16

_KINDS: dict[str, pb.AccountKind] = {
    USER: pb.ACCOUNT_KIND_USER,
    APPLICATION_CREDENTIAL: pb.ACCOUNT_KIND_APPLICATION_CREDENTIAL,
}
_KIND_FILTER: dict[int, AccountKind | None] = {
    pb.ACCOUNT_KIND_UNSPECIFIED: None,
    pb.ACCOUNT_KIND_USER: USER,
    pb.ACCOUNT_KIND_APPLICATION_CREDENTIAL: APPLICATION_CREDENTIAL,
}


def _timestamp(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value.astimezone(UTC))
    return stamp


def _account(account: Account) -> pb.Account:
    return pb.Account(
        id=account.id,
        name=account.name,
        kind=_KINDS[account.kind],
        display_name=account.display_name,
        description=account.description,
        disabled=account.disabled,
        project_id=account.project_id or "",
        creator_id=account.creator_id or "",
        expire_time=_timestamp(account.expires_at),
        create_time=_timestamp(account.created_at),
        update_time=_timestamp(account.updated_at),
        system_admin=account.system_admin,
    )


def _project(project: Project) -> pb.Project:
    return pb.Project(
        id=project.id,
        name=project.name,
        description=project.description,
        create_time=_timestamp(project.created_at),
        update_time=_timestamp(project.updated_at),
    )


def _role(role: Role) -> pb.Role:
    return pb.Role(name=role.name, description=role.description, implies=list(role.implies))


def _assignment(assignment: RoleAssignment) -> pb.RoleAssignment:
    return pb.RoleAssignment(
        account_id=assignment.account_id,
        project_id=assignment.project_id or "",
        role=assignment.role,
        create_time=_timestamp(assignment.created_at),
    )


def _signing_key(info: SigningKeyInfo) -> pb.SigningKey:
    return pb.SigningKey(
        key_id=info.key_id,
        algorithm=info.algorithm,
        curve=info.curve,
        public_key=b64url(info.public_key),
        create_time=_timestamp(info.created_at),
        retire_time=_timestamp(info.retired_at),
        expire_time=_timestamp(info.verify_until),
        active=info.active,
    )


def _authenticated(token: IssuedToken) -> pb.AuthenticateResponse:
    return pb.AuthenticateResponse(
        token=token.token,
        expire_time=_timestamp(token.expires_at),
        account_id=token.account_id,
        project_id=token.project_id or "",
        roles=sorted(token.roles),
        system_admin=token.system_admin,
        token_id=token.token_id,
    )


def _changes(message: Any, mask: field_mask_pb2.FieldMask, extra: Iterable[str] = ()) -> dict[str, Any]:
    """The masked fields of message as {field: value}; extra names request-level fields."""
    if len(mask.paths) > MAX_MASK_PATHS:
        raise InvalidArgument(
            f"update_mask holds {len(mask.paths)} paths; at most {MAX_MASK_PATHS} are allowed",
            reason="TOO_MANY_ITEMS",
            metadata={"field": "update_mask.paths", "max_items": str(MAX_MASK_PATHS)},
        )
    own = {field.name for field in message.DESCRIPTOR.fields}
    changes: dict[str, Any] = {}
    for path in mask.paths:
        if path in own:
            changes[path] = getattr(message, path)
        elif path in extra:
            changes[path] = None
        else:
            raise InvalidArgument(f"update_mask names unknown field {path[:64]!r}", reason="UNKNOWN_FIELD")
    return changes


class IamServicer(pb_grpc.IamServiceServicer):
    def __init__(self, service: IamService) -> None:
        self._service = service

    def Configure(self, request: pb.ConfigureRequest, context: grpc.ServicerContext) -> pb.ConfigureResponse:
        return pb.ConfigureResponse(log_level=self._service.configure(log_level=request.log_level or None))

    def Bootstrap(self, request: pb.BootstrapRequest, context: grpc.ServicerContext) -> pb.BootstrapResponse:
        done = self._service.bootstrap(request.secret, request.admin_name, request.admin_password, request.project_name)
        return pb.BootstrapResponse(
            account=_account(done.account),
            project=_project(done.project),
            token=done.token.token,
            expire_time=_timestamp(done.token.expires_at),
        )

    def Authenticate(self, request: pb.AuthenticateRequest, context: grpc.ServicerContext) -> pb.AuthenticateResponse:
        which = request.WhichOneof("credentials")
        if which == "password":
            credentials = request.password
            token = self._service.authenticate_password(
                credentials.account, credentials.password, project=credentials.project
            )
        elif which == "application_credential":
            token = self._service.authenticate_application_credential(
                request.application_credential.id, request.application_credential.secret
            )
        else:
            raise InvalidArgument(
                "credentials are required: password or application_credential", reason="CREDENTIALS_REQUIRED"
            )
        return _authenticated(token)

    # -- accounts

    def GetAccount(self, request: pb.GetAccountRequest, context: grpc.ServicerContext) -> pb.GetAccountResponse:
        return pb.GetAccountResponse(account=_account(self._service.get_account(request.account)))

    def ListAccounts(self, request: pb.ListAccountsRequest, context: grpc.ServicerContext) -> pb.ListAccountsResponse:
        if request.kind not in _KIND_FILTER:
            raise InvalidArgument(f"unknown account kind {request.kind}", reason="UNKNOWN_ACCOUNT_KIND")
        page = self._service.list_accounts(
            page_size=request.page_size,
            page_token=request.page_token,
            project=request.project,
            kind=_KIND_FILTER[request.kind],
        )
        return pb.ListAccountsResponse(
            accounts=[_account(item) for item in page.items], next_page_token=page.next_page_token
        )

    def CreateAccount(
        self, request: pb.CreateAccountRequest, context: grpc.ServicerContext
    ) -> pb.CreateAccountResponse:
        account = self._service.create_account(
            request.account.name,
            request.password,
            display_name=request.account.display_name,
            description=request.account.description,
        )
        return pb.CreateAccountResponse(account=_account(account))

    def CreateApplicationCredential(
        self, request: pb.CreateApplicationCredentialRequest, context: grpc.ServicerContext
    ) -> pb.CreateApplicationCredentialResponse:
        expires = request.expire_time.ToDatetime(tzinfo=UTC) if request.HasField("expire_time") else None
        created = self._service.create_application_credential(
            request.name,
            description=request.description,
            project=request.project,
            roles=list(request.roles),
            expires_at=expires,
        )
        return pb.CreateApplicationCredentialResponse(account=_account(created.account), secret=created.secret)

    def UpdateAccount(
        self, request: pb.UpdateAccountRequest, context: grpc.ServicerContext
    ) -> pb.UpdateAccountResponse:
        changes = _changes(request.account, request.update_mask, extra=("password",))
        account = self._service.update_account(
            request.account.id, changes, password=request.password, current_password=request.current_password
        )
        return pb.UpdateAccountResponse(account=_account(account))

    def DeleteAccount(
        self, request: pb.DeleteAccountRequest, context: grpc.ServicerContext
    ) -> pb.DeleteAccountResponse:
        self._service.delete_account(request.account)
        return pb.DeleteAccountResponse()

    # -- projects

    def GetProject(self, request: pb.GetProjectRequest, context: grpc.ServicerContext) -> pb.GetProjectResponse:
        return pb.GetProjectResponse(project=_project(self._service.get_project(request.project)))

    def ListProjects(self, request: pb.ListProjectsRequest, context: grpc.ServicerContext) -> pb.ListProjectsResponse:
        page = self._service.list_projects(page_size=request.page_size, page_token=request.page_token)
        return pb.ListProjectsResponse(
            projects=[_project(item) for item in page.items], next_page_token=page.next_page_token
        )

    def CreateProject(
        self, request: pb.CreateProjectRequest, context: grpc.ServicerContext
    ) -> pb.CreateProjectResponse:
        project = self._service.create_project(request.project.name, description=request.project.description)
        return pb.CreateProjectResponse(project=_project(project))

    def UpdateProject(
        self, request: pb.UpdateProjectRequest, context: grpc.ServicerContext
    ) -> pb.UpdateProjectResponse:
        changes = _changes(request.project, request.update_mask)
        return pb.UpdateProjectResponse(project=_project(self._service.update_project(request.project.id, changes)))

    def DeleteProject(
        self, request: pb.DeleteProjectRequest, context: grpc.ServicerContext
    ) -> pb.DeleteProjectResponse:
        self._service.delete_project(request.project)
        return pb.DeleteProjectResponse()

    # -- roles

    def GetRole(self, request: pb.GetRoleRequest, context: grpc.ServicerContext) -> pb.GetRoleResponse:
        return pb.GetRoleResponse(role=_role(self._service.get_role(request.name)))

    def ListRoles(self, request: pb.ListRolesRequest, context: grpc.ServicerContext) -> pb.ListRolesResponse:
        page = self._service.list_roles(page_size=request.page_size, page_token=request.page_token)
        return pb.ListRolesResponse(roles=[_role(role) for role in page.items], next_page_token=page.next_page_token)

    def ListRoleAssignments(
        self, request: pb.ListRoleAssignmentsRequest, context: grpc.ServicerContext
    ) -> pb.ListRoleAssignmentsResponse:
        page = self._service.list_role_assignments(
            page_size=request.page_size, page_token=request.page_token, account=request.account, project=request.project
        )
        return pb.ListRoleAssignmentsResponse(
            role_assignments=[_assignment(item) for item in page.items], next_page_token=page.next_page_token
        )

    def CreateRoleAssignment(
        self, request: pb.CreateRoleAssignmentRequest, context: grpc.ServicerContext
    ) -> pb.CreateRoleAssignmentResponse:
        assignment = self._service.create_role_assignment(
            request.account, request.role, project=request.project, system_scope=request.system_scope
        )
        return pb.CreateRoleAssignmentResponse(role_assignment=_assignment(assignment))

    def DeleteRoleAssignment(
        self, request: pb.DeleteRoleAssignmentRequest, context: grpc.ServicerContext
    ) -> pb.DeleteRoleAssignmentResponse:
        self._service.delete_role_assignment(
            request.account, request.role, project=request.project, system_scope=request.system_scope
        )
        return pb.DeleteRoleAssignmentResponse()

    # -- keys and revocation

    def RotateSigningKey(
        self, request: pb.RotateSigningKeyRequest, context: grpc.ServicerContext
    ) -> pb.RotateSigningKeyResponse:
        return pb.RotateSigningKeyResponse(signing_key=_signing_key(self._service.rotate_signing_key()))

    def ListSigningKeys(
        self, request: pb.ListSigningKeysRequest, context: grpc.ServicerContext
    ) -> pb.ListSigningKeysResponse:
        page = self._service.list_signing_keys(page_size=request.page_size, page_token=request.page_token)
        return pb.ListSigningKeysResponse(
            signing_keys=[_signing_key(info) for info in page.items],
            jwks=json.dumps(self._service.jwks(page.items)),
            next_page_token=page.next_page_token,
        )

    def RevokeToken(self, request: pb.RevokeTokenRequest, context: grpc.ServicerContext) -> pb.RevokeTokenResponse:
        return pb.RevokeTokenResponse(token_id=self._service.revoke_token(request.token))

    def RevokeAccountTokens(
        self, request: pb.RevokeAccountTokensRequest, context: grpc.ServicerContext
    ) -> pb.RevokeAccountTokensResponse:
        revoked = self._service.revoke_account_tokens(request.account)
        return pb.RevokeAccountTokensResponse(revoke_time=_timestamp(revoked))


def register(server: grpc.Server, service: IamService) -> str:
    declare_caps(CAPS)
    pb_grpc.add_IamServiceServicer_to_server(IamServicer(service), server)
    return SERVICE_NAME
