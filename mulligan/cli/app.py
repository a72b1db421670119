"""The root ``mulligan`` command, its global options and error handling."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import click

import mulligan
from mulligan.client import Client, default_endpoint
from mulligan.errors import MulliganError

EXIT_ERROR = 1
EXIT_UNAVAILABLE = 3


@dataclass
class CliState:
    endpoint: str
    output: str
    timeout: float
    _client: Client | None = field(default=None, repr=False)

    def client(self) -> Client:
        if self._client is None:
            self._client = Client(self.endpoint, token=self.token(), timeout=self.timeout)
        return self._client

    def token(self) -> str | None:
        from mulligan.cli.iam import saved_token

        return saved_token(self.endpoint)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--endpoint",
    envvar="MULLIGAN_ENDPOINT",
    default=default_endpoint,
    show_default="127.0.0.1:7411",
    help="mulligand's HOST:PORT.",
)
@click.option("--output", "-o", type=click.Choice(["table", "json"]), default="table", help="Output format.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for each call.")
@click.version_option(mulligan.__version__, prog_name="mulligan")
@click.pass_context
def cli(ctx: click.Context, endpoint: str, output: str, timeout: float) -> None:
    """Mulligan: request, claim and provision machines."""
    ctx.obj = CliState(endpoint=endpoint, output=output, timeout=timeout)


def main(argv: list[str] | None = None) -> Any:
    from mulligan.cli import commands  # noqa: F401  (registers the subcommands)

    try:
        return cli.main(args=argv, prog_name="mulligan", standalone_mode=True)
    except MulliganError as exc:
        click.echo(f"error: {exc.message} ({exc.reason})", err=True)
        sys.exit(EXIT_UNAVAILABLE if exc.reason == "UNAVAILABLE" else EXIT_ERROR)
