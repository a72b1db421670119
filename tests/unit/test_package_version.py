"""The versions the .deb and .rpm carry sort as Python's own do."""

from __future__ import annotations

import functools
import shutil
import subprocess

import pytest
from packaging.version import Version

from tests.fixtures.package import package_version

# In Python's order (PEP 440), oldest first.
ORDERED = [
    "0.1.0",
    "0.1.1",
    "0.2.0.dev0",
    "0.2.0.dev1",
    "0.2.0a1.dev0",
    "0.2.0a1",
    "0.2.0a2",
    "0.2.0b1",
    "0.2.0rc1.dev3",
    "0.2.0rc1",
    "0.2.0",
    "0.2.0.post1.dev0",
    "0.2.0.post1",
    "0.2.1.dev0",
    "0.2.1",
    "0.10.0",
    "1.0.0",
]


def test_the_sample_is_in_python_order() -> None:
    assert sorted(ORDERED, key=Version) == ORDERED


def test_a_release_keeps_its_version_and_a_development_build_gets_tildes() -> None:
    assert package_version("0.2.0") == "0.2.0"
    assert package_version("0.2.0.dev0") == "0.2.0~~dev0"
    assert package_version("0.2.0rc1") == "0.2.0~rc1"
    assert package_version("0.2.0.post1") == "0.2.0.post1"


@pytest.mark.parametrize("version", ["", "v1.0", "1.0-beta", "1.0.dev", "1.0+local", "1.0 ", "1.0\n"])
def test_what_cannot_be_ordered_is_refused(version: str) -> None:
    with pytest.raises(ValueError):
        package_version(version)


def _dpkg_order(left: str, right: str) -> int:
    if subprocess.run(["dpkg", "--compare-versions", left, "lt", right], check=False).returncode == 0:
        return -1
    return 0 if subprocess.run(["dpkg", "--compare-versions", left, "eq", right], check=False).returncode == 0 else 1


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg compares Debian versions")
def test_dpkg_orders_the_package_versions_as_python_does() -> None:
    versions = [package_version(v) for v in ORDERED]
    assert sorted(reversed(versions), key=functools.cmp_to_key(_dpkg_order)) == versions
