"""Writes mulligan(1) from the CLI itself: every command, its arguments and
options, with the help texts `mulligan COMMAND --help` shows.

usage: python packaging/manpage.py OUT_FILE   (run by the interpreter that has mulligan)

Made at build time so the page never lists fewer commands than the CLI has.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import click

import mulligan
from mulligan.cli.app import cli

# Commands attach to ``cli`` when this module is imported, where there is one;
# otherwise the group loads each command as it is named.
with contextlib.suppress(ModuleNotFoundError):
    importlib.import_module("mulligan.cli.commands")

DESCRIPTION = """\
mulligan talks to mulligand, the Mulligan daemon, over gRPC: it sets up a
fresh installation (bootstrap), signs in, enrolls hypervisors and baremetal
nodes, registers images, and requests, watches and decommissions machines.
Every command answers --help with the same text as below."""

FILES = [
    (
        "~/.config/mulligan/",
        "The client config dir: config.toml (endpoints, the CA to trust for each) and the"
        " credentials saved by bootstrap and login.",
    ),
]

ENVIRONMENT = [
    ("MULLIGAN_ENDPOINT", "mulligand's HOST:PORT, as --endpoint."),
    ("MULLIGAN_CA_FILE, MULLIGAN_CERT_FILE, MULLIGAN_KEY_FILE", "As --ca-file, --cert-file and --key-file."),
    ("MULLIGAN_CONFIG_DIR", "The client config dir, instead of ~/.config/mulligan."),
    ("MULLIGAN_TOKEN", "A token to use instead of the saved one."),
]


def roff(text: str) -> str:
    """Text safe in a roff body: backslashes escaped, no line read as a request."""
    lines = []
    for line in text.replace("\\", "\\e").replace("-", "\\-").splitlines():
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def paragraphs(text: str) -> str:
    """click help text (blank-line separated paragraphs, \\b blocks kept as they are)."""
    out = []
    for block in textwrap.dedent(text).strip().split("\n\n"):
        if block.startswith("\b\n"):
            out.append(".nf\n" + roff(block[2:]) + "\n.fi")
        else:
            out.append(roff(" ".join(block.split())))
    return "\n.PP\n".join(out)


def options(command: click.Command, ctx: click.Context) -> str:
    out = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option):
            continue  # arguments are in the usage line
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, help_text = record
        out.append(f".TP\n\\fB{roff(names)}\\fR\n{roff(help_text) if help_text else ''}".rstrip())
    return "\n".join(out)


def commands_section(group: click.Group, ctx: click.Context, path: list[str]) -> list[str]:
    out = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub_ctx = click.Context(command, info_name=name, parent=ctx)
        usage = " ".join(command.collect_usage_pieces(sub_ctx))
        out.append(f".SS {roff(' '.join([*path, name]))} {roff(usage)}".rstrip())
        out.append(paragraphs(command.help or command.short_help or ""))
        if isinstance(command, click.Group):
            out.extend(commands_section(command, sub_ctx, [*path, name]))
        else:
            described = options(command, sub_ctx)
            if described:
                out.append(described)
    return out


def page() -> str:
    ctx = click.Context(cli, info_name="mulligan", **cli.context_settings)
    date = datetime.fromtimestamp(int(_source_date()), UTC).strftime("%Y-%m-%d")
    parts = [
        f'.TH MULLIGAN 1 "{date}" "Mulligan {mulligan.__version__}" "Mulligan"',
        ".SH NAME",
        "mulligan \\- request, claim and provision machines",
        ".SH SYNOPSIS",
        "\\fBmulligan\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        roff(DESCRIPTION),
        ".PP",
        paragraphs(cli.help or ""),
        ".SH OPTIONS",
        options(cli, ctx),
        ".SH COMMANDS",
        *commands_section(cli, ctx, ["mulligan"]),
        ".SH ENVIRONMENT",
        *[f".TP\n\\fB{roff(name)}\\fR\n{roff(text)}" for name, text in ENVIRONMENT],
        ".SH FILES",
        *[f".TP\n\\fI{roff(name)}\\fR\n{roff(text)}" for name, text in FILES],
        ".SH SEE ALSO",
        "\\fBmulligand\\fR(8), /usr/share/doc/mulligan/",
    ]
    return "\n".join(parts) + "\n"


def _source_date() -> str:
    # Reproducible builds name the date to use; else the build's own.
    import os
    import time

    return os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(page(), encoding="utf-8")
