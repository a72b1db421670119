"""``mulligan bootstrap``, ``login``, ``logout``, ``whoami``, ``account``,
``project``, ``role`` and ``signing-key``: the iam service.

Credentials (the token and who it is for) are saved per profile (see
:mod:`mulligan.cli.credentials`). ``$MULLIGAN_TOKEN``, when set, is used
instead.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import json
import secrets
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from google.protobuf import field_mask_pb2, timestamp_pb2

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.api.resource.v1 import resource_pb2
from mulligan.cli import credentials, paging, settings
from mulligan.cli.app import CliState, cli
from mulligan.cli.output import emit, row
from mulligan.cli.settings import config_path, remember_ca
from mulligan.client import Client
from mulligan.errors import AlreadyExists, FailedPrecondition, MulliganError, Unauthenticated, Unavailable
from mulligan.tls_client import ClientTls

SECRET_FILE = "bootstrap-secret"  # noqa: S105 (a file name)

_KIND_NAMES = {
    pb.ACCOUNT_KIND_USER: "user",
    pb.ACCOUNT_KIND_APPLICATION_CREDENTIAL: "application-credential",
}
_KIND_FILTERS = {"user": pb.ACCOUNT_KIND_USER, "application-credential": pb.ACCOUNT_KIND_APPLICATION_CREDENTIAL}


# -- saved credentials


def _save(
    state: CliState,
    response: pb.AuthenticateResponse | pb.BootstrapResponse,
    account: str,
    project: str,
    credential: pb.ApplicationCredentialSecret | None = None,
) -> tuple[Path, Path | None]:
    """Save the token for the profile, and write the profile itself when
    config.toml has none of that name: (credentials file, config file or None)."""
    saved = credentials.Saved(
        endpoint=state.endpoint,
        token=response.token,
        expire_time=credentials.expire_text(response.expire_time),
        account=account,
        project=project,
        credential_id=credential.id if credential is not None else "",
        credential_secret=credential.secret if credential is not None else "",
    )
    path = credentials.save(state.profile.name, saved)
    tls = state.tls or ClientTls()
    written = settings.write_profile(
        settings.Profile(
            name=state.profile.name,
            endpoints=state.endpoints,
            ca_file=tls.ca_file,
            cert_file=tls.cert_file,
            key_file=tls.key_file,
            project=project or None,
        )
    )
    return path, written


# -- helpers


def _state(ctx: click.Context) -> CliState:
    state: CliState = ctx.obj
    return state


def _iam(ctx: click.Context) -> Any:
    return _state(ctx).client().iam


def _time(stamp: timestamp_pb2.Timestamp) -> str | None:
    if not stamp.seconds and not stamp.nanos:
        return None
    return stamp.ToDatetime(tzinfo=UTC).isoformat(timespec="seconds")


def _account_row(account: pb.Account) -> dict[str, Any]:
    return row(
        account,
        {
            "id": account.id,
            "name": account.name,
            "kind": _KIND_NAMES.get(account.kind, "unknown"),
            "display_name": account.display_name,
            "description": account.description,
            "disabled": account.disabled,
            "system_admin": account.system_admin,
            "project_id": account.project_id or None,
            "creator_id": account.creator_id or None,
            "expire_time": _time(account.expire_time),
            "create_time": _time(account.create_time),
        },
    )


def _project_row(project: pb.Project) -> dict[str, Any]:
    return row(
        project,
        {
            "id": project.id,
            "name": project.name,
            "description": project.description,
            "create_time": _time(project.create_time),
        },
    )


def _assignment_row(assignment: pb.RoleAssignment) -> dict[str, Any]:
    return row(
        assignment,
        {
            "account_id": assignment.account_id,
            "project_id": assignment.project_id or "(system)",
            "role": assignment.role,
            "create_time": _time(assignment.create_time),
        },
    )


def _key_row(key: pb.SigningKey) -> dict[str, Any]:
    return row(
        key,
        {
            "key_id": key.key_id,
            "algorithm": key.algorithm,
            "active": key.active,
            "create_time": _time(key.create_time),
            "retire_time": _time(key.retire_time),
            "expire_time": _time(key.expire_time),
        },
    )


def _read_password(
    given: str | None, from_stdin: bool, *, prompt: str, confirm: bool, generate: bool = False
) -> tuple[str, bool]:
    """(password, whether it was generated)."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise click.UsageError("--password-stdin: no password on standard input")
        return line, False
    if given:
        return given, False
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm), False
    if generate:
        return secrets.token_urlsafe(18), True
    raise click.UsageError("give the password with --password-stdin (no terminal to prompt on)")


_PASSWORD_STDIN = click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")


# -- bootstrap, login


@cli.command()
@click.option("--state-dir", type=click.Path(path_type=Path), help="The daemon's state dir (read its secret).")
@click.option("--bootstrap-secret", envvar="MULLIGAN_BOOTSTRAP_SECRET", help="The secret, when not on that machine.")
@click.option("--admin-name", default="admin", show_default=True, help="Login name of the first account.")
@click.option("--admin-password", envvar="MULLIGAN_ADMIN_PASSWORD", help="Its password (default: ask, or generate).")
@click.option("--project", "project_name", default="admin", show_default=True, help="Name of the admin project.")
@click.option("--region", "region_name", default="default", show_default=True, help="Name of the default region.")
@click.pass_context
def bootstrap(
    ctx: click.Context,
    *,
    state_dir: Path | None,
    bootstrap_secret: str | None,
    admin_name: str,
    admin_password: str | None,
    project_name: str,
    region_name: str,
) -> None:
    """Turn a fresh installation into a working system, once.

    Creates the first (system admin) account, the admin project and a
    default region, and saves credentials for this endpoint.
    """
    state = _state(ctx)
    if state_dir is None and not bootstrap_secret:
        raise click.UsageError("pass --state-dir DIR (on the daemon's machine) or --bootstrap-secret SECRET")
    secret_file = state_dir / SECRET_FILE if state_dir is not None else None
    secret = bootstrap_secret or ""
    if not secret and secret_file is not None:
        try:
            secret = secret_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            secret = ""
        except PermissionError:
            raise click.UsageError(f"cannot read {secret_file}: run as the daemon's user (or root)") from None
    password, generated = _read_password(
        admin_password, False, prompt="Password for the admin account", confirm=True, generate=True
    )
    trusted = _trust_daemon_ca(state, state_dir)
    with state.connect() as anonymous:
        try:
            response = anonymous.iam.Bootstrap(
                pb.BootstrapRequest(
                    secret=secret, admin_name=admin_name, admin_password=password, project_name=project_name
                )
            )
        except FailedPrecondition as exc:
            if exc.reason != "ALREADY_BOOTSTRAPPED":
                raise
            click.echo("already bootstrapped: nothing was changed")
            return
        path, written = _save(state, response, admin_name, project_name)
        if secret_file is not None:
            with contextlib.suppress(OSError):
                secret_file.unlink()
        with state.connect(token=response.token) as admin:
            region = _create_default_region(admin, region_name)
    result = {
        "account": admin_name,
        "account_id": response.account.id,
        "project": project_name,
        "project_id": response.project.id,
        "region": region,
        "profile": state.profile.name,
        "credentials": str(path),
    }
    if written is not None:
        result["config"] = str(written)
    if trusted is not None:
        result["ca_file"] = str(trusted)
    if generated:
        result["password"] = password
    emit(ctx, result)
    if generated and state.output == "table":
        click.echo("The password above is shown once: keep it somewhere safe.", err=True)


def _trust_daemon_ca(state: CliState, state_dir: Path | None) -> Path | None:
    """Adopt the CA of a daemon in ``tls = auto`` mode on this machine, for this and later commands.

    Only when the CLI was given no CA for the endpoint and the daemon turns
    it away for that; the CA is then remembered in the CLI's config.
    """
    if state_dir is None or (state.tls is not None and state.tls.ca_file is not None):
        return None
    from mulligan.tls import auto_ca_file

    ca_file = auto_ca_file(state_dir)
    if not ca_file.is_file():
        return None
    try:
        with state.connect() as probe:
            probe.health()
    except Unavailable as exc:
        if exc.reason not in ("TLS_REQUIRED", "TLS_CERTIFICATE_UNTRUSTED"):
            return None
    else:
        return None
    state.tls = dataclasses.replace(state.tls or ClientTls(), ca_file=ca_file)
    saved = remember_ca(state.endpoint, ca_file)
    if saved is not None:
        click.echo(f"trusting {ca_file} for {state.endpoint} (saved in {saved})", err=True)
    else:
        click.echo(
            f'trusting {ca_file} for this command: add ca_file = "{ca_file}" to [endpoints."{state.endpoint}"]'
            f" in {config_path()} to keep it",
            err=True,
        )
    return ca_file


def _create_default_region(client: Client, name: str) -> str:
    """Create the default region through the resource service, when it has regions."""
    request_type = getattr(resource_pb2, "CreateRegionRequest", None)
    if request_type is None or not hasattr(client.resource, "CreateRegion"):
        return "(this mulligand has no regions to create)"
    request = request_type()
    fields = request_type.DESCRIPTOR.fields_by_name
    if "region" in fields and "name" in request.region.DESCRIPTOR.fields_by_name:
        request.region.name = name
    elif "name" in fields:
        request.name = name
    else:
        return "(cannot tell how to name a region)"
    if "visibility" in fields:
        # Tenants get machines only in public regions: the one region of a
        # fresh install must be usable by them.
        request.visibility = resource_pb2.VISIBILITY_PUBLIC
    try:
        client.resource.CreateRegion(request)
    except AlreadyExists:
        return f"{name} (already there)"
    except MulliganError as exc:
        # Bootstrap itself succeeded: say what is missing rather than fail.
        click.echo(f"warning: the default region was not created: {exc.message} ({exc.reason})", err=True)
        return f"(not created: {exc.reason})"
    return name


@cli.command()
@click.argument("account", required=False)
@click.option("--project", default="", help="Project (name or id) to scope the token to.")
@_PASSWORD_STDIN
@click.option("--password", envvar="MULLIGAN_PASSWORD", help="The password (prefer --password-stdin).")
@click.option("--application-credential", "credential_id", help="Sign in as this application credential (id).")
@click.option("--secret", envvar="MULLIGAN_APPLICATION_SECRET", help="The application credential's secret.")
@click.pass_context
def login(
    ctx: click.Context,
    *,
    account: str | None,
    project: str,
    password_stdin: bool,
    password: str | None,
    credential_id: str | None,
    secret: str | None,
) -> None:
    """Sign in, and save the profile and its token.

    The token is saved for the profile (--profile, else the default one),
    and the profile itself, with this endpoint and TLS files, is written to
    config.toml when it has none of that name. Signed in as an application
    credential, the profile keeps its secret and renews its token when it
    expires.
    """
    state = _state(ctx)
    project = project or state.profile.project or ""
    credential: pb.ApplicationCredentialSecret | None = None
    if credential_id:
        if not secret:
            raise click.UsageError("--application-credential needs --secret (or $MULLIGAN_APPLICATION_SECRET)")
        credential = pb.ApplicationCredentialSecret(id=credential_id, secret=secret)
        request = pb.AuthenticateRequest(application_credential=credential)
        who = credential_id
    else:
        if not account:
            raise click.UsageError("give the ACCOUNT to sign in as (or --application-credential)")
        given, _ = _read_password(password, password_stdin, prompt="Password", confirm=False)
        request = pb.AuthenticateRequest(
            password=pb.PasswordCredentials(account=account, password=given, project=project)
        )
        who = account
    with state.connect() as anonymous:
        response = anonymous.iam.Authenticate(request)
    path, written = _save(state, response, who, project or response.project_id, credential)
    result = {
        "profile": state.profile.name,
        "endpoint": state.endpoint,
        "account_id": response.account_id,
        "project_id": response.project_id or None,
        "roles": list(response.roles),
        "system_admin": response.system_admin,
        "expire_time": _time(response.expire_time),
        "credentials": str(path),
    }
    if written is not None:
        result["config"] = str(written)
    emit(ctx, result)


@cli.command()
@click.pass_context
def logout(ctx: click.Context) -> None:
    """Revoke the profile's saved token and forget it."""
    state = _state(ctx)
    token = state.token()
    if token:
        with state.connect(token=token) as client, contextlib.suppress(Exception):
            client.iam.RevokeToken(pb.RevokeTokenRequest())
    credentials.forget(state.profile.name)
    click.echo("signed out")


def _claims(token: str, source: str) -> dict[str, Any]:
    """The claims of a token, read for display only: the daemon verifies it
    on the call that follows."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        claims = None
    if not isinstance(claims, dict) or not isinstance(claims.get("sub"), str):
        raise Unauthenticated(f"the token of {source} is not one mulligand issued", reason="TOKEN_MALFORMED")
    return claims


@cli.command()
@click.pass_context
def whoami(ctx: click.Context) -> None:
    """Show who the profile's token (or $MULLIGAN_TOKEN) signs in as."""
    state = _state(ctx)
    token = state.token()
    if not token:
        raise Unauthenticated(
            f"no saved credentials for profile {state.profile.name} at {state.endpoint}", reason="NOT_SIGNED_IN"
        )
    claims = _claims(token, state.token_source())
    account = _iam(ctx).GetAccount(pb.GetAccountRequest(account=claims["sub"])).account
    expires = claims.get("exp")
    emit(
        ctx,
        {
            "profile": state.profile.name,
            "endpoint": state.endpoint,
            "account": account.name,
            "account_id": account.id,
            "project_id": claims.get("project"),
            "roles": claims.get("roles", []),
            "system_admin": claims.get("system_admin", False),
            "expire_time": (
                datetime.fromtimestamp(expires, UTC).isoformat(timespec="seconds")
                if isinstance(expires, int | float)
                else None
            ),
        },
    )


# -- accounts


@cli.group()
def account() -> None:
    """Users and application credentials."""


@account.command("list")
@click.option("--project", default="", help="Only accounts holding a role in this project.")
@click.option("--kind", type=click.Choice(sorted(_KIND_FILTERS)), help="Only accounts of this kind.")
@paging.paged
@click.pass_context
def account_list(ctx: click.Context, project: str, kind: str | None) -> None:
    """List the accounts you may see."""
    iam = _iam(ctx)
    kind_filter = _KIND_FILTERS[kind] if kind else pb.ACCOUNT_KIND_UNSPECIFIED
    rows = [
        _account_row(item)
        for item in paging.fetch(
            ctx,
            lambda size, token: iam.ListAccounts(
                pb.ListAccountsRequest(page_token=token, page_size=size, project=project, kind=kind_filter)
            ),
            "accounts",
        )
    ]
    emit(ctx, rows, ["id", "name", "kind", "system_admin", "disabled", "project_id", "description"])


@account.command("show")
@click.argument("ref")
@click.pass_context
def account_show(ctx: click.Context, ref: str) -> None:
    """Show one account (id or login name)."""
    emit(ctx, _account_row(_iam(ctx).GetAccount(pb.GetAccountRequest(account=ref)).account))


@account.command("create")
@click.argument("name")
@_PASSWORD_STDIN
@click.option("--password", envvar="MULLIGAN_PASSWORD", help="The password (prefer --password-stdin).")
@click.option("--display-name", default="")
@click.option("--description", default="")
@click.pass_context
def account_create(
    ctx: click.Context, *, name: str, password_stdin: bool, password: str | None, display_name: str, description: str
) -> None:
    """Create a user account (system admins)."""
    given, _ = _read_password(password, password_stdin, prompt=f"Password for {name}", confirm=True)
    request = pb.CreateAccountRequest(
        account=pb.Account(name=name, display_name=display_name, description=description), password=given
    )
    emit(ctx, _account_row(_iam(ctx).CreateAccount(request).account))


@account.command("create-credential")
@click.argument("name")
@click.option("--project", default="", help="Project (default: the token's).")
@click.option("--role", "roles", multiple=True, help="A role to give it (repeatable; default: yours).")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), help="When it stops working (UTC).")
@click.option("--description", default="")
@click.pass_context
def account_create_credential(
    ctx: click.Context, *, name: str, project: str, roles: tuple[str, ...], expires: datetime | None, description: str
) -> None:
    """Create an application credential; its secret is shown once."""
    request = pb.CreateApplicationCredentialRequest(
        name=name, description=description, project=project, roles=list(roles)
    )
    if expires is not None:
        request.expire_time.FromDatetime(expires.replace(tzinfo=UTC))
    response = _iam(ctx).CreateApplicationCredential(request)
    emit(ctx, row(response, {**_account_row(response.account), "secret": response.secret}))
    if _state(ctx).output == "table":
        click.echo("The secret above is shown once: keep it somewhere safe.", err=True)


@account.command("update")
@click.argument("ref")
@click.option("--display-name")
@click.option("--description")
@click.option("--disable/--enable", "disabled", default=None, help="Stop (or allow) signing in.")
@click.option("--new-password", is_flag=True, help="Set a new password (asked, or from standard input).")
@_PASSWORD_STDIN
@click.option("--current-password", envvar="MULLIGAN_CURRENT_PASSWORD", help="Needed to change your own password.")
@click.pass_context
def account_update(
    ctx: click.Context,
    *,
    ref: str,
    display_name: str | None,
    description: str | None,
    disabled: bool | None,
    new_password: bool,
    password_stdin: bool,
    current_password: str | None,
) -> None:
    """Change an account."""
    iam = _iam(ctx)
    account_id = iam.GetAccount(pb.GetAccountRequest(account=ref)).account.id
    changes = pb.Account(id=account_id)
    paths: list[str] = []
    if display_name is not None:
        changes.display_name, paths = display_name, [*paths, "display_name"]
    if description is not None:
        changes.description, paths = description, [*paths, "description"]
    if disabled is not None:
        changes.disabled, paths = disabled, [*paths, "disabled"]
    password = ""
    if new_password or password_stdin:
        password, _ = _read_password(None, password_stdin, prompt="New password", confirm=True)
        paths.append("password")
    if not paths:
        raise click.UsageError("nothing to change")
    request = pb.UpdateAccountRequest(
        account=changes,
        update_mask=field_mask_pb2.FieldMask(paths=paths),
        password=password,
        current_password=current_password or "",
    )
    emit(ctx, _account_row(iam.UpdateAccount(request).account))
    if password:
        click.echo("The account's earlier tokens are revoked: sign in again with `mulligan login`.", err=True)


@account.command("delete")
@click.argument("ref")
@click.pass_context
def account_delete(ctx: click.Context, ref: str) -> None:
    """Delete an account, its role assignments and tokens."""
    _iam(ctx).DeleteAccount(pb.DeleteAccountRequest(account=ref))
    click.echo(f"deleted account {ref}")


@account.command("revoke-tokens")
@click.argument("ref", required=False, default="")
@click.pass_context
def account_revoke_tokens(ctx: click.Context, ref: str) -> None:
    """Revoke every token issued so far to an account (default: yours)."""
    response = _iam(ctx).RevokeAccountTokens(pb.RevokeAccountTokensRequest(account=ref))
    emit(ctx, {"account": ref or "(you)", "revoked_before": _time(response.revoke_time)})


# -- projects


@cli.group()
def project() -> None:
    """Projects (tenants)."""


@project.command("list")
@paging.paged
@click.pass_context
def project_list(ctx: click.Context) -> None:
    """List the projects you hold a role in (all, for system admins)."""
    iam = _iam(ctx)
    rows = [
        _project_row(item)
        for item in paging.fetch(
            ctx,
            lambda size, token: iam.ListProjects(pb.ListProjectsRequest(page_token=token, page_size=size)),
            "projects",
        )
    ]
    emit(ctx, rows, ["id", "name", "description"])


@project.command("show")
@click.argument("ref")
@click.pass_context
def project_show(ctx: click.Context, ref: str) -> None:
    """Show one project (name or id)."""
    emit(ctx, _project_row(_iam(ctx).GetProject(pb.GetProjectRequest(project=ref)).project))


@project.command("create")
@click.argument("name")
@click.option("--description", default="")
@click.pass_context
def project_create(ctx: click.Context, name: str, description: str) -> None:
    """Create a project (system admins)."""
    request = pb.CreateProjectRequest(project=pb.Project(name=name, description=description))
    emit(ctx, _project_row(_iam(ctx).CreateProject(request).project))


@project.command("update")
@click.argument("ref")
@click.option("--description", required=True)
@click.pass_context
def project_update(ctx: click.Context, ref: str, description: str) -> None:
    """Change a project's description."""
    iam = _iam(ctx)
    project_id = iam.GetProject(pb.GetProjectRequest(project=ref)).project.id
    request = pb.UpdateProjectRequest(
        project=pb.Project(id=project_id, description=description),
        update_mask=field_mask_pb2.FieldMask(paths=["description"]),
    )
    emit(ctx, _project_row(iam.UpdateProject(request).project))


@project.command("delete")
@click.argument("ref")
@click.pass_context
def project_delete(ctx: click.Context, ref: str) -> None:
    """Delete a project, its role assignments and application credentials."""
    _iam(ctx).DeleteProject(pb.DeleteProjectRequest(project=ref))
    click.echo(f"deleted project {ref}")


# -- roles


@cli.group()
def role() -> None:
    """Roles and who holds them."""


@role.command("list")
@paging.paged
@click.pass_context
def role_list(ctx: click.Context) -> None:
    """List the roles."""
    iam = _iam(ctx)
    roles = paging.fetch(
        ctx, lambda size, token: iam.ListRoles(pb.ListRolesRequest(page_size=size, page_token=token)), "roles"
    )
    emit(ctx, [{"name": r.name, "implies": list(r.implies), "description": r.description} for r in roles])


@role.command("assignments")
@click.option("--account", default="", help="Only this account's (id or login name).")
@click.option("--project", default="", help="Only this project's (name or id).")
@paging.paged
@click.pass_context
def role_assignments(ctx: click.Context, account: str, project: str) -> None:
    """List role assignments you may see."""
    iam = _iam(ctx)
    rows = [
        _assignment_row(item)
        for item in paging.fetch(
            ctx,
            lambda size, token: iam.ListRoleAssignments(
                pb.ListRoleAssignmentsRequest(page_token=token, page_size=size, account=account, project=project)
            ),
            "role_assignments",
        )
    ]
    emit(ctx, rows, ["account_id", "project_id", "role", "create_time"])


def _scope_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option("--system", "system_scope", is_flag=True, help="System-wide (admin only).")(function)
    return click.option("--project", default="", help="Project (name or id).")(function)


@role.command("assign")
@click.argument("account")
@click.argument("role_name", metavar="ROLE")
@_scope_options
@click.pass_context
def role_assign(ctx: click.Context, account: str, role_name: str, project: str, system_scope: bool) -> None:
    """Give ACCOUNT the ROLE in a project (or system-wide)."""
    request = pb.CreateRoleAssignmentRequest(
        account=account, role=role_name, project=project, system_scope=system_scope
    )
    emit(ctx, _assignment_row(_iam(ctx).CreateRoleAssignment(request).role_assignment))


@role.command("unassign")
@click.argument("account")
@click.argument("role_name", metavar="ROLE")
@_scope_options
@click.pass_context
def role_unassign(ctx: click.Context, account: str, role_name: str, project: str, system_scope: bool) -> None:
    """Take the ROLE away from ACCOUNT (its tokens with it are revoked)."""
    request = pb.DeleteRoleAssignmentRequest(
        account=account, role=role_name, project=project, system_scope=system_scope
    )
    _iam(ctx).DeleteRoleAssignment(request)
    click.echo(f"{account} no longer holds {role_name}")


# -- signing keys


@cli.group("signing-key")
def signing_key() -> None:
    """The keys that sign tokens."""


@signing_key.command("list")
@paging.paged
@click.pass_context
def signing_key_list(ctx: click.Context) -> None:
    """List the keys whose tokens still verify."""
    iam = _iam(ctx)
    keys = paging.fetch(
        ctx,
        lambda size, token: iam.ListSigningKeys(pb.ListSigningKeysRequest(page_size=size, page_token=token)),
        "signing_keys",
    )
    emit(ctx, [_key_row(key) for key in keys], ["key_id", "active", "create_time", "retire_time", "expire_time"])


@signing_key.command("rotate")
@click.pass_context
def signing_key_rotate(ctx: click.Context) -> None:
    """Sign new tokens with a new key; older tokens keep working until they expire."""
    emit(ctx, _key_row(_iam(ctx).RotateSigningKey(pb.RotateSigningKeyRequest()).signing_key))
