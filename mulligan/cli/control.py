"""``mulligan host``, ``mulligan image`` and ``mulligan machine``: the control service.

Commands that start slow work (enrolling or inspecting a host, provisioning
or decommissioning a machine) take ``--wait`` to follow it to its end and
say how it ended in the exit code (see :mod:`mulligan.cli.exits`): 0 done,
5 the work ended in error (the reason is printed), 4 still not done when
``--wait-timeout`` ran out, 130 interrupted (the work goes on without you). Machines are followed through
the WatchMachines stream; hosts, which have no stream, are re-read with a
growing pause.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import click

from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.cli import args, baremetal, completion, exits, paging, refs, yaml_text
from mulligan.cli.app import CliState, cli
from mulligan.cli.output import api_data, emit, row
from mulligan.errors import MulliganError, Unavailable

if TYPE_CHECKING:
    from rich.status import Status

    from mulligan.client import Client

EXIT_FAILED = exits.FAILED
EXIT_TIMED_OUT = exits.TIMED_OUT
EXIT_INTERRUPTED = exits.INTERRUPTED
# Tables show this much of an error; `show` and JSON give all of it.
ERROR_WIDTH = 48
SHAPES = ("tiny", "small", "medium", "large")

HOST_COLUMNS = ("name", "state", "enabled", "uri", "cpus", "memory_mb", "disk_gb", "region", "id")
IMAGE_COLUMNS = ("name", "format", "source", "size_gb", "owner", "id")
MACHINE_COLUMNS = ("name", "state", "host", "image", "vcpus", "memory_mb", "disk_gb", "id")

_FORMATS = {"qcow2": pb.IMAGE_FORMAT_QCOW2, "raw": pb.IMAGE_FORMAT_RAW}
_MACHINE_STATES = {
    "requested": pb.MACHINE_STATE_REQUESTED,
    "scheduled": pb.MACHINE_STATE_SCHEDULED,
    "reserved": pb.MACHINE_STATE_RESERVED,
    "provisioning": pb.MACHINE_STATE_PROVISIONING,
    "active": pb.MACHINE_STATE_ACTIVE,
    "decommissioning": pb.MACHINE_STATE_DECOMMISSIONING,
    "decommissioned": pb.MACHINE_STATE_DECOMMISSIONED,
    "error": pb.MACHINE_STATE_ERROR,
}
# With --wait, provisioning is over once the machine is in one of these.
_PROVISIONED = frozenset(
    {
        pb.MACHINE_STATE_ACTIVE,
        pb.MACHINE_STATE_RESERVED,
        pb.MACHINE_STATE_ERROR,
        pb.MACHINE_STATE_DECOMMISSIONING,
        pb.MACHINE_STATE_DECOMMISSIONED,
    }
)
_DECOMMISSIONED = frozenset({pb.MACHINE_STATE_DECOMMISSIONED, pb.MACHINE_STATE_ERROR})

_WAIT = click.option("--wait", is_flag=True, help="Follow the work until it ends; the exit code tells how.")


def _wait_timeout(default: float) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--wait-timeout``; and ``--timeout`` after the command, its old spelling,
    hidden: before the command ``--timeout`` is the deadline of each call."""

    def remember_old(ctx: click.Context, _param: click.Parameter, value: float | None) -> None:
        if value is not None:
            click.echo("warning: --timeout after the command is now --wait-timeout", err=True)
            ctx.meta[_OLD_WAIT_TIMEOUT] = value

    def choose(ctx: click.Context, param: click.Parameter, value: float) -> float:
        old = ctx.meta.get(_OLD_WAIT_TIMEOUT)
        if old is None:
            return value
        if param.name and ctx.get_parameter_source(param.name) != click.core.ParameterSource.DEFAULT:
            raise click.UsageError("give --wait-timeout or --timeout, not both")
        return float(old)

    seconds = click.FloatRange(min=0, min_open=True)

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--wait-timeout",
            "wait_timeout",
            type=seconds,
            default=default,
            callback=choose,
            show_default=True,
            metavar="SECONDS",
            help="Seconds --wait waits at most.",
        )(command)
        # Eager, so that --wait-timeout, processed after it, sees its value.
        return click.option(
            "--timeout",
            "_old_wait_timeout",
            type=seconds,
            hidden=True,
            is_eager=True,
            expose_value=False,
            callback=remember_old,
        )(command)

    return decorate


_OLD_WAIT_TIMEOUT = "mulligan.old_wait_timeout"


# --- plumbing -------------------------------------------------------------------


def _client(ctx: click.Context) -> Client:
    state: CliState = ctx.obj
    return state.client()


def _enum_text(enum: Any, value: int, prefix: str) -> str:
    try:
        return str(enum.Name(value)).removeprefix(prefix).lower()
    except ValueError:
        # A newer daemon may know states this client does not.
        return str(value)


def _machine_state(value: int) -> str:
    return _enum_text(pb.MachineState, value, "MACHINE_STATE_")


def _host_state(value: int) -> str:
    return _enum_text(pb.HostState, value, "HOST_STATE_")


def _time(message: Any, field: str) -> str | None:
    if not message.HasField(field):
        return None
    return str(getattr(message, field).ToDatetime(tzinfo=UTC).isoformat(timespec="seconds"))


# create_time and update_time replaced created_at and updated_at; a daemon
# older than them sets only the old fields.
_OLD_FIELDS = {"create_time": "created_at", "update_time": "updated_at"}


def _set_field(message: Any, field: str) -> str:
    """``field``, or the old field it replaced when a daemon older than it left it unset."""
    if message.HasField(field):
        return field
    return _OLD_FIELDS[field]


def _when(message: Any, field: str) -> str | None:
    """The time in create_time or update_time (else its old field)."""
    return _time(message, _set_field(message, field))


def _project_id(client: Client, ref: str) -> str:
    """The UUID of a project given by name or id ('' stays '': the token's project)."""
    if not ref:
        return ""
    try:
        return str(uuid.UUID(ref))
    except ValueError:
        from mulligan.api.iam.v1 import iam_pb2

        return str(client.iam.GetProject(iam_pb2.GetProjectRequest(project=ref)).project.id)


class _Names:
    """Names of the hosts, images and regions rows refer to, looked up once each."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._known: dict[tuple[str, str], str | None] = {}

    def load(self, kind: str, object_ids: Sequence[str]) -> None:
        missing = [i for i in dict.fromkeys(object_ids) if i and (kind, i) not in self._known]
        if not missing:
            return
        try:
            named = refs.names_of(self._client, kind, missing)
        except MulliganError:
            # Names only decorate the output: show ids rather than fail.
            named = {}
        for object_id in missing:
            self._known[(kind, object_id)] = named[object_id].name if object_id in named else None

    def lookup(self, kind: str, object_id: str) -> str | None:
        """The object's name; None when it has none (or may not be seen)."""
        if not object_id:
            return None
        self.load(kind, [object_id])
        return self._known[(kind, object_id)]

    def name(self, kind: str, object_id: str) -> str | None:
        """The object's name, else its id."""
        return self.lookup(kind, object_id) or object_id or None


def _emit_created(ctx: click.Context, row: Mapping[str, Any], columns: Sequence[str]) -> None:
    """A new or changed object: one table line (or the whole object as JSON)."""
    if ctx.obj.output in ("json", "yaml"):
        emit(ctx, row)
    else:
        emit(ctx, [row], columns)


def _emit_details(ctx: click.Context, row: Mapping[str, Any]) -> None:
    """One object in full; the table leaves out what is empty."""
    if ctx.obj.output in ("json", "yaml"):
        emit(ctx, row)
    else:
        emit(ctx, {key: value for key, value in row.items() if value not in (None, "", [], {})})


def _emit_list(ctx: click.Context, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Rows as a table (with an ``error`` column, shortened, when some row has one) or JSON."""
    if ctx.obj.output in ("json", "yaml") or not any(row.get("error") for row in rows):
        emit(ctx, rows, columns)
        return
    shortened = [{**item, "error": _shorten(item["error"])} for item in rows]
    emit(ctx, shortened, [*columns, "error"])


def _shorten(text: str | None, limit: int = ERROR_WIDTH) -> str | None:
    return text if not text or len(text) <= limit else text[: limit - 1] + "…"


# --- rows -----------------------------------------------------------------------


def _host_row(host: pb.Host, names: _Names) -> dict[str, Any]:
    return row(
        host,
        {
            "id": host.id,
            "name": host.name,
            "kind": _enum_text(pb.HostKind, host.kind, "HOST_KIND_"),
            "state": _host_state(host.state),
            "enabled": host.enabled,
            "uri": host.uri or None,
            "region": names.name("region", host.region_id),
            "region_id": host.region_id,
            "provider_id": host.provider_id,
            "cpus": host.cpus,
            "memory_mb": host.memory_mb,
            "disk_gb": host.disk_gb,
            "traits": list(host.traits),
            "error": host.error or None,
            "inspected_at": _time(host, "inspected_at"),
            "created_at": _when(host, "create_time"),
            **baremetal.host_fields(host),
        },
    )


def _image_row(image: pb.Image) -> dict[str, Any]:
    return row(
        image,
        {
            "id": image.id,
            "name": image.name,
            "format": _enum_text(pb.ImageFormat, image.format, "IMAGE_FORMAT_"),
            "source": image.source,
            "size_gb": image.size_gb,
            "os_hints": dict(sorted(image.os_hints.items())),
            "owner": image.project_id or "system",
            "project_id": image.project_id or None,
            "created_at": _when(image, "create_time"),
        },
    )


def _machine_row(machine: pb.Machine, names: _Names, *, name: str = "") -> dict[str, Any]:
    return row(
        machine,
        {
            "id": machine.id,
            "name": machine.name or name or None,
            "state": _machine_state(machine.state),
            # Baremetal deploys and cleanings: the step under way.
            "step": machine.step or None,
            "error": machine.error or None,
            "kind": _enum_text(pb.MachineKind, machine.kind, "MACHINE_KIND_"),
            "project_id": machine.project_id,
            "host": names.name("host", machine.host_id),
            "host_id": machine.host_id or None,
            "image": names.name("image", machine.image_id),
            "image_id": machine.image_id or None,
            "region": names.name("region", machine.region_id),
            "region_id": machine.region_id or None,
            "network": machine.network or None,
            "vcpus": machine.resources.vcpus,
            "memory_mb": machine.resources.memory_mb,
            "disk_gb": machine.resources.disk_gb,
            "start": _time(machine, "start"),
            "end": _time(machine, "end"),
            "created_at": _when(machine, "create_time"),
            "updated_at": _when(machine, "update_time"),
        },
    )


# --- following changes ----------------------------------------------------------


class _Progress:
    """Progress of a --wait on stderr: a spinner on a terminal, plain lines otherwise."""

    def __init__(self, label: str) -> None:
        from rich.console import Console

        self._label = label
        self._console = Console(stderr=True, highlight=False)
        self._status: Status | None = None
        self._started = time.monotonic()

    def __enter__(self) -> _Progress:
        if self._console.is_terminal:
            self._status = self._console.status(f"{self._label}: waiting")
            self._status.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._status is not None:
            self._status.stop()

    @property
    def elapsed(self) -> str:
        return f"{time.monotonic() - self._started:.1f}s"

    def step(self, text: str) -> None:
        """A new stage: a line of its own, and the spinner's text."""
        line = f"{self._label}: {text}"
        if self._status is not None:
            self._console.print(line, markup=False)
            self._status.update(line)
        else:
            click.echo(line, err=True)


class _Feed:
    """WatchMachines, read on a thread into a queue so the reader can time out.

    The stream is opened at construction, before whatever change the caller
    is about to make, so that change cannot slip by unseen once the stream
    is live.
    """

    def __init__(self, client: Client) -> None:
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._closing = threading.Event()
        self._stream = client.control.WatchMachines(pb.WatchMachinesRequest(start_revision=0), timeout=None)
        self._thread = threading.Thread(target=self._read, name="machine-watch", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for change in self._stream:
                self._queue.put(("change", change))
            self._queue.put(("error", Unavailable("the machine watch ended", reason="WATCH_ENDED")))
        except Exception as exc:  # handed to the reader, who decides what it means
            if not self._closing.is_set():
                self._queue.put(("error", exc))

    def next(self, timeout: float) -> pb.WatchMachinesResponse | None:
        """The next change; None when none came within timeout. Raises the stream's failure."""
        try:
            kind, value = self._queue.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None
        if kind == "error":
            raise value
        change: pb.WatchMachinesResponse = value
        return change

    def close(self) -> None:
        self._closing.set()
        self._stream.cancel()
        self._thread.join(timeout=5)


def _stamp(machine: pb.Machine) -> tuple[int, int]:
    return _stamp_of(machine, _set_field(machine, "update_time"))


class _Follower:
    """Follows one machine's state through the watch stream.

    A stream from "now" is live only from some moment after it was opened,
    and nothing tells when. So the machine is read once after each (re)open,
    re-read every CHECK_S while the stream has shown nothing, and read once
    more when the first change arrives (the stream is surely live from
    then on); after that the stream alone says what happens. A daemon
    restart reopens the stream.
    """

    CHECK_S = 2.0
    RETRY_MAX_S = 5.0
    # How often the machine is re-read when the daemon has no stream to spare.
    POLL_S = 1.0

    def __init__(self, client: Client) -> None:
        self._client = client
        self._feed = _Feed(client)
        self._live = False
        self._polling = False
        self.latest: pb.Machine | None = None

    def close(self) -> None:
        self._feed.close()

    def follow(
        self,
        machine_id: str,
        *,
        until: frozenset[int],
        deadline: float,
        on_change: Callable[[pb.Machine], None],
        initial: pb.Machine | None = None,
    ) -> pb.Machine | None:
        """The machine once its state is in ``until``; None at the deadline.

        ``initial`` is a snapshot the caller already has (the answer to its request).
        """
        if initial is not None:
            self._accept(initial, on_change)
        must_read = True
        retry = 0.25
        while self.latest is None or self.latest.state not in until:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if self._polling:
                self._poll(machine_id, until, deadline, on_change)
                continue
            try:
                if must_read:
                    self._accept(self._get(machine_id), on_change)
                    must_read = False
                    continue
                change = self._feed.next(remaining if self._live else min(remaining, self.CHECK_S))
            except MulliganError as exc:
                if exc.reason == "TOO_MANY_WATCHES":
                    # The daemon holds as many streams as it serves: read instead.
                    self._polling = True
                    continue
                if not _worth_resuming(exc):
                    raise
                if time.monotonic() + retry >= deadline:
                    return None
                time.sleep(retry)  # the daemon is restarting: give it a moment
                retry = min(retry * 2, self.RETRY_MAX_S)
                self._feed.close()
                self._feed = _Feed(self._client)
                self._live, must_read = False, True
                continue
            retry = 0.25
            if change is None:
                must_read = not self._live
                continue
            if not self._live:
                self._live = True
                must_read = change.machine.id != machine_id
            if change.machine.id == machine_id:
                self._accept(change.machine, on_change)
        return self.latest

    def _poll(
        self, machine_id: str, until: frozenset[int], deadline: float, on_change: Callable[[pb.Machine], None]
    ) -> None:
        self._accept(self._get(machine_id), on_change)
        if self.latest is not None and self.latest.state not in until:
            time.sleep(min(self.POLL_S, max(deadline - time.monotonic(), 0.0)))

    def _get(self, machine_id: str) -> pb.Machine:
        machine: pb.Machine = self._client.control.GetMachine(pb.GetMachineRequest(machine=machine_id)).machine
        return machine

    def _accept(self, machine: pb.Machine, on_change: Callable[[pb.Machine], None]) -> None:
        # A read and the stream may overlap: never go back to an older snapshot.
        if self.latest is not None and _stamp(machine) < _stamp(self.latest):
            return
        changed = self.latest is None or machine.state != self.latest.state
        self.latest = machine
        if changed:
            on_change(machine)


def _describe_state(machine: pb.Machine) -> str:
    text = _machine_state(machine.state)
    return f"{text}: {machine.error}" if machine.error else text


def _follow_machine(
    follower: _Follower,
    machine: pb.Machine,
    *,
    label: str,
    until: frozenset[int],
    wait_timeout: float,
) -> pb.Machine | None:
    """Show the machine's progress from ``machine`` until its state is in ``until``; None on timeout."""
    deadline = time.monotonic() + wait_timeout
    with _Progress(label) as progress:

        def on_change(current: pb.Machine) -> None:
            text = _machine_state(current.state)
            if current.state in until:
                text += f" after {progress.elapsed}"
            progress.step(f"{text}: {current.error}" if current.error else text)

        try:
            return follower.follow(machine.id, until=until, deadline=deadline, on_change=on_change, initial=machine)
        except KeyboardInterrupt:
            click.echo(f"stopped waiting; {label} carries on: mulligan machine show {machine.id}", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


def _finish_machine_wait(
    ctx: click.Context,
    client: Client,
    final: pb.Machine | None,
    *,
    label: str,
    machine_id: str,
    success: frozenset[int],
    wait_timeout: float,
    follower: _Follower,
) -> None:
    names = _Names(client)
    if final is None:
        last = follower.latest
        state = _machine_state(last.state) if last is not None else "unknown"
        if last is not None:
            _emit_created(ctx, _machine_row(last, names, name=label), MACHINE_COLUMNS)
        click.echo(
            f"error: {label} is still {state} after {wait_timeout:g}s; "
            f"follow it with: mulligan machine show {machine_id}",
            err=True,
        )
        ctx.exit(EXIT_TIMED_OUT)
        return
    _emit_created(ctx, _machine_row(final, names, name=label), MACHINE_COLUMNS)
    if final.state in success:
        return
    if final.state == pb.MACHINE_STATE_ERROR:
        click.echo(f"error: {label} failed: {final.error or 'no reason given'}", err=True)
    else:
        click.echo(f"error: {label} is {_machine_state(final.state)}", err=True)
    ctx.exit(EXIT_FAILED)


def _wait_for_host(
    ctx: click.Context,
    client: Client,
    host: pb.Host,
    *,
    done: Callable[[pb.Host], bool],
    wait_timeout: float,
) -> pb.Host:
    """Re-read the host (no stream tells its changes) until done; exits on error or timeout."""
    deadline = time.monotonic() + wait_timeout
    pause = 0.05
    with _Progress(host.name or host.id) as progress:
        progress.step(_host_state(host.state))
        try:
            while not done(host):
                if time.monotonic() + pause > deadline:
                    click.echo(
                        f"error: host {host.name} is still {_host_state(host.state)} after {wait_timeout:g}s; "
                        f"follow it with: mulligan host show {host.id}",
                        err=True,
                    )
                    ctx.exit(EXIT_TIMED_OUT)
                time.sleep(pause)
                pause = min(pause * 1.5, 1.0)
                current = client.control.GetHost(pb.GetHostRequest(host=host.id)).host
                if current.state != host.state:
                    ended = f" after {progress.elapsed}" if done(current) else ""
                    progress.step(_host_state(current.state) + ended)
                host = current
        except KeyboardInterrupt:
            click.echo(f"stopped waiting; host {host.name} carries on: mulligan host show {host.id}", err=True)
            ctx.exit(EXIT_INTERRUPTED)
    return host


def _end_host_wait(ctx: click.Context, client: Client, host: pb.Host) -> None:
    _emit_created(ctx, _host_row(host, _Names(client)), HOST_COLUMNS)
    if host.state != pb.HOST_STATE_READY:
        click.echo(f"error: host {host.name} failed inspection: {host.error or 'no reason given'}", err=True)
        ctx.exit(EXIT_FAILED)


# --- hosts ----------------------------------------------------------------------


@cli.group()
def host() -> None:
    """Hypervisors: enroll them, and Mulligan offers their capacity."""


@host.command("enroll")
@click.argument("name")
@click.option("--uri", default="", help="A hypervisor's libvirt URI, e.g. qemu+ssh://root@hv1/system.")
@click.option(
    "--bmc",
    default="",
    metavar="URL",
    help="A baremetal node's BMC: ipmi://USER@ADDRESS[:PORT], redfish://... or redfish+https://...",
)
@click.option("--password-file", metavar="FILE", help="The BMC password (first line); - reads standard input.")
@click.option("--ca-file", metavar="FILE", help="redfish+https: the CA that signed the BMC's certificate.")
@click.option("--insecure", is_flag=True, help="redfish+https: do not check the BMC's certificate.")
@click.option("--bmc-timeout", type=float, default=0.0, help="Seconds a BMC call may take (default: the daemon's).")
@click.option(
    "--property",
    "properties",
    multiple=True,
    metavar="KEY=VALUE",
    help="What the BMC cannot tell: cpus, memory_mb, disk_gb, arch, trait (repeatable).",
)
@click.option("--region", default="default", show_default=True, help="Region the host is in.")
@click.option("--disabled", is_flag=True, help="Enroll it, but offer no capacity until `host enable`.")
@_WAIT
@_wait_timeout(120)
@click.pass_context
def host_enroll(
    ctx: click.Context,
    *,
    name: str,
    uri: str,
    bmc: str,
    password_file: str | None,
    ca_file: str | None,
    insecure: bool,
    bmc_timeout: float,
    properties: tuple[str, ...],
    region: str,
    disabled: bool,
    wait: bool,
    wait_timeout: float,
) -> None:
    """Enroll a hypervisor (--uri) or a baremetal node (--bmc); Mulligan
    inspects it for CPUs, memory, disk and traits."""
    client = _client(ctx)
    if bool(uri) == bool(bmc):
        raise click.UsageError("give --uri for a hypervisor or --bmc for a baremetal node")
    if bmc:
        request = pb.EnrollHostRequest(
            name=name,
            kind=pb.HOST_KIND_BAREMETAL,
            region=region,
            bmc=baremetal.bmc_from_url(bmc, password_file, ca_file=ca_file, insecure=insecure, timeout_s=bmc_timeout),
            properties=baremetal.node_properties(properties),
            disabled=disabled,
        )
    else:
        request = pb.EnrollHostRequest(
            name=name, kind=pb.HOST_KIND_HYPERVISOR, region=region, uri=uri, disabled=disabled
        )
    enrolled = client.control.EnrollHost(request).host
    if not wait:
        _emit_created(ctx, _host_row(enrolled, _Names(client)), HOST_COLUMNS)
        return
    ended = _wait_for_host(
        ctx, client, enrolled, done=lambda h: h.state != pb.HOST_STATE_ENROLLING, wait_timeout=wait_timeout
    )
    _end_host_wait(ctx, client, ended)


@host.command("list")
@paging.paged
@click.pass_context
def host_list(ctx: click.Context) -> None:
    """List the enrolled hosts."""
    client = _client(ctx)
    hosts = paging.fetch(
        ctx,
        lambda size, token: client.control.ListHosts(pb.ListHostsRequest(page_size=size, page_token=token)),
        "hosts",
    )
    names = _Names(client)
    names.load("region", [h.region_id for h in hosts])
    _emit_list(ctx, [_host_row(h, names) for h in hosts], HOST_COLUMNS)


@host.command("show")
@click.argument("ref", metavar="HOST", shell_complete=completion.names("host"))
@click.pass_context
def host_show(ctx: click.Context, ref: str) -> None:
    """Show a host: its state, capacity and traits."""
    client = _client(ctx)
    _emit_details(ctx, _host_row(client.control.GetHost(pb.GetHostRequest(host=ref)).host, _Names(client)))


def _set_enabled(ctx: click.Context, ref: str, enabled: bool) -> None:
    from google.protobuf import field_mask_pb2

    client = _client(ctx)
    request = pb.UpdateHostRequest(
        host=pb.Host(id=ref, enabled=enabled), update_mask=field_mask_pb2.FieldMask(paths=["enabled"])
    )
    _emit_created(ctx, _host_row(client.control.UpdateHost(request).host, _Names(client)), HOST_COLUMNS)


@host.command("enable")
@click.argument("ref", metavar="HOST", shell_complete=completion.names("host"))
@click.pass_context
def host_enable(ctx: click.Context, ref: str) -> None:
    """Offer the host's capacity to new machines again."""
    _set_enabled(ctx, ref, True)


@host.command("disable")
@click.argument("ref", metavar="HOST", shell_complete=completion.names("host"))
@click.pass_context
def host_disable(ctx: click.Context, ref: str) -> None:
    """Give the host no new machines; those on it keep running."""
    _set_enabled(ctx, ref, False)


@host.command("inspect")
@click.argument("ref", metavar="HOST", shell_complete=completion.names("host"))
@click.option("--in-band", is_flag=True, help="Baremetal: boot the node into the deploy ramdisk to look inside.")
@_WAIT
@_wait_timeout(120)
@click.pass_context
def host_inspect(ctx: click.Context, ref: str, in_band: bool, wait: bool, wait_timeout: float) -> None:
    """Inspect the host again (after adding memory, disks or networks)."""
    client = _client(ctx)
    before = client.control.GetHost(pb.GetHostRequest(host=ref)).host
    queued = client.control.InspectHost(pb.InspectHostRequest(host=before.id, in_band=in_band)).host
    if not wait:
        _emit_created(ctx, _host_row(queued, _Names(client)), HOST_COLUMNS)
        return

    def inspected(current: pb.Host) -> bool:
        if current.state == pb.HOST_STATE_READY:
            return bool(_stamp_of(current, "inspected_at") > _stamp_of(before, "inspected_at"))
        if current.state == pb.HOST_STATE_ERROR:
            # A host already in error that fails the same way again looks unchanged.
            return bool(before.state != pb.HOST_STATE_ERROR or current.error != before.error)
        return False

    _end_host_wait(ctx, client, _wait_for_host(ctx, client, queued, done=inspected, wait_timeout=wait_timeout))


def _stamp_of(message: Any, field: str) -> tuple[int, int]:
    stamp = getattr(message, field)
    return (stamp.seconds, stamp.nanos)


@host.command("delete")
@click.argument("ref", metavar="HOST", shell_complete=completion.names("host"))
@click.pass_context
def host_delete(ctx: click.Context, ref: str) -> None:
    """Remove a host that runs no machines."""
    _client(ctx).control.DeleteHost(pb.DeleteHostRequest(host=ref))
    click.echo(f"host {ref} deleted", err=True)


# --- images ---------------------------------------------------------------------


@cli.group()
def image() -> None:
    """Images machines boot from."""


@image.command("create")
@click.argument("name")
@click.option(
    "--source",
    required=True,
    metavar="volume:NAME|/PATH",
    help="A volume in each host's storage pool, or an absolute path every host can read.",
)
@click.option("--format", "image_format", type=click.Choice(sorted(_FORMATS)), required=True, help="Disk format.")
@click.option("--size-gb", type=int, default=0, show_default=True, help="Smallest disk the image needs.")
@click.option("--os-hint", "os_hints", multiple=True, metavar="KEY=VALUE", help="e.g. os=debian (repeatable).")
@click.option("--system", is_flag=True, help="An image for every project (system admins).")
@click.option("--project", default="", help="Owning project (admins; default: your token's).")
@click.pass_context
def image_create(
    ctx: click.Context,
    *,
    name: str,
    source: str,
    image_format: str,
    size_gb: int,
    os_hints: tuple[str, ...],
    system: bool,
    project: str,
) -> None:
    """Register an image."""
    if system and project:
        raise click.UsageError("give --system or --project, not both")
    client = _client(ctx)
    created = client.control.CreateImage(
        pb.CreateImageRequest(
            name=name,
            format=_FORMATS[image_format],
            source=source,
            size_gb=size_gb,
            os_hints=args.pairs(os_hints, "--os-hint"),
            project=_project_id(client, project),
            system=system,
        )
    ).image
    _emit_created(ctx, _image_row(created), IMAGE_COLUMNS)


@image.command("list")
@paging.paged
@click.pass_context
def image_list(ctx: click.Context) -> None:
    """List the images you may use."""
    client = _client(ctx)
    images = paging.fetch(
        ctx,
        lambda size, token: client.control.ListImages(pb.ListImagesRequest(page_size=size, page_token=token)),
        "images",
    )
    emit(ctx, [_image_row(i) for i in images], IMAGE_COLUMNS)


@image.command("show")
@click.argument("ref", metavar="IMAGE", shell_complete=completion.names("image"))
@click.pass_context
def image_show(ctx: click.Context, ref: str) -> None:
    """Show an image."""
    _emit_details(ctx, _image_row(_client(ctx).control.GetImage(pb.GetImageRequest(image=ref)).image))


@image.command("delete")
@click.argument("ref", metavar="IMAGE", shell_complete=completion.names("image"))
@click.pass_context
def image_delete(ctx: click.Context, ref: str) -> None:
    """Remove an image no machine uses."""
    _client(ctx).control.DeleteImage(pb.DeleteImageRequest(image=ref))
    click.echo(f"image {ref} deleted", err=True)


# --- machines -------------------------------------------------------------------


@cli.group()
def machine() -> None:
    """Machines: request one, and Mulligan claims capacity and provisions it."""


def _read_text(path: str, option: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror or exc}", param_hint=option) from None
    except UnicodeDecodeError:
        raise click.BadParameter(f"{path} is not UTF-8 text", param_hint=option) from None


def _ssh_keys(paths: Sequence[str]) -> list[str]:
    """The keys in authorized_keys-style files: one a line; blank lines and comments skipped."""
    keys: list[str] = []
    for path in paths:
        found = [
            line.strip()
            for line in _read_text(path, "--ssh-key-file").splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if not found:
            raise click.BadParameter(f"{path} holds no key", param_hint="--ssh-key-file")
        keys.extend(found)
    return keys


def _resources(shape: str, vcpus: int | None, memory_mb: int | None, disk_gb: int | None) -> pb.Resources | None:
    spelled = (vcpus, memory_mb, disk_gb) != (None, None, None)
    if shape and spelled:
        raise click.UsageError("give either --shape or --vcpus/--memory-mb/--disk-gb, not both")
    if shape:
        return None
    if vcpus is None or memory_mb is None:
        raise click.UsageError(f"give --shape ({'|'.join(SHAPES)}) or --vcpus N --memory-mb N [--disk-gb N]")
    return pb.Resources(vcpus=vcpus, memory_mb=memory_mb, disk_gb=disk_gb or 0)


@machine.command("create")
@click.argument("name")
@click.option(
    "--image", "image_ref", required=True, shell_complete=completion.names("image"), help="Image to boot from."
)
@click.option(
    "--shape",
    default="",
    metavar="|".join(SHAPES),
    shell_complete=completion.choices(SHAPES),
    help="A named size instead of the three below.",
)
@click.option("--vcpus", type=int, help="Virtual CPUs.")
@click.option("--memory-mb", type=int, help="Memory in MiB.")
@click.option("--disk-gb", type=int, help="Disk in GiB (default: the image's size).")
@click.option("--region", default="", help="Only hosts in this region.")
@click.option("--network", default="", help="Network the NIC joins (default: default).")
@click.option("--require-trait", "required", multiple=True, metavar="TRAIT", help="The host must have it.")
@click.option("--forbid-trait", "forbidden", multiple=True, metavar="TRAIT", help="The host must not have it.")
@click.option("--ssh-key-file", "key_files", multiple=True, metavar="FILE", help="Public keys to install (repeatable).")
@click.option("--user-data-file", metavar="FILE", help="cloud-init user-data.")
@click.option("--start", help="Reserve from then (ISO 8601 or +2h); default: now.")
@click.option("--end", help="Decommission at (ISO 8601 or +1d); default: when asked to.")
@click.option("--project", default="", help="Owning project (admins; default: your token's).")
@click.option(
    "--baremetal", "bare", is_flag=True, help="A whole baremetal node; the sizes are what it must at least have."
)
@_WAIT
@_wait_timeout(600)
@click.pass_context
def machine_create(
    ctx: click.Context,
    *,
    name: str,
    image_ref: str,
    shape: str,
    vcpus: int | None,
    memory_mb: int | None,
    disk_gb: int | None,
    region: str,
    network: str,
    required: tuple[str, ...],
    forbidden: tuple[str, ...],
    key_files: tuple[str, ...],
    user_data_file: str | None,
    start: str | None,
    end: str | None,
    project: str,
    bare: bool,
    wait: bool,
    wait_timeout: float,
) -> None:
    """Request a machine.

    With --wait, follow it until it is active (or reserved, for a window that
    starts later): exit 0; exit 5 with the reason when it ends in error.
    """
    resources = _resources(shape, vcpus, memory_mb, disk_gb)
    request = pb.ProvisionMachineRequest(
        name=name,
        kind=pb.MACHINE_KIND_BAREMETAL if bare else pb.MACHINE_KIND_VM,
        resources=resources,
        shape=shape,
        required_traits=required,
        forbidden_traits=forbidden,
        region=region,
        image=image_ref,
        ssh_keys=_ssh_keys(key_files),
        user_data=_read_text(user_data_file, "--user-data-file") if user_data_file else "",
        network=network,
        start=args.moment(start, "--start"),
        end=args.moment(end, "--end"),
    )
    client = _client(ctx)
    request.project = _project_id(client, project)
    if not wait:
        created = client.control.ProvisionMachine(request).machine
        _emit_created(ctx, _machine_row(created, _Names(client)), MACHINE_COLUMNS)
        return
    follower = _Follower(client)
    try:
        created = client.control.ProvisionMachine(request).machine
        final = _follow_machine(follower, created, label=name, until=_PROVISIONED, wait_timeout=wait_timeout)
    finally:
        follower.close()
    _finish_machine_wait(
        ctx,
        client,
        final,
        label=name,
        machine_id=created.id,
        success=frozenset({pb.MACHINE_STATE_ACTIVE, pb.MACHINE_STATE_RESERVED}),
        wait_timeout=wait_timeout,
        follower=follower,
    )


@machine.command("list")
@click.option(
    "--state", "states", multiple=True, type=click.Choice(list(_MACHINE_STATES)), help="Only these states (repeatable)."
)
@click.option("--all", "everything", is_flag=True, help="Decommissioned machines too.")
@click.option(
    "--host", default="", shell_complete=completion.names("host"), help="Only machines on this host (admins)."
)
@click.option("--project", default="", help="Only this project's machines (admins).")
@paging.paged
@click.pass_context
def machine_list(ctx: click.Context, *, states: tuple[str, ...], everything: bool, host: str, project: str) -> None:
    """List machines; decommissioned ones only with --all or --state decommissioned."""
    if everything and states:
        raise click.UsageError("give --all or --state, not both")
    if not states and not everything:
        states = tuple(state for state in _MACHINE_STATES if state != "decommissioned")
    client = _client(ctx)
    project_id = _project_id(client, project)
    machines = paging.fetch(
        ctx,
        lambda size, token: client.control.ListMachines(
            pb.ListMachinesRequest(
                page_size=size,
                page_token=token,
                states=[_MACHINE_STATES[s] for s in states],
                host=host,
                project=project_id,
            )
        ),
        "machines",
    )
    names = _Names(client)
    for kind, ids in (
        ("host", [m.host_id for m in machines]),
        ("image", [m.image_id for m in machines]),
        ("region", [m.region_id for m in machines]),
    ):
        names.load(kind, ids)
    _emit_list(ctx, [_machine_row(m, names) for m in machines], MACHINE_COLUMNS)


@machine.command("show")
@click.argument("ref", metavar="MACHINE", shell_complete=completion.names("machine"))
@click.pass_context
def machine_show(ctx: click.Context, ref: str) -> None:
    """Show a machine."""
    client = _client(ctx)
    _emit_details(
        ctx, _machine_row(client.control.GetMachine(pb.GetMachineRequest(machine=ref)).machine, _Names(client))
    )


@machine.command("window")
@click.argument("ref", metavar="MACHINE", shell_complete=completion.names("machine"))
@click.option("--start", help="A reservation's new start (ISO 8601 or +2h); only before it began.")
@click.option("--end", help="The new end (ISO 8601 or +1d): later extends, sooner shortens.")
@click.option("--no-end", "open_end", is_flag=True, help="No end: run until decommissioned.")
@click.pass_context
def machine_window(ctx: click.Context, ref: str, start: str | None, end: str | None, open_end: bool) -> None:
    """Extend, shorten or move a machine's window; its claim and scheduled tasks follow."""
    if end and open_end:
        raise click.UsageError("give --end or --no-end, not both")
    if not (start or end or open_end):
        raise click.UsageError("give --start, --end or --no-end")
    client = _client(ctx)
    request = pb.UpdateMachineWindowRequest(
        machine=ref, start=args.moment(start, "--start"), end=args.moment(end, "--end"), open_end=open_end
    )
    moved = client.control.UpdateMachineWindow(request).machine
    _emit_created(ctx, _machine_row(moved, _Names(client), name=ref), ("name", "state", "start", "end", "id"))


@machine.command("decommission")
@click.argument("ref", metavar="MACHINE", shell_complete=completion.names("machine"))
@_WAIT
@_wait_timeout(600)
@click.pass_context
def machine_decommission(ctx: click.Context, ref: str, wait: bool, wait_timeout: float) -> None:
    """Tear a machine down and give its capacity back."""
    client = _client(ctx)
    if not wait:
        gone = client.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=ref)).machine
        _emit_created(ctx, _machine_row(gone, _Names(client), name=ref), MACHINE_COLUMNS)
        return
    # The id, because the name is given back once the machine is decommissioned.
    target = client.control.GetMachine(pb.GetMachineRequest(machine=ref)).machine
    label = target.name or ref
    follower = _Follower(client)
    try:
        started = client.control.DecommissionMachine(pb.DecommissionMachineRequest(machine=target.id)).machine
        final = _follow_machine(follower, started, label=label, until=_DECOMMISSIONED, wait_timeout=wait_timeout)
    finally:
        follower.close()
    _finish_machine_wait(
        ctx,
        client,
        final,
        label=label,
        machine_id=target.id,
        success=frozenset({pb.MACHINE_STATE_DECOMMISSIONED}),
        wait_timeout=wait_timeout,
        follower=follower,
    )


@machine.command("watch")
@click.argument("machine_refs", metavar="[MACHINE]...", nargs=-1, shell_complete=completion.names("machine"))
@click.option(
    "--from-revision",
    type=click.IntRange(min=0),
    default=0,
    help="Replay changes from this revision on (default: only new ones).",
)
@click.pass_context
def machine_watch(ctx: click.Context, machine_refs: tuple[str, ...], from_revision: int) -> None:
    """Show machine state changes as they happen, until Ctrl-C.

    With -f json, one JSON object a line (-f yaml: one YAML document a
    change), each with its revision: pass
    the last revision + 1 as --from-revision to resume without a gap. When
    the daemon restarts or has no stream to spare, the watch says so on
    stderr and resumes after the last change it showed.
    """
    client = _client(ctx)
    wanted = {client.control.GetMachine(pb.GetMachineRequest(machine=ref)).machine.id for ref in machine_refs}
    printer = _ChangePrinter(_Names(client), wanted, fmt=ctx.obj.output)
    feed = _ResumingWatch(client, from_revision)
    try:
        for change in feed:
            printer.show(change)
    except KeyboardInterrupt:
        feed.cancel()


class _ChangePrinter:
    def __init__(self, names: _Names, wanted: set[str], *, fmt: str) -> None:
        self._names = names
        self._wanted = wanted
        self._fmt = fmt
        # A change may come without the machine's name (one given back at
        # decommissioning): use one seen before.
        self._seen: dict[str, str] = {}
        if fmt not in ("json", "yaml"):
            click.echo(f"{'REVISION':>8}  {'UPDATED':<25}  {'MACHINE':<24}  STATE")

    def show(self, change: pb.WatchMachinesResponse) -> None:
        current = change.machine
        if self._wanted and current.id not in self._wanted:
            return
        name = current.name or self._seen.get(current.id) or self._names.lookup("machine", current.id) or ""
        if name:
            self._seen[current.id] = name
        if self._fmt == "json":
            click.echo(json.dumps(api_data(change), sort_keys=True, default=str))
        elif self._fmt == "yaml":
            click.echo("---\n" + yaml_text.dumps(api_data(change)), nl=False)
        else:
            updated = _when(current, "update_time") or ""
            click.echo(f"{change.revision:>8}  {updated:<25}  {name or current.id:<24}  {_describe_state(current)}")


class _ResumingWatch:
    """WatchMachines from a revision, reopened after the last change seen
    whenever the stream breaks (daemon restarting, or no stream to spare).

    Before the first change, a watch of "now" that is reopened may miss what
    happened while it was down; from the first change on nothing is missed.
    """

    RETRY_FIRST_S = 0.25
    RETRY_MAX_S = 5.0

    def __init__(self, client: Client, from_revision: int) -> None:
        self._client = client
        self._next_revision = from_revision
        self._stream: Any = None

    def __iter__(self) -> Iterator[pb.WatchMachinesResponse]:
        retry = self.RETRY_FIRST_S
        while True:
            self._stream = self._client.control.WatchMachines(
                pb.WatchMachinesRequest(start_revision=self._next_revision), timeout=None
            )
            try:
                for change in self._stream:
                    retry = self.RETRY_FIRST_S
                    self._next_revision = change.revision + 1
                    yield change
                reason = "the daemon ended the watch"
            except MulliganError as exc:
                if not _worth_resuming(exc):
                    raise
                reason = exc.message
            resume = f"revision {self._next_revision}" if self._next_revision else "now"
            click.echo(f"watch interrupted ({reason}); resuming from {resume} in {retry:g}s", err=True)
            time.sleep(retry)
            retry = min(retry * 2, self.RETRY_MAX_S)

    def cancel(self) -> None:
        if self._stream is not None:
            self._stream.cancel()


def _worth_resuming(exc: MulliganError) -> bool:
    """Whether a broken machine watch may be opened again (the daemon is
    restarting, or has no stream to spare just now)."""
    return isinstance(exc, Unavailable) or exc.reason in ("CANCELLED", "TOO_MANY_WATCHES")
