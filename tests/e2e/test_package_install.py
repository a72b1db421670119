"""The .deb installed for real: ``apt-get install``, mulligand run the way its
systemd unit runs it, bootstrapped, a machine provisioned on a libvirt
test-driver hypervisor with the installed CLI, then ``apt-get purge``.

It installs a system package and creates the system user ``mulligan``, so it
runs only as root on a machine without either (never over an operator's real
installation), and it purges whatever it installed even when it fails.
Nothing else in the suite touches /opt/mulligan, /etc/mulligan,
/var/lib/mulligan or that user, and the daemon listens on its own loopback
port: it runs beside the other tests.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import mulligan
from tests.fixtures.daemon import DaemonProcess, wait_serving
from tests.fixtures.fleet import IMAGE_VOLUME, write_test_hypervisor
from tests.fixtures.package import clean_env
from tests.fixtures.package import packages as built_packages

pytestmark = [pytest.mark.slow, pytest.mark.package, pytest.mark.timeout(900)]

USER = "mulligan"
STATE_DIR = Path("/var/lib/mulligan")
UNIT = Path("/lib/systemd/system/mulligand.service")
# Everything the package puts outside the state dir; none may outlive a purge.
INSTALLED = [
    Path("/opt/mulligan"),
    Path("/etc/mulligan"),
    UNIT,
    Path("/usr/bin/mulligan"),
    Path("/usr/bin/mulligand"),
    Path("/usr/share/doc/mulligan"),
    Path("/usr/share/man/man1/mulligan.1.gz"),
    Path("/usr/share/man/man8/mulligand.8.gz"),
    Path("/usr/share/bash-completion/completions/mulligan"),
]
APT_TIMEOUT_S = 300
# Waits on another apt or dpkg run rather than failing at once.
APT = ["apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=120"]


def _run(*argv: str | Path, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in argv],
        env=env or _system_env(),
        capture_output=True,
        text=True,
        timeout=APT_TIMEOUT_S,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"{shlex.join(map(str, argv))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _system_env(**extra: str) -> dict[str, str]:
    env = clean_env() | {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    return env | extra


def _installed() -> bool:
    status = _run("dpkg-query", "-W", "-f", "${Status}", "mulligan", check=False).stdout
    return status.startswith("install ok") or "config-files" in status


def _has_user() -> bool:
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return False
    return True


def _has_group() -> bool:
    try:
        grp.getgrnam(USER)
    except KeyError:
        return False
    return True


def _purge(**env: str) -> None:
    # Recommends stay out: the test must not reach for the registries.
    _run(*APT, "purge", "mulligan", env=_system_env(**env))


@pytest.fixture
def deb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The built .deb, on a machine where installing it harms nothing; purged at the end."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("installs a .deb: needs root and apt-get")
    if _installed() or _has_user() or STATE_DIR.exists():
        pytest.skip("a mulligan package, user or /var/lib/mulligan is already here: this test would remove it")
    package = built_packages(tmp_path_factory).deb
    try:
        yield package
    finally:
        if _installed():
            _purge(MULLIGAN_PURGE_STATE="yes")
        # Whatever a failed purge left, as the machine was before.
        shutil.rmtree(STATE_DIR, ignore_errors=True)
        if _has_user():
            _run("userdel", USER, check=False)
        if _has_group():
            _run("groupdel", USER, check=False)


def _install(deb: Path) -> None:
    _run(*APT, "install", "--no-install-recommends", deb)


def _unit_settings() -> dict[str, str]:
    settings = {}
    for line in UNIT.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            settings[key.strip()] = value.strip()
    return settings


def _start_as_the_unit(log: Path) -> DaemonProcess:
    """ExecStart as User/Group with the unit's UMask, the way systemd would
    (HOME and the rest from the user's entry), on a loopback port it picks itself."""
    unit = _unit_settings()
    account = pwd.getpwnam(unit["User"])
    command = shlex.split(unit["ExecStart"])
    env = _system_env(HOME=account.pw_dir, USER=account.pw_name, LOGNAME=account.pw_name, LANG="C.UTF-8")
    argv = [
        "setpriv",
        f"--reuid={unit['User']}",
        f"--regid={unit['Group']}",
        "--init-groups",
        "--",
        *command,
        "--listen",
        "127.0.0.1:0",
    ]
    umask = int(unit["UMask"], 8)
    old = os.umask(umask)
    try:
        process = DaemonProcess(argv, env, log)
    finally:
        os.umask(old)
    return process


def _cli(endpoint: str, config_dir: Path, *args: str) -> object:
    """The installed ``mulligan`` (through /usr/bin), its JSON answer."""
    env = _system_env(MULLIGAN_CONFIG_DIR=str(config_dir), XDG_CACHE_HOME=str(config_dir / "cache"))
    result = _run("mulligan", "--endpoint", endpoint, "--output", "json", *args, env=env)
    return json.loads(result.stdout)


def _hypervisor() -> tuple[Path, str]:
    """A libvirt test-driver hypervisor the daemon's user can read: its own
    in-process state, with the image volume in its pool."""
    directory = Path(tempfile.mkdtemp(prefix="mulligan-package-hv-"))
    directory.chmod(0o755)
    uri = write_test_hypervisor(directory / "hypervisor.xml")
    (directory / "hypervisor.xml").chmod(0o644)
    return directory, uri


def test_the_deb_installs_serves_provisions_and_purges(deb: Path, tmp_path: Path) -> None:
    _install(deb)
    account = pwd.getpwnam(USER)
    assert account.pw_shell.endswith("nologin") and account.pw_dir == str(STATE_DIR)
    state = STATE_DIR.stat()
    assert (state.st_uid, state.st_mode & 0o777) == (account.pw_uid, 0o700)
    conf = Path("/etc/mulligan/mulligand.conf").stat()
    assert (conf.st_gid, conf.st_mode & 0o777) == (account.pw_gid, 0o640)
    assert _run("mulligand", "--version").stdout.strip() == f"mulligand {mulligan.__version__}"
    # man finds both pages, and bash completes from the installed CLI.
    assert _run("man", "-w", "mulligan").stdout.strip() == "/usr/share/man/man1/mulligan.1.gz"
    assert _run("man", "-w", "8", "mulligand").stdout.strip() == "/usr/share/man/man8/mulligand.8.gz"
    completed = _run(
        "bash",
        "-c",
        "source /usr/share/bash-completion/completions/mulligan;"
        " COMP_WORDS=(mulligan mach); COMP_CWORD=1; _mulligan_completion mulligan; echo ${COMPREPLY[*]}",
    )
    assert completed.stdout.split() == ["machine"], completed

    hypervisor_dir, uri = _hypervisor()
    process = _start_as_the_unit(tmp_path / "mulligand.log")
    try:
        endpoint = wait_serving(process, timeout=120)
        # The daemon runs as the unit's user, not as root.
        assert Path(f"/proc/{process.process.pid}").stat().st_uid == account.pw_uid
        config_dir = tmp_path / "cli"
        booted = _cli(
            endpoint, config_dir, "bootstrap", "--state-dir", str(STATE_DIR), "--admin-password", "package-test-pw"
        )
        assert isinstance(booted, dict) and booted["account"] == "admin" and booted["region"] == "default"
        host = _cli(endpoint, config_dir, "host", "enroll", "hv1", "--uri", uri, "--wait")
        # JSON output is the API object, enum values by name.
        assert isinstance(host, dict) and host["state"] == "HOST_STATE_READY", host
        _cli(endpoint, config_dir, "image", "create", "tiny", "--format", "raw", "--source", f"volume:{IMAGE_VOLUME}")
        machine = _cli(
            endpoint,
            config_dir,
            *("machine", "create", "vm1", "--image", "tiny", "--vcpus", "1", "--memory-mb", "64", "--wait"),
        )
        assert isinstance(machine, dict) and machine["state"] == "MACHINE_STATE_ACTIVE", machine
        assert machine["host_id"] == host["id"], machine
        process.signal(signal.SIGTERM)
        assert process.wait(60) == 0, process.log()
    finally:
        process.stop()
        shutil.rmtree(hypervisor_dir, ignore_errors=True)
    # Files the daemon made belong to its user, and others may not read them.
    database = STATE_DIR / "mulligan.db"
    assert database.stat().st_uid == account.pw_uid and database.stat().st_mode & 0o077 == 0

    # A purge takes the package, its files, /etc/mulligan and the user; the
    # state stays unless asked for.
    _purge()
    assert not _installed()
    assert [path for path in INSTALLED if path.exists() or path.is_symlink()] == []
    assert not _has_user() and not _has_group()
    assert database.exists()

    # A reinstall hands the kept state to its new user, whatever id the old
    # one had; a purge asked to take the state leaves nothing.
    orphan = _unused_id()
    for path in [STATE_DIR, *STATE_DIR.rglob("*")]:
        os.chown(path, orphan, orphan, follow_symlinks=False)
    _install(deb)
    account = pwd.getpwnam(USER)
    assert {p.stat().st_uid for p in [STATE_DIR, *STATE_DIR.rglob("*")]} == {account.pw_uid}
    _purge(MULLIGAN_PURGE_STATE="yes")
    assert not _installed() and not _has_user()
    assert [path for path in [*INSTALLED, STATE_DIR] if path.exists() or path.is_symlink()] == []


def _unused_id() -> int:
    """A user and group id no account or group has: what a removed user leaves on its files."""
    taken = {entry.pw_uid for entry in pwd.getpwall()} | {entry.gr_gid for entry in grp.getgrall()}
    return next(i for i in range(60000, 65000) if i not in taken)
