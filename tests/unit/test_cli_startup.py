"""What the ``mulligan`` CLI loads: a command's module only when it runs,
and never the daemon's side (token signing, certificates, the server
interceptor)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import click
import pytest

from mulligan.cli import app

SERVER_SIDE = ("jwt", "cryptography", "mulligan.rpc.interceptor", "mulligan.daemon", "mulligan.tls")


def _loaded_after(*argv: str) -> set[str]:
    script = (
        "import json, sys\n"
        "from mulligan.cli.app import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_help_loads_no_command_module_nor_grpc() -> None:
    loaded = _loaded_after("--help")
    assert not {name for name in loaded if name.startswith(("grpc", "google.protobuf", "rich"))}
    assert not {name for name in loaded if name.startswith("mulligan.cli.") and name in app.COMMANDS}
    assert not loaded & set(SERVER_SIDE)


def test_a_call_loads_the_client_side_only() -> None:
    # Nothing listens on port 1: the command fails, after loading what a call needs.
    loaded = _loaded_after("--endpoint", "127.0.0.1:1", "--timeout", "1", "machine", "list")
    assert "grpc" in loaded and "mulligan.cli.control" in loaded
    assert not loaded & set(SERVER_SIDE)
    # Only the service called: the other services' generated modules cost time.
    assert "mulligan.api.control.v1.control_pb2_grpc" in loaded
    unused = {f"mulligan.api.{name}.v1.{name}_pb2" for name in ("iam", "meta", "resource")}
    assert not loaded & unused
    # Written files only (a sign-in, the completion cache) need tempfile.
    assert "tempfile" not in loaded


@pytest.mark.parametrize("name", sorted(app.COMMANDS))
def test_the_help_table_matches_each_command(name: str) -> None:
    ctx = click.Context(app.cli)
    command = app.cli.get_command(ctx, name)
    assert command is not None
    assert command.get_short_help_str(limit=app.SHORT_HELP_LIMIT) == app.COMMANDS[name][1]


def _command(*argv: str, stdin_reader: str | None = None) -> subprocess.CompletedProcess[str]:
    """The console command as installed: ``mulligan`` through its entry point."""
    script = f"import sys\nsys.argv = ['mulligan', *{list(argv)!r}]\nfrom mulligan.cli import main\nmain()\n"
    command = [sys.executable, "-c", script]
    if stdin_reader is None:
        return subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    # Output piped into a reader that stops after its first line.
    pipeline = f"{shlex.join(command)} | {stdin_reader}"
    return subprocess.run(["/bin/sh", "-c", pipeline], check=False, capture_output=True, text=True, timeout=60)


def test_the_command_ends_with_the_clis_exit_code_and_all_its_output() -> None:
    usage = _command("--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr
    shown = _command("--help")
    assert shown.returncode == 0 and shown.stdout.startswith("Usage: mulligan") and shown.stdout.endswith("\n")
    unreachable = _command("--endpoint", "127.0.0.1:1", "machine", "list")
    assert unreachable.returncode == 3 and "127.0.0.1:1" in unreachable.stderr


def test_a_reader_that_stops_early_gets_no_error_noise() -> None:
    done = _command("--help", stdin_reader="head -n 1")
    assert done.stdout.startswith("Usage: mulligan")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
