"""The root ``mulligan`` command, its global options and error handling."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

import mulligan
from mulligan.cli import settings
from mulligan.client import Client
from mulligan.errors import MulliganError
from mulligan.tls import ClientTls

EXIT_ERROR = 1
EXIT_UNAVAILABLE = 3


@dataclass
class CliState:
    endpoint: str
    output: str
    timeout: float
    tls: ClientTls | None = None
    _client: Client | None = field(default=None, repr=False)

    def client(self) -> Client:
        if self._client is None:
            self._client = self.connect(token=self.token())
        return self._client

    def connect(self, *, token: str | None = None) -> Client:
        """A new client of the endpoint, with this CLI's TLS settings; the caller closes it."""
        return Client(self.endpoint, token=token, timeout=self.timeout, tls=self.tls)

    def token(self) -> str | None:
        from mulligan.cli.iam import saved_token

        return saved_token(self.endpoint)


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--endpoint",
    envvar="MULLIGAN_ENDPOINT",
    default=settings.default_endpoint,
    show_default="endpoint in config.toml, else 127.0.0.1:7411",
    help="mulligand's HOST:PORT.",
)
@click.option(
    "--ca-file", envvar="MULLIGAN_CA_FILE", type=_FILE, help="Speak TLS, trusting the CA that signed mulligand's cert."
)
@click.option("--cert-file", envvar="MULLIGAN_CERT_FILE", type=_FILE, help="Client certificate, for TLS.")
@click.option("--key-file", envvar="MULLIGAN_KEY_FILE", type=_FILE, help="The client certificate's key.")
@click.option("--output", "-o", type=click.Choice(["table", "json"]), default="table", help="Output format.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for each call.")
@click.version_option(mulligan.__version__, prog_name="mulligan")
@click.pass_context
def cli(
    ctx: click.Context,
    *,
    endpoint: str,
    ca_file: Path | None,
    cert_file: Path | None,
    key_file: Path | None,
    output: str,
    timeout: float,
) -> None:
    """Mulligan: request, claim and provision machines.

    Settings beyond these options, such as the CA to trust for each
    endpoint, live in config.toml in the client config dir
    ($MULLIGAN_CONFIG_DIR, else ~/.config/mulligan).
    """
    tls = settings.load().tls_for(endpoint, ca_file=ca_file, cert_file=cert_file, key_file=key_file)
    ctx.obj = CliState(endpoint=endpoint, output=output, timeout=timeout, tls=tls)


def main(argv: list[str] | None = None) -> Any:
    from mulligan.cli import commands  # noqa: F401  (registers the subcommands)

    try:
        return cli.main(args=argv, prog_name="mulligan", standalone_mode=True)
    except MulliganError as exc:
        click.echo(f"error: {exc.message} ({exc.reason})", err=True)
        sys.exit(EXIT_UNAVAILABLE if exc.reason == "UNAVAILABLE" else EXIT_ERROR)
    except UnicodeEncodeError as exc:
        # Arguments and files that are not UTF-8 arrive as lone surrogates,
        # which no request can carry; the daemon would refuse them anyway.
        if exc.reason != "surrogates not allowed":
            raise
        click.echo("error: an argument or a file given is not valid UTF-8 text (INVALID_TEXT)", err=True)
        sys.exit(EXIT_ERROR)
