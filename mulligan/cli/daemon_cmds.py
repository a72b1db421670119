"""Commands about the daemon itself: status and runtime configuration."""

from __future__ import annotations

import click

from mulligan.api.control.v1 import control_pb2
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.cli.app import CliState, cli
from mulligan.cli.output import emit

_SERVICES = {
    "iam": ("mulligan.iam.v1.IamService", iam_pb2),
    "meta": ("mulligan.meta.v1.MetaService", meta_pb2),
    "resource": ("mulligan.resource.v1.ResourceService", resource_pb2),
    "control": ("mulligan.control.v1.ControlService", control_pb2),
}


@cli.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show whether the daemon and each of its services is serving."""
    state: CliState = ctx.obj
    client = state.client()
    rows = [{"service": "mulligand", "status": client.health("")}]
    rows += [{"service": name, "status": client.health(full)} for name, (full, _) in _SERVICES.items()]
    emit(ctx, rows, ["service", "status"])
    if any(row["status"] != "SERVING" for row in rows):
        ctx.exit(1)


@cli.command()
@click.argument("service", type=click.Choice(sorted(_SERVICES)))
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), help="New log level.")
@click.option("--executor-workers", type=click.IntRange(1, 256), help="New executor pool size (control only).")
@click.option(
    "--image-source",
    "image_sources",
    multiple=True,
    help="A source tenants may register images from, volume:PREFIX or /DIR/ (control only; repeat; replaces the list).",
)
@click.option("--no-image-sources", is_flag=True, help="Let tenants register images from no source (control only).")
@click.pass_context
def configure(
    ctx: click.Context,
    *,
    service: str,
    log_level: str | None,
    executor_workers: int | None,
    image_sources: tuple[str, ...],
    no_image_sources: bool,
) -> None:
    """Show or change a service's runtime settings, without a restart."""
    if service != "control" and (executor_workers is not None or image_sources or no_image_sources):
        raise click.UsageError("--executor-workers and the image sources apply to the control service only")
    if image_sources and no_image_sources:
        raise click.UsageError("give --image-source or --no-image-sources, not both")
    state: CliState = ctx.obj
    _, pb = _SERVICES[service]
    request = pb.ConfigureRequest(log_level=log_level or "")
    if executor_workers is not None:
        request.executor_workers = executor_workers
    if image_sources or no_image_sources:
        request.image_sources.SetInParent()
        request.image_sources.sources.extend(image_sources)
    response = getattr(state.client(), service).Configure(request)
    settings: dict[str, object] = {"log_level": response.log_level}
    if service == "control":
        settings["executor_workers"] = response.executor_workers
        settings["image_sources"] = list(response.image_sources)
    emit(ctx, settings)
