"""Lists on the command line: every page by default, ``--limit N`` to stop
after N items, ``--page-token`` to go on where a limited list stopped.

A list command takes the options with :func:`paged` and reads through
:func:`fetch`::

    @thing.command("list")
    @paging.paged
    @click.pass_context
    def thing_list(ctx):
        things = paging.fetch(ctx, lambda size, token: stub.ListThings(pb.ListThingsRequest(
            page_size=size, page_token=token)), "things")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

# Items asked for a call: the daemons serve at most 1000.
PAGE_SIZE = 500

_LIMIT = "mulligan.paging.limit"
_START = "mulligan.paging.start"

F = TypeVar("F", bound=Callable[..., Any])


def _keep(key: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def keep(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        ctx.meta[key] = value

    return keep


def paged(command: F) -> F:
    """Give a list command ``--limit`` and ``--page-token``."""
    command = click.option(
        "--page-token",
        default="",
        metavar="TOKEN",
        expose_value=False,
        callback=_keep(_START),
        help="Start where a list cut short by --limit stopped (it prints the token).",
    )(command)
    limited: F = click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        expose_value=False,
        callback=_keep(_LIMIT),
        help="Show at most N items (default: all).",
    )(command)
    return limited


def fetch(ctx: click.Context, call: Callable[[int, str], Any], items: str) -> list[Any]:
    """The items of a List RPC, page after page, up to ``--limit``:
    ``call(page_size, page_token)`` makes one call. A list cut short says
    on stderr how to go on."""
    limit: int | None = ctx.meta.get(_LIMIT)
    token: str = ctx.meta.get(_START, "")
    found: list[Any] = []
    while True:
        # The last page asks for no more than the limit leaves, so that its
        # token goes on right after the last item shown.
        size = PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - len(found))
        response = call(size, token)
        found.extend(getattr(response, items))
        token = response.next_page_token
        if not token:
            return found[:limit] if limit is not None else found
        if limit is not None and len(found) >= limit:
            click.echo(f"next page: --page-token {token}", err=True)
            return found[:limit]
