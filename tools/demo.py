"""Mulligan on the embedded defaults, start to finish.

Starts mulligand on a fresh state dir (SQLite, embedded key/value store),
waits until it is healthy, and walks through the main job with the real
CLI against the real daemon: bootstrap, enroll a hypervisor, register an
image, provision machines and list them, then enroll a baremetal node and
power it through its BMC. The hypervisor is libvirt's test driver, which
simulates one inside the daemon's process from a small XML file, and the
node's BMC is Mulligan's IPMI simulator (tools/bmcsim.py) in its own
process, driving a domain of its own test driver; so the demo needs no
virtualization and no hardware. Steps whose commands are not in this build
are left out.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from mulligan.client import Client
from mulligan.errors import MulliganError

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Demo:
    def __init__(self, state_dir: Path, endpoint: str) -> None:
        self.state_dir = state_dir
        self.endpoint = endpoint
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MULLIGAN_")}
        self.env["MULLIGAN_ENDPOINT"] = endpoint
        self.env["MULLIGAN_CONFIG_DIR"] = str(state_dir / "client")
        if not sys.stdout.isatty():
            # Tables are sized to the terminal; without one, leave room for ids.
            self.env.setdefault("COLUMNS", "160")
        self.daemon: subprocess.Popen[bytes] | None = None
        self.bmc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        log = open(self.state_dir / "mulligand.log", "wb")  # noqa: SIM115 (lives as long as the daemon)
        self.daemon = subprocess.Popen(
            [str(BIN / "mulligand"), "--listen", self.endpoint, "--state-dir", str(self.state_dir / "daemon")],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        with Client(self.endpoint) as client:
            while not _serving(client):
                if self.daemon.poll() is not None or time.monotonic() > deadline:
                    print((self.state_dir / "mulligand.log").read_text(), file=sys.stderr)
                    raise SystemExit("mulligand did not start")
                time.sleep(0.05)

    def mulligan(self, *args: str, quiet: bool = False) -> int:
        if not quiet:
            print(f"\n$ mulligan {' '.join(args)}", flush=True)
        result = subprocess.run(
            [str(BIN / "mulligan"), *args],
            env=self.env,
            check=False,
            stdout=subprocess.DEVNULL if quiet else None,
            # Progress goes to stderr: keep it in order with the output.
            stderr=subprocess.DEVNULL if quiet else subprocess.STDOUT,
        )
        return result.returncode

    def commands(self) -> set[str]:
        """The top-level commands of this build's CLI."""
        result = subprocess.run(
            [str(BIN / "mulligan"), "--help"], env=self.env, check=True, capture_output=True, text=True
        )
        listing = result.stdout.partition("Commands:")[2]
        return {line.split()[0] for line in listing.splitlines() if line.strip()}

    def step(self, *args: str) -> None:
        if self.mulligan(*args) != 0:
            raise SystemExit(f"demo step failed: mulligan {' '.join(args)}")

    def start_bmc(self) -> int:
        """Start one simulated IPMI BMC on a free UDP port; return the port."""
        (self.state_dir / "bmc.pw").write_text(BMC_PASSWORD + "\n")
        (self.state_dir / "bmc.pw").chmod(0o600)
        port = _free_port(socket.SOCK_DGRAM)
        self.bmc = subprocess.Popen(
            [
                sys.executable,
                str(REPO / "tools" / "bmcsim.py"),
                "--libvirt-uri",
                "test:///default",
                "--define-domains",
                "--bmc",
                f"{port}:node-1",
                "--username",
                BMC_USER,
                "--password-file",
                str(self.state_dir / "bmc.pw"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.bmc.stdout is not None
        if not self.bmc.stdout.readline().startswith("ready"):
            raise SystemExit("the BMC simulator did not start")
        return port

    def stop(self) -> None:
        if self.bmc and self.bmc.poll() is None:
            self.bmc.send_signal(signal.SIGTERM)
            self.bmc.wait(30)
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            self.daemon.wait(60)


def _serving(client: Client) -> bool:
    try:
        return client.health("", timeout=1) == "SERVING"
    except MulliganError:
        return False


# The demo's hypervisor: 32 CPUs, 64 GiB of memory, a network named
# "default" and a storage pool holding the volume the image points at.
HYPERVISOR_CPUS = 32
HYPERVISOR_MEMORY_MB = 64 * 1024
IMAGE_VOLUME = "debian-12-tiny.raw"
BMC_USER = "admin"
# The simulated BMC's password: a demo value, in a 0600 file like a real one.
BMC_PASSWORD = "demo-bmc-pw"  # noqa: S105


def write_test_hypervisor(path: Path) -> str:
    """A libvirt test-driver configuration file; returns its URI."""
    path.write_text(
        "<node>"
        "<cpu><nodes>1</nodes><sockets>1</sockets>"
        f"<cores>{HYPERVISOR_CPUS}</cores><threads>1</threads><active>{HYPERVISOR_CPUS}</active>"
        "<mhz>3000</mhz><model>x86_64</model></cpu>"
        f"<memory>{HYPERVISOR_MEMORY_MB * 1024}</memory>"
        "<network><name>default</name><bridge name='virbr0'/><forward/>"
        "<ip address='192.0.2.1' netmask='255.255.255.0'/></network>"
        "<pool type='dir'><name>default-pool</name><target><path>/default-pool</path></target>"
        f"<volume type='file'><name>{IMAGE_VOLUME}</name><capacity unit='M'>16</capacity></volume>"
        "</pool>"
        "</node>"
    )
    return f"test://{path}"


def say(text: str) -> None:
    print(f"\n# {text}", flush=True)


def run(demo: Demo) -> None:
    print(f"mulligand listening on {demo.endpoint}, state in {demo.state_dir}", flush=True)
    say("Is the daemon up?")
    demo.step("status")
    commands = demo.commands()
    if "bootstrap" not in commands:
        print("\n(identity is not part of this build: stopping after the health check)")
        return
    say("Bootstrap: the first admin account and project, and the default region.")
    demo.step("bootstrap", "--state-dir", str(demo.state_dir / "daemon"))
    uri = write_test_hypervisor(demo.state_dir / "hv1.xml")
    for text, step in _main_job(uri):
        if step[0] in commands:
            say(text)
            demo.step(*step)
    port = demo.start_bmc()
    for text, step in _baremetal(port, demo.state_dir / "bmc.pw"):
        say(text)
        demo.step(*step)


def _cmd(line: str) -> tuple[str, ...]:
    return tuple(shlex.split(line))


def _main_job(uri: str) -> Sequence[tuple[str, tuple[str, ...]]]:
    return (
        (
            f"Enroll a hypervisor. This one is simulated by libvirt's test driver from {uri.removeprefix('test://')}"
            f": {HYPERVISOR_CPUS} CPUs, {HYPERVISOR_MEMORY_MB // 1024} GiB, a 'default' network, a storage pool."
            " Mulligan inspects it and offers its capacity.",
            ("host", "enroll", "hv1", "--uri", uri, "--wait"),
        ),
        (
            "Register an image: a volume in the hypervisor's storage pool, for every project.",
            _cmd(f"image create debian-12 --source volume:{IMAGE_VOLUME} --format raw --os-hint os=debian --system"),
        ),
        (
            "Ask for machines. Each claims capacity on a host, then gets a disk, a cloud-init seed and a domain.",
            _cmd("machine create web-1 --image debian-12 --shape small --wait"),
        ),
        (
            "A second one, the same size.",
            _cmd("machine create web-2 --image debian-12 --shape small --wait"),
        ),
        (
            "A third, sized by hand.",
            _cmd("machine create db-1 --image debian-12 --vcpus 4 --memory-mb 8192 --disk-gb 40 --wait"),
        ),
        ("All three are active on hv1.", ("machine", "list")),
    )


def _baremetal(port: int, password_file: Path) -> Sequence[tuple[str, tuple[str, ...]]]:
    return (
        (
            f"Enroll a baremetal node through its BMC (IPMI on UDP 127.0.0.1:{port}; a simulator here). The"
            " password comes from a file and is stored encrypted. IPMI says little about the hardware, so its"
            " sizes are declared.",
            _cmd(
                f"host enroll node-1 --bmc ipmi://{BMC_USER}@127.0.0.1:{port} --password-file {password_file}"
                " --property cpus=16 --property memory_mb=65536 --property disk_gb=480 --property arch=x86_64 --wait"
            ),
        ),
        ("Power it on through the BMC, and wait until the BMC says it is on.", _cmd("host power on node-1 --wait")),
        ("The node: its capacity, traits, power state and when power sync last read it.", _cmd("host show node-1")),
        ("And off again.", _cmd("host power off node-1 --wait")),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state-dir", type=Path, help="keep state here (default: a temporary dir)")
    parser.add_argument("--keep-running", action="store_true", help="leave mulligand running at the end")
    args = parser.parse_args()
    state_dir = args.state_dir or Path(tempfile.mkdtemp(prefix="mulligan-demo-"))
    state_dir.mkdir(parents=True, exist_ok=True)
    demo = Demo(state_dir, f"127.0.0.1:{_free_port()}")
    demo.start()
    try:
        run(demo)
    finally:
        if args.keep_running:
            print(
                f"\nmulligand keeps running (pid {demo.daemon.pid if demo.daemon else '?'}); "
                f"export MULLIGAN_ENDPOINT={demo.endpoint} MULLIGAN_CONFIG_DIR={state_dir / 'client'}"
            )
        else:
            demo.stop()
            if not args.state_dir:
                shutil.rmtree(state_dir, ignore_errors=True)
    print("\ndemo finished")


if __name__ == "__main__":
    main()
