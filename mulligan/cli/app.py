"""The root ``mulligan`` command, its global options and error handling.

Command modules are imported only when their command runs (or is asked
for help), and gRPC only when a command makes a call: ``mulligan --help``
and shell completion stay fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import mulligan
from mulligan.cli import exits, settings
from mulligan.config import DEFAULT_LISTEN
from mulligan.errors import MulliganError, Unauthenticated

if TYPE_CHECKING:
    from mulligan.cli.credentials import Saved
    from mulligan.client import Client
    from mulligan.tls_client import ClientTls

# name: (modules that define it, its one-line help for `mulligan --help`).
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "account": (("mulligan.cli.iam",), "Users and application credentials."),
    "bootstrap": (("mulligan.cli.iam",), "Turn a fresh installation into a working..."),
    "candidates": (("mulligan.cli.resource",), "Ranked places for RESOURCES such as VCPU=2..."),
    "claim": (("mulligan.cli.resource",), "Claims and reservations: resources held by..."),
    "completion": (("mulligan.cli.completion",), "Print the shell completion script for SHELL."),
    "configure": (("mulligan.cli.daemon_cmds",), "Show or change a service's runtime..."),
    "group": (("mulligan.cli.resource",), "Provider groups (racks, aggregates) and..."),
    "host": (("mulligan.cli.control", "mulligan.cli.power"), "Hypervisors: enroll them, and Mulligan..."),
    "image": (("mulligan.cli.control",), "Images machines boot from."),
    "inventory": (("mulligan.cli.resource",), "Inventories: how much of each class a..."),
    "login": (("mulligan.cli.iam",), "Sign in, and save the profile and its token."),
    "logout": (("mulligan.cli.iam",), "Revoke the profile's saved token and..."),
    "machine": (("mulligan.cli.control", "mulligan.cli.power"), "Machines: request one, and Mulligan claims..."),
    "metadef": (("mulligan.cli.meta",), "Define schema-checked metadata and set it..."),
    "name": (("mulligan.cli.meta",), "Look up and change the names and slugs of..."),
    "project": (("mulligan.cli.iam",), "Projects (tenants)."),
    "provider": (("mulligan.cli.resource",), "Resource providers: hosts, NUMA nodes,..."),
    "quota": (("mulligan.cli.resource",), "Project quotas: the most of a class a..."),
    "region": (("mulligan.cli.resource",), "Regions: nested failure domains every..."),
    "resource-class": (("mulligan.cli.resource",), "Resource classes: the standard set plus..."),
    "role": (("mulligan.cli.iam",), "Roles and who holds them."),
    "signing-key": (("mulligan.cli.iam",), "The keys that sign tokens."),
    "status": (("mulligan.cli.daemon_cmds",), "Show whether the daemon and each of its..."),
    "tag": (("mulligan.cli.meta",), "Tag objects and find objects by tag."),
    "trait": (("mulligan.cli.resource",), "Traits: qualities of providers (standard..."),
    "whoami": (("mulligan.cli.iam",), "Show who the profile's token (or..."),
}
SHORT_HELP_LIMIT = 45


@dataclass
class CliState:
    endpoint: str
    output: str
    timeout: float
    tls: ClientTls | None = None
    profile: settings.Profile = field(default_factory=lambda: settings.Profile(settings.DEFAULT_PROFILE))
    columns: list[str] = field(default_factory=list)
    _client: Client | None = field(default=None, repr=False)
    _saved: Saved | None = field(default=None, repr=False)

    @property
    def endpoints(self) -> tuple[str, ...]:
        return tuple(self.endpoint.split(","))

    def client(self) -> Client:
        if self._client is None:
            token = self.token()
            if self._saved is not None and self._saved.renewable() and self._saved.expiring():
                token = self.renew()
            self._client = self.connect(token=token, renewing=True)
        return self._client

    def connect(self, *, token: str | None = None, renewing: bool = False) -> Client:
        """A new client of the endpoint, with this CLI's TLS settings; the caller closes it."""
        from mulligan.client import Client

        wrap = (lambda stub: _Renewing(stub, self)) if renewing else None
        return Client(self.endpoint, token=token, timeout=self.timeout, tls=self.tls, wrap=wrap)

    def token(self) -> str | None:
        """$MULLIGAN_TOKEN, else the profile's saved token (when the endpoint issued it)."""
        from_env = os.environ.get("MULLIGAN_TOKEN")
        if from_env:
            return from_env
        from mulligan.cli import credentials

        self._saved = credentials.load(self.profile.name, self.endpoint)
        return self._saved.token if self._saved is not None else None

    def token_source(self) -> str:
        if os.environ.get("MULLIGAN_TOKEN"):
            return "$MULLIGAN_TOKEN"
        return f"profile {self.profile.name}"

    def renew(self) -> str:
        """A new token from the saved application credential, saved in place of the old."""
        import dataclasses

        from mulligan.api.iam.v1 import iam_pb2
        from mulligan.cli import credentials

        saved = self._saved
        assert saved is not None and saved.renewable()
        secret = iam_pb2.ApplicationCredentialSecret(id=saved.credential_id, secret=saved.credential_secret)
        with self.connect() as anonymous:
            response = anonymous.iam.Authenticate(iam_pb2.AuthenticateRequest(application_credential=secret))
        renewed = dataclasses.replace(
            saved, token=response.token, expire_time=credentials.expire_text(response.expire_time)
        )
        credentials.save(self.profile.name, renewed)
        self._saved = renewed
        if self._client is not None:
            self._client.token = renewed.token
        return renewed.token

    def can_renew(self) -> bool:
        return self._saved is not None and self._saved.renewable() and not os.environ.get("MULLIGAN_TOKEN")


class _Renewing:
    """A service stub whose calls, refused for an expired token, are sent once
    more with a token renewed from the saved application credential."""

    def __init__(self, stub: Any, state: CliState) -> None:
        self._stub = stub
        self._state = state

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._stub, name)

        def call(request: Any, **options: Any) -> Any:
            try:
                return method(request, **options)
            except Unauthenticated as exc:
                if exc.reason != "TOKEN_EXPIRED" or not self._state.can_renew():
                    raise
            self._state.renew()
            return method(request, **options)

        return call


# -- output options, accepted before and after the subcommand


def _set_format(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None and isinstance(ctx.obj, CliState):
        ctx.obj.output = value


def _add_columns(ctx: click.Context, _param: click.Parameter, value: Sequence[str]) -> None:
    if value and isinstance(ctx.obj, CliState):
        ctx.obj.columns.extend(value)


_FORMAT_NAMES = ("-f", "--format", "-o", "--output")
_FORMAT_HELP = "Output: table, json or yaml (the API objects), value (bare columns)."
_COLUMN_HELP = "Only this column (repeatable); with -f value, in this order."


def add_output_options(command: click.Command) -> None:
    """Give a subcommand (and every one under it) -f/--format and -c/--column,
    leaving out any name the command already uses for itself."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_output_options(sub)
        return
    if any(getattr(param, "name", None) == "_output_format" for param in command.params):
        return
    taken = {opt for param in command.params for opt in getattr(param, "opts", ())}
    names = [name for name in _FORMAT_NAMES if name not in taken]
    command.params.append(
        click.Option(
            [*names, "_output_format"],
            type=click.Choice(settings.FORMATS),
            expose_value=False,
            callback=_set_format,
            help=_FORMAT_HELP,
        )
    )
    if "-c" not in taken and "--column" not in taken:
        command.params.append(
            click.Option(
                ["-c", "--column", "_columns"],
                multiple=True,
                metavar="COLUMN",
                expose_value=False,
                callback=_add_columns,
                help=_COLUMN_HELP,
            )
        )


class LazyGroup(click.Group):
    """The root group: loads a command's module the first time it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            for module in COMMANDS[cmd_name][0]:
                importlib.import_module(module)
        command = self.commands.get(cmd_name)
        if command is not None:
            add_output_options(command)
        return command

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        # The table's help texts again: completing a command name loads no module.
        found = [
            CompletionItem(name, help=text)
            for name, (_, text) in sorted(COMMANDS.items())
            if name.startswith(incomplete)
        ]
        return found + click.Command.shell_complete(self, ctx, incomplete)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The table's help texts, so that listing commands loads none of them.
        rows = [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

# The state of this run, for error messages that name the endpoint and profile.
_current: list[CliState] = []


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--profile", envvar="MULLIGAN_PROFILE", help="Profile in config.toml (default: its `profile`, else default)."
)
@click.option(
    "--endpoint",
    envvar="MULLIGAN_ENDPOINT",
    help="mulligand's HOST[:PORT] (or several, comma-separated). [default: the profile's, else 127.0.0.1:7411]",
)
@click.option(
    "--ca-file", envvar="MULLIGAN_CA_FILE", type=_FILE, help="Speak TLS, trusting the CA that signed mulligand's cert."
)
@click.option("--cert-file", envvar="MULLIGAN_CERT_FILE", type=_FILE, help="Client certificate, for TLS.")
@click.option("--key-file", envvar="MULLIGAN_KEY_FILE", type=_FILE, help="The client certificate's key.")
@click.option("-f", "--format", "-o", "--output", "output", type=click.Choice(settings.FORMATS), help=_FORMAT_HELP)
@click.option("-c", "--column", "columns", multiple=True, metavar="COLUMN", help=_COLUMN_HELP)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for each call.")
@click.version_option(mulligan.__version__, prog_name="mulligan")
@click.pass_context
def cli(
    ctx: click.Context,
    *,
    profile: str | None,
    endpoint: str | None,
    ca_file: Path | None,
    cert_file: Path | None,
    key_file: Path | None,
    output: str | None,
    columns: tuple[str, ...],
    timeout: float,
) -> None:
    """Mulligan: request, claim and provision machines.

    Profiles (endpoints, TLS files, default project and output format) live
    in config.toml in the client config dir ($MULLIGAN_CONFIG_DIR, else
    $XDG_CONFIG_HOME/mulligan, else ~/.config/mulligan).
    """
    ctx.obj = state_from(
        profile=profile,
        endpoint=endpoint,
        ca_file=ca_file,
        cert_file=cert_file,
        key_file=key_file,
        output=output,
        columns=columns,
        timeout=timeout,
        new_profile=ctx.invoked_subcommand in ("login", "bootstrap"),
    )
    _current[:] = [ctx.obj]


def state_from(
    *,
    profile: str | None,
    endpoint: str | None,
    ca_file: Path | None = None,
    cert_file: Path | None = None,
    key_file: Path | None = None,
    output: str | None = None,
    columns: Sequence[str] = (),
    timeout: float = 30.0,
    new_profile: bool = False,
) -> CliState:
    """The settings of a run: options and environment, then the profile, then the defaults."""
    loaded = settings.load()
    chosen = loaded.profile_named(settings.check_profile_name(profile) if profile else None, new=new_profile)
    if endpoint and endpoint.strip(", "):
        endpoints = settings.split_endpoints(endpoint)
    elif chosen.endpoints:
        endpoints = chosen.endpoints
    else:
        endpoints = settings.split_endpoints(loaded.endpoint or DEFAULT_LISTEN)
    joined = ",".join(endpoints)
    tls = loaded.tls_for(joined, chosen, ca_file=ca_file, cert_file=cert_file, key_file=key_file)
    return CliState(
        endpoint=joined,
        output=output or chosen.format or "table",
        timeout=timeout,
        tls=tls,
        profile=chosen,
        columns=list(columns),
    )


def _explain(exc: MulliganError) -> str:
    """The one line printed for a failed command."""
    line = f"error: {exc.message} ({exc.reason})"
    if not _current:
        return line
    state = _current[0]
    if isinstance(exc, Unauthenticated):
        source = state.token_source()
        if source == "$MULLIGAN_TOKEN":
            return f"{line}; the token came from $MULLIGAN_TOKEN: unset it to use the profile's, or set a valid one"
        return f"{line}; sign in with: mulligan --profile {state.profile.name} login"
    if exc.reason == "UNAVAILABLE":
        # gRPC's text ends with the cause ("Connection refused", ...).
        cause = exc.message.rsplit(": ", 1)[-1] if "failed to connect" in exc.message else exc.message
        return (
            f"error: no mulligand answered at {state.endpoint} (profile {state.profile.name}): {cause}"
            f" ({exc.reason}); set the endpoint with --endpoint HOST:PORT, $MULLIGAN_ENDPOINT"
            f" or the profile's endpoint in {settings.config_path()}"
        )
    return line


def main(argv: list[str] | None = None) -> Any:
    _current.clear()
    try:
        return cli.main(args=argv, prog_name="mulligan", standalone_mode=True)
    except MulliganError as exc:
        click.echo(_explain(exc), err=True)
        sys.exit(exits.for_error(exc))
    except UnicodeEncodeError as exc:
        # Arguments and files that are not UTF-8 arrive as lone surrogates,
        # which no request can carry; the daemon would refuse them anyway.
        if exc.reason != "surrogates not allowed":
            raise
        click.echo("error: an argument or a file given is not valid UTF-8 text (INVALID_TEXT)", err=True)
        sys.exit(exits.ERROR)
