"""``mulligan host power``, ``host maintenance`` and ``machine power``:
baremetal nodes' power and maintenance."""

from __future__ import annotations

import click

from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.cli import completion
from mulligan.cli.control import EXIT_FAILED, HOST_COLUMNS, MACHINE_COLUMNS, host, machine
from mulligan.cli.control import _client as client_of
from mulligan.cli.control import _emit_created as emit_row
from mulligan.cli.control import _host_row as host_row
from mulligan.cli.control import _machine_row as machine_row
from mulligan.cli.control import _Names as Names
from mulligan.cli.control import _stamp_of as stamp_of
from mulligan.cli.control import _wait_for_host as wait_for_host
from mulligan.cli.control import _wait_timeout as wait_timeout_option

_ACTIONS = {
    ("on", False): pb.POWER_ACTION_ON,
    ("on", True): pb.POWER_ACTION_ON,
    ("off", False): pb.POWER_ACTION_OFF,
    ("off", True): pb.POWER_ACTION_SOFT_OFF,
    ("reboot", False): pb.POWER_ACTION_REBOOT,
    ("reboot", True): pb.POWER_ACTION_SOFT_REBOOT,
}
_ACTION = click.argument("action", type=click.Choice(["on", "off", "reboot"]))
_SOFT = click.option("--soft", is_flag=True, help="Ask the operating system (ACPI) instead of cutting the power.")


@host.command("power")
@_ACTION
@click.argument("ref", metavar="HOST", shell_complete=completion.names("host"))
@_SOFT
@click.option("--wait", is_flag=True, help="Wait until the BMC reports the new state; the exit code tells how.")
@wait_timeout_option(180)
@click.pass_context
def host_power(ctx: click.Context, *, action: str, ref: str, soft: bool, wait: bool, wait_timeout: float) -> None:
    """Power a baremetal node on, off or reboot it (queued as a task)."""
    client = client_of(ctx)
    before = client.control.GetHost(pb.GetHostRequest(host=ref)).host
    changed = client.control.SetHostPower(pb.SetHostPowerRequest(host=before.id, action=_ACTIONS[(action, soft)])).host
    if not wait:
        emit_row(ctx, host_row(changed, Names(client)), HOST_COLUMNS)
        return
    wanted = "off" if action == "off" else "on"

    def done(current: pb.Host) -> bool:
        newer = stamp_of(current, "power_synced_at") > stamp_of(before, "power_synced_at")
        failed = current.error.startswith("power ") and current.error != before.error
        return (newer and current.power_state == wanted) or failed

    ended = wait_for_host(ctx, client, changed, done=done, wait_timeout=wait_timeout)
    emit_row(ctx, host_row(ended, Names(client)), HOST_COLUMNS)
    if ended.power_state != wanted:
        click.echo(f"error: host {ended.name}: {ended.error or 'power did not change'}", err=True)
        ctx.exit(EXIT_FAILED)


@host.group("maintenance")
def host_maintenance() -> None:
    """Take a host out of service (no new machines) and back."""


@host_maintenance.command("set")
@click.argument("ref", metavar="HOST", shell_complete=completion.names("host"))
@click.option("--reason", required=True, help="Why; shown with the host.")
@click.pass_context
def maintenance_set(ctx: click.Context, ref: str, reason: str) -> None:
    """Put the host into maintenance."""
    _maintenance(ctx, ref, True, reason)


@host_maintenance.command("unset")
@click.argument("ref", metavar="HOST", shell_complete=completion.names("host"))
@click.pass_context
def maintenance_unset(ctx: click.Context, ref: str) -> None:
    """Take the host out of maintenance."""
    _maintenance(ctx, ref, False, "")


def _maintenance(ctx: click.Context, ref: str, maintenance: bool, reason: str) -> None:
    client = client_of(ctx)
    request = pb.SetHostMaintenanceRequest(host=ref, maintenance=maintenance, reason=reason)
    emit_row(ctx, host_row(client.control.SetHostMaintenance(request).host, Names(client)), HOST_COLUMNS)


@machine.command("power")
@_ACTION
@click.argument("ref", metavar="MACHINE", shell_complete=completion.names("machine"))
@_SOFT
@click.pass_context
def machine_power(ctx: click.Context, action: str, ref: str, soft: bool) -> None:
    """Power a baremetal machine on, off or reboot it (queued as a task)."""
    client = client_of(ctx)
    request = pb.SetMachinePowerRequest(machine=ref, action=_ACTIONS[(action, soft)])
    emit_row(ctx, machine_row(client.control.SetMachinePower(request).machine, Names(client)), MACHINE_COLUMNS)
