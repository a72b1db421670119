"""The version the .deb and .rpm carry for a Mulligan version.

dpkg and rpm would put "0.2.0.dev0" after "0.2.0": an installed development
build would then hide the release it leads to, and an upgrade to it would
look like a downgrade. Both sort a tilde before anything, even the end of
the string, so development and pre-releases are written with one and come
first, in Python's own order (dev, a, b, rc, the release, post):

    0.2.0.dev0 -> 0.2.0~~dev0    0.2.0rc1 -> 0.2.0~rc1    0.2.0 -> 0.2.0

Run as a script it prints the package version of its argument.
"""

from __future__ import annotations

import re
import sys

_VERSION = re.compile(
    r"(?P<release>\d+(?:\.\d+)*)"
    r"(?:[.-]?(?P<pre>a|b|rc)(?P<pre_number>\d+))?"
    r"(?:\.post(?P<post>\d+))?"
    r"(?:\.dev(?P<dev>\d+))?"
)


def package_version(version: str) -> str:
    found = _VERSION.fullmatch(version)
    if found is None:
        raise ValueError(f"{version!r} is not a version the packages can carry (N.N.N[aN|bN|rcN][.postN][.devN])")
    text = found["release"]
    if found["pre"]:
        text += f"~{found['pre']}{found['pre_number']}"
    if found["post"]:
        text += f".post{found['post']}"
    if found["dev"]:
        # Two tildes: a development build precedes even the pre-releases.
        text += f"~~dev{found['dev']}"
    return text


if __name__ == "__main__":
    try:
        print(package_version(sys.argv[1]))
    except (IndexError, ValueError) as error:
        sys.exit(f"package_version.py: {error}")
