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
@click.pass_context
def configure(ctx: click.Context, service: str, log_level: str | None, executor_workers: int | None) -> None:
    """Show or change a service's runtime settings, without a restart."""
    if executor_workers is not None and service != "control":
        raise click.UsageError("--executor-workers applies to the control service only")
    state: CliState = ctx.obj
    _, pb = _SERVICES[service]
    request = pb.ConfigureRequest(log_level=log_level or "")
    if executor_workers is not None:
        request.executor_workers = executor_workers
    response = getattr(state.client(), service).Configure(request)
    settings = {"log_level": response.log_level}
    if service == "control":
        settings["executor_workers"] = response.executor_workers
    emit(ctx, settings)
