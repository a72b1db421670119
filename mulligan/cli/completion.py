"""``mulligan completion bash|zsh|fish``, and completing object names from the daemon.

Names are asked of the daemon of the profile being completed for, with a
short deadline, and kept for a few seconds in the user's cache dir
(``$XDG_CACHE_HOME/mulligan``, else ``~/.cache/mulligan``): pressing Tab
twice makes one call, not two. Completion never prints an error: a daemon
that does not answer completes nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem, get_completion_class

from mulligan.cli.app import cli

SHELLS = ("bash", "zsh", "fish")
CACHE_TTL_S = 5.0
CALL_TIMEOUT_S = 2.0
PAGE_SIZE = 500
COMPLETE_VAR = "_MULLIGAN_COMPLETE"


@cli.command()
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    bash:  mulligan completion bash > /etc/bash_completion.d/mulligan
    zsh:   mulligan completion zsh > "${fpath[1]}/_mulligan"
    fish:  mulligan completion fish > ~/.config/fish/completions/mulligan.fish
    """
    completer = get_completion_class(shell)
    assert completer is not None
    click.echo(completer(cli, {}, "mulligan", COMPLETE_VAR).source())


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mulligan"


def choices(values: Iterable[str]) -> Callable[[click.Context, click.Parameter, str], list[CompletionItem]]:
    """Completion from a fixed list (shapes, ...)."""
    known = tuple(values)

    def complete(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(value) for value in known if value.startswith(incomplete)]

    return complete


def names(kind: str) -> Callable[[click.Context, click.Parameter, str], list[CompletionItem]]:
    """Completion of the names of one kind of object (machine, host, image)."""

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            found = _names(ctx.find_root().params, kind)
        except Exception:  # completion must never break the shell's line
            return []
        return [CompletionItem(name) for name in found if name.startswith(incomplete)]

    return complete


def _names(root: dict[str, Any], kind: str) -> list[str]:
    from mulligan.cli.app import state_from

    state = state_from(
        profile=root.get("profile"),
        endpoint=root.get("endpoint"),
        ca_file=root.get("ca_file"),
        cert_file=root.get("cert_file"),
        key_file=root.get("key_file"),
        timeout=CALL_TIMEOUT_S,
    )
    path = cache_dir() / f"names-{state.profile.name}-{kind}.json"
    cached = _read_cache(path, state.endpoint)
    if cached is not None:
        return cached
    found = sorted(_ask(state.client(), kind))
    _write_cache(path, {"endpoint": state.endpoint, "time": time.time(), "names": found})
    return found


def _read_cache(path: Path, endpoint: str) -> list[str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("endpoint") != endpoint:
        return None
    stamp = data.get("time")
    listed = data.get("names")
    if not isinstance(stamp, int | float) or not 0 <= time.time() - stamp < CACHE_TTL_S:
        return None
    return [str(name) for name in listed] if isinstance(listed, list) else None


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    # Names of a project's machines are its own: the file is the user's alone.
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Only a completion writes: other commands need not load tempfile.
    import tempfile

    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _ask(client: Any, kind: str) -> Iterable[str]:
    from mulligan.api.control.v1 import control_pb2 as pb
    from mulligan.client import pages

    if kind == "machine":
        listed = pages(
            lambda token: client.control.ListMachines(pb.ListMachinesRequest(page_size=PAGE_SIZE, page_token=token)),
            "machines",
        )
    elif kind == "host":
        listed = pages(
            lambda token: client.control.ListHosts(pb.ListHostsRequest(page_size=PAGE_SIZE, page_token=token)),
            "hosts",
        )
    elif kind == "image":
        listed = pages(
            lambda token: client.control.ListImages(pb.ListImagesRequest(page_size=PAGE_SIZE, page_token=token)),
            "images",
        )
    else:
        raise ValueError(f"no completion for {kind}")
    return [item.name for item in listed if item.name]
